import type { LocalClone } from '../shared/host-protocol';
import type { RepoSummary } from '../shared/messages';
import { repoUrlKey } from '../shared/ado/repo-url-key';

/**
 * The local clone of each repository that has one, by repository id; and, for a repository with
 * none yet, the folder where one is being cloned (git makes the folder first: a clone still under
 * way is not one to open, nor one to start again).
 */
export function clonesByRepo(clones: readonly LocalClone[], repos: readonly RepoSummary[]): { cloned: Map<string, LocalClone>; cloning: Map<string, LocalClone> } {
  const cloned = matchRepos(clones.filter((c) => !c.cloning), repos);
  const cloning = matchRepos(clones.filter((c) => c.cloning), repos);
  for (const id of cloned.keys()) cloning.delete(id);
  return { cloned, cloning };
}

function matchRepos(clones: readonly LocalClone[], repos: readonly RepoSummary[]): Map<string, LocalClone> {
  const byKey = new Map<string, LocalClone>();
  for (const clone of clones) {
    for (const remote of clone.remotes) {
      const key = repoUrlKey(remote.fetchUrl);
      // The companion's own clones win over folders it merely found.
      if (key && (!byKey.has(key) || clone.known)) byKey.set(key, clone);
    }
  }
  const found = new Map<string, LocalClone>();
  if (byKey.size === 0) return found;
  // A key ends with the repository's name: parse the URLs of only the repositories that could match.
  const names = new Set([...byKey.keys()].map((key) => key.slice(key.lastIndexOf('/') + 1)));
  for (const repo of repos) {
    if (!names.has(repo.name.toLowerCase().replace(/\.git$/, ''))) continue;
    for (const url of [repo.remoteUrl, repo.sshUrl]) {
      const key = url ? repoUrlKey(url) : undefined;
      const clone = key ? byKey.get(key) : undefined;
      if (clone) {
        found.set(repo.id, clone);
        break;
      }
    }
  }
  return found;
}
