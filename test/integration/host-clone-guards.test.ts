/**
 * The clone checks that need no Azure DevOps: refused URLs and destinations, cleanup after a
 * failed or cancelled clone, one clone per destination, and credentials kept out of argv and logs.
 * A TCP server that accepts and never answers keeps git busy for as long as a test needs.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HostProcess, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

let sandbox: Sandbox;
let host: HostProcess;
let silent: Server;
let silentPort: number;
const sockets = new Set<Socket>();
let closedPort: number;

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
  // A port nobody listens on: connections are refused at once.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
  removeBuilds();
});

beforeEach(async () => {
  sandbox = makeSandbox();
  host = await HostProcess.start(sandbox.env);
  const configured = await host.request({ type: 'configure', cloneRoots: [sandbox.roots], allowedHosts: ['127.0.0.1'] });
  expect(configured.ok).toBe(true);
});
afterEach(async () => {
  await host.close();
  sandbox.remove();
});

const clone = (fields: Record<string, unknown>) =>
  host.request({ type: 'clone', url: 'https://dev.azure.com/fabrikam/Platform/_git/api', root: sandbox.roots, folder: 'api', ...fields });
const rootListing = () => readdirSync(sandbox.roots).toSorted();

/** A folder's identity as the companion's journal records it. */
function identity(dir: string): string {
  const stat = lstatSync(dir, { bigint: true });
  return `${stat.dev}:${stat.ino}:b${stat.birthtimeNs}`;
}

