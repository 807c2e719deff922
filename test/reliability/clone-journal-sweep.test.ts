/**
 * The sweep that undoes clones of companions that died (src/host/destination-lock.ts with
 * clone-journal.ts): it removes exactly what a dead process's journal says it created, never a
 * folder it did not create, never anything of a process that still runs, and stops the dead
 * process's git without stopping a process that merely got its id later.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CloneJournal } from '../../src/host/clone-journal';
import { folderIdentity } from '../../src/host/destination';
import { lockDestination, sweepStaleLocks } from '../../src/host/destination-lock';

let base: string;
let locks: string;
let root: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'journal-sweep-')));
  locks = join(base, 'locks');
  root = join(base, 'root');
  mkdirSync(locks);
  mkdirSync(root);
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(base, { recursive: true, force: true });
});

/** The id of a process that has ended. */
function deadPid(): number {
  const result = spawnSync('true');
  return result.pid!;
}

/** A process that runs until the test ends, in a process group of its own like the companion's git. */
function running(program: string, args: string[]): number {
  const child = spawn(program, args, { detached: true, stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

/** Running, and not merely a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
}

const writeLock = (name: string, journal: CloneJournal | string) =>
  writeFileSync(join(locks, `${name}.lock`), typeof journal === 'string' ? journal : JSON.stringify(journal));

/** A folder as a clone records it: its path with its identity. */
const made = (dir: string) => ({ path: dir, id: folderIdentity(dir)! });
const sweep = () => sweepStaleLocks(locks, [root]);
const lock = (path: string) => lockDestination(locks, path, { roots: [root] });

/** A half-written clone at root/org/repo, as git leaves it: the folder, .git, a few objects. */
function halfClone(): { org: string; repo: string } {
  const org = join(root, 'org');
  const repo = join(org, 'repo');
  mkdirSync(join(repo, '.git', 'objects', 'pack'), { recursive: true });
  writeFileSync(join(repo, '.git', 'config'), '[core]\n');
  writeFileSync(join(repo, '.git', 'objects', 'pack', 'tmp_pack_1'), 'partial');
  return { org, repo };
}

describe('sweeping the journals of dead companions', () => {
  it('removes the clone folder and the parents the dead process created, and its journal', () => {
    const { org, repo } = halfClone();
    writeLock('a', { pid: deadPid(), path: repo, created: [made(org), made(repo)], existedEmpty: false });
    expect(sweep()).toEqual([{ path: repo, removed: true, kept: [] }]);
    expect(readdirSync(root)).toEqual([]);
    expect(readdirSync(locks)).toEqual([]);
  });

  it('keeps a parent it created once it holds something else, and everything outside what it created', () => {
    const { org, repo } = halfClone();
    mkdirSync(join(org, 'another-clone'));
    writeFileSync(join(root, 'notes.txt'), 'mine');
    writeLock('a', { pid: deadPid(), path: repo, created: [made(org), made(repo)] });
    sweep();
    expect(readdirSync(org)).toEqual(['another-clone']);
    expect(readFileSync(join(root, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('empties, but keeps, a clone folder that existed empty before the clone', () => {
    const { repo } = halfClone();
    writeLock('a', { pid: deadPid(), path: repo, created: [], existedEmpty: true, emptyId: folderIdentity(repo)! });
    sweep();
    expect(existsSync(repo)).toBe(true);
    expect(readdirSync(repo)).toEqual([]);
    expect(existsSync(join(root, 'org'))).toBe(true);
  });

  it('never deletes a folder the journal does not say the process created', () => {
    const { org, repo } = halfClone();
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'keep.txt'), 'keep');
    // Died before it recorded what it made: nothing is known to be its own.
    writeLock('a', { pid: deadPid(), path: repo });
    // Journals that do not fit together are not trusted with any deletion.
    writeLock('b', { pid: deadPid(), path: repo, created: [made(elsewhere)] });
    writeLock('c', { pid: deadPid(), path: repo, created: [made(repo), made(org)] });
    writeLock('d', { pid: deadPid(), path: `${org}/../org/repo`, created: [{ path: `${org}/../org/repo`, id: made(repo).id }] });
    writeLock('e', { pid: deadPid(), path: 'org/repo', created: [{ path: 'org/repo', id: made(repo).id }] });
    writeLock('f', { pid: deadPid(), path: repo, created: [made(repo)], existedEmpty: true, emptyId: made(repo).id });
    // The old format: a pid alone.
    writeLock('g', String(deadPid()));
    // git had finished: the folder is a complete clone.
    writeLock('h', { pid: deadPid(), path: repo, created: [made(org), made(repo)], done: true });
    sweep();
    expect(readFileSync(join(repo, '.git', 'config'), 'utf8')).toBe('[core]\n');
    expect(readFileSync(join(elsewhere, 'keep.txt'), 'utf8')).toBe('keep');
    // Their locks are gone all the same: nothing of theirs remains to be undone.
    expect(readdirSync(locks)).toEqual([]);
  });

  it('leaves a folder deleted and made again since (the same path, even the same inode), and reports it', () => {
    const { org, repo } = halfClone();
    writeLock('a', { pid: deadPid(), path: repo, created: [made(org), made(repo)] });
    // The user removes the half-written clone and makes the folder again, by hand, with work in it.
    rmSync(org, { recursive: true });
    mkdirSync(repo, { recursive: true });
    writeFileSync(join(repo, 'work.txt'), 'mine');
    expect(sweep()).toEqual([{ path: repo, removed: true, kept: [{ path: repo, reason: 'it was made again or replaced since' }] }]);
    expect(readFileSync(join(repo, 'work.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(locks)).toEqual([]);
  });

  it('leaves a clone folder that existed empty, and was made again since, with what is in it', () => {
    const { repo } = halfClone();
    writeLock('a', { pid: deadPid(), path: repo, created: [], existedEmpty: true, emptyId: made(repo).id });
    rmSync(repo, { recursive: true });
    mkdirSync(repo);
    writeFileSync(join(repo, 'work.txt'), 'mine');
    sweep();
    expect(readdirSync(repo)).toEqual(['work.txt']);
  });

  it('keeps a repository made inside the half-written clone since the crash, removing the rest', () => {
    const { org, repo } = halfClone();
    writeLock('a', { pid: deadPid(), path: repo, created: [made(org), made(repo)] });
    const inner = join(repo, 'tools', 'inner');
    expect(spawnSync('git', ['init', '-q', inner]).status).toBe(0);
    writeFileSync(join(inner, 'work.txt'), 'mine');
    expect(sweep()).toEqual([{ path: repo, removed: true, kept: [{ path: inner, reason: 'it is a repository made inside the clone folder since' }] }]);
    expect(readdirSync(repo)).toEqual(['tools']);
    expect(readFileSync(join(inner, 'work.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(inner, '.git', 'HEAD'))).toBe(true);
  });

  it('deletes nothing for a journal of an older companion (folders without identities), and reports it', () => {
    const { org, repo } = halfClone();
    writeLock('a', { pid: deadPid(), path: repo, created: [org, repo] });
    expect(sweep()).toEqual([{ path: repo, removed: true, kept: [{ path: repo, reason: 'an older companion did not record which folders it made' }] }]);
    expect(readFileSync(join(repo, '.git', 'config'), 'utf8')).toBe('[core]\n');
    expect(readdirSync(locks)).toEqual([]);
  });

  it('deletes nothing outside the configured clone roots', () => {
    const { org, repo } = halfClone();
    writeLock('a', { pid: deadPid(), path: repo, created: [made(org), made(repo)] });
    const swept = sweepStaleLocks(locks, [join(base, 'another-root')]);
    expect(swept).toEqual([{ path: repo, removed: true, kept: [{ path: repo, reason: 'it is not inside a configured clone folder' }] }]);
    expect(existsSync(join(repo, '.git', 'config'))).toBe(true);
    // A clone root is the user's own, even when a clone once made that folder.
    writeLock('b', { pid: deadPid(), path: repo, created: [made(org), made(repo)] });
    expect(sweepStaleLocks(locks, [org])[0]!.kept).toEqual([{ path: repo, reason: 'it is not inside a configured clone folder' }]);
    expect(existsSync(join(repo, '.git', 'config'))).toBe(true);
  });

  it('undoes the journal of a dead companion whose pid a later process has taken', () => {
    const { org, repo } = halfClone();
    // This test's own pid is alive, but it did not start at this time: its journal writer is gone.
    const reused = `linux:${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}:1`;
    writeLock('a', { pid: process.pid, started: reused, path: repo, created: [made(org), made(repo)] });
    // A claim left by a dead companion whose pid was reused as well.
    writeFileSync(join(locks, 'a.lock.claim'), JSON.stringify({ pid: process.ppid, started: reused }));
    expect(sweep()).toEqual([{ path: repo, removed: true, kept: [] }]);
    expect(readdirSync(root)).toEqual([]);
    expect(readdirSync(locks)).toEqual([]);
  });

  it('leaves the journal and folders of a companion that still runs alone', () => {
    const { org, repo } = halfClone();
    writeLock('mine', { pid: process.pid, path: repo, created: [made(org), made(repo)] });
    const other = running('sleep', ['30']);
    writeLock('other', { pid: other, path: repo, created: [made(org), made(repo)] });
    // Its start time as recorded matches the process that runs under the pid.
    const started = `linux:${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}:${readFileSync(`/proc/${other}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]}`;
    writeLock('timed', { pid: other, started, path: repo, created: [made(org), made(repo)] });
    expect(sweep()).toEqual([]);
    expect(existsSync(join(repo, '.git', 'config'))).toBe(true);
    expect(readdirSync(locks).toSorted()).toEqual(['mine.lock', 'other.lock', 'timed.lock']);
  });

  it('leaves a dead journal alone while a live process holds its claim (it is being undone there)', () => {
    const { org, repo } = halfClone();
    writeLock('a', { pid: deadPid(), path: repo, created: [made(org), made(repo)] });
    writeFileSync(join(locks, 'a.lock.claim'), JSON.stringify({ pid: process.ppid }));
    sweep();
    expect(existsSync(repo)).toBe(true);
    // A claim whose holder died is taken over.
    writeFileSync(join(locks, 'a.lock.claim'), JSON.stringify({ pid: deadPid() }));
    sweep();
    expect(existsSync(repo)).toBe(false);
    expect(readdirSync(locks)).toEqual([]);
  });

  it('removes journal updates cut short by a dead writer, not those of a live one', () => {
    writeFileSync(join(locks, `a.lock.${deadPid()}.tmp`), '{');
    writeFileSync(join(locks, `b.lock.${process.pid}.tmp`), '{');
    sweep();
    expect(readdirSync(locks)).toEqual([`b.lock.${process.pid}.tmp`]);
  });

  it("stops the dead companion's git, but not a process that is not git", () => {
    // A program named git (a copy of sleep) in a group of its own, like the companion's git.
    const fakeGit = join(base, 'git');
    copyFileSync(spawnSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).stdout.trim(), fakeGit);
    spawnSync('chmod', ['+x', fakeGit]);
    const git = running(fakeGit, ['30']);
    const notGit = running('sleep', ['30']);
    const { org, repo } = halfClone();
    writeLock('a', { pid: deadPid(), path: repo, created: [made(org), made(repo)], git });
    // An id now used by another program: the journal's git is long gone.
    writeLock('b', { pid: deadPid(), git: notGit });
    sweep();
    expect(alive(git)).toBe(false);
    expect(alive(notGit)).toBe(true);
    expect(existsSync(repo)).toBe(false);
  });

  it('the next clone into the same place undoes the dead clone before it takes the lock over', () => {
    const first = lock(join(root, 'org', 'repo'));
    const [file] = readdirSync(locks);
    first.release();
    const { org, repo } = halfClone();
    writeFileSync(join(locks, file!), JSON.stringify({ pid: deadPid(), path: repo, created: [made(org), made(repo)] }));
    const next = lock(join(root, 'org', 'repo'));
    expect(existsSync(org)).toBe(false);
    const started = `linux:${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}:${readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[19]}`;
    const own = { pid: process.pid, started, dest: repo };
    expect(JSON.parse(readFileSync(join(locks, file!), 'utf8'))).toEqual(own);
    next.record({ path: repo, created: [{ path: org, id: 'x' }], existedEmpty: false });
    expect(JSON.parse(readFileSync(join(locks, file!), 'utf8'))).toEqual({ ...own, path: repo, created: [{ path: org, id: 'x' }], existedEmpty: false });
    next.release();
    expect(readdirSync(locks)).toEqual([]);
  });
});
