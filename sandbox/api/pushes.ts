import { z } from 'zod';
import type { RequestContext } from '../context';
import { AzdoError } from '../errors';
import type { Router } from '../router';
import type { Repository } from '../store';
import { isObjectId, isValidRefName, resolveCommit, updateRef, ZERO_ID, type Person } from './git-plumbing';
import { gitignoreTemplate } from './gitignore-templates';
import { type PushChange, writePushCommit } from './push-commits';
import { atProjectAndOrg, bodyOf, gitRepository, invalidArgument } from './route-helpers';
import { identityRef, repositoryJson } from './shapes';

/**
 * `POST .../repositories/{id}/pushes`: commits built from `changes` (add, edit, delete, rename;
 * raw text, base64 or a .gitignore template) written as real git commits, then the ref moved
 * with an old-value check, so a stale `oldObjectId` loses like it does in Azure DevOps (409).
 */
export function registerPushes(router: Router): void {
  atProjectAndOrg(router, 'POST', '/_apis/git/repositories/{repositoryId}/pushes', createPush, { scope: 'vso.code_write' });
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

const changeSchema = z
  .object({
    changeType: z.preprocess(lower, z.enum(['add', 'edit', 'delete', 'rename'])),
    item: z.object({ path: z.string().min(1) }).loose(),
    sourceServerItem: z.string().min(1).optional(),
    newContent: z
      .object({ content: z.string(), contentType: z.preprocess(lower, z.enum(['rawtext', 'base64encoded'])) })
      .loose()
      .optional(),
    newContentTemplate: z.object({ name: z.string().min(1), type: z.string().min(1) }).loose().optional(),
  })
  .loose();

const pushSchema = z
  .object({
    refUpdates: z.array(z.object({ name: z.string().min(1), oldObjectId: z.string() }).loose()).min(1),
    commits: z
      .array(
        z
          .object({
            comment: z.string().optional(),
            changes: z.array(changeSchema),
            parents: z.array(z.string()).optional(),
          })
          .loose(),
      )
      .min(1),
  })
  .loose();

type ChangeInput = z.infer<typeof changeSchema>;

async function createPush(ctx: RequestContext): Promise<void> {
  const repo = await gitRepository(ctx);
  const body = await bodyOf(ctx, pushSchema);
  if (body.refUpdates.length !== 1) throw invalidArgument('Invalid argument value.\r\nParameter name: A push must update exactly one ref.');
  const refUpdate = body.refUpdates[0]!;
  const ref = refUpdate.name;
  if (!ref.startsWith('refs/heads/') || !isValidRefName(ref)) {
    throw new AzdoError(400, `The ref name '${ref}' is not a valid name for a Git branch.`, 'InvalidGitRefNameException', 'Microsoft.TeamFoundation.Git.Server.InvalidGitRefNameException, Microsoft.TeamFoundation.Git.Server');
  }
  if (!isObjectId(refUpdate.oldObjectId)) throw invalidArgument(`Invalid argument value.\r\nParameter name: oldObjectId '${refUpdate.oldObjectId}' is not an object id.`);

  const current = await resolveCommit(repo.gitDir, ref);
  let parent: string | undefined;
  if (current) {
    if (refUpdate.oldObjectId !== current) throw staleRef(ref);
    parent = current;
  } else if (refUpdate.oldObjectId !== ZERO_ID) {
    // A new branch starting at an existing commit.
    parent = await resolveCommit(repo.gitDir, refUpdate.oldObjectId);
    if (!parent) throw commitNotFound(refUpdate.oldObjectId, repo);
  }

  const user = ctx.user();
  const who: Person = { name: user.displayName, email: user.mail, date: new Date().toISOString() };
  const written: { commitId: string; treeId: string; parents: string[]; comment: string }[] = [];
  for (const c of body.commits) {
    const explicit = c.parents?.[0];
    const base = explicit !== undefined ? await resolveCommit(repo.gitDir, explicit) : (written.at(-1)?.commitId ?? parent);
    if (explicit !== undefined && !base) throw commitNotFound(explicit, repo);
    const comment = c.comment ?? '';
    const changes = c.changes.map(toPushChange);
    const commit = await writePushCommit(repo.gitDir, base, comment, changes, who);
    written.push({ ...commit, parents: base ? [base] : [], comment });
  }
  const newId = written.at(-1)!.commitId;
  if (!(await updateRef(repo.gitDir, ref, newId, current ?? ZERO_ID))) throw staleRef(ref);
  await ctx.git.afterPush(repo);

  const pushId = ctx.store.nextPushId(repo);
  ctx.reply(await pushJson(ctx, repo, pushId, who, ref, current ?? ZERO_ID, newId, written), 201);
}

function toPushChange(c: ChangeInput): PushChange {
  const p = c.item.path;
  if (c.changeType === 'delete') return { changeType: 'delete', path: p };
  if (c.changeType === 'rename') {
    if (!c.sourceServerItem) throw invalidArgument('Invalid argument value.\r\nParameter name: A rename needs sourceServerItem.');
    return { changeType: 'rename', path: p, sourcePath: c.sourceServerItem };
  }
  return { changeType: c.changeType, path: p, content: contentOf(c) };
}

function contentOf(c: ChangeInput): Buffer {
  if (c.newContentTemplate) {
    const t = c.newContentTemplate;
    const content = t.type.toLowerCase() === 'gitignore' ? gitignoreTemplate(t.name) : undefined;
    if (content === undefined) throw invalidArgument(`Invalid argument value.\r\nParameter name: The template '${t.name}' of type '${t.type}' was not found.`);
    return Buffer.from(content, 'utf8');
  }
  if (!c.newContent) throw invalidArgument(`Invalid argument value.\r\nParameter name: The ${c.changeType} of '${c.item.path}' needs newContent or newContentTemplate.`);
  if (c.newContent.contentType === 'rawtext') return Buffer.from(c.newContent.content, 'utf8');
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(c.newContent.content)) throw invalidArgument(`Invalid argument value.\r\nParameter name: The content of '${c.item.path}' is not valid base64.`);
  return Buffer.from(c.newContent.content, 'base64');
}

