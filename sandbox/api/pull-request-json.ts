import type { RequestContext } from '../context';
import { azdoErrors } from '../errors';
import { stableGuid } from '../ids';
import type { PullRequest, Repository, Reviewer } from '../store';
import { identityIn } from './identity-lookup';
import { commitInfo, currentTips, refreshIterations, reposOf, testMerge, type MergeCommitInfo } from './pull-request-git';
import { identityRef, projectRef } from './shapes';

/** GitPullRequest and IdentityRefWithVote as Azure DevOps writes them, from the store and git. */

export function pullRequestUrl(ctx: RequestContext, pr: PullRequest): string {
  const repo = targetRepository(ctx, pr);
  return `${ctx.urls.repositoryUrl(ctx.projectOf(repo), repo)}/pullRequests/${pr.pullRequestId}`;
}

function targetRepository(ctx: RequestContext, pr: PullRequest): Repository {
  const repo = ctx.store.repositories.get(pr.repositoryId);
  if (!repo) throw azdoErrors.internal(`Pull request ${pr.pullRequestId} has no repository.`);
  return repo;
}

/** GitRepository as pull request answers embed it. */
function repositoryRef(ctx: RequestContext, repo: Repository): Record<string, unknown> {
  const project = ctx.projectOf(repo);
  return {
    id: repo.id,
    name: repo.name,
    url: ctx.urls.repositoryUrl(project, repo),
    project: projectRef(ctx, project),
    remoteUrl: ctx.urls.remoteUrl(project, repo),
    sshUrl: ctx.urls.sshUrl(project, repo),
    webUrl: ctx.urls.webUrl(project, repo),
    ...(repo.parentId ? { isFork: true } : {}),
  };
}

export function reviewerJson(ctx: RequestContext, pr: PullRequest, r: Reviewer): Record<string, unknown> {
  const who = identityIn(ctx.store, ctx.organization(), r.id);
  const identity = who ? identityRef(ctx, who) : { displayName: r.id, id: r.id };
  return {
    reviewerUrl: `${pullRequestUrl(ctx, pr)}/reviewers/${r.id}`,
    vote: r.vote,
    hasDeclined: r.hasDeclined,
    ...(r.isRequired ? { isRequired: true } : {}),
    isFlagged: r.isFlagged,
    ...identity,
  };
}

