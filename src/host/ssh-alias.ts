/**
 * An SSH host that is a name in the user's ~/.ssh/config for an Azure DevOps host: the `Host
 * work-ado` / `HostName ssh.dev.azure.com` of people with two accounts, each with its key, and an
 * `url.*.insteadOf` sending Azure DevOps there. git's real URL then names the alias, which no
 * allowed-host list can know.
 */
import type { CompanionConfig } from './config';
import { isAllowedHost } from './config';
import { checkGitUrl, parseGitUrl, type CheckedGitUrl } from './git-url';
import { HostError } from './host-error';
import { runProgram } from './run-program';

/** The host ssh connects to for `host`, as the user's configuration gives it (`ssh -G` reads it; nothing is contacted). */
export async function sshHostName(host: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const result = await runProgram('ssh', ['-G', '--', host], { env, timeoutMs: 10_000 }).catch(() => undefined);
  if (result?.code !== 0) return undefined;
  return /^hostname (\S+)$/m.exec(result.stdout)?.[1]?.toLowerCase();
}

/**
 * checkGitUrl, and besides an SSH URL whose host the user's ssh configuration sends to an allowed
 * host. The user's own file decides, which a repository cannot change (its core.sshCommand and the
 * like are overridden), so a remote naming another host is still refused.
 */
export async function checkGitUrlOrAlias(url: string, config: CompanionConfig, env: NodeJS.ProcessEnv): Promise<CheckedGitUrl> {
  try {
    return checkGitUrl(url, config);
  } catch (e) {
    const parsed = parseGitUrl(url);
    if (!(e instanceof HostError) || e.code !== 'HOST_NOT_ALLOWED' || parsed.transport !== 'ssh') throw e;
    const real = await sshHostName(parsed.host, env);
    if (real !== undefined && real !== parsed.host && isAllowedHost(real, config)) return parsed;
    throw e;
  }
}
