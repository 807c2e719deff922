/**
 * An SSH host that is a name in the user's ~/.ssh/config for an Azure DevOps host: the `Host
 * work-ado` / `HostName ssh.dev.azure.com` of people with two accounts, each with its key, and an
 * `url.*.insteadOf` sending Azure DevOps there. git's real URL then names the alias, which no
 * allowed-host list can know.
 */
import { devNull } from 'node:os';
import type { CompanionConfig } from './config';
import { isAllowedHost } from './config';
import { gitEnv } from './git-env';
import { checkGitUrl, parseGitUrl, type CheckedGitUrl } from './git-url';
import { HostError } from './host-error';
import { runProgram } from './run-program';

/**
 * The host ssh connects to for `url`, as `ssh -G` works it out from the user's ssh configuration
 * (its `Match` rules, `exec` ones included, as ssh evaluates them before any connection), for the
 * URL's user and port as git passes them. Undefined when it cannot tell; TOOL_MISSING without ssh.
 */
export async function sshHostName({ host, user, port }: CheckedGitUrl, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const args = ['-G', ...(user ? ['-l', user] : []), ...(port ? ['-p', port] : []), '--', host];
  const result = await runProgram('ssh', args, { env, timeoutMs: 10_000 });
  if (result.code !== 0) return undefined;
  return /^hostname (\S+)$/m.exec(result.stdout)?.[1]?.toLowerCase();
}

/** Whether git runs plain `ssh` from PATH, whose answer `ssh -G` gives: not a command of the user's own. */
async function gitRunsPlainSsh(env: NodeJS.ProcessEnv): Promise<boolean> {
  if (env.GIT_SSH_COMMAND || env.GIT_SSH) return false;
  // A repository's own sshCommand never runs (repo-config); the user's global or system one would.
  const set = await runProgram('git', ['config', '--get', 'core.sshCommand'], { env: { ...gitEnv(env), GIT_DIR: devNull }, timeoutMs: 10_000 }).catch(() => undefined);
  return set?.code === 1;
}

/**
 * checkGitUrl, and besides an SSH URL whose host the user's ssh configuration sends to an allowed
 * host. The user's own files decide, which a repository cannot change; only where git runs plain
 * ssh, so that the answer is the one git's ssh will act on.
 */
export async function checkGitUrlOrAlias(url: string, config: CompanionConfig, env: NodeJS.ProcessEnv): Promise<CheckedGitUrl> {
  try {
    return checkGitUrl(url, config);
  } catch (e) {
    const parsed = parseGitUrl(url);
    if (!(e instanceof HostError) || e.code !== 'HOST_NOT_ALLOWED' || parsed.transport !== 'ssh' || !(await gitRunsPlainSsh(env))) throw e;
    const real = await sshHostName(parsed, env);
    if (real !== undefined && real !== parsed.host && isAllowedHost(real, config)) return parsed;
    throw e;
  }
}
