import { html, type Html } from '../html';
import { shortBranch } from '../links';
import type { PageRequest } from '../page-request';
import { aheadBehind, branches, defaultBranch } from '../repo-content';
import { slot } from '../slot';
import type { View } from '../view';
import { commandBar, commandButton, moreButton, pageHeader, relativeDay, rowMoreButton, tabBar } from './common';
import { EXTENSION_MENUS, extensionItems, gitRepository } from './extension-menus';

/** `/_git/{repo}/branches`: every branch with its last commit and ahead/behind the default. */
export async function branchesView(req: PageRequest): Promise<View> {
  const repo = req.repo!;
  const all = await branches(req.git, repo);
  const def = await defaultBranch(req.git, repo);
  const counts = new Map<string, { behind: number; ahead: number }>();
  if (def) for (const b of all) if (b.name !== def) counts.set(b.name, await aheadBehind(req.git, repo, `refs/heads/${def}`, `refs/heads/${b.name}`));
  const repository = gitRepository(req, req.project!, repo);
  const prs = req.store.pullRequestsOf(repo).filter((p) => p.status === 'active');
  const rows = all.map((b) => {
    const pr = prs.find((p) => shortBranch(p.sourceRefName) === b.name);
    const c = counts.get(b.name);
    return html`<tr class="bolt-table-row" data-sandbox-branch="${b.name}">
<td><a class="bolt-link" href="${req.links.files(repo, b.name)}">${b.name}</a>${b.name === def && html` <span class="bolt-pill">Default</span>`}</td>
<td class="monospaced-text">${b.objectId.slice(0, 8)}</td>
<td class="text-ellipsis">${b.subject}</td>
<td>${b.author}</td>
<td>${relativeDay(b.date)}</td>
<td>${c ? `${c.behind} | ${c.ahead}` : ''}</td>
<td>${pr && html`<a class="bolt-link" href="${req.links.pullRequest(pr)}">!${pr.pullRequestId}</a>`}</td>
<td>${rowMoreButton(`More options for ${b.name}`, ['New branch', 'New pull request', 'Delete branch'], extensionItems(req, EXTENSION_MENUS.branchRow, { item: { name: b.name, fullName: `refs/heads/${b.name}`, objectId: b.objectId }, repository }))}</td>
</tr>`;
  });
  const main = html`<div class="bolt-page flex-column">
${pageHeader({ title: 'Branches', commandbar: slot('branches-commandbar', 100, 400) })}
${tabBar([
  { id: 'mine', label: 'Mine', href: req.links.repo(repo, 'branches', { _a: 'mine' }), selected: false },
  { id: 'all', label: 'All', href: req.links.repo(repo, 'branches', { _a: 'all' }), selected: true },
  { id: 'stale', label: 'Stale', href: req.links.repo(repo, 'branches', { _a: 'stale' }), selected: false },
])}
<div class="page-content">${
    all.length
      ? html`<table class="bolt-table repos-branches-table" aria-label="Branches">
<thead><tr><th>Branch</th><th>Commit</th><th>Message</th><th>Author</th><th>Authored date</th><th>Behind | Ahead</th><th>Pull request</th><th><span class="visually-hidden">More options</span></th></tr></thead>
<tbody>${rows}</tbody></table>`
      : html`<div class="secondary-text">This repository has no branches.</div>`
  }</div>
</div>`;
  return { title: `Branches - ${repo.name} - Repos`, main };
}

export function branchesCommandBar(): Html {
  return commandBar([commandButton({ label: 'New branch', icon: 'ms-Icon--Add', primary: true }), moreButton('__bolt-header-command-bar-menu-button')]);
}
