import { afterEach, describe, expect, it, vi } from 'vitest';
import { addPatProfile, finishOAuth, forgetSignIn, startOAuth } from '../../src/background/accounts';
import { memoryKeyValue } from '../../src/background/profile-store';
import { accountDeps } from './account-deps';
import { PROFILE_SECRET } from '../../src/shared/storage-keys';

/**
 * A new token or sign-in for an account that already has a profile: an expired token is replaced
 * in place (settings and reviewer groups keep the profile's id), never by another user's token.
 */
const json = (body: object) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

/** Tokens and whose they are: `ada-*` are Ada's, `grace-*` Grace's; anything else is refused. */
const USERS: Record<string, { id: string; name: string }> = { ada: { id: 'u-ada', name: 'Ada Lovelace' }, grace: { id: 'u-grace', name: 'Grace Hopper' } };
const userOf = (authorization: string | null) => {
  const [scheme, value = ''] = (authorization ?? '').split(' ');
  const token = scheme === 'Basic' ? atob(value).split(':')[1]! : value;
  return USERS[token.split('-')[0]!];
};

function rig() {
  const local = memoryKeyValue();
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const user = userOf(new Headers(init?.headers).get('authorization'));
    if (url.pathname.endsWith('/oauth2/v2.0/token')) return json({ access_token: 'ada-access', refresh_token: 'ada-refresh', expires_in: 3600 });
    if (!user) return new Response('', { status: 401 });
    if (url.pathname.endsWith('/_apis/profile/profiles/me')) return json({ id: user.id, displayName: user.name, emailAddress: 'ada@fabrikam.test' });
    if (url.pathname.endsWith('/_apis/accounts')) return json({ count: 1, value: [{ accountId: 'a1', accountName: 'fabrikam' }] });
    if (url.pathname.endsWith('/_apis/connectionData')) return json({ authenticatedUser: { id: user.id, providerDisplayName: user.name }, instanceId: 'i1' });
    throw new Error(`unexpected ${url}`);
  }) as typeof globalThis.fetch;
  const deps = accountDeps(fetch, { local });
  return { deps, store: deps.store, local };
}

describe('a new token for a profile', () => {
  it('replaces the token of the profile it is meant for, which keeps its id and settings', async () => {
    const { deps, store } = rig();
    const { profile: first } = await addPatProfile({ organization: 'fabrikam', pat: 'ada-old' }, deps);
    await store.save({ ...first, name: 'Work', layout: '{repo}', protocol: 'ssh' });

    const answer = await addPatProfile({ organization: 'fabrikam', pat: 'ada-new', profileId: first.id }, deps);

    expect(answer.replaced).toBe(true);
    expect(answer.profile).toMatchObject({ id: first.id, name: 'Work', layout: '{repo}', protocol: 'ssh' });
    expect(await store.list()).toHaveLength(1);
    expect(await store.secret(first.id)).toEqual({ kind: 'pat', pat: 'ada-new' });
  });

  it('refuses another user’s token for it, and changes nothing', async () => {
    const { deps, store } = rig();
    const { profile: first } = await addPatProfile({ organization: 'fabrikam', pat: 'ada-old' }, deps);

    await expect(addPatProfile({ organization: 'fabrikam', pat: 'grace-1', profileId: first.id }, deps)).rejects.toThrow(
      /This token is Grace Hopper’s for https:\/\/dev\.azure\.com\/fabrikam, not Ada Lovelace’s .*Nothing was changed/,
    );
    expect(await store.secret(first.id)).toEqual({ kind: 'pat', pat: 'ada-old' });
    expect(await store.list()).toHaveLength(1);
  });

  it('refuses a token for another organization, and a profile that is gone', async () => {
    const { deps, store } = rig();
    const { profile: first } = await addPatProfile({ organization: 'fabrikam', pat: 'ada-old' }, deps);
    await expect(addPatProfile({ organization: 'contoso', pat: 'ada-1', profileId: first.id }, deps)).rejects.toThrow(/not Ada Lovelace’s for https:\/\/dev\.azure\.com\/fabrikam/);
    await expect(addPatProfile({ organization: 'fabrikam', pat: 'ada-1', profileId: 'gone' }, deps)).rejects.toThrow(/no longer exists/);
    expect(await store.secret(first.id)).toEqual({ kind: 'pat', pat: 'ada-old' });
  });

  it('without one named, is a profile of its own even for the same user (it may be scoped differently on purpose)', async () => {
    const { deps, store } = rig();
    await addPatProfile({ organization: 'fabrikam', pat: 'ada-full' }, deps);
    const second = await addPatProfile({ organization: 'fabrikam', pat: 'ada-read' }, deps);
    expect(second.replaced).toBe(false);
    expect(await store.list()).toHaveLength(2);
  });

  it('that Azure DevOps refuses leaves the profile as it was', async () => {
    const { deps, store } = rig();
    const { profile: first } = await addPatProfile({ organization: 'fabrikam', pat: 'ada-old' }, deps);
    await expect(addPatProfile({ organization: 'fabrikam', pat: 'nobody-1', profileId: first.id }, deps)).rejects.toThrow();
    expect(await store.secret(first.id)).toEqual({ kind: 'pat', pat: 'ada-old' });
  });
});

