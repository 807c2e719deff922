import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCredentialHelper, signInFailure } from '../../src/host/credential-helper';
import { GCM_INSTALL_URL } from '../../src/shared/git-help';
import type { ConfigEntry } from '../../src/host/repo-config';

/** Without a token git signs in with the user's credential helper; with none, the failure says what to do. */

const REMOTE = 'https://dev.azure.com/fabrikam/Platform/_git/Platform';
const entry = (scope: string, key: string, value: string | null): ConfigEntry => ({ scope, key, value });
const authFailed = { code: 'AUTH_FAILED' as const, message: 'Azure DevOps did not accept the credentials. (git: fatal: could not read Username for \'https://dev.azure.com\': terminal prompts disabled)' };

const has = (entries: ConfigEntry[]) => hasCredentialHelper(entries, REMOTE);

describe('hasCredentialHelper', () => {
  it('counts the user’s helpers, as git reads the list (an empty value clears it)', () => {
    expect(has([])).toBe(false);
    expect(has([entry('global', 'credential.helper', 'manager')])).toBe(true);
    expect(has([entry('system', 'credential.helper', 'manager'), entry('global', 'credential.helper', '')])).toBe(false);
    expect(has([entry('global', 'credential.helper', ''), entry('command', 'credential.helper', 'store')])).toBe(true);
  });

  it('counts a helper for a URL only where that URL matches, as git does', () => {
    expect(has([entry('global', 'credential.https://dev.azure.com.helper', 'manager')])).toBe(true);
    expect(has([entry('global', 'credential.https://dev.azure.com/fabrikam.helper', 'manager')])).toBe(true);
    expect(has([entry('global', 'credential.https://*.azure.com.helper', 'manager')])).toBe(true);
    // Another site's helper (such as gcloud's for source.developers.google.com) signs nobody in here.
    expect(has([entry('system', 'credential.https://source.developers.google.com.helper', 'gcloud.sh')])).toBe(false);
    expect(has([entry('global', 'credential.https://dev.azure.com/contoso.helper', 'manager')])).toBe(false);
    expect(has([entry('global', 'credential.http://dev.azure.com.helper', 'manager')])).toBe(false);
  });

  it('does not count a repository’s own helper: the companion never lets it answer', () => {
    expect(has([entry('local', 'credential.helper', '!evil'), entry('worktree', 'credential.helper', 'store')])).toBe(false);
  });
});

describe('signInFailure', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adoc-cred-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('says NO_CREDENTIAL_HELPER, what to install and the token route, keeping git’s line', async () => {
    const failure = await signInFailure(authFailed, REMOTE, {}, []);
    expect(failure.code).toBe('NO_CREDENTIAL_HELPER');
    expect(failure.message).toContain('git has no credential helper to sign you in to dev.azure.com');
    expect(failure.message).toContain(GCM_INSTALL_URL);
    expect(failure.message).toContain('personal access token');
    expect(failure.message).toMatch(/\(git: fatal: could not read Username .*\)$/);
  });

  it('leaves other failures, and users who have a helper, as they were', async () => {
    expect(await signInFailure(authFailed, REMOTE, {}, [entry('global', 'credential.helper', 'manager')])).toBe(authFailed);
    const network = { code: 'NETWORK_FAILED' as const, message: 'The server could not be reached.' };
    expect(await signInFailure(network, REMOTE, {}, [])).toBe(network);
  });

  it('reads the user’s configuration with git itself when it is not given (a clone)', async () => {
    const global = join(dir, 'gitconfig');
    const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: global, GIT_CONFIG_COUNT: '0', HOME: dir };
    await writeFile(global, '[user]\n\tname = Ada\n[credential "https://source.developers.google.com"]\n\thelper = gcloud.sh\n');
    expect((await signInFailure(authFailed, REMOTE, env)).code).toBe('NO_CREDENTIAL_HELPER');
    await writeFile(global, '[credential]\n\thelper = cache\n');
    expect((await signInFailure(authFailed, REMOTE, env)).code).toBe('AUTH_FAILED');
  });
});
