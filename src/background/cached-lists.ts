import { isCachedListKey } from '../shared/storage-keys';
import type { KeyValue } from './profile-store';

/**
 * The worker's storage, with the cached lists (`cache:…` keys) kept in `lists` instead: the
 * extension's IndexedDB, where the popup reads them directly. Everything else stays in `kv`.
 * Handlers read and write both through one `KeyValue` and need not know where a key lives.
 */
export function withCachedListsIn(lists: KeyValue, kv: KeyValue): KeyValue {
  /** `op` on `lists` for the cached lists' keys and on `kv` for the others, each only when it has any. */
  const split = <T>(keys: string[], op: (area: KeyValue, keys: string[]) => Promise<T>): Promise<(T | undefined)[]> => {
    const cached = keys.filter(isCachedListKey);
    const other = keys.filter((k) => !isCachedListKey(k));
    return Promise.all([cached.length ? op(lists, cached) : undefined, other.length ? op(kv, other) : undefined]);
  };
  return {
    async get(keys) {
      return Object.assign({}, ...(await split(keys, (area, some) => area.get(some)))) as Record<string, unknown>;
    },
    async set(items) {
      await split(Object.keys(items), (area, some) => area.set(Object.fromEntries(some.map((k) => [k, items[k]]))));
    },
    async remove(keys) {
      await split(keys, (area, some) => area.remove(some));
    },
  };
}
