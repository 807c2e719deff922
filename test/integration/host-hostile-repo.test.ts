/**
 * A repository's own configuration never decides where a token goes or what runs. Folders below a
 * clone root carry a `.git/config` (and files it includes) written by whoever made them; these
 * tests make such folders with real git and run the built companion on them. An HTTPS listener on
 * 127.0.0.1 (the allowed host) and `localhost` (not allowed) records every request and whether an
 * Authorization header came with it; programs the repository names write marker files.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox as AdoSandbox } from '../../sandbox/index';
import { loadOrCreateTls, type TlsMaterial } from '../../sandbox/tls';
import type { CloneData, LocalClonesData } from '../../src/shared/host-protocol';
import { HostProcess, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

let tls: TlsMaterial;
let tlsDir: string;
let server: HttpsServer;
let port: number;
/** What reached the HTTPS listener: the host asked for and the Authorization header, if any. */
const requests: Array<{ host: string; authorization?: string }> = [];
let proxy: TcpServer;
let proxyPort: number;
let proxyConnections = 0;
let closedPort: number;

const TOKEN = 'pat-hostile-repo-test-0123456789';

beforeAll(async () => {
  tlsDir = mkdtempSync(join(tmpdir(), 'host-hostile-tls-'));
  tls = await loadOrCreateTls(tlsDir, ['localhost'], ['127.0.0.1']);
  server = createHttpsServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    requests.push({ host: req.headers.host ?? '', authorization: req.headers.authorization });
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test"' });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  proxy = createTcpServer((socket) => {
    proxyConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyPort = (proxy.address() as { port: number }).port;
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => proxy.close(resolve));
  rmSync(tlsDir, { recursive: true, force: true });
  removeBuilds();
});

let sandbox: Sandbox;
let host: HostProcess;
let markers: string;
let globalConfig: string;

