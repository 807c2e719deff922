import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareCloning } from '../../src/host/clone';
import { checkDestination, folderIdentity, folderSegments, isInside, makeRoot, prepareDestination, removeCreated, resolveBelow, resolveExisting } from '../../src/host/destination';
import { lockDestination, prepareLocking } from '../../src/host/destination-lock';
import { ownStartToken } from '../../src/host/process-start';
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
  it.each(['api', 'fabrikam/Platform/api', 'My Repo', 'ünïcode', 'a.b_c-d', 'é'.repeat(127) + 'x', 'x'.repeat(255)])('accepts %s', (folder) => {
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
    // 128 characters, 256 bytes: what file systems count.
    ['é'.repeat(128), 'BAD_REQUEST'],
    ['org/' + '📁'.repeat(64), 'BAD_REQUEST'],
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

/** Every path below `dir`, links not followed: what a check must leave as it found it. */
const tree = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).toSorted() : []);

describe('checkDestination', () => {
  const arrangements: [string, (r: string) => void][] = [
    ['nothing there yet', () => undefined],
    ['the parents there', (r) => mkdirSync(join(r, 'org/project'), { recursive: true })],
    ['an empty clone folder', (r) => mkdirSync(join(r, 'org/project/repo'), { recursive: true })],
    ['a clone folder with a file in it', (r) => (mkdirSync(join(r, 'org/project/repo'), { recursive: true }), writeFileSync(join(r, 'org/project/repo/notes.txt'), 'mine'))],
    ['a file as the clone folder', (r) => (mkdirSync(join(r, 'org/project'), { recursive: true }), writeFileSync(join(r, 'org/project/repo'), 'x'))],
    ['a file as a parent', (r) => writeFileSync(join(r, 'org'), 'x')],
    ['a link as the clone folder', (r) => (mkdirSync(join(r, 'org/project'), { recursive: true }), symlinkSync(base, join(r, 'org/project/repo')))],
    ['a parent linked inside the root', (r) => (mkdirSync(join(r, 'elsewhere/project'), { recursive: true }), symlinkSync(join(r, 'elsewhere'), join(r, 'org')))],
    ['a parent linked outside the root', (r) => (mkdirSync(join(base, 'outside')), symlinkSync(join(base, 'outside'), join(r, 'org')))],
    ['a parent linked to nothing', (r) => symlinkSync(join(base, 'gone'), join(r, 'org'))],
  ];
  it.each(arrangements)('says what the clone would, with %s, and makes nothing', (_, arrange) => {
    arrange(root);
    const before = tree(base);
    const checked = codeOf(() => checkDestination(root, 'org/project/repo'));
    expect(tree(base)).toEqual(before);
    expect(checked).toBe(codeOf(() => prepareDestination(makeRoot(root), 'org/project/repo')));
  });

  it('answers where the clone goes, below a root that does not exist yet too', () => {
    expect(checkDestination(root, 'org/project/repo')).toBe(join(root, 'org/project/repo'));
    expect(checkDestination(join(base, 'later'), 'org/repo')).toBe(join(base, 'later', 'org/repo'));
    expect(existsSync(join(base, 'later'))).toBe(false);
  });

  it('refuses a root that cannot be a folder, as the clone does', () => {
    writeFileSync(join(base, 'file'), 'x');
    symlinkSync(join(base, 'nowhere'), join(base, 'dangling'));
    for (const bad of [join(base, 'file'), join(base, 'dangling'), join(base, 'file', 'below')]) {
      expect(codeOf(() => checkDestination(bad, 'repo'))).toBe('DEST_EXISTS');
      expect(codeOf(() => makeRoot(bad))).toBe('DEST_EXISTS');
    }
  });
});

