import type { PullRequest, Reviewer } from '../../store';
import { html, raw, type Html } from '../html';
import { avatarDataUri, identityName, VOTE_LABELS, voteClass } from '../identities';
import { shortBranch } from '../links';
import type { PageRequest } from '../page-request';
import { changedFiles, commitsBetween } from '../repo-content';
import { slot } from '../slot';
import type { View } from '../view';
import { commandBar, moreButton, relativeDay, tabBar } from './common';
import { EXTENSION_MENUS, extensionItems, pullRequestViewModel } from './extension-menus';

const TABS = ['overview', 'files', 'updates', 'commits'] as const;
type Tab = (typeof TABS)[number];

/** `/_git/{repo}/pullrequest/{id}[?_a=overview|files|updates|commits]`. */
export async function pullRequestView(req: PageRequest): Promise<View> {
  const pr = req.pullRequest!;
  const asked = req.url.searchParams.get('_a')?.toLowerCase();
  const tab: Tab = (TABS as readonly string[]).includes(asked ?? '') ? (asked as Tab) : 'overview';
  const status = pr.status[0]!.toUpperCase() + pr.status.slice(1);
  const main = html`<div class="bolt-page repos-pr-details-page flex-column" data-sandbox-pull-request="${pr.pullRequestId}">
<div class="bolt-header repos-pr-header flex-row">
<div class="bolt-header-title-area flex-column rhythm-vertical-8">
<div class="repos-pr-title-row flex-row flex-center rhythm-horizontal-8">
<span class="bolt-pill repos-pr-status ${pr.status === 'active' ? 'success' : ''}">${status}</span>${pr.isDraft && html`<span class="bolt-pill draft">Draft</span>`}
<div role="heading" aria-level="1" class="bolt-header-title title-m l text-ellipsis">${pr.title}</div>
</div>
<div class="flex-row flex-center rhythm-horizontal-8 secondary-text">
<span>!${pr.pullRequestId}</span><span>${identityName(req.store, pr.createdById)}</span>
<div class="pr-header-branches flex-row flex-center rhythm-horizontal-8">${branchLink(req, pr, pr.sourceRefName, true)}<span>into</span>${branchLink(req, pr, pr.targetRefName, false)}</div>
</div>
</div>
${slot('pr-commandbar', 100, 400)}
</div>
${tabBar(
  TABS.map((t) => ({ id: t, label: t[0]!.toUpperCase() + t.slice(1), href: req.links.pullRequest(pr, t), selected: t === tab })),
  'repos-pr-details-page-tabbar',
)}
<div class="page-content">${tab === 'overview' ? overview(pr) : tab === 'files' ? await filesTab(req, pr) : await commitsTab(req, pr, tab)}</div>
</div>`;
  return {
    title: `Pull request ${pr.pullRequestId}: ${pr.title} - Repos`,
    main,
    dataProviders: {
      'ms.vss-code-web.pr-detail-data-provider': {
        pullRequest: {
          pullRequestId: pr.pullRequestId,
          title: pr.title,
          status: pr.status,
          isDraft: pr.isDraft,
          sourceRefName: pr.sourceRefName,
          targetRefName: pr.targetRefName,
          createdBy: { id: pr.createdById, displayName: identityName(req.store, pr.createdById) },
          repository: { id: req.repo!.id, name: req.repo!.name },
        },
      },
    },
  };
}

function branchLink(req: PageRequest, pr: PullRequest, refName: string, isSource: boolean): Html {
  const sourceRepo = isSource && pr.forkSourceRepositoryId ? req.store.repositories.get(pr.forkSourceRepositoryId) : undefined;
  const repo = sourceRepo ?? req.repo!;
  return html`<a class="bolt-link" href="${req.links.files(repo, shortBranch(refName))}">${shortBranch(refName)}</a>`;
}

function overview(pr: PullRequest): Html {
  return html`<div class="repos-overview flex-row">
<div class="repos-overview-left-pane flex-column">
<div class="bolt-card flex-column rhythm-vertical-8"><div role="heading" aria-level="2" class="font-weight-semibold">Description</div><div class="repos-pr-description">${pr.description || html`<span class="secondary-text">No description provided.</span>`}</div></div>
</div>
<div class="repos-overview-right-pane flex-column rhythm-vertical-8">
${slot('pr-reviewers', 150, 600)}
<div class="flex-column"><div class="font-weight-semibold">Tags</div><div class="secondary-text">No tags</div></div>
<div class="flex-column"><div class="font-weight-semibold">Work items</div><div class="secondary-text">No work items</div></div>
</div>
</div>`;
}

async function filesTab(req: PageRequest, pr: PullRequest): Promise<Html> {
  const files = pr.forkSourceRepositoryId ? [] : await changedFiles(req.git, req.repo!, pr.targetRefName, pr.sourceRefName);
  return html`<div class="repos-compare-toolbar flex-row flex-center rhythm-horizontal-8"><span>${files.length} changed files</span></div>
<div class="bolt-list" role="list">${files.map((f) => html`<div class="bolt-list-row" role="listitem"><span class="secondary-text">${f.change}</span>&nbsp;<span class="monospaced-text">${f.path}</span></div>`)}</div>`;
}

