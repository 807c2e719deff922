import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ALIVE_EVERY_MS, MAX_FRAME_TO_BROWSER } from '../../src/shared/host-protocol';
import { companionDirs } from '../../src/host/companion-dirs';
import { decodeAll, encodeFrame } from '../../src/host/frame-codec';
import type { HostContext, RequestScope } from '../../src/host/host-context';
import { fileLogger } from '../../src/host/log';
import { Redactor } from '../../src/host/redact';
import { IDLE_MS, Session } from '../../src/host/session';

let dir: string;
let ctx: HostContext;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'host-session-'));
  const dirs = companionDirs('linux', { ADO_COMPANION_HOME: dir }, dir);
  const redactor = new Redactor();
  ctx = { dirs, home: dir, env: {}, platform: 'linux', log: fileLogger(join(dirs.logs, 'companion.log'), redactor), redactor, config: () => ({ cloneRoots: [], allowedHosts: [] }), gitVersion: () => Promise.resolve('2.39.5') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(handler: ConstructorParameters<typeof Session>[2]) {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  const session = new Session(ctx, output, handler);
  return { session, messages: () => decodeAll(Buffer.concat(chunks)) as Array<Record<string, unknown>> };
}

const frame = (message: unknown) => encodeFrame(message, 1 << 20)!;

describe('session', () => {
  it('replaces an answer above 1 MiB with RESPONSE_TOO_LARGE', async () => {
    const { session, messages } = run(async () => ({ blob: 'x'.repeat(MAX_FRAME_TO_BROWSER) }));
    session.push(frame({ id: 'big', type: 'localClones' }));
    await session.settle();
    expect(messages()).toEqual([{ id: 'big', ok: false, error: { code: 'RESPONSE_TOO_LARGE', message: expect.any(String) } }]);
  });

  it('cancel aborts the target’s signal; the end of input aborts everything', async () => {
    const signals: AbortSignal[] = [];
    const { session, messages } = run(
      (_request, _ctx, scope: RequestScope) =>
        new Promise((resolve) => {
          signals.push(scope.signal);
          scope.signal.addEventListener('abort', () => resolve({ stopped: true }));
        }),
    );
    session.push(Buffer.concat([frame({ id: 'a', type: 'localClones' }), frame({ id: 'b', type: 'localClones' })]));
    await Promise.resolve();
    await Promise.resolve();
    session.push(frame({ id: 'c', type: 'cancel', target: 'a' }));
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
    session.end();
    await session.settle();
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
    expect(messages()).toEqual([
      { id: 'c', ok: true, data: { cancelled: true } },
      { id: 'a', ok: true, data: { stopped: true } },
      { id: 'b', ok: true, data: { stopped: true } },
    ]);
  });

  it('runs after-answer work right after the answer is written, not for a failed request, and logs its failures', async () => {
    const seen: string[] = [];
    const { session, messages } = run(async (request, _ctx, scope: RequestScope) => {
      scope.afterAnswer(() => seen.push(`${scope.id} after ${messages().map((m) => m.id).join(',')}`));
      if (request.type === 'localClones') throw new Error('failed');
      if (scope.id === 'c') scope.afterAnswer(() => {
        throw new Error('bookkeeping failed');
      });
      return { answered: scope.id };
    });
    session.push(frame({ id: 'a', type: 'hello' }));
    session.push(frame({ id: 'b', type: 'localClones' }));
    await session.settle();
    session.push(frame({ id: 'c', type: 'hello' }));
    await session.settle();
    // The work of `c` that threw is logged; the answers stand.
    expect(seen).toEqual(['a after a', 'c after a,b,c']);
    expect(messages().map((m) => [m.id, m.ok])).toEqual([['a', true], ['b', false], ['c', true]]);
    expect(readFileSync(ctx.log.file, 'utf8')).toContain('c after answering: bookkeeping failed');
  });

  it('turns unexpected exceptions into INTERNAL errors with secrets masked', async () => {
    ctx.redactor.addSecret('top-secret-token');
    const { session, messages } = run(async () => {
      throw new Error('boom with top-secret-token inside');
    });
    session.push(frame({ id: 'x', type: 'hello' }));
    await session.settle();
    const [answer] = messages();
    expect(answer).toMatchObject({ id: 'x', ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(answer)).not.toContain('top-secret-token');
  });
});

/** The errors `count` requests get from `handler`. */
async function answers(handler: () => Promise<unknown>, count: number) {
  const { session, messages } = run(handler);
  for (let i = 0; i < count; i++) session.push(frame({ id: `r${i}`, type: 'localClones' }));
  await session.settle();
  return messages().map((m) => m.error);
}

const refused = (code: string, path: string) => Object.assign(new Error(`${code}: ..., mkdir '${path}'`), { code, path, syscall: 'mkdir' });

describe('what the file system refuses the companion', () => {
  it('is CANNOT_WRITE in words that name the place and the cause, not INTERNAL', async () => {
    const errors = [refused('EACCES', '/r/org'), refused('EROFS', '/r/org'), refused('EDQUOT', '/c/locks/x.lock')];
    expect(await answers(async () => Promise.reject(errors.shift()), 3)).toEqual([
      { code: 'CANNOT_WRITE', message: 'The companion was refused /r/org: permission denied.' },
      { code: 'CANNOT_WRITE', message: 'The companion could not write /r/org: the disk is read-only.' },
      { code: 'CANNOT_WRITE', message: 'The companion could not write /c/locks/x.lock: the disk quota is used up.' },
    ]);
  });

  it('never blames on writing a program that could not be started', async () => {
    const spawnRefused = Object.assign(new Error('spawn /usr/bin/git EACCES'), { code: 'EACCES', path: '/usr/bin/git', syscall: 'spawn /usr/bin/git' });
    expect(await answers(async () => Promise.reject(spawnRefused), 1)).toEqual([{ code: 'INTERNAL', message: 'unexpected error: spawn /usr/bin/git EACCES' }]);
  });

  // Linux's /dev/full answers every write with ENOSPC.
  it.runIf(existsSync('/dev/full'))('a real full disk says so', async () => {
    expect(await answers(async () => writeFileSync('/dev/full', 'x'), 1)).toEqual([{ code: 'CANNOT_WRITE', message: 'The companion could not write a file it needs: the disk is full.' }]);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('session idleness (work that blocks the host waits for it)', () => {
  it('runs onIdle once no request has run for IDLE_MS, never while one runs or between requests that come back to back', async () => {
    const idle: number[] = [];
    const output = new PassThrough();
    output.resume();
    let finish: (() => void) | undefined;
    const session = new Session(ctx, output, () => new Promise((resolve) => (finish = () => resolve({}))), () => idle.push(Date.now()));
    session.push(frame({ id: 'a', type: 'localClones' }));
    await sleep(IDLE_MS * 2);
    expect(idle).toEqual([]);
    finish!();
    await session.settle();
    // Another request before the wait is over starts it again.
    await sleep(IDLE_MS / 2);
    session.push(frame({ id: 'b', type: 'localClones' }));
    await Promise.resolve();
    finish!();
    await session.settle();
    const answered = Date.now();
    await sleep(IDLE_MS * 2);
    expect(idle).toHaveLength(1);
    expect(idle[0]! - answered).toBeGreaterThanOrEqual(IDLE_MS - 5);
  });
});

describe('signs of life', () => {
  it('are sent for long work every ALIVE_EVERY_MS in which nothing else was sent for it, and stop with it; a fast clone and short requests get none', async () => {
    vi.useFakeTimers();
    try {
      const finish = new Map<string, () => void>();
      const progress = new Map<string, RequestScope['progress']>();
      const { session, messages } = run((_request, _ctx, scope: RequestScope) => {
        progress.set(scope.id, scope.progress);
        return new Promise((resolve) => finish.set(scope.id, () => resolve({})));
      });
      const of = (id: string) => messages().filter((m) => m.id === id).map((m) => m.event ?? (m.ok ? 'answer' : 'error'));
      session.push(Buffer.concat([frame({ id: 'slow', type: 'fetch', path: '/r', remote: 'origin' }), frame({ id: 'list', type: 'localClones' })]));
      session.push(frame({ id: 'fast', type: 'clone', url: 'https://dev.azure.com/o/p/_git/r', root: '/r', folder: 'r' }));
      await vi.advanceTimersByTimeAsync(300);
      finish.get('fast')!();
      await vi.advanceTimersByTimeAsync(ALIVE_EVERY_MS - 300);
      expect(of('slow')).toEqual(['alive']);
      // Progress in an interval counts as a sign: none for it, the next one after a quiet interval.
      await vi.advanceTimersByTimeAsync(ALIVE_EVERY_MS / 2);
      progress.get('slow')!({ phase: 'receiving', percent: 10 });
      await vi.advanceTimersByTimeAsync(ALIVE_EVERY_MS / 2);
      expect(of('slow')).toEqual(['alive', 'progress']);
      await vi.advanceTimersByTimeAsync(ALIVE_EVERY_MS);
      expect(of('slow')).toEqual(['alive', 'progress', 'alive']);
      finish.get('slow')!();
      finish.get('list')!();
      await vi.advanceTimersByTimeAsync(ALIVE_EVERY_MS * 3);
      expect(of('slow')).toEqual(['alive', 'progress', 'alive', 'answer']);
      expect(of('fast')).toEqual(['answer']);
      expect(of('list')).toEqual(['answer']);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
