/**
 * `status`, `checkout` and `worktree` on a known clone: what is checked out, and getting a branch
 * of a remote (or a pull request's merge preview) onto the disk. A work tree with changes is never
 * touched. Every git command runs under the rules of *A repository's own configuration*
 * (repo-config.ts): no hooks, no filter or merge program of the repository's, no submodules.
 */
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import type { CheckoutData, CheckoutRequest, StatusData, StatusRequest, WorktreeRequest } from '../shared/host-protocol';
import { checkBranchName } from './branch-name';
import { folderSegments, isInside, journalOf, makeRoot, prepareDestination, removeCreated, resolveBelow, type PreparedDestination } from './destination';
import { lockDestination } from './destination-lock';
import { locksDir } from './companion-dirs';
import { HostError } from './host-error';
import type { HostContext, RequestScope } from './host-context';
import { realOrUndefined, resolveKnownClone } from './local-clones';
import { checkRemoteName, fetchFrom } from './remotes';
import { filterOverrides, readConfig, repoGitEnv, type ConfigEntry } from './repo-config';
import { runProgram, type RunResult } from './run-program';

type ConfigPairs = Array<[string, string]>;

/**
 * Settings for commands that write the work tree: the repository's filter drivers off, and no
 * submodule work (`submodule.recurse` would fetch from URLs nobody checked).
 */
const writeConfig = (entries: readonly ConfigEntry[]): ConfigPairs => [...filterOverrides(entries), ['submodule.recurse', 'false']];

/** Commands that read, or write only git's own files: quick, so one that takes minutes is stuck. */
async function git(path: string, args: string[], ctx: HostContext, options: { config?: ConfigPairs; readOnly?: boolean } = {}) {
  return runProgram('git', args, { cwd: path, env: repoGitEnv(ctx.env, options), timeoutMs: 120_000, maxOutputBytes: 2 * 1024 * 1024 });
}

/**
 * A command that writes the work tree runs as long as it takes (the user's own filters, such as
 * Git LFS on a slow link, fetch while they write): no time limit, which would cut it off mid-write,
 * but the request's cancel stops it. Not started once the request is cancelled.
 */
async function writeTree(path: string, args: string[], ctx: HostContext, config: ConfigPairs, signal: AbortSignal) {
  return runProgram('git', args, { cwd: path, env: repoGitEnv(ctx.env, { config }), signal, maxOutputBytes: 2 * 1024 * 1024 });
}

function failed(result: RunResult, what: string, ctx: HostContext): HostError {
  const said = ctx.redactor.redact(result.stderr.trim()).split('\n').filter((l) => /^(fatal|error):/.test(l)).pop() ?? result.stderr.trim().split('\n').pop() ?? '';
  return new HostError('GIT_FAILED', `${what} failed (git: ${said.slice(0, 500)})`);
}

async function gitOrFail(path: string, args: string[], ctx: HostContext, what: string): Promise<string> {
  const result = await git(path, args, ctx);
  if (result.code !== 0) throw failed(result, what, ctx);
  return result.stdout.trim();
}

/**
 * `git switch` or `git reset --keep` in the clone. Stopped midway, git removes its lock files and
 * leaves HEAD, the index and the branches as they were, but the files it wrote or removed so far
 * stay so: the tree then shows them as changes, which the answer says how to undo.
 */
async function switchTree(path: string, args: string[], ctx: HostContext, what: string, config: ConfigPairs, scope: RequestScope): Promise<void> {
  if (scope.signal.aborted) throw new HostError('CANCELLED', `The checkout was cancelled; nothing was checked out in ${path}.`);
  const result = await writeTree(path, args, ctx, config, scope.signal);
  if (result.cancelled) {
    throw new HostError(
      'CANCELLED',
      `The checkout was cancelled while git was writing the files of ${path}: what was checked out before still is, but some of its files may have been replaced or removed already. Run "git status" there to see which, and "git restore ." to put them back.`,
    );
  }
  if (result.code !== 0) throw failed(result, what, ctx);
}

/** `git status --porcelain=v2 --branch` output, read. */
export function parseStatus(output: string): Omit<StatusData, 'path'> {
  let branch: string | null = null;
  let head: string | null = null;
  let upstream: string | null = null;
  let ahead = 0;
  let behind = 0;
  let dirty = false;
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const header = /^# branch\.(oid|head|upstream|ab) (.*)$/.exec(line);
    if (!header) {
      if (!line.startsWith('#')) dirty = true;
      continue;
    }
    const value = header[2]!;
    if (header[1] === 'oid') head = value === '(initial)' ? null : value;
    else if (header[1] === 'head') branch = value === '(detached)' ? null : value;
    else if (header[1] === 'upstream') upstream = value;
    else {
      const ab = /^\+(\d+) -(\d+)$/.exec(value);
      if (ab) [ahead, behind] = [Number(ab[1]), Number(ab[2])];
    }
  }
  return { branch, head, upstream, ahead, behind, dirty };
}

