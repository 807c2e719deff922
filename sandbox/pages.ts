/** Small HTML pages the platform itself needs (sign-in answers and pickers). */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:"Segoe UI",system-ui,sans-serif;margin:0;background:#f8f8f8;color:#201f1e}
main{max-width:440px;margin:10vh auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600}label{display:block;margin:8px 0}
button,input[type=submit]{background:#0067b8;color:#fff;border:0;padding:8px 24px;font-size:15px;cursor:pointer}
.secondary{background:#ccc;color:#000}.error{color:#a80000}</style></head>
<body><main>${body}</main></body></html>`;
}

/** What Azure DevOps answers (with status 203) to an API call without valid credentials. */
export function signInRequiredPage(): string {
  return page(
    'Azure DevOps Services | Sign In',
    `<h1>Sign in</h1><p>You need to sign in to access this resource.</p>
<p><a href="/_sandbox/signin">Sign in to Azure DevOps</a></p>`,
  );
}

/**
 * The service's error page (a 401 on git routes and on-prem REST, server.ts): the message as the title, "- {product}" after
 * it, and again in `#errorMessageDetailed` (the on-prem page in
 * microsoft/Git-Credential-Manager-for-Windows#752 and #848; the rest of the real page is left out).
 */
export function serviceErrorPage(message: string, product: string): string {
  return page(`${message} - ${product}`, `<h1>${escapeHtml(product)}</h1><pre id="errorMessageDetailed">${escapeHtml(message)}</pre>`);
}
