/**
 * One clone per destination at a time, across every companion process (a browser starts one per
 * connection): an in-process set answers quickly, and a lock file created with O_EXCL in the
 * state folder settles races between processes.
 *
 * The lock file is also the clone's journal (clone-journal.ts). A lock left by a process that died
 * is taken over after undoing what that process made; `sweepStaleLocks` does the same for every
 * such lock when a companion starts. Taking over happens under a claim file (O_EXCL as well), so
 * two processes never undo or replace the same dead lock at once, and a live lock is never touched.
 */
import { closeSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { inspectLock, isProcessAlive, undoDeadClone, unlinkQuiet, writeJournal, type CloneJournal } from './clone-journal';
import { HostError } from './host-error';

const held = new Set<string>();

export interface DestinationLock {
  /** Adds what the clone has made so far to its journal (best effort: the journal only matters after a crash). */
  record(progress: Omit<CloneJournal, 'pid'>): void;
  release(): void;
}

const lockKey = (path: string) => (process.platform === 'win32' || process.platform === 'darwin' ? path.toLowerCase() : path);

export function lockDestination(locksDir: string, path: string): DestinationLock {
  const key = lockKey(path);
  if (held.has(key)) throw busy(path);
  mkdirSync(locksDir, { recursive: true, mode: 0o700 });
  const file = join(locksDir, createHash('sha256').update(key).digest('hex').slice(0, 32) + '.lock');
  let journal: CloneJournal = { pid: process.pid };
  if (!tryCreate(file, journal)) {
    const taken = withClaim(file, () => {
      const state = inspectLock(file);
      if (state.kind === 'live') return false;
      if (state.kind === 'gone') return tryCreate(file, journal);
      if (state.journal && !undoDeadClone(state.journal)) {
        throw new HostError('DEST_EXISTS', `${path} holds what a clone that stopped unexpectedly left, and it could not be removed`, { path });
      }
      writeJournal(file, journal);
      return true;
    });
    if (!taken) throw busy(path);
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
    release() {
      if (released) return;
      released = true;
      held.delete(key);
      unlinkQuiet(file);
    },
  };
}

export interface SweptClone {
  /** The clone folder the dead process was writing, when it had got that far. */
  path?: string;
  /** Everything it made is gone (false: something could not be removed; its journal stays). */
  removed: boolean;
}

/**
 * Undoes the clones of companion processes that died while cloning (run at start, before any
 * request). Locks of running processes are left alone.
 */
export function sweepStaleLocks(locksDir: string): SweptClone[] {
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
      const removed = state.journal ? undoDeadClone(state.journal) : true;
      if (removed) unlinkQuiet(file);
      if (state.journal?.path !== undefined && !state.journal.done) swept.push({ path: state.journal.path, removed });
    });
  }
  return swept;
}

/** Runs `work` while holding `{file}.claim`; undefined when another live process holds it. */
function withClaim<T>(file: string, work: () => T): T | undefined {
  const claim = `${file}.claim`;
  if (!tryCreate(claim, { pid: process.pid })) {
    if (inspectLock(claim).kind === 'live') return undefined;
    // Left by a process that died while taking a lock over.
    unlinkQuiet(claim);
    if (!tryCreate(claim, { pid: process.pid })) return undefined;
  }
  try {
    return work();
  } finally {
    unlinkQuiet(claim);
  }
}

function busy(path: string): HostError {
  return new HostError('BUSY', `another clone into ${path} is in progress`, { path });
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
