import { describe, expect, it } from 'vitest';
import { createProfileStore, memoryKeyValue, type KeyValue } from '../../src/background/profile-store';
import { workerStore, type StorageLocal } from '../../src/background/worker-store';
import { Profile } from '../../src/shared/profile';

/**
 * The worker keeps everything in its IndexedDB (src/background/worker-store.ts); earlier versions
 * kept it in storage.local, which a content script can write in Firefox. What they left there is
 * moved once, and nothing is lost when the move stops half-way.
 */

const fabrikam = Profile.parse({ id: 'p1', name: 'fabrikam', organization: 'fabrikam', host: { kind: 'cloud' }, auth: 'pat', cloneRoot: '/home/ada/code' });
const token = { kind: 'pat', pat: 'old-pat', orgUrl: 'https://dev.azure.com/fabrikam' };

/** storage.local as an earlier version left it: the profiles, settings, a token and a cached list. */
function storageLocal(): StorageLocal & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>(
    Object.entries({
      profiles: [fabrikam],
      activeProfileId: 'p1',
      'settings:editor': { editor: 'vscode' },
      'secret:p1': token,
      'cache:p1:repos': { format: 2, json: '[]', fetchedAt: 1 },
    }),
  );
  return {
    data,
    get: async () => Object.fromEntries(structuredClone([...data])),
    clear: async () => data.clear(),
  };
}

/** A store whose writes fail while `failing` says so, as an IndexedDB transaction that aborts. */
function failingWhile(failing: () => boolean): KeyValue & { data: Map<string, unknown> } {
  const kv = memoryKeyValue();
  const set = kv.set.bind(kv);
  kv.set = async (items) => {
    if (failing()) throw new Error('The transaction was aborted');
    await set(items);
  };
  return kv;
}

const noChange = () => undefined;

describe('the worker’s store', () => {
  it('moves what storage.local held: the profiles and settings to the worker’s database, tokens to `secrets`, cached lists nowhere', async () => {
    const old = storageLocal();
    const kv = memoryKeyValue();
    const secrets = memoryKeyValue();
    const store = createProfileStore(workerStore(old, secrets, noChange, kv), secrets);
    expect(await store.list()).toEqual([fabrikam]);
    expect(await store.activeId()).toBe('p1');
    expect(await store.secret('p1')).toEqual({ kind: 'pat', pat: 'old-pat' });
    expect(kv.data.get('settings:editor')).toEqual({ editor: 'vscode' });
    expect([...kv.data.keys()].toSorted()).toEqual(['activeProfileId', 'movedFromStorageLocal', 'profiles', 'settings:editor']);
    expect([...secrets.data.keys()]).toEqual(['secret:p1']);
    expect(old.data.size).toBe(0);
  });

  it('moves them once: what a content script writes to storage.local afterwards is never read, and is emptied', async () => {
    const kv = memoryKeyValue();
    const secrets = memoryKeyValue();
    await workerStore(storageLocal(), secrets, noChange, kv).get(['profiles']);
    // The next start of the worker, after a content script wrote a wider clone root (and a setting the user never set).
    const old = storageLocal();
    old.data.set('profiles', [{ ...fabrikam, cloneRoot: '/' }]);
    old.data.set('settings:branchTemplate', 'x/{title}');
    const store = createProfileStore(workerStore(old, secrets, noChange, kv), secrets);
    expect((await store.list()).map((p) => p.cloneRoot)).toEqual(['/home/ada/code']);
    expect(kv.data.has('settings:branchTemplate')).toBe(false);
    expect(old.data.size).toBe(0);
  });

  it('loses nothing when the move fails half-way, and makes it again whole on the next use', async () => {
    const old = storageLocal();
    let failing = true;
    const kv = failingWhile(() => failing);
    const secrets = memoryKeyValue();
    const worker = workerStore(old, secrets, noChange, kv);
    // The token was moved, the rest not: storage.local keeps everything, and the worker says it failed.
    await expect(worker.get(['profiles'])).rejects.toThrow('aborted');
    expect(old.data.size).toBe(5);
    expect(kv.data.size).toBe(0);
    expect([...secrets.data.keys()]).toEqual(['secret:p1']);
    // A token saved since is newer than the copy storage.local still holds.
    await secrets.set({ 'secret:p1': { ...token, pat: 'new-pat' } });
    failing = false;
    const store = createProfileStore(worker, secrets);
    expect(await store.list()).toEqual([fabrikam]);
    expect(await store.secret('p1')).toEqual({ kind: 'pat', pat: 'new-pat' });
    expect(old.data.size).toBe(0);
  });

  it('loses nothing when the token cannot be moved', async () => {
    const old = storageLocal();
    const worker = workerStore(old, failingWhile(() => true), noChange, memoryKeyValue());
    await expect(worker.get(['profiles'])).rejects.toThrow('aborted');
    expect(old.data.size).toBe(5);
  });

  it('tells of each write once it is stored, as storage.onChanged did', async () => {
    const heard: string[][] = [];
    let failing = false;
    const worker = workerStore(storageLocal(), memoryKeyValue(), (keys) => heard.push(keys), failingWhile(() => failing));
    await worker.set({ profiles: [], activeProfileId: 'p2' });
    await worker.remove(['reviewerGroups']);
    failing = true;
    await expect(worker.set({ profiles: [fabrikam] })).rejects.toThrow();
    expect(heard).toEqual([['profiles', 'activeProfileId'], ['reviewerGroups']]);
  });
});
