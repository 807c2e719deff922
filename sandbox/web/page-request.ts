import type { GitRepos } from '../git-repos';
import type { HostInfo } from '../hosts';
import type { Organization, Project, PullRequest, Repository, Store, User } from '../store';
import { CollectionUrls } from '../urls';
import { WebLinks } from './links';
import type { MarkupVariant } from './markup-variant';
import { parsePagePath, type PagePath } from './page-url';
import type { ThemePref } from './theme';
import type { WorkItem } from '../work-items';

/** Everything a page renderer needs, resolved from the page URL and the signed-in user. */
export interface PageRequest {
  store: Store;
  git: GitRepos;
  user: User;
  host: HostInfo;
  /** The page's URL as the browser shows it. */
  url: URL;
  page: PagePath;
  org: Organization;
  /** URLs the REST API would answer for this host form (clone URLs, suiteHomeUrl). */
  urls: CollectionUrls;
  links: WebLinks;
  project?: Project;
  repo?: Repository;
  pullRequest?: PullRequest;
  workItem?: WorkItem;
  theme: ThemePref;
  variant: MarkupVariant;
}

/** A page that cannot be shown, with the message Azure DevOps would give. */
export interface PageFailure {
  status: number;
  title: string;
  message: string;
}

export interface PageInputs {
  store: Store;
  git: GitRepos;
  user: User;
  host: HostInfo;
  url: URL;
  theme: ThemePref;
  variant: MarkupVariant;
}

export function resolvePage(inputs: PageInputs): PageRequest | PageFailure {
  const { store, host, url, user } = inputs;
  const page = parsePagePath(host, url.pathname);
  if (!page) return { status: 404, title: 'Page not found', message: `The page '${url.pathname}' does not exist.` };
  const org = store.organization(page.org);
  const hosting = page.form === 'onprem' ? 'onprem' : 'cloud';
  if (!org || org.hosting !== hosting) {
    return { status: 404, title: 'Organization not found', message: `The organization or collection '${page.org}' could not be found.` };
  }
  if (!store.isMember(org, user.id)) {
    return { status: 401, title: 'Access denied', message: `TF400813: The user '${user.id}' is not authorized to access this resource.` };
  }
  const urls = new CollectionUrls(org, page.form);
  const links = new WebLinks(new URL(urls.base).pathname.replace(/\/$/, ''), store);
  const req: PageRequest = { ...inputs, page, org, urls, links };

  if (page.project) {
    req.project = store.project(org, page.project);
    if (!req.project && page.kind === 'project') return projectMissing(page.project);
  }
  if (page.repo) {
    req.repo = store.repository(org, page.repo, req.project);
    if (!req.repo) {
      if (page.project && !req.project) return projectMissing(page.project);
      return {
        status: 404,
        title: 'Repository not found',
        message: `TF401019: The Git repository with name or identifier ${page.repo} does not exist or you do not have permissions for the operation you are attempting.`,
      };
    }
    req.project = store.projects.get(req.repo.projectId);
    if (req.repo.isDisabled) {
      return { status: 404, title: 'Repository disabled', message: `TF401019: The Git repository with name or identifier ${req.repo.name} is disabled.` };
    }
  }
  if (page.pullRequestId !== undefined) {
    const pr = store.pullRequest(org, page.pullRequestId);
    if (!pr || pr.repositoryId !== req.repo?.id) {
      return { status: 404, title: 'Pull request not found', message: `TF401180: The requested pull request was not found.` };
    }
    req.pullRequest = pr;
  }
  const workItemId = page.kind === 'board' ? Number(url.searchParams.get('workitem') ?? '') || undefined : page.workItemId;
  if (page.kind === 'workItem' || page.kind === 'board') {
    if (!req.project) return projectMissing(page.project!);
    req.workItem = workItemId === undefined ? undefined : store.workItems.get(org.id, workItemId);
    if (workItemId !== undefined && req.workItem?.projectId !== req.project.id) {
      return { status: 404, title: 'Work item not found', message: `TF401232: Work item ${workItemId} does not exist, or you do not have permissions to read it.` };
    }
  }
  return req;
}

function projectMissing(name: string): PageFailure {
  return {
    status: 404,
    title: 'Project not found',
    message: `TF200016: The following project does not exist: ${name}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`,
  };
}

export function isFailure(r: PageRequest | PageFailure): r is PageFailure {
  return 'status' in r;
}
