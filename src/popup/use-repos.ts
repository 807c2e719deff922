import { useEffect, useMemo, useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import { cacheKey, fromCacheEntry, type CacheEntry } from '../shared/list-cache';
import type { Listing, ReplyError, RepoSummary } from '../shared/messages';
import { toReplyError } from '../shared/ui/error-note';
import { indexRepos, type RepoEntry } from './repo-search';

/** A list this recent is not fetched again right after drawing it. */
const RECENT_MS = 10_000;

export interface ReposState {
  listing?: Listing<RepoSummary>;
  index: RepoEntry[];
  /** Nothing to show: the first load failed. */
  error?: ReplyError;
  /** A cached list is shown, but refreshing it failed. */
  refreshError?: ReplyError;
  refreshing: boolean;
  /** Fetch again from Azure DevOps (after creating a repository, or on request). */
  refresh: () => void;
}

/** The worker's cached list, read from extension storage directly (no secrets live there). */
async function cachedRepos(profileId: string): Promise<Listing<RepoSummary> | undefined> {
  try {
    const key = cacheKey(profileId, 'repos');
    const storage = ((globalThis as { browser?: typeof chrome }).browser ?? chrome).storage.local;
    return fromCacheEntry<RepoSummary>((await storage.get(key))[key] as CacheEntry | undefined, profileId, Date.now());
  } catch {
    return undefined;
  }
}

/** The organization's repositories: the cached list at once, then a fresh one behind it. */
export function useRepos(profileId: string): ReposState {
  const [listing, setListing] = useState<Listing<RepoSummary>>();
  const [error, setError] = useState<ReplyError>();
  const [refreshError, setRefreshError] = useState<ReplyError>();
  const [refreshing, setRefreshing] = useState(false);
  const [wanted, setWanted] = useState(0);

  useEffect(() => {
    let live = true;
    const forced = wanted > 0;
    void (async () => {
      let shown: Listing<RepoSummary> | undefined;
      try {
        if (!forced) {
          shown = (await cachedRepos(profileId)) ?? (await ask({ type: 'repos.list', profileId }));
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

  const index = useMemo(() => (listing ? indexRepos(listing.items) : []), [listing]);
  return { listing, index, error, refreshError, refreshing, refresh: () => setWanted((n) => n + 1) };
}
