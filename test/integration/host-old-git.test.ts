/**
 * A git older than 2.31 ignores GIT_CONFIG_COUNT, the companion's only way to give git a token or
 * to keep a repository's programs from running. A `git` earlier on PATH plays one: it says it is
 * 2.30.9 and, like such a git, drops the environment's configuration before it runs the real one.
 * The companion must refuse every request that runs git, before any git command, and say why.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HelloData } from '../../src/shared/host-protocol';
import { HostProcess, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

let sandbox: Sandbox;
let host: HostProcess;
let markers: string;
let calls: string;
let repo: string;

const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
const git = (cwd: string, ...args: string[]) => execFileSync(realGit, args, { cwd, env: { ...sandbox.env, PATH: process.env.PATH }, encoding: 'utf8' }).trim();

beforeEach(async () => {
  sandbox = makeSandbox();
  markers = join(sandbox.dir, 'markers');
  mkdirSync(markers);
  calls = join(sandbox.dir, 'git-calls');
  const bin = join(sandbox.dir, 'old-git');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'git'),
    [
      '#!/bin/sh',
      `printf '%s\\n' "$*" >> '${calls}'`,
      'if [ "$1" = --version ]; then echo "git version 2.30.9"; exit 0; fi',
      // What git 2.30 does with them: nothing.
      'unset GIT_CONFIG_COUNT',
      `exec '${realGit}' "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, 'git'), 0o755);
  sandbox.env.PATH = `${bin}${delimiter}${process.env.PATH}`;
  // A clone below the root whose configuration names a program git runs on `status`.
  repo = join(sandbox.roots, 'hostile');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'a.txt'), 'a\n');
  git(repo, 'add', '.');
  git(repo, '-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '-q', '-m', 'one');
  const fsmonitor = join(sandbox.dir, 'fsmonitor.sh');
  writeFileSync(fsmonitor, `#!/bin/sh\ntouch '${join(markers, 'fsmonitor')}'\n`);
  chmodSync(fsmonitor, 0o755);
  git(repo, 'config', 'core.fsmonitor', fsmonitor);
  host = await HostProcess.start(sandbox.env);
});
afterEach(async () => {
  await host.close();
});
afterAll(() => removeBuilds());

describe('a git older than 2.31', () => {
  it('is reported by hello, and every request that runs git is refused before git runs: no program of a repository runs', async () => {
    expect(await host.request<HelloData>({ type: 'hello' })).toMatchObject({ ok: true, data: { git: '2.30.9' } });
    // Requests that need no git still work: the clone folder can be set.
    expect(await host.request({ type: 'configure', cloneRoots: [sandbox.roots] })).toMatchObject({ ok: true });
    const refused = {
      ok: false,
      error: {
        code: 'GIT_TOO_OLD',
        message: expect.stringMatching(/^git 2\.30\.9 on this computer is too old for the companion: it needs git 2\.31 or newer .*https:\/\/git-scm\.com\/downloads/),
        details: { version: '2.30.9', minimum: '2.31' },
      },
    };
    expect(await host.request({ type: 'localClones' })).toMatchObject(refused);
    expect(await host.request({ type: 'localClones', paths: [repo] })).toMatchObject(refused);
    expect(await host.request({ type: 'status', path: repo })).toMatchObject(refused);
    expect(await host.request({ type: 'open', path: repo, target: 'folder' })).toMatchObject(refused);
    expect(await host.request({ type: 'addRemote', path: repo, name: 'fork', url: 'https://dev.azure.com/fabrikam/Platform/_git/fork' })).toMatchObject(refused);
    expect(await host.request({ type: 'fetch', path: repo, remote: 'origin', auth: { kind: 'pat', token: 'a-token-0123456789' } })).toMatchObject(refused);
    expect(await host.request({ type: 'checkout', path: repo, remote: 'origin', branch: 'main' })).toMatchObject(refused);
    expect(await host.request({ type: 'worktree', path: repo, remote: 'origin', branch: 'main', folder: 'wt' })).toMatchObject(refused);
    const cloned = await host.request({ type: 'clone', url: 'https://dev.azure.com/fabrikam/Platform/_git/Platform', root: sandbox.roots, folder: 'Platform', auth: { kind: 'pat', token: 'a-token-0123456789' } });
    expect(cloned).toMatchObject(refused);
    expect(existsSync(join(sandbox.roots, 'Platform'))).toBe(false);
    expect(readdirSync(markers)).toEqual([]);
    // git was asked its version, and nothing else.
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual(['--version']);
  });
});
