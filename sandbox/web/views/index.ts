import { html, type Html } from '../html';
import type { PageRequest } from '../page-request';
import { branches } from '../repo-content';
import { queryString } from '../links';
import type { View } from '../view';
import { branchesCommandBar, branchesView } from './branches';
import { clonePanel, emptyRepoClone } from './clone';
import { orgPullsView } from './org-pulls';
import { organizationView, projectView } from './project';
import { pullRequestCommandBar, pullRequestView, reviewersSection } from './pull-request';
import { pullRequestCreateView } from './pull-request-create';
import { pullRequestListCommandBar, pullRequestListView } from './pull-request-list';
import { filesCommandBar, repoFilesView } from './repo-files';
import { boardView, workItemView } from './work-item';

export async function renderView(req: PageRequest): Promise<View> {
  switch (req.page.kind) {
    case 'org':
      return organizationView(req);
    case 'project':
      return projectView(req);
    case 'orgPulls':
      return orgPullsView(req);
    case 'repo':
      return repoFilesView(req);
    case 'branches':
      return branchesView(req);
    case 'pullRequests':
      return pullRequestListView(req);
    case 'pullRequest':
      return pullRequestView(req);
    case 'pullRequestCreate':
      return pullRequestCreateView(req);
    case 'workItem':
      return workItemView(req);
    case 'board':
      return boardView(req);
  }
}

/** The page parts rendered late (`slot()`), and the callouts; undefined when the page has no such part. */
export async function renderPart(req: PageRequest, name: string, which: string | null): Promise<Html | undefined> {
  const kind = req.page.kind;
  const repoPage = !!req.repo;
  switch (name) {
    case 'files-commandbar':
      return kind === 'repo' && req.repo ? filesCommandBar(req) : undefined;
    case 'clone-panel':
      return repoPage ? clonePanel(req) : undefined;
    case 'empty-clone':
      return kind === 'repo' ? emptyRepoClone(req) : undefined;
    case 'branches-commandbar':
      return kind === 'branches' ? branchesCommandBar() : undefined;
    case 'pr-list-commandbar':
      return kind === 'pullRequests' ? pullRequestListCommandBar(req) : undefined;
    case 'pr-commandbar':
      return kind === 'pullRequest' ? pullRequestCommandBar(req) : undefined;
    case 'pr-reviewers':
      return kind === 'pullRequest' ? reviewersSection(req) : undefined;
    case 'branch-menu':
      return repoPage && (which === 'version' || which === 'sourceRef' || which === 'targetRef') ? branchMenu(req, which) : undefined;
    default:
      return undefined;
  }
}

/** The branch picker's list: links to this page with the chosen branch in `which`. */
async function branchMenu(req: PageRequest, which: 'version' | 'sourceRef' | 'targetRef'): Promise<Html> {
  const all = await branches(req.git, req.repo!);
  const link = (name: string) => {
    const q = Object.fromEntries(req.url.searchParams);
    q[which] = which === 'version' ? `GB${name}` : name;
    return `${req.url.pathname}${queryString(q)}`;
  };
  return html`<div class="bolt-callout bolt-callout-auto-position" role="dialog" aria-label="Branches" data-sandbox-callout="branch-menu">
<div class="bolt-callout-content bolt-callout-shadow bolt-menu flex-column" role="listbox">${all.map(
    (b) => html`<a class="bolt-list-row" role="option" href="${link(b.name)}" data-sandbox-branch="${b.name}">${b.name}</a>`,
  )}</div>
</div>`;
}
