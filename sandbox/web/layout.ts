import { accountNames } from '../account-names';
import type { Repository } from '../store';
import { html, jsonForScript, raw, type Html } from './html';
import type { PageRequest } from './page-request';
import { defaultBranch } from './repo-content';
import { requestedThemeId, themeMarkup, type ThemePref } from './theme';
import type { View } from './view';
import { extensionHostConfig } from './views/extension-menus';

export const STATIC_BASE = '/_sandbox/web';

/** The whole first HTML of a page: shell, data providers, header, navigation and main region. */
export async function renderDocument(req: PageRequest, view: View): Promise<string> {
  const providers = await dataProviders(req, view);
  return documentShell({
    title: view.title,
    theme: req.theme,
    variant: req.variant,
    providers: html`<script id="dataProviders" type="application/json">${jsonForScript(providers)}</script>${extensionHostConfig(req)}`,
    header: header(req),
    nav: navigation(req),
    main: view.main,
  });
}

/** The regions that in-app navigation replaces (the view endpoint's answer). */
export function regions(req: PageRequest, view: View): { title: string; breadcrumb: string; nav: string; main: string } {
  return { title: view.title, breadcrumb: breadcrumb(req).text, nav: navigation(req).text, main: view.main.text };
}

export interface ShellParts {
  title: string;
  theme: ThemePref;
  variant: string;
  providers?: Html;
  header?: Html;
  nav?: Html;
  main: Html;
}

export function documentShell(p: ShellParts): string {
  const theme = themeMarkup(p.theme);
  return `<!DOCTYPE html>${html`<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title}</title>
<link rel="stylesheet" href="${STATIC_BASE}/app.css?variant=${p.variant}">
<script src="${STATIC_BASE}/app.js" defer></script>
</head>
<body class="${theme.bodyClass} fluent-icons-enabled" data-theme="${theme.themeId}" data-sandbox-theme-pref="${p.theme}">
${p.theme === 'auto' ? autoThemeScript() : ''}
${p.providers}
<div class="full-size flex-column">
${p.header ?? ''}
<div class="flex-row flex-grow" style="min-height: 0">
<nav class="region-navigation flex-noshrink" aria-label="Navigation" data-sandbox-region="nav">${p.nav ?? ''}</nav>
<main class="region-content" role="main" data-sandbox-region="main">${p.main}</main>
</div>
</div>
<div class="bolt-portal-host" data-sandbox-portal></div>
</body>
</html>`.text}`;
}

