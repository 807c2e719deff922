import { ask } from '../shared/ask';
import type { Listing, ProfilesAnswer, RepoSummary } from '../shared/messages';
import { POPUP_PROFILE } from '../shared/storage-keys';
import { pruneSnapshot } from './prune-snapshot';
import type { Snapshot } from './snapshot';
import { cachedRepos } from './use-repos';

/**
 * What the popup needs before it can draw anything, asked for as the app starts rather than once
 * each part has drawn and asked in turn: the snapshot of the last list's first screen (already on
 * screen: first-frame.ts), the profiles, and the cached repository lists of the organizations the
 * popup listed last time (nearly always the same; any other is read when asked).
 */
export interface Startup {
  snapshot: Snapshot | undefined;
  /** What was typed into the first frame's search field before the app took it over. */
  typed: string;
  profiles: Promise<ProfilesAnswer>;
  /** The list read at startup for this profile, if any; once only, so a later visit reads it afresh. */
  takeCachedRepos(profileId: string): Promise<Listing<RepoSummary> | undefined> | undefined;
}

export function startLoading(snapshot: Snapshot | undefined, typed = '', storage: Storage = localStorage): Startup {
  const profiles = ask({ type: 'profiles.list' });
  // Only Options forgets a profile's entries as it removes it: one removed any other way would still
  // be in the next popup's first frame.
  if (snapshot) profiles.then((answer) => pruneSnapshot(storage, snapshot, answer.profiles.map((p) => p.id)), () => undefined);
  const last = storage.getItem(POPUP_PROFILE.key);
  const early = new Map<string, Promise<Listing<RepoSummary> | undefined>>();
  for (const id of snapshot ? snapshot.listed.map((l) => l.id) : last ? [last] : []) early.set(id, cachedRepos(id));
  return {
    snapshot,
    typed,
    profiles,
    takeCachedRepos(profileId) {
      const taken = early.get(profileId);
      early.delete(profileId);
      return taken;
    },
  };
}

export function rememberProfile(profileId: string): void {
  localStorage.setItem(POPUP_PROFILE.key, profileId);
}
