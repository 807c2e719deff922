import { actionsFor } from '../../extension-host/xdm-host';
import type { Project, Repository } from '../../store';
import { html, jsonForScript, type Html } from '../html';
import type { PageRequest } from '../page-request';

/**
 * The menu items of the Azure DevOps extensions installed in the page's organization (index.ts
 * `adoExtension`), as Azure DevOps draws them inside its own menus: each action contribution that
 * targets a menu becomes one of its entries, and choosing it calls the contribution's `execute`
 * with the context that menu passes (client/extensions.ts, through the SDK host side in
 * sandbox/extension-host/xdm-host.ts). Which menu is which target, and each context's shape, with
 * their sources: MARKUP.md, "Extension menus".
 */

/** The menus the sandbox draws contributions into, each with the target ids it asks for. */
export const EXTENSION_MENUS = {
  filesListItem: ['ms.vss-code-web.source-item-menu', 'ms.vss-code-web.source-grid-item-menu'],
  branchRow: ['ms.vss-code-web.git-branches-tree-menu'],
  pullRequest: ['ms.vss-code-web.pull-request-action-menu'],
  workItemToolbar: ['ms.vss-work-web.work-item-toolbar-menu'],
  workItemContext: ['ms.vss-work-web.work-item-context-menu'],
} as const;

/**
 * The entries for a menu asking for `targets`, inert in a `<template>` beside the menu's button
 * until the menu opens (client/callouts.ts copies them in). Nothing when no extension there
 * targets the menu.
 */
export function extensionItems(req: PageRequest, targets: readonly string[], context: unknown): Html | undefined {
  const ext = req.store.extensions.get(req.org.id);
  const actions = ext ? actionsFor(ext, targets) : [];
  if (!ext || actions.length === 0) return undefined;
  return html`<template data-sandbox-extension-items>${actions.map(
    (c) =>
      html`<button class="bolt-list-row bolt-button subtle" role="menuitem" type="button" title="${c.properties.title ?? ''}" data-sandbox-action="extension-action" data-sandbox-contribution="${ext.publisherId}.${ext.extensionId}.${c.id}" data-sandbox-project="${req.project?.name ?? ''}" data-sandbox-context="${JSON.stringify(context)}">${c.properties.text ?? c.id}</button>`,
  )}</template>`;
}

/** What the page's script needs to host the extension (first HTML only, like the data providers). */
export function extensionHostConfig(req: PageRequest): Html | undefined {
  const ext = req.store.extensions.get(req.org.id);
  if (!ext) return undefined;
  const page = { organization: req.org.name, project: req.project?.name ?? '', user: req.user.displayName };
  return html`<script id="sandbox-extension-host" type="application/json">${jsonForScript({ extension: ext, page })}</script>`;
}

const friendly = (ref: string) => ref.replace(/^refs\/heads\//, '');

/**
 * What Azure DevOps' pull request page passes its ⋮ menu's contributions: its own view model of the
 * pull request (`IPullRequest` of `PullRequestDetailStore`), with the repository only as
 * `repositoryId` / `repositoryName` and the project as `projectGuid`, not the REST API's object.
 */
export function pullRequestViewModel(req: PageRequest) {
  const pr = req.pullRequest!;
  return {
    pullRequestId: pr.pullRequestId,
    codeReviewId: pr.pullRequestId,
    repositoryId: req.repo!.id,
    repositoryName: req.repo!.name,
    projectGuid: req.project!.id,
    title: pr.title,
    description: pr.description,
    status: pr.status,
    isDraft: pr.isDraft,
    isFork: !!pr.forkSourceRepositoryId,
    sourceRefName: pr.sourceRefName,
    sourceFriendlyName: friendly(pr.sourceRefName),
    targetRefName: pr.targetRefName,
    targetFriendlyName: friendly(pr.targetRefName),
  };
}

/** A repository as the Git REST API describes it: the shape menus pass (`GitRepository`). */
export function gitRepository(req: PageRequest, project: Project, repo: Repository) {
  return {
    id: repo.id,
    name: repo.name,
    url: req.urls.repositoryUrl(project, repo),
    project: { id: project.id, name: project.name },
    remoteUrl: req.urls.remoteUrl(project, repo),
    sshUrl: req.urls.sshUrl(project, repo),
    webUrl: req.urls.webUrl(project, repo),
  };
}
