/**
 * Real clones over HTTPS from the sandbox Azure DevOps, through the built host speaking native
 * messaging: right branch, progress, no credential anywhere under .git, cancel, forks.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox as AdoSandbox } from '../../sandbox/index';
import type { CloneData, LocalClonesData } from '../../src/shared/host-protocol';
import { HostProcess, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

let ado: AdoSandbox;
let pat: string;
let sandbox: Sandbox;
let host: HostProcess;

const PLATFORM = 'https://fabrikam@dev.azure.com/fabrikam/Platform/_git/Platform';
const FORK = 'https://dev.azure.com/fabrikam/Security/_git/platform-fork';

beforeAll(async () => {
  ado = await startSandbox({ quiet: true });
  pat = ado.pats.fabrikam!;
}, 120_000);
afterAll(async () => {
  await ado?.close();
  removeBuilds();
});
beforeEach(async () => {
  ado.services.faults.clear();
  sandbox = makeSandbox({ GIT_CONFIG_GLOBAL: ado.gitConfig });
  host = await HostProcess.start(sandbox.env);
  expect((await host.request({ type: 'configure', cloneRoots: [sandbox.roots] })).ok).toBe(true);
});
afterEach(async () => {
  await host.close();
  sandbox.remove();
});

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: sandbox.env, encoding: 'utf8' }).trim();

/** Every file under `dir`, read as bytes, searched for each needle. */
function filesContaining(dir: string, needles: string[]): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const text = readFileSync(path).toString('latin1');
        if (needles.some((n) => text.includes(n))) hits.push(path);
      }
    }
  };
  walk(dir);
  return hits;
}

/** The pid of the shell a host keeps waiting to become its next git (ready-process.ts), if any. */
function waitingShellOf(hostPid: number): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === hostPid && readFileSync(`/proc/${name}/cmdline`, 'utf8').startsWith('/bin/sh\0-c\0')) return Number(name);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

async function until<T>(find: () => T | undefined): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('timed out waiting');
}

