import { z } from 'zod';
import type { RequestContext } from '../context';
import { AzdoError, azdoErrors } from '../errors';
import { isGuid } from '../ids';
import type { Router } from '../router';
import type { Organization, PullRequest, PullRequestStatus, Repository, Reviewer } from '../store';
import { identityIn } from './identity-lookup';
import { completeMerge, currentTips, deleteBranch, refreshIterations, reposOf } from './pull-request-git';
import { pullRequestJson } from './pull-request-json';
import { staleRef } from './pushes';
import { atProjectAndOrg, bodyOf, intQuery, invalidArgument } from './route-helpers';

/**
 * Pull requests: create (409 TF401179 for a second active one with the same branches), list per
 * repository or project with `searchCriteria.*`, get, and update (title, description, draft,
 * abandon, reactivate, complete with a real merge). Everything lives in the store, which the
 * sandbox's web pages read too; `/_sandbox/pullrequests/{org}/{id}` shows the stored record.
 */
export function registerPullRequests(router: Router): void {
  const repoPrs = '/_apis/git/repositories/{repositoryId}/pullrequests';
  atProjectAndOrg(router, 'POST', repoPrs, create, { scope: 'vso.code_write' });
  atProjectAndOrg(router, 'GET', repoPrs, listInRepository, { scope: 'vso.code' });
  atProjectAndOrg(router, 'GET', `${repoPrs}/{pullRequestId}`, getInRepository, { scope: 'vso.code' });
  atProjectAndOrg(router, 'PATCH', `${repoPrs}/{pullRequestId}`, update, { scope: 'vso.code_write' });
  router.get('collection', '/{project}/_apis/git/pullrequests', listInProject, { scope: 'vso.code' });
  atProjectAndOrg(router, 'GET', '/_apis/git/pullrequests/{pullRequestId}', getById, { scope: 'vso.code' });
  router.get('admin', '/pullrequests/{org}/{pullRequestId}', adminRecord);
}

const GIT = 'Microsoft.TeamFoundation.Git.Server';
const MAX_DESCRIPTION = 4000;

export function pullRequestNotFound(): AzdoError {
  return new AzdoError(404, `TF401180: The requested pull request was not found.`, 'GitPullRequestNotFoundException', `${GIT}.GitPullRequestNotFoundException, ${GIT}`);
}

function cannotActivate(): AzdoError {
  return new AzdoError(
    400,
    'TF401398: The pull request cannot be activated because the source and/or the target branch no longer exists, or the requested refs are not branches',
    'GitPullRequestCannotBeActivated',
    `${GIT}.GitPullRequestCannotBeActivated, ${GIT}`,
  );
}

function alreadyExists(): AzdoError {
  return new AzdoError(409, 'TF401179: An active pull request for the source and target branch already exists.', 'GitPullRequestExistsException', `${GIT}.GitPullRequestExistsException, ${GIT}`);
}

function notEditable(): AzdoError {
  return new AzdoError(400, 'The pull request cannot be edited due to its state.', 'GitPullRequestNotEditableException', `${GIT}.GitPullRequestNotEditableException, ${GIT}`);
}

function stale(message: string): AzdoError {
  return new AzdoError(409, message, 'GitPullRequestStaleException', `${GIT}.GitPullRequestStaleException, ${GIT}`);
}

export function invalidReviewer(): AzdoError {
  return invalidArgument('Invalid argument value.\r\nParameter name: A valid reviewer must be supplied.');
}

/** The pull request `{pullRequestId}` names, within `repo` (target) or the path's project. */
export function pullRequestIn(ctx: RequestContext, repo?: Repository): PullRequest {
  const raw = ctx.params.pullRequestId!;
  const id = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  const pr = Number.isNaN(id) ? undefined : ctx.store.pullRequest(ctx.organization(), id);
  const target = pr && ctx.store.repositories.get(pr.repositoryId);
  const project = repo ? undefined : ctx.optionalProject();
  if (!pr || !target || (repo && target.id !== repo.id) || (project && target.projectId !== project.id)) throw pullRequestNotFound();
  return pr;
}

// ---- create ------------------------------------------------------------------------------

