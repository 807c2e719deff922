/** `addRemote` and `fetch` on a known clone (forks: add the fork or upstream, then fetch it). */
import type { AddRemoteRequest, FetchRequest } from '../shared/host-protocol';
import { gitEnv } from './git-env';
import { classifyGitFailure } from './git-failure';
import { remoteUrls } from './git-repo';
import { runGitWithProgress } from './git-with-progress';
import { checkGitUrl } from './git-url';
import { HostError } from './host-error';
import type { HostContext, RequestScope } from './host-context';
import { resolveKnownClone } from './local-clones';
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
  const result = await runProgram('git', ['remote', 'add', '--', name, remote.url], { cwd: path, env: gitEnv(ctx.env), timeoutMs: 20_000 });
  if (result.code !== 0) throw new HostError('GIT_FAILED', `git remote add failed: ${ctx.redactor.redact(result.stderr.trim()).slice(0, 500)}`);
  ctx.log.info(`added remote ${name} ${remote.url} to ${path}`);
  return { path, name, url: remote.url };
}

export async function fetchRemote(request: FetchRequest, ctx: HostContext, scope: RequestScope) {
  const name = checkRemoteName(request.remote);
  const path = await resolveKnownClone(request.path, ctx);
  const urls = await remoteUrls(path, name, ctx.env);
  if (urls.length === 0) throw new HostError('NOT_FOUND', `the clone has no remote named "${name}"`);
  // The repository's own configuration says where git goes: check it like a URL from a request,
  // above all before a token is handed to git.
  const checked = urls.map((url) => checkGitUrl(url, ctx.config()));
  if (request.auth && checked.some((c) => c.transport !== 'https')) {
    throw new HostError('BAD_REQUEST', 'credentials can only be given for https:// remotes');
  }
  if (request.auth) ctx.redactor.addSecret(request.auth.token);
  ctx.log.info(`${scope.id} fetch ${name} in ${path}${request.auth ? ' with a token' : ''}`);
  const result = await runGitWithProgress(['-c', 'core.fsmonitor=false', 'fetch', '--progress', '--', name], {
    cwd: path,
    env: gitEnv(ctx.env, request.auth),
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
