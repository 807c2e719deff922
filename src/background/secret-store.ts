import { idbKeyValue } from '../shared/idb-store';
import type { KeyValue } from './profile-store';

/**
 * The profiles' tokens, in the extension's IndexedDB database `secrets`. It belongs to the
 * extension's origin, which no content script can open, whereas a content script can read
 * `storage.local` (Firefox offers no way to close it to them). Everything else the worker keeps is
 * in `worker` (worker-store.ts). Failures are thrown, never swallowed: a token that was not saved
 * must say so.
 */
export const secretStore = (idb: IDBFactory = globalThis.indexedDB): KeyValue => idbKeyValue('secrets', 'secrets', idb);