const createSchema = z
  .object({
    sourceRefName: z.string().min(1),
    targetRefName: z.string().min(1),
    title: z.string().optional(),
    description: z.string().optional(),
    isDraft: z.boolean().optional(),
    reviewers: z.array(z.object({ id: z.string(), isRequired: z.boolean().optional() }).loose()).optional(),
    forkSource: z.object({ repository: z.object({ id: z.string().min(1) }).loose() }).loose().optional(),
  })
  .loose();

async function create(ctx: RequestContext): Promise<void> {
  const target = ctx.repository();
  if (target.isDisabled) throw azdoErrors.repositoryNotFound(target.name);
  const body = await bodyOf(ctx, createSchema);
  const org = ctx.organization();
  const title = body.title?.trim() ?? '';
  if (!title) throw invalidArgument('Invalid argument value.\r\nParameter name: title');
  if ((body.description ?? '').length > MAX_DESCRIPTION) throw invalidArgument(`Invalid argument value.\r\nParameter name: The description cannot be longer than ${MAX_DESCRIPTION} characters.`);

  const source = body.forkSource ? forkOf(ctx, org, target, body.forkSource.repository.id) : target;
  const draft: Omit<PullRequest, 'pullRequestId'> = {
    orgId: org.id,
    repositoryId: target.id,
    ...(source.id !== target.id ? { forkSourceRepositoryId: source.id } : {}),
    title,
    description: body.description ?? '',
    status: 'active',
    isDraft: body.isDraft ?? false,
    sourceRefName: body.sourceRefName,
    targetRefName: body.targetRefName,
    createdById: ctx.user().id,
    creationDate: new Date().toISOString(),
    reviewers: reviewersFrom(ctx, org, body.reviewers ?? []),
  };
  if (source.id === target.id && draft.sourceRefName === draft.targetRefName) {
    throw new AzdoError(400, 'The source and target refs of a pull request must be different.', 'GitPullRequestInvalidParametersException', `${GIT}.GitPullRequestInvalidParametersException, ${GIT}`);
  }
  const repos = reposOf(ctx.store, draft as PullRequest)!;
  const tips = await currentTips(ctx.git, repos, draft as PullRequest);
  if (!isBranch(draft.sourceRefName) || !isBranch(draft.targetRefName) || !tips.source || !tips.target) throw cannotActivate();
  if (activeTwin(ctx, draft)) throw alreadyExists();

  const pr = ctx.store.addPullRequest(draft);
  await refreshIterations(repos, pr, tips, pr.creationDate);
  ctx.reply(await pullRequestJson(ctx, pr, { links: true }), 201);
}

const isBranch = (ref: string) => ref.startsWith('refs/heads/');

/** The fork a pull request comes from: the target itself, or a repository of the same fork network. */
function forkOf(ctx: RequestContext, org: Organization, target: Repository, id: string): Repository {
  const repo = ctx.store.repository(org, id);
  if (!repo || repo.isDisabled) throw azdoErrors.repositoryNotFound(id);
  if (repo.id === target.id) return repo;
  const root = (r: Repository): string => {
    let at = r;
    for (let guard = 0; at.parentId && guard < 50; guard++) at = ctx.store.repositories.get(at.parentId) ?? at;
    return at.id;
  };
  if (root(repo) !== root(target)) throw invalidArgument('Invalid argument value.\r\nParameter name: forkSource (the repository is not a fork of the target repository)');
  return repo;
}

function reviewersFrom(ctx: RequestContext, org: Organization, list: { id: string; isRequired?: boolean }[]): Reviewer[] {
  const out: Reviewer[] = [];
  for (const r of list) {
    const who = identityIn(ctx.store, org, r.id);
    if (!who) throw invalidReviewer();
    if (out.some((x) => x.id === who.id)) continue;
    out.push({ id: who.id, vote: 0, isRequired: !!r.isRequired, hasDeclined: false, isFlagged: false });
  }
  return out;
}

function activeTwin(ctx: RequestContext, pr: Omit<PullRequest, 'pullRequestId'> & { pullRequestId?: number }): PullRequest | undefined {
  return [...ctx.store.pullRequests.values()].find(
    (p) =>
      p.pullRequestId !== pr.pullRequestId &&
      p.orgId === pr.orgId &&
      p.status === 'active' &&
      p.repositoryId === pr.repositoryId &&
      (p.forkSourceRepositoryId ?? p.repositoryId) === (pr.forkSourceRepositoryId ?? pr.repositoryId) &&
      p.sourceRefName === pr.sourceRefName &&
      p.targetRefName === pr.targetRefName,
  );
}

