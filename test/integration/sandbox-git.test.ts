import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { entraSignIn, gitEnvFor, patAuthorization, writeEnvCredentialHelper } from '../../sandbox/testing';

const exec = promisify(execFile);
let sandbox: Sandbox;
let work: string;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  work = await mkdtemp(path.join(tmpdir(), 'sandbox-git-test-'));
});
afterAll(async () => {
  await sandbox?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Runs git (asynchronously: the sandbox answers in this same process). */
async function git(args: string[], env: NodeJS.ProcessEnv, cwd = work): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('git', args, { cwd, env, timeout: 30_000 });
    return { ok: true, stdout, stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
const withPat = (name: string) => gitEnvFor(sandbox, { pat: sandbox.patsByName[name], home: work });

describe('git clone over HTTPS', () => {
  it('clones a seeded repository with its files, branches and history, keeping the real remote URL', async () => {
    const url = 'https://fabrikam@dev.azure.com/fabrikam/_git/Platform';
    const r = await git(['clone', '-q', url, 'platform'], withPat('ada-full-fabrikam'));
    expect(r.stderr).toBe('');
    expect(r.ok).toBe(true);
    const dir = path.join(work, 'platform');
    expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toMatch(/^# Platform\n/);
    const branches = (await git(['branch', '-r', '--format=%(refname:short)'], withPat('ada-full-fabrikam'), dir)).stdout.split('\n');
    expect(branches).toEqual(expect.arrayContaining(['origin/main', 'origin/feature/deep/nested/refactor', 'origin/feature/retry-policy', 'origin/bugfix/crash-on-start']));
    const authors = (await git(['log', '--all', '--format=%an <%ae>'], withPat('ada-full-fabrikam'), dir)).stdout.trim().split('\n');
    expect(new Set(authors).size).toBeGreaterThanOrEqual(5);
    expect(authors).toContain('Ada Lovelace <ada@fabrikam.test>');
    expect((await git(['config', 'remote.origin.url'], withPat('ada-full-fabrikam'), dir)).stdout.trim()).toBe(url);
    // The clone's config holds no credential.
    const config = await readFile(path.join(dir, '.git', 'config'), 'utf8');
    expect(config).not.toContain(sandbox.pats.fabrikam);
  });

  it('clones through the legacy host, with spaces and non-ASCII names', async () => {
    const r = await git(['clone', '-q', 'https://fabrikam.visualstudio.com/DefaultCollection/Platform/_git/Caf%C3%A9%20Service', 'cafe'], withPat('ada-full-fabrikam'));
    expect(r.stderr).toBe('');
    expect(await readFile(path.join(work, 'cafe', 'README.md'), 'utf8')).toContain('# Café Service');
    const spaced = await git(['clone', '-q', 'https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/Fabrikam%20Fiber', 'fiber'], withPat('ada-full-fabrikam'));
    expect(spaced.ok).toBe(true);
  });

  it('clones from the on-prem server with its own PAT only', async () => {
    const url = 'https://tfs.fabrikam.test/tfs/DefaultCollection/Legacy/_git/tfs-tools';
    expect((await git(['clone', '-q', url, 'tfs-tools'], withPat('ada-onprem'))).ok).toBe(true);
    const refused = await git(['clone', '-q', url, 'tfs-tools-2'], withPat('ada-full-fabrikam'));
    expect(refused.ok).toBe(false);
    expect(refused.stderr).toMatch(/Authentication failed|could not read Username/);
  });

  it('challenges with 401 so git asks its credential helper', async () => {
    const anonymous = await git(['ls-remote', 'https://dev.azure.com/fabrikam/Platform/_git/platform-tools'], gitEnvFor(sandbox, { home: work }));
    expect(anonymous.ok).toBe(false);
    expect(anonymous.stderr).toContain('could not read Username');
    const helper = await writeEnvCredentialHelper(work);
    const env = gitEnvFor(sandbox, { home: work, extra: { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'credential.helper', GIT_CONFIG_VALUE_0: helper } });
    const ok = await git(['ls-remote', 'https://dev.azure.com/fabrikam/Platform/_git/platform-tools'], { ...env, SANDBOX_GIT_PAT: sandbox.pats.fabrikam });
    expect(ok.stdout).toMatch(/^[0-9a-f]{40}\tHEAD$/m);
    const bad = await git(['ls-remote', 'https://dev.azure.com/fabrikam/Platform/_git/platform-tools'], { ...env, SANDBOX_GIT_PAT: 'wrong' });
    expect(bad.ok).toBe(false);
    expect(bad.stderr).toContain('Authentication failed');
  });

  it('refuses a disabled repository with a clear message, and unknown ones', async () => {
    const disabled = await git(['clone', '-q', 'https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/Legacy%20Portal', 'legacy'], withPat('ada-full-fabrikam'));
    expect(disabled.ok).toBe(false);
    expect(disabled.stderr).toContain("remote error: TF401019: The Git repository 'Legacy Portal' is disabled");
    const unknown = await git(['ls-remote', 'https://dev.azure.com/fabrikam/Platform/_git/does-not-exist'], withPat('ada-full-fabrikam'));
    expect(unknown.ok).toBe(false);
    expect(unknown.stderr).toMatch(/not found|404/);
  });
});

/** GET info/refs as a client would, reading everything. */
async function advertisement(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await sandbox.fetch(url, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
const serviceError = (headers: Headers) => decodeURIComponent(headers.get('x-tfs-serviceerror') ?? '');

describe('git refusals, as Azure DevOps sends them', () => {
  const REFS = 'https://dev.azure.com/fabrikam/Platform/_git/platform-tools/info/refs?service=git-upload-pack';
  const ONPREM_REFS = 'https://tfs.fabrikam.test/tfs/DefaultCollection/Legacy/_git/tfs-tools/info/refs?service=git-upload-pack';
  const ANONYMOUS = 'TF400813: Resource not available for anonymous access. Client authentication required.';
  it('answers no credential, a bearer token or PAT it does not know alike: 401, its challenges, an HTML page, the message in X-TFS-ServiceError', async () => {
    const credentials: Record<string, string>[] = [{}, { authorization: 'Bearer not.a-token' }, { authorization: patAuthorization('not-a-real-token') }];
    for (const headers of credentials) {
      const res = await advertisement(REFS, headers);
      expect(res.status).toBe(401);
      // coder/coder#12351: what the cloud sent git for a token it did not accept.
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="https://tfsprodweu5.visualstudio.com/", TFS-Federated');
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.text).toContain(`<pre id="errorMessageDetailed">${ANONYMOUS}</pre>`);
      expect(serviceError(res.headers)).toBe(ANONYMOUS);
      expect(res.text + serviceError(res.headers)).not.toContain('VS30063');
    }
  });

  it('names what it refuses in X-TFS-ServiceError: an expired PAT, a bearer token where OAuth is off', async () => {
    const expired = await advertisement(REFS, { authorization: patAuthorization(sandbox.patsByName['ada-expired']!) });
    expect(expired.status).toBe(401);
    expect(serviceError(expired.headers)).toBe('Access Denied: The Personal Access Token used has expired.');
    const { accessToken } = await entraSignIn(sandbox, 'ada');
    const contoso = await advertisement('https://dev.azure.com/contoso/Research/_git/Research/info/refs?service=git-upload-pack', { authorization: `Bearer ${accessToken}` });
    expect(contoso.status).toBe(401);
    expect(serviceError(contoso.headers)).toBe(`TF400813: The user '${sandbox.store.user('ada')!.id}' is not authorized to access this resource.`);
    expect(contoso.headers.get('www-authenticate')).toBe('Basic realm="https://tfsprodweu5.visualstudio.com/", TFS-Federated');
  });

  it('challenges on-prem as the server does, and git still signs in with Basic through its credential helper', async () => {
    const res = await advertisement(ONPREM_REFS);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer, Basic realm="https://tfs.fabrikam.test/tfs"');
    expect(res.headers.get('x-tfs-fedauthrealm')).toBeNull();
    expect(res.text).toContain(`<title>${ANONYMOUS} - Azure DevOps Server</title>`);
    expect(serviceError(res.headers)).toBe(ANONYMOUS);
    const helper = await writeEnvCredentialHelper(work);
    const env = gitEnvFor(sandbox, { home: work, extra: { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'credential.helper', GIT_CONFIG_VALUE_0: helper } });
    const url = 'https://tfs.fabrikam.test/tfs/DefaultCollection/Legacy/_git/tfs-tools';
    const ok = await git(['ls-remote', url], { ...env, SANDBOX_GIT_PAT: sandbox.patsByName['ada-onprem']! });
    expect(ok.stdout).toMatch(/^[0-9a-f]{40}\tHEAD$/m);
    const bad = await git(['ls-remote', url], { ...env, SANDBOX_GIT_PAT: 'wrong' });
    expect(bad.stderr).toContain('Authentication failed');
  });
});

describe('git push', () => {
  it('shows pushed commits and branches in what the sandbox reports', async () => {
    const env = withPat('ada-full-fabrikam');
    const dir = path.join(work, 'tools');
    expect((await git(['clone', '-q', 'https://dev.azure.com/fabrikam/Platform/_git/platform-tools', dir], env)).ok).toBe(true);
    expect((await git(['checkout', '-q', '-b', 'feature/pushed/from-test'], env, dir)).ok).toBe(true);
    expect((await git(['commit', '-q', '--allow-empty', '-m', 'Pushed by the test'], env, dir)).ok).toBe(true);
    const push = await git(['push', '-q', 'origin', 'feature/pushed/from-test'], env, dir);
    expect(push.stderr).toBe('');
    const repo = sandbox.store.repository(sandbox.store.organization('fabrikam')!, 'platform-tools')!;
    const refs = await sandbox.services.git.refs(repo, 'refs/heads/');
    const head = (await git(['rev-parse', 'HEAD'], env, dir)).stdout.trim();
    expect(refs).toContainEqual({ name: 'refs/heads/feature/pushed/from-test', objectId: head });
    const [latest] = await sandbox.services.git.commits(repo, { ref: 'refs/heads/feature/pushed/from-test', top: 1 });
    expect(latest).toMatchObject({ commitId: head, message: 'Pushed by the test\n', author: { name: 'Sandbox Test' } });
  });

  it('gives an empty repository its default branch and size on the first push', async () => {
    const env = withPat('ada-full-fabrikam');
    const url = 'https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_apis/git/repositories/Empty?api-version=7.1';
    const auth = { authorization: patAuthorization(sandbox.pats.fabrikam!) };
    const before = (await (await sandbox.fetch(url, { headers: auth })).json()) as Record<string, unknown>;
    expect(before.defaultBranch).toBeUndefined();
    const dir = path.join(work, 'empty');
    expect((await git(['clone', '-q', 'https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/Empty', dir], env)).ok).toBe(true);
    expect((await git(['commit', '-q', '--allow-empty', '-m', 'First commit'], env, dir)).ok).toBe(true);
    expect((await git(['push', '-q', 'origin', 'HEAD:refs/heads/trunk'], env, dir)).ok).toBe(true);
    const after = (await (await sandbox.fetch(url, { headers: auth })).json()) as Record<string, unknown>;
    expect(after.defaultBranch).toBe('refs/heads/trunk');
    expect(after.size).toBeGreaterThan(0);
  });

  it('refuses a push with a read-only PAT', async () => {
    const dir = path.join(work, 'readonly');
    expect((await git(['clone', '-q', 'https://dev.azure.com/fabrikam/Platform/_git/design-system', dir], withPat('ada-read-code'))).ok).toBe(true);
    await git(['commit', '-q', '--allow-empty', '-m', 'Not allowed'], withPat('ada-read-code'), dir);
    const push = await git(['push', '-q', 'origin', 'HEAD:refs/heads/nope'], withPat('ada-read-code'), dir);
    expect(push.ok).toBe(false);
    expect(push.stderr).toContain('403');
  });
});
