import { createAdoClient, type AdoClient, type Wait } from '../shared/ado/client';
import { basicAuthHeader } from '../shared/ado/auth-header';
import { orgBaseUrl, type Profile } from '../shared/profile';
import { needsRefresh, refresh, type OAuthConfig } from './oauth';
import type { ProfileStore, Secret } from './profile-store';

export interface ConnectionDeps {
  store: ProfileStore;
  oauthConfig: () => Promise<OAuthConfig>;
  fetch: typeof fetch;
  now: () => number;
  /** The asker's: told when a request waits before its next attempt. */
  onWait?: ((wait: Wait | undefined) => void) | undefined;
  /** The asker's: aborted when it stops waiting, which stops the client's requests. */
  signal?: AbortSignal | undefined;
}

/**
 * A handler's client for `profile`, made from the worker's own connection deps; a request asked
 * through a port passes its asker's `onWait`, so that its waits are told, and its `stopped`.
 */
export const clientOf = (deps: Omit<ConnectionDeps, 'onWait' | 'signal'>, profile: Profile, ctx?: { onWait?: ConnectionDeps['onWait']; stopped?: AbortSignal | undefined }): AdoClient =>
  clientFor(profile, { store: deps.store, fetch: deps.fetch, now: deps.now, oauthConfig: deps.oauthConfig, onWait: ctx?.onWait, signal: ctx?.stopped });

/** Thrown when a profile has lost its credential (removed, or a refresh token that expired). */
export class SignedOutError extends Error {
  constructor(readonly profile: Profile) {
    super(`“${profile.name}” is signed out. Sign in again in Options (a token goes in Profiles › Edit).`);
    this.name = 'SignedOutError';
  }
}

/**
 * A client for one profile. The credential is read from storage for every attempt and OAuth tokens
 * are refreshed before they lapse and once after a 401; one refresh at a time per profile.
 */
export function clientFor(profile: Profile, deps: ConnectionDeps): AdoClient {
  let refreshing: Promise<boolean> | undefined;

  const doRefresh = (force: boolean): Promise<boolean> =>
    (refreshing ??= (async () => {
      try {
        const secret = await deps.store.secret(profile.id);
        if (secret?.kind !== 'oauth' || !secret.refreshToken) return false;
        if (!force && !needsRefresh(secret, deps.now())) return true;
        const tokens = await refresh(await deps.oauthConfig(), deps, secret.refreshToken);
        const next: Secret = { kind: 'oauth', ...tokens };
        await deps.store.setSecret(profile.id, next);
        return true;
      } catch {
        return false;
      } finally {
        refreshing = undefined;
      }
    })());

  return createAdoClient({
    orgBaseUrl: orgBaseUrl(profile),
    apiVersion: profile.apiVersion,
    fetch: deps.fetch,
    now: deps.now,
    ...(deps.onWait ? { onWait: deps.onWait } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    async auth() {
      let secret = await deps.store.secret(profile.id);
      if (secret?.kind === 'oauth' && needsRefresh(secret, deps.now())) {
        await doRefresh(false);
        secret = await deps.store.secret(profile.id);
      }
      if (!secret) throw new SignedOutError(profile);
      return secret.kind === 'pat' ? basicAuthHeader(secret.pat) : { scheme: 'Bearer', value: secret.accessToken };
    },
    onUnauthorized: () => (profile.auth === 'oauth' ? doRefresh(true) : Promise.resolve(false)),
  });
}