// ---- list and get ------------------------------------------------------------------------

const STATUSES = ['active', 'abandoned', 'completed', 'all', 'notset'];

function search(ctx: RequestContext, prs: PullRequest[]): PullRequest[] {
  const q = ctx.query;
  const status = (q.get('searchCriteria.status') ?? 'active').toLowerCase();
  if (!STATUSES.includes(status)) throw azdoErrors.badRequest(`The value '${q.get('searchCriteria.status')}' is not valid for searchCriteria.status.`, 'InvalidArgumentValueException');
  const guid = (name: string) => {
    const v = q.get(name);
    if (v === null || v === '') return undefined;
    if (!isGuid(v)) throw azdoErrors.badRequest(`The value '${v}' is not valid for ${name}.`, 'InvalidArgumentValueException');
    return v.toLowerCase();
  };
  const creatorId = guid('searchCriteria.creatorId');
  const reviewerId = guid('searchCriteria.reviewerId');
  const repositoryId = guid('searchCriteria.repositoryId');
  const sourceRepositoryId = guid('searchCriteria.sourceRepositoryId');
  const sourceRefName = q.get('searchCriteria.sourceRefName');
  const targetRefName = q.get('searchCriteria.targetRefName');
  const top = intQuery(ctx, '$top') ?? 101;
  const skip = intQuery(ctx, '$skip') ?? 0;
  return prs
    .filter(
      (p) =>
        (status === 'all' || p.status === (status as PullRequestStatus)) &&
        (!creatorId || p.createdById === creatorId) &&
        (!reviewerId || p.reviewers.some((r) => r.id === reviewerId)) &&
        (!repositoryId || p.repositoryId === repositoryId) &&
        (!sourceRepositoryId || (p.forkSourceRepositoryId ?? p.repositoryId) === sourceRepositoryId) &&
        (!sourceRefName || p.sourceRefName === sourceRefName) &&
        (!targetRefName || p.targetRefName === targetRefName),
    )
    .toSorted((a, b) => b.pullRequestId - a.pullRequestId)
    .slice(skip, skip + top);
}

async function replyPullRequests(ctx: RequestContext, prs: PullRequest[]): Promise<void> {
  const value: Record<string, unknown>[] = [];
  // One at a time: each runs a few git processes, and the machine may have two cores.
  for (const pr of prs) value.push(await pullRequestJson(ctx, pr));
  ctx.replyList(value);
}

async function listInRepository(ctx: RequestContext): Promise<void> {
  const repo = ctx.repository();
  await replyPullRequests(ctx, search(ctx, ctx.store.pullRequestsOf(repo)));
}

async function listInProject(ctx: RequestContext): Promise<void> {
  const project = ctx.project();
  const all = [...ctx.store.pullRequests.values()].filter((p) => ctx.store.repositories.get(p.repositoryId)?.projectId === project.id);
  await replyPullRequests(ctx, search(ctx, all));
}

async function getInRepository(ctx: RequestContext): Promise<void> {
  ctx.reply(await pullRequestJson(ctx, pullRequestIn(ctx, ctx.repository()), { links: true }));
}

async function getById(ctx: RequestContext): Promise<void> {
  ctx.reply(await pullRequestJson(ctx, pullRequestIn(ctx), { links: true }));
}

function adminRecord(ctx: RequestContext): void {
  const org = ctx.store.organization(ctx.params.org!);
  const pr = org && /^\d+$/.test(ctx.params.pullRequestId!) ? ctx.store.pullRequest(org, Number(ctx.params.pullRequestId)) : undefined;
  if (!pr) throw pullRequestNotFound();
  ctx.reply(pr);
}

// ---- update ------------------------------------------------------------------------------

