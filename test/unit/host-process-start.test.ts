import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isSameProcess, ownStartToken, parseProcStat, parsePsLstart, parseWindowsStart } from '../../src/host/process-start';

describe('process start times', () => {
  it('reads field 22 of /proc/PID/stat, whatever the command name holds', () => {
    const rest = 'S 1 2 3 0 -1 4194304 114 0 0 0 0 0 0 0 20 0 1 0 56169 3133440 392';
    expect(parseProcStat(`12183 (cat) ${rest}`)).toBe('56169');
    expect(parseProcStat(`12183 (a b) c) 9 (x) ${rest}`)).toBe('56169');
    expect(parseProcStat('12183 (cat) S 1')).toBeUndefined();
    expect(parseProcStat('')).toBeUndefined();
  });

  it('reads ps lstart (local time, the C locale)', () => {
    expect(parsePsLstart('Fri Dec  4 05:44:35 2026\n')).toBe(new Date(2026, 11, 4, 5, 44, 35).getTime());
    expect(parsePsLstart('Mon Jan 12 23:01:02 2026')).toBe(new Date(2026, 0, 12, 23, 1, 2).getTime());
    expect(parsePsLstart('Fri Foo  4 05:44:35 2026')).toBeUndefined();
    expect(parsePsLstart('')).toBeUndefined();
  });

  it('reads what PowerShell and wmic print on Windows', () => {
    expect(parseWindowsStart('1796363167961\r\n')).toBe(1796363167961);
    // 05:44:35.123 at UTC+01:00 is 04:44:35.123 UTC.
    expect(parseWindowsStart('\r\n\r\nCreationDate=20261204054435.123456+060\r\n')).toBe(Date.UTC(2026, 11, 4, 4, 44, 35, 123));
    expect(parseWindowsStart('CreationDate=20261204054435.123456-300')).toBe(Date.UTC(2026, 11, 4, 10, 44, 35, 123));
    expect(parseWindowsStart('Access denied')).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('tells a running process from one that reused its pid (Linux, from /proc)', () => {
    const own = ownStartToken()!;
    expect(own).toMatch(/^linux:[0-9a-f-]{36}:\d+$/);
    expect(isSameProcess(process.pid, own)).toBe(true);
    expect(isSameProcess(process.pid, own.replace(/:\d+$/, ':1'))).toBe(false);
    expect(isSameProcess(process.ppid, own)).toBe(false);
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    expect(isSameProcess(process.pid, own.replace(bootId, '00000000-0000-0000-0000-000000000000'))).toBe(false);
    // Nothing to compare with: the pid alone decides, as before.
    expect(isSameProcess(process.pid, undefined)).toBeUndefined();
    expect(isSameProcess(process.pid, 'other:1')).toBeUndefined();
  });

  it.runIf(process.platform !== 'win32' && spawnSync('ps', ['-o', 'lstart=', '-p', String(process.pid)]).status === 0)(
    'compares epoch start times through ps, as on macOS',
    async () => {
      const child = spawn('sleep', ['30'], { stdio: 'ignore' });
      try {
        await new Promise((resolve) => child.once('spawn', resolve));
        const now = Date.now();
        // Recorded just after it started (as Node's own start time is): the same process.
        expect(isSameProcess(child.pid!, `ms:${now}`, 'darwin')).toBe(true);
        // Recorded well before it started: the pid now belongs to a later process.
        expect(isSameProcess(child.pid!, `ms:${now - 60_000}`, 'darwin')).toBe(false);
      } finally {
        child.kill('SIGKILL');
      }
    },
  );
});
