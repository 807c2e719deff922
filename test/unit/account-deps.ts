import type { AccountDeps } from '../../src/background/accounts';
import { createProfileStore, memoryKeyValue, type KeyValue } from '../../src/background/profile-store';

/**
 * What adding an account needs, for tests: `fetch` answers for Entra and Azure DevOps, storage in
 * memory, and a Microsoft sign-in window that comes back at once with a code.
 */
export function accountDeps(fetch: typeof globalThis.fetch, storage: { local?: KeyValue; session?: KeyValue } = {}): AccountDeps {
  let ids = 0;
  return {
    store: createProfileStore(storage.local ?? memoryKeyValue()),
    session: storage.session ?? memoryKeyValue(),
    fetch,
    now: () => 1_000,
    newId: () => `id${++ids}`,
    oauthConfig: async () => ({ clientId: 'client-1', tenant: 'organizations', authority: 'https://login.microsoftonline.com' }),
    oauth: {
      redirectUrl: 'https://abc.chromiumapp.org/',
      launchWebAuthFlow: async ({ url }) => {
        const asked = new URL(url).searchParams;
        return `${asked.get('redirect_uri')}?${new URLSearchParams({ code: 'code-1', state: asked.get('state') ?? '' })}`;
      },
    },
  };
}
