/**
 * `clone`: checks the URL, the destination and the branch, takes the destination's lock, runs
 * `git clone --progress` with credentials in its environment only, reports progress, and on
 * failure or cancellation removes exactly what it created.
 */
import { rmdirSync } from 'node:fs';
import { devNull } from 'node:os';
import { join } from 'node:path';
import { parseHostRequest, type CloneData, type CloneRequest, type DestinationRequest, type GitAuth } from '../shared/host-protocol';
import { checkBranchName } from './branch-name';
import { addToRegistry } from './clone-registry';
import { locksDir, registryFile } from './companion-dirs';
import { findRoot, type CompanionConfig } from './config';
import { checkDestination, folderSegments, journalOf, makeRoot, prepareDestination, removeCreated, resolveBelow, type PreparedDestination } from './destination';
import { lockDestination, prepareLocking } from './destination-lock';
import { gitEnv, type Credentials } from './git-env';
import { gitFailed } from './git-failure';
import { sshRefusalCause } from './ssh-key';
import { ProgressParser, ProgressThrottle } from './git-progress';
import { runGitWithProgress } from './git-with-progress';
import { currentBranch } from './git-repo';
import { branchFromHeadFile, parseHeadFile } from './head-file';
import { checkGitUrl, checkTokenDestination, tokenScope, type CheckedGitUrl } from './git-url';
import { checkGitUrlOrAlias } from './ssh-alias';
import { HostError } from './host-error';
import type { HostContext, RequestScope } from './host-context';
import { runProgram } from './run-program';

export function cloneArgs(url: string, dest: string, options: { branch?: string; partial?: boolean; depth?: number }): string[] {
  const args = ['clone', '--progress'];
  if (options.branch !== undefined) args.push(`--branch=${options.branch}`);
  if (options.partial) args.push('--filter=blob:none');
  if (options.depth !== undefined) args.push(`--depth=${options.depth}`);
  // Nothing after `--` can be read as an option, whatever it looks like.
  args.push('--', url, dest);
  return args;
}

/** `destination`: where a clone would go, or why it would stop before git runs; nothing is made. */
export function destination(request: DestinationRequest, ctx: HostContext): { path: string } {
  return { path: checkDestination(findRoot(request.root, ctx.config()), request.folder) };
}

export async function clone(request: CloneRequest, ctx: HostContext, scope: RequestScope): Promise<CloneData> {
  const config = ctx.config();
  const remote = checkGitUrl(request.url, config);
  if (request.auth && remote.transport !== 'https') throw new HostError('BAD_REQUEST', 'credentials can only be given for https:// URLs');
  checkTokenDestination(remote.url, request.auth);
  // Asked now and awaited just before git starts: that git runs while the destination is made
  // ready (a process start is ~1 % of a small clone). Refused, what was made ready is undone.
  const credentials = request.auth && tokenCredentials(remote, request.auth, config, ctx);
  // A check below may throw before it is awaited: its failure is not this request's answer then.
  credentials?.catch(() => undefined);
  const branch = request.branch === undefined ? undefined : checkBranchName(request.branch);
  const root = findRoot(request.root, config);
  const segments = folderSegments(request.folder);
  const realRoot = makeRoot(root);
  const lock = lockDestination(locksDir(ctx.dirs), resolveBelow(realRoot, segments), {
    roots: config.cloneRoots,
    onKept: (path, reason) => ctx.log.warn(`${scope.id} left ${path}, which a clone that stopped unexpectedly had made: ${reason}`),
  });
  try {
    const prepared = prepareDestination(realRoot, request.folder);
    // From here until the lock is released, a successor can undo this clone if this process dies.
    lock.record(journalOf(prepared));
    if (request.auth) ctx.redactor.addSecret(request.auth.token);
    let result;
    try {
      const git = runGitWithProgress(cloneArgs(remote.url, prepared.path, { branch, partial: request.partial, depth: request.depth }), {
        env: gitEnv(ctx.env, await credentials),
        scope,
        onSpawn: (pid) => lock.record({ git: pid }),
        ready: ctx.readyGit,
      });
      // Logged once git runs: the line is not on the way to git (a failed start is logged too).
      ctx.log.info(`${scope.id} clone ${remote.url} into ${prepared.path}${branch ? ` (branch ${branch})` : ''}${request.auth ? ' with a token' : ''}`);
      result = await git;
    } catch (error) {
      undo(prepared, ctx, scope);
      throw error;
    }
    if (result.cancelled || result.code !== 0) {
      undo(prepared, ctx, scope);
      if (result.cancelled) {
        ctx.log.info(`${scope.id} clone cancelled; removed ${prepared.path}`);
        throw new HostError('CANCELLED', 'The clone was cancelled; its folder was removed.');
      }
      throw await sshRefusalCause(await gitFailed('clone', result.stderr, ctx, scope, { remote, auth: request.auth }), remote.host, ctx);
    }
    // Complete: from here nothing of it may be undone, not even after a crash.
    lock.finish();
    // The file git just wrote answers without starting git again (a process start is a few
    // percent of a small clone).
    const fromFile = branchFromHeadFile(prepared.path);
    const checkedOut = fromFile === undefined ? await currentBranch(prepared.path, ctx.env) : fromFile;
    // The user waits for the answer, not for this; the next request sees it all the same.
    scope.afterAnswer(() => {
      addToRegistry(registryFile(ctx.dirs), { path: prepared.path, url: remote.url, clonedAt: new Date().toISOString() });
      ctx.log.info(`${scope.id} cloned into ${prepared.path} on ${checkedOut ?? 'a detached HEAD'}`);
    });
    return { path: prepared.path, branch: checkedOut, remoteUrl: remote.url };
  } finally {
    lock.release();
  }
}

