import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const spawned = vi.hoisted(() => [] as Array<{ command: string; cwd?: string }>);
vi.mock('node:child_process', async (original) => ({
  ...(await original<typeof import('node:child_process')>()),
  // Records what would be started, and ends at once as a program that succeeded.
  spawn: (command: string, _args: string[], options: { cwd?: string }) => {
    spawned.push({ command, cwd: options.cwd });
    const child = Object.assign(new EventEmitter(), { pid: 1, stdout: new EventEmitter(), stderr: new EventEmitter() });
    for (const stream of [child.stdout, child.stderr]) Object.assign(stream, { setEncoding: () => {} });
    setTimeout(() => child.emit('close', 0), 0);
    return child;
  },
}));

const { findProgram, shieldProgramLookups } = await import('../../src/host/find-program');
const { programIn, runProgram } = await import('../../src/host/run-program');

let dir: string;
let repo: string;
let bin: string;
const touch = (path: string) => writeFileSync(path, '');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'program-lookup-'));
  repo = join(dir, 'repo');
  bin = join(dir, 'Git', 'cmd');
  mkdirSync(repo);
  mkdirSync(bin, { recursive: true });
  spawned.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('programs started in a repository on Windows', () => {
  it('are git from PATH by its full path, never the git.exe or git.com the repository carries', () => {
    touch(join(repo, 'git.exe'));
    touch(join(repo, 'git.com'));
    touch(join(bin, 'git.exe'));
    // A relative folder names a place relative to the working folder: here one that leads to the repository.
    const env = { PATH: ['.', relative(process.cwd(), repo), bin].join(delimiter) };
    expect(programIn('git', repo, env, 'win32')).toBe(join(bin, 'git.exe'));
    expect(findProgram('git', { PATH: '.', PATHEXT: '.exe' }, 'win32')).toBeUndefined();
  });

  it('is refused when the git PATH names lies inside the repository itself', () => {
    touch(join(repo, 'git.exe'));
    expect(() => programIn('git', repo, { PATH: repo }, 'win32')).toThrow(expect.objectContaining({ code: 'TOOL_MISSING' }));
    expect(() => programIn('git', repo, { PATH: '.' }, 'win32')).toThrow(expect.objectContaining({ code: 'TOOL_MISSING' }));
  });

  it('reads a PATH entry in quotes, as Windows allows and libuv reads it ("C:\\Program Files\\Git\\cmd")', () => {
    touch(join(bin, 'git.exe'));
    expect(programIn('git', repo, { PATH: `"${bin}"` }, 'win32')).toBe(join(bin, 'git.exe'));
  });

  it('takes git.exe over a git.cmd, as Windows itself starts only .com and .exe by a bare name', () => {
    const other = join(dir, 'shims');
    mkdirSync(other);
    touch(join(other, 'git.cmd'));
    touch(join(bin, 'git.exe'));
    expect(programIn('git', repo, { PATH: [other, bin].join(delimiter) }, 'win32')).toBe(join(bin, 'git.exe'));
  });

  it('runProgram never hands spawn a bare name together with a working folder', async () => {
    touch(join(repo, 'git.exe'));
    touch(join(bin, 'git.exe'));
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'win32' });
    try {
      await runProgram('git', ['status'], { cwd: repo, env: { PATH: ['.', bin].join(delimiter) } });
      await runProgram('git', ['--version'], { env: { PATH: bin } });
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
    expect(spawned).toEqual([
      { command: join(bin, 'git.exe'), cwd: repo },
      { command: 'git', cwd: undefined },
    ]);
    expect(spawned.filter((s) => s.cwd !== undefined).every((s) => isAbsolute(s.command))).toBe(true);
  });

  it('start with NoDefaultCurrentDirectoryInExePath set, so what they start by name is not looked for in the repository either', () => {
    const env: NodeJS.ProcessEnv = {};
    shieldProgramLookups(env, 'linux');
    expect(env).toEqual({});
    shieldProgramLookups(env, 'win32');
    expect(env.NoDefaultCurrentDirectoryInExePath).toBe('1');
  });
});
