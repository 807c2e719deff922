/**
 * Whether git has a way to sign in without a token of ours. Pages of an organization without a
 * profile clone and fetch with git's own credential helper; when the user has none, git can only
 * fail ("terminal prompts disabled"), and the extension says what to do instead (NO_CREDENTIAL_HELPER).
 */
import { tmpdir } from 'node:os';
import { GCM_INSTALL_URL } from '../shared/git-help';
import type { ErrorCode } from '../shared/host-protocol';
import { readConfig, type ConfigEntry } from './repo-config';

/**
 * Does a `credential.<pattern>.helper` apply to `url`? As git matches it: the same scheme, the
 * host (a `*` standing for one name part), the port, and the pattern's path as a prefix.
 */
export function patternMatches(pattern: string, url: URL): boolean {
  let p: URL;
  try {
    p = new URL(pattern.includes('://') ? pattern : `https://${pattern}`);
  } catch {
    return false;
  }
  const host = new RegExp(`^${p.hostname.split('.').map((part) => (part === '*' ? '[^.]+' : part.replace(/[^a-z0-9-]/gi, '\\$&'))).join('\\.')}$`, 'i');
  return p.protocol === url.protocol && host.test(url.hostname) && (p.port || '') === (url.port || '') && url.pathname.startsWith(p.pathname.replace(/\/+$/, '') || '/');
}

/**
 * A helper the user configured (system, global, environment) that git would ask for `url`: an
 * empty `credential.helper` clears the list before it, as git reads it. A repository's own
 * helpers do not count: the companion never lets them answer.
 */
export function hasCredentialHelper(entries: readonly ConfigEntry[], url: string): boolean {
  const target = new URL(url);
  let helpers = 0;
  for (const e of entries) {
    if (e.scope === 'local' || e.scope === 'worktree') continue;
    const scoped = /^credential\.(.+)\.helper$/i.exec(e.key);
    if (!scoped && !/^credential\.helper$/i.test(e.key)) continue;
    if (scoped && !patternMatches(scoped[1]!, target)) continue;
    helpers = e.value ? helpers + 1 : 0;
  }
  return helpers > 0;
}

/**
 * The failure to report for git's AUTH_FAILED without a token: NO_CREDENTIAL_HELPER when the user
 * has no helper for `url`, else the failure as it was. `entries`: the configuration git used; read outside
 * any repository when absent (a clone).
 */
export async function signInFailure(
  failure: { code: ErrorCode; message: string },
  url: string,
  env: NodeJS.ProcessEnv,
  entries?: readonly ConfigEntry[],
): Promise<{ code: ErrorCode; message: string }> {
  if (failure.code !== 'AUTH_FAILED') return failure;
  const config = entries ?? (await readConfig(tmpdir(), env).catch(() => undefined));
  if (!config || hasCredentialHelper(config, url)) return failure;
  const host = new URL(url).host;
  const gitSays = /\(git: .*\)$/.exec(failure.message)?.[0];
  return {
    code: 'NO_CREDENTIAL_HELPER',
    message: `git has no credential helper to sign you in to ${host}. Install Git Credential Manager (${GCM_INSTALL_URL}), which signs in through your browser, or add a personal access token for this organization in the extension's Options.${gitSays ? ` ${gitSays}` : ''}`,
  };
}
