import type { ApiContext, CallOptions } from './api-context';
import { prPath, type PullRequestRef } from './api-pull-requests';
import { path, projectBase, restUrl } from './rest-url';
import { Ignored, Reviewer, listOf } from './schemas';

const reviewersUrl = (ctx: ApiContext, pr: PullRequestRef, reviewerId?: string) =>
  restUrl(
    projectBase(ctx.orgBaseUrl, pr.project),
    `${prPath(pr)}/reviewers${reviewerId === undefined ? '' : path`/${reviewerId}`}`,
    { 'api-version': ctx.apiVersion },
  );

export async function listReviewers(ctx: ApiContext, pr: PullRequestRef, o: CallOptions = {}): Promise<Reviewer[]> {
  const what = 'list reviewers';
  const url = reviewersUrl(ctx, pr);
  return (await ctx.request({ method: 'GET', url, what, schema: listOf(Reviewer), scope: 'vso.code', signal: o.signal })).data;
}

/**
 * Adds one reviewer. The body carries vote 0, so for someone who already voted it would be a vote
 * cast in their name, which only they may cast (refused, 400): callers add people who are not
 * reviewers yet. Safe to repeat for them, hence retried.
 */
export async function addReviewer(
  ctx: ApiContext,
  pr: PullRequestRef,
  reviewerId: string,
  opts: { isRequired?: boolean | undefined } = {},
  o: CallOptions = {},
): Promise<Reviewer> {
  return (
    await ctx.request({
      method: 'PUT',
      url: reviewersUrl(ctx, pr, reviewerId),
      body: { vote: 0, isRequired: opts.isRequired ?? false },
      what: 'add the reviewer',
      schema: Reviewer,
      scope: 'vso.code_write',
      idempotent: true,
      signal: o.signal,
    })
  ).data;
}

/**
 * Adds several reviewers in one call. The spec takes plain identities here (no `isRequired`):
 * make someone required with addReviewer.
 */
export async function addReviewers(ctx: ApiContext, pr: PullRequestRef, reviewerIds: string[], o: CallOptions = {}): Promise<Reviewer[]> {
  return (
    await ctx.request({
      method: 'POST',
      url: reviewersUrl(ctx, pr),
      body: reviewerIds.map((id) => ({ id })),
      what: 'add reviewers',
      schema: listOf(Reviewer),
      scope: 'vso.code_write',
      signal: o.signal,
    })
  ).data;
}

export async function removeReviewer(ctx: ApiContext, pr: PullRequestRef, reviewerId: string, o: CallOptions = {}): Promise<void> {
  await ctx.request({
    method: 'DELETE',
    url: reviewersUrl(ctx, pr, reviewerId),
    what: 'remove the reviewer',
    schema: Ignored,
    scope: 'vso.code_write',
    signal: o.signal,
  });
}
