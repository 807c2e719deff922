/**
 * One clone per destination at a time, across every companion process (a browser starts one per
 * connection): an in-process set answers quickly, and a lock file created with O_EXCL in the
 * state folder settles races between processes.
 *
 * The lock file is also the clone's journal (clone-journal.ts). A lock left by a process that died
 * is taken over after undoing what that process made; `sweepStaleLocks` does the same for every
 * such lock when a companion starts. Taking over happens under a claim file (O_EXCL as well), so
 * two processes never undo or replace the same dead lock at once, and a live lock is never touched.
 * A lock's process counts as running only while its pid runs with the start time it recorded.
 * Locks also exclude each other across nesting: a clone into `a` and one into `a/b` never run at once.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { inspectLock, isProcessAlive, parseJournal, undoDeadClone, unlinkQuiet, writeJournal, type CloneJournal, type Undone } from './clone-journal';
import { isInside } from './destination';
import { HostError } from './host-error';
import { ownStartToken } from './process-start';

const held = new Set<string>();

export interface DestinationLock {
  /** Adds what the clone has made so far to its journal (best effort: the journal only matters after a crash). */
  record(progress: Omit<CloneJournal, 'pid' | 'started' | 'dest'>): void;
  /**
   * The clone is complete: releases the lock and with it the journal, so nothing of the clone is
   * undone after a crash (one unlink instead of recording `done` and unlinking later). Where the
   * file cannot be removed, the journal says `done` instead.
   */
  finish(): void;
  release(): void;
}

export interface LockOptions {
  /** The configured clone roots: a dead clone is undone only inside them. */
  roots: readonly string[];
  /** Told about folders a dead clone left that were not undone, and why. */
  onKept?: (path: string, reason: string) => void;
}

const lockKey = (path: string) => (process.platform === 'win32' || process.platform === 'darwin' ? path.toLowerCase() : path);
// The one-shot hash: its first use in a process costs less than a Hash object's (~0.2 against ~0.5 ms).
const lockName = (key: string) => hash('sha256', key, 'hex').slice(0, 32) + '.lock';

/**
 * Takes the lock of `path` (absolute and real), or throws BUSY while a clone into it, into a
 * folder inside it or into a folder it lies in runs in any companion process: a clone into `a`
 * would otherwise fail or be undone around a clone into `a/b`.
 */
export function lockDestination(locksDir: string, path: string, options: LockOptions): DestinationLock {
  const key = lockKey(path);
  if (held.has(key)) throw busy(path);
  mkdirSync(locksDir, { recursive: true, mode: 0o700 });
  const name = lockName(key);
  const file = join(locksDir, name);
  let journal: CloneJournal = { pid: process.pid, ...startedField(), dest: path };
  if (!tryCreate(file, journal)) {
    const taken = withClaim(file, () => {
      const state = inspectLock(file);
      if (state.kind === 'live') return false;
      if (state.kind === 'gone') return tryCreate(file, journal);
      if (state.journal) undoOrRefuse(state.journal, path, options);
      writeJournal(file, journal);
      return true;
    });
    if (!taken) throw busy(path);
  }
  // Our own lock exists before we look for others: of two clones that start at once into
  // folders inside one another, at least the later one sees the earlier.
  try {
    checkNested(locksDir, name, path, options);
  } catch (error) {
    unlinkQuiet(file);
    throw error;
  }
  held.add(key);
  let released = false;
  return {
    record(progress) {
      if (released) return;
      journal = { ...journal, ...progress };
      try {
        writeJournal(file, journal);
      } catch {
        // Without the journal only a crash would leave the folder behind; the clone itself goes on.
      }
    },
    finish() {
      if (released) return;
      try {
        unlinkSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.record({ done: true });
        this.release();
        return;
      }
      // Removed: no second unlink (its ENOENT is an exception, ~0.2 ms on the user's wait).
      released = true;
      held.delete(key);
    },
    release() {
      if (released) return;
      released = true;
      held.delete(key);
      unlinkQuiet(file);
    },
  };
}

/**
 * What the first lock of a process would pay for once, paid when the host starts serving
 * (serve.ts) instead of between a clone request and its git: this process's start token (two
 * reads in /proc), OpenSSL's first fetch of SHA-256 (~0.7 ms in the host), and Node's first call
 * of each file function a lock makes (0.1–0.4 ms more than later calls, BENCHMARKS.md), made on
 * a scratch file that no sweep reads (its name does not end in .lock) and removed again. What a
 * companion that died during these warm-ups left (`prepare.PID…`, here and in prepareCloning) is
 * removed first.
 */
export function prepareLocking(locksDir: string): void {
  ownStartToken();
  lockName('');
  const scratch = join(locksDir, `prepare.${process.pid}`);
  try {
    mkdirSync(locksDir, { recursive: true, mode: 0o700 });
    tryCreate(scratch, { pid: process.pid });
    writeJournal(scratch, { pid: process.pid });
    readSettled(scratch);
    sweepScratch(locksDir);
  } catch {
    // Only a warm-up: the lock itself reports what fails.
  } finally {
    unlinkQuiet(scratch);
  }
}

