import { describe, expect, it } from 'vitest';
import { clonesByRepo, repoUrlKey } from '../../src/popup/clone-match';
import type { LocalClone } from '../../src/shared/host-protocol';
import type { RepoSummary } from '../../src/shared/messages';

describe('repoUrlKey', () => {
  it('gives every form of one Azure DevOps Services URL the same key', () => {
    const forms = [
      'https://fabrikam@dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/fabrikam-web',
      'https://dev.azure.com/fabrikam/Fabrikam Fiber/_git/fabrikam-web',
      'https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/fabrikam-web.git',
      'https://fabrikam.visualstudio.com/Fabrikam%20Fiber/_git/fabrikam-web',
      'https://fabrikam.visualstudio.com/DefaultCollection/Fabrikam%20Fiber/_git/fabrikam-web/',
      'git@ssh.dev.azure.com:v3/fabrikam/Fabrikam%20Fiber/fabrikam-web',
      'ssh://git@ssh.dev.azure.com/v3/fabrikam/Fabrikam%20Fiber/fabrikam-web',
      'fabrikam@vs-ssh.visualstudio.com:v3/fabrikam/Fabrikam%20Fiber/fabrikam-web',
    ];
    for (const url of forms) expect(repoUrlKey(url), url).toBe('fabrikam/fabrikam fiber/fabrikam-web');
  });

  it('reads a URL without the project (repository named like its project) as that project', () => {
    expect(repoUrlKey('https://fabrikam@dev.azure.com/fabrikam/_git/Platform')).toBe('fabrikam/platform/platform');
    expect(repoUrlKey('git@ssh.dev.azure.com:v3/fabrikam/Platform/Platform')).toBe('fabrikam/platform/platform');
  });

  it('keeps the host for Azure DevOps Server, over HTTPS and SSH alike', () => {
    expect(repoUrlKey('https://tfs.fabrikam.test/tfs/DefaultCollection/Legacy/_git/tfs-tools')).toBe('tfs.fabrikam.test/tfs/defaultcollection/legacy/tfs-tools');
    expect(repoUrlKey('ssh://tfs.fabrikam.test:22/tfs/DefaultCollection/Legacy/_git/tfs-tools')).toBe('tfs.fabrikam.test/tfs/defaultcollection/legacy/tfs-tools');
    expect(repoUrlKey('https://other.example/tfs/DefaultCollection/Legacy/_git/tfs-tools')).not.toBe(
      repoUrlKey('https://tfs.fabrikam.test/tfs/DefaultCollection/Legacy/_git/tfs-tools'),
    );
  });

  it('answers nothing for what is not an Azure DevOps repository URL', () => {
    expect(repoUrlKey('https://github.com/fabrikam/web')).toBeUndefined();
    expect(repoUrlKey('file:///home/ada/src/web')).toBeUndefined();
    expect(repoUrlKey('not a url')).toBeUndefined();
    expect(repoUrlKey('https://dev.azure.com/fabrikam')).toBeUndefined();
  });
});

const repo = (id: string, name: string, project: string): RepoSummary => ({
  id,
  name,
  project: { id: `p-${project}`, name: project },
  remoteUrl: `https://fabrikam@dev.azure.com/fabrikam/${encodeURIComponent(project)}/_git/${encodeURIComponent(name)}`,
  sshUrl: `git@ssh.dev.azure.com:v3/fabrikam/${encodeURIComponent(project)}/${encodeURIComponent(name)}`,
});
const clone = (path: string, urls: string[], known = true): LocalClone => ({
  path,
  known,
  remotes: urls.map((u, i) => ({ name: i === 0 ? 'origin' : `r${i}`, fetchUrl: u })),
  branch: 'main',
  dirty: false,
});

describe('clonesByRepo', () => {
  const repos = [repo('r1', 'fabrikam-web', 'Fabrikam Fiber'), repo('r2', 'Platform', 'Platform'), repo('r3', 'docs', 'Fabrikam Fiber')];

  it('finds the clone of each repository by any of its remotes, in any URL form', () => {
    const found = clonesByRepo(
      [
        clone('/src/web', ['git@ssh.dev.azure.com:v3/fabrikam/Fabrikam%20Fiber/fabrikam-web']),
        clone('/src/platform', ['https://github.com/someone/fork', 'https://dev.azure.com/fabrikam/_git/Platform']),
      ],
      repos,
    );
    expect([...found.entries()].map(([id, c]) => [id, c.path])).toEqual([
      ['r1', '/src/web'],
      ['r2', '/src/platform'],
    ]);
  });

  it('prefers the clone the companion made over a folder it only found', () => {
    const url = 'https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/docs';
    const found = clonesByRepo([clone('/made', [url], true), clone('/found', [url], false)], repos);
    expect(found.get('r3')?.path).toBe('/made');
    expect(clonesByRepo([clone('/found', [url], false), clone('/made', [url], true)], repos).get('r3')?.path).toBe('/made');
  });

  it('does not count a folder that a clone is still making (another window or browser runs it)', () => {
    const url = 'https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/docs';
    expect(clonesByRepo([{ ...clone('/making', [url], true), cloning: true }], repos).size).toBe(0);
    expect(clonesByRepo([{ ...clone('/making', [url], true), cloning: true }, clone('/found', [url], false)], repos).get('r3')?.path).toBe('/found');
  });

  it('finds nothing when nothing is cloned', () => {
    expect(clonesByRepo([], repos).size).toBe(0);
  });

  it('matches names written in another case, percent-encoded, or ending in .git', () => {
    const odd = [repo('r4', 'Web Site', 'Fabrikam Fiber'), repo('r5', 'tools.git', 'Fabrikam Fiber'), ...repos];
    const found = clonesByRepo(
      [
        clone('/src/site', ['https://dev.azure.com/fabrikam/fabrikam%20fiber/_git/WEB%20SITE']),
        clone('/src/tools', ['git@ssh.dev.azure.com:v3/fabrikam/Fabrikam%20Fiber/tools.git']),
      ],
      odd,
    );
    expect([...found.entries()].map(([id, c]) => [id, c.path])).toEqual([
      ['r4', '/src/site'],
      ['r5', '/src/tools'],
    ]);
  });

  it('looks at the URLs of only the repositories whose name a clone could match', () => {
    // Thousands of repositories, one clone: the URLs of the others are never parsed.
    const many = Array.from({ length: 3000 }, (_, i) => repo(`n${i}`, `service-${i}`, 'Platform'));
    const read: string[] = [];
    const watched = many.map((r) => ({
      ...r,
      get remoteUrl() {
        read.push(r.name);
        return r.remoteUrl;
      },
    }));
    const found = clonesByRepo([clone('/src/s', ['https://dev.azure.com/fabrikam/Platform/_git/service-42'])], watched);
    expect(found.get('n42')?.path).toBe('/src/s');
    expect(read).toEqual(['service-42']);
  });
});