/**
 * The token with the URL git will really fetch from: the user's own `url.*.insteadOf` (global or
 * system configuration; a clone reads no other) may rewrite the request's, and the token's header
 * is scoped to the URL git contacts (git-env.ts). The rewritten URL is checked as the request's
 * is, as `fetch` checks a remote's.
 */
async function tokenCredentials(remote: CheckedGitUrl, auth: GitAuth, config: CompanionConfig, ctx: HostContext): Promise<Credentials | undefined> {
  // GIT_DIR names no repository: like the clone, this reads no configuration of the folder the
  // host happens to run in.
  const result = await runProgram('git', ['ls-remote', '--get-url', '--', remote.url], { env: { ...gitEnv(ctx.env), GIT_DIR: devNull }, timeoutMs: 20_000 });
  if (result.code !== 0) throw new HostError('GIT_FAILED', `git could not read where ${remote.url} leads (${ctx.redactor.redact(result.stderr.trim()).split('\n').pop()?.slice(0, 300) ?? ''})`);
  const effective = await checkGitUrlOrAlias(result.stdout.split('\n')[0]!.trim(), config, ctx.env);
  // Sent to SSH by the user's own configuration: git signs in with their SSH key there, as it
  // did before the extension asked, and the token goes nowhere.
  if (effective.transport !== 'https') return undefined;
  checkTokenDestination(effective.url, auth);
  return { auth, scopes: [tokenScope(effective.url, auth.orgUrl)] };
}

/**
 * Run once when the host starts serving (serve.ts), before it reads a request. V8 compiles each
 * function on its first call, and Node's file functions cost more on their first call too: a
 * fresh host's first clone paid for that between the request and git's start. Here they run on a
 * made-up request and on scratch files and folders in the locks folder, which are removed again;
 * every clone still does all of it itself.
 */
export function prepareCloning(locks: string): void {
  prepareLocking(locks);
  const url = 'https://dev.azure.com/org/project/_git/repo';
  const auth = { kind: 'pat' as const, token: 'token', orgUrl: 'https://dev.azure.com/org' };
  parseHostRequest({ id: 'prepare', type: 'clone', url, root: '/repos', folder: 'repo', auth });
  checkTokenDestination(checkGitUrl(url, { cloneRoots: [], allowedHosts: [] }).url, auth);
  checkBranchName('main');
  folderSegments('org/repo');
  cloneArgs(url, '/repo', {});
  gitEnv({}, { auth, scopes: [tokenScope(url, auth.orgUrl)] });
  const throttle = new ProgressThrottle(10, ignore);
  for (const progress of new ProgressParser().push('Receiving objects:  50% (1/2)\rReceiving objects: 100% (2/2)\r')) throttle.offer(progress);
  throttle.stop();
  parseHeadFile('ref: refs/heads/main\n');
  try {
    const scratch = makeRoot(join(locks, `prepare.${process.pid}.d`));
    removeCreated(prepareDestination(scratch, 'repo'), { running: true });
    rmdirSync(scratch);
  } catch {
    // Only a warm-up: a clone reports what fails.
  }
  // Node's first removal of an event listener took 0.3 ms when git ended (run-program.ts).
  const signal = new AbortController().signal;
  signal.addEventListener('abort', ignore, { once: true });
  signal.removeEventListener('abort', ignore);
}

const ignore = () => undefined;

function undo(prepared: PreparedDestination, ctx: HostContext, scope: RequestScope): void {
  for (const kept of removeCreated(prepared, { running: true })) ctx.log.warn(`${scope.id} left ${kept.path}: ${kept.reason}`);
}