describe('prepareDestination', () => {
  it('creates the missing folders and removes exactly those on failure', () => {
    const prepared = prepareDestination(makeRoot(root), 'org/project/repo');
    expect(prepared.path).toBe(join(root, 'org/project/repo'));
    expect(prepared.created).toEqual([join(root, 'org'), join(root, 'org/project'), join(root, 'org/project/repo')]);
    writeFileSync(join(prepared.path, 'partial'), 'x');
    removeCreated(prepared);
    expect(readdirSync(root)).toEqual([]);
  });

  it('keeps a parent it made when another clone lives there now', () => {
    const prepared = prepareDestination(makeRoot(root), 'org/repo1');
    mkdirSync(join(root, 'org/repo2'));
    removeCreated(prepared);
    expect(readdirSync(join(root, 'org'))).toEqual(['repo2']);
  });

  it('never removes folders that existed before', () => {
    mkdirSync(join(root, 'org'));
    writeFileSync(join(root, 'org', 'keep.txt'), 'mine');
    const prepared = prepareDestination(makeRoot(root), 'org/repo');
    removeCreated(prepared);
    expect(readdirSync(join(root, 'org'))).toEqual(['keep.txt']);
  });

  it('leaves folders made again while the clone ran (another identity, even on the same inode), and says so', () => {
    const prepared = prepareDestination(makeRoot(root), 'org/repo');
    rmSync(join(root, 'org'), { recursive: true });
    mkdirSync(join(root, 'org/repo'), { recursive: true });
    writeFileSync(join(root, 'org/repo/work.txt'), 'mine');
    expect(removeCreated(prepared)).toEqual([{ path: join(root, 'org/repo'), reason: 'it was made again or replaced since' }]);
    expect(readdirSync(join(root, 'org/repo'))).toEqual(['work.txt']);

    mkdirSync(join(root, 'empty'));
    const emptied = prepareDestination(makeRoot(root), 'empty');
    rmSync(join(root, 'empty'), { recursive: true });
    mkdirSync(join(root, 'empty'));
    writeFileSync(join(root, 'empty/work.txt'), 'mine');
    expect(removeCreated(emptied)).toEqual([{ path: join(root, 'empty'), reason: 'it was made again or replaced since' }]);
    expect(readdirSync(join(root, 'empty'))).toEqual(['work.txt']);
  });

  it('where a change time stands in for the birth time, only the running clone goes by device and inode alone', () => {
    const made = prepareDestination(makeRoot(root), 'org/repo');
    // As on a file system without birth times: identities carry a change time.
    const prepared = { ...made, ids: made.ids!.map((id) => id.replace(/:b\d+$/, ':c1')) };
    writeFileSync(join(prepared.path, 'partial'), 'x');
    // After a crash the folder git wrote into cannot be told from one made again: it stays.
    expect(removeCreated(prepared)).toEqual([{ path: join(root, 'org/repo'), reason: 'it was made again or replaced since' }]);
    expect(removeCreated(prepared, { running: true })).toEqual([]);
    expect(readdirSync(root)).toEqual([]);
  });

  it('never removes a repository made inside the clone folder meanwhile, nor the folders leading to it', () => {
    const prepared = prepareDestination(makeRoot(root), 'org/outer');
    mkdirSync(join(prepared.path, '.git/objects'), { recursive: true });
    writeFileSync(join(prepared.path, 'partial'), 'x');
    // A clone someone finished inside it (by hand, or a companion too old to know nesting).
    mkdirSync(join(prepared.path, 'deep/inner/.git'), { recursive: true });
    writeFileSync(join(prepared.path, 'deep/inner/work.txt'), 'mine');
    mkdirSync(join(prepared.path, 'deep/other'));
    const reason = 'it is a repository made inside the clone folder since';
    expect(removeCreated(prepared)).toEqual([{ path: join(prepared.path, 'deep/inner'), reason }]);
    expect(readdirSync(prepared.path)).toEqual(['deep']);
    expect(readdirSync(join(prepared.path, 'deep'))).toEqual(['inner']);
    expect(readdirSync(join(prepared.path, 'deep/inner')).toSorted()).toEqual(['.git', 'work.txt']);

    mkdirSync(join(root, 'empty'));
    const emptied = prepareDestination(makeRoot(root), 'empty');
    mkdirSync(join(root, 'empty/.git'));
    mkdirSync(join(root, 'empty/inner/.git'), { recursive: true });
    expect(removeCreated(emptied)).toEqual([{ path: join(root, 'empty/inner'), reason }]);
    expect(readdirSync(join(root, 'empty'))).toEqual(['inner']);
  });

  it('uses an existing empty folder and on failure only empties it', () => {
    mkdirSync(join(root, 'empty'));
    const prepared = prepareDestination(makeRoot(root), 'empty');
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
    expect(codeOf(() => prepareDestination(makeRoot(root), 'full'))).toBe('DEST_EXISTS');
    expect(codeOf(() => prepareDestination(makeRoot(root), 'file'))).toBe('DEST_EXISTS');
    expect(codeOf(() => prepareDestination(makeRoot(root), 'link'))).toBe('DEST_EXISTS');
  });

  it('refuses a path through a symlink that leads out of the root, creating nothing', () => {
    const outside = join(base, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(root, 'escape'));
    expect(codeOf(() => prepareDestination(makeRoot(root), 'escape/repo'))).toBe('DEST_OUTSIDE_ROOT');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('follows a symlink that stays inside the root', () => {
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'alias'));
    const prepared = prepareDestination(makeRoot(root), 'alias/repo');
    expect(prepared.path).toBe(join(root, 'real', 'repo'));
  });

  it('cleans up intermediate folders when a later segment is refused', () => {
    writeFileSync(join(root, 'afile'), 'x');
    mkdirSync(join(root, 'a'));
    expect(codeOf(() => prepareDestination(makeRoot(root), 'new/deeper/../x'))).toBe('DEST_OUTSIDE_ROOT');
    expect(codeOf(() => prepareDestination(makeRoot(root), 'afile/repo'))).toBe('DEST_EXISTS');
    expect(readdirSync(root).toSorted()).toEqual(['a', 'afile']);
  });
});

