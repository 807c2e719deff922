import type { AdoPage } from '../shared/ado/urls';
import type { RepoKey } from '../shared/messages';

/** Facts about the repository a page shows, read from the URL first and from the page where the URL is silent. */

export const repoKeyOf = (page: AdoPage): RepoKey | undefined =>
  page.repository && page.project ? { id: page.repository, name: page.repository, project: page.project } : undefined;

/** The branch picker's label, newest markup first. */
const BRANCH_LABELS = ['.version-dropdown .bolt-dropdown-expandable-button-label', '.version-dropdown .text-ellipsis', '.vc-branch-selector-label'];

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

export interface RemoteUrls {
  https: string;
  ssh?: string;
}

const same = (a: string | undefined, b: string | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/**
 * The clone URLs, read with the page's own session (same origin, its cookies), for pages without a
 * profile. Falls back to the page's data providers (only when they still describe this repository:
 * they go stale on in-app navigation) and then to a clone URL field on the page.
 */
export async function readRemoteUrls(page: AdoPage, signal?: AbortSignal): Promise<RemoteUrls | undefined> {
  if (!page.project || !page.repository) return undefined;
  const path = `${page.orgBaseUrl}/${encodeURIComponent(page.project)}/_apis/git/repositories/${encodeURIComponent(page.repository)}`;
  // Azure DevOps Server 2019-2022 refuse 7.1.
  for (const version of ['7.1', '5.0']) {
    try {
      const res = await fetch(`${path}?api-version=${version}`, {
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'X-TFS-FedAuthRedirect': 'Suppress' },
        ...(signal ? { signal } : {}),
      });
      if (res.status === 400) continue;
      if (!res.ok) break;
      const repo = (await res.json()) as { remoteUrl?: unknown; sshUrl?: unknown };
      if (typeof repo.remoteUrl === 'string') return { https: repo.remoteUrl, ...(typeof repo.sshUrl === 'string' ? { ssh: repo.sshUrl } : {}) };
      break;
    } catch {
      break;
    }
  }
  try {
    const data = JSON.parse(document.getElementById('dataProviders')?.textContent ?? '{}') as { data?: Record<string, { gitRepository?: Record<string, unknown> }> };
    const repo = data.data?.['ms.vss-code-web.versioncontrol-viewmodel-data-provider']?.gitRepository;
    const project = (repo?.project as { name?: string } | undefined)?.name;
    if (repo && same(String(repo.name), page.repository) && same(project, page.project) && typeof repo.remoteUrl === 'string') {
      return { https: repo.remoteUrl, ...(typeof repo.sshUrl === 'string' ? { ssh: repo.sshUrl } : {}) };
    }
  } catch {
    // Not JSON: fall through.
  }
  const field = document.querySelector<HTMLInputElement>('input.repos-clone-url, input.vc-clone-url');
  return field?.value.startsWith('https://') ? { https: field.value } : undefined;
}
