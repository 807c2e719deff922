import type { Project, PullRequest, Repository, Store } from '../store';

/**
 * Links between the sandbox's pages, as paths on the page's own host (so in-app navigation
 * stays same-origin): `{base}/{project}/_git/{repo}/...`, with the project segment dropped when
 * the repository is named like its project (as Azure DevOps' own web URLs do). Segments are
 * percent-encoded (names may hold spaces and non-ASCII characters).
 */
export class WebLinks {
  /** `base`: the collection's path on this host: `/fabrikam`, `` (visualstudio.com) or `/tfs/DefaultCollection`. */
  constructor(readonly base: string, private readonly store: Store) {}

  home(): string {
    return `${this.base}/`;
  }

  orgPulls(): string {
    return `${this.base}/_pulls`;
  }

  project(project: Project): string {
    return `${this.base}/${encodeURIComponent(project.name)}`;
  }

  repo(repo: Repository, sub = '', query: Record<string, string | undefined> = {}): string {
    const project = this.store.projects.get(repo.projectId);
    const r = encodeURIComponent(repo.name);
    const path = !project || project.name.toLowerCase() === repo.name.toLowerCase() ? `_git/${r}` : `${encodeURIComponent(project.name)}/_git/${r}`;
    return `${this.base}/${path}${sub ? `/${sub}` : ''}${queryString(query)}`;
  }

  /** The files view of a branch (and path). */
  files(repo: Repository, branch?: string, path?: string): string {
    return this.repo(repo, '', { path, version: branch ? `GB${branch}` : undefined });
  }

  pullRequest(pr: PullRequest, tab?: string): string {
    const repo = this.store.repositories.get(pr.repositoryId);
    if (!repo) return this.orgPulls();
    return this.repo(repo, `pullrequest/${pr.pullRequestId}`, { _a: tab });
  }
}

/** `?a=1&b=2` from the defined values, or ``. Keeps `/` readable in paths like Azure DevOps does. */
export function queryString(query: Record<string, string | undefined>): string {
  const parts = Object.entries(query)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%2F/g, '/')}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export function shortBranch(refName: string): string {
  return refName.replace(/^refs\/heads\//, '');
}