describe('signing in with Microsoft again', () => {
  it('renews the same user’s profile for that organization instead of adding a second one', async () => {
    const { deps, store, local } = rig();
    const started = await startOAuth(deps);
    const { profile: first, replaced } = await finishOAuth(started.pending, 'fabrikam', deps);
    expect(replaced).toBe(false);
    await store.save({ ...first, cloneRoot: '/home/ada/work' });
    // Signed out: its refresh token expired and was dropped.
    await local.remove([PROFILE_SECRET.key(first.id)]);

    const again = await finishOAuth((await startOAuth(deps)).pending, 'fabrikam', deps);

    expect(again).toMatchObject({ replaced: true, profile: { id: first.id, cloneRoot: '/home/ada/work' } });
    expect(await store.list()).toHaveLength(1);
    expect(await store.secret(first.id)).toMatchObject({ kind: 'oauth', accessToken: 'ada-access' });
  });
});

describe('a sign-in left at the organization choice', () => {
  it('keeps its tokens no longer once forgotten: finishing it then says it has expired', async () => {
    const session = memoryKeyValue();
    const { deps } = rig();
    const left = { ...deps, session };
    const { pending } = await startOAuth(left);
    expect(JSON.stringify([...session.data])).toContain('ada-refresh');
    await forgetSignIn(pending, left);
    expect(session.data.size).toBe(0);
    await expect(finishOAuth(pending, 'fabrikam', left)).rejects.toThrow('That sign-in has expired. Sign in again.');
  });
});

describe('an organization chosen long after signing in with Microsoft', () => {
  it('renews the lapsed access token with the refresh token, and saves the renewed ones', async () => {
    const { deps, store } = rig();
    let now = 1_000;
    const late = { ...deps, now: () => now };
    const started = await startOAuth(late);
    // Two hours on: the first access token (an hour) has lapsed; Azure DevOps refuses it.
    now += 2 * 3_600_000;
    const refused = new Set(['ada-access']);
    let renewals = 0;
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input));
      if (url.pathname.endsWith('/oauth2/v2.0/token')) {
        renewals++;
        return json({ access_token: 'ada-renewed', refresh_token: 'ada-refresh-2', expires_in: 3600 });
      }
      const token = new Headers(init?.headers).get('authorization')?.split(' ')[1] ?? '';
      if (refused.has(token)) return new Response('', { status: 401 });
      return deps.fetch(input, init);
    }) as typeof globalThis.fetch;
    const { profile } = await finishOAuth(started.pending, 'fabrikam', { ...late, fetch });
    expect(renewals).toBe(1);
    expect(await store.secret(profile.id)).toMatchObject({ kind: 'oauth', accessToken: 'ada-renewed', refreshToken: 'ada-refresh-2' });
  });
});

