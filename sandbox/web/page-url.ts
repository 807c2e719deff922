import { ONPREM_PREFIX, type HostInfo } from '../hosts';
import type { HostForm } from '../urls';

/** The web pages the sandbox draws. */
export type PageKind = 'org' | 'repo' | 'branches' | 'pullRequest' | 'pullRequests' | 'pullRequestCreate' | 'project' | 'orgPulls' | 'workItem' | 'board';

export interface PagePath {
  form: HostForm;
  /** Organization (on-prem: collection) name, decoded. */
  org: string;
  kind: PageKind;
  project?: string;
  repo?: string;
  pullRequestId?: number;
  /** The work item of `/_workitems/edit/{id}` (or `/_queries/edit/{id}`), or the one a board shows in its dialog (`?workitem=`). */
  workItemId?: number;
  team?: string;
}

const REPO_SUBPAGES: Record<string, PageKind> = {
  branches: 'branches',
  pullrequests: 'pullRequests',
  pullrequestcreate: 'pullRequestCreate',
};

/**
 * Which page a URL path names, for every host form:
 * `dev.azure.com/{org}/...`, `{org}.visualstudio.com[/DefaultCollection]/...`,
 * `tfs.fabrikam.test/tfs/{collection}/...`. Below the organization:
 * `/` (the projects), `/{project}`, `/_pulls`, `[/{project}]/_git/{repo}[/branches|/pullrequests|/pullrequestcreate|/pullrequest/{id}]`.
 * No `/forks`: no public source shows such a page (forks are made from the Files page's ⋮ → Fork).
 * Undefined for anything else (including broken percent-encoding).
 */
export function parsePagePath(host: HostInfo, pathname: string): PagePath | undefined {
  let parts: string[];
  try {
    parts = pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  let form: HostForm;
  let org: string | undefined;
  switch (host.kind) {
    case 'cloud':
      form = 'cloud';
      org = parts.shift();
      break;
    case 'legacy':
      form = 'legacy';
      org = host.org;
      if (parts[0]?.toLowerCase() === 'defaultcollection') parts.shift();
      break;
    case 'onprem':
      form = 'onprem';
      if (parts.shift()?.toLowerCase() !== ONPREM_PREFIX.slice(1)) return undefined;
      org = parts.shift();
      break;
    default:
      return undefined;
  }
  if (!org || org.startsWith('_')) return undefined;
  return parseBelowOrg(form, org, parts);
}

function parseBelowOrg(form: HostForm, org: string, parts: string[]): PagePath | undefined {
  const lower = parts.map((p) => p.toLowerCase());
  if (parts.length === 0) return { form, org, kind: 'org' };
  if (parts.length === 1 && lower[0] === '_pulls') return { form, org, kind: 'orgPulls' };
  if (parts.length === 1 && !parts[0]!.startsWith('_')) return { form, org, kind: 'project', project: parts[0] };
  let project: string | undefined;
  if (lower[0] !== '_git') {
    project = parts.shift();
    lower.shift();
    if (!project || project.startsWith('_')) return undefined;
  }
  if (project && (lower[0] === '_workitems' || lower[0] === '_queries' || lower[0] === '_boards')) return parseBoards(form, org, project, parts);
  if (lower[0] !== '_git' || !parts[1] || parts[1].startsWith('_')) return undefined;
  const base = { form, org, project, repo: parts[1] };
  const sub = lower.slice(2);
  if (sub.length === 0) return { ...base, kind: 'repo' };
  if (sub.length === 1 && REPO_SUBPAGES[sub[0]!]) return { ...base, kind: REPO_SUBPAGES[sub[0]!]! };
  if (sub.length === 2 && sub[0] === 'pullrequest' && /^[1-9]\d{0,8}$/.test(sub[1]!)) {
    return { ...base, kind: 'pullRequest', pullRequestId: Number(sub[1]) };
  }
  return undefined;
}

/**
 * `/{project}/_workitems/edit/{id}`, the same form opened from query results at
 * `/{project}/_queries/edit/{id}` (MARKUP.md, Q), `/{project}/_boards/board/t/{team}/{backlog}`
 * (see views/work-item.ts).
 */
function parseBoards(form: HostForm, org: string, project: string, parts: string[]): PagePath | undefined {
  const lower = parts.map((p) => p.toLowerCase());
  if ((lower[0] === '_workitems' || lower[0] === '_queries') && lower[1] === 'edit' && parts.length === 3 && /^[1-9]\d{0,8}$/.test(parts[2]!)) {
    return { form, org, project, kind: 'workItem', workItemId: Number(parts[2]) };
  }
  if (lower[0] === '_boards' && lower[1] === 'board' && lower[2] === 't' && parts.length === 5) return { form, org, project, kind: 'board', team: parts[3] };
  return undefined;
}
