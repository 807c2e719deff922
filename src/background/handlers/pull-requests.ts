import { isAdoError, pullRequestAlreadyOpen } from '../../shared/ado/client';
import type { PullRequest } from '../../shared/ado/schemas';
import { pullRequestWebUrl } from '../../shared/ado/urls';
import type { PullRequestSummary } from '../../shared/messages';
import { orgBaseUrl } from '../../shared/profile';
import { clientOf } from '../connections';
import { PullRequestExistsError, toReplyError } from '../errors';
import { listing } from '../lists';
import { suggestReviewers } from '../suggest-reviewers';
import { findPerson } from './people';
import { apiFor } from '../page-session';
import { profileOrThrow, type GatewayDeps, type Handlers } from './types';

type PullRequestRequests = 'prs.mine' | 'prs.create' | 'prs.suggestReviewers';

/** Per project and list: enough for a popup; the web UI has the rest. */
const MAX_PER_PROJECT = 100;

const shortBranch = (ref: string) => ref.replace(/^refs\/heads\//, '');

/** `base`: the organization's URL (orgBaseUrl), for the pull request's web link. */
export function summarize(pr: PullRequest, base: string, project: string): PullRequestSummary {
  const projectName = pr.repository.project?.name ?? project;
  return {
    id: pr.pullRequestId,
    title: pr.title,
    status: pr.status,
    isDraft: pr.isDraft ?? false,
    repo: { id: pr.repository.id, name: pr.repository.name, project: projectName },
    sourceBranch: shortBranch(pr.sourceRefName),
    targetBranch: shortBranch(pr.targetRefName),
    createdBy: { id: pr.createdBy.id, displayName: pr.createdBy.displayName },
    creationDate: pr.creationDate,
    reviewers: pr.reviewers.map((r) => ({
      id: r.id,
      displayName: r.displayName,
      vote: r.vote,
      isRequired: r.isRequired ?? false,
      isGroup: r.isContainer ?? false,
    })),
    webUrl: pullRequestWebUrl(base, projectName, pr.repository.name, pr.pullRequestId),
  };
}

const newestFirst = (a: PullRequestSummary, b: PullRequestSummary) => Date.parse(b.creationDate) - Date.parse(a.creationDate);

export function pullRequestHandlers(deps: GatewayDeps): Pick<Handlers, PullRequestRequests> {
  return {
    'prs.mine': async (req, ctx) => {
      const p = await profileOrThrow(deps, req.profileId, ctx);
      const me = p.identity?.id;
      if (!me) throw new Error(`“${p.name}” does not know who you are yet. Remove it and add it again in Options.`);
      const api = clientOf(deps, p, ctx);
      // Pull requests are listed per project; the project list is usually cached already.
      const projects = (await listing('projects', p.id, { kv: deps.local, client: () => api, now: deps.now })).items;
      const failed: { project: string; code: string; message: string; error: unknown }[] = [];
      const lists = await Promise.all(
        projects.map(async (project) => {
          const scope = { project: project.name };
          const opts = { limit: MAX_PER_PROJECT, pageSize: MAX_PER_PROJECT };
          try {
            const [created, reviewing] = await Promise.all([
              api.allPullRequests(scope, { status: 'active', creatorId: me }, opts),
              api.allPullRequests(scope, { status: 'active', reviewerId: me }, opts),
            ]);
            return { created: created.map((pr) => summarize(pr, orgBaseUrl(p), project.name)), reviewing: reviewing.map((pr) => summarize(pr, orgBaseUrl(p), project.name)) };
          } catch (e) {
            failed.push({ project: project.name, ...toReplyError(e, p), error: e });
            return { created: [], reviewing: [] };
          }
        }),
      );
      // When every project failed the reason is the same everywhere (a token, the network): say it once.
      if (projects.length > 0 && failed.length === projects.length) throw failed[0]!.error;
      return {
        created: lists.flatMap((l) => l.created).toSorted(newestFirst),
        reviewing: lists.flatMap((l) => l.reviewing).toSorted(newestFirst),
        failed: failed.map(({ project, code, message }) => ({ project, code, message })),
      };
    },

    'prs.create': async (req, ctx) => {
      const p = await profileOrThrow(deps, req.profileId, ctx);
      const source = shortBranch(req.sourceBranch);
      const target = shortBranch(req.targetBranch);
      if (source === target) throw new Error('Choose two different branches: the source branch is merged into the target branch.');
      const api = clientOf(deps, p, ctx);
      const scope = { project: req.repo.project, repositoryId: req.repo.id };
      try {
        const pr = await api.createPullRequest(scope, {
          sourceRefName: source,
          targetRefName: target,
          title: req.title,
          ...(req.description ? { description: req.description } : {}),
          isDraft: req.isDraft ?? false,
          reviewers: [...new Set(req.reviewerIds)].map((id) => ({ id })),
        });
        return summarize(pr, orgBaseUrl(p), req.repo.project);
      } catch (e) {
        if (!isAdoError(e, 'conflict') || !pullRequestAlreadyOpen(e)) throw e;
        // TF401179 does not say which one is open: ask, so that the person opens it rather than
        // a list to search. Not found (the search failed too), the refusal is said as it was.
        const [open] = await api.pullRequests(scope, { status: 'active', sourceRefName: source, targetRefName: target, top: 1 }).catch(() => []);
        throw open ? new PullRequestExistsError(summarize(open, orgBaseUrl(p), req.repo.project), e) : e;
      }
    },

    'prs.suggestReviewers': async (req, ctx) => {
      const { api, profile: p } = await apiFor(deps, req.profileId, ctx);
      const ref = { project: req.repo.project, repositoryId: req.repo.id };
      const paths = await api.changedPaths(ref, req.sourceBranch, req.targetBranch);
      // The author is left out: the profile's identity, or whoever the page's session is.
      const me = p ? { id: p.identity?.id ?? '', email: p.identity?.uniqueName } : { id: (await api.connectionData()).authenticatedUser.id };
      const suggestions = await suggestReviewers(
        paths,
        me,
        {
          now: deps.now(),
          async commitsOf(path) {
            try {
              const commits = await api.commitsByPath(ref, path, 10, { branch: req.targetBranch });
              return commits.map((c) => ({ path, author: { name: c.author.name, email: c.author.email }, date: c.author.date }));
            } catch (e) {
              // A file the source branch adds has no history on the target branch.
              if (isAdoError(e, 'notFound')) return [];
              throw e;
            }
          },
          identityOf: (author) => findPerson(api, author),
        },
      );
      return { suggestions, changedFiles: paths.length };
    },
  };
}
