import { html, raw, type Html } from '../html';
import type { PageRequest } from '../page-request';

export interface CloneUrls {
  https: string;
  ssh: string;
}

export function cloneUrls(req: PageRequest): CloneUrls {
  return { https: req.urls.remoteUrl(req.project!, req.repo!), ssh: req.urls.sshUrl(req.project!, req.repo!) };
}

/** HTTPS / SSH switch, the URL in a read-only field, copy; the page script switches the value. */
function urlPicker(urls: CloneUrls): Html {
  return html`<div class="bolt-button-group flex-row" role="group" aria-label="Clone protocol">
<button class="bolt-button bolt-toggle-button enabled" type="button" aria-pressed="true" data-sandbox-action="clone-protocol" data-sandbox-protocol="https">HTTPS</button>
<button class="bolt-button bolt-toggle-button enabled" type="button" aria-pressed="false" data-sandbox-action="clone-protocol" data-sandbox-protocol="ssh">SSH</button>
</div>
<div class="bolt-textfield flex-row">
<input class="bolt-textfield-input repos-clone-url monospaced-text" type="text" readonly aria-label="Clone URL" value="${urls.https}" data-sandbox-clone-url data-sandbox-https="${urls.https}" data-sandbox-ssh="${urls.ssh}">
<button class="bolt-button bolt-clipboard-button enabled" type="button" aria-label="Copy clone URL to clipboard" data-sandbox-action="copy-clone-url">${raw('&#x2398;')}</button>
</div>`;
}

function ideButtons(urls: CloneUrls): Html {
  return html`<div class="clone-with-application flex-row flex-center rhythm-horizontal-8">
<div class="bolt-split-button flex-row"><a class="bolt-split-button-main bolt-button enabled" href="vscode://vscode.git/clone?url=${encodeURIComponent(urls.https)}">Clone in VS Code</a><button class="bolt-split-button-option bolt-button enabled" type="button" aria-label="More clone options">${raw('&#9662;')}</button></div>
</div>`;
}

function credentialsButton(): Html {
  return html`<button class="bolt-button enabled" type="button" data-sandbox-action="generate-credentials">Generate Git Credentials</button>`;
}

/** The callout the Clone button opens (rendered in `.bolt-portal-host`). */
export function clonePanel(req: PageRequest): Html {
  const urls = cloneUrls(req);
  return html`<div class="bolt-callout bolt-callout-auto-position" role="dialog" aria-label="Clone repository" data-sandbox-callout="clone">
<div class="bolt-callout-content bolt-callout-shadow repos-clone-panel flex-column rhythm-vertical-8">
<div class="flex-row flex-center"><div role="heading" aria-level="2" class="title-m flex-grow">Clone Repository</div><button class="bolt-button subtle icon-only" type="button" aria-label="Close" data-sandbox-action="close-callout">${raw('&#x2715;')}</button></div>
${urlPicker(urls)}
${ideButtons(urls)}
${credentialsButton()}
</div>
</div>`;
}

/** "Clone to your computer" on the empty-repository page (rendered late). */
export function emptyRepoClone(req: PageRequest): Html {
  const urls = cloneUrls(req);
  return html`<div class="bolt-card repos-empty-clone flex-column rhythm-vertical-8">
<div role="heading" aria-level="2" class="font-weight-semibold">Clone to your computer</div>
${urlPicker(urls)}
<div class="flex-row flex-center rhythm-horizontal-8"><span class="font-weight-semibold">OR</span>${ideButtons(urls)}</div>
${credentialsButton()}
</div>`;
}
