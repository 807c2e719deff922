import type { RequestContext } from '../context';
import { azdoErrors } from '../errors';
import type { Router } from '../router';
import type { Repository } from '../store';
import { git, gitText, isValidRefName, mergeBase, resolveCommit } from './git-plumbing';
import { atProjectAndOrg, gitRepository, intQuery } from './route-helpers';

/**
 * `GET .../repositories/{id}/diffs/commits` (Diffs - Get): what changed between two versions, from
 * their merge base (`diffCommonCommit`, the default) or from the base itself, with how far the
 * target is ahead of and behind the base. Computed from the real repository; folders are changes
 * too, in git's tree order, as the real service lists them.
 */
export function registerDiffs(router: Router): void {
  atProjectAndOrg(router, 'GET', '/_apis/git/repositories/{repositoryId}/diffs/commits', diff, { scope: 'vso.code' });
}

const VERSION_TYPES = ['branch', 'tag', 'commit'] as const;
type VersionType = (typeof VERSION_TYPES)[number];
type ChangeType = 'add' | 'edit' | 'delete' | 'rename';

interface TreeChange {
  changeType: ChangeType;
  path: string;
  originalPath?: string;
  gitObjectType: 'blob' | 'tree' | 'commit';
  objectId: string;
  originalObjectId?: string;
}

async function diff(ctx: RequestContext): Promise<void> {
  const repo = await gitRepository(ctx);
  const baseCommit = await versionCommit(ctx, repo, 'base');
  const targetCommit = await versionCommit(ctx, repo, 'target');
  const fromCommon = booleanQuery(ctx, 'diffCommonCommit') ?? true;
  const top = intQuery(ctx, '$top') ?? 100;
  const skip = intQuery(ctx, '$skip') ?? 0;
  if (top < 1) throw azdoErrors.badRequest('The value 0 is not valid for $top.', 'InvalidArgumentValueException');

  const commonCommit = await mergeBase(repo.gitDir, baseCommit, targetCommit);
  // Unrelated histories have no merge base: compare with the base itself then.
  const all = await treeChanges(repo.gitDir, fromCommon ? (commonCommit ?? baseCommit) : baseCommit, targetCommit);
  const [behindCount, aheadCount] = (await gitText(repo.gitDir, ['rev-list', '--left-right', '--count', `${baseCommit}...${targetCommit}`]))
    .trim()
    .split(/\s+/)
    .map(Number);

  const changeCounts: Record<string, number> = {};
  for (const c of all) {
    const key = c.changeType[0]!.toUpperCase() + c.changeType.slice(1);
    changeCounts[key] = (changeCounts[key] ?? 0) + 1;
  }
  const repoUrl = ctx.urls.repositoryUrl(ctx.projectOf(repo), repo);
  const page = all.slice(skip, skip + top);
  ctx.reply({
    // The real service leaves the flag out when a page holds only part of the changes.
    ...(skip === 0 && all.length <= top ? { allChangesIncluded: true } : {}),
    changeCounts,
    changes: page.map((c) => ({
      item: {
        objectId: c.objectId,
        ...(c.originalObjectId ? { originalObjectId: c.originalObjectId } : {}),
        gitObjectType: c.gitObjectType,
        commitId: targetCommit,
        path: c.path,
        ...(c.gitObjectType === 'tree' ? { isFolder: true } : {}),
        url: `${repoUrl}/items${c.path.split('/').map(encodeURIComponent).join('/')}?versionType=Commit&version=${targetCommit}`,
      },
      changeType: c.changeType,
      ...(c.originalPath ? { originalPath: c.originalPath } : {}),
    })),
    ...(commonCommit ? { commonCommit } : {}),
    baseCommit,
    targetCommit,
    aheadCount: aheadCount ?? 0,
    behindCount: behindCount ?? 0,
  });
}