describe('clone refuses', () => {
  it.each([
    ['-uhttps://dev.azure.com/o/p/_git/r', 'URL_REFUSED'],
    ['--upload-pack=touch${IFS}/tmp/pwned', 'URL_REFUSED'],
    ['ext::sh -c touch% /tmp/pwned', 'URL_REFUSED'],
    ['file:///etc', 'URL_REFUSED'],
    ['http://dev.azure.com/o/p/_git/r', 'URL_REFUSED'],
    ['git://dev.azure.com/o/p/_git/r', 'URL_REFUSED'],
    ['/etc', 'URL_REFUSED'],
    ['https://github.com/owner/repo.git', 'HOST_NOT_ALLOWED'],
    ['git@github.com:owner/repo.git', 'HOST_NOT_ALLOWED'],
  ])('%s with %s, creating nothing', async (url, code) => {
    expect(await clone({ url })).toMatchObject({ ok: false, error: { code } });
    expect(rootListing()).toEqual([]);
  });

  it('a root that is not configured, and folders that climb out', async () => {
    expect(await clone({ root: sandbox.home })).toMatchObject({ ok: false, error: { code: 'DEST_OUTSIDE_ROOT' } });
    expect(await clone({ root: join(sandbox.roots, '..') })).toMatchObject({ ok: false, error: { code: 'DEST_OUTSIDE_ROOT' } });
    expect(await clone({ folder: '../escape' })).toMatchObject({ ok: false, error: { code: 'DEST_OUTSIDE_ROOT' } });
    expect(await clone({ folder: 'a/../../escape' })).toMatchObject({ ok: false, error: { code: 'DEST_OUTSIDE_ROOT' } });
    expect(await clone({ folder: sandbox.home })).toMatchObject({ ok: false, error: { code: 'DEST_OUTSIDE_ROOT' } });
    expect(rootListing()).toEqual([]);
    expect(readdirSync(sandbox.dir).toSorted()).toEqual(['companion', 'home', 'roots']);
  });

  it('a symlink out of the root', async () => {
    const outside = join(sandbox.dir, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(sandbox.roots, 'link'));
    expect(await clone({ folder: 'link/api' })).toMatchObject({ ok: false, error: { code: 'DEST_OUTSIDE_ROOT' } });
    expect(readdirSync(outside)).toEqual([]);
  });

  it('an existing non-empty folder, leaving it untouched', async () => {
    mkdirSync(join(sandbox.roots, 'api'));
    writeFileSync(join(sandbox.roots, 'api', 'mine.txt'), 'keep me');
    expect(await clone({})).toMatchObject({ ok: false, error: { code: 'DEST_EXISTS' } });
    expect(readFileSync(join(sandbox.roots, 'api', 'mine.txt'), 'utf8')).toBe('keep me');
  });

  it('a bad branch name, and credentials for an SSH URL', async () => {
    expect(await clone({ branch: '--upload-pack=x' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await clone({ url: 'git@ssh.dev.azure.com:v3/o/p/r', auth: { kind: 'pat', token: 'x' } })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(rootListing()).toEqual([]);
  });
});

describe('a clone that fails', () => {
  it('removes the folders it created and nothing else', async () => {
    mkdirSync(join(sandbox.roots, 'org'));
    writeFileSync(join(sandbox.roots, 'org', 'notes.txt'), 'mine');
    const answer = await clone({ url: `https://127.0.0.1:${closedPort}/org/p/_git/r`, folder: 'org/project/repo' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'NETWORK_FAILED' } });
    expect(readdirSync(join(sandbox.roots, 'org'))).toEqual(['notes.txt']);
  });

  it('into an existing empty folder leaves the folder, empty', async () => {
    mkdirSync(join(sandbox.roots, 'api'));
    expect((await clone({ url: `https://127.0.0.1:${closedPort}/o/p/_git/r` })).ok).toBe(false);
    expect(readdirSync(join(sandbox.roots, 'api'))).toEqual([]);
  });
});

const slowUrl = () => `https://127.0.0.1:${silentPort}/org/p/_git/slow`;
const waitForFolder = async (path: string) => {
  for (let i = 0; i < 200 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 25));
  expect(existsSync(path)).toBe(true);
};

describe('while a clone runs', () => {

  it('a second clone to the same place is BUSY, in this process and in another; cancel removes the folder', async () => {
    const token = 'pat-secret-value-1234567890';
    host.send({ id: 'first', type: 'clone', url: slowUrl(), root: sandbox.roots, folder: 'org/slow', auth: { kind: 'pat', token } });
    await waitForFolder(join(sandbox.roots, 'org', 'slow'));
    expect(await clone({ url: slowUrl(), folder: 'org/slow' })).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    const other = await HostProcess.start(sandbox.env);
    try {
      expect(await other.request({ type: 'clone', url: slowUrl(), root: sandbox.roots, folder: 'org/slow' })).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    } finally {
      await other.close();
    }

    // The token reaches git through its environment only: not its command line.
    const gitPids = execFileSync('pgrep', ['-f', `slow`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const basic = Buffer.from(`:${token}`).toString('base64');
    let sawEnvironment = false;
    for (const pid of gitPids) {
      let cmdline: string;
      let environ: string;
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      } catch {
        continue;
      }
      if (!cmdline.includes('git')) continue;
      expect(cmdline).not.toContain(token);
      expect(cmdline).not.toContain(basic);
      if (environ.includes(`Authorization: Basic ${basic}`)) sawEnvironment = true;
    }
    expect(sawEnvironment).toBe(true);

    expect(await host.request({ type: 'cancel', target: 'first' })).toMatchObject({ ok: true, data: { cancelled: true } });
    expect(await host.waitFor((m) => m.id === 'first' && 'ok' in m)).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(rootListing()).toEqual([]);

    // Free again once the first clone is gone.
    expect(await clone({ url: `https://127.0.0.1:${closedPort}/o/p/_git/r`, folder: 'org/slow' })).toMatchObject({ ok: false, error: { code: 'NETWORK_FAILED' } });

    // The log shows the work but never the token.
    const log = readFileSync(join(sandbox.companionHome, 'logs', 'companion.log'), 'utf8');
    expect(log).toContain('first clone');
    expect(log).toContain('with a token');
    expect(log).not.toContain(token);
    expect(log).not.toContain(basic);
  });

  it('a clone into a folder inside it, or around it, is BUSY in every companion; cancelling it removes only its own folder', async () => {
    mkdirSync(join(sandbox.roots, 'org'));
    writeFileSync(join(sandbox.roots, 'org', 'notes.txt'), 'mine');
    host.send({ id: 'outer', type: 'clone', url: slowUrl(), root: sandbox.roots, folder: 'org/outer' });
    await waitForFolder(join(sandbox.roots, 'org', 'outer', '.git'));
    const other = await HostProcess.start(sandbox.env);
    try {
      for (const folder of ['org/outer/inner', 'org/outer/a/b']) {
        expect(await other.request({ type: 'clone', url: slowUrl(), root: sandbox.roots, folder })).toMatchObject({ ok: false, error: { code: 'BUSY' } });
        expect(await clone({ url: slowUrl(), folder })).toMatchObject({ ok: false, error: { code: 'BUSY' } });
      }
      // Beside it is free.
      expect(await other.request({ type: 'clone', url: `https://127.0.0.1:${closedPort}/o/p/_git/r`, root: sandbox.roots, folder: 'org/beside' })).toMatchObject({
        ok: false,
        error: { code: 'NETWORK_FAILED' },
      });
    } finally {
      await other.close();
    }
    expect(await host.request({ type: 'cancel', target: 'outer' })).toMatchObject({ ok: true, data: { cancelled: true } });
    expect(await host.waitFor((m) => m.id === 'outer' && 'ok' in m)).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(readdirSync(join(sandbox.roots, 'org'))).toEqual(['notes.txt']);

    // The other way round: a clone into a folder around a running one, also when reached through a link.
    symlinkSync(join(sandbox.roots, 'org'), join(sandbox.roots, 'alias'));
    host.send({ id: 'inner', type: 'clone', url: slowUrl(), root: sandbox.roots, folder: 'org/x/inner' });
    await waitForFolder(join(sandbox.roots, 'org', 'x', 'inner', '.git'));
    const third = await HostProcess.start(sandbox.env);
    try {
      for (const folder of ['org/x', 'org', 'alias/x', 'alias/x/inner/deeper']) {
        expect(await third.request({ type: 'clone', url: slowUrl(), root: sandbox.roots, folder })).toMatchObject({ ok: false, error: { code: 'BUSY' } });
      }
    } finally {
      await third.close();
    }
    expect(await host.request({ type: 'cancel', target: 'inner' })).toMatchObject({ ok: true, data: { cancelled: true } });
    await host.waitFor((m) => m.id === 'inner' && 'ok' in m);
    expect(readdirSync(join(sandbox.roots, 'org'))).toEqual(['notes.txt']);
  });

  it('a companion killed mid-clone: the next one leaves the folder when the user has made it again, and says so in its log', async () => {
    host.send({ id: 'killed', type: 'clone', url: slowUrl(), root: sandbox.roots, folder: 'org/killed' });
    const folder = join(sandbox.roots, 'org', 'killed');
    await waitForFolder(join(folder, '.git'));
    host.child.kill('SIGKILL');
    await host.exited;
    // The git it started runs on in its own process group and keeps writing: the user waits for
    // it to end (here: ends it), then removes the half-written clone and makes the folder again,
    // with work in it.
    const lock = join(sandbox.companionHome, 'state', 'locks', `${createHash('sha256').update(folder).digest('hex').slice(0, 32)}.lock`);
    const { git } = JSON.parse(readFileSync(lock, 'utf8')) as { git?: number };
    expect(git).toBeGreaterThan(0);
    try {
      process.kill(-git!, 'SIGKILL');
    } catch {
      // It had ended already.
    }
    rmSync(join(sandbox.roots, 'org'), { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'work.txt'), 'mine');
    host = await HostProcess.start(sandbox.env);
    expect(await host.request({ type: 'hello' })).toMatchObject({ ok: true });
    // The sweep runs right after the first hello is answered, before any other request.
    expect(await host.request({ type: 'configure' })).toMatchObject({ ok: true });
    expect(readFileSync(join(folder, 'work.txt'), 'utf8')).toBe('mine');
    const log = readFileSync(join(sandbox.companionHome, 'logs', 'companion.log'), 'utf8');
    expect(log).toContain(`left ${folder}, which a companion that stopped mid-clone had made: it was made again or replaced since`);
    // Its journal is settled: nothing stays locked.
    expect(await clone({ url: `https://127.0.0.1:${closedPort}/o/p/_git/r`, folder: 'org/other' })).toMatchObject({ ok: false, error: { code: 'NETWORK_FAILED' } });
  });

  it("a lock whose pid now belongs to a later process is taken over, and the dead clone's folder undone", async () => {
    const folder = join(sandbox.roots, 'org', 'reused');
    mkdirSync(join(folder, '.git'), { recursive: true });
    const locks = join(sandbox.companionHome, 'state', 'locks');
    mkdirSync(locks, { recursive: true });
    const lockFile = join(locks, `${createHash('sha256').update(folder).digest('hex').slice(0, 32)}.lock`);
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    // Written by a companion that died; its pid now runs this test, which started at another time.
    const journal = { pid: process.pid, dest: folder, path: folder, created: [{ path: join(sandbox.roots, 'org'), id: identity(join(sandbox.roots, 'org')) }, { path: folder, id: identity(folder) }] };
    writeFileSync(lockFile, JSON.stringify({ ...journal, started: `linux:${bootId}:1` }));
    expect(await clone({ url: `https://127.0.0.1:${closedPort}/o/p/_git/r`, folder: 'org/reused' })).toMatchObject({ ok: false, error: { code: 'NETWORK_FAILED' } });
    expect(rootListing()).toEqual([]);
    // With its own start time the same pid is a companion that runs: its lock holds.
    const started = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[19];
    mkdirSync(folder, { recursive: true });
    writeFileSync(lockFile, JSON.stringify({ ...journal, started: `linux:${bootId}:${started}` }));
    expect(await clone({ url: `https://127.0.0.1:${closedPort}/o/p/_git/r`, folder: 'org/reused' })).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    expect(existsSync(folder)).toBe(true);
  });

  it('ending the connection cancels the clone and cleans up before the host exits', async () => {
    host.send({ id: 'bye', type: 'clone', url: slowUrl(), root: sandbox.roots, folder: 'gone' });
    await waitForFolder(join(sandbox.roots, 'gone'));
    expect(await host.close()).toEqual({ code: 0, signal: null });
    expect(rootListing()).toEqual([]);
  });
});
