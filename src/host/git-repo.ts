/**
 * Reading facts about a local repository with git. Repositories found on disk carry configuration
 * that names programs (hooks, fsmonitor, filter drivers, a pager): reading runs none of them and
 * writes nothing (see repo-config.ts).
 */
import { runProgram } from './run-program';
import { filterOverrides, readConfig, repoGitEnv, type ConfigEntry } from './repo-config';

async function git(cwd: string, args: string[], env: NodeJS.ProcessEnv, config: Array<[string, string]> = []) {
  return runProgram('git', args, { cwd, env: repoGitEnv(env, { readOnly: true, config }), timeoutMs: 20_000, maxOutputBytes: 2 * 1024 * 1024 });
}

export async function gitVersion(env: NodeJS.ProcessEnv): Promise<string | null> {
  try {
    const result = await runProgram('git', ['--version'], { env, timeoutMs: 10_000 });
    return result.code === 0 ? result.stdout.trim().replace(/^git version /, '') : null;
  } catch {
    return null;
  }
}

/** The top folder of the work tree that contains `path`, or null when it is not in one. */
export async function workTreeTop(path: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const result = await git(path, ['rev-parse', '--show-toplevel'], env);
  return result.code === 0 ? result.stdout.trim() : null;
}

export async function currentBranch(path: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const result = await git(path, ['symbolic-ref', '--quiet', '--short', 'HEAD'], env);
  return result.code === 0 ? result.stdout.trim() || null : null;
}

export interface RemoteInfo {
  name: string;
  fetchUrl: string;
  pushUrl?: string;
}

/**
 * Remotes as written in the repository's config. Not `git remote -v`, which applies the user's
 * `url.*.insteadOf` rewrites: the extension matches clones by the URL Azure DevOps gave.
 */
export function remotesOf(entries: readonly ConfigEntry[]): RemoteInfo[] {
  const lines = entries.filter((e) => (e.scope === 'local' || e.scope === 'worktree') && e.value !== null).map((e) => `${e.key} ${e.value}`);
  return parseRemoteConfig(lines.join('\n'));
}

/** The repository's remotes and whether it has changes (none and null when git cannot read its configuration). */
export async function repositoryState(path: string, env: NodeJS.ProcessEnv, read = { dirty: true }): Promise<{ remotes: RemoteInfo[]; dirty: boolean | null }> {
  let entries: ConfigEntry[];
  try {
    entries = await readConfig(path, env);
  } catch {
    return { remotes: [], dirty: null };
  }
  return { remotes: remotesOf(entries), dirty: read.dirty ? await isDirty(path, env, entries) : null };
}

/** `git config --get-regexp` lines: `remote.<name>.url <url>` or `remote.<name>.pushurl <url>`. */
export function parseRemoteConfig(output: string): RemoteInfo[] {
  const byName = new Map<string, RemoteInfo>();
  for (const line of output.split('\n')) {
    const match = /^remote\.(.+)\.(url|pushurl) (.*)$/i.exec(line);
    if (!match) continue;
    const [, name, key, url] = match as unknown as [string, string, string, string];
    const entry = byName.get(name) ?? { name, fetchUrl: '' };
    if (key.toLowerCase() === 'url') entry.fetchUrl ||= url;
    else if (url !== entry.fetchUrl) entry.pushUrl = url;
    byName.set(name, entry);
  }
  return [...byName.values()].filter((r) => r.fetchUrl !== '');
}

/** All configured URLs of one remote (fetch URLs), empty when the remote does not exist. */
export async function remoteUrls(path: string, name: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const result = await git(path, ['config', '--get-all', `remote.${name}.url`], env);
  return result.code === 0 ? result.stdout.split('\n').filter((l) => l.length > 0) : [];
}

/**
 * Whether the work tree has changes (tracked or untracked); null when git could not tell.
 * Submodules are not looked into: each is a repository with a configuration of its own, whose
 * filter drivers this one's listing does not show.
 */
export async function isDirty(path: string, env: NodeJS.ProcessEnv, entries: readonly ConfigEntry[]): Promise<boolean | null> {
  const result = await git(path, ['status', '--porcelain', '--untracked-files=normal', '--ignore-submodules=all'], env, filterOverrides(entries));
  return result.code === 0 ? result.stdout.trim().length > 0 : null;
}
