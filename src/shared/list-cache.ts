import type { Listing } from './messages';

/**
 * The background's cached lists in extension storage. Stored as one JSON string: storage copies one
 * string far faster than thousands of small objects. The popup reads the repository list straight
 * from here, so a large organization's list draws without a round trip through the worker.
 */
export type CachedKind = 'projects' | 'repos';

export interface CacheEntry {
  json: string;
  fetchedAt: number;
}

/** A list older than this is drawn, then refreshed. */
export const FRESH_MS = 5 * 60_000;

export const cacheKey = (profileId: string, kind: CachedKind) => `cache:${profileId}:${kind}`;
export const isCacheKey = (key: string) => key.startsWith('cache:');

export function fromCacheEntry<T>(entry: CacheEntry | undefined, profileId: string, now: number): Listing<T> | undefined {
  if (!entry?.json) return undefined;
  return { items: JSON.parse(entry.json) as T[], fetchedAt: entry.fetchedAt, profileId, stale: now - entry.fetchedAt > FRESH_MS };
}
