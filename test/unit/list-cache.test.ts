import { describe, expect, it, vi } from 'vitest';
import { indexRepos } from '../../src/popup/repo-search';
import { CACHE_FORMAT, fromCacheEntry, FRESH_MS, listStore, packRepos, shapeOf, sortRepos, toCacheEntry, unpackRepos } from '../../src/shared/list-cache';
import type { RepoSummary } from '../../src/shared/messages';

/** A repository as Azure DevOps Services writes its URLs (the project left out when the names are equal). */
function cloud(org: string, project: string, name: string, extra: Partial<RepoSummary> = {}): RepoSummary {
  const e = encodeURIComponent;
  const path = project.toLowerCase() === name.toLowerCase() ? `_git/${e(name)}` : `${e(project)}/_git/${e(name)}`;
  return {
    id: `id-${project}-${name}`,
    name,
    project: { id: `pid-${project}`, name: project },
    defaultBranch: 'refs/heads/main',
    remoteUrl: `https://${e(org)}@dev.azure.com/${e(org)}/${path}`,
    sshUrl: `git@ssh.dev.azure.com:v3/${e(org)}/${e(project)}/${e(name)}`,
    webUrl: `https://dev.azure.com/${e(org)}/${path}`,
    size: 1234,
    ...extra,
  };
}

/** Azure DevOps Server: no user name, a virtual directory and collection, SSH on port 22 with `_git`. */
function onPrem(project: string, name: string): RepoSummary {
  const e = encodeURIComponent;
  return {
    id: `id-${project}-${name}`,
    name,
    project: { id: `pid-${project}`, name: project },
    remoteUrl: `https://tfs.fabrikam.test/tfs/DefaultCollection/${e(project)}/_git/${e(name)}`,
    sshUrl: `ssh://tfs.fabrikam.test:22/tfs/DefaultCollection/${e(project)}/_git/${e(name)}`,
    webUrl: `https://tfs.fabrikam.test/tfs/DefaultCollection/${e(project)}/_git/${e(name)}`,
  };
}

const roundTrip = (repos: RepoSummary[]) => unpackRepos(JSON.parse(JSON.stringify(packRepos(repos))));

describe('packed repository lists', () => {
  it('give back every repository exactly, URLs included, for names with spaces, non-ASCII and the project left out', () => {
    const repos = [
      cloud('fabrikam', 'Fabrikam Fiber', 'fabrikam web'),
      cloud('fabrikam', 'Fabrikam Fiber', 'Ünïcode repo #1 (old)'),
      cloud('fabrikam', 'Platform', 'Platform'),
      cloud('fabrikam', 'Platform', 'platform'),
      cloud('Fabrikam Labs', 'Research & Dev', 'a+b=c?', { isFork: true, isDisabled: true, size: 0 }),
      cloud('fabrikam', 'Platform', 'empty', { defaultBranch: undefined, size: undefined }),
    ].map((r) => JSON.parse(JSON.stringify(r)) as RepoSummary);
    expect(roundTrip(repos)).toEqual(repos);
  });

  it('derive the URLs of an Azure DevOps Server collection and of the legacy host the same way', () => {
    const legacy: RepoSummary = {
      id: 'l1',
      name: 'web site',
      project: { id: 'lp', name: 'Fiber Web' },
      remoteUrl: 'https://fabrikam.visualstudio.com/DefaultCollection/Fiber%20Web/_git/web%20site',
      sshUrl: 'fabrikam@vs-ssh.visualstudio.com:v3/fabrikam/Fiber%20Web/web%20site',
      webUrl: 'https://fabrikam.visualstudio.com/DefaultCollection/Fiber%20Web/_git/web%20site',
    };
    const repos = [onPrem('Legacy Tools', 'tfs tools'), onPrem('Legacy Tools', 'build'), legacy];
    expect(roundTrip(repos)).toEqual(repos);
    const packed = packRepos(repos);
    // Each form is stored once, whatever the names: that is what makes the cache small.
    expect(packed.urls).toHaveLength(2);
    expect(packed.urls[0]).toEqual([
      ['https://tfs.fabrikam.test/tfs/DefaultCollection/', 0, '/_git/', 1],
      ['ssh://tfs.fabrikam.test:22/tfs/DefaultCollection/', 0, '/_git/', 1],
      ['https://tfs.fabrikam.test/tfs/DefaultCollection/', 0, '/_git/', 1],
    ]);
  });

  it('keep a URL that does not follow the pattern as it was written', () => {
    // Encoded another way than encodeURIComponent (`+` for the space): no shape fits, so it is kept whole.
    const odd = cloud('fabrikam', 'Web', 'a b', { remoteUrl: 'https://fabrikam@dev.azure.com/fabrikam/Web/_git/a+b', webUrl: undefined });
    const lone = cloud('fabrikam', 'Web', 'x', { sshUrl: 'git@elsewhere.example:x.git' });
    expect(shapeOf(odd.remoteUrl!, 'Web', 'a b')).toEqual([odd.remoteUrl]);
    const repos = JSON.parse(JSON.stringify([odd, lone])) as RepoSummary[];
    expect(roundTrip(repos)).toEqual(repos);
  });

  it('share the URL forms of a large organization and take a fraction of the plain list', () => {
    const repos = Array.from({ length: 3000 }, (_, i) => cloud('northwind', `project-${Math.floor(i / 10)}`, i % 10 ? `service-${i}` : `project-${Math.floor(i / 10)}`));
    const packed = packRepos(repos);
    expect(packed.urls).toHaveLength(2); // the project in the path, and left out
    expect(packed.projects).toHaveLength(300);
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(repos).length / 3);
    expect(unpackRepos(packed)).toEqual(repos);
  });
});

