import { idbKeyValue } from '../shared/idb-store';
import { isCachedListKey, MOVED_FROM_STORAGE_LOCAL, PROFILE_SECRET } from '../shared/storage-keys';
import type { KeyValue } from './profile-store';

/** `browser.storage.local`, where earlier versions kept everything: read whole once, then emptied. */
export interface StorageLocal {
  get(keys: null): Promise<Record<string, unknown>>;
  clear(): Promise<void>;
}

/**
 * What the worker keeps (profiles, settings, reviewer groups, …), in the extension's IndexedDB
 * database `worker`: as with `secrets`, no content script can open it, whereas in Firefox a content
 * script can rewrite `storage.local` (a profile's clone root, say). `changed` hears the keys of each
 * write once it is done, as `storage.onChanged` did.
 */
export function workerStore(old: StorageLocal, secrets: KeyValue, changed: (keys: string[]) => void, kv: KeyValue = idbKeyValue('worker', 'worker')): KeyValue {
  let moved: Promise<void> | undefined;
  const ready = () =>
    (moved ??= moveFrom(old, kv, secrets).catch((e: unknown) => {
      moved = undefined;
      throw e;
    }));
  return {
    async get(keys) {
      await ready();
      return kv.get(keys);
    },
    async set(items) {
      await ready();
      await kv.set(items);
      changed(Object.keys(items));
    },
    async remove(keys) {
      await ready();
      await kv.remove(keys);
      changed(keys);
    },
  };
}

const isToken = ([k]: [string, unknown]) => k.startsWith(PROFILE_SECRET.key(''));

/**
 * Moves what an earlier version left in storage.local: tokens to `secrets`, the cached lists nowhere
 * (they are fetched again), the rest to `kv` in one transaction with the mark that the move is done,
 * and only then empties storage.local. A move cut short is made again whole. Once marked,
 * storage.local is never read again (what is there then is a content script's, or a move's that
 * stopped before emptying it), only emptied.
 */
async function moveFrom(old: StorageLocal, kv: KeyValue, secrets: KeyValue): Promise<void> {
  if ((await kv.get([MOVED_FROM_STORAGE_LOCAL.key]))[MOVED_FROM_STORAGE_LOCAL.key] !== undefined) {
    // Every worker start pays this: the first answer (the popup's profiles, say) does not wait for it.
    old.clear().catch(() => undefined);
    return;
  }
  const items = Object.entries(await old.get(null)).filter(([k]) => !isCachedListKey(k));
  const tokens = items.filter(isToken);
  // A token `secrets` has was saved (or moved by a move cut short) since: it is the newer.
  const kept = await secrets.get(tokens.map(([k]) => k));
  await secrets.set(Object.fromEntries(tokens.filter(([k]) => !(k in kept))));
  await kv.set(Object.fromEntries([...items.filter((e) => !isToken(e)), [MOVED_FROM_STORAGE_LOCAL.key, true]]));
  await old.clear();
}