const bootId = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
/** What a lock of another companion process looks like: that process runs, its start time as recorded. */
const otherCompanion = (dest: string, extra: Record<string, unknown> = {}) => {
  const ticks = readFileSync(`/proc/${process.ppid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19];
  return JSON.stringify({ pid: process.ppid, started: `linux:${bootId()}:${ticks}`, dest, ...extra });
};

describe('prepareDestination below a root made beforehand (a clone makes its root once, for the lock)', () => {
  it('creates below the real root makeRoot answered, and refuses what it refuses', () => {
    const real = makeRoot(join(base, 'made', 'root'));
    const prepared = prepareDestination(real, 'org/repo');
    expect(prepared).toMatchObject({ path: join(real, 'org', 'repo'), created: [join(real, 'org'), join(real, 'org', 'repo')], existedEmpty: false });
    expect(prepared.ids).toEqual(prepared.created.map((dir) => folderIdentity(dir)));
    expect(codeOf(() => prepareDestination(real, '../out'))).toBe('DEST_OUTSIDE_ROOT');
    writeFileSync(join(real, 'file'), 'x');
    expect(codeOf(() => prepareDestination(real, 'file/repo'))).toBe('DEST_EXISTS');
    expect(readdirSync(real).toSorted()).toEqual(['file', 'org']);
  });
});

describe('resolveBelow (the lock\'s path of a clone, looking only below its real root)', () => {
  it('answers what resolveExisting answers: missing, existing, linked inside and outside, a broken link, below a file', () => {
    mkdirSync(join(root, 'org', 'team'), { recursive: true });
    mkdirSync(join(base, 'elsewhere'));
    symlinkSync(join(root, 'org'), join(root, 'alias'));
    symlinkSync(join(base, 'elsewhere'), join(root, 'out'));
    symlinkSync(join(base, 'nothing'), join(root, 'broken'));
    writeFileSync(join(root, 'file'), 'x');
    const cases = ['repo', 'new/deeper/repo', 'org', 'org/repo', 'org/team/repo', 'alias/repo', 'alias/team/repo', 'out/repo', 'broken/repo', 'file/repo'];
    for (const folder of cases) {
      const segments = folder.split('/');
      expect([folder, resolveBelow(root, segments)]).toEqual([folder, resolveExisting(join(root, ...segments))]);
    }
    expect(resolveBelow(root, ['alias', 'repo'])).toBe(join(root, 'org', 'repo'));
    expect(resolveBelow(root, ['repo'])).toBe(join(root, 'repo'));
  });
});

describe('preparing a host for clones (serve.ts, before the first request)', () => {
  it('leaves nothing behind but the locks folder, and the locks taken after it still carry this process\'s start token', () => {
    const locks = join(base, 'locks');
    const before = readdirSync(base);
    prepareLocking(locks);
    prepareCloning(locks);
    expect(readdirSync(base).toSorted()).toEqual([...before, 'locks'].toSorted());
    expect(readdirSync(locks)).toEqual([]);
    const lock = lockDestination(locks, join(root, 'repo'), { roots: [root] });
    const [file] = readdirSync(locks);
    expect(JSON.parse(readFileSync(join(locks, file!), 'utf8'))).toMatchObject({ pid: process.pid, started: ownStartToken() });
    lock.release();
    expect(readdirSync(locks)).toEqual([]);
  });

  it('removes what the warm-ups of a companion that died during them left, and nothing else', () => {
    const locks = join(base, 'locks');
    mkdirSync(locks);
    // A process that has ended: its pid runs nothing now.
    const dead = spawnSync('true').pid!;
    const alive = process.ppid;
    const left = [`prepare.${dead}`, `prepare.${dead}.${dead}.tmp`, `prepare.${dead}.d`];
    for (const name of left.slice(0, 2)) writeFileSync(join(locks, name), '{}');
    mkdirSync(join(locks, `prepare.${dead}.d`, 'repo'), { recursive: true });
    const kept = [`prepare.${alive}`, `prepare.${alive}.d`, 'prepare.x', `${dead}.lock`];
    for (const name of kept) writeFileSync(join(locks, name), '{}');
    prepareLocking(locks);
    expect(readdirSync(locks).toSorted()).toEqual(kept.toSorted());
  });
});

describe('destination lock', () => {
  let locks: string;
  let roots: { roots: string[] };
  beforeEach(() => {
    locks = join(base, 'locks');
    roots = { roots: [root] };
  });
  const lockFileOf = (path: string) => {
    const lock = lockDestination(locks, path, roots);
    const [file] = readdirSync(locks);
    lock.release();
    return join(locks, file!);
  };

  it('lets one holder in at a time and frees the place on release', () => {
    const first = lockDestination(locks, join(root, 'repo'), roots);
    expect(codeOf(() => lockDestination(locks, join(root, 'repo'), roots))).toBe('BUSY');
    expect(codeOf(() => lockDestination(locks, join(root, 'other'), roots).release())).toBe('accepted');
    first.release();
    lockDestination(locks, join(root, 'repo'), roots).release();
  });

  it('drops the journal of a complete clone at once (finish): a successor finds nothing to undo', () => {
    const dest = join(root, 'done');
    const lock = lockDestination(locks, dest, roots);
    mkdirSync(dest);
    lock.record({ path: dest, created: [{ path: dest, id: folderIdentity(dest)! }], existedEmpty: false, git: 999999999 });
    expect(readdirSync(locks)).toHaveLength(1);
    lock.finish();
    expect(readdirSync(locks)).toEqual([]);
    // Released too: the next holder gets in, and finding no journal removes nothing.
    lockDestination(locks, dest, roots).release();
    expect(existsSync(dest)).toBe(true);
  });

  it('takes over a lock file left by a process that is gone', () => {
    const file = lockFileOf(join(root, 'repo'));
    writeFileSync(file, '999999999');
    expect(codeOf(() => lockDestination(locks, join(root, 'repo'), roots).release())).toBe('accepted');
    writeFileSync(file, String(process.ppid));
    expect(codeOf(() => lockDestination(locks, join(root, 'repo'), roots))).toBe('BUSY');
  });

  it('takes over a lock whose pid runs but started at another time (the pid was reused), not one whose start time matches', () => {
    const file = lockFileOf(join(root, 'repo'));
    writeFileSync(file, JSON.stringify({ pid: process.pid, started: `linux:${bootId()}:1` }));
    expect(codeOf(() => lockDestination(locks, join(root, 'repo'), roots).release())).toBe('accepted');
    // A start time from another boot: the process that wrote it cannot run any more.
    writeFileSync(file, otherCompanion(join(root, 'repo')).replace(bootId(), '00000000-0000-0000-0000-000000000000'));
    expect(codeOf(() => lockDestination(locks, join(root, 'repo'), roots).release())).toBe('accepted');
    writeFileSync(file, otherCompanion(join(root, 'repo')));
    expect(codeOf(() => lockDestination(locks, join(root, 'repo'), roots))).toBe('BUSY');
  });

  it('refuses a clone into a folder inside, or around, one that another companion is cloning into', () => {
    const outer = join(root, 'a');
    const inner = join(root, 'a', 'b', 'c');
    writeFileSync(lockFileOf(outer), otherCompanion(outer));
    expect(codeOf(() => lockDestination(locks, inner, roots))).toBe('BUSY');
    expect(codeOf(() => lockDestination(locks, join(root, 'a', 'b'), roots))).toBe('BUSY');
    // Beside it is fine; and a refused clone leaves no lock of its own behind.
    lockDestination(locks, join(root, 'ab'), roots).release();
    expect(readdirSync(locks)).toHaveLength(1);
    rmSync(locks, { recursive: true });

    writeFileSync(lockFileOf(inner), otherCompanion(inner));
    expect(codeOf(() => lockDestination(locks, outer, roots))).toBe('BUSY');
    expect(codeOf(() => lockDestination(locks, root, roots))).toBe('BUSY');
    lockDestination(locks, join(root, 'a', 'x'), roots).release();
  });

  it('refuses nested clones within one process too', () => {
    const outer = lockDestination(locks, join(root, 'a'), roots);
    expect(codeOf(() => lockDestination(locks, join(root, 'a', 'b'), roots))).toBe('BUSY');
    outer.release();
    const inner = lockDestination(locks, join(root, 'a', 'b'), roots);
    expect(codeOf(() => lockDestination(locks, join(root, 'a'), roots))).toBe('BUSY');
    inner.release();
  });

  it('undoes a dead clone around the new destination before taking it, so a later sweep cannot remove the new clone', () => {
    const outer = join(root, 'a');
    mkdirSync(join(outer, '.git'), { recursive: true });
    const journal = { pid: 999999999, dest: outer, path: outer, created: [{ path: outer, id: folderIdentity(outer) }] };
    writeFileSync(lockFileOf(outer), JSON.stringify(journal));
    const inner = lockDestination(locks, join(outer, 'b'), roots);
    expect(existsSync(outer)).toBe(false);
    expect(readdirSync(locks)).toHaveLength(1);
    inner.release();
  });
});

describe('isInside', () => {
  it('tells a path below a folder from one beside or above it, names starting with two dots included', () => {
    expect(isInside('/home/ann/repo', '/home/ann/repo')).toBe(true);
    expect(isInside('/home/ann/repo', '/home/ann/repo/src/a.ts')).toBe(true);
    expect(isInside('/home/ann/repo', '/home/ann/repo/..config')).toBe(true);
    expect(isInside('/home/ann/repo', '/home/ann/repo/..')).toBe(false);
    expect(isInside('/home/ann/repo', '/home/ann/repo-other/a.ts')).toBe(false);
    expect(isInside('/home/ann/repo', '/home/ann')).toBe(false);
    expect(isInside('/home/ann/repo', '/etc/passwd')).toBe(false);
  });
});
