/** localClones, addRemote, fetch guards and open, on real repositories made with git in a temp folder. */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalClonesData } from '../../src/shared/host-protocol';
import { HostProcess, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

let sandbox: Sandbox;
let host: HostProcess;
let bin: string;

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: { ...sandbox.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' }, encoding: 'utf8' });
const makeRepo = (path: string, branch = 'main') => {
  mkdirSync(path, { recursive: true });
  git(path, 'init', '-q', '-b', branch);
  writeFileSync(join(path, 'README.md'), 'hello\n');
  git(path, 'add', '.');
  git(path, 'commit', '-q', '-m', 'first');
  return path;
};

beforeEach(async () => {
  sandbox = makeSandbox();
  // A stand-in file manager that records what it was asked to open.
  bin = join(sandbox.dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(sandbox.dir, 'opened.txt')}"\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  // Stand-in editors: each records its arguments.
  for (const editor of ['code', 'idea']) {
    writeFileSync(join(bin, editor), `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(sandbox.dir, `${editor}.txt`)}"\n`);
    chmodSync(join(bin, editor), 0o755);
  }
  sandbox.env.PATH = `${bin}:${process.env.PATH}`;
  host = await HostProcess.start(sandbox.env);
  expect((await host.request({ type: 'configure', cloneRoots: [sandbox.roots] })).ok).toBe(true);
});
afterEach(async () => {
  await host.close();
  sandbox.remove();
});
afterAll(removeBuilds);

/** What a stand-in program wrote to `file`, once it has finished writing (its output ends with a newline). */
async function written(file: string): Promise<string> {
  for (let i = 0; i < 250; i++) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (text.endsWith('\n')) return text;
    await new Promise((r) => setTimeout(r, 20));
  }
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

describe('localClones', () => {
  it('lists repositories below the roots with remotes, branch and changes', async () => {
    const api = makeRepo(join(sandbox.roots, 'fabrikam', 'Platform', 'api'));
    git(api, 'remote', 'add', 'origin', 'https://fabrikam@dev.azure.com/fabrikam/Platform/_git/api');
    const web = makeRepo(join(sandbox.roots, 'web'), 'develop');
    writeFileSync(join(web, 'new.txt'), 'change');
    makeRepo(join(sandbox.roots, 'node_modules', 'dep'));
    makeRepo(join(sandbox.roots, '.hidden', 'x'));
    makeRepo(join(sandbox.dir, 'elsewhere'));
    const answer = await host.request<LocalClonesData>({ type: 'localClones' });
    expect(answer.ok).toBe(true);
    const { clones, truncated } = (answer as { data: LocalClonesData }).data;
    expect(truncated).toBe(false);
    expect(clones.map((c) => c.path).toSorted()).toEqual([api, web]);
    expect(clones.find((c) => c.path === api)).toEqual({
      path: api,
      known: false,
      remotes: [{ name: 'origin', fetchUrl: 'https://fabrikam@dev.azure.com/fabrikam/Platform/_git/api' }],
      branch: 'main',
      dirty: false,
    });
    expect(clones.find((c) => c.path === web)).toMatchObject({ branch: 'develop', dirty: true, remotes: [] });
  });

  it('with paths, reads only those folders, as open resolves them, and leaves out every other path alike', async () => {
    const api = makeRepo(join(sandbox.roots, 'fabrikam', 'Platform', 'api'));
    git(api, 'remote', 'add', 'origin', 'https://dev.azure.com/fabrikam/Platform/_git/api');
    writeFileSync(join(api, 'new.txt'), 'change');
    makeRepo(join(sandbox.roots, 'web'));
    symlinkSync(api, join(sandbox.roots, 'api-link'));
    const read = async (paths: string[]) => {
      const answer = await host.request<LocalClonesData>({ type: 'localClones', paths });
      expect(answer.ok, JSON.stringify(paths)).toBe(true);
      return (answer as { data: LocalClonesData }).data;
    };
    // Its real path, once; `dirty` is not looked at (no `git status`). The other clone below the root is not read.
    expect(await read([`${api}/`, join(sandbox.roots, 'api-link'), api])).toEqual({
      clones: [{ path: api, known: false, remotes: [{ name: 'origin', fetchUrl: 'https://dev.azure.com/fabrikam/Platform/_git/api' }], branch: 'main', dirty: null }],
      truncated: false,
    });
    const outside = makeRepo(join(sandbox.dir, 'private-project'));
    mkdirSync(join(api, 'sub'));
    for (const path of [outside, join(sandbox.dir, 'no-such-project'), '/etc/passwd', 'relative/api', sandbox.roots, join(sandbox.roots, 'missing'), join(api, 'sub')]) {
      expect(await read([path]), path).toEqual({ clones: [], truncated: false });
    }
    expect(await host.request({ type: 'localClones', paths: Array.from({ length: 9 }, () => api) })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await host.request({ type: 'localClones', paths: [] })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});

describe('addRemote and fetch', () => {
  it('adds a remote to a clone below a root, and refuses what it must', async () => {
    const repo = makeRepo(join(sandbox.roots, 'api'));
    const url = 'https://dev.azure.com/fabrikam/Platform/_git/api-fork';
    expect(await host.request({ type: 'addRemote', path: repo, name: 'fork', url })).toMatchObject({ ok: true, data: { path: repo, name: 'fork', url } });
    expect(git(repo, 'remote', 'get-url', 'fork').trim()).toBe(url);
    expect(await host.request({ type: 'addRemote', path: repo, name: 'fork', url })).toMatchObject({ ok: false, error: { code: 'REMOTE_EXISTS' } });
    expect(await host.request({ type: 'addRemote', path: repo, name: 'x', url: 'ext::sh -c id' })).toMatchObject({ ok: false, error: { code: 'URL_REFUSED' } });
    expect(await host.request({ type: 'addRemote', path: repo, name: 'x', url: 'https://github.com/a/b' })).toMatchObject({ ok: false, error: { code: 'HOST_NOT_ALLOWED' } });
    expect(await host.request({ type: 'addRemote', path: repo, name: '--mirror', url })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const outside = makeRepo(join(sandbox.dir, 'outside'));
    expect(await host.request({ type: 'addRemote', path: outside, name: 'fork', url })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    mkdirSync(join(repo, 'sub'));
    expect(await host.request({ type: 'addRemote', path: join(repo, 'sub'), name: 'fork2', url })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(git(outside, 'remote').trim()).toBe('');
  });

  it('refuses to fetch from a remote whose configured URL is not allowed, before git runs', async () => {
    const repo = makeRepo(join(sandbox.roots, 'api'));
    const source = makeRepo(join(sandbox.dir, 'source'));
    git(repo, 'remote', 'add', 'local', source);
    git(repo, 'remote', 'add', 'ext', 'ext::sh -c "touch pwned"');
    expect(await host.request({ type: 'fetch', path: repo, remote: 'local' })).toMatchObject({ ok: false, error: { code: 'URL_REFUSED' } });
    expect(await host.request({ type: 'fetch', path: repo, remote: 'ext' })).toMatchObject({ ok: false, error: { code: 'URL_REFUSED' } });
    expect(await host.request({ type: 'fetch', path: repo, remote: 'missing' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(git(repo, 'branch', '-r').trim()).toBe('');
    expect(existsSync(join(repo, 'pwned'))).toBe(false);
  });
});

describe('open', () => {
  it('opens a known clone in the file manager, and nothing else', async () => {
    const repo = makeRepo(join(sandbox.roots, 'api'));
    expect(await host.request({ type: 'open', path: repo, target: 'folder' })).toMatchObject({ ok: true, data: { opened: repo, with: 'xdg-open' } });
    expect(await written(join(sandbox.dir, 'opened.txt'))).toBe(`${repo}\n`);
    expect(await host.request({ type: 'open', path: '/etc', target: 'folder' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await host.request({ type: 'open', path: sandbox.roots, target: 'folder' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('outside the clone folders, answers a path that exists as one that does not: no probing for files', async () => {
    const there = makeRepo(join(sandbox.dir, 'private-project'));
    const answers = [];
    for (const path of [there, join(sandbox.dir, 'no-such-project'), '/etc/passwd', '/etc/no-such-file', join(sandbox.roots, '..', 'home')]) {
      for (const request of [{ type: 'open', path, target: 'folder' }, { type: 'fetch', path, remote: 'origin' }, { type: 'addRemote', path, name: 'fork', url: 'https://dev.azure.com/fabrikam/Platform/_git/api' }]) {
        const reply = (await host.request(request)) as { ok: boolean; error?: { code: string; message: string } };
        answers.push({ code: reply.error?.code, message: reply.error?.message.replace(path, 'PATH') });
      }
    }
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify({ code: 'NOT_FOUND', message: 'PATH is not a clone the companion knows (nor below a clone folder)' })]));
    // Inside them, the answer still says what is wrong.
    const missing = await host.request({ type: 'open', path: join(sandbox.roots, 'fabrikam', 'api'), target: 'folder' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('does not exist') } });
  });
});

/** What a stand-in program was started with, once it has written it. */
async function argsOf(name: string): Promise<string[]> {
  const file = join(sandbox.dir, `${name}.txt`);
  const text = await written(file);
  rmSync(file);
  return text.split('\n').slice(0, -1);
}

describe('open a file at a line', () => {
  it('opens a file of the clone at a line in the chosen editor', async () => {
    const repo = makeRepo(join(sandbox.roots, 'api'));
    mkdirSync(join(repo, 'src dir'));
    writeFileSync(join(repo, 'src dir', 'app.ts'), 'x\n');
    const file = join(repo, 'src dir', 'app.ts');
    expect(await host.request({ type: 'open', path: repo, target: 'editor', file: '/src dir/app.ts', line: 42 })).toMatchObject({ ok: true, data: { opened: file, with: 'code' } });
    expect(await argsOf('code')).toEqual([repo, '--goto', `${file}:42`]);
    expect(await host.request({ type: 'open', path: repo, target: 'editor', editor: 'vscode', file: 'README.md' })).toMatchObject({ ok: true });
    expect(await argsOf('code')).toEqual([repo, join(repo, 'README.md')]);
    expect(await host.request({ type: 'open', path: repo, target: 'editor', editor: 'jetbrains', file: '/src dir/app.ts', line: 7 })).toMatchObject({ ok: true, data: { with: 'idea' } });
    expect(await argsOf('idea')).toEqual(['--line', '7', file]);
    expect(await host.request({ type: 'open', path: repo, target: 'editor', editor: 'default', file: '/README.md', line: 3 })).toMatchObject({ ok: true, data: { with: 'xdg-open' } });
    expect(await written(join(sandbox.dir, 'opened.txt'))).toBe(`${join(repo, 'README.md')}\n`);
    rmSync(join(sandbox.dir, 'opened.txt'));
    expect(await host.request({ type: 'open', path: repo, target: 'editor', editor: 'visualstudio', file: '/README.md' })).toMatchObject({ ok: false, error: { code: 'TOOL_MISSING' } });
    // The system's "open" would run these rather than show them.
    writeFileSync(join(repo, 'run me.desktop'), '[Desktop Entry]\nExec=sh -c id\n');
    writeFileSync(join(repo, 'tool.sh'), '#!/bin/sh\nid\n');
    chmodSync(join(repo, 'tool.sh'), 0o755);
    for (const runnable of ['run me.desktop', 'tool.sh']) {
      expect(await host.request({ type: 'open', path: repo, target: 'editor', editor: 'default', file: runnable })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', details: { file: runnable } } });
    }
    expect(await host.request({ type: 'open', path: repo, target: 'editor', editor: 'vscode', file: 'tool.sh', line: 2 })).toMatchObject({ ok: true });
    expect(await argsOf('code')).toEqual([repo, '--goto', `${join(repo, 'tool.sh')}:2`]);
    expect(existsSync(join(sandbox.dir, 'opened.txt'))).toBe(false);
  });

  it('refuses files outside the clone, missing files and odd requests, starting nothing', async () => {
    const repo = makeRepo(join(sandbox.roots, 'api'));
    writeFileSync(join(sandbox.dir, 'secret.txt'), 'secret\n');
    symlinkSync(join(sandbox.dir, 'secret.txt'), join(repo, 'link.txt'));
    symlinkSync(sandbox.dir, join(repo, 'linkdir'));
    const refused: Array<[Record<string, unknown>, string]> = [
      [{ file: '../../secret.txt' }, 'BAD_REQUEST'],
      [{ file: '/src/../../secret.txt' }, 'BAD_REQUEST'],
      [{ file: 'C:\\Windows\\win.ini' }, 'BAD_REQUEST'],
      [{ file: '--help' }, 'NOT_FOUND'],
      [{ file: 'link.txt' }, 'NOT_FOUND'],
      [{ file: 'linkdir/secret.txt' }, 'NOT_FOUND'],
      [{ file: 'missing.ts', line: 1 }, 'NOT_FOUND'],
      [{ file: '.git' }, 'NOT_FOUND'],
      [{ file: '/' }, 'BAD_REQUEST'],
      [{ line: 3 }, 'BAD_REQUEST'],
      [{ file: 'README.md', line: 0 }, 'BAD_REQUEST'],
      [{ file: 'README.md', editor: 'vim' }, 'BAD_REQUEST'],
      [{ target: 'folder', file: 'README.md' }, 'BAD_REQUEST'],
      [{ target: 'terminal', editor: 'vscode' }, 'BAD_REQUEST'],
      [{ path: sandbox.dir, file: 'secret.txt' }, 'NOT_FOUND'],
    ];
    for (const [fields, code] of refused) {
      expect(await host.request({ type: 'open', path: repo, target: 'editor', ...fields }), JSON.stringify(fields)).toMatchObject({ ok: false, error: { code } });
    }
    expect(await host.request({ type: 'open', path: repo, target: 'editor', file: 'missing.ts' })).toMatchObject({ ok: false, error: { details: { file: 'missing.ts' } } });
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(join(sandbox.dir, 'code.txt'))).toBe(false);
  });
});
