import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { folderSegments, prepareDestination, removeCreated } from '../../src/host/destination';
import { lockDestination } from '../../src/host/destination-lock';
import { HostError } from '../../src/host/host-error';

let base: string;
let root: string;
beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'host-dest-')));
  root = join(base, 'root');
  mkdirSync(root);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    return error instanceof HostError ? error.code : String(error);
  }
};

describe('folder names', () => {
  it.each(['api', 'fabrikam/Platform/api', 'My Repo', 'ünïcode', 'a.b_c-d'])('accepts %s', (folder) => {
    expect(folderSegments(folder)).toEqual(folder.split('/'));
  });
  it.each([
    ['..', 'DEST_OUTSIDE_ROOT'],
    ['a/../../x', 'DEST_OUTSIDE_ROOT'],
    ['/etc/x', 'DEST_OUTSIDE_ROOT'],
    ['C:/x', 'DEST_OUTSIDE_ROOT'],
    ['a//b', 'BAD_REQUEST'],
    ['./a', 'BAD_REQUEST'],
    ['a\\..\\b', 'BAD_REQUEST'],
    ['-rf', 'BAD_REQUEST'],
    ['.ssh', 'BAD_REQUEST'],
    ['repo/.git/hooks', 'BAD_REQUEST'],
    ['a:b', 'DEST_OUTSIDE_ROOT'],
    ['ab:c', 'BAD_REQUEST'],
    ['con', 'BAD_REQUEST'],
    ['trailing.', 'BAD_REQUEST'],
    ['x'.repeat(256), 'BAD_REQUEST'],
  ])('refuses %s', (folder, code) => {
    expect(codeOf(() => folderSegments(folder))).toBe(code);
  });
  // Windows opens a device for these, whatever the case or extension (spaces before the dot too).
  it.each(['COM1', 'com\u00b9', 'COM\u00b2', 'com\u00b3.txt', 'LPT\u00b9', 'lpt\u00b2.tar.gz', 'LPT\u00b3', 'CONIN$', 'conout$', 'Conin$.log', 'CONOUT$.txt', 'nul .txt', 'AUX', 'org/prn.md'])(
    'refuses the Windows device name %s',
    (folder) => {
      expect(codeOf(() => folderSegments(folder))).toBe('BAD_REQUEST');
    },
  );
  // Windows drops trailing dots and spaces: "repo." and "repo " would be "repo", ".git." would be ".git".
  it.each(['repo.', 'repo ', 'a/b. ', 'x..', 'y  '])('refuses %j, which ends in a dot or space', (folder) => {
    expect(codeOf(() => folderSegments(folder))).toBe('BAD_REQUEST');
  });
  // An 8.3 short name reaches the long one it stands for: GIT~1 is .git, SSH~1 is .ssh.
  it.each(['GIT~1', 'git~1', 'repo/GIT~1/hooks', 'SSH~1', 'ssh~2', 'CONFIG~1', 'LONGNA~12.TXT'])('refuses the short name %s', (folder) => {
    expect(codeOf(() => folderSegments(folder))).toBe('BAD_REQUEST');
  });
  it.each(['com10', 'lpt', 'console', 'nullable', 'auxiliary', 'conin', 'con$', 'a~b', '~1x', 'v~1a'])('accepts %s, which Windows does not reserve', (folder) => {
    expect(folderSegments(folder)).toEqual([folder]);
  });
});

describe('prepareDestination', () => {
  it('creates the missing folders and removes exactly those on failure', () => {
    const prepared = prepareDestination(root, 'org/project/repo');
    expect(prepared.path).toBe(join(root, 'org/project/repo'));
    expect(prepared.created).toEqual([join(root, 'org'), join(root, 'org/project'), join(root, 'org/project/repo')]);
    writeFileSync(join(prepared.path, 'partial'), 'x');
    removeCreated(prepared);
    expect(readdirSync(root)).toEqual([]);
  });

  it('keeps a parent it made when another clone lives there now', () => {
    const prepared = prepareDestination(root, 'org/repo1');
    mkdirSync(join(root, 'org/repo2'));
    removeCreated(prepared);
    expect(readdirSync(join(root, 'org'))).toEqual(['repo2']);
  });

  it('never removes folders that existed before', () => {
    mkdirSync(join(root, 'org'));
    writeFileSync(join(root, 'org', 'keep.txt'), 'mine');
    const prepared = prepareDestination(root, 'org/repo');
    removeCreated(prepared);
    expect(readdirSync(join(root, 'org'))).toEqual(['keep.txt']);
  });

  it('uses an existing empty folder and on failure only empties it', () => {
    mkdirSync(join(root, 'empty'));
    const prepared = prepareDestination(root, 'empty');
    expect(prepared.existedEmpty).toBe(true);
    writeFileSync(join(prepared.path, 'partial'), 'x');
    removeCreated(prepared);
    expect(existsSync(join(root, 'empty'))).toBe(true);
    expect(readdirSync(join(root, 'empty'))).toEqual([]);
  });

  it('refuses an existing non-empty folder, a file, and a symlink as the clone folder', () => {
    mkdirSync(join(root, 'full'));
    writeFileSync(join(root, 'full', 'x'), 'x');
    writeFileSync(join(root, 'file'), 'x');
    symlinkSync(join(root, 'full'), join(root, 'link'));
    expect(codeOf(() => prepareDestination(root, 'full'))).toBe('DEST_EXISTS');
    expect(codeOf(() => prepareDestination(root, 'file'))).toBe('DEST_EXISTS');
    expect(codeOf(() => prepareDestination(root, 'link'))).toBe('DEST_EXISTS');
  });

  it('refuses a path through a symlink that leads out of the root, creating nothing', () => {
    const outside = join(base, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(root, 'escape'));
    expect(codeOf(() => prepareDestination(root, 'escape/repo'))).toBe('DEST_OUTSIDE_ROOT');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('follows a symlink that stays inside the root', () => {
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'alias'));
    const prepared = prepareDestination(root, 'alias/repo');
    expect(prepared.path).toBe(join(root, 'real', 'repo'));
  });

  it('cleans up intermediate folders when a later segment is refused', () => {
    writeFileSync(join(root, 'afile'), 'x');
    mkdirSync(join(root, 'a'));
    expect(codeOf(() => prepareDestination(root, 'new/deeper/../x'))).toBe('DEST_OUTSIDE_ROOT');
    expect(codeOf(() => prepareDestination(root, 'afile/repo'))).toBe('DEST_EXISTS');
    expect(readdirSync(root).toSorted()).toEqual(['a', 'afile']);
  });
});

describe('destination lock', () => {
  it('lets one holder in at a time and frees the place on release', () => {
    const locks = join(base, 'locks');
    const first = lockDestination(locks, join(root, 'repo'));
    expect(codeOf(() => lockDestination(locks, join(root, 'repo')))).toBe('BUSY');
    expect(codeOf(() => lockDestination(locks, join(root, 'other')).release())).toBe('accepted');
    first.release();
    lockDestination(locks, join(root, 'repo')).release();
  });

  it('takes over a lock file left by a process that is gone', () => {
    const locks = join(base, 'locks');
    const lock = lockDestination(locks, join(root, 'repo'));
    const [file] = readdirSync(locks);
    lock.release();
    writeFileSync(join(locks, file!), '999999999');
    expect(codeOf(() => lockDestination(locks, join(root, 'repo')).release())).toBe('accepted');
    writeFileSync(join(locks, file!), String(process.ppid));
    expect(codeOf(() => lockDestination(locks, join(root, 'repo')))).toBe('BUSY');
  });
});