describe('the first contact with a server', () => {
  afterEach(() => vi.useRealTimers());
  const collectionUrl = 'https://tfs.fabrikam.test/tfs/DefaultCollection';

  it('gives up once when the server does not answer, without trying again, and says it did not answer', async () => {
    vi.useFakeTimers();
    let asked = 0;
    const silent = ((_input: RequestInfo | URL, init?: RequestInit) => {
      asked++;
      return new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    }) as typeof fetch;
    const deps = accountDeps(silent);
    const adding = addPatProfile({ collectionUrl, organization: 'DefaultCollection', pat: 'ada-1' }, deps).then(
      () => undefined,
      (e: unknown) => e as { kind: string; userMessage: string },
    );
    await vi.advanceTimersByTimeAsync(30_000);
    const e = await adding;
    expect(asked).toBe(1);
    expect(e?.kind).toBe('network');
    expect(e?.userMessage).toBe(
      `tfs.fabrikam.test did not answer within 30 s when asked who you are signed in as. The server may be busy or stuck: try again in a few minutes, or ask its administrator. If the collection URL ${collectionUrl} is not your server's, correct it.`,
    );
    expect(await deps.store.list()).toEqual([]);
  });

  it('says a token the server refuses may be mistyped, expired or from dev.azure.com, and to make one on the server', async () => {
    // The server's answer to a token it does not know (edgafner/dorkag#331): its error page, the message in a header.
    const page = (async () =>
      new Response('<!DOCTYPE html><html><head><title>TF400813: Resource not available for anonymous access. Client authentication required. - Azure DevOps Server</title></head></html>', {
        status: 401,
        headers: { 'content-type': 'text/html; charset=utf-8', 'x-tfs-serviceerror': 'TF400813%3A%20Resource%20not%20available%20for%20anonymous%20access.%20Client%20authentication%20required.' },
      })) as typeof fetch;
    const deps = accountDeps(page);
    await expect(addPatProfile({ collectionUrl, organization: 'DefaultCollection', pat: 'ada-1' }, deps)).rejects.toMatchObject({
      kind: 'unauthorized',
      userMessage:
        'tfs.fabrikam.test did not accept this token: it may be mistyped, expired or revoked, or made somewhere else (a token from dev.azure.com does not open an Azure DevOps Server). Create a token on this server (User settings › Personal access tokens), and paste it here.',
    });
    expect(await deps.store.list()).toEqual([]);
  });

  it('says an http:// address that the server sends on (as to https://) is the address to change, not the token', async () => {
    // What a browser's manual redirect gives a page: no status, no Location.
    const sentOn = (async () => Object.defineProperties(new Response(null), { type: { value: 'opaqueredirect' }, status: { value: 0 }, ok: { value: false } })) as typeof fetch;
    const deps = accountDeps(sentOn);
    await expect(addPatProfile({ collectionUrl: 'http://tfs.fabrikam.test:80/tfs/DefaultCollection', organization: 'DefaultCollection', pat: 'ada-1' }, deps)).rejects.toMatchObject({
      kind: 'notFound',
      userMessage: expect.stringMatching(/instead of answering it, as a server that takes only https:\/\/ does\. Try the address https:\/\/tfs\.fabrikam\.test\/tfs\/DefaultCollection\.$/),
    });
    expect(await deps.store.list()).toEqual([]);
  });

  it('still tries a refused connection again, which may be a moment’s trouble', async () => {
    let asked = 0;
    const refused = (async () => {
      asked++;
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(addPatProfile({ organization: 'fabrikam', pat: 'ada-1' }, accountDeps(refused))).rejects.toMatchObject({
      kind: 'network',
      userMessage: 'Could not reach Azure DevOps at dev.azure.com to read who you are signed in as. Check your internet connection (or VPN) and try again.',
    });
    expect(asked).toBe(3);
  });

  it('saves nothing once cancelled, even when the answer was on its way', async () => {
    const { deps } = rig();
    const cancel = new AbortController();
    const answering = deps.fetch;
    deps.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const res = await answering(input, init);
      cancel.abort();
      return res;
    }) as typeof fetch;
    await expect(addPatProfile({ organization: 'fabrikam', pat: 'ada-1' }, deps, cancel.signal)).rejects.toMatchObject({ kind: 'cancelled' });
    expect(await deps.store.list()).toEqual([]);
  });
});
