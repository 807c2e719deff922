/**
 * What a repository's own configuration can and cannot do when the companion runs git in a folder
 * it did not just create (a clone the user has had for a while, a folder unzipped or copied below
 * a clone root). Such a folder's `.git/config`, and every file it includes, is written by whoever
 * made the folder, so it must never decide where a token goes or which program runs.
 *
 * git reads configuration in this order: system, global, the repository's (local, worktree), then
 * the command's own (GIT_CONFIG_COUNT in the environment). For a single-valued key the last one
 * wins, so the companion's environment entries override the repository. Lists (credential
 * helpers) are reset with an empty value. What environment configuration cannot override (the
 * `http.<url>.*` keys, where the most specific URL wins whatever its scope) is refused instead.
 */
import { homedir } from 'node:os';
import { noHooksDir } from './companion-dirs';
import { gitEnv, type Credentials } from './git-env';
import { HostError } from './host-error';
import type { GitAuth } from '../shared/host-protocol';
import { runProgram } from './run-program';

export interface ConfigEntry {
  /** `system`, `global`, `local`, `worktree` or `command`. */
  scope: string;
  /** As git prints it: section and variable in lower case, a subsection as written. */
  key: string;
  /** null for a key written without `=` (a boolean true). */
  value: string | null;
}

type ConfigPairs = Array<[string, string]>;

/**
 * Every git command in an existing folder: no hooks (a hooks path that cannot hold any, instead
 * of `.git/hooks` or the repository's `core.hooksPath`), no fsmonitor, no pager, no editor.
 */
const always = (base: NodeJS.ProcessEnv): ConfigPairs => [
  ['core.hooksPath', noHooksDir(process.platform, base, homedir())],
  ['core.fsmonitor', 'false'],
];

/** The environment for git in an existing folder, with `config` added after the fixed entries. */
export function repoGitEnv(base: NodeJS.ProcessEnv, options: { credentials?: Credentials; config?: ConfigPairs; readOnly?: boolean } = {}): NodeJS.ProcessEnv {
  const env = gitEnv({ ...base, GIT_PAGER: 'cat', GIT_EDITOR: ':' }, options.credentials, [...always(base), ...(options.config ?? [])]);
  // Reading takes no optional locks, so `status` never rewrites the index (nor fires the hooks
  // and filters that a write brings).
  if (options.readOnly) env.GIT_OPTIONAL_LOCKS = '0';
  return env;
}

const isRepoScope = (entry: ConfigEntry) => entry.scope === 'local' || entry.scope === 'worktree';

/** `git config --list --show-scope -z` output: `scope NUL key [LF value] NUL`, repeated. */
export function parseConfigList(output: string): ConfigEntry[] {
  const fields = output.split('\0');
  const entries: ConfigEntry[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const scope = fields[i]!;
    const item = fields[i + 1]!;
    const newline = item.indexOf('\n');
    entries.push(newline < 0 ? { scope, key: item, value: null } : { scope, key: item.slice(0, newline), value: item.slice(newline + 1) });
  }
  return entries;
}

/** The configuration git will use in `path`, every scope, includes followed (reading runs nothing). */
export async function readConfig(path: string, env: NodeJS.ProcessEnv): Promise<ConfigEntry[]> {
  const result = await runProgram('git', ['config', '--list', '--includes', '--show-scope', '-z'], {
    cwd: path,
    env: repoGitEnv(env, { readOnly: true }),
    timeoutMs: 20_000,
    maxOutputBytes: 2 * 1024 * 1024,
  });
  // Exit 1 with no output: no configuration at all.
  if (result.code !== 0 && !(result.code === 1 && result.stdout === '')) {
    throw new HostError('GIT_FAILED', `git could not read the configuration of ${path} (${result.stderr.trim().split('\n').pop()?.slice(0, 300) ?? 'no message'})`);
  }
  return parseConfigList(result.stdout);
}

/** The last value of `key` that the user set (system, global or command scope), if any. */
function userValue(entries: readonly ConfigEntry[], key: string): string | undefined {
  const lower = key.toLowerCase();
  return entries.filter((e) => !isRepoScope(e) && e.key.toLowerCase() === lower && e.value !== null).pop()?.value ?? undefined;
}

const FILTER_KEY = /^filter\.(.+)\.(clean|smudge|process|required)$/i;

/**
 * Filter drivers the repository defines or changes are switched off (an empty command is no
 * filter); the user's own drivers (such as Git LFS) keep the commands the user gave them. git
 * runs a clean filter whenever `status` compares a changed file, and the repository's
 * `.gitattributes` choose the driver, so this is the only way to be sure none of its programs runs.
 */