async function readStatus(path: string, entries: readonly ConfigEntry[], ctx: HostContext): Promise<Omit<StatusData, 'path'>> {
  const result = await git(path, ['status', '--porcelain=v2', '--branch', '--untracked-files=normal', '--ignore-submodules=all'], ctx, {
    readOnly: true,
    config: filterOverrides(entries),
  });
  if (result.code !== 0) throw new HostError('GIT_FAILED', `git could not read the state of ${path} (${result.stderr.trim().split('\n').pop()?.slice(0, 300) ?? ''})`);
  return parseStatus(result.stdout);
}

export async function status(request: StatusRequest, ctx: HostContext): Promise<StatusData> {
  const path = await resolveKnownClone(request.path, ctx);
  return { path, ...(await readStatus(path, await readConfig(path, ctx.env), ctx)) };
}

interface Source {
  remote: string;
  /** The remote's branch, or undefined for a pull request's merge preview. */
  branch?: string;
  /** What to check out: a remote-tracking ref, or a commit. */
  target: string;
  /** The local branch to make or use; undefined: detached. */
  local?: string;
}

/** Checks the request's names; each reaches git only as one argument after validation. */
function checkSource(request: CheckoutRequest | WorktreeRequest): { remote: string; branch?: string; pullRequest?: number; local?: string } {
  const remote = checkRemoteName(request.remote);
  if ((request.branch === undefined) === (request.pullRequest === undefined)) {
    throw new HostError('BAD_REQUEST', 'give either a branch or a pull request');
  }
  if (request.pullRequest !== undefined) {
    if (request.newBranch !== undefined || request.detach === false) throw new HostError('BAD_REQUEST', "a pull request's merge preview is only checked out detached");
    return { remote, pullRequest: request.pullRequest };
  }
  const branch = checkBranchName(request.branch!);
  if (request.detach) {
    if (request.newBranch !== undefined) throw new HostError('BAD_REQUEST', 'newBranch and detach exclude each other');
    return { remote, branch };
  }
  return { remote, branch, local: request.newBranch === undefined ? branch : checkBranchName(request.newBranch) };
}

/** Fetches what the request names and says what to check out. */
async function fetchSource(path: string, request: CheckoutRequest | WorktreeRequest, ctx: HostContext, scope: RequestScope): Promise<Source> {
  const { remote, branch, pullRequest, local } = checkSource(request);
  if (pullRequest !== undefined) {
    // Kept in FETCH_HEAD only: a merge preview is rebuilt by the service and is nobody's branch.
    await fetchFrom(path, remote, [`refs/pull/${pullRequest}/merge`], request.auth, ctx, scope);
    const commit = await gitOrFail(path, ['rev-parse', '--verify', '--end-of-options', 'FETCH_HEAD^{commit}'], ctx, 'reading the fetched commit');
    return { remote, target: commit };
  }
  const tracking = `refs/remotes/${remote}/${branch}`;
  await fetchFrom(path, remote, [`+refs/heads/${branch}:${tracking}`], request.auth, ctx, scope);
  return { remote, branch, target: tracking, local };
}

/** Where fetch refspec `spec` puts `ref` (`+refs/heads/*:refs/remotes/origin/*`), if it names it. */
export function fetchedInto(spec: string, ref: string): string | undefined {
  const [src, dst] = spec.replace(/^\+/, '').split(':');
  if (!src || !dst) return undefined;
  const star = src.indexOf('*');
  if (star < 0) return src === ref ? dst : undefined;
  const [before, after] = [src.slice(0, star), src.slice(star + 1)];
  if (ref.length < before.length + after.length || !ref.startsWith(before) || !ref.endsWith(after)) return undefined;
  return dst.replace('*', ref.slice(before.length, ref.length - after.length));
}

/**
 * A clone made with --single-branch or --depth fetches its first branch only, and git will not let
 * a branch track a remote-tracking ref that no fetch refspec names ("cannot set up tracking
 * information"). The branch is added to what the remote fetches, as `git remote set-branches
 * --add` does, so it can track it and later fetches keep it current.
 */
