import type { RequestContext } from '../context';
import { escapeHtml, page } from '../pages';
import { TENANT_DOMAIN } from '../seed';
import { readCookie } from '../sessions';
import type { User } from '../store';
import type { EntraApp } from './apps';
import { entraError, entraErrorBody, type EntraError, missingParameter } from './errors';
import { ADO_RESOURCE } from './tokens';

/**
 * `/{tenant}/oauth2/v2.0/authorize`: authorization code flow with PKCE (S256). GET shows a
 * small sign-in page with a user picker; its form posts back here; then the browser is sent to
 * `redirect_uri?code=...&state=...`. Problems with the client or redirect URI are shown on the
 * page (Entra never redirects to an unverified URI); other problems redirect with `error=`.
 */

export const ENTRA_SESSION_COOKIE = 'ESTSAUTH';

interface Validated {
  app: EntraApp;
  redirectUri: string;
  state?: string;
  scopes: string[];
  codeChallenge: string;
  prompt?: string;
  loginHint?: string;
}

export async function authorizeEndpoint(ctx: RequestContext): Promise<void> {
  const params = ctx.method === 'POST' ? await ctx.form() : ctx.query;
  const tenantId = resolveTenant(ctx, ctx.params.tenant!);
  if (!tenantId) return showError(ctx, entraError('invalid_request', 90002, `Tenant '${ctx.params.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`));
  const checked = validate(ctx, params);
  if ('page' in checked) return showError(ctx, checked.page);
  if ('redirect' in checked) return redirectError(ctx, checked.redirect, params.get('redirect_uri')!, params.get('state') ?? undefined);
  const v = checked.ok;

  const entra = ctx.services.entra;
  const sessionUser = sessionUserOf(ctx);
  let user: User | undefined;
  if (ctx.method === 'POST') {
    if (params.get('action') === 'cancel') {
      return redirectError(ctx, entraError('access_denied', 65004, 'User declined to consent to access the app.'), v.redirectUri, v.state);
    }
    user = ctx.store.user(params.get('user') ?? '');
    if (!user) return showPicker(ctx, v, params, 'Choose an account to sign in with.');
    const session = ctx.services.entra.sessions.create(user.id);
    ctx.res.setHeader('set-cookie', `${ENTRA_SESSION_COOKIE}=${session}; Path=/; Secure; HttpOnly; SameSite=None`);
  } else if (v.prompt === 'none') {
    if (!sessionUser) return redirectError(ctx, entraError('login_required', 50058, 'A silent sign-in request was sent but no user is signed in.'), v.redirectUri, v.state);
    user = sessionUser;
  } else if (sessionUser && v.prompt !== 'login' && v.prompt !== 'select_account') {
    user = sessionUser;
  } else {
    return showPicker(ctx, v, params);
  }

  const code = entra.tokens.issueCode({
    userId: user.id,
    clientId: v.app.clientId,
    redirectUri: v.redirectUri,
    codeChallenge: v.codeChallenge,
    scopes: v.scopes,
    tenantId,
  });
  const target = new URL(v.redirectUri);
  target.searchParams.set('code', code);
  if (v.state !== undefined) target.searchParams.set('state', v.state);
  target.searchParams.set('session_state', tenantId);
  ctx.redirect(target.toString());
}

function resolveTenant(ctx: RequestContext, tenant: string): string | undefined {
  const orgTenant = [...ctx.store.organizations.values()].find((o) => o.tenantId)?.tenantId;
  if (!orgTenant) return undefined;
  const t = tenant.toLowerCase();
  return t === 'organizations' || t === 'common' || t === orgTenant || t === TENANT_DOMAIN ? orgTenant : undefined;
}

