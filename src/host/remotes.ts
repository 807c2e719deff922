/** `addRemote` and `fetch` on a known clone (forks: add the fork or upstream, then fetch it). */
import type { AddRemoteRequest, FetchRequest, GitAuth } from '../shared/host-protocol';
import { gitFailed } from './git-failure';
import { sshRefusalCause } from './ssh-key';
import { remoteUrls } from './git-repo';
import { runGitWithProgress } from './git-with-progress';
import { checkGitUrl, checkTokenDestination, tokenScope } from './git-url';
import { checkGitUrlOrAlias } from './ssh-alias';
import { HostError } from './host-error';
import type { HostContext, RequestScope } from './host-context';
import { windowsAltersName } from './destination';
import { resolveKnownClone } from './local-clones';
import { credentialOverrides, otherPromisorRemotes, programOverrides, readConfig, refuseUnsafe, repoGitEnv, unsafeForNetwork } from './repo-config';
import { runProgram } from './run-program';

const REMOTE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Remote names become folders (`.git/refs/remotes/NAME`), so Windows' name rules apply too. */
export function checkRemoteName(name: string): string {
  if (!REMOTE_NAME.test(name) || name.endsWith('.lock') || name.includes('..') || windowsAltersName(name)) {
    throw new HostError('BAD_REQUEST', `"${name}" is not a valid remote name (letters, digits, . _ -)`);
  }
  return name;
}

export async function addRemote(request: AddRemoteRequest, ctx: HostContext) {
  const name = checkRemoteName(request.name);
  const remote = checkGitUrl(request.url, ctx.config());
  const path = await resolveKnownClone(request.path, ctx);
  if ((await remoteUrls(path, name, ctx.env)).length > 0) {
    throw new HostError('REMOTE_EXISTS', `the clone already has a remote named "${name}"`, { name });
  }
  const result = await runProgram('git', ['remote', 'add', '--', name, remote.url], { cwd: path, env: repoGitEnv(ctx.env), timeoutMs: 20_000 });
  if (result.code !== 0) throw new HostError('GIT_FAILED', `git remote add failed: ${ctx.redactor.redact(result.stderr.trim()).slice(0, 500)}`);
  ctx.log.info(`added remote ${name} ${remote.url} to ${path}`);
  return { path, name, url: remote.url };
}

/**
 * Where git really goes for a remote: its first URL after every `url.*.insteadOf` rewrite (the
 * repository's own and included ones too), exactly as fetch reads it; checked like a request's URL.
 */
async function checkEffectiveUrl(path: string, name: string, ctx: HostContext) {
  const result = await runProgram('git', ['remote', 'get-url', name], { cwd: path, env: repoGitEnv(ctx.env, { readOnly: true }), timeoutMs: 20_000 });
  if (result.code === 2) throw new HostError('NOT_FOUND', `the clone has no remote named "${name}"`);
  if (result.code !== 0) throw new HostError('GIT_FAILED', `git could not read the remote "${name}": ${ctx.redactor.redact(result.stderr.trim()).slice(0, 500)}`);
  return checkGitUrlOrAlias(result.stdout.split('\n')[0]!.trim(), ctx.config(), ctx.env);
}

export async function fetchRemote(request: FetchRequest, ctx: HostContext, scope: RequestScope) {
  const name = checkRemoteName(request.remote);
  const path = await resolveKnownClone(request.path, ctx);
  await fetchFrom(path, name, [], request.auth, ctx, scope);
  return { path, remote: name };
}

/**
 * `git fetch` of `refspecs` (all the remote's when empty) from remote `name` of the known clone
 * at `path`, under every rule of *A repository's own configuration*: its connection settings
 * refused, the URL git really uses checked, no program of its own run. Throws CANCELLED or what
 * git's failure means.
 */
export async function fetchFrom(path: string, name: string, refspecs: readonly string[], given: GitAuth | undefined, ctx: HostContext, scope: RequestScope): Promise<void> {
  const entries = await readConfig(path, ctx.env);
  refuseUnsafe(unsafeForNetwork(entries), path);
  const checked = await checkEffectiveUrl(path, name, ctx);
  // The extension cannot tell what a remote's URL is: an SSH one (an SSH profile's fork, or the
  // user's own insteadOf) signs in with the user's SSH key, and the token goes nowhere.
  const auth = checked.transport === 'https' ? given : undefined;
  const scopes: string[] = [];
  if (auth) {
    checkTokenDestination(checked.url, auth);
    scopes.push(tokenScope(checked.url, auth.orgUrl));
    // A partial clone's missing objects come from its promisor remote, fetched by a git this one
    // starts, with the same token: that remote's host must be allowed too.
    for (const promisor of otherPromisorRemotes(entries, name)) {
      if (!REMOTE_NAME.test(promisor)) refuseUnsafe([`remote.${promisor}.promisor`], path);
      const other = await checkEffectiveUrl(path, promisor, ctx);
      // The header travels over https only; to the promisor's URL as it writes it (git matches
      // paths case-sensitively, and it may name the organization's other host).
      if (other.transport === 'https') {
        checkTokenDestination(other.url, auth);
        scopes.push(tokenScope(other.url, auth.orgUrl));
      }
    }
  }
  if (auth) ctx.redactor.addSecret(auth.token);
  ctx.log.info(`${scope.id} fetch ${name} ${refspecs.join(' ')} (${checked.url}) in ${path}${auth ? ' with a token' : ''}`);
  // Submodules are repositories with configurations of their own: not fetched from here.
  const result = await runGitWithProgress(['fetch', '--progress', '--no-recurse-submodules', '--', name, ...refspecs], {
    cwd: path,
    env: repoGitEnv(ctx.env, { credentials: auth && { auth, scopes }, config: [...credentialOverrides(entries, auth), ...programOverrides(entries, ctx.env)] }),
    scope,
  });
  if (result.cancelled) throw new HostError('CANCELLED', 'The fetch was cancelled.');
  if (result.code !== 0) throw await sshRefusalCause(await gitFailed('fetch', result.stderr, ctx, scope, { remote: checked, auth, entries }), checked.host, ctx);
}
