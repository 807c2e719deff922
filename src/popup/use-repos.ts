import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ListStore } from '../shared/list-cache';
import type { Listing, ReplyError, RepoSummary } from '../shared/messages';
import type { Profile } from '../shared/profile';
import { CACHED_LIST } from '../shared/storage-keys';
import { toReplyError } from '../shared/ui/error-note';
import type { RepoEntry } from './repo-search';
import { loadedSearch, loadSearch } from './search-loader';
import { askTellingWaits, type Wait } from '../shared/waiting';

/** A list this recent is not fetched again right after drawing it. */
const RECENT_MS = 10_000;

export interface ReposState {
  /** The repositories in the order they are listed (by project, then name). */
  listing?: Listing<RepoSummary>;
  /** The search index of `listing`, built on first use (the list draws without it). */
  index: () => RepoEntry[];
  /** Nothing to show: the first load failed. */
  error?: ReplyError;
  /** A cached list is shown, but refreshing it failed. */
  refreshError?: ReplyError;
  refreshing: boolean;
  /** Why the list is slow: the background waits to try again. */
  wait?: Wait | undefined;
  /** Fetch again from Azure DevOps (after creating a repository, or on request). */
  refresh: () => void;
}

let lists: ListStore | undefined;

/** The worker's cached list, read from the extension's IndexedDB directly (no secrets live there). */
export async function cachedRepos(profileId: string): Promise<Listing<RepoSummary> | undefined> {
  try {
    // Its code loads with the first read, after the first frame: the snapshot draws without it.
    const { fromCacheEntry, listStore } = await import('../shared/list-cache');
    const key = CACHED_LIST.key(profileId, 'repos');
    return fromCacheEntry<RepoSummary>('repos', (await (lists ??= listStore()).get([key]))[key], profileId, Date.now());
  } catch {
    return undefined;
  }
}

/** The search index of a list, built once whoever asks first (the tab, or idle time); none before the search code is loaded. */
const indexes = new WeakMap<Listing<RepoSummary>, RepoEntry[]>();
function indexOf(listing: Listing<RepoSummary>): RepoEntry[] {
  let index = indexes.get(listing);
  const search = loadedSearch();
  if (!index && search) indexes.set(listing, (index = search.indexRepos(listing.items)));
  return index ?? [];
}

/** Which organization (or on-premises collection) a profile works in. */
const orgKey = (p: Profile) => (p.host.kind === 'cloud' ? `cloud:${p.organization}` : `onprem:${p.host.collectionUrl.replace(/\/+$/, '')}`).toLowerCase();

/**
 * The profiles whose organizations the popup lists: one per organization (two profiles of one
 * organization list the same repositories), the active profile first and for its own organization,
 * then the others in the switcher's order.
 */
export function listedProfiles(profiles: readonly Profile[], activeId: string): Profile[] {
  const active = profiles.find((p) => p.id === activeId);
  const seen = new Set<string>();
  const listed: Profile[] = [];
  for (const p of active ? [active, ...profiles] : profiles) {
    if (seen.has(orgKey(p))) continue;
    seen.add(orgKey(p));
    listed.push(p);
  }
  return listed;
}

/** One organization's list as the popup shows it. */
export interface OrgRepos {
  profile: Profile;
  repos: ReposState;
}

interface Loaded {
  listing?: Listing<RepoSummary>;
  error?: ReplyError;
  refreshError?: ReplyError;
  refreshing: boolean;
  wait?: Wait | undefined;
}

/**
 * Every listed profile's repositories: each cached list at once (`early` hands over the ones the
 * page started reading as it loaded), then a fresh one behind each that is not recent. Each list
 * loads, fails and refreshes on its own.
 */
export function useOrgRepos(profiles: readonly Profile[], early?: (profileId: string) => Promise<Listing<RepoSummary> | undefined> | undefined): OrgRepos[] {
  const [loaded, setLoaded] = useState<Record<string, Loaded>>({});
  // The search code loads after the first frame (an effect runs after the paint); its arrival draws the tabs again.
  const [searchReady, setSearchReady] = useState(() => !!loadedSearch());
  const alive = useRef(true);
  useEffect(() => {
    if (!searchReady) void loadSearch().then(() => alive.current && setSearchReady(true));
    return () => {
      alive.current = false;
    };
  }, []);
  const patch = (profileId: string, change: Partial<Loaded>) => {
    if (alive.current) setLoaded((all) => ({ ...all, [profileId]: { refreshing: false, ...all[profileId], ...change } }));
  };

  const load = async (profileId: string, forced: boolean) => {
    let shown: Listing<RepoSummary> | undefined;
    const onWait = (wait: Wait | undefined) => patch(profileId, { wait });
    try {
      if (!forced) {
        shown = (await (early?.(profileId) ?? cachedRepos(profileId))) ?? (await askTellingWaits({ type: 'repos.list', profileId }, onWait));
        patch(profileId, { listing: shown, error: undefined });
        if (Date.now() - shown.fetchedAt < RECENT_MS) return;
      }
      patch(profileId, { refreshing: true });
      const fresh = await askTellingWaits({ type: 'repos.list', profileId, refresh: true }, onWait);
      patch(profileId, { listing: fresh, error: undefined, refreshError: undefined, refreshing: false });
    } catch (e) {
      patch(profileId, shown || forced ? { refreshError: toReplyError(e), refreshing: false } : { error: toReplyError(e), refreshing: false });
    }
  };

  const ids = profiles.map((p) => p.id).join('\n');
  // A layout effect: the lists are asked for before the first paint, not a frame after it.
  useLayoutEffect(() => {
    for (const p of profiles) if (!loaded[p.id]) void load(p.id, false);
  }, [ids]);

  const listings = profiles.map((p) => loaded[p.id]?.listing);
  // Built while nothing else happens, once the lists are on screen, one per idle moment: the first keystroke finds them ready.
  useEffect(() => {
    const waiting = listings.filter((l): l is Listing<RepoSummary> => !!l && !indexes.has(l));
    if (!searchReady || waiting.length === 0) return;
    let idle = 0;
    const next = () => {
      const listing = waiting.shift();
      if (!listing) return;
      indexOf(listing);
      idle = requestIdleCallback(next);
    };
    idle = requestIdleCallback(next);
    return () => cancelIdleCallback(idle);
  }, [loaded, searchReady]);

  return useMemo(
    () =>
      profiles.map((profile) => {
        const state = loaded[profile.id] ?? { refreshing: false };
        const { listing } = state;
        return { profile, repos: { ...state, index: () => (listing ? indexOf(listing) : []), refresh: () => void load(profile.id, true) } };
      }),
    [ids, loaded, searchReady],
  );
}
