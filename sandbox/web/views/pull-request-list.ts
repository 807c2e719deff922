import type { PullRequest, Reviewer } from '../../store';
import { html, raw, type Html } from '../html';
import { shortBranch, type WebLinks } from '../links';
import { identityName, VOTE_LABELS, voteClass } from '../identities';
import type { PageRequest } from '../page-request';
import { slot } from '../slot';
import type { View } from '../view';
import { commandBar, commandButton, moreButton, pageHeader, relativeDay, tabBar } from './common';

const TABS = ['mine', 'active', 'completed', 'abandoned'] as const;
type Tab = (typeof TABS)[number];

/** `/_git/{repo}/pullrequests?_a=mine|active|completed|abandoned` (default: mine, like the real one). */
export function pullRequestListView(req: PageRequest): View {
  const repo = req.repo!;
  const asked = req.url.searchParams.get('_a')?.toLowerCase();
  const tab: Tab = (TABS as readonly string[]).includes(asked ?? '') ? (asked as Tab) : 'mine';
  const prs = req.store.pullRequestsOf(repo).filter((p) => inTab(p, tab, req.user.id));
  const main = html`<div class="bolt-page repos-pr-list-page flex-column">
${pageHeader({ title: 'Pull requests', commandbar: slot('pr-list-commandbar', 100, 400) })}
${tabBar(TABS.map((t) => ({ id: t, label: t[0]!.toUpperCase() + t.slice(1), href: req.links.repo(repo, 'pullrequests', { _a: t }), selected: t === tab })))}
<div class="page-content">${pullRequestRows(req, prs, req.links)}</div>
</div>`;
  return { title: `Pull requests - ${repo.name} - Repos`, main };
}

function inTab(pr: PullRequest, tab: Tab, userId: string): boolean {
  if (tab === 'mine') return pr.status === 'active' && (pr.createdById === userId || pr.reviewers.some((r) => r.id === userId));
  return pr.status === tab;
}

/** Rows as `a.bolt-table-row.bolt-list-row`, shared with the organization's pull request page. */
export function pullRequestRows(req: PageRequest, prs: PullRequest[], links: WebLinks): Html {
  if (!prs.length) return html`<div class="repos-pr-no-items-well secondary-text">No pull requests to show.</div>`;
  return html`<div class="bolt-list" role="list" aria-label="Pull requests">${prs.map(
    (pr, i) => html`<a class="bolt-table-row bolt-list-row single-click-activation v-align-middle${i === 0 ? ' first-row' : ''}" role="listitem" href="${links.pullRequest(pr)}" data-sandbox-pull-request="${pr.pullRequestId}">
<div class="flex-column flex-grow">
<div class="flex-row flex-center rhythm-horizontal-8"><span class="font-weight-semibold">${pr.title}</span>${pr.isDraft && html`<span class="bolt-pill draft">Draft</span>`}${pr.status !== 'active' && html`<span class="bolt-pill">${pr.status[0]!.toUpperCase() + pr.status.slice(1)}</span>`}</div>
<div class="body-s secondary-text">!${pr.pullRequestId} created by ${identityName(req.store, pr.createdById)} ${relativeDay(pr.creationDate)} · ${shortBranch(pr.sourceRefName)} ${raw('&rarr;')} ${shortBranch(pr.targetRefName)}</div>
</div>
<div class="flex-row rhythm-horizontal-8">${pr.reviewers.map((r) => voteIcon(req, r))}</div>
</a>`,
  )}</div>`;
}

function voteIcon(req: PageRequest, r: Reviewer): Html {
  const label = `${identityName(req.store, r.id)}: ${VOTE_LABELS[r.vote]}`;
  return html`<span class="repos-pr-reviewer-vote ${voteClass(r.vote)}" title="${label}" aria-label="${label}">${raw(r.vote >= 5 ? '&#x2714;' : r.vote < 0 ? '&#x2716;' : '&#x25CB;')}</span>`;
}

export function pullRequestListCommandBar(req: PageRequest): Html {
  return commandBar([commandButton({ label: 'New pull request', icon: 'ms-Icon--Add', primary: true, href: req.links.repo(req.repo!, 'pullrequestcreate') }), moreButton('__bolt-menu-button-pull-requests')]);
}
