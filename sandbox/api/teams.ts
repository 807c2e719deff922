import type { RequestContext } from '../context';
import { AzdoError } from '../errors';
import { isGuid } from '../ids';
import type { Router } from '../router';
import type { Project, Team } from '../store';
import { intQuery } from './route-helpers';
import { identityRef } from './shapes';

/** Teams of a project (`$mine`, `$top`, `$skip`), one team, and its members (core 7.1). */
export function registerTeams(router: Router): void {
  router.get('collection', '/_apis/projects/{projectId}/teams', list, { scope: 'vso.project' });
  router.get('collection', '/_apis/projects/{projectId}/teams/{teamId}', one, { scope: 'vso.project' });
  router.get('collection', '/_apis/projects/{projectId}/teams/{teamId}/members', members, { scope: 'vso.project' });
}

function teamJson(ctx: RequestContext, project: Project, t: Team): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    url: `${ctx.urls.projectUrl(project)}/teams/${t.id}`,
    description: t.description,
    identityUrl: `${ctx.urls.vssps}/_apis/Identities/${t.id}`,
    projectName: project.name,
    projectId: project.id,
  };
}

function page<T>(ctx: RequestContext, items: T[]): T[] {
  const top = intQuery(ctx, '$top') ?? 100;
  const skip = intQuery(ctx, '$skip') ?? 0;
  return items.slice(skip, skip + top);
}

function list(ctx: RequestContext): void {
  const project = ctx.project(ctx.params.projectId);
  const mine = ctx.query.get('$mine') === 'true';
  const me = ctx.user().id;
  const teams = ctx.store.teamsOf(project).filter((t) => !mine || t.memberIds.includes(me));
  ctx.replyList(page(ctx, teams).map((t) => teamJson(ctx, project, t)));
}

/** By id or name, case-insensitive; 404 like the real service otherwise. */
function teamOf(ctx: RequestContext, project: Project): Team {
  const key = ctx.params.teamId!.toLowerCase();
  const team = ctx.store.teamsOf(project).find((t) => (isGuid(key) ? t.id === key : t.name.toLowerCase() === key));
  if (!team) {
    throw new AzdoError(
      404,
      `The team with id or name '${ctx.params.teamId}' does not exist in project '${project.name}'.`,
      'TeamNotFoundException',
      'Microsoft.TeamFoundation.Core.WebApi.TeamNotFoundException, Microsoft.TeamFoundation.Core.WebApi',
    );
  }
  return team;
}

function one(ctx: RequestContext): void {
  const project = ctx.project(ctx.params.projectId);
  ctx.reply(teamJson(ctx, project, teamOf(ctx, project)));
}

function members(ctx: RequestContext): void {
  const project = ctx.project(ctx.params.projectId);
  const team = teamOf(ctx, project);
  const people = team.memberIds
    .flatMap((id) => {
      const user = ctx.store.user(id);
      return user ? [user] : [];
    })
    .toSorted((a, b) => a.displayName.localeCompare(b.displayName));
  ctx.replyList(page(ctx, people).map((u) => ({ isTeamAdmin: team.adminIds.includes(u.id), identity: identityRef(ctx, u) })));
}
