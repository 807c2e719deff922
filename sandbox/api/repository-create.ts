import path from 'node:path';
import { z } from 'zod';
import type { RequestContext } from '../context';
import { AzdoError, azdoErrors } from '../errors';
import { isGuid } from '../ids';
import type { Router } from '../router';
import type { Project, Repository } from '../store';
import { atProjectAndOrg, bodyOf, fullRefName } from './route-helpers';
import { parentRef, repositoryJson } from './shapes';

/**
 * Creating repositories: an empty one (a real empty bare repository), or a fork
 * (`parentRepository`, optionally only `?sourceRef=`) that shares its parent's objects and starts
 * with its refs. And the list of a repository's forks in a collection.
 */
export function registerRepositoryCreation(router: Router): void {
  atProjectAndOrg(router, 'POST', '/_apis/git/repositories', create, { scope: 'vso.code_manage' });
  atProjectAndOrg(router, 'GET', '/_apis/git/repositories/{repositoryNameOrId}/forks/{collectionId}', forks, { scope: 'vso.code' });
}

const createSchema = z
  .object({
    name: z.string(),
    project: z.object({ id: z.string().min(1).optional(), name: z.string().min(1).optional() }).loose().optional(),
    parentRepository: z
      .object({ id: z.string().min(1), project: z.object({ id: z.string().min(1) }).loose().optional() })
      .loose()
      .optional(),
  })
  .loose();

const GIT = 'Microsoft.TeamFoundation.Git.Server';

async function create(ctx: RequestContext): Promise<void> {
  const body = await bodyOf(ctx, createSchema);
  const project = targetProject(ctx, body.project?.id ?? body.project?.name);
  const name = body.name;
  if (!isValidRepositoryName(name)) {
    throw new AzdoError(400, `TF401025: '${name}' is not a valid name for a Git repository.`, 'InvalidGitRepositoryNameException', `${GIT}.InvalidGitRepositoryNameException, ${GIT}`);
  }
  // Any case, in the project, whoever made it. TF400948 and GitRepositoryNameAlreadyExistsException as
  // Azure DevOps answers (the Server's own Microsoft.TeamFoundation.Git.Server throws that exception for
  // a name taken; the words as clients quote them). Not in the OpenAPI spec, which names no errors.
  if (ctx.store.repositoriesOf(project).some((r) => r.name.toLowerCase() === name.toLowerCase())) {
    throw new AzdoError(409, `TF400948: A Git repository with the name ${name} already exists.`, 'GitRepositoryNameAlreadyExistsException', `${GIT}.GitRepositoryNameAlreadyExistsException, ${GIT}`);
  }

  const parentSpec = body.parentRepository;
  if (!parentSpec) {
    const repo = addRepository(ctx, project, { name, initialBranch: 'main' });
    await ctx.git.ensure(repo);
    ctx.reply(await repositoryJson(ctx, repo, { links: true }), 201);
    return;
  }

  const parentProject = parentSpec.project ? ctx.project(parentSpec.project.id) : undefined;
  const parent = ctx.store.repository(ctx.organization(), parentSpec.id, parentProject);
  if (!parent || parent.isDisabled) throw azdoErrors.repositoryNotFound(parentSpec.id);
  await ctx.git.ensure(parent);
  const sourceRefParam = ctx.query.get('sourceRef');
  const sourceRef = sourceRefParam ? fullRefName(sourceRefParam) : undefined;
  const parentRefs = await ctx.git.refs(parent);
  if (sourceRef && !parentRefs.some((r) => r.name === sourceRef)) {
    throw new AzdoError(404, `TF401175: The ref '${sourceRef}' could not be found in repository ${parent.name}.`, 'GitRefNotFoundException', `${GIT}.GitRefNotFoundException, ${GIT}`);
  }
  // The fork's HEAD: the parent's default branch, or the one branch it was asked for.
  const parentDefault = (await ctx.git.defaultBranch(parent)) ?? `refs/heads/${parent.initialBranch}`;
  const head = sourceRef?.startsWith('refs/heads/') ? sourceRef : parentDefault;
  const fork = addRepository(ctx, project, { name, initialBranch: head.replace(/^refs\/heads\//, ''), parentId: parent.id });
  await ctx.git.createFork(fork, parent, sourceRef);
  ctx.reply(await repositoryJson(ctx, fork, { links: true }), 201);
}

/** The project from the body (id or name), else from the path; the body wins, like the real service. */
function targetProject(ctx: RequestContext, fromBody: string | undefined): Project {
  if (fromBody) return ctx.project(fromBody);
  if (ctx.params.project) return ctx.project();
  throw azdoErrors.badRequest('Invalid argument value.\r\nParameter name: project', 'InvalidArgumentValueException');
}

function addRepository(ctx: RequestContext, project: Project, r: { name: string; initialBranch: string; parentId?: string }): Repository {
  const org = ctx.organization();
  const repo = ctx.store.addRepository(project, {
    name: r.name,
    isDisabled: false,
    isInMaintenance: false,
    parentId: r.parentId,
    gitDir: '',
    initialBranch: r.initialBranch,
  });
  repo.gitDir = path.join(ctx.git.root, org.name.toLowerCase(), `${repo.id}.git`);
  return repo;
}

// Azure Repos' naming rules (Microsoft Learn, "Naming restrictions"): what TF401025 refuses.
const FORBIDDEN = /[\\/:*?"<>|;#$*{},+=[\]\p{Cc}]/u;
const RESERVED = new Set(
  ['app_browsers', 'app_code', 'app_data', 'app_globalresources', 'app_localresources', 'app_themes', 'app_webresources', 'bin', 'web.config', 'con', 'prn', 'aux', 'nul']
    .concat([1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`com${n}`, `lpt${n}`])),
);

function isValidRepositoryName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 64 &&
    name.trim() === name &&
    !FORBIDDEN.test(name) &&
    !/[\uD800-\uDFFF]/.test(name) &&
    !name.startsWith('_') &&
    !name.startsWith('.') &&
    !name.endsWith('.') &&
    !RESERVED.has(name.toLowerCase())
  );
}

async function forks(ctx: RequestContext): Promise<void> {
  const repo = ctx.repository(ctx.params.repositoryNameOrId);
  const collectionId = ctx.params.collectionId!;
  if (!isGuid(collectionId)) throw azdoErrors.badRequest(`The value '${collectionId}' is not a valid collection id.`, 'InvalidArgumentValueException');
  // Forks live in the parent's collection here; another collection has none of them.
  const inCollection = collectionId.toLowerCase() === ctx.organization().id;
  const list = inCollection ? ctx.store.forksOf(repo).toSorted((a, b) => a.name.localeCompare(b.name)) : [];
  ctx.replyList(list.map((f) => parentRef(ctx, f)));
}
