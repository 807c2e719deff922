import { html } from '../html';
import { shortBranch } from '../links';
import type { PageRequest } from '../page-request';
import { branches, changedFiles, commitsBetween, defaultBranch } from '../repo-content';
import type { View } from '../view';
import { messageBar, versionDropdown } from './common';

/**
 * `/_git/{repo}/pullrequestcreate?sourceRef=&targetRef=`: the create form. Create posts to the
 * REST API from the page (same origin, session cookie), like the real page.
 */
export async function pullRequestCreateView(req: PageRequest): Promise<View> {
  const repo = req.repo!;
  const project = req.project!;
  const all = await branches(req.git, repo);
  const def = (await defaultBranch(req.git, repo)) ?? all[0]?.name ?? repo.initialBranch;
  const q = req.url.searchParams;
  const target = shortBranch(q.get('targetRef') ?? def);
  const source = shortBranch(q.get('sourceRef') ?? all.find((b) => b.name !== target)?.name ?? target);
  const known = (b: string) => all.some((x) => x.name === b);
  let problem: string | undefined;
  if (!known(source)) problem = `The branch '${source}' does not exist.`;
  else if (!known(target)) problem = `The branch '${target}' does not exist.`;
  else if (source === target) problem = 'Choose two different branches to create a pull request.';
  const from = `refs/heads/${source}`;
  const into = `refs/heads/${target}`;
  const commits = problem ? [] : await commitsBetween(req.git, repo, into, from);
  const files = problem ? [] : await changedFiles(req.git, repo, into, from);
  const title = commits.length === 1 ? commits[0]!.subject : source;
  const api = new URL(`${req.urls.repositoryUrl(project, repo)}/pullrequests?api-version=7.1`);
  const main = html`<div class="bolt-page repos-pr-create-page flex-column">
<div class="bolt-header repos-pr-create-header flex-column rhythm-vertical-8">
<div class="repos-pr-create-header-first-row flex-row"><div role="heading" aria-level="1" class="bolt-header-title title-m l">New pull request</div></div>
<div class="flex-row flex-center rhythm-horizontal-8">${versionDropdown(source, 'sourceRef', 'Source branch')}<span>into</span>${versionDropdown(target, 'targetRef', 'Target branch')}</div>
</div>
${problem && messageBar(problem)}
<div class="page-content">
<form class="repos-pr-create-form flex-column rhythm-vertical-8" data-sandbox-create-pr="${api.pathname}${api.search}" data-sandbox-source="${from}" data-sandbox-target="${into}">
<label class="flex-column">Title<input class="bolt-textfield-input repos-pr-create-form-title" name="title" placeholder="Enter a title" value="${title}" required></label>
<label class="flex-column">Description<textarea class="bolt-textfield-input" name="description" rows="6" placeholder="Describe the code that is being reviewed"></textarea></label>
<label class="flex-column">Reviewers<input class="bolt-textfield-input" name="reviewers" placeholder="Search users and groups to add as reviewers"></label>
<div class="flex-row"><div class="bolt-split-button flex-row"><button class="bolt-split-button-main bolt-button enabled primary bolt-focus-treatment" type="submit"${problem ? ' disabled' : ''}>Create</button><button class="bolt-split-button-option bolt-button enabled primary" type="button" aria-label="More create options">&#9662;</button></div></div>
<div data-sandbox-form-message></div>
</form>
<div class="bolt-card secondary-text">${files.length} files changed, ${commits.length} commits</div>
</div>
</div>`;
  return { title: `New pull request - ${repo.name} - Repos`, main };
}