describe('cache entries', () => {
  const repos = [cloud('fabrikam', 'Web', 'site')];

  it('read back what was written, and say when it is old', () => {
    const entry = toCacheEntry('repos', repos, 1_000);
    expect(entry.format).toBe(CACHE_FORMAT);
    expect(fromCacheEntry('repos', entry, 'p1', 1_000 + FRESH_MS)).toEqual({ items: repos, fetchedAt: 1_000, profileId: 'p1', stale: false });
    expect(fromCacheEntry('repos', entry, 'p1', 1_001 + FRESH_MS)?.stale).toBe(true);
    const projects = [{ id: 'p', name: 'Web' }];
    expect(fromCacheEntry('projects', toCacheEntry('projects', projects, 5), 'p1', 5)?.items).toEqual(projects);
  });

  it('ignore an entry of an older format, such as the plain list stored before packing', () => {
    expect(fromCacheEntry('repos', { json: JSON.stringify(repos), fetchedAt: 1 }, 'p1', 1)).toBeUndefined();
    expect(fromCacheEntry('repos', { format: CACHE_FORMAT - 1, json: '[]', fetchedAt: 1 }, 'p1', 1)).toBeUndefined();
    expect(fromCacheEntry('repos', { format: CACHE_FORMAT + 1, json: '{}', fetchedAt: 1 }, 'p1', 1)).toBeUndefined();
    expect(fromCacheEntry('repos', 'not an entry', 'p1', 1)).toBeUndefined();
    expect(fromCacheEntry('repos', undefined, 'p1', 1)).toBeUndefined();
  });

  it('ignore an entry that cannot be read, as if nothing were cached', () => {
    for (const json of ['{"projects":[', '{"projects":[],"urls":[],"repos":[["r","n",0,0,"",0,-1]]}', '"text"', 'null']) {
      expect(fromCacheEntry('repos', { format: CACHE_FORMAT, json, fetchedAt: 1 }, 'p1', 1), json).toBeUndefined();
    }
    expect(fromCacheEntry('projects', { format: CACHE_FORMAT, json: '{}', fetchedAt: 1 }, 'p1', 1)).toBeUndefined();
  });

  it('hold nothing but the listed fields', () => {
    const entry = toCacheEntry('repos', [{ ...repos[0]!, token: 'secret' } as RepoSummary], 1);
    expect(entry.json).not.toContain('secret');
  });
});

describe('the order of a repository list', () => {
  it('is the search index order, so the popup draws the first rows without the index', () => {
    const names = ['web 10', 'web 9', 'Web 2', 'api', 'Api', 'zeta', 'alpha-2', 'alpha-10', 'Alpha-1', 'Ärger', 'apple'];
    const projects = ['Web', 'web', 'Platform', 'platform 2', 'platform 10', 'Änderungen', 'api'];
    const repos = names.flatMap((name, i) => projects.map((project, j) => ({ ...cloud('o', project, name), id: `r${i}-${j}` })));
    // Shuffled the same way every run: the list order must not matter.
    const shuffled = repos.map((r, i) => ({ r, k: (i * 7919) % repos.length })).toSorted((a, b) => a.k - b.k).map((x) => x.r);
    const sorted = sortRepos(shuffled);
    expect(indexRepos(sorted).map((e) => e.repo.id)).toEqual(sorted.map((r) => r.id));
    expect(sorted.slice(0, 3).map((r) => `${r.project.name}/${r.name}`)).toEqual(['Änderungen/Alpha-1', 'Änderungen/alpha-2', 'Änderungen/alpha-10']);
  });
});

describe('the list store', () => {
  it('reads as empty and keeps nothing where there is no IndexedDB', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = listStore(undefined);
    await expect(store.set({ 'cache:p:repos': toCacheEntry('repos', [], 1) })).resolves.toBeUndefined();
    expect(await store.get(['cache:p:repos'])).toEqual({});
    await expect(store.remove(['cache:p:repos'])).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });
});
