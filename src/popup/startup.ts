import { ask } from '../shared/ask';
import type { Listing, ProfilesAnswer, RepoSummary } from '../shared/messages';
import { cachedRepos } from './use-repos';

/**
 * What the popup needs before it can draw anything, asked for as the page starts rather than once
 * each part has drawn and asked in turn: the profiles, and the cached repository list of the
 * profile the popup showed last time (nearly always the active one; if not, it is read again).
 */
export interface Startup {
  profiles: Promise<ProfilesAnswer>;
  /** The list read at startup, if it was this profile's; once only, so a later visit reads it afresh. */
  takeCachedRepos(profileId: string): Promise<Listing<RepoSummary> | undefined> | undefined;
}

const LAST_PROFILE = 'popup.profile';

export function startLoading(): Startup {
  const profiles = ask({ type: 'profiles.list' });
  const last = localStorage.getItem(LAST_PROFILE);
  let early = last ? cachedRepos(last) : undefined;
  return {
    profiles,
    takeCachedRepos(profileId) {
      const taken = profileId === last ? early : undefined;
      early = undefined;
      return taken;
    },
  };
}

export function rememberProfile(profileId: string): void {
  localStorage.setItem(LAST_PROFILE, profileId);
}
