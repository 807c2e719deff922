import { ask } from '../shared/ask';
import type { Listing, ProfilesAnswer, RepoSummary } from '../shared/messages';
import { readSnapshot, type Snapshot } from './snapshot';
import { cachedRepos } from './use-repos';

/**
 * What the popup needs before it can draw anything, asked for as the page starts rather than once
 * each part has drawn and asked in turn: the snapshot of the last list's first screen (read
 * synchronously: the first frame draws it), the profiles, and the cached repository lists of the
 * organizations the popup listed last time (nearly always the same; any other is read when asked).
 */
export interface Startup {
  snapshot: Snapshot | undefined;
  profiles: Promise<ProfilesAnswer>;
  /** The list read at startup for this profile, if any; once only, so a later visit reads it afresh. */
  takeCachedRepos(profileId: string): Promise<Listing<RepoSummary> | undefined> | undefined;
}

const LAST_PROFILE = 'popup.profile';

export function startLoading(storage: Storage = localStorage): Startup {
  const profiles = ask({ type: 'profiles.list' });
  const snapshot = readSnapshot(storage);
  const last = storage.getItem(LAST_PROFILE);
  // With a snapshot to draw, the lists are read once it is on screen: unpacking thousands of
  // repositories in between would hold back the very frame the snapshot is for.
  const drawn = snapshot ? new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve))) : Promise.resolve();
  const early = new Map<string, Promise<Listing<RepoSummary> | undefined>>();
  for (const id of snapshot ? snapshot.listed : last ? [last] : []) early.set(id, drawn.then(() => cachedRepos(id)));
  return {
    snapshot,
    profiles,
    takeCachedRepos(profileId) {
      const taken = early.get(profileId);
      early.delete(profileId);
      return taken;
    },
  };
}

export function rememberProfile(profileId: string): void {
  localStorage.setItem(LAST_PROFILE, profileId);
}
