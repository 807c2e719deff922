import { azdoErrors } from '../errors';
import type { Router } from '../router';
import { projectRef } from './shapes';

/** Projects: the paged list (`$top`, `$skip`, `continuationToken` → `x-ms-continuationtoken`) and one project. */
export function registerProjects(router: Router): void {
  router.get(
    'collection',
    '/_apis/projects',
    (ctx) => {
      const all = ctx.store.projectsOf(ctx.organization());
      const top = intParam(ctx.query.get('$top'), '$top') ?? 100;
      const skip = intParam(ctx.query.get('$skip'), '$skip') ?? 0;
      const token = ctx.query.get('continuationToken');
      const start = token !== null ? (intParam(token, 'continuationToken') ?? 0) : skip;
      const page = all.slice(start, start + top);
      const next = start + page.length;
      const headers: Record<string, string> = next < all.length ? { 'x-ms-continuationtoken': String(next) } : {};
      ctx.replyList(
        page.map((p) => projectRef(ctx, p)),
        headers,
      );
    },
    { scope: 'vso.project' },
  );

  router.get(
    'collection',
    '/_apis/projects/{projectId}',
    (ctx) => {
      const p = ctx.project(ctx.params.projectId);
      const team = p.defaultTeamId ? ctx.store.teams.get(p.defaultTeamId) : undefined;
      const url = ctx.urls.projectUrl(p);
      ctx.reply({
        ...projectRef(ctx, p),
        _links: { self: { href: url }, collection: { href: ctx.urls.api(`projectCollections/${p.orgId}`) }, web: { href: `${ctx.collectionUrl}/${encodeURIComponent(p.name)}` } },
        ...(team ? { defaultTeam: { id: team.id, name: team.name, url: `${url}/teams/${team.id}` } } : {}),
      });
    },
    { scope: 'vso.project' },
  );
}

function intParam(value: string | null, name: string): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw azdoErrors.badRequest(`The value '${value}' is not valid for ${name}.`, 'InvalidArgumentValueException');
  return Number(value);
}