/** Scratch files and folders of warm-ups whose process no longer runs (a pid reused since keeps them). */
function sweepScratch(locksDir: string): void {
  for (const name of readdirSync(locksDir)) {
    const pid = Number(/^prepare\.(\d+)(?:\.|$)/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isProcessAlive(pid)) continue;
    rmSync(join(locksDir, name), { recursive: true, force: true });
  }
}

function startedField(): { started?: string } {
  const started = ownStartToken();
  return started === undefined ? {} : { started };
}

/** Undoes a dead clone, or throws DEST_EXISTS when what it left could not be removed. */
function undoOrRefuse(journal: CloneJournal, path: string, options: LockOptions): void {
  const undone = undoDeadClone(journal, options.roots);
  report(undone, options);
  if (!undone.removed) {
    throw new HostError('DEST_EXISTS', `${journal.path ?? path} holds what a clone that stopped unexpectedly left, and it could not be removed`, { path: journal.path ?? path });
  }
}

function report(undone: Undone, options: LockOptions): void {
  for (const kept of undone.kept) options.onKept?.(kept.path, kept.reason);
}

/**
 * BUSY when another lock is for a folder around `path` or inside it and its process runs; such a
 * lock whose process died is undone first (as the sweep would), so that the new clone is never
 * inside, or around, what a later undo removes. Ancestors are found by name (even locks of older
 * companions, which recorded no destination); folders inside by the destination each lock records.
 */
function checkNested(locksDir: string, ownName: string, path: string, options: LockOptions): void {
  const ancestors = new Set<string>();
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    ancestors.add(lockName(lockKey(dir)));
    if (dirname(dir) === dir) break;
  }
  const key = lockKey(path);
  for (const name of readdirSync(locksDir)) {
    if (name === ownName || !name.endsWith('.lock')) continue;
    const file = join(locksDir, name);
    const isAncestor = ancestors.has(name);
    const text = readSettled(file);
    if (text === undefined) continue;
    if (text === '') {
      // Another clone's lock, created a moment ago and not yet written: it may be nested.
      throw busy(path);
    }
    const other = parseJournal(text);
    const dest = other?.dest ?? other?.path;
    if (!isAncestor && (dest === undefined || !isInside(key, lockKey(dest)))) continue;
    const live =
      withClaim(file, () => {
        const state = inspectLock(file);
        if (state.kind !== 'dead') return state.kind === 'live';
        if (state.journal) undoOrRefuse(state.journal, path, options);
        unlinkQuiet(file);
        return false;
      }) ?? true;
    if (live) throw busy(path);
  }
}

/** A lock file's text, waiting briefly while it is empty (created, about to be written); undefined when gone. */
function readSettled(file: string): string | undefined {
  for (let attempt = 0; ; attempt++) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    if (text.trim() !== '') return text;
    const age = Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    // Left empty by a process that died while creating it: nobody's lock.
    if (age > 10_000) return undefined;
    if (attempt === 5) return '';
    sleepSync(10);
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface SweptClone {
  /** The clone folder the dead process was writing, when it had got that far. */
  path?: string;
  /** Everything it made is gone (false: something could not be removed; its journal stays). */
  removed: boolean;
  /** Folders left on purpose, and why. */
  kept: { path: string; reason: string }[];
}

/**
 * Undoes the clones of companion processes that died while cloning (run at start, before any
 * request), inside `roots` only. Locks of running processes are left alone.
 */
export function sweepStaleLocks(locksDir: string, roots: readonly string[]): SweptClone[] {
  let names: string[];
  try {
    names = readdirSync(locksDir);
  } catch {
    return [];
  }
  const swept: SweptClone[] = [];
  for (const name of names) {
    const file = join(locksDir, name);
    const temp = /\.lock\.(\d+)\.tmp$/.exec(name);
    if (temp) {
      // A journal update cut short by its writer's death.
      if (!isProcessAlive(Number(temp[1]))) unlinkQuiet(file);
      continue;
    }
    if (!name.endsWith('.lock')) continue;
    withClaim(file, () => {
      const state = inspectLock(file);
      if (state.kind !== 'dead') return;
      const undone = state.journal ? undoDeadClone(state.journal, roots) : { removed: true, kept: [] };
      if (undone.removed) unlinkQuiet(file);
      if (state.journal?.path !== undefined && !state.journal.done) swept.push({ path: state.journal.path, ...undone });
    });
  }
  return swept;
}

/** Runs `work` while holding `{file}.claim`; undefined when another live process holds it. */
function withClaim<T>(file: string, work: () => T): T | undefined {
  const claim = `${file}.claim`;
  const mine = { pid: process.pid, ...startedField() };
  if (!tryCreate(claim, mine)) {
    if (inspectLock(claim).kind === 'live') return undefined;
    // Left by a process that died while taking a lock over.
    unlinkQuiet(claim);
    if (!tryCreate(claim, mine)) return undefined;
  }
  try {
    return work();
  } finally {
    unlinkQuiet(claim);
  }
}

function busy(path: string): HostError {
  return new HostError('BUSY', `another clone into ${path} or a folder around or inside it is in progress`, { path });
}

function tryCreate(file: string, journal: CloneJournal): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(journal));
  } finally {
    closeSync(fd);
  }
  return true;
}
