import type { CacheEntry } from '../shared/list-cache';
import type { KeyValue } from './profile-store';

/**
 * Keeps the cached lists in memory while the worker lives, so opening the popup again does not
 * read a large list from storage each time. Writes through it update the memory; writes from
 * elsewhere (another worker instance, a test, the user clearing data) arrive as storage changes
 * and drop the copy unless it is the very entry written here (same `fetchedAt`).
 */
export function memoizeCaches(kv: KeyValue, isCached: (key: string) => boolean) {
  const memory = new Map<string, CacheEntry>();
  return {
    async get(keys: string[]) {
      const hits = Object.fromEntries(keys.filter((k) => memory.has(k)).map((k) => [k, memory.get(k)]));
      const misses = keys.filter((k) => !memory.has(k));
      const read = misses.length ? await kv.get(misses) : {};
      for (const [k, v] of Object.entries(read)) if (isCached(k)) memory.set(k, v as CacheEntry);
      return { ...read, ...hits };
    },
    async set(items: Record<string, unknown>) {
      await kv.set(items);
      for (const [k, v] of Object.entries(items)) if (isCached(k)) memory.set(k, v as CacheEntry);
    },
    async remove(keys: string[]) {
      await kv.remove(keys);
      for (const k of keys) memory.delete(k);
    },
    /** For storage.onChanged: forget what changed, unless it is what this worker wrote. */
    changed(key: string, newValue: unknown) {
      const mine = memory.get(key);
      if (!mine || (newValue as CacheEntry | undefined)?.fetchedAt !== mine.fetchedAt) memory.delete(key);
    },
  } satisfies KeyValue & { changed(key: string, newValue: unknown): void };
}
