import type { RequestContext } from '../context';
import type { Router } from '../router';
import { repositoryJson } from './shapes';

/** Repositories: list per organization (one call, not paged) or per project, and one by id or name. */
export function registerRepositories(router: Router): void {
  router.get('collection', '/_apis/git/repositories', list, { scope: 'vso.code' });
  router.get('collection', '/{project}/_apis/git/repositories', list, { scope: 'vso.code' });
  router.get('collection', '/_apis/git/repositories/{repositoryId}', one, { scope: 'vso.code' });
  router.get('collection', '/{project}/_apis/git/repositories/{repositoryId}', one, { scope: 'vso.code' });
}

async function list(ctx: RequestContext): Promise<void> {
  const repos = ctx.store.repositoriesOf(ctx.optionalProject() ?? ctx.organization());
  const links = ctx.query.get('includeLinks') === 'true';
  ctx.replyList(await Promise.all(repos.map((r) => repositoryJson(ctx, r, { links }))));
}

async function one(ctx: RequestContext): Promise<void> {
  ctx.reply(await repositoryJson(ctx, ctx.repository(), { links: true }));
}
