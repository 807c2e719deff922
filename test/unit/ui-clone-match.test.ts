import { describe, expect, it } from 'vitest';
import { clonesByRepo } from '../../src/popup/clone-match';
import type { LocalClone } from '../../src/shared/host-protocol';
import type { RepoSummary } from '../../src/shared/messages';

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
    ).cloned;
    expect([...found.entries()].map(([id, c]) => [id, c.path])).toEqual([
      ['r1', '/src/web'],
      ['r2', '/src/platform'],
    ]);
  });

  it('prefers the clone the companion made over a folder it only found', () => {
    const url = 'https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/docs';
    const found = clonesByRepo([clone('/made', [url], true), clone('/found', [url], false)], repos).cloned;
    expect(found.get('r3')?.path).toBe('/made');
    expect(clonesByRepo([clone('/found', [url], false), clone('/made', [url], true)], repos).cloned.get('r3')?.path).toBe('/made');
  });

  it('does not count a folder that a clone is still making (another window or browser runs it), but says where it is made', () => {
    const url = 'https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/docs';
    const making = { ...clone('/making', [url], true), cloning: true };
    const alone = clonesByRepo([making], repos);
    expect(alone.cloned.size).toBe(0);
    expect(alone.cloning.get('r3')?.path).toBe('/making');
    // A clone that is complete is the one to open; the second one under way does not hide it.
    const both = clonesByRepo([making, clone('/found', [url], false)], repos);
    expect(both.cloned.get('r3')?.path).toBe('/found');
    expect(both.cloning.size).toBe(0);
  });

  it('finds nothing when nothing is cloned', () => {
    expect(clonesByRepo([], repos)).toEqual({ cloned: new Map(), cloning: new Map() });
  });

  it('matches names written in another case, percent-encoded, or ending in .git', () => {
    const odd = [repo('r4', 'Web Site', 'Fabrikam Fiber'), repo('r5', 'tools.git', 'Fabrikam Fiber'), ...repos];
    const found = clonesByRepo(
      [
        clone('/src/site', ['https://dev.azure.com/fabrikam/fabrikam%20fiber/_git/WEB%20SITE']),
        clone('/src/tools', ['git@ssh.dev.azure.com:v3/fabrikam/Fabrikam%20Fiber/tools.git']),
      ],
      odd,
    ).cloned;
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
    const found = clonesByRepo([clone('/src/s', ['https://dev.azure.com/fabrikam/Platform/_git/service-42'])], watched).cloned;
    expect(found.get('n42')?.path).toBe('/src/s');
    expect(read).toEqual(['service-42']);
  });
});
