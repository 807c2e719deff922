import type { z } from 'zod';
import type { RequestContext } from '../context';
import { AzdoError, azdoErrors } from '../errors';
import type { Handler, RouteOptions, Router } from '../router';
import type { Repository } from '../store';

/** Helpers the REST route files share. */

/**
 * Registers `pattern` (starting with `/_apis/`) twice: below a project and below the organization,
 * as Azure DevOps accepts both when the resource (a repository id) needs no project to be found.
 */
export function atProjectAndOrg(router: Router, method: string, pattern: string, handler: Handler, opts: RouteOptions = {}): void {
  router.add(method, 'collection', `/{project}${pattern}`, handler, opts);
  router.add(method, 'collection', pattern, handler, opts);
}

/** The first of `names` given in the query as a non-negative integer; 400 when malformed. */
export function intQuery(ctx: RequestContext, ...names: string[]): number | undefined {
  for (const name of names) {
    const value = ctx.query.get(name);
    if (value === null || value === '') continue;
    if (!/^\d{1,9}$/.test(value)) throw azdoErrors.badRequest(`The value '${value}' is not valid for ${name}.`, 'InvalidArgumentValueException');
    return Number(value);
  }
  return undefined;
}

/** The request body checked against `schema`; 400 in Azure DevOps' shape when it does not fit. */
export async function bodyOf<T>(ctx: RequestContext, schema: z.ZodType<T>): Promise<T> {
  const r = schema.safeParse(await ctx.json());
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.join('.') || 'body';
  throw invalidArgument(`Invalid argument value.\r\nParameter name: ${where} (${issue.message})`);
}

/** A repository whose git content the route reads or writes: disabled ones are refused like the real service does. */
export async function gitRepository(ctx: RequestContext, nameOrId?: string): Promise<Repository> {
  const repo = nameOrId === undefined ? ctx.repository() : ctx.repository(nameOrId);
  if (repo.isDisabled) throw azdoErrors.repositoryNotFound(nameOrId ?? repo.name);
  await ctx.git.ensure(repo);
  return repo;
}

/** `refs/heads/x` for `x`, `heads/x` or `refs/heads/x`. */
export function fullRefName(name: string): string {
  if (name.startsWith('refs/')) return name;
  if (name.startsWith('heads/') || name.startsWith('tags/')) return `refs/${name}`;
  return `refs/heads/${name}`;
}

const SOURCE_CONTROL = 'Microsoft.TeamFoundation.SourceControl.WebServer';

/** How the git REST routes refuse bad arguments (`Invalid argument value.\r\nParameter name: ...`). */
export function invalidArgument(message: string): AzdoError {
  return new AzdoError(400, message, 'InvalidArgumentValueException', `${SOURCE_CONTROL}.InvalidArgumentValueException, ${SOURCE_CONTROL}`);
}
