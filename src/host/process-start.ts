/**
 * When a process started, as a token written next to its pid in lock files: a pid alone is reused
 * by the system once its process is gone, so "a process with this pid runs" does not prove that
 * the process that wrote the lock still runs.
 *
 * Linux: `linux:{boot id}:{starttime}` from /proc (clock ticks since boot, field 22 of
 * /proc/PID/stat), compared exactly. Elsewhere: `ms:{epoch milliseconds}`; a process's own token
 * comes from Node's start time (no program is started on the clone path), another's from
 * `ps -o lstart=` (macOS and other POSIX) or the process's CreationDate (Windows), which must not be
 * later than the recorded time (plus rounding): a process that reused the pid started after the
 * recorded one had written its lock.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** ps shows whole seconds; Node's start time is a little after the process was created. */
const ROUNDING_MS = 1000;

let own: string | undefined | null = null;

/** This process's start token (computed once). */
export function ownStartToken(): string | undefined {
  if (own === null) own = process.platform === 'linux' ? linuxToken(process.pid) : `ms:${Math.floor(performance.timeOrigin)}`;
  return own;
}

/**
 * Whether the process now running under `pid` is the one that recorded `token`. Undefined when
 * that cannot be told (no token, an unknown form, the system would not say): callers then go by
 * the pid alone, as before start times were recorded.
 */
export function isSameProcess(pid: number, token: string | undefined, platform: NodeJS.Platform = process.platform): boolean | undefined {
  if (token === undefined) return undefined;
  if (token.startsWith('linux:')) {
    if (platform !== 'linux') return undefined;
    const now = linuxToken(pid);
    return now === undefined ? undefined : now === token;
  }
  const recorded = /^ms:(\d{1,16})$/.exec(token);
  if (!recorded) return undefined;
  const started = platform === 'win32' ? windowsStart(pid) : platform === 'linux' ? undefined : psStart(pid);
  return started === undefined ? undefined : started <= Number(recorded[1]) + ROUNDING_MS;
}

/** The starttime field (22) of /proc/PID/stat; the command name in field 2 may hold spaces and ")". */
export function parseProcStat(text: string): string | undefined {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // The rest starts at field 3 (state).
  const start = fields[22 - 3];
  return start !== undefined && /^\d+$/.test(start) ? start : undefined;
}

let bootId: string | undefined;

function linuxToken(pid: number): string | undefined {
  try {
    bootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const start = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return start === undefined ? undefined : `linux:${bootId}:${start}`;
  } catch {
    return undefined;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `ps -o lstart=` in the C locale: `Fri Dec  4 05:44:35 2026`, local time. */
export function parsePsLstart(text: string): number | undefined {
  const match = /^[A-Z][a-z]{2}\s+([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\d{4})$/.exec(text.trim());
  const month = match ? MONTHS.indexOf(match[1]!) : -1;
  if (!match || month < 0) return undefined;
  const [day, hours, minutes, seconds, year] = match.slice(2).map(Number) as [number, number, number, number, number];
  return new Date(year, month, day, hours, minutes, seconds).getTime();
}

/**
 * What the Windows commands print: epoch milliseconds (PowerShell), or a WMI date
 * (`CreationDate=20261204054435.123456+060`: local time, then the offset from UTC in minutes).
 */
export function parseWindowsStart(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d{1,16}$/.test(trimmed)) return Number(trimmed);
  const wmi = /(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.(\d{3})\d*([+-])(\d{1,4})/.exec(trimmed);
  if (!wmi) return undefined;
  const [year, month, day, hours, minutes, seconds, ms] = wmi.slice(1, 8).map(Number) as [number, number, number, number, number, number, number];
  const offset = Number(wmi[9]) * (wmi[8] === '-' ? -1 : 1);
  return Date.UTC(year, month - 1, day, hours, minutes, seconds, ms) - offset * 60_000;
}

function psStart(pid: number): number | undefined {
  const ps = spawnSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 5000, env: { ...process.env, LC_ALL: 'C' } });
  return ps.status === 0 ? parsePsLstart(ps.stdout) : undefined;
}

function windowsStart(pid: number): number | undefined {
  const script = `([DateTimeOffset](Get-CimInstance Win32_Process -Filter 'ProcessId=${pid}').CreationDate).ToUnixTimeMilliseconds()`;
  const ps = spawnSync('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], { encoding: 'utf8', timeout: 15_000, windowsHide: true });
  const fromPowerShell = ps.status === 0 ? parseWindowsStart(ps.stdout) : undefined;
  if (fromPowerShell !== undefined) return fromPowerShell;
  // Older systems without CIM cmdlets still have wmic.
  const wmic = spawnSync('wmic', ['process', 'where', `ProcessId=${pid}`, 'get', 'CreationDate', '/value'], { encoding: 'utf8', timeout: 15_000, windowsHide: true });
  return wmic.status === 0 ? parseWindowsStart(wmic.stdout) : undefined;
}
