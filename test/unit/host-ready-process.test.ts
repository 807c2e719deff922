/**
 * The ready process (ready-process.ts): a real /bin/sh started ahead, made into a real program.
 * The program here is node, which prints what it was given, so the test sees exactly the argument
 * vector and environment that arrived.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ReadyProcess } from '../../src/host/ready-process';
import { runProgram } from '../../src/host/run-program';

const PRINT = 'process.stdout.write(JSON.stringify({ argv: process.argv.slice(1), x: process.env.GIT_X, y: process.env.GIT_Y, base: process.env.BASE, pid: process.pid }))';
const base = { PATH: process.env.PATH, BASE: 'from the start' };
let ready: ReadyProcess | undefined;
afterEach(() => ready?.close());

/** Waits until `done()` holds, checking every few ms. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(done()).toBe(true);
}

const onLinux = process.platform === 'linux';

describe.runIf(onLinux)('a ready process', () => {
  it('becomes the program in its own place, with exactly the arguments and variables sent, none of them interpreted', async () => {
    ready = new ReadyProcess(process.execPath, base);
    ready.prepare();
    const pid = ready.pid!;
    // Its only arguments are the shell's own: the fixed script.
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, 2)).toEqual(['/bin/sh', '-c']);
    const args = ['$(touch /tmp/ready-pwned)', '`id`', '"quoted"', "it's", '*', '  spaced  ', '', '-n', 'ünïcode', '\\', '$HOME', 'a=b'];
    const result = await runProgram('node', ['-e', PRINT, ...args], { env: { ...base, GIT_X: '$(id) "x" `y`', GIT_Y: '' }, ready });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ argv: args, x: '$(id) "x" `y`', y: '', base: 'from the start', pid });
  });

  it('is used once: the next run spawns as usual until prepare starts another', async () => {
    ready = new ReadyProcess(process.execPath, base);
    ready.prepare();
    const pid = ready.pid;
    const first = await runProgram('node', ['-e', PRINT], { env: base, ready });
    const second = await runProgram('node', ['-e', PRINT], { env: base, ready });
    expect(JSON.parse(first.stdout).pid).toBe(pid);
    expect(JSON.parse(second.stdout).pid).not.toBe(pid);
    ready.prepare();
    expect(ready.pid).not.toBe(pid);
    expect(ready.pid).toBeGreaterThan(0);
  });

  it('is not sent what it cannot carry as given: a line break, a variable not of git, one the run removes; it keeps waiting', () => {
    ready = new ReadyProcess(process.execPath, base);
    ready.prepare();
    const pid = ready.pid;
    expect(ready.take(['-e', 'one\ntwo'], base)).toBeUndefined();
    expect(ready.take([], { ...base, GIT_X: 'a\nb' })).toBeUndefined();
    expect(ready.take([], { ...base, NODE_OPTIONS: '--inspect' })).toBeUndefined();
    expect(ready.take([], { PATH: base.PATH })).toBeUndefined();
    expect(ready.take(['-e', '0'], base)?.pid).toBe(pid);
  });

  it('is not started where the environment could make the shell trace its commands or run code', () => {
    for (const name of ['SHELLOPTS', 'BASH_ENV', 'ENV', 'PS4', 'BASHOPTS']) {
      const r = new ReadyProcess(process.execPath, { ...base, [name]: 'xtrace' });
      r.prepare();
      expect([name, r.take(['-e', '0'], { ...base, [name]: 'xtrace' })]).toEqual([name, undefined]);
    }
  });

  it('a waiting shell that died is not used, and one ends by itself once its input does', async () => {
    ready = new ReadyProcess(process.execPath, base);
    ready.prepare();
    process.kill(ready.pid!, 'SIGKILL');
    await until(() => ready!.pid === undefined);
    expect(ready.take(['-e', '0'], base)).toBeUndefined();
    ready.prepare();
    const pid = ready.pid!;
    ready.close();
    await until(() => !existsSync(`/proc/${pid}`));
  });
});