beforeEach(async () => {
  requests.length = 0;
  proxyConnections = 0;
  sandbox = makeSandbox();
  markers = join(sandbox.dir, 'markers');
  mkdirSync(markers);
  // The user's own git configuration: trusts the test CA.
  globalConfig = join(sandbox.dir, 'gitconfig');
  writeFileSync(globalConfig, `[http]\n\tsslCAInfo = ${tls.caFile}\n`);
  sandbox.env.GIT_CONFIG_GLOBAL = globalConfig;
  host = await HostProcess.start(sandbox.env);
  expect((await host.request({ type: 'configure', cloneRoots: [sandbox.roots], allowedHosts: ['127.0.0.1'] })).ok).toBe(true);
});
afterEach(async () => {
  await host.close();
  sandbox.remove();
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: { ...sandbox.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' }, encoding: 'utf8' });
const makeRepo = (name: string, remoteUrl?: string) => {
  const path = join(sandbox.roots, name);
  mkdirSync(path, { recursive: true });
  git(path, 'init', '-q', '-b', 'main');
  writeFileSync(join(path, 'a.txt'), 'hello\n');
  git(path, 'add', '.');
  git(path, 'commit', '-q', '-m', 'first');
  if (remoteUrl) git(path, 'remote', 'add', 'origin', remoteUrl);
  return path;
};
/** A script that records it ran by creating `markers/NAME`, and prints what a helper may print. */
const markerScript = (name: string) => {
  const file = join(sandbox.dir, `${name}.sh`);
  writeFileSync(file, `#!/bin/sh\ntouch '${join(markers, name)}'\necho x\n`);
  chmodSync(file, 0o755);
  return file;
};
const ranMarkers = () => readdirSync(markers).toSorted();
const allowedUrl = () => `https://127.0.0.1:${port}/org/p/_git/r`;
const fetch = (path: string, auth = true) => host.request({ type: 'fetch', path, remote: 'origin', ...(auth ? { auth: { kind: 'pat', token: TOKEN } } : {}) });

describe('fetch: where the token goes', () => {
  it('never to a host a url.*.insteadOf of the repository rewrites to, written in .git/config or an included file', async () => {
    const direct = makeRepo('direct', allowedUrl());
    git(direct, 'config', `url.https://localhost:${port}/.insteadOf`, `https://127.0.0.1:${port}/`);
    expect(await fetch(direct)).toMatchObject({ ok: false, error: { code: 'HOST_NOT_ALLOWED', details: { host: 'localhost' } } });

    const included = makeRepo('included', allowedUrl());
    const rules = join(sandbox.dir, 'rules.cfg');
    writeFileSync(rules, `[url "https://localhost:${port}/"]\n\tinsteadOf = https://127.0.0.1:${port}/\n`);
    git(included, 'config', 'include.path', rules);
    expect(await fetch(included)).toMatchObject({ ok: false, error: { code: 'HOST_NOT_ALLOWED' } });
    expect(await fetch(included, false)).toMatchObject({ ok: false, error: { code: 'HOST_NOT_ALLOWED' } });
    expect(requests).toEqual([]);

    // Where the rewrite stays on an allowed host, the token goes there (so the listener does see tokens).
    git(direct, 'config', '--remove-section', `url.https://localhost:${port}/`);
    git(direct, 'config', `url.https://127.0.0.1:${port}/org/.insteadOf`, `https://127.0.0.1:${port}/elsewhere/`);
    git(direct, 'remote', 'set-url', 'origin', `https://127.0.0.1:${port}/elsewhere/p/_git/r`);
    expect(await fetch(direct)).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    expect(requests[0]).toEqual({ host: `127.0.0.1:${port}`, authorization: `Basic ${Buffer.from(`:${TOKEN}`).toString('base64')}` });
  });

  it("never to another organization's remote: the token is bound to the organization it belongs to (auth.orgUrl)", async () => {
    const repo = makeRepo('bound', allowedUrl());
    git(repo, 'remote', 'add', 'other', `https://127.0.0.1:${port}/elsewhere/p/_git/r`);
    const bound = (remote: string, orgUrl: string) => host.request({ type: 'fetch', path: repo, remote, auth: { kind: 'pat', token: TOKEN, orgUrl } });
    // Another organization on the same (allowed) server: refused before git runs.
    expect(await bound('other', `https://127.0.0.1:${port}/org`)).toMatchObject({ ok: false, error: { code: 'URL_REFUSED' } });
    // A name that only starts like the organization's is another organization too.
    expect(await bound('origin', `https://127.0.0.1:${port}/or`)).toMatchObject({ ok: false, error: { code: 'URL_REFUSED' } });
    expect(requests).toEqual([]);
    // The organization's own remote: git runs, with the token (the listener answers 401).
    expect(await bound('origin', `https://127.0.0.1:${port}/ORG/`)).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r.authorization !== undefined)).toBe(true);
  });

  it('refuses settings that weaken or redirect the connection: http.sslVerify, http.<url>.proxy, remote.<name>.proxy, a promisor remote elsewhere', async () => {
    // The user trusts no CA for this listener now: only the repository's sslVerify=false would let git in.
    writeFileSync(globalConfig, '');
    const noVerify = makeRepo('noverify', allowedUrl());
    git(noVerify, 'config', 'http.sslVerify', 'false');
    expect(await fetch(noVerify)).toMatchObject({ ok: false, error: { code: 'UNSAFE_REPOSITORY', details: { keys: ['http.sslverify'] } } });
    expect(requests).toEqual([]);

    writeFileSync(globalConfig, `[http]\n\tsslCAInfo = ${tls.caFile}\n`);
    const urlProxy = makeRepo('urlproxy', allowedUrl());
    git(urlProxy, 'config', `http.https://127.0.0.1:${port}/.proxy`, `http://127.0.0.1:${proxyPort}`);
    expect(await fetch(urlProxy)).toMatchObject({ ok: false, error: { code: 'UNSAFE_REPOSITORY' } });
    const remoteProxy = makeRepo('remoteproxy', allowedUrl());
    git(remoteProxy, 'config', 'remote.origin.proxy', `http://127.0.0.1:${proxyPort}`);
    expect(await fetch(remoteProxy, false)).toMatchObject({ ok: false, error: { code: 'UNSAFE_REPOSITORY' } });
    expect(proxyConnections).toBe(0);

    const promisor = makeRepo('promisor', allowedUrl());
    git(promisor, 'remote', 'add', 'evil', `https://localhost:${port}/x`);
    git(promisor, 'config', 'remote.evil.promisor', 'true');
    expect(await fetch(promisor)).toMatchObject({ ok: false, error: { code: 'HOST_NOT_ALLOWED', details: { host: 'localhost' } } });
    git(promisor, 'config', 'extensions.partialClone', '-evil');
    git(promisor, 'config', 'remote.evil.promisor', 'false');
    expect(await fetch(promisor)).toMatchObject({ ok: false, error: { code: 'UNSAFE_REPOSITORY' } });
    expect(requests).toEqual([]);
  });
});

describe('fetch: programs the repository names do not run', () => {
  it("the repository's credential helper and core.askPass never run; the user's own helper does, without a token only", async () => {
    writeFileSync(globalConfig, `[http]\n\tsslCAInfo = ${tls.caFile}\n[credential]\n\thelper = ${markerScript('user-helper')}\n`);
    const repo = makeRepo('helpers', allowedUrl());
    git(repo, 'config', 'credential.helper', markerScript('repo-helper'));
    git(repo, 'config', `credential.https://127.0.0.1:${port}.helper`, markerScript('repo-url-helper'));
    git(repo, 'config', 'core.askPass', markerScript('repo-askpass'));
    expect(await fetch(repo)).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    expect(ranMarkers()).toEqual([]);
    expect(await fetch(repo, false)).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    expect(ranMarkers()).toEqual(['user-helper']);
  });

  it("the repository's core.sshCommand (in .git/config or an included file) never runs", async () => {
    const direct = makeRepo('ssh', `ssh://git@127.0.0.1:${closedPort}/org/p/_git/r`);
    git(direct, 'config', 'core.sshCommand', `${markerScript('ssh-command')} #`);
    const answer = await fetch(direct, false);
    expect(answer.ok).toBe(false);
    const included = makeRepo('ssh-included', `ssh://git@127.0.0.1:${closedPort}/org/p/_git/r`);
    const file = join(sandbox.dir, 'ssh.cfg');
    writeFileSync(file, `[core]\n\tsshCommand = ${markerScript('ssh-included')} #\n`);
    git(included, 'config', 'include.path', file);
    expect((await fetch(included, false)).ok).toBe(false);
    expect(ranMarkers()).toEqual([]);
  });
});

describe('a fetch that works', () => {
  let ado: AdoSandbox;
  beforeAll(async () => {
    ado = await startSandbox({ quiet: true });
  }, 120_000);
  afterAll(async () => ado?.close());

  it("fetches with the token and runs none of the repository's hooks or programs", async () => {
    writeFileSync(globalConfig, `[include]\n\tpath = ${ado.gitConfig}\n`);
    const pat = ado.pats.fabrikam!;
    const url = 'https://fabrikam@dev.azure.com/fabrikam/Platform/_git/Platform';
    expect(await host.request<CloneData>({ type: 'clone', url, root: sandbox.roots, folder: 'Platform', auth: { kind: 'pat', token: pat } }, 60_000)).toMatchObject({ ok: true });
    const repo = join(sandbox.roots, 'Platform');
    for (const hook of ['reference-transaction', 'post-index-change', 'pre-auto-gc', 'post-checkout', 'post-merge']) {
      writeFileSync(join(repo, '.git', 'hooks', hook), `#!/bin/sh\ntouch '${join(markers, hook)}'\n`);
      chmodSync(join(repo, '.git', 'hooks', hook), 0o755);
    }
    git(repo, 'config', 'core.fsmonitor', markerScript('fsmonitor'));
    git(repo, 'config', 'core.askPass', markerScript('askpass'));
    git(repo, 'config', 'credential.helper', markerScript('helper'));
    git(repo, 'remote', 'add', 'fork', 'https://dev.azure.com/fabrikam/Security/_git/platform-fork');
    const fetched = await host.request({ type: 'fetch', path: repo, remote: 'fork', auth: { kind: 'pat', token: pat } }, 60_000);
    expect(fetched).toMatchObject({ ok: true, data: { path: repo, remote: 'fork' } });
    expect(git(repo, 'branch', '-r')).toContain('fork/main');
    expect(ranMarkers()).toEqual([]);
  });
});

describe('reading a folder (localClones)', () => {
  it('runs no hook, filter, fsmonitor or pager of the repository and writes nothing', async () => {
    const repo = makeRepo('hostile');
    writeFileSync(join(repo, '.gitattributes'), 'a.txt filter=evil\nb.txt filter=included\n');
    writeFileSync(join(repo, 'b.txt'), 'b\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'attributes');
    // Configured after the commit, so git itself never ran them while the test set up.
    git(repo, 'config', 'filter.evil.clean', `${markerScript('filter-clean')}; cat`);
    git(repo, 'config', 'filter.evil.process', markerScript('filter-process'));
    git(repo, 'config', 'core.fsmonitor', markerScript('fsmonitor'));
    git(repo, 'config', 'core.pager', markerScript('pager'));
    const included = join(sandbox.dir, 'filters.cfg');
    writeFileSync(included, `[filter "included"]\n\tclean = ${markerScript('included-clean')}; cat\n\trequired = true\n`);
    git(repo, 'config', 'include.path', included);
    // A repository with hooks only: a status that refreshes the index would fire post-index-change.
    const hooked = makeRepo('hooked');
    for (const [dir, hook] of [repo, hooked].flatMap((r) => ['post-index-change', 'reference-transaction', 'post-checkout'].map((h) => [r, h] as const))) {
      writeFileSync(join(dir, '.git', 'hooks', hook), `#!/bin/sh\ntouch '${join(markers, hook)}'\n`);
      chmodSync(join(dir, '.git', 'hooks', hook), 0o755);
    }
    // New modification times (same contents): git must look at the files' contents again.
    const later = new Date(Date.now() + 60_000);
    for (const file of [join(repo, 'a.txt'), join(repo, 'b.txt'), join(hooked, 'a.txt')]) utimesSync(file, later, later);
    const indexes = [repo, hooked].map((r) => statSync(join(r, '.git', 'index')));

    const answer = await host.request<LocalClonesData>({ type: 'localClones' });
    expect(ranMarkers()).toEqual([]);
    for (const [i, r] of [repo, hooked].entries()) {
      const after = statSync(join(r, '.git', 'index'));
      expect([after.mtimeMs, after.size, after.ino]).toEqual([indexes[i]!.mtimeMs, indexes[i]!.size, indexes[i]!.ino]);
      expect(existsSync(join(r, '.git', 'index.lock'))).toBe(false);
    }
    expect(answer.ok).toBe(true);
    const clone = (answer as { data: LocalClonesData }).data.clones.find((c) => c.path === repo);
    // Still a useful answer: the files' contents are what was committed.
    expect(clone).toMatchObject({ branch: 'main', dirty: false, remotes: [] });
  });
  it('never runs a git the repository carries, even where PATH names the working folder', async () => {
    const repo = makeRepo('carries-git');
    // What Windows would start for a bare `git` in this folder; on POSIX a relative PATH entry does the same.
    for (const name of ['git', 'git.exe']) {
      writeFileSync(join(repo, name), `#!/bin/sh\ntouch '${join(markers, name)}'\n`);
      chmodSync(join(repo, name), 0o755);
    }
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'programs');
    const dotFirst = await HostProcess.start({ ...sandbox.env, PATH: `.${delimiter}${sandbox.env.PATH}` });
    try {
      expect((await dotFirst.request({ type: 'configure', cloneRoots: [sandbox.roots], allowedHosts: ['127.0.0.1'] })).ok).toBe(true);
      const answer = await dotFirst.request<LocalClonesData>({ type: 'localClones' });
      expect(ranMarkers()).toEqual([]);
      expect(answer.ok && answer.data.clones.find((c) => c.path === repo)).toMatchObject({ branch: 'main', dirty: false });
    } finally {
      await dotFirst.close();
    }
  });
});
