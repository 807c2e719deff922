import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { needsRefresh, OAuthError, refresh, signIn, type OAuthConfig } from '../../src/background/oauth';

const config: OAuthConfig = { clientId: 'client-1', tenant: 'organizations', authority: 'https://login.microsoftonline.com' };
const redirectUrl = 'https://abc.chromiumapp.org/';

const json = (status: number, b: object) => new Response(JSON.stringify(b), { status });

/** A token endpoint that really checks PKCE against the challenge sent to authorize. */
function fakeEntra(opts: { redirectWith?: (u: URL) => Record<string, string> } = {}) {
  let challenge = '';
  const codes = new Set<string>();
  const calls: URLSearchParams[] = [];
  return {
    calls,
    async launchWebAuthFlow({ url }: { url: string }) {
      const u = new URL(url);
      expect(u.pathname).toBe('/organizations/oauth2/v2.0/authorize');
      expect(u.searchParams.get('code_challenge_method')).toBe('S256');
      challenge = u.searchParams.get('code_challenge') ?? '';
      codes.add('code-1');
      const params = opts.redirectWith?.(u) ?? { code: 'code-1', state: u.searchParams.get('state') ?? '' };
      return `${u.searchParams.get('redirect_uri')}?${new URLSearchParams(params)}`;
    },
    fetch: (async (_url: string, init: RequestInit) => {
      const body = new URLSearchParams(String(init.body));
      calls.push(body);
      if (body.get('grant_type') === 'refresh_token')
        return body.get('refresh_token') === 'rt-1'
          ? json(200, { access_token: 'at-2', refresh_token: 'rt-2', expires_in: 3600 })
          : json(400, { error: 'invalid_grant', error_description: 'AADSTS70008: expired' });
      const verifier = body.get('code_verifier') ?? '';
      const expected = createHash('sha256').update(verifier).digest('base64url');
      if (!codes.delete(body.get('code') ?? '') || expected !== challenge)
        return json(400, { error: 'invalid_grant', error_description: 'AADSTS50148: PKCE mismatch' });
      return json(200, { access_token: 'at-1', refresh_token: 'rt-1', expires_in: 3599 });
    }) as typeof fetch,
  };
}

describe('OAuth with PKCE', () => {
  it('completes the code flow with a verifier that matches the challenge', async () => {
    const entra = fakeEntra();
    const tokens = await signIn(config, { ...entra, redirectUrl, now: () => 1_000 });
    expect(tokens).toEqual({ accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: 1_000 + 3_599_000 });
    expect(entra.calls[0]?.get('redirect_uri')).toBe(redirectUrl);
  });

  it('refuses an answer whose state does not match', async () => {
    const entra = fakeEntra({ redirectWith: () => ({ code: 'code-1', state: 'forged' }) });
    await expect(signIn(config, { ...entra, redirectUrl, now: Date.now })).rejects.toMatchObject({ kind: 'stateMismatch' });
    expect(entra.calls).toHaveLength(0);
  });

  it('explains personal Microsoft accounts', async () => {
    const entra = fakeEntra({
      redirectWith: (u) => ({
        error: 'invalid_request',
        error_description: "AADSTS50020: User account 'x@outlook.com' from identity provider 'live.com' does not exist in tenant",
        state: u.searchParams.get('state') ?? '',
      }),
    });
    const err = await signIn(config, { ...entra, redirectUrl, now: Date.now }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect((err as OAuthError).kind).toBe('personalAccount');
    expect((err as OAuthError).message).toMatch(/personal access token/);
  });

  it('treats a closed window as a cancel', async () => {
    const entra = fakeEntra();
    const deps = { ...entra, launchWebAuthFlow: () => Promise.reject(new Error('The user did not approve access.')), redirectUrl, now: Date.now };
    await expect(signIn(config, deps)).rejects.toMatchObject({ kind: 'cancelled' });
  });

  it('refreshes, and reports an expired refresh token as invalidGrant', async () => {
    const entra = fakeEntra();
    expect(await refresh(config, { fetch: entra.fetch, now: () => 0 }, 'rt-1')).toEqual({ accessToken: 'at-2', refreshToken: 'rt-2', expiresAt: 3_600_000 });
    await expect(refresh(config, { fetch: entra.fetch, now: () => 0 }, 'rt-old')).rejects.toMatchObject({ kind: 'invalidGrant' });
  });

  it('asks for a refresh five minutes before expiry', () => {
    expect(needsRefresh({ accessToken: 'a', expiresAt: 10 * 60_000 }, 0)).toBe(false);
    expect(needsRefresh({ accessToken: 'a', expiresAt: 10 * 60_000 }, 6 * 60_000)).toBe(true);
  });
});
