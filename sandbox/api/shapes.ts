import { accountNames } from '../account-names';
import type { RequestContext } from '../context';
import type { Group, Project, Repository, User } from '../store';

/** JSON shapes shared by several API areas, as the 7.1 specs and examples write them. */

/** TeamProjectReference. */
export function projectRef(ctx: RequestContext, p: Project): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    url: ctx.urls.projectUrl(p),
    state: 'wellFormed',
    revision: p.revision,
    visibility: p.visibility,
    lastUpdateTime: p.lastUpdateTime,
  };
}

/** GitRepository; `_links` only when asked (single GET, or includeLinks=true). */
export async function repositoryJson(ctx: RequestContext, repo: Repository, opts: { links?: boolean } = {}): Promise<Record<string, unknown>> {
  const project = ctx.projectOf(repo);
  const urls = ctx.urls;
  const url = urls.repositoryUrl(project, repo);
  const defaultBranch = await ctx.git.defaultBranch(repo);
  const parent = repo.parentId ? ctx.store.repositories.get(repo.parentId) : undefined;
  return {
    id: repo.id,
    name: repo.name,
    url,
    project: projectRef(ctx, project),
    ...(defaultBranch ? { defaultBranch } : {}),
    size: await ctx.git.size(repo),
    remoteUrl: urls.remoteUrl(project, repo),
    sshUrl: urls.sshUrl(project, repo),
    webUrl: urls.webUrl(project, repo),
    ...(parent ? { parentRepository: parentRef(ctx, parent) } : {}),
    isDisabled: repo.isDisabled,
    isInMaintenance: repo.isInMaintenance,
    ...(parent ? { isFork: true } : {}),
    ...(opts.links
      ? {
          _links: {
            self: { href: url },
            project: { href: `vstfs:///Classification/TeamProject/${project.id}` },
            web: { href: urls.webUrl(project, repo) },
            ssh: { href: urls.sshUrl(project, repo) },
            commits: { href: `${url}/commits` },
            refs: { href: `${url}/refs` },
            pullRequests: { href: `${url}/pullRequests` },
            items: { href: `${url}/items` },
            pushes: { href: `${url}/pushes` },
          },
        }
      : {}),
  };
}

/** GitRepositoryRef for `parentRepository`. */
export function parentRef(ctx: RequestContext, repo: Repository): Record<string, unknown> {
  const project = ctx.projectOf(repo);
  const urls = ctx.urls;
  const org = ctx.organization();
  return {
    id: repo.id,
    name: repo.name,
    url: urls.repositoryUrl(project, repo),
    project: projectRef(ctx, project),
    collection: { id: org.id, name: org.name, url: urls.api(`projectCollections/${org.id}`) },
    ...(repo.parentId ? { isFork: true } : {}),
    remoteUrl: urls.remoteUrl(project, repo),
    sshUrl: urls.sshUrl(project, repo),
  };
}

/** IdentityRef (reviewers, creators, team members). */
export function identityRef(ctx: RequestContext, who: User | Group): Record<string, unknown> {
  const isGroup = 'orgId' in who;
  const names = isGroup ? undefined : accountNames(ctx.organization(), who);
  const descriptor = names?.subjectDescriptor ?? who.descriptor;
  const avatar = `${ctx.collectionUrl}/_apis/GraphProfile/MemberAvatars/${descriptor}`;
  return {
    displayName: who.displayName,
    url: `${ctx.urls.vssps}/_apis/Identities/${who.id}`,
    _links: { avatar: { href: avatar } },
    id: who.id,
    uniqueName: names?.uniqueName ?? `vstfs:///Classification/TeamProject/${who.id}\\${who.displayName}`,
    imageUrl: avatar,
    descriptor,
    ...(isGroup ? { isContainer: true } : {}),
  };
}