function validate(ctx: RequestContext, p: URLSearchParams): { ok: Validated } | { page: EntraError } | { redirect: EntraError } {
  const clientId = p.get('client_id');
  if (!clientId) return { page: missingParameter('client_id') };
  const app = ctx.services.entra.apps.get(clientId);
  if (!app) {
    return {
      page: entraError(
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${ctx.params.tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      ),
    };
  }
  const redirectUri = p.get('redirect_uri');
  if (!redirectUri || !ctx.services.entra.apps.allowsRedirect(app, redirectUri)) {
    return {
      page: entraError(
        'invalid_request',
        50011,
        `The redirect URI '${redirectUri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
      ),
    };
  }
  const responseType = p.get('response_type');
  if (!responseType) return { redirect: missingParameter('response_type') };
  if (responseType !== 'code') return { redirect: entraError('unsupported_response_type', 700054, `response_type '${responseType}' is not enabled for the application.`) };
  const scope = p.get('scope');
  if (!scope) return { redirect: missingParameter('scope') };
  const scopes = scope.split(/\s+/).filter(Boolean);
  if (!scopes.some((s) => s.toLowerCase().startsWith(`${ADO_RESOURCE}/`))) {
    return { redirect: entraError('invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The sandbox only serves the Azure DevOps resource (${ADO_RESOURCE}/.default).`) };
  }
  const codeChallenge = p.get('code_challenge');
  if (!codeChallenge) return { redirect: entraError('invalid_request', 9002325, 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.') };
  const method = p.get('code_challenge_method') ?? 'plain';
  if (method !== 'S256') return { redirect: entraError('invalid_request', 501491, `The code_challenge_method '${method}' is not supported. Use 'S256'.`) };
  if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) return { redirect: entraError('invalid_request', 501491, 'The code_challenge is not a valid S256 challenge (43 base64url characters).') };
  return {
    ok: { app, redirectUri, state: p.get('state') ?? undefined, scopes, codeChallenge, prompt: p.get('prompt') ?? undefined, loginHint: p.get('login_hint') ?? undefined },
  };
}

function sessionUserOf(ctx: RequestContext): User | undefined {
  const cookie = readCookie(ctx.req.headers.cookie, ENTRA_SESSION_COOKIE);
  const userId = cookie && ctx.services.entra.sessions.userId(cookie);
  return userId ? ctx.store.user(userId) : undefined;
}

function redirectError(ctx: RequestContext, e: EntraError, redirectUri: string, state: string | undefined): void {
  const body = entraErrorBody(e);
  const target = new URL(redirectUri);
  target.searchParams.set('error', e.error);
  target.searchParams.set('error_description', String(body.error_description));
  target.searchParams.set('error_uri', String(body.error_uri));
  if (state !== undefined) target.searchParams.set('state', state);
  ctx.redirect(target.toString());
}

function showError(ctx: RequestContext, e: EntraError): void {
  const body = entraErrorBody(e);
  ctx.html(
    page('Sign in to your account', `<h1>Sign in</h1><p class="error" id="error">${escapeHtml(String(body.error_description)).replace(/\r\n/g, '<br>')}</p>`),
    400,
  );
}

function showPicker(ctx: RequestContext, v: Validated, params: URLSearchParams, notice?: string): void {
  const hidden = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'prompt', 'login_hint', 'nonce', 'response_mode']
    .filter((k) => params.get(k) !== null)
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(params.get(k)!)}">`)
    .join('');
  const hint = v.loginHint?.toLowerCase();
  const users = [...ctx.store.users.values()];
  const preselected = users.find((u) => u.mail.toLowerCase() === hint || u.alias === hint) ?? users[0];
  const options = users
    .map(
      (u) =>
        `<label><input type="radio" name="user" value="${u.alias}"${u === preselected ? ' checked' : ''}> ${escapeHtml(u.displayName)} &lt;${escapeHtml(u.mail)}&gt;${u.kind === 'msa' ? ' (personal Microsoft account)' : ''}</label>`,
    )
    .join('');
  ctx.html(
    page(
      'Sign in to your account',
      `<h1>Sign in</h1><p>to continue to ${escapeHtml(v.app.displayName)}</p>${notice ? `<p class="error">${escapeHtml(notice)}</p>` : ''}
<form method="post" id="signin">${hidden}<fieldset id="accounts"><legend>Pick an account</legend>${options}</fieldset>
<p><button type="submit" name="action" value="cancel" id="idBtn_Back" class="secondary">Cancel</button>
<button type="submit" name="action" value="signin" id="idSIButton9">Sign in</button></p></form>`,
    ),
  );
}