describe('clone over HTTPS with a PAT', () => {
  it('lands on the branch being viewed, reports progress, and leaves no credential under .git', async () => {
    const answer = await host.request<CloneData>(
      { id: 'c1', type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'fabrikam/Platform', branch: 'refs/heads/feature/retry-policy', auth: { kind: 'pat', token: pat } },
      60_000,
    );
    const path = join(sandbox.roots, 'fabrikam', 'Platform');
    expect(answer).toEqual({ id: 'c1', ok: true, data: { path, branch: 'feature/retry-policy', remoteUrl: PLATFORM } });
    expect(git(path, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('feature/retry-policy');
    expect(existsSync(join(path, 'src', 'lib', 'retry.ts'))).toBe(true);
    expect(git(path, 'config', '--get', 'remote.origin.url')).toBe(PLATFORM);

    const progress = host.progressOf('c1');
    expect(progress.length).toBeGreaterThan(0);
    // At most 10 a second, so a quick clone may skip phases; each event is a known phase and percentage.
    for (const p of progress) expect(p).toMatchObject({ event: 'progress', phase: expect.stringMatching(/^(counting|compressing|receiving|resolving|checkout)$/), percent: expect.any(Number) });

    const basic = Buffer.from(`:${pat}`).toString('base64');
    expect(filesContaining(join(path, '.git'), [pat, basic, 'extraheader', 'extraHeader'])).toEqual([]);
    expect(readFileSync(join(path, '.git', 'config'), 'utf8')).not.toMatch(/credential|password|authorization/i);
    expect(filesContaining(join(sandbox.companionHome, 'logs'), [pat, basic])).toEqual([]);

    // localClones knows it now.
    const clones = await host.request<LocalClonesData>({ type: 'localClones' });
    expect(clones.ok && clones.data.clones).toEqual([
      { path, known: true, remotes: [{ name: 'origin', fetchUrl: expect.stringContaining('dev.azure.com') }], branch: 'feature/retry-policy', dirty: false },
    ]);
  });

  it.runIf(process.platform === 'linux')('runs git in the process it started ahead, not in a fork of itself, and starts the next one once idle', async () => {
    const trace = join(sandbox.dir, 'trace2.json');
    const traced = await HostProcess.start({ ...sandbox.env, GIT_TRACE2_EVENT: trace });
    try {
      // The host starts serving once a browser's first message arrives.
      expect((await traced.request({ type: 'configure' })).ok).toBe(true);
      const waiting = await until(() => waitingShellOf(traced.child.pid!));
      const answer = await traced.request({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'ahead', auth: { kind: 'pat', token: pat } }, 60_000);
      expect(answer.ok).toBe(true);
      // git's trace2 session id ends in its process id (in hex).
      const clones = readFileSync(trace, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { event: string; sid: string; argv?: string[] })
        .filter((e) => e.event === 'start' && e.argv?.includes('clone'));
      expect(clones.map((e) => Number.parseInt(/-P([0-9a-f]+)$/.exec(e.sid)![1]!, 16))).toEqual([waiting]);
      const next = await until(() => {
        const pid = waitingShellOf(traced.child.pid!);
        return pid !== waiting ? pid : undefined;
      });
      expect(next).toBeGreaterThan(0);
    } finally {
      await traced.close();
    }
  });

  it('partial and shallow clones', async () => {
    const partial = await host.request<CloneData>({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'partial', partial: true, auth: { kind: 'pat', token: pat } }, 60_000);
    expect(partial.ok).toBe(true);
    expect(git(join(sandbox.roots, 'partial'), 'config', 'remote.origin.partialclonefilter')).toBe('blob:none');
    // Without a branch asked for, the answer names the server's default branch, as git does.
    expect(partial.ok && partial.data.branch).toBe(git(join(sandbox.roots, 'partial'), 'symbolic-ref', '--short', 'HEAD'));
    const shallow = await host.request<CloneData>({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'shallow', depth: 1, auth: { kind: 'pat', token: pat } }, 60_000);
    expect(shallow.ok).toBe(true);
    expect(git(join(sandbox.roots, 'shallow'), 'rev-list', '--count', 'HEAD')).toBe('1');
  });

  it('a wrong PAT fails with AUTH_FAILED, even when a credential helper knows a good one', async () => {
    const calls = join(sandbox.dir, 'helper-calls.txt');
    const helper = `!f() { echo "$1" >> '${calls}'; echo username=ada; echo password=${pat}; }; f`;
    const env = { ...sandbox.env, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'credential.helper', GIT_CONFIG_VALUE_0: helper };
    const withHelper = await HostProcess.start(env);
    try {
      const wrong = await withHelper.request({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'wrong', auth: { kind: 'pat', token: 'not-a-valid-token' } }, 60_000);
      expect(wrong).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
      expect(existsSync(join(sandbox.roots, 'wrong'))).toBe(false);
      // The helper was not even asked: with a token from the extension, helpers are off.
      expect(existsSync(calls)).toBe(false);
      // Without a token from the extension, git's own credential helper is asked.
      const viaHelper = await withHelper.request({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'helper' }, 60_000);
      expect(viaHelper).toMatchObject({ ok: true });
      expect(readFileSync(calls, 'utf8')).toContain('get');
    } finally {
      await withHelper.close();
    }
  });

  it('without any credential and no credential helper: NO_CREDENTIAL_HELPER saying what to do, no prompt, nothing left behind', async () => {
    const answer = await host.request({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'nocred' }, 60_000);
    expect(answer).toMatchObject({ ok: false, error: { code: 'NO_CREDENTIAL_HELPER', message: expect.stringMatching(/^git has no credential helper .*Git Credential Manager .*personal access token.*\(git: .*terminal prompts disabled\)$/) } });
    expect(readdirSync(sandbox.roots)).toEqual([]);
  });

  it('a branch that does not exist: BRANCH_NOT_FOUND, folder removed', async () => {
    const answer = await host.request({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'nobranch', branch: 'no/such/branch', auth: { kind: 'pat', token: pat } }, 60_000);
    expect(answer).toMatchObject({ ok: false, error: { code: 'BRANCH_NOT_FOUND' } });
    expect(readdirSync(sandbox.roots)).toEqual([]);
  });

  it('refuses an existing non-empty destination', async () => {
    mkdirSync(join(sandbox.roots, 'Platform'));
    writeFileSync(join(sandbox.roots, 'Platform', 'notes.txt'), 'mine');
    const answer = await host.request({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'Platform', auth: { kind: 'pat', token: pat } });
    expect(answer).toMatchObject({ ok: false, error: { code: 'DEST_EXISTS' } });
    expect(readdirSync(join(sandbox.roots, 'Platform'))).toEqual(['notes.txt']);
  });

  it('a folder still being cloned is listed as cloning, by every companion process, until the clone ends', async () => {
    ado.services.faults.add({ match: { pathRegex: 'git-upload-pack$', method: 'POST' }, latencyMs: 3_000, times: 1 });
    host.send({ id: 'held', type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'org/held', auth: { kind: 'pat', token: pat } });
    const path = join(sandbox.roots, 'org', 'held');
    for (let i = 0; i < 400 && !existsSync(join(path, '.git', 'config')); i++) await new Promise((r) => setTimeout(r, 25));
    // A browser starts one companion per connection: another one sees the clone through its lock.
    const other = await HostProcess.start(sandbox.env);
    try {
      const listed = async (h: HostProcess) => ((await h.request<LocalClonesData>({ type: 'localClones' })) as { data: LocalClonesData }).data.clones.find((c) => c.path === path);
      for (const h of [host, other]) expect(await listed(h)).toMatchObject({ path, cloning: true });
      expect(await host.waitFor((m) => m.id === 'held' && 'ok' in m, 60_000)).toMatchObject({ ok: true });
      // The cloning host writes its registry just after it answers (clone.ts, afterAnswer): another
      // process may list the clone a moment before that, found below the root but not yet known.
      let clone = await listed(other);
      for (let i = 0; i < 100 && !clone?.known; i++) {
        await new Promise((r) => setTimeout(r, 50));
        clone = await listed(other);
      }
      expect(clone).toMatchObject({ path, known: true, branch: 'main' });
      expect(clone).not.toHaveProperty('cloning');
    } finally {
      await other.close();
    }
  });

  it('cancel mid-clone stops git and removes the folder', async () => {
    // The pack request waits, so the clone is caught after git has started writing.
    ado.services.faults.add({ match: { pathRegex: 'git-upload-pack$', method: 'POST' }, latencyMs: 30_000, times: 1 });
    host.send({ id: 'slow', type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'org/slow', auth: { kind: 'pat', token: pat } });
    const gitDir = join(sandbox.roots, 'org', 'slow', '.git');
    for (let i = 0; i < 400 && !existsSync(join(gitDir, 'config')); i++) await new Promise((r) => setTimeout(r, 25));
    expect(statSync(gitDir).isDirectory()).toBe(true);
    const started = Date.now();
    expect(await host.request({ type: 'cancel', target: 'slow' })).toMatchObject({ ok: true, data: { cancelled: true } });
    expect(await host.waitFor((m) => m.id === 'slow' && 'ok' in m)).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(readdirSync(sandbox.roots)).toEqual([]);
  });
});

describe('forks: addRemote and fetch', () => {
  it('adds the fork as a remote of a clone and fetches it with the PAT', async () => {
    const clone = await host.request<CloneData>({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'Platform', auth: { kind: 'pat', token: pat } }, 60_000);
    expect(clone.ok).toBe(true);
    const path = join(sandbox.roots, 'Platform');
    expect(await host.request({ type: 'addRemote', path, name: 'fork', url: FORK })).toMatchObject({ ok: true, data: { path, name: 'fork', url: FORK } });
    expect(await host.request({ type: 'fetch', path, remote: 'fork' }, 60_000)).toMatchObject({ ok: false, error: { code: 'NO_CREDENTIAL_HELPER' } });
    const fetched = await host.request({ id: 'f1', type: 'fetch', path, remote: 'fork', auth: { kind: 'pat', token: pat } }, 60_000);
    expect(fetched).toEqual({ id: 'f1', ok: true, data: { path, remote: 'fork' } });
    expect(git(path, 'branch', '-r')).toContain('fork/main');
    const basic = Buffer.from(`:${pat}`).toString('base64');
    expect(filesContaining(join(path, '.git'), [pat, basic])).toEqual([]);
  });
});
