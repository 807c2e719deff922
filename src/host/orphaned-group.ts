/**
 * Stops a git left running by a companion that was killed. git runs in a process group of its own
 * (see run-program.ts), so killing the dead companion did not stop it, and it may still be writing
 * into the folder that is about to be removed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export function stopOrphanedGroup(pgid: number, platform: NodeJS.Platform = process.platform): void {
  // On Windows git is not in a group of its own and a pid alone is too weak a proof of identity to kill.
  if (platform === 'win32' || !groupExists(pgid)) return;
  // While the group's leader lives under this id it must be git: a process id can be reused, a
  // group id cannot while any member of the old group remains.
  const leader = commandName(pgid, platform);
  if (leader !== undefined && !basename(leader).startsWith('git')) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    return;
  }
  const until = Date.now() + 1000;
  while (groupExists(pgid) && Date.now() < until) sleepSync(20);
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The program name of a running process, or undefined when there is none with this id. */
function commandName(pid: number, platform: NodeJS.Platform): string | undefined {
  if (platform === 'linux') {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return undefined;
    }
  }
  const ps = spawnSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8', timeout: 5000 });
  const name = ps.status === 0 ? ps.stdout.trim() : '';
  return name === '' ? undefined : name;
}

/** The lock is taken synchronously, so waiting for the group to go must be synchronous too. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
