import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import { cacheKey, fromCacheEntry, listStore, type ListStore } from '../shared/list-cache';
import type { Listing, ReplyError, RepoSummary } from '../shared/messages';
import { toReplyError } from '../shared/ui/error-note';
import { indexRepos, type RepoEntry } from './repo-search';

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
  /** Fetch again from Azure DevOps (after creating a repository, or on request). */
  refresh: () => void;
}

let lists: ListStore | undefined;

/** The worker's cached list, read from the extension's IndexedDB directly (no secrets live there). */
export async function cachedRepos(profileId: string): Promise<Listing<RepoSummary> | undefined> {
  try {
    const key = cacheKey(profileId, 'repos');
    return fromCacheEntry<RepoSummary>('repos', (await (lists ??= listStore()).get([key]))[key], profileId, Date.now());
  } catch {
    return undefined;
  }
}

/**
 * The organization's repositories: the cached list at once, then a fresh one behind it. `early` is
 * the cached list when the page already started reading it.
 */
export function useRepos(profileId: string, early?: Promise<Listing<RepoSummary> | undefined>): ReposState {
  const [listing, setListing] = useState<Listing<RepoSummary>>();
  const [error, setError] = useState<ReplyError>();
  const [refreshError, setRefreshError] = useState<ReplyError>();
  const [refreshing, setRefreshing] = useState(false);
  const [wanted, setWanted] = useState(0);

  // A layout effect: the list is asked for before the first paint, not a frame after it.
  useLayoutEffect(() => {
    let live = true;
    const forced = wanted > 0;
    void (async () => {
      let shown: Listing<RepoSummary> | undefined;
      try {
        if (!forced) {
          shown = (await (early ?? cachedRepos(profileId))) ?? (await ask({ type: 'repos.list', profileId }));
          if (!live) return;
          setListing(shown);
          setError(undefined);
          if (Date.now() - shown.fetchedAt < RECENT_MS) return;
        }
        setRefreshing(true);
        const fresh = await ask({ type: 'repos.list', profileId, refresh: true });
        if (!live) return;
        setListing(fresh);
        setError(undefined);
        setRefreshError(undefined);
      } catch (e) {
        if (!live) return;
        if (shown || forced) setRefreshError(toReplyError(e));
        else setError(toReplyError(e));
      } finally {
        if (live) setRefreshing(false);
      }
    })();
    return () => {
      live = false;
    };
  }, [profileId, wanted]);

  const index = useMemo(() => {
    let built: RepoEntry[] | undefined;
    return () => (built ??= listing ? indexRepos(listing.items) : []);
  }, [listing]);
  // Built while nothing else happens, once the list is on screen: the first keystroke finds it ready.
  useEffect(() => {
    if (!listing) return;
    const idle = requestIdleCallback(() => index());
    return () => cancelIdleCallback(idle);
  }, [index]);

  return { listing, index, error, refreshError, refreshing, refresh: () => setWanted((n) => n + 1) };
}