/** Runs before the first paint so an `auto` page never flashes the wrong theme. */
function autoThemeScript(): Html {
  return raw(
    `<script>(function(){var b=document.body;if(window.matchMedia&&matchMedia('(prefers-color-scheme: dark)').matches){b.className=b.className.replace('ms-vss-web-vsts-theme','ms-vss-web-vsts-theme-dark');b.setAttribute('data-theme','ms.vss-web.vsts-theme-dark');}})();</script>`,
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
}

function header(req: PageRequest): Html {
  return html`<div class="region-header flex-row flex-noshrink">
<a class="sandbox-logo" href="${req.links.home()}" aria-label="Azure DevOps">Azure DevOps</a>
<div class="bolt-breadcrumb flex-row flex-grow" data-sandbox-region="breadcrumb">${breadcrumb(req)}</div>
<div class="region-header-menubar flex-row rhythm-horizontal-8">
<a class="bolt-button subtle" href="${req.links.orgPulls()}">My pull requests</a>
<button class="bolt-button subtle" type="button" aria-label="Account manager for ${req.user.displayName}" title="${req.user.displayName} (${accountNames(req.org, req.user).uniqueName})"><span class="bolt-coin">${initials(req.user.displayName)}</span>${req.user.displayName}</button>
</div>
</div>`;
}

function breadcrumb(req: PageRequest): Html {
  const items: Html[] = [html`<a class="bolt-breadcrumb-item" href="${req.links.home()}">${req.org.name}</a>`];
  if (req.project) items.push(html`<a class="bolt-breadcrumb-item" href="${req.links.project(req.project)}">${req.project.name}</a>`);
  if (req.repo) {
    items.push(html`<span class="bolt-breadcrumb-item">Repos</span>`);
    items.push(html`<a class="bolt-breadcrumb-item" href="${req.links.repo(req.repo)}">${req.repo.name}</a>`);
  }
  if (req.page.kind === 'orgPulls') items.push(html`<span class="bolt-breadcrumb-item">Pull requests</span>`);
  return html`${items}`;
}

/** The repository the Repos links point at: the page's, else the one named like the project. */
function navRepo(req: PageRequest): Repository | undefined {
  if (req.repo) return req.repo;
  if (!req.project) return undefined;
  const repos = req.store.repositoriesOf(req.project).filter((r) => !r.isDisabled);
  return repos.find((r) => r.name.toLowerCase() === req.project!.name.toLowerCase()) ?? repos[0];
}

function link(href: string, label: string, selected: boolean): Html {
  return html`<a class="navigation-link${selected ? ' selected' : ''}" href="${href}"${selected ? raw(' aria-current="page"') : ''}>${label}</a>`;
}

function navigation(req: PageRequest): Html {
  const kind = req.page.kind;
  const repo = navRepo(req);
  return html`${req.project && html`<div class="navigation-group-title">${req.project.name}</div>
${link(req.links.project(req.project), 'Overview', kind === 'project')}`}
${repo &&
  html`<div class="navigation-group-title">Repos</div>
${link(req.links.repo(repo), 'Files', kind === 'repo')}
${link(req.links.repo(repo, 'branches'), 'Branches', kind === 'branches')}
${link(req.links.repo(repo, 'pullrequests'), 'Pull requests', kind === 'pullRequests' || kind === 'pullRequest' || kind === 'pullRequestCreate')}`}
<div class="navigation-group-title">${req.org.name}</div>
${link(req.links.home(), 'Projects', false)}
${link(req.links.orgPulls(), 'My pull requests', kind === 'orgPulls')}`;
}

/**
 * The page's `#dataProviders` JSON, with the provider ids and fields userscripts read
 * (MARKUP.md). Written once into the first HTML; in-app navigation never updates it.
 */
async function dataProviders(req: PageRequest, view: View): Promise<unknown> {
  const data: Record<string, unknown> = {
    'ms.vss-web.page-data': {
      user: (({ uniqueName, subjectDescriptor }) => ({ id: req.user.id, displayName: req.user.displayName, uniqueName, descriptor: subjectDescriptor }))(accountNames(req.org, req.user)),
      hostId: req.org.id,
      hostName: req.org.name,
      hostType: req.page.form === 'onprem' ? 'collection' : 'organization',
    },
    'ms.vss-tfs-web.header-action-data': { suiteHomeUrl: req.links.home() },
    'ms.vss-web.theme-data': { requestedThemeId: requestedThemeId(req.theme) },
  };
  if (req.project) data['ms.vss-tfs-web.page-data'] = { project: { id: req.project.id, name: req.project.name } };
  if (req.repo && req.project) {
    const branch = await defaultBranch(req.git, req.repo);
    data['ms.vss-code-web.versioncontrol-viewmodel-data-provider'] = {
      gitRepository: {
        id: req.repo.id,
        name: req.repo.name,
        url: req.urls.repositoryUrl(req.project, req.repo),
        project: { id: req.project.id, name: req.project.name },
        defaultBranch: branch ? `refs/heads/${branch}` : undefined,
        remoteUrl: req.urls.remoteUrl(req.project, req.repo),
        sshUrl: req.urls.sshUrl(req.project, req.repo),
        webUrl: req.urls.webUrl(req.project, req.repo),
        isFork: !!req.repo.parentId,
      },
    };
  }
  Object.assign(data, view.dataProviders ?? {});
  return { data, resolvedProviders: Object.keys(data).map((id) => ({ id })) };
}
