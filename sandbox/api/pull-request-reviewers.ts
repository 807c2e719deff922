import { z } from 'zod';
import type { RequestContext } from '../context';
import type { Router } from '../router';
import type { PullRequest, Reviewer, Vote } from '../store';
import { identityIn } from './identity-lookup';
import { invalidReviewer, pullRequestIn } from './pull-requests';
import { reviewerJson } from './pull-request-json';
import { atProjectAndOrg, bodyOf, invalidArgument } from './route-helpers';

/**
 * Reviewers (`pullRequests` with a capital R in Azure DevOps' paths; the router ignores case):
 * list, get one, add or vote (PUT), add several (POST), remove (DELETE). Changes go straight
 * into the store's pull request, which the web pages render from.
 */
export function registerPullRequestReviewers(router: Router): void {
  const base = '/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/reviewers';
  atProjectAndOrg(router, 'GET', base, list, { scope: 'vso.code' });
  atProjectAndOrg(router, 'POST', base, addMany, { scope: 'vso.code_write' });
  atProjectAndOrg(router, 'GET', `${base}/{reviewerId}`, one, { scope: 'vso.code' });
  atProjectAndOrg(router, 'PUT', `${base}/{reviewerId}`, put, { scope: 'vso.code_write' });
  atProjectAndOrg(router, 'DELETE', `${base}/{reviewerId}`, remove, { scope: 'vso.code_write' });
}

const VOTES: readonly number[] = [10, 5, 0, -5, -10];

const putSchema = z
  .object({
    vote: z.number().int().optional(),
    isRequired: z.boolean().optional(),
    isFlagged: z.boolean().optional(),
    hasDeclined: z.boolean().optional(),
  })
  .loose();

const manySchema = z.array(z.object({ id: z.string(), isRequired: z.boolean().optional() }).loose()).min(1);

function target(ctx: RequestContext): PullRequest {
  return pullRequestIn(ctx, ctx.repository());
}

function list(ctx: RequestContext): void {
  const pr = target(ctx);
  ctx.replyList(pr.reviewers.map((r) => reviewerJson(ctx, pr, r)));
}

function one(ctx: RequestContext): void {
  const pr = target(ctx);
  const r = pr.reviewers.find((x) => x.id === ctx.params.reviewerId!.toLowerCase());
  if (!r) throw invalidReviewer();
  ctx.reply(reviewerJson(ctx, pr, r));
}

async function put(ctx: RequestContext): Promise<void> {
  const pr = target(ctx);
  const body = await bodyOf(ctx, putSchema);
  const who = identityIn(ctx.store, ctx.organization(), ctx.params.reviewerId!);
  if (!who) throw invalidReviewer();
  const existing = pr.reviewers.find((r) => r.id === who.id);
  const vote = body.vote ?? existing?.vote ?? 0;
  if (!VOTES.includes(vote)) throw invalidArgument(`Invalid argument value.\r\nParameter name: vote (${vote} is not one of 10, 5, 0, -5, -10)`);
  const me = ctx.user().id;
  if (vote !== (existing?.vote ?? 0)) {
    // Only reviewers vote for themselves, and nobody votes on a draft.
    if (who.id !== me) throw invalidArgument('Invalid argument value.\r\nParameter name: Only the reviewer can cast their own vote.');
    if (pr.isDraft) throw invalidArgument('Invalid argument value.\r\nParameter name: Votes cannot be cast on a draft pull request.');
  }
  const reviewer: Reviewer = existing ?? { id: who.id, vote: 0, isRequired: false, hasDeclined: false, isFlagged: false };
  reviewer.vote = vote as Vote;
  if (body.isRequired !== undefined) reviewer.isRequired = body.isRequired;
  if (body.isFlagged !== undefined) reviewer.isFlagged = body.isFlagged;
  if (body.hasDeclined !== undefined) reviewer.hasDeclined = body.hasDeclined;
  if (!existing) pr.reviewers.push(reviewer);
  ctx.reply(reviewerJson(ctx, pr, reviewer));
}

async function addMany(ctx: RequestContext): Promise<void> {
  const pr = target(ctx);
  const body = await bodyOf(ctx, manySchema);
  const org = ctx.organization();
  // Every identity is checked before any is added, so a bad one changes nothing.
  const found = body.map((b) => {
    const who = identityIn(ctx.store, org, b.id);
    if (!who) throw invalidReviewer();
    return { id: who.id, isRequired: b.isRequired };
  });
  const answered: Reviewer[] = [];
  for (const f of found) {
    let reviewer = pr.reviewers.find((r) => r.id === f.id);
    if (!reviewer) {
      reviewer = { id: f.id, vote: 0, isRequired: !!f.isRequired, hasDeclined: false, isFlagged: false };
      pr.reviewers.push(reviewer);
    } else if (f.isRequired !== undefined) {
      reviewer.isRequired = f.isRequired;
    }
    if (!answered.includes(reviewer)) answered.push(reviewer);
  }
  ctx.replyList(answered.map((r) => reviewerJson(ctx, pr, r)));
}

function remove(ctx: RequestContext): void {
  const pr = target(ctx);
  const who = identityIn(ctx.store, ctx.organization(), ctx.params.reviewerId!);
  if (!who) throw invalidReviewer();
  const i = pr.reviewers.findIndex((r) => r.id === who.id);
  if (i >= 0) pr.reviewers.splice(i, 1);
  ctx.send(200, '');
}
