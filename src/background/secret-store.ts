import type { KeyValue } from './profile-store';

/**
 * The profiles' tokens, in the extension's IndexedDB database `secrets`. It belongs to the
 * extension's origin, which no content script can open, whereas a content script can read
 * `storage.local` (Firefox offers no way to close it to them). Failures are thrown, never
 * swallowed: a token that was not saved must say so.
 */
const DB_NAME = 'secrets';
const STORE = 'secrets';

const settled = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.addEventListener('success', () => resolve(req.result));
    req.addEventListener('error', () => reject(req.error ?? new Error('IndexedDB request failed')));
  });

export function secretStore(idb: IDBFactory = globalThis.indexedDB): KeyValue {
  let opened: Promise<IDBDatabase> | undefined;
  const db = (): Promise<IDBDatabase> => {
    if (opened) return opened;
    const req = idb.open(DB_NAME, 1);
    req.addEventListener('upgradeneeded', () => req.result.createObjectStore(STORE));
    opened = settled(req).then(
      (database) => {
        database.addEventListener('versionchange', () => {
          database.close();
          opened = undefined;
        });
        return database;
      },
      (e: unknown) => {
        opened = undefined;
        throw e;
      },
    );
    return opened;
  };
  const run = async <T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>[]): Promise<T[]> => {
    const tx = (await db()).transaction(STORE, mode);
    const requests = work(tx.objectStore(STORE));
    await new Promise<void>((resolve, reject) => {
      tx.addEventListener('complete', () => resolve());
      for (const failed of ['error', 'abort']) tx.addEventListener(failed, () => reject(tx.error ?? new Error('IndexedDB transaction failed')));
    });
    return requests.map((r) => r.result);
  };
  return {
    async get(keys) {
      const values: unknown[] = await run('readonly', (s) => keys.map((k) => s.get(k)));
      return Object.fromEntries(keys.flatMap((k, i) => (values[i] === undefined ? [] : [[k, values[i]]])));
    },
    async set(items) {
      await run('readwrite', (s) => Object.entries(items).map(([k, v]) => s.put(v, k)));
    },
    async remove(keys) {
      await run('readwrite', (s) => keys.map((k) => s.delete(k)));
    },
  };
}
