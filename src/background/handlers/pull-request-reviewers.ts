import { isAdoError, type PullRequest } from '../../shared/ado/client';
import type { RepoKey } from '../../shared/messages';
import { toReplyError } from '../errors';
import { apiFor } from '../page-session';
import { suggestReviewers } from '../suggest-reviewers';
import { findPerson } from './people';
import { summarize } from './pull-requests';
import type { GatewayDeps, HandlerContext, Handlers } from './types';

/** The reviewers of one pull request, for the helpers injected into its page. */
type ReviewerRequests = 'pullRequest.reviewers' | 'pullRequest.addReviewers' | 'pullRequest.suggestReviewers';

const ref = (pr: PullRequest, project: string) => ({ project, repositoryId: pr.repository.id, pullRequestId: pr.pullRequestId });

export function pullRequestReviewerHandlers(deps: GatewayDeps): Pick<Handlers, ReviewerRequests> {
  /**
   * The client for the page's organization (its profile, or the page's own session), and the pull
   * request, checked to belong to the named repository.
   */
  async function open(profileId: string | undefined, repo: RepoKey, pullRequestId: number, ctx: HandlerContext) {
    const { api, orgBaseUrl: base, profile } = await apiFor(deps, profileId, ctx);
    const pr = await api.pullRequest(repo.project, pullRequestId);
    const named = (s: string) => s.toLowerCase() === repo.id.toLowerCase() || s.toLowerCase() === repo.name.toLowerCase();
    if (!named(pr.repository.id) && !named(pr.repository.name)) throw new Error(`Pull request ${pullRequestId} belongs to another repository.`);
    return { base, api, pr, profile };
  }

  return {
    'pullRequest.reviewers': async (req, ctx) => {
      const { base, pr } = await open(req.profileId, req.repo, req.pullRequestId, ctx);
      return summarize(pr, base, req.repo.project);
    },
    'pullRequest.suggestReviewers': async (req, ctx) => {
      const { api, pr } = await open(req.profileId, req.repo, req.pullRequestId, ctx);
      const target = pr.targetRefName;
      // The pull request's own list of changed files: right for forks too, where the source branch lives elsewhere.
      const paths = [...new Set((await api.pullRequestChanges(ref(pr, req.repo.project))).filter((c) => !c.item.path.endsWith('/')).map((c) => c.originalPath ?? c.item.path))];
      const reviewing = new Set(pr.reviewers.map((r) => r.id.toLowerCase()));
      const suggestions = await suggestReviewers(
        paths,
        { id: pr.createdBy.id, email: pr.createdBy.uniqueName },
        {
          now: deps.now(),
          async commitsOf(path) {
            try {
              const commits = await api.commitsByPath({ project: req.repo.project, repositoryId: pr.repository.id }, path, 10, { branch: target });
              return commits.map((c) => ({ path, author: { name: c.author.name, email: c.author.email }, date: c.author.date }));
            } catch (e) {
              // A file the pull request adds has no history on the target branch.
              if (isAdoError(e, 'notFound')) return [];
              throw e;
            }
          },
          identityOf: (author) => findPerson(api, author),
        },
        { limit: 8 },
      );
      return { suggestions: suggestions.filter((s) => !reviewing.has(s.id.toLowerCase())), changedFiles: paths.length };
    },
    'pullRequest.addReviewers': async (req, ctx) => {
      const { base, api, pr, profile } = await open(req.profileId, req.repo, req.pullRequestId, ctx);
      const current = new Set(pr.reviewers.map((r) => r.id.toLowerCase()));
      const wanted = [...new Map(req.reviewers.map((r) => [r.id.toLowerCase(), r])).values()];
      // Adding someone again would reset their vote: people already reviewing are left as they are.
      const fresh = wanted.filter((r) => !current.has(r.id.toLowerCase()));
      const alreadyReviewing = wanted.filter((r) => current.has(r.id.toLowerCase())).map((r) => r.id);
      // One PUT each: one refused leaves those before it added, so each is tried and the answer says who was not added.
      const added: string[] = [];
      const failed: { id: string; error: unknown }[] = [];
      for (const r of fresh) {
        try {
          await api.addReviewer(ref(pr, req.repo.project), r.id, { isRequired: r.isRequired });
          added.push(r.id);
        } catch (error) {
          failed.push({ id: r.id, error });
        }
      }
      // Nobody added: the reason is likely the same for all (a token, the network), said once as the request's failure.
      if (failed.length > 0 && added.length === 0) throw failed[0]!.error;
      const after = added.length > 0 ? await api.pullRequest(req.repo.project, req.pullRequestId) : pr;
      const notAdded = failed.map(({ id, error }) => {
        const { code, message } = toReplyError(error, profile);
        return { id, code, message };
      });
      return { ...summarize(after, base, req.repo.project), added, alreadyReviewing, failed: notAdded };
    },
  };
}