async function fetchedByRemote(path: string, source: Source, entries: readonly ConfigEntry[], ctx: HostContext): Promise<void> {
  const ref = `refs/heads/${source.branch}`;
  const specs = entries.filter((e) => e.key === `remote.${source.remote}.fetch` && e.value !== null).map((e) => e.value!);
  if (specs.some((spec) => fetchedInto(spec, ref) === source.target)) return;
  await gitOrFail(path, ['config', '--add', `remote.${source.remote}.fetch`, `+${ref}:${source.target}`], ctx, `adding ${source.branch} to what ${source.remote} fetches`);
}

const headOf = (path: string, ctx: HostContext) => gitOrFail(path, ['rev-parse', '--verify', 'HEAD^{commit}'], ctx, 'reading HEAD');

/** The local branch's upstream as a full ref, '' when it has none, undefined when the branch does not exist. */
async function localBranch(path: string, name: string, ctx: HostContext): Promise<string | undefined> {
  const ref = `refs/heads/${name}`;
  const result = await git(path, ['for-each-ref', '--format=%(refname)%00%(upstream)', ref], ctx, { readOnly: true });
  if (result.code !== 0) throw new HostError('GIT_FAILED', `git could not read the branches of ${path}`);
  // The pattern also matches branches below it (`name/…`): only the exact one counts.
  const line = result.stdout.split('\n').find((l) => l.startsWith(`${ref}\0`));
  return line === undefined ? undefined : line.slice(ref.length + 1);
}

/** The clone's work trees (`git worktree list`), its own first; `prunable`: git found its folder gone or not pointing back. */
async function workTrees(path: string, ctx: HostContext): Promise<Array<{ path: string; branch?: string; prunable: boolean }>> {
  const result = await git(path, ['worktree', 'list', '--porcelain'], ctx, { readOnly: true });
  if (result.code !== 0) throw new HostError('GIT_FAILED', `git could not list the work trees of ${path}`);
  const trees: Array<{ path: string; branch?: string; prunable: boolean }> = [];
  for (const line of result.stdout.split('\n')) {
    if (line.startsWith('worktree ')) trees.push({ path: line.slice('worktree '.length), prunable: false });
    else if (line.startsWith('branch refs/heads/') && trees.length > 0) trees.at(-1)!.branch = line.slice('branch refs/heads/'.length);
    else if ((line === 'prunable' || line.startsWith('prunable ')) && trees.length > 0) trees.at(-1)!.prunable = true;
  }
  return trees;
}

// A work tree whose folder is gone still holds its branch until pruned: compared by the path git has.
const realOr = (path: string) => realOrUndefined(path) ?? path;

/** Where `branch` is checked out, other than in the work tree `except` (`git worktree list`). */
async function checkedOutElsewhere(path: string, branch: string, except: string, ctx: HostContext): Promise<string | undefined> {
  return (await workTrees(path, ctx)).find((t) => t.branch === branch && t.path !== except && realOr(t.path) !== except)?.path;
}

/**
 * A local branch of that name that tracks nothing (made here, then pushed without -u) and is at or
 * behind the remote branch is that branch: it is set to track it. One with commits the remote does
 * not have is not (false).
 */
async function adoptUntracked(path: string, local: string, upstream: string, source: Source, entries: readonly ConfigEntry[], ctx: HostContext): Promise<boolean> {
  if (upstream !== '' || source.branch === undefined) return false;
  const behind = await git(path, ['merge-base', '--is-ancestor', `refs/heads/${local}`, source.target], ctx, { readOnly: true });
  if (behind.code !== 0) return false;
  await fetchedByRemote(path, source, entries, ctx);
  await gitOrFail(path, ['branch', `--set-upstream-to=${source.remote}/${source.branch}`, '--', local], ctx, `setting ${local} to track ${source.remote}/${source.branch}`);
  return true;
}

/**
 * An existing local branch of the same name is only reused when it tracks the same remote branch
 * (or is taken as it, adoptUntracked), and is not checked out in another work tree (moving it would
 * change that tree under its files). A refused one is left as it was.
 */
