/**
 * The environment git runs with. Credentials for one command travel as configuration in the
 * environment (GIT_CONFIG_COUNT/KEY/VALUE): git never writes those to a file, a remote URL or the
 * process list, unlike `-c` on the command line or `clone --config`.
 */
import type { GitAuth } from '../shared/host-protocol';

/**
 * A token, and the URL prefixes git may send it to: `tokenScope` of each checked URL it fetches
 * from (git-url.ts): the remote's, and a partial clone's promisor remotes' written another way.
 */
export interface Credentials {
  auth: GitAuth;
  scopes: readonly string[];
}

export function authorizationHeader(auth: GitAuth): string {
  return auth.kind === 'pat'
    ? `Authorization: Basic ${Buffer.from(`:${auth.token}`, 'utf8').toString('base64')}`
    : `Authorization: Bearer ${auth.token}`;
}

/** `config`: more entries, after the credentials' (the last value of a key wins). */
export function gitEnv(base: NodeJS.ProcessEnv, credentials?: Credentials, config: ReadonlyArray<readonly [string, string]> = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    // Only these transports, for the clone and anything it leads to (submodules, redirects).
    GIT_ALLOW_PROTOCOL: 'https:ssh',
    // No prompt on a terminal the user cannot see; a credential helper's own window still works.
    GIT_TERMINAL_PROMPT: '0',
    // Progress and errors are parsed: keep git's messages untranslated.
    LC_ALL: 'C',
    LANGUAGE: 'C',
  };
  const extra: Array<readonly [string, string]> = [];
  if (credentials) {
    // For the organization's URLs only: a plain http.extraHeader would go to every URL git or a
    // program it runs contacts, such as the LFS server a repository's .lfsconfig names.
    for (const scope of new Set(credentials.scopes)) extra.push([`http.${scope}.extraHeader`, authorizationHeader(credentials.auth)]);
    // With a token from the extension: no helper may answer instead (or store it), and no
    // redirect may carry the header to another server.
    extra.push(['credential.helper', '']);
    extra.push(['http.followRedirects', 'false']);
  }
  extra.push(...config);
  if (extra.length > 0) {
    // Keep configuration the caller's environment already passes this way (tests do).
    const existing = Number.parseInt(base.GIT_CONFIG_COUNT ?? '0', 10);
    const start = Number.isInteger(existing) && existing > 0 ? existing : 0;
    extra.forEach(([key, value], i) => {
      env[`GIT_CONFIG_KEY_${start + i}`] = key;
      env[`GIT_CONFIG_VALUE_${start + i}`] = value;
    });
    env.GIT_CONFIG_COUNT = String(start + extra.length);
  }
  return env;
}