const updateSchema = z
  .object({
    title: z.string().optional(),
    description: z.string().optional(),
    status: z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(['active', 'abandoned', 'completed'])).optional(),
    isDraft: z.boolean().optional(),
    targetRefName: z.string().min(1).optional(),
    lastMergeSourceCommit: z.object({ commitId: z.string() }).loose().optional(),
    completionOptions: z
      .object({
        mergeStrategy: z.string().optional(),
        squashMerge: z.boolean().optional(),
        deleteSourceBranch: z.boolean().optional(),
        mergeCommitMessage: z.string().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

async function update(ctx: RequestContext): Promise<void> {
  const pr = pullRequestIn(ctx, ctx.repository());
  const body = await bodyOf(ctx, updateSchema);
  const reactivating = pr.status === 'abandoned' && body.status === 'active';
  if (pr.status !== 'active' && !reactivating) throw notEditable();

  if (body.title !== undefined) {
    if (!body.title.trim()) throw invalidArgument('Invalid argument value.\r\nParameter name: title');
  }
  if (body.description !== undefined && body.description.length > MAX_DESCRIPTION) {
    throw invalidArgument(`Invalid argument value.\r\nParameter name: The description cannot be longer than ${MAX_DESCRIPTION} characters.`);
  }
  const repos = reposOf(ctx.store, pr);
  if (!repos) throw azdoErrors.internal(`Pull request ${pr.pullRequestId} lost its repositories.`);
  const next = { ...pr, targetRefName: body.targetRefName ?? pr.targetRefName };
  if (body.targetRefName !== undefined || reactivating) {
    const tips = await currentTips(ctx.git, repos, next);
    if (!isBranch(next.targetRefName) || !tips.source || !tips.target) throw cannotActivate();
    if (activeTwin(ctx, next)) throw alreadyExists();
  }

  if (body.status === 'completed') await complete(ctx, pr, body.isDraft ?? pr.isDraft, body.lastMergeSourceCommit?.commitId, body.completionOptions ?? {});
  if (body.title !== undefined) pr.title = body.title.trim();
  if (body.description !== undefined) pr.description = body.description;
  if (body.isDraft !== undefined) pr.isDraft = body.isDraft;
  pr.targetRefName = next.targetRefName;
  if (body.status === 'abandoned') {
    pr.status = 'abandoned';
    pr.closedDate = new Date().toISOString();
    pr.closedById = ctx.user().id;
  } else if (reactivating) {
    pr.status = 'active';
    delete pr.closedDate;
    delete pr.closedById;
  }
  ctx.reply(await pullRequestJson(ctx, pr, { links: true }));
}

async function complete(
  ctx: RequestContext,
  pr: PullRequest,
  isDraft: boolean,
  expectedSource: string | undefined,
  options: { mergeStrategy?: string; squashMerge?: boolean; deleteSourceBranch?: boolean; mergeCommitMessage?: string },
): Promise<void> {
  if (isDraft) throw invalidArgument('Invalid argument value.\r\nParameter name: A draft pull request cannot be completed. Publish it first.');
  const repos = reposOf(ctx.store, pr)!;
  const tips = await currentTips(ctx.git, repos, pr);
  if (!tips.source || !tips.target) throw cannotActivate();
  if (expectedSource !== undefined && expectedSource !== tips.source) {
    throw stale('The pull request was updated and its source has moved since lastMergeSourceCommit. Refresh the pull request and try again.');
  }
  await refreshIterations(repos, pr, tips, new Date().toISOString());
  const user = ctx.user();
  const squash = options.squashMerge === true || options.mergeStrategy?.toLowerCase() === 'squash';
  const message = options.mergeCommitMessage?.trim() || `Merged PR ${pr.pullRequestId}: ${pr.title}`;
  const result = await completeMerge(repos, pr, { source: tips.source, target: tips.target }, { name: user.displayName, email: user.mail, date: new Date().toISOString() }, { squash, message });
  if (result === 'conflicts') throw stale(`The pull request ${pr.pullRequestId} has merge conflicts and cannot be completed. Resolve the conflicts and try again.`);
  if (result === 'stale') throw staleRef(pr.targetRefName);
  pr.status = 'completed';
  pr.closedDate = new Date().toISOString();
  pr.closedById = user.id;
  pr.mergeCommitId = result.mergeCommitId;
  if (options.deleteSourceBranch) await deleteBranch(repos.source, pr.sourceRefName, tips.source);
  await ctx.git.afterPush(repos.target);
}
