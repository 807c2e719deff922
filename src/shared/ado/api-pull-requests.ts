import type { z } from 'zod';
import type { ApiContext, CallOptions } from './api-context';
import { collectBySkip } from './paging';
import { headRef, path, projectBase, repoPath, restUrl, type RepoRef } from './rest-url';
import { PullRequest, PullRequestChange, PullRequestIteration, PullRequestIterationChanges, listOf } from './schemas';

/** Pull requests of one repository, or (no repositoryId) of a whole project. */
export interface PullRequestScope {
  project: string;
  repositoryId?: string | undefined;
}

export interface PullRequestSearch {
  status?: 'active' | 'abandoned' | 'completed' | 'all' | undefined;
  creatorId?: string | undefined;
  reviewerId?: string | undefined;
  sourceRefName?: string | undefined;
  targetRefName?: string | undefined;
}

export interface PullRequestRef extends RepoRef {
  pullRequestId: number;
}

export interface CreatePullRequestInput {
  sourceRefName: string;
  targetRefName: string;
  title: string;
  description?: string | undefined;
  isDraft?: boolean | undefined;
  reviewers?: Array<{ id: string; isRequired?: boolean | undefined }> | undefined;
  /** When the source branch lives in a fork: that fork's repository id. */
  forkSourceRepositoryId?: string | undefined;
}

export type PullRequestUpdate = Partial<{
  title: string;
  description: string;
  status: 'active' | 'abandoned' | 'completed';
  isDraft: boolean;
  targetRefName: string;
}>;

const prListPath = (s: PullRequestScope) =>
  s.repositoryId === undefined ? '/_apis/git/pullrequests' : `${repoPath({ project: s.project, repositoryId: s.repositoryId })}/pullrequests`;
type IterationChanges = z.output<typeof PullRequestIterationChanges>;

export const prPath = (pr: PullRequestRef) => `${repoPath(pr)}${path`/pullRequests/${pr.pullRequestId}`}`;

/** One page of pull requests (`top`/`skip`). */
export async function pullRequests(
  ctx: ApiContext,
  scope: PullRequestScope,
  search: PullRequestSearch & { top?: number; skip?: number } = {},
  o: CallOptions = {},
): Promise<PullRequest[]> {
  const url = restUrl(projectBase(ctx.orgBaseUrl, scope.project), prListPath(scope), {
    'searchCriteria.status': search.status,
    'searchCriteria.creatorId': search.creatorId,
    'searchCriteria.reviewerId': search.reviewerId,
    'searchCriteria.sourceRefName': search.sourceRefName && headRef(search.sourceRefName),
    'searchCriteria.targetRefName': search.targetRefName && headRef(search.targetRefName),
    $top: search.top,
    $skip: search.skip,
    'api-version': ctx.apiVersion,
  });
  const what = 'list pull requests';
  return (await ctx.request({ method: 'GET', url, what, schema: listOf(PullRequest), scope: 'vso.code', signal: o.signal })).data;
}

/** Every matching pull request, page by page, up to `limit`. */
export function allPullRequests(
  ctx: ApiContext,
  scope: PullRequestScope,
  search: PullRequestSearch = {},
  o: CallOptions & { pageSize?: number; limit?: number } = {},
): Promise<PullRequest[]> {
  return collectBySkip(
    'list pull requests',
    (skip, top) => pullRequests(ctx, scope, { ...search, skip, top }, o),
    o.pageSize ?? 100,
    o.limit,
  );
}

/** A pull request by id alone (project-level: the repository need not be known). */
export async function pullRequest(ctx: ApiContext, project: string, pullRequestId: number, o: CallOptions = {}): Promise<PullRequest> {
  const url = restUrl(projectBase(ctx.orgBaseUrl, project), path`/_apis/git/pullrequests/${pullRequestId}`, {
    'api-version': ctx.apiVersion,
  });
  const what = `read pull request ${pullRequestId}`;
  return (await ctx.request({ method: 'GET', url, what, schema: PullRequest, scope: 'vso.code', signal: o.signal })).data;
}

/** The files a pull request touches: the changes of its latest iteration against the target. */
export async function pullRequestChanges(ctx: ApiContext, pr: PullRequestRef, o: CallOptions = {}): Promise<PullRequestChange[]> {
  const base = projectBase(ctx.orgBaseUrl, pr.project);
  const what = `list the files of pull request ${pr.pullRequestId}`;
  const iterations = await ctx.request({
    method: 'GET',
    url: restUrl(base, `${prPath(pr)}/iterations`, { 'api-version': ctx.apiVersion }),
    what,
    schema: listOf(PullRequestIteration),
    scope: 'vso.code',
    signal: o.signal,
  });
  if (iterations.data.length === 0) return [];
  const latest = Math.max(...iterations.data.map((i) => i.id));
  const found: PullRequestChange[] = [];
  // The answer says where the next page starts (nextSkip/nextTop) until nothing is left.
  let page: { skip: number; top: number } | undefined = { skip: 0, top: 2000 };
  for (let guard = 0; page && guard < 1000; guard++) {
    const { data }: { data: IterationChanges } = await ctx.request({
      method: 'GET',
      url: restUrl(base, `${prPath(pr)}${path`/iterations/${latest}/changes`}`, {
        $top: page.top,
        $skip: page.skip,
        'api-version': ctx.apiVersion,
      }),
      what,
      schema: PullRequestIterationChanges,
      scope: 'vso.code',
      signal: o.signal,
    });
    found.push(...data.changeEntries);
    page = data.nextSkip ? { skip: data.nextSkip, top: data.nextTop || 2000 } : undefined;
  }
  return found;
}

export async function createPullRequest(
  ctx: ApiContext,
  r: RepoRef,
  input: CreatePullRequestInput,
  o: CallOptions = {},
): Promise<PullRequest> {
  const body = {
    sourceRefName: headRef(input.sourceRefName),
    targetRefName: headRef(input.targetRefName),
    title: input.title,
    description: input.description,
    isDraft: input.isDraft,
    reviewers: input.reviewers?.map((rv) => ({ id: rv.id, isRequired: rv.isRequired })),
    forkSource: input.forkSourceRepositoryId === undefined ? undefined : { repository: { id: input.forkSourceRepositoryId } },
  };
  const url = restUrl(projectBase(ctx.orgBaseUrl, r.project), `${repoPath(r)}/pullrequests`, { 'api-version': ctx.apiVersion });
  const what = 'create the pull request';
  return (await ctx.request({ method: 'POST', url, body, what, schema: PullRequest, scope: 'vso.code_write', signal: o.signal })).data;
}

export async function updatePullRequest(
  ctx: ApiContext,
  pr: PullRequestRef,
  update: PullRequestUpdate,
  o: CallOptions = {},
): Promise<PullRequest> {
  const body = update.targetRefName === undefined ? update : { ...update, targetRefName: headRef(update.targetRefName) };
  const url = restUrl(projectBase(ctx.orgBaseUrl, pr.project), `${repoPath(pr)}${path`/pullrequests/${pr.pullRequestId}`}`, {
    'api-version': ctx.apiVersion,
  });
  const what = `update pull request ${pr.pullRequestId}`;
  return (await ctx.request({ method: 'PATCH', url, body, what, schema: PullRequest, scope: 'vso.code_write', signal: o.signal })).data;
}