export async function pullRequestJson(ctx: RequestContext, pr: PullRequest, opts: { links?: boolean } = {}): Promise<Record<string, unknown>> {
  const target = targetRepository(ctx, pr);
  const project = ctx.projectOf(target);
  const repoUrl = ctx.urls.repositoryUrl(project, target);
  const url = `${repoUrl}/pullRequests/${pr.pullRequestId}`;
  const creator = ctx.store.user(pr.createdById);
  const closedBy = pr.closedById ? ctx.store.user(pr.closedById) : undefined;
  const { sourceCommit, targetCommit, mergeStatus, mergeCommit } = await mergeState(ctx, pr);
  const commitRef = (id: string) => ({ commitId: id, url: `${repoUrl}/commits/${id}` });
  const forkSource = pr.forkSourceRepositoryId ? ctx.store.repositories.get(pr.forkSourceRepositoryId) : undefined;
  return {
    repository: repositoryRef(ctx, target),
    pullRequestId: pr.pullRequestId,
    codeReviewId: pr.pullRequestId,
    status: pr.status,
    createdBy: creator ? identityRef(ctx, creator) : { id: pr.createdById, displayName: pr.createdById },
    creationDate: pr.creationDate,
    ...(pr.closedDate ? { closedDate: pr.closedDate } : {}),
    ...(closedBy ? { closedBy: identityRef(ctx, closedBy) } : {}),
    ...(pr.status === 'completed' && pr.closedDate ? { completionQueueTime: pr.closedDate } : {}),
    title: pr.title,
    ...(pr.description ? { description: pr.description } : {}),
    sourceRefName: pr.sourceRefName,
    targetRefName: pr.targetRefName,
    mergeStatus,
    isDraft: pr.isDraft,
    mergeId: stableGuid('merge', pr.orgId, String(pr.pullRequestId)),
    ...(sourceCommit ? { lastMergeSourceCommit: commitRef(sourceCommit) } : {}),
    ...(targetCommit ? { lastMergeTargetCommit: commitRef(targetCommit) } : {}),
    ...(mergeCommit ? { lastMergeCommit: { ...mergeCommit, url: `${repoUrl}/commits/${mergeCommit.commitId}` } } : {}),
    reviewers: pr.reviewers.map((r) => reviewerJson(ctx, pr, r)),
    url,
    ...(opts.links
      ? {
          _links: {
            self: { href: url },
            repository: { href: repoUrl },
            workItems: { href: `${url}/workitems` },
            sourceBranch: { href: `${forkSource ? ctx.urls.repositoryUrl(ctx.projectOf(forkSource), forkSource) : repoUrl}/refs/${pr.sourceRefName}` },
            targetBranch: { href: `${repoUrl}/refs/${pr.targetRefName}` },
            ...(sourceCommit ? { sourceCommit: { href: `${repoUrl}/commits/${sourceCommit}` } } : {}),
            ...(targetCommit ? { targetCommit: { href: `${repoUrl}/commits/${targetCommit}` } } : {}),
            createdBy: { href: `${ctx.urls.vssps}/_apis/Identities/${pr.createdById}` },
            iterations: { href: `${url}/iterations` },
          },
        }
      : {}),
    supportsIterations: true,
    artifactId: `vstfs:///Git/PullRequestId/${project.id}%2f${target.id}%2f${pr.pullRequestId}`,
    ...(forkSource
      ? {
          forkSource: {
            name: pr.sourceRefName,
            ...(sourceCommit ? { objectId: sourceCommit } : {}),
            repository: repositoryRef(ctx, forkSource),
            url: `${ctx.urls.repositoryUrl(ctx.projectOf(forkSource), forkSource)}/refs?filter=${encodeURIComponent(pr.sourceRefName.replace(/^refs\//, ''))}`,
          },
        }
      : {}),
  };
}

interface MergeState {
  sourceCommit?: string;
  targetCommit?: string;
  mergeStatus: 'notSet' | 'succeeded' | 'conflicts' | 'failure';
  mergeCommit?: MergeCommitInfo;
}

/**
 * Source, target and merge as the answer reports them: live tips for active pull requests, the
 * last iteration (and the real merge commit) for closed ones.
 */
async function mergeState(ctx: RequestContext, pr: PullRequest): Promise<MergeState> {
  const repos = reposOf(ctx.store, pr);
  if (!repos) return { mergeStatus: 'failure' };
  const tips = await currentTips(ctx.git, repos, pr);
  const iterations = await refreshIterations(repos, pr, tips, new Date().toISOString());
  const last = iterations.at(-1);
  const sourceCommit = pr.status === 'active' ? tips.source : last?.sourceCommitId;
  const targetCommit = pr.status === 'active' ? tips.target : last?.targetCommitId;
  if (pr.mergeCommitId) {
    const commit = await commitInfo(repos.target.gitDir, pr.mergeCommitId);
    return { sourceCommit, targetCommit, mergeStatus: 'succeeded', mergeCommit: commit };
  }
  if (!sourceCommit || !targetCommit) return { sourceCommit, targetCommit, mergeStatus: pr.status === 'active' ? 'failure' : 'notSet' };
  const creator = ctx.store.user(pr.createdById) ?? ctx.user();
  const merge = await testMerge(repos, pr, sourceCommit, targetCommit, creator, last?.createdDate ?? pr.creationDate);
  return { sourceCommit, targetCommit, mergeStatus: merge.status, ...(merge.status === 'succeeded' ? { mergeCommit: merge.commit } : {}) };
}