async function refuseForeignBranch(path: string, local: string, upstream: string, source: Source, except: string, entries: readonly ConfigEntry[], ctx: HostContext, track = true): Promise<void> {
  const elsewhere = await checkedOutElsewhere(path, local, except, ctx);
  if (elsewhere !== undefined) {
    // A folder deleted by hand: git holds the branch there until told the folder is gone.
    const gone = existsSync(elsewhere) ? '' : ` (a folder that no longer exists: run "git worktree prune" in ${path} to let git forget it)`;
    throw new HostError('BRANCH_EXISTS', `The local branch "${local}" is checked out in ${elsewhere}${gone}; choose another name for the local branch.`, {
      branch: local,
      upstream: upstream ? upstream.replace(/^refs\/remotes\//, '') : null,
      checkedOutAt: elsewhere,
    });
  }
  if (!track || upstream === source.target || (await adoptUntracked(path, local, upstream, source, entries, ctx))) return;
  throw new HostError(
    'BRANCH_EXISTS',
    `A local branch "${local}" exists already and ${upstream ? `tracks ${upstream.replace(/^refs\/remotes\//, '')}` : 'tracks nothing'}, not ${source.remote}/${source.branch}; choose another name for the local branch.`,
    { branch: local, upstream: upstream ? upstream.replace(/^refs\/remotes\//, '') : null },
  );
}

async function refuseDirty(path: string, entries: readonly ConfigEntry[], ctx: HostContext): Promise<void> {
  const state = await readStatus(path, entries, ctx);
  if (state.dirty) {
    throw new HostError('WORKTREE_DIRTY', `${path} has uncommitted changes; nothing was changed. Commit or stash them, or check out into a new worktree.`, { path, branch: state.branch });
  }
}

export async function checkout(request: CheckoutRequest, ctx: HostContext, scope: RequestScope): Promise<CheckoutData> {
  checkSource(request);
  const path = await resolveKnownClone(request.path, ctx);
  const entries = await readConfig(path, ctx.env);
  // Before anything is fetched: a tree with changes is never touched.
  await refuseDirty(path, entries, ctx);
  const source = await fetchSource(path, request, ctx, scope);
  const config = writeConfig(entries);
  const upstreamName = source.branch === undefined ? null : `${source.remote}/${source.branch}`;
  if (source.local === undefined) {
    await switchTree(path, ['switch', '--detach', '--no-guess', source.target], ctx, 'switching to the fetched commit', config, scope);
    ctx.log.info(`${scope.id} checked out ${source.target} detached in ${path}`);
    return { path, branch: null, head: await headOf(path, ctx), upstream: null, result: 'detached' };
  }
  const existing = await localBranch(path, source.local, ctx);
  const track = request.track ?? true;
  let result: CheckoutData['result'];
  if (existing === undefined) {
    if (track) await fetchedByRemote(path, source, entries, ctx);
    await switchTree(path, ['switch', '--no-guess', track ? '--track' : '--no-track', '-c', source.local, source.target], ctx, `creating the branch ${source.local}`, config, scope);
    result = 'created';
  } else {
    await refuseForeignBranch(path, source.local, existing, source, path, entries, ctx, track);
    await switchTree(path, ['switch', '--no-guess', source.local], ctx, `switching to ${source.local}`, config, scope);
    const next = await gitOrFail(path, ['rev-parse', '--verify', `${source.target}^{commit}`], ctx, 'reading the fetched branch');
    const behind = await git(path, ['merge-base', '--is-ancestor', 'HEAD', next], ctx, { readOnly: true });
    if ((await headOf(path, ctx)) === next) result = 'unchanged';
    else if (behind.code === 0) {
      // The tree is clean and HEAD is an ancestor: --keep moves the branch like a fast-forward
      // merge, without a merge's programs (drivers, signature checks).
      await switchTree(path, ['reset', '--keep', source.target], ctx, `updating ${source.local}`, config, scope);
      result = 'updated';
    } else result = 'diverged';
  }
  ctx.log.info(`${scope.id} checked out ${source.local} (${result}) in ${path}`);
  return { path, branch: source.local, head: await headOf(path, ctx), upstream: track ? upstreamName : null, result };
}

/** The clone root that holds `parent` (real path), and `parent` relative to it. */
function rootHolding(parent: string, ctx: HostContext): { root: string; relativeParent: string } {
  for (const root of ctx.config().cloneRoots) {
    let real: string;
    try {
      real = realpathSync(root);
    } catch {
      continue;
    }
    if (isInside(real, parent)) return { root, relativeParent: relative(real, parent).split(sep).join('/') };
  }
  throw new HostError('DEST_OUTSIDE_ROOT', `the clone's folder ${parent} is not inside a clone folder; a new worktree cannot go next to it`);
}

export async function worktree(request: WorktreeRequest, ctx: HostContext, scope: RequestScope): Promise<CheckoutData> {
  checkSource(request);
  const segments = folderSegments(request.folder);
  if (segments.length !== 1) throw new HostError('BAD_REQUEST', `folder "${request.folder}" must be one folder name`);
  const path = await resolveKnownClone(request.path, ctx);
  const { root, relativeParent } = rootHolding(dirname(path), ctx);
  const folder = relativeParent === '' ? segments[0]! : `${relativeParent}/${segments[0]}`;
  const realRoot = makeRoot(root);
  const lock = lockDestination(locksDir(ctx.dirs), resolveBelow(realRoot, folderSegments(folder)), {
    roots: ctx.config().cloneRoots,
    onKept: (kept, reason) => ctx.log.warn(`${scope.id} left ${kept}, which a clone that stopped unexpectedly had made: ${reason}`),
  });
  const undo = (prepared: PreparedDestination) => {
    for (const kept of removeCreated(prepared, { running: true })) ctx.log.warn(`${scope.id} left ${kept.path}: ${kept.reason}`);
  };
  try {
    // Checked out a second time (the branch pushed again): the worktree made the first time is
    // updated in place, as a checkout in it would be. Git's own list says it is this clone's.
    const earlier = await ownWorktreeAt(path, resolveBelow(realRoot, folderSegments(folder)), ctx);
    if (earlier !== undefined) {
      const { folder: _folder, ...source } = request;
      return { ...(await checkout({ ...source, type: 'checkout', path: earlier }, ctx, scope)), reused: true };
    }
    // Checked before fetching: nothing is fetched for a folder that cannot be made.
    undo(prepareDestination(realRoot, folder));
    const entries = await readConfig(path, ctx.env);
    const source = await fetchSource(path, request, ctx, scope);
    let result: CheckoutData['result'];
    let branchArgs: string[];
    if (source.local === undefined) {
      branchArgs = ['--detach'];
      result = 'detached';
    } else {
      const existing = await localBranch(path, source.local, ctx);
      if (existing === undefined) {
        await fetchedByRemote(path, source, entries, ctx);
        branchArgs = ['--track', '-b', source.local];
        result = 'created';
      } else {
        // Checked out anywhere (the clone included), it cannot be checked out again, nor moved.
        await refuseForeignBranch(path, source.local, existing, source, '', entries, ctx);
        branchArgs = [];
        result = await fastForwardBranch(path, source.local, source.target, ctx);
      }
    }
    const prepared = prepareDestination(realRoot, folder);
    // From here until the lock is released, a successor can undo this if the process dies.
    lock.record(journalOf(prepared));
    const args = ['worktree', 'add', ...branchArgs, '--', prepared.path, source.local !== undefined && result !== 'created' ? source.local : source.target];
    const added = await writeTree(path, args, ctx, writeConfig(entries), scope.signal);
    if (added.cancelled || added.code !== 0) {
      undo(prepared);
      // git may have registered the work tree before it stopped: forget it now that its folder is gone.
      await git(path, ['worktree', 'prune'], ctx);
      if (added.cancelled) throw new HostError('CANCELLED', `The worktree was cancelled; its folder ${prepared.path} was removed.`);
      const said = ctx.redactor.redact(added.stderr.trim()).split('\n').pop() ?? '';
      throw new HostError('GIT_FAILED', `git could not make the worktree (git: ${said.slice(0, 500)})`);
    }
    lock.record({ done: true });
    ctx.log.info(`${scope.id} made worktree ${prepared.path} on ${source.local ?? source.target}`);
    return {
      path: prepared.path,
      branch: source.local ?? null,
      head: await headOf(prepared.path, ctx),
      upstream: source.local !== undefined && source.branch !== undefined ? `${source.remote}/${source.branch}` : null,
      result,
    };
  } finally {
    lock.release();
  }
}

/** `target` when it is a folder (not a link) that git lists as a linked work tree of the clone at `path`. */
async function ownWorktreeAt(path: string, target: string, ctx: HostContext): Promise<string | undefined> {
  if (lstatSync(target, { throwIfNoEntry: false })?.isDirectory() !== true) return undefined;
  // The first is the clone's own work tree, never one to check out in from here.
  const [, ...linked] = await workTrees(path, ctx);
  return linked.some((t) => !t.prunable && realOr(t.path) === target) ? target : undefined;
}

/**
 * Moves a local branch that is not checked out to `target` when that is a fast-forward; a branch
 * with commits of its own stays where it is.
 */
async function fastForwardBranch(path: string, local: string, target: string, ctx: HostContext): Promise<CheckoutData['result']> {
  const old = await gitOrFail(path, ['rev-parse', '--verify', `refs/heads/${local}^{commit}`], ctx, `reading ${local}`);
  const next = await gitOrFail(path, ['rev-parse', '--verify', `${target}^{commit}`], ctx, 'reading the fetched branch');
  if (old === next) return 'unchanged';
  const ancestor = await git(path, ['merge-base', '--is-ancestor', old, next], ctx, { readOnly: true });
  if (ancestor.code !== 0) return 'diverged';
  await gitOrFail(path, ['update-ref', `refs/heads/${local}`, next, old], ctx, `updating ${local}`);
  return 'updated';
}
