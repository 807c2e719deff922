import * as z from 'zod';
import type { RequestContext } from '../context';
import { azdoErrors } from '../errors';
import type { Router } from '../router';
import { git, gitText, isObjectId, isValidRefName, resolveCommit, ZERO_ID } from './git-plumbing';
import { atProjectAndOrg, bodyOf, gitRepository, intQuery, invalidArgument } from './route-helpers';
import { identityRef } from './shapes';

/**
 * `GET .../repositories/{id}/refs?filter=heads/&$top=&continuationToken=`: the real repository's
 * refs in name order, paged with the `x-ms-continuationtoken` header. `creator` is the member
 * whose mail address authored the tip (git keeps no record of who created a ref).
 */
export function registerRefs(router: Router): void {
  atProjectAndOrg(router, 'GET', '/_apis/git/repositories/{repositoryId}/refs', list, { scope: 'vso.code' });
  atProjectAndOrg(router, 'POST', '/_apis/git/repositories/{repositoryId}/refs', update, { scope: 'vso.code_write' });
}

const RefUpdates = z
  .array(z.object({ name: z.string().min(1).max(1000), oldObjectId: z.string(), newObjectId: z.string() }))
  .min(1)
  .max(100);

/**
 * `POST .../refs`: creates, moves or deletes refs (`oldObjectId` zero = create, `newObjectId`
 * zero = delete). Like the service it answers 200 with one result per ref, each with its own
 * `success` and `updateStatus`; one ref failing does not stop the others (not atomic by default).
 */
async function update(ctx: RequestContext): Promise<void> {
  const repo = await gitRepository(ctx);
  const updates = await bodyOf(ctx, RefUpdates);
  const results = [];
  let moved = false;
  for (const u of updates) {
    if (!isObjectId(u.oldObjectId) || !isObjectId(u.newObjectId)) throw invalidArgument(`Invalid argument value.\r\nParameter name: ${u.name}: oldObjectId and newObjectId must be 40 hex digits.`);
    const status = await applyRefUpdate(repo.gitDir, u.name, u.oldObjectId, u.newObjectId);
    if (status === 'succeeded') moved = true;
    results.push({
      repositoryId: repo.id,
      name: u.name,
      oldObjectId: u.oldObjectId,
      newObjectId: u.newObjectId,
      isLocked: false,
      updateStatus: status,
      success: status === 'succeeded',
    });
  }
  if (moved) await ctx.git.afterPush(repo);
  ctx.replyList(results);
}

async function applyRefUpdate(gitDir: string, name: string, oldId: string, newId: string): Promise<string> {
  if (!name.startsWith('refs/') || !isValidRefName(name)) return 'invalidRefName';
  const current = await resolveCommit(gitDir, name);
  if ((current ?? ZERO_ID) !== oldId) return 'staleOldObjectId';
  if (newId === ZERO_ID) {
    const r = await git(gitDir, ['update-ref', '-d', '--end-of-options', name, oldId]);
    return r.code === 0 ? 'succeeded' : 'staleOldObjectId';
  }
  if (!(await resolveCommit(gitDir, newId))) return 'unresolvableToCommit';
  const r = await git(gitDir, ['update-ref', '--end-of-options', name, newId, oldId]);
  return r.code === 0 ? 'succeeded' : 'staleOldObjectId';
}

async function list(ctx: RequestContext): Promise<void> {
  const repo = await gitRepository(ctx);
  const filter = ctx.query.get('filter') ?? '';
  const contains = ctx.query.get('filterContains')?.toLowerCase();
  const peel = ctx.query.get('peelTags') === 'true';
  const top = intQuery(ctx, '$top') ?? 1000;
  if (top < 1) throw azdoErrors.badRequest('The value 0 is not valid for $top.', 'InvalidArgumentValueException');
  const start = continuationStart(ctx.query.get('continuationToken'));

  const prefix = `refs/${filter.replace(/^refs\//, '')}`;
  const out = await gitText(repo.gitDir, ['for-each-ref', '--format=%(objectname)%09%(*objectname)%09%(authoremail)%09%(refname)', '--end-of-options', 'refs/']);
  const all = out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [objectId, peeled, email, name] = line.split('\t');
      return { objectId: objectId!, peeled: peeled ?? '', email: (email ?? '').replace(/^<|>$/g, ''), name: name! };
    })
    .filter((r) => r.name.startsWith(prefix) && (!contains || r.name.toLowerCase().includes(contains)))
    .toSorted((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const from = start === undefined ? 0 : all.findIndex((r) => r.name >= start);
  const page = from < 0 ? [] : all.slice(from, from + top);
  const next = from < 0 ? undefined : all[from + top];
  const project = ctx.projectOf(repo);
  const repoUrl = ctx.urls.repositoryUrl(project, repo);
  const org = ctx.organization();
  const value = page.map((r) => {
    const author = r.email ? ctx.store.user(r.email) : undefined;
    const creator = author && ctx.store.isMember(org, author.id) ? author : undefined;
    return {
      name: r.name,
      objectId: r.objectId,
      ...(peel && r.peeled ? { peeledObjectId: r.peeled } : {}),
      ...(creator ? { creator: identityRef(ctx, creator) } : {}),
      url: `${repoUrl}/refs?filter=${encodeURIComponent(r.name.replace(/^refs\//, ''))}`,
    };
  });
  ctx.replyList(value, next ? { 'x-ms-continuationtoken': Buffer.from(next.name).toString('base64url') } : {});
}

/** The ref name a continuation token starts at (tokens are opaque to clients). */
function continuationStart(token: string | null): string | undefined {
  if (token === null || token === '') return undefined;
  const name = Buffer.from(token, 'base64url').toString('utf8');
  if (!name.startsWith('refs/')) throw azdoErrors.badRequest(`The continuation token '${token}' is not valid.`, 'InvalidArgumentValueException');
  return name;
}
