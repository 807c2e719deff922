import { preview, type ApiContext, type CallOptions } from './api-context';
import { AdoError } from './errors';
import { collectByContinuation } from './paging';
import { repoNameProblem } from './repo-name';
import { path, projectBase, repoPath, restUrl, type RepoRef } from './rest-url';
import { Commit, CommitDiffs, GitRef, GitTemplate, Repository, RepositoryList, RepositoryRef, listOf } from './schemas';


/** All repositories of the organization in one call, or of one project. */
export async function repositories(ctx: ApiContext, project?: string, o: CallOptions = {}): Promise<Repository[]> {
  const base = project === undefined ? ctx.orgBaseUrl : projectBase(ctx.orgBaseUrl, project);
  const url = restUrl(base, '/_apis/git/repositories', { 'api-version': ctx.apiVersion });
  const what = 'list repositories';
  return (await ctx.request({ method: 'GET', url, what, schema: RepositoryList, scope: 'vso.code', signal: o.signal })).data;
}

export async function repository(ctx: ApiContext, r: RepoRef, o: CallOptions = {}): Promise<Repository> {
  const url = restUrl(projectBase(ctx.orgBaseUrl, r.project), repoPath(r), { 'api-version': ctx.apiVersion });
  const what = 'read the repository';
  return (await ctx.request({ method: 'GET', url, what, schema: Repository, scope: 'vso.code', signal: o.signal })).data;
}

export async function createRepository(
  ctx: ApiContext,
  input: { projectId: string; name: string },
  o: CallOptions = {},
): Promise<Repository> {
  const what = 'create the repository';
  const problem = repoNameProblem(input.name);
  if (problem) throw new AdoError({ kind: 'badRequest', what, userMessage: problem, adoMessage: problem });
  return (
    await ctx.request({
      method: 'POST',
      url: restUrl(projectBase(ctx.orgBaseUrl, input.projectId), '/_apis/git/repositories', { 'api-version': ctx.apiVersion }),
      body: { name: input.name, project: { id: input.projectId } },
      what,
      schema: Repository,
      scope: 'vso.code_manage',
      signal: o.signal,
    })
  ).data;
}

export interface CreateForkInput {
  /** The project the fork goes into. */
  projectId: string;
  name: string;
  parentRepositoryId: string;
  parentProjectId: string;
  /** Fork only this ref (e.g. `refs/heads/main`) instead of all of them. */
  sourceRef?: string | undefined;
}

export async function createFork(ctx: ApiContext, input: CreateForkInput, o: CallOptions = {}): Promise<Repository> {
  const what = 'create the fork';
  const problem = repoNameProblem(input.name);
  if (problem) throw new AdoError({ kind: 'badRequest', what, userMessage: problem, adoMessage: problem });
  const url = restUrl(projectBase(ctx.orgBaseUrl, input.projectId), '/_apis/git/repositories', {
    sourceRef: input.sourceRef,
    'api-version': ctx.apiVersion,
  });
  const body = {
    name: input.name,
    project: { id: input.projectId },
    parentRepository: { id: input.parentRepositoryId, project: { id: input.parentProjectId } },
  };
  return (await ctx.request({ method: 'POST', url, body, what, schema: Repository, scope: 'vso.code_manage', signal: o.signal })).data;
}

/** Forks of a repository in one collection (collectionId = connectionData's instanceId). */
export async function forks(ctx: ApiContext, r: RepoRef, collectionId: string, o: CallOptions = {}): Promise<RepositoryRef[]> {
  const url = restUrl(projectBase(ctx.orgBaseUrl, r.project), `${repoPath(r)}${path`/forks/${collectionId}`}`, {
    'api-version': ctx.apiVersion,
  });
  const what = 'list forks';
  return (await ctx.request({ method: 'GET', url, what, schema: listOf(RepositoryRef), scope: 'vso.code', signal: o.signal })).data;
}

/**
 * Names of the .gitignore templates Azure DevOps offers (undocumented; needs OAuth or a full-scope
 * PAT), without the `.gitignore` suffix, e.g. `VisualStudio`.
 */
export async function gitignoreTemplates(ctx: ApiContext, project: string, o: CallOptions = {}): Promise<string[]> {
  const url = restUrl(projectBase(ctx.orgBaseUrl, project), '/_apis/git/templates', { type: 'gitignore', 'api-version': preview(ctx) });
  const what = 'list .gitignore templates';
  // No scope to name: only OAuth or a full-access PAT may read templates.
  const { data } = await ctx.request({ method: 'GET', url, what, schema: listOf(GitTemplate), signal: o.signal });
  return data.map((t) => t.name.replace(/\.gitignore$/i, ''));
}

/** All branches (`refs/heads/…`), all pages. */
export function branches(ctx: ApiContext, r: RepoRef, o: CallOptions = {}): Promise<GitRef[]> {
  const what = 'list branches';
  return collectByContinuation(what, (continuationToken) =>
    ctx.request({
      method: 'GET',
      url: restUrl(projectBase(ctx.orgBaseUrl, r.project), `${repoPath(r)}/refs`, {
        filter: 'heads/',
        $top: 1000,
        continuationToken,
        'api-version': ctx.apiVersion,
      }),
      what,
      schema: listOf(GitRef),
      scope: 'vso.code',
      signal: o.signal,
    }),
  );
}

const shortBranch = (b: string) => b.replace(/^refs\/heads\//, '');

/**
 * The files (not folders) a pull request from `source` into `target` would change: Azure DevOps'
 * commit diff since the merge base.
 */
export async function changedPaths(ctx: ApiContext, r: RepoRef, source: string, target: string, o: CallOptions = {}): Promise<string[]> {
  const url = restUrl(projectBase(ctx.orgBaseUrl, r.project), `${repoPath(r)}/diffs/commits`, {
    baseVersion: shortBranch(target),
    baseVersionType: 'branch',
    targetVersion: shortBranch(source),
    targetVersionType: 'branch',
    diffCommonCommit: true,
    $top: 2000,
    'api-version': ctx.apiVersion,
  });
  const { data } = await ctx.request({ method: 'GET', url, what: 'compare the branches', schema: CommitDiffs, scope: 'vso.code', signal: o.signal });
  return (data.changes ?? []).filter((c) => !c.item.isFolder && c.item.gitObjectType !== 'tree').map((c) => c.item.path);
}

/** The latest `top` commits that touched `itemPath` (who worked on this file recently). */
export async function commitsByPath(
  ctx: ApiContext,
  r: RepoRef,
  itemPath: string,
  top: number,
  o: CallOptions & { branch?: string | undefined } = {},
): Promise<Commit[]> {
  const url = restUrl(projectBase(ctx.orgBaseUrl, r.project), `${repoPath(r)}/commits`, {
    'searchCriteria.itemPath': itemPath.startsWith('/') ? itemPath : `/${itemPath}`,
    'searchCriteria.itemVersion.version': o.branch?.replace(/^refs\/heads\//, ''),
    'searchCriteria.$top': top,
    'api-version': ctx.apiVersion,
  });
  const what = 'list recent commits';
  return (await ctx.request({ method: 'GET', url, what, schema: listOf(Commit), scope: 'vso.code', signal: o.signal })).data;
}
