/**
 * Microsoft Entra ID sign-in for Azure DevOps: authorization code + PKCE (S256) through the
 * browser's identity API. No client secret exists or is needed; the client id and tenant are
 * configuration (build default, overridable in Options).
 */
export const AZURE_DEVOPS_SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';

export interface OAuthConfig {
  clientId: string;
  tenant: string;
  authority: string;
}

export interface Tokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface OAuthDeps {
  /** browser.identity.launchWebAuthFlow: resolves with the final redirect URL. */
  launchWebAuthFlow(details: { url: string; interactive: boolean }): Promise<string>;
  redirectUrl: string;
  fetch: typeof fetch;
  now: () => number;
}

export type OAuthErrorKind = 'cancelled' | 'stateMismatch' | 'personalAccount' | 'consent' | 'invalidGrant' | 'server';

export class OAuthError extends Error {
  constructor(
    readonly kind: OAuthErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'OAuthError';
  }
}

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: b64url(new Uint8Array(digest)) };
}

const endpoint = (c: OAuthConfig, path: 'authorize' | 'token') =>
  `${c.authority.replace(/\/+$/, '')}/${encodeURIComponent(c.tenant)}/oauth2/v2.0/${path}`;

/** Turns Entra's error codes into what the user can act on. */
function explain(error: string, description = ''): OAuthError {
  if (error === 'access_denied' && /cancel/i.test(description)) return new OAuthError('cancelled', 'Sign-in was cancelled.');
  if (/AADSTS50020|AADSTS500200|AADSTS9002331|personal Microsoft account|live\.com/i.test(description))
    return new OAuthError(
      'personalAccount',
      'Personal Microsoft accounts (outlook.com, hotmail.com, live.com) cannot sign in to Azure DevOps through Microsoft Entra apps. Use a work or school account, or connect with a personal access token instead.',
    );
  if (/AADSTS65001|consent/i.test(description) || error === 'consent_required')
    return new OAuthError('consent', 'Your administrator has to approve this app for your organization before you can sign in. Ask them, or connect with a personal access token.');
  if (error === 'invalid_grant') return new OAuthError('invalidGrant', 'Your sign-in has expired. Sign in again.');
  return new OAuthError('server', `Microsoft sign-in failed (${error}${description ? `: ${description.split('\n')[0]}` : ''}).`);
}

async function tokenRequest(c: OAuthConfig, deps: OAuthDeps, body: Record<string, string>): Promise<Tokens> {
  const started = deps.now();
  let res: Response;
  try {
    res = await deps.fetch(endpoint(c, 'token'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: c.clientId, scope: `${AZURE_DEVOPS_SCOPE} offline_access`, ...body }),
    });
  } catch {
    throw new OAuthError('server', 'Could not reach Microsoft sign-in. Check your connection and try again.');
  }
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || typeof json.access_token !== 'string') throw explain(String(json.error ?? `http_${res.status}`), String(json.error_description ?? ''));
  return {
    accessToken: json.access_token,
    refreshToken: typeof json.refresh_token === 'string' ? json.refresh_token : body.refresh_token,
    expiresAt: started + Number(json.expires_in ?? 3600) * 1000,
  };
}

export async function signIn(c: OAuthConfig, deps: OAuthDeps, opts: { loginHint?: string } = {}): Promise<Tokens> {
  const { verifier, challenge } = await pkcePair();
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  const url = new URL(endpoint(c, 'authorize'));
  url.search = new URLSearchParams({
    client_id: c.clientId,
    response_type: 'code',
    redirect_uri: deps.redirectUrl,
    response_mode: 'query',
    scope: `${AZURE_DEVOPS_SCOPE} offline_access`,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    prompt: 'select_account',
    ...(opts.loginHint ? { login_hint: opts.loginHint } : {}),
  }).toString();

  let final: string;
  try {
    final = await deps.launchWebAuthFlow({ url: url.toString(), interactive: true });
  } catch (e) {
    // Chromium rejects with "The user did not approve access." when the window is closed.
    throw new OAuthError('cancelled', `Sign-in was cancelled${e instanceof Error ? ` (${e.message})` : ''}.`);
  }
  const back = new URL(final);
  const params = back.searchParams.has('state') ? back.searchParams : new URLSearchParams(back.hash.slice(1));
  if (params.get('state') !== state) throw new OAuthError('stateMismatch', 'Sign-in answer did not match this request; try again.');
  const error = params.get('error');
  if (error) throw explain(error, params.get('error_description') ?? '');
  const code = params.get('code');
  if (!code) throw new OAuthError('server', 'Microsoft sign-in returned no authorization code.');
  return tokenRequest(c, deps, { grant_type: 'authorization_code', code, redirect_uri: deps.redirectUrl, code_verifier: verifier });
}

export function refresh(c: OAuthConfig, deps: Pick<OAuthDeps, 'fetch' | 'now'> & Partial<OAuthDeps>, refreshToken: string): Promise<Tokens> {
  return tokenRequest(c, deps as OAuthDeps, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

/** Refresh a little before expiry so a request never starts with a token about to lapse. */
export const needsRefresh = (t: Tokens, now: number) => t.expiresAt - now < 5 * 60_000;
