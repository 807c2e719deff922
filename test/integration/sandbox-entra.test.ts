import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADO_RESOURCE } from '../../sandbox/entra/tokens';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { entraAuthorizationCode, entraSignIn, entraToken, pkcePair, TEST_REDIRECT_URI } from '../../sandbox/testing';

let sandbox: Sandbox;
const AUTHORIZE = 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize';
const PROJECTS = 'https://dev.azure.com/fabrikam/_apis/projects?api-version=7.1';

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
});
afterAll(() => sandbox?.close());
afterEach(async () => {
  await sandbox.fetch('https://dev.azure.com/_sandbox/entra/lifetimes', { method: 'DELETE' });
});

function authorizeUrl(overrides: Record<string, string | null> = {}): string {
  const params: Record<string, string | null> = {
    client_id: sandbox.entraClientId,
    redirect_uri: TEST_REDIRECT_URI,
    response_type: 'code',
    scope: `${ADO_RESOURCE}/.default offline_access`,
    state: 'xyz',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== null));
  return `${AUTHORIZE}?${q}`;
}

function expectEntraError(body: Record<string, unknown>, error: string, code: number): void {
  expect(body.error).toBe(error);
  expect(body.error_codes).toEqual([code]);
  expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: .+\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: `));
  for (const key of ['timestamp', 'trace_id', 'correlation_id', 'error_uri']) expect(body[key]).toEqual(expect.any(String));
}

describe('authorize', () => {
  it('shows a sign-in page with a user picker and a Sign in button', async () => {
    const res = await sandbox.fetch(authorizeUrl());
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('id="idSIButton9"');
    expect(html).toContain('value="ada"');
    expect(html).toContain('personal Microsoft account');
  });

  it('redirects to redirect_uri with the code and state', async () => {
    const { challenge } = pkcePair();
    const code = await entraAuthorizationCode(sandbox, { user: 'ada', challenge, state: 'my-state' });
    expect(code.length).toBeGreaterThan(20);
  });

  it('shows errors about the client or redirect URI on the page, never redirecting', async () => {
    const unknownClient = await sandbox.fetch(authorizeUrl({ client_id: '00000000-0000-0000-0000-000000000001' }), { redirect: 'manual' });
    expect(unknownClient.status).toBe(400);
    expect(await unknownClient.text()).toContain('AADSTS700016');
    const badRedirect = await sandbox.fetch(authorizeUrl({ redirect_uri: 'https://evil.example/' }), { redirect: 'manual' });
    expect(badRedirect.status).toBe(400);
    expect(await badRedirect.text()).toContain('AADSTS50011');
  });

  it('redirects other problems with error=', async () => {
    const cases: [Record<string, string | null>, string, string][] = [
      [{ response_type: 'token' }, 'unsupported_response_type', 'AADSTS700054'],
      [{ code_challenge: null }, 'invalid_request', 'AADSTS9002325'],
      [{ code_challenge_method: 'plain' }, 'invalid_request', 'plain'],
      [{ scope: 'https://graph.microsoft.com/.default' }, 'invalid_scope', 'AADSTS70011'],
      [{ prompt: 'none' }, 'login_required', 'AADSTS50058'],
    ];
    for (const [override, error, text] of cases) {
      const res = await sandbox.fetch(authorizeUrl(override), { redirect: 'manual' });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(TEST_REDIRECT_URI);
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('error_description')).toContain(text);
      expect(location.searchParams.get('state')).toBe('xyz');
    }
  });

  it('answers access_denied when the user cancels', async () => {
    const form = new URLSearchParams(new URL(authorizeUrl()).searchParams);
    form.set('action', 'cancel');
    const res = await sandbox.fetch(AUTHORIZE, { method: 'POST', body: form, redirect: 'manual' });
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });
});

describe('token', () => {
  it('redeems a code with the right verifier (PKCE S256), once', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await entraAuthorizationCode(sandbox, { user: 'ada', challenge });
    const first = await entraToken(sandbox, { grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI, code_verifier: verifier });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', scope: `${ADO_RESOURCE}/user_impersonation`, expires_in: 3599 });
    expect(first.body.refresh_token).toEqual(expect.any(String));
    const claims = JSON.parse(Buffer.from(String(first.body.access_token).split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ aud: ADO_RESOURCE, upn: 'ada@fabrikam.test', name: 'Ada Lovelace' });
    const res = await sandbox.fetch(PROJECTS, { headers: { authorization: `Bearer ${String(first.body.access_token)}` } });
    expect(res.status).toBe(200);

    const replay = await entraToken(sandbox, { grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI, code_verifier: verifier });
    expect(replay.status).toBe(400);
    expectEntraError(replay.body, 'invalid_grant', 54005);
  });

  it('refuses a wrong verifier and a wrong redirect URI', async () => {
    const { challenge } = pkcePair();
    const code = await entraAuthorizationCode(sandbox, { user: 'ada', challenge });
    const wrong = await entraToken(sandbox, { grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI, code_verifier: pkcePair().verifier });
    expect(wrong.status).toBe(400);
    expectEntraError(wrong.body, 'invalid_grant', 501481);
    const otherRedirect = await entraToken(sandbox, { grant_type: 'authorization_code', code, redirect_uri: 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/other', code_verifier: pkcePair().verifier });
    expectEntraError(otherRedirect.body, 'invalid_grant', 500112);
    const missing = await entraToken(sandbox, { grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI });
    expectEntraError(missing.body, 'invalid_request', 900144);
  });

  it('refreshes, and refuses unknown refresh tokens and grant types', async () => {
    const { refreshToken } = await entraSignIn(sandbox, 'grace');
    const refreshed = await entraToken(sandbox, { grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(refreshToken);
    const me = await sandbox.fetch('https://app.vssps.visualstudio.com/_apis/profile/profiles/me?api-version=7.1', {
      headers: { authorization: `Bearer ${String(refreshed.body.access_token)}` },
    });
    expect(((await me.json()) as { displayName: string }).displayName).toBe('Grace Hopper');
    expectEntraError((await entraToken(sandbox, { grant_type: 'refresh_token', refresh_token: 'nope' })).body, 'invalid_grant', 9002313);
    expectEntraError((await entraToken(sandbox, { grant_type: 'password' })).body, 'unsupported_grant_type', 70003);
  });

  it('lets tests shorten lifetimes: expired access and refresh tokens stop working', async () => {
    await sandbox.fetch('https://dev.azure.com/_sandbox/entra/lifetimes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessTokenSeconds: 1, refreshTokenSeconds: 1 }),
    });
    const { accessToken, refreshToken } = await entraSignIn(sandbox, 'ada');
    const fresh = await sandbox.fetch(PROJECTS, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(fresh.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await sandbox.fetch(PROJECTS, { headers: { authorization: `Bearer ${accessToken}`, 'X-TFS-FedAuthRedirect': 'Suppress' } });
    expect(expired.status).toBe(401);
    const refresh = await entraToken(sandbox, { grant_type: 'refresh_token', refresh_token: refreshToken });
    expectEntraError(refresh.body, 'invalid_grant', 700084);
  });

  it('refuses personal Microsoft accounts for Azure DevOps', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await entraAuthorizationCode(sandbox, { user: 'morgan', challenge });
    const res = await entraToken(sandbox, { grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI, code_verifier: verifier });
    expect(res.status).toBe(400);
    expectEntraError(res.body, 'invalid_request', 500200);
    expect(String(res.body.error_description)).toContain('is a personal Microsoft account');
  });

  it('signs in silently once a session exists', async () => {
    const { challenge } = pkcePair();
    const form = new URLSearchParams(new URL(authorizeUrl({ code_challenge: challenge })).searchParams);
    form.set('user', 'ada');
    form.set('action', 'signin');
    const first = await sandbox.fetch(AUTHORIZE, { method: 'POST', body: form, redirect: 'manual' });
    const cookie = first.headers.getSetCookie()[0]!.split(';')[0]!;
    const silent = await sandbox.fetch(authorizeUrl({ prompt: 'none' }), { headers: { cookie }, redirect: 'manual' });
    expect(silent.status).toBe(302);
    expect(new URL(silent.headers.get('location')!).searchParams.get('code')).toBeTruthy();
  });
});
