import { describe, expect, it } from 'vitest';
import { withCachedListsIn } from '../../src/background/cached-lists';
import { memoryKeyValue } from '../../src/background/profile-store';

describe("the worker's storage with the cached lists apart", () => {
  it('writes, reads and removes cached lists in the list store and everything else in storage', async () => {
    const lists = memoryKeyValue();
    const local = memoryKeyValue();
    const kv = withCachedListsIn(lists, local);
    await kv.set({ 'cache:p:repos': { json: '[]', fetchedAt: 1 }, 'cache:p:projects': 'x', activeProfileId: 'p' });
    expect([...lists.data.keys()].toSorted()).toEqual(['cache:p:projects', 'cache:p:repos']);
    expect([...local.data.keys()]).toEqual(['activeProfileId']);
    expect(await kv.get(['cache:p:repos', 'activeProfileId', 'missing'])).toEqual({ 'cache:p:repos': { json: '[]', fetchedAt: 1 }, activeProfileId: 'p' });
    await kv.remove(['cache:p:repos', 'activeProfileId']);
    expect([...lists.data.keys()]).toEqual(['cache:p:projects']);
    expect(local.data.size).toBe(0);
  });

  it('leaves a store alone when a call has none of its keys', async () => {
    const touched: string[] = [];
    const spy = (name: string) => {
      const kv = memoryKeyValue();
      return { get: (k: string[]) => (touched.push(`${name}.get`), kv.get(k)), set: (i: Record<string, unknown>) => (touched.push(`${name}.set`), kv.set(i)), remove: (k: string[]) => (touched.push(`${name}.remove`), kv.remove(k)) };
    };
    const kv = withCachedListsIn(spy('lists'), spy('local'));
    await kv.get(['profiles']);
    await kv.set({ 'cache:p:repos': 1 });
    await kv.remove(['secret:p']);
    expect(touched).toEqual(['local.get', 'lists.set', 'local.remove']);
  });
});
