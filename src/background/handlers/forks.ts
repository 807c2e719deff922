import type { AdoClient, Repository, RepositoryRef } from '../../shared/ado/client';
import type { RepoSummary } from '../../shared/messages';
import { apiFor } from '../page-session';
import type { GatewayDeps, Handlers } from './types';

/** Forks for the "Forks as remotes" feature: list a repository's parent and forks, create a fork. */
type ForkRequests = 'forks.list' | 'forks.create';

export function repoSummary(r: Repository): RepoSummary {
  return {
    id: r.id,
    name: r.name,
    project: { id: r.project.id, name: r.project.name },
    ...(r.defaultBranch ? { defaultBranch: r.defaultBranch } : {}),
    remoteUrl: r.remoteUrl,
    ...(r.sshUrl ? { sshUrl: r.sshUrl } : {}),
    ...(r.webUrl ? { webUrl: r.webUrl } : {}),
    ...(r.isFork ? { isFork: true } : {}),
  };
}

/** A fork as the forks call answers it lacks URLs (and sometimes its project): read it whole. */
const full = (api: AdoClient, ref: RepositoryRef) =>
  api.repository({ project: ref.project?.id ?? ref.project?.name ?? '', repositoryId: ref.id }).catch(() => undefined);

export function forkHandlers(deps: GatewayDeps): Pick<Handlers, ForkRequests> {
  return {
    'forks.list': async (req, ctx) => {
      // The page's own session serves a page of an organization without a profile.
      const { api, profile: p } = await apiFor(deps, req.profileId, ctx);
      const repo = await api.repository({ project: req.repo.project, repositoryId: req.repo.id });
      const collectionId = p?.instanceId ?? (await api.connectionData()).instanceId;
      const ref = { project: repo.project.id, repositoryId: repo.id };
      const parentRef = repo.parentRepository;
      const [forkRefs, parent] = await Promise.all([
        api.forks(ref, collectionId),
        parentRef ? api.repository({ project: parentRef.project?.id ?? repo.project.id, repositoryId: parentRef.id }) : undefined,
      ]);
      const forks = (await Promise.all(forkRefs.filter((f) => f.id !== repo.id).map((f) => full(api, f)))).filter((f): f is Repository => !!f);
      return {
        repo: repoSummary(repo),
        ...(parent ? { parent: repoSummary(parent) } : {}),
        forks: forks.map(repoSummary).toSorted((a, b) => a.project.name.localeCompare(b.project.name) || a.name.localeCompare(b.name)),
      };
    },
    'forks.create': async (req, ctx) => {
      const { api } = await apiFor(deps, req.profileId, ctx);
      const parent = await api.repository({ project: req.repo.project, repositoryId: req.repo.id });
      const fork = await api.createFork({
        projectId: req.projectId,
        name: req.name,
        parentRepositoryId: parent.id,
        parentProjectId: parent.project.id,
      });
      return repoSummary(fork);
    },
  };
}