export function filterOverrides(entries: readonly ConfigEntry[]): ConfigPairs {
  const drivers = new Set<string>();
  for (const entry of entries) {
    const match = FILTER_KEY.exec(entry.key);
    if (match && isRepoScope(entry)) drivers.add(match[1]!);
  }
  const pairs: ConfigPairs = [];
  for (const name of drivers) {
    for (const command of ['clean', 'smudge', 'process']) pairs.push([`filter.${name}.${command}`, userValue(entries, `filter.${name}.${command}`) ?? '']);
    pairs.push([`filter.${name}.required`, userValue(entries, `filter.${name}.required`) ?? 'false']);
  }
  return pairs;
}

/**
 * Credential helpers: with a token none (gitEnv resets the list); without one, the user's own
 * (system, global, environment) in their order, never one the repository adds.
 */
export function credentialOverrides(entries: readonly ConfigEntry[], auth: GitAuth | undefined): ConfigPairs {
  if (auth) return [];
  const helpers = entries.filter((e) => !isRepoScope(e) && /^credential\.(.+\.)?helper$/i.test(e.key) && e.value !== null);
  return [['credential.helper', ''], ...helpers.map((e): [string, string] => [e.key, e.value!])];
}

const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** Programs git runs while fetching, named by single-valued keys: the user's value or none. */
export function programOverrides(entries: readonly ConfigEntry[], env: NodeJS.ProcessEnv): ConfigPairs {
  const setByRepo = (key: string) => entries.some((e) => isRepoScope(e) && e.key.toLowerCase() === key);
  const pairs: ConfigPairs = [];
  // GIT_SSH_COMMAND in the environment beats any configuration already.
  if (setByRepo('core.sshcommand') && env.GIT_SSH_COMMAND === undefined) {
    pairs.push(['core.sshCommand', userValue(entries, 'core.sshCommand') ?? (env.GIT_SSH ? shellQuote(env.GIT_SSH) : 'ssh')]);
  }
  // Asked for a password when no helper answers; GIT_TERMINAL_PROMPT=0 does not stop it.
  if (setByRepo('core.askpass')) pairs.push(['core.askPass', userValue(entries, 'core.askPass') ?? '']);
  // Run by fetch when the repository borrows objects from another (objects/info/alternates).
  if (setByRepo('core.alternaterefscommand')) pairs.push(['core.alternateRefsCommand', userValue(entries, 'core.alternateRefsCommand') ?? '']);
  return pairs;
}

const FALSE = new Set(['false', 'no', 'off', '0', '']);

/** `http.*` variables that only tune speed and size, harmless whoever sets them. */
const HARMLESS_HTTP = new Set(['postbuffer', 'lowspeedlimit', 'lowspeedtime', 'maxrequests', 'minsessions']);

/**
 * Settings of the repository that would change where git connects or how much it checks, which
 * environment configuration cannot override for certain: refused before git runs.
 */
export function unsafeForNetwork(entries: readonly ConfigEntry[]): string[] {
  const unsafe = new Set<string>();
  for (const entry of entries.filter(isRepoScope)) {
    const key = entry.key.toLowerCase();
    if (key.startsWith('http.') && !HARMLESS_HTTP.has(key.slice(key.lastIndexOf('.') + 1))) unsafe.add(entry.key);
    if (/^remote\..+\.(proxy|proxyauthmethod)$/.test(key)) unsafe.add(entry.key);
    // Newer git (2.42+) downloads bundles from these before fetching, with the token's header.
    if (key === 'fetch.bundleuri' || key.startsWith('bundle.')) unsafe.add(entry.key);
  }
  return [...unsafe];
}

/**
 * The remotes other than `remote` that a partial clone fetches missing objects from, in a git
 * started by this fetch with the same environment (and so the same token).
 */
export function otherPromisorRemotes(entries: readonly ConfigEntry[], remote: string): string[] {
  const names = new Set<string>();
  for (const entry of entries) {
    if (entry.key.toLowerCase() === 'extensions.partialclone' && entry.value) names.add(entry.value);
    const promisor = /^remote\.(.+)\.promisor$/i.exec(entry.key);
    if (promisor && !FALSE.has((entry.value ?? 'true').toLowerCase())) names.add(promisor[1]!);
  }
  names.delete(remote);
  return [...names];
}

export function refuseUnsafe(keys: string[], path: string): void {
  if (keys.length === 0) return;
  throw new HostError(
    'UNSAFE_REPOSITORY',
    `The repository's own git configuration sets ${keys.join(', ')}, which could send your credentials elsewhere or weaken the connection; the companion does not let a repository decide that. Remove the setting from ${path}/.git/config (or the file it includes), or set it in your global git configuration.`,
    { keys },
  );
}
