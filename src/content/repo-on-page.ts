import { parseAdoUrl, type AdoPage } from '../shared/ado/urls';
import type { RepoKey } from '../shared/messages';
import { BRANCH_LABELS, PR_BRANCH_LINKS } from './anchors';

/** Facts about the repository a page shows, read from the URL first and from the page where the URL is silent. */

export const repoKeyOf = (page: AdoPage): RepoKey | undefined =>
  page.repository && page.project ? { id: page.repository, name: page.repository, project: page.project } : undefined;


/** The branch being viewed: `version=GB…` in the URL, else the branch picker; undefined means the default branch. */
export function viewedBranch(page: AdoPage): string | undefined {
  if (page.branch) return page.branch;
  if (page.page !== 'repoFiles' && page.page !== 'repoHome') return undefined;
  for (const selector of BRANCH_LABELS) {
    const text = document.querySelector(selector)?.textContent?.trim();
    if (text) return text;
  }
  return undefined;
}

const same = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** The fork a pull request comes from: its source branch link points into another repository. */
export function pullRequestFork(page: AdoPage): { project: string; name: string } | undefined {
  const href = document.querySelector<HTMLAnchorElement>(PR_BRANCH_LINKS)?.href;
  const source = href ? parseAdoUrl(href) : undefined;
  if (!source?.repository || !source.project || !page.repository) return undefined;
  return same(source.repository, page.repository) && same(source.project, page.project ?? page.repository) ? undefined : { project: source.project, name: source.repository };
}

export interface RemoteUrls {
  https: string;
  ssh?: string;
}

/**
 * The clone URLs, read with the page's own session (same origin, its cookies) from the REST API,
 * for pages without a profile. Not from the page's data providers: no public source shows clone
 * URLs there, and they go stale after in-app navigation.
 */
export async function readRemoteUrls(page: AdoPage, signal?: AbortSignal): Promise<RemoteUrls | undefined> {
  if (!page.project || !page.repository) return undefined;
  const path = `${page.orgBaseUrl}/${encodeURIComponent(page.project)}/_apis/git/repositories/${encodeURIComponent(page.repository)}`;
  // Azure DevOps Server 2019-2022 refuse 7.1.
  for (const version of ['7.1', '5.0']) {
    try {
      const res = await fetch(`${path}?api-version=${version}`, {
        credentials: 'same-origin',
        // No X-TFS-FedAuthRedirect: a plain 401 would have the browser ask for a password (ado/request.ts).
        headers: { accept: 'application/json' },
        ...(signal ? { signal } : {}),
      });
      if (res.status === 400) continue;
      if (!res.ok) return undefined;
      const repo = (await res.json()) as { remoteUrl?: unknown; sshUrl?: unknown };
      return typeof repo.remoteUrl === 'string' ? { https: repo.remoteUrl, ...(typeof repo.sshUrl === 'string' ? { ssh: repo.sshUrl } : {}) } : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
