import type { RequestContext } from '../context';
import { AzdoError, azdoErrors } from '../errors';
import type { Router } from '../router';
import type { PullRequest, PullRequestIteration } from '../store';
import { mergeBase } from './git-plumbing';
import { currentTips, iterationChanges, refreshIterations, reposOf, type PullRequestRepos } from './pull-request-git';
import { pullRequestIn, pullRequestNotFound } from './pull-requests';
import { pullRequestUrl } from './pull-request-json';
import { atProjectAndOrg, intQuery } from './route-helpers';
import { identityRef } from './shapes';

/**
 * A pull request's iterations (one per version of its source branch) and the files an iteration
 * changes, computed with git from the merge base of target and source.
 */
export function registerPullRequestIterations(router: Router): void {
  const base = '/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/iterations';
  atProjectAndOrg(router, 'GET', base, list, { scope: 'vso.code' });
  atProjectAndOrg(router, 'GET', `${base}/{iterationId}`, one, { scope: 'vso.code' });
  atProjectAndOrg(router, 'GET', `${base}/{iterationId}/changes`, changes, { scope: 'vso.code' });
}

const GIT = 'Microsoft.TeamFoundation.Git.Server';

async function loaded(ctx: RequestContext): Promise<{ pr: PullRequest; repos: PullRequestRepos; iterations: PullRequestIteration[] }> {
  const pr = pullRequestIn(ctx, ctx.repository());
  const repos = reposOf(ctx.store, pr);
  if (!repos) throw pullRequestNotFound();
  const tips = await currentTips(ctx.git, repos, pr);
  const iterations = await refreshIterations(repos, pr, tips, new Date().toISOString());
  return { pr, repos, iterations };
}

function iterationOf(ctx: RequestContext, iterations: PullRequestIteration[]): PullRequestIteration {
  const raw = ctx.params.iterationId!;
  const found = /^\d{1,9}$/.test(raw) ? iterations.find((i) => i.id === Number(raw)) : undefined;
  if (!found) {
    throw new AzdoError(404, `The iteration ${raw} of this pull request could not be found.`, 'GitPullRequestIterationNotFoundException', `${GIT}.GitPullRequestIterationNotFoundException, ${GIT}`);
  }
  return found;
}

function iterationJson(ctx: RequestContext, pr: PullRequest, it: PullRequestIteration, commonRefCommit: string | undefined): Record<string, unknown> {
  const author = ctx.store.user(pr.createdById);
  const url = `${pullRequestUrl(ctx, pr)}/iterations/${it.id}`;
  return {
    id: it.id,
    description: pr.title,
    ...(author ? { author: identityRef(ctx, author) } : {}),
    createdDate: it.createdDate,
    updatedDate: it.createdDate,
    sourceRefCommit: { commitId: it.sourceCommitId },
    targetRefCommit: { commitId: it.targetCommitId },
    ...(commonRefCommit ? { commonRefCommit: { commitId: commonRefCommit } } : {}),
    hasMoreCommits: false,
    reason: it.reason,
    _links: { self: { href: url } },
  };
}

function commonRef(repos: PullRequestRepos, it: PullRequestIteration): Promise<string | undefined> {
  return mergeBase(repos.target.gitDir, it.targetCommitId, it.sourceCommitId, repos.opts);
}

async function list(ctx: RequestContext): Promise<void> {
  const { pr, repos, iterations } = await loaded(ctx);
  const value: Record<string, unknown>[] = [];
  for (const it of iterations) value.push(iterationJson(ctx, pr, it, await commonRef(repos, it)));
  ctx.replyList(value);
}

async function one(ctx: RequestContext): Promise<void> {
  const { pr, repos, iterations } = await loaded(ctx);
  const it = iterationOf(ctx, iterations);
  ctx.reply(iterationJson(ctx, pr, it, await commonRef(repos, it)));
}

async function changes(ctx: RequestContext): Promise<void> {
  const { repos, iterations } = await loaded(ctx);
  const it = iterationOf(ctx, iterations);
  const top = Math.min(intQuery(ctx, '$top') ?? 100, 2000);
  const skip = intQuery(ctx, '$skip') ?? 0;
  if (top < 1) throw azdoErrors.badRequest('The value 0 is not valid for $top.', 'InvalidArgumentValueException');
  const all = await iterationChanges(repos, it);
  const page = all.slice(skip, skip + top);
  const more = skip + top < all.length;
  ctx.reply({
    changeEntries: page.map((c, i) => ({
      changeTrackingId: skip + i + 1,
      changeId: skip + i + 1,
      item: {
        ...(c.objectId ? { objectId: c.objectId } : {}),
        ...(c.originalObjectId ? { originalObjectId: c.originalObjectId } : {}),
        path: c.path,
      },
      changeType: c.changeType,
      ...(c.originalPath ? { originalPath: c.originalPath } : {}),
    })),
    ...(more ? { nextSkip: skip + top, nextTop: top } : {}),
  });
}