/** The commit `{side}Version` / `{side}VersionType` / `{side}VersionOptions` name (default: the default branch). */
async function versionCommit(ctx: RequestContext, repo: Repository, side: 'base' | 'target'): Promise<string> {
  const typeName = `${side}VersionType`;
  const rawType = (ctx.query.get(typeName) ?? 'branch').toLowerCase();
  if (!VERSION_TYPES.includes(rawType as VersionType)) {
    throw azdoErrors.badRequest(`${typeName}=${ctx.query.get(typeName)} is not a valid value for ${typeName}. Try one of: Branch,Tag,Commit`);
  }
  const type = rawType as VersionType;
  const options = (ctx.query.get(`${side}VersionOptions`) ?? 'none').toLowerCase();
  if (options !== 'none' && options !== 'firstparent') {
    throw azdoErrors.badRequest(`${side}VersionOptions=${ctx.query.get(`${side}VersionOptions`)} is not supported here. Try one of: None,FirstParent`);
  }
  const given = ctx.query.get(`${side}Version`) || undefined;
  const version = given ?? (await ctx.git.defaultBranch(repo))?.replace(/^refs\/heads\//, '') ?? repo.initialBranch;

  let rev: string | undefined;
  if (type === 'commit') rev = /^[0-9a-f]{40}$/i.test(version) ? version.toLowerCase() : undefined;
  else {
    const ref = type === 'tag' ? `refs/tags/${version.replace(/^refs\/tags\//, '')}` : `refs/heads/${version.replace(/^refs\/heads\//, '')}`;
    rev = isValidRefName(ref) ? ref : undefined;
  }
  const commit = rev && (await resolveCommit(repo.gitDir, options === 'firstparent' ? `${rev}^1` : rev));
  if (!commit) throw azdoErrors.unresolvableVersion(type, version, repo.name);
  return commit;
}

function booleanQuery(ctx: RequestContext, name: string): boolean | undefined {
  const value = ctx.query.get(name);
  if (value === null || value === '') return undefined;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw azdoErrors.badRequest(`The value '${value}' is not valid for ${name}.`, 'InvalidArgumentValueException');
}

/** Files and folders that differ between two commits (renames detected), in git's tree order. */
async function treeChanges(gitDir: string, from: string, to: string): Promise<TreeChange[]> {
  const r = await git(gitDir, ['diff-tree', '-r', '-t', '-z', '-M', '--raw', from, to]);
  if (r.code !== 0) throw new Error(`git diff-tree failed (${r.code}): ${r.stderr.trim()}`);
  const fields = r.stdout.toString('utf8').split('\0');
  const changes: TreeChange[] = [];
  for (let i = 0; i < fields.length; i++) {
    const meta = fields[i]!;
    if (!meta.startsWith(':')) continue;
    const [oldMode, newMode, oldId, newId, status] = meta.slice(1).split(' ') as [string, string, string, string, string];
    const kind = status[0];
    const gitObjectType = objectType(kind === 'D' ? oldMode : newMode);
    if (kind === 'R' || kind === 'C') {
      const source = fields[++i]!;
      const target = fields[++i]!;
      const renamed = kind === 'R';
      changes.push({ changeType: renamed ? 'rename' : 'add', path: `/${target}`, gitObjectType, objectId: newId, ...(renamed ? { originalPath: `/${source}`, originalObjectId: oldId } : {}) });
      continue;
    }
    const path = `/${fields[++i]!}`;
    // A deleted item is described by the object it was.
    if (kind === 'A') changes.push({ changeType: 'add', path, gitObjectType, objectId: newId });
    else if (kind === 'D') changes.push({ changeType: 'delete', path, gitObjectType, objectId: oldId, originalObjectId: oldId });
    else changes.push({ changeType: 'edit', path, gitObjectType, objectId: newId, originalObjectId: oldId });
  }
  return changes;
}

function objectType(mode: string): TreeChange['gitObjectType'] {
  if (mode === '040000') return 'tree';
  if (mode === '160000') return 'commit';
  return 'blob';
}
