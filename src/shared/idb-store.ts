/** The request's result once it succeeds; its error if it fails. */
const settled = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.addEventListener('success', () => resolve(req.result));
    req.addEventListener('error', () => reject(req.error ?? new Error('IndexedDB request failed')));
  });

export interface IdbKeyValue {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

/**
 * Keys and values in one object store of one of the extension's IndexedDB databases, opened on
 * first use. Failures are thrown: what one means (an empty cache, a token not saved) is the caller's.
 */
export function idbKeyValue(database: string, store: string, idb: IDBFactory | undefined = globalThis.indexedDB): IdbKeyValue {
  let opened: Promise<IDBDatabase> | undefined;
  const db = (): Promise<IDBDatabase> => {
    if (opened) return opened;
    if (!idb) return Promise.reject(new Error('IndexedDB is not available'));
    const req = idb.open(database, 1);
    req.addEventListener('upgradeneeded', () => req.result.createObjectStore(store));
    opened = settled(req).then(
      (d) => {
        // A newer version of the extension may need to change the database: let it.
        d.addEventListener('versionchange', () => {
          d.close();
          opened = undefined;
        });
        return d;
      },
      (e: unknown) => {
        opened = undefined;
        throw e;
      },
    );
    return opened;
  };
  const run = async <T>(mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest<T>[]): Promise<T[]> => {
    const tx = (await db()).transaction(store, mode);
    const requests = work(tx.objectStore(store));
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