async function commitsTab(req: PageRequest, pr: PullRequest, tab: Tab): Promise<Html> {
  const commits = pr.forkSourceRepositoryId ? [] : await commitsBetween(req.git, req.repo!, pr.targetRefName, pr.sourceRefName);
  if (tab === 'updates') return html`<div class="bolt-card">Update 1: ${commits.length} commits pushed.</div>`;
  return html`<table class="bolt-table repos-commits-table"><thead><tr><th>Commit</th><th>Message</th><th>Author</th><th>Date</th></tr></thead><tbody>${commits.map(
    (c) => html`<tr><td class="monospaced-text">${c.commitId.slice(0, 8)}</td><td>${c.subject}</td><td>${c.author}</td><td>${relativeDay(c.date)}</td></tr>`,
  )}</tbody></table>`;
}

/** The late command bar: vote and complete (active pull requests only), then ⋮. */
export function pullRequestCommandBar(req: PageRequest): Html {
  const pr = req.pullRequest!;
  const more = moreButton(
    `__bolt-menu-button-pr-${pr.pullRequestId}`,
    [],
    extensionItems(req, EXTENSION_MENUS.pullRequest, { pullRequest: pullRequestViewModel(req) }),
  );
  if (pr.status !== 'active') return commandBar([more]);
  const mine = pr.reviewers.find((r) => r.id === req.user.id);
  const voteApi = new URL(`${req.urls.repositoryUrl(req.project!, req.repo!)}/pullRequests/${pr.pullRequestId}/reviewers/${req.user.id}?api-version=7.1`);
  return commandBar([
    html`<div class="repos-pr-header-vote-button bolt-split-button flex-stretch inline-flex-row"><button class="bolt-split-button-main bolt-button enabled bolt-focus-treatment" type="button" data-sandbox-action="vote" data-sandbox-vote="10" data-sandbox-vote-url="${voteApi.pathname}${voteApi.search}">${mine?.vote === 10 ? 'Approved' : 'Approve'}</button><button class="bolt-split-button-option bolt-button enabled bolt-focus-treatment" type="button" aria-label="More vote options" aria-haspopup="true">${raw('&#9662;')}</button></div>`,
    html`<div class="repos-pr-header-complete-button bolt-split-button flex-stretch inline-flex-row"><button class="bolt-split-button-main bolt-button enabled primary bolt-focus-treatment" type="button">${pr.isDraft ? 'Publish' : 'Set auto-complete'}</button><button class="bolt-split-button-option bolt-button enabled primary bolt-focus-treatment" type="button" aria-label="More completion options" aria-haspopup="true">${raw('&#9662;')}</button></div>`,
    more,
  ]);
}

/**
 * The Reviewers section, rendered from the store at request time so a reviewer added or a vote
 * cast through the REST API shows on the next render.
 */
export function reviewersSection(req: PageRequest): Html {
  const pr = req.pullRequest!;
  const required = pr.reviewers.filter((r) => r.isRequired);
  const optional = pr.reviewers.filter((r) => !r.isRequired);
  const group = (cls: string, title: string, list: Reviewer[]) =>
    list.length ? html`<div class="${cls} flex-column"><div class="body-s secondary-text font-weight-semibold">${title}</div>${list.map((r) => reviewerRow(req, r))}</div>` : '';
  return html`<div class="flex-column" aria-label="Reviewers" data-sandbox-reviewers>
<div class="flex-row flex-center"><div role="heading" aria-level="2" class="font-weight-semibold flex-grow">Reviewers</div><button class="bolt-button subtle enabled" type="button" aria-label="Add reviewer">Add</button></div>
${pr.reviewers.length === 0 ? html`<div class="repos-pr-no-items-well secondary-text">No reviewers</div>` : ''}
${group('pr-required-reviewers-section', 'Required', required)}
${group('pr-optional-reviewers-section', 'Optional', optional)}
</div>`;
}

function reviewerRow(req: PageRequest, r: Reviewer): Html {
  const name = identityName(req.store, r.id);
  const vote = VOTE_LABELS[r.vote];
  const kind = r.isRequired ? 'Required' : 'Optional';
  return html`<div class="repos-reviewer flex-row flex-center" aria-label="${name}, ${vote}, ${kind}">
<span class="bolt-coin flex-noshrink"><img class="bolt-coin-content" alt="" width="28" height="28" src="${avatarDataUri(name)}"></span>
<div class="flex-column"><span class="body-m text-ellipsis">${name}</span><span class="body-s secondary-text repos-pr-reviewer-vote ${voteClass(r.vote)}">${vote}</span></div>
</div>`;
}
