/** `addRemote` and `fetch` on a known clone (forks: add the fork or upstream, then fetch it). */
import type { AddRemoteRequest, FetchRequest } from '../shared/host-protocol';
import { classifyGitFailure } from './git-failure';
import { remoteUrls } from './git-repo';
import { runGitWithProgress } from './git-with-progress';
import { checkGitUrl } from './git-url';
import { HostError } from './host-error';
import type { HostContext, RequestScope } from './host-context';
import { resolveKnownClone } from './local-clones';
import { credentialOverrides, programOverrides, readConfig, refuseUnsafe, repoGitEnv, unsafeForNetwork } from './repo-config';
import { runProgram } from './run-program';

export function checkRemoteName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name) || name.endsWith('.lock') || name.includes('..')) {
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

export async function fetchRemote(request: FetchRequest, ctx: HostContext, scope: RequestScope) {
  const name = checkRemoteName(request.remote);
  const path = await resolveKnownClone(request.path, ctx);
  const entries = await readConfig(path, ctx.env);
  refuseUnsafe(unsafeForNetwork(entries, name, request.auth), path);
  // Where git really goes: the remote's first URL after every `url.*.insteadOf` rewrite, the
  // repository's own included, exactly as fetch reads it. That host must be allowed before a
  // token is handed to git.
  const effective = await runProgram('git', ['remote', 'get-url', name], { cwd: path, env: repoGitEnv(ctx.env, { readOnly: true }), timeoutMs: 20_000 });
  if (effective.code === 2) throw new HostError('NOT_FOUND', `the clone has no remote named "${name}"`);
  if (effective.code !== 0) throw new HostError('GIT_FAILED', `git could not read the remote "${name}": ${ctx.redactor.redact(effective.stderr.trim()).slice(0, 500)}`);
  const checked = checkGitUrl(effective.stdout.split('\n')[0]!.trim(), ctx.config());
  if (request.auth && checked.transport !== 'https') {
    throw new HostError('BAD_REQUEST', 'credentials can only be given for https:// remotes');
  }
  if (request.auth) ctx.redactor.addSecret(request.auth.token);
  ctx.log.info(`${scope.id} fetch ${name} (${checked.url}) in ${path}${request.auth ? ' with a token' : ''}`);
  // Submodules are repositories with configurations of their own: not fetched from here.
  const result = await runGitWithProgress(['fetch', '--progress', '--no-recurse-submodules', '--', name], {
    cwd: path,
    env: repoGitEnv(ctx.env, { auth: request.auth, config: [...credentialOverrides(entries, request.auth), ...programOverrides(entries, ctx.env)] }),
    scope,
  });
  if (result.cancelled) throw new HostError('CANCELLED', 'The fetch was cancelled.');
  if (result.code !== 0) {
    const failure = classifyGitFailure(ctx.redactor.redact(result.stderr));
    ctx.log.warn(`${scope.id} fetch failed (${failure.code}): ${result.stderr.slice(-2000)}`);
    throw new HostError(failure.code, failure.message);
  }
  return { path, remote: name };
}