export function staleRef(ref: string): AzdoError {
  return new AzdoError(
    409,
    `TF401028: The reference '${ref}' has already been updated by another client, so you cannot update it. Please try again.`,
    'GitReferenceStaleException',
    'Microsoft.TeamFoundation.Git.Server.GitReferenceStaleException, Microsoft.TeamFoundation.Git.Server',
  );
}

function commitNotFound(id: string, repo: Repository): AzdoError {
  return new AzdoError(
    404,
    `TF401035: The object '${id}' does not exist in repository '${repo.name}'.`,
    'GitCommitDoesNotExistException',
    'Microsoft.TeamFoundation.Git.Server.GitCommitDoesNotExistException, Microsoft.TeamFoundation.Git.Server',
  );
}

async function pushJson(
  ctx: RequestContext,
  repo: Repository,
  pushId: number,
  who: Person,
  ref: string,
  oldObjectId: string,
  newObjectId: string,
  commits: { commitId: string; treeId: string; parents: string[]; comment: string }[],
): Promise<Record<string, unknown>> {
  const project = ctx.projectOf(repo);
  const repoUrl = ctx.urls.repositoryUrl(project, repo);
  const url = `${repoUrl}/pushes/${pushId}`;
  const pusher = identityRef(ctx, ctx.user());
  const gitUser = { name: who.name, email: who.email, date: who.date.replace(/\.\d{3}Z$/, 'Z') };
  return {
    commits: commits.map((c) => ({
      treeId: c.treeId,
      commitId: c.commitId,
      author: gitUser,
      committer: gitUser,
      comment: c.comment,
      parents: c.parents,
      url: `${repoUrl}/commits/${c.commitId}`,
    })),
    refUpdates: [{ repositoryId: repo.id, name: ref, oldObjectId, newObjectId }],
    repository: await repositoryJson(ctx, repo),
    pushedBy: pusher,
    pushId,
    date: who.date,
    url,
    _links: {
      self: { href: url },
      repository: { href: repoUrl },
      commits: { href: `${url}/commits` },
      pusher: { href: String(pusher.url) },
      refs: { href: `${repoUrl}/refs/${ref}` },
    },
  };
}
