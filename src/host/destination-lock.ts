/**
 * One clone per destination at a time, across every companion process (a browser starts one per
 * connection): an in-process set answers quickly, and a lock file created with O_EXCL in the
 * state folder settles races between processes. A lock left by a process that died is taken over.
 */
import { mkdirSync, openSync, closeSync, writeSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { HostError } from './host-error';

const held = new Set<string>();

export interface DestinationLock {
  release(): void;
}

const lockKey = (path: string) => (process.platform === 'win32' || process.platform === 'darwin' ? path.toLowerCase() : path);

export function lockDestination(locksDir: string, path: string): DestinationLock {
  const key = lockKey(path);
  if (held.has(key)) throw busy(path);
  mkdirSync(locksDir, { recursive: true, mode: 0o700 });
  const file = join(locksDir, createHash('sha256').update(key).digest('hex').slice(0, 32) + '.lock');
  if (!tryCreate(file)) {
    if (!isStale(file)) throw busy(path);
    try {
      unlinkSync(file);
    } catch {
      // Another process took it over first; the create below decides.
    }
    if (!tryCreate(file)) throw busy(path);
  }
  held.add(key);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      held.delete(key);
      try {
        unlinkSync(file);
      } catch {
        // Already gone.
      }
    },
  };
}

function busy(path: string): HostError {
  return new HostError('BUSY', `another clone into ${path} is in progress`, { path });
}

function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  writeSync(fd, String(process.pid));
  closeSync(fd);
  return true;
}

function isStale(file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return true;
  }
  // An empty lock is being written right now, unless its writer died long ago.
  if (text === '') return Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 10_000;
  const pid = Number(text);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
