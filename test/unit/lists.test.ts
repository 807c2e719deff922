import { describe, expect, it } from 'vitest';
import type { AdoClient } from '../../src/shared/ado/client';
import { listing } from '../../src/background/lists';
import { memoryKeyValue } from '../../src/background/profile-store';
import { CACHE_FORMAT } from '../../src/shared/list-cache';

const repo = (id: string, name: string, project: string) => ({
  id,
  name,
  url: `https://dev.azure.com/fabrikam/_apis/git/repositories/${id}`,
  project: { id: `p-${project}`, name: project },
  defaultBranch: 'refs/heads/main',
  remoteUrl: `https://fabrikam@dev.azure.com/fabrikam/${encodeURIComponent(project)}/_git/${encodeURIComponent(name)}`,
  webUrl: `https://dev.azure.com/fabrikam/${encodeURIComponent(project)}/_git/${encodeURIComponent(name)}`,
  size: 10,
  // What Azure DevOps also sends and the list does not keep.
  isInMaintenance: false,
  _links: { self: { href: 'x' } },
});

function setup() {
  const kv = memoryKeyValue();
  let calls = 0;
  const client = () =>
    ({
      repositories: async () => (calls++, [repo('r3', 'web 10', 'Web'), repo('r1', 'web 9', 'Web'), repo('r2', 'api', 'Data Science')]),
    }) as unknown as AdoClient;
  let now = 1_000;
  return { kv, calls: () => calls, opts: { kv, client, now: () => now }, later: (ms: number) => (now += ms) };
}

describe('the repository list in the worker', () => {
  it('is fetched once, in the order the popup lists it, and then answered from the cache', async () => {
    const { kv, calls, opts } = setup();
    const first = await listing('repos', 'p1', opts);
    expect(first.items.map((r) => `${r.project.name}/${r.name}`)).toEqual(['Data Science/api', 'Web/web 9', 'Web/web 10']);
    expect(first.items[0]).toEqual({
      id: 'r2',
      name: 'api',
      project: { id: 'p-Data Science', name: 'Data Science' },
      defaultBranch: 'refs/heads/main',
      remoteUrl: 'https://fabrikam@dev.azure.com/fabrikam/Data%20Science/_git/api',
      webUrl: 'https://dev.azure.com/fabrikam/Data%20Science/_git/api',
      size: 10,
    });
    expect(await listing('repos', 'p1', opts)).toEqual(first);
    expect(calls()).toBe(1);
    expect(kv.data.get('cache:p1:repos')).toMatchObject({ format: CACHE_FORMAT, fetchedAt: 1_000 });
  });

  it('fetches again over a cache of an older format, and replaces it', async () => {
    const { kv, calls, opts } = setup();
    const old = { json: JSON.stringify([{ id: 'gone', name: 'gone', project: { id: 'p', name: 'Old' } }]), fetchedAt: 999 };
    await kv.set({ 'cache:p1:repos': old });
    const answer = await listing('repos', 'p1', opts);
    expect(answer.items.map((r) => r.id)).toEqual(['r2', 'r1', 'r3']);
    expect(calls()).toBe(1);
    expect(kv.data.get('cache:p1:repos')).toMatchObject({ format: CACHE_FORMAT, fetchedAt: 1_000 });
  });

  it('says when the cached list is old, and fetches on request', async () => {
    const { calls, opts, later } = setup();
    await listing('repos', 'p1', opts);
    later(10 * 60_000);
    expect((await listing('repos', 'p1', opts)).stale).toBe(true);
    expect((await listing('repos', 'p1', { ...opts, refresh: true })).stale).toBe(false);
    expect(calls()).toBe(2);
  });
});
