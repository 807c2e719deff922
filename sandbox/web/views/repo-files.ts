import { html, type Html } from '../html';
import type { PageRequest } from '../page-request';
import { branches, defaultBranch, itemAt, type ItemAt } from '../repo-content';
import { slot } from '../slot';
import type { View } from '../view';
import { EXTENSION_MENUS, extensionItems, gitRepository } from './extension-menus';
import { commandBar, commandButton, messageBar, moreButton, pageHeader, rowMoreButton, tabBar, versionDropdown } from './common';
import { emptyRepoView } from './empty-repo';

/** `/_git/{repo}?path=&version=GB{branch}`: the files view, or the empty-repository page. */
export async function repoFilesView(req: PageRequest): Promise<View> {
  const repo = req.repo!;
  const all = await branches(req.git, repo);
  if (all.length === 0) return emptyRepoView(req);
  const version = req.url.searchParams.get('version');
  const fallback = (await defaultBranch(req.git, repo)) ?? all[0]!.name;
  const requested = version?.startsWith('GB') ? version.slice(2) : undefined;
  const branch = requested ?? fallback;
  const path = req.url.searchParams.get('path') || '/';
  let problem: string | undefined;
  let item: ItemAt = { kind: 'missing' };
  if (version && !version.startsWith('GB')) problem = `The sandbox shows branches only (version=GB...), not '${version}'.`;
  else if (!all.some((b) => b.name === branch)) problem = `TF401175: The version descriptor <Branch: ${branch}> could not be resolved to a version commit.`;
  else {
    item = await itemAt(req.git, repo, `refs/heads/${branch}`, path);
    if (item.kind === 'missing') problem = `TF401174: The item '${path}' could not be found in the repository '${repo.name}' at the version specified by '<Branch: ${branch}>'.`;
  }

  const main = html`<div class="bolt-page repos-files-hub-page flex-column">
${pageHeader({ title: pathTitle(repo.name, path), extraClass: 'repos-files-header', before: html`${versionDropdown(branch, 'version')}${pathCrumbs(req, branch, path)}`, commandbar: slot('files-commandbar', 100, 400) })}
${tabBar([
  { id: 'contents', label: 'Contents', href: req.links.files(repo, requested, path === '/' ? undefined : path), selected: true },
  { id: 'history', label: 'History', href: req.links.files(repo, requested, path === '/' ? undefined : path), selected: false },
])}
${problem && messageBar(problem)}
<div class="page-content">${item.kind === 'folder' ? folderTable(req, branch, requested, item) : item.kind === 'file' ? fileContent(item) : ''}</div>
</div>`;
  return { title: `${repo.name} - Repos`, main };
}

function pathTitle(repoName: string, path: string): string {
  return path === '/' ? repoName : (path.split('/').filter(Boolean).pop() ?? repoName);
}

function pathCrumbs(req: PageRequest, branch: string, path: string): Html {
  const repo = req.repo!;
  const parts = path.split('/').filter(Boolean);
  const version = req.url.searchParams.get('version') ? branch : undefined;
  const crumbs = parts.map((p, i) => html`<span class="secondary-text">/</span><a class="bolt-link" href="${req.links.files(repo, version, '/' + parts.slice(0, i + 1).join('/'))}">${p}</a>`);
  return html`<div class="repos-path-breadcrumb flex-row flex-center rhythm-horizontal-8"><a class="bolt-link" href="${req.links.files(repo, version)}">${repo.name}</a>${crumbs}</div>`;
}

function folderTable(req: PageRequest, branch: string, requested: string | undefined, item: Extract<ItemAt, { kind: 'folder' }>): Html {
  const repo = req.repo!;
  const gitRepo = gitRepository(req, req.project!, repo);
  // Each row's ⋮ holds the extensions' items with the context Azure DevOps' Files list passes
  // (MARKUP.md, Extension menus): `version` is the display text of the branch, its name.
  const rowMenu = (e: (typeof item.entries)[number]) =>
    rowMoreButton(
      `More options for ${e.name}`,
      ['Download', 'Rename', 'Delete'],
      extensionItems(req, EXTENSION_MENUS.filesListItem, { gitRepository: gitRepo, item: { sourceProvider: 'Git', path: e.path, isFolder: e.kind === 'folder', isSymLink: false }, version: branch }),
    );
  return html`<table class="bolt-table repos-files-table" aria-label="Files in ${branch}">
<thead><tr><th aria-colindex="1">Name</th><th aria-colindex="2">Type</th><th aria-colindex="3"><span class="visually-hidden">More options</span></th></tr></thead>
<tbody>${item.entries.map(
    (e) =>
      html`<tr class="bolt-table-row" data-sandbox-path="${e.path}"><td aria-colindex="1"><span class="${e.kind === 'folder' ? 'repos-folder-icon' : 'repos-file-icon'}" aria-hidden="true"></span> <a class="bolt-link" href="${req.links.files(repo, requested, e.path)}">${e.name}</a></td><td aria-colindex="2" class="secondary-text">${e.kind === 'folder' ? 'Folder' : 'File'}</td><td aria-colindex="3">${rowMenu(e)}</td></tr>`,
  )}</tbody>
</table>`;
}

function fileContent(item: Extract<ItemAt, { kind: 'file' }>): Html {
  if (item.text === undefined) return html`<div class="secondary-text">This file (${item.size} bytes) is binary or too large to show.</div>`;
  return html`<pre class="repos-file-content monospaced-text">${item.text}</pre>`;
}

/**
 * The late command bar with Clone (no id: no public source shows it). The ⋮ menu holds Fork, as
 * on the real page (forks are made from there), and no extension's items: those are in the list's
 * rows. Edit (`#__bolt-edit`) comes first while a file is shown.
 */
export async function filesCommandBar(req: PageRequest): Promise<Html> {
  const path = req.url.searchParams.get('path');
  const version = req.url.searchParams.get('version');
  const branch = version?.startsWith('GB') ? version.slice(2) : await defaultBranch(req.git, req.repo!);
  const isFile = !!path && path !== '/' && !!branch && (await itemAt(req.git, req.repo!, `refs/heads/${branch}`, path).catch(() => undefined))?.kind === 'file';
  return commandBar(
    [
      ...(isFile ? [commandButton({ id: 'edit', label: 'Edit', icon: 'ms-Icon--Edit' })] : []),
      commandButton({ label: 'Set up build', icon: 'ms-Icon--Rocket' }),
      commandButton({ label: 'Clone', icon: 'ms-Icon--Download', attrs: html` aria-haspopup="dialog" data-sandbox-action="clone"` }),
      moreButton('__bolt-header-command-bar-menu-button', ['Download as Zip', 'Fork']),
    ],
    'repos-files-header-commandbar',
  );
}
