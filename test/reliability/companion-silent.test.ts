/**
 * A companion that stops (SIGSTOP; in life its thread stuck on a frozen network drive) while a
 * clone runs, which has no answer limit: the real companion sends signs of life while the clone
 * waits for the server, so the extension's bridge (src/background/companion.ts, its silence limit
 * shortened) keeps waiting as long as it lives, and ends the clone with `hung` and Try again once
 * it is silent, instead of "Cloning…" forever. And Cancel reaches the companion that runs a clone
 * after a hung request made the bridge start another one for new requests.
 * The real host bundle over pipes, as the browser runs it; the bridge in Node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox as AdoSandbox } from '../../sandbox/index';
import { ANSWER_WITHIN_MS, createCompanion, type CompanionError, type NativePort } from '../../src/background/companion';
import { FrameDecoder, encodeFrame } from '../../src/host/frame-codec';
import { explainCloneFailure, failureActions } from '../../src/shared/clone-failure';
import { CALLER, hostBundle, makeSandbox, removeBuilds, type Sandbox } from '../integration/host-harness';
import { gitProcesses, waitUntil } from './harness';

let ado: AdoSandbox;
let sandbox: Sandbox;
const hosts: ChildProcess[] = [];
const frames: { id?: string; event?: string }[] = [];

/** Starts the real companion per connection, as the browser does; closing the port ends it (a stopped one is killed). */
async function nativeConnect(): Promise<() => NativePort> {
  const bundle = await hostBundle();
  return () => {
    const child = spawn(process.execPath, [bundle, CALLER], { env: sandbox.env, stdio: ['pipe', 'pipe', 'ignore'] });
    hosts.push(child);
    const decoder = new FrameDecoder(1 << 20);
    const onMessage: ((m: unknown) => void)[] = [];
    const onDisconnect: ((port?: { error?: { message?: string } }) => void)[] = [];
    let closed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      for (const item of decoder.push(chunk)) {
        if (item.kind !== 'frame') continue;
        const message = JSON.parse(item.payload.toString('utf8')) as { id?: string; event?: string };
        frames.push(message);
        for (const cb of onMessage) cb(message);
      }
    });
    child.stdin.on('error', () => undefined);
    child.on('exit', () => {
      if (!closed) for (const cb of onDisconnect) cb({ error: { message: 'Native host has exited.' } });
    });
    return {
      postMessage: (m) => void child.stdin.write(encodeFrame(m, 1 << 20)),
      disconnect() {
        closed = true;
        child.stdin.end();
        child.kill('SIGKILL');
      },
      onMessage: { addListener: (cb) => void onMessage.push(cb) },
      onDisconnect: { addListener: (cb) => void onDisconnect.push(cb) },
    };
  };
}

const clone = (folder: string) =>
  ({ type: 'clone', url: 'https://dev.azure.com/fabrikam/Platform/_git/Platform', root: sandbox.roots, folder, auth: { kind: 'pat', token: ado.pats.fabrikam! } }) as const;

/** The server holds the clone's pack back long enough for everything below. */
async function holdPack(): Promise<void> {
  ado.services.faults.add({ match: { method: 'POST', pathRegex: 'git-upload-pack$' }, latencyMs: 60_000, times: 1 });
}

const settled = <T>(p: Promise<T>) => p.then((value) => ({ value }), (error: CompanionError) => ({ error }));
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), ms))]);

beforeAll(async () => {
  ado = await startSandbox({ quiet: true });
  sandbox = makeSandbox({ GIT_CONFIG_GLOBAL: ado.gitConfig });
});
afterAll(async () => {
  for (const host of hosts) host.kill('SIGKILL');
  // A clone left to the server's held-back pack.
  for (const git of sandbox ? gitProcesses(sandbox.home) : []) process.kill(git.pid, 'SIGKILL');
  sandbox?.remove();
  await ado?.close();
  removeBuilds();
});

describe('a companion that stops during a clone', () => {
  it('keeps the clone while it sends signs of life, then ends it with `hung` and Try again; Cancel reaches the companion running a clone after another was started', async () => {
    const silentWithinMs = 11_000;
    const companion = createCompanion({
      connect: await nativeConnect(),
      lastError: () => undefined,
      extensionVersion: '1.0.0',
      silentWithinMs,
      answerWithinMs: (type) => (type === 'configure' ? 2_000 : ANSWER_WITHIN_MS[type]),
    });
    await companion.request({ type: 'configure', cloneRoots: [sandbox.roots] });

    await holdPack();
    let first = '';
    const sent = Date.now();
    const cloning = settled(companion.request(clone('Platform'), { started: (id) => (first = id) }));
    await waitUntil('the pack request to be held back', () => ado.services.faults.list().length === 0);
    // Nothing to report while the server holds the pack: a sign of life at 10 s, which the
    // bridge takes as one, so it still waits past its 11 s.
    await waitUntil('a sign of life', () => frames.some((f) => f.id === first && f.event === 'alive'), 15_000);
    await new Promise((r) => setTimeout(r, sent + silentWithinMs + 500 - Date.now()));
    expect(await Promise.race([cloning, 'waiting'])).toBe('waiting');

    process.kill(hosts[0]!.pid!, 'SIGSTOP');
    const stopped = Date.now();
    const ended = await within(cloning, silentWithinMs + 5_000);
    expect(ended).toHaveProperty('error');
    const { error } = ended as { error: CompanionError };
    expect(Date.now() - stopped).toBeLessThan(silentWithinMs);
    expect(error).toMatchObject({ code: 'hung', message: expect.stringMatching(/^The desktop companion did not answer within 11 seconds, so it was closed, which stops what it was doing\. Try again: a new one starts/) });
    // What the popup and the page's clone panel show for it: Try again, not the companion's setup.
    const reply = { code: `companion.${error.code}`, message: error.message };
    const help = explainCloneFailure(reply, { profile: true });
    expect(failureActions(reply, help, { profile: true })).toEqual({ retry: true });
    expect(help.next).toMatch(/^Try again: a new one starts/);
    await waitUntil('the stopped companion ended', () => (hosts[0]!.exitCode !== null || hosts[0]!.signalCode !== null ? true : undefined));

    // Trying again: a new companion, whose clone is held back as well.
    await holdPack();
    let second = '';
    const again = settled(companion.request(clone('Platform2'), { started: (id) => (second = id) }));
    await waitUntil('the pack request to be held back', () => ado.services.faults.list().length === 0);
    expect(hosts).toHaveLength(2);
    // It stops for a moment: a quick request gives up on it, so new ones would go to a third.
    process.kill(hosts[1]!.pid!, 'SIGSTOP');
    await expect(companion.request({ type: 'configure' })).rejects.toMatchObject({ code: 'hung' });
    process.kill(hosts[1]!.pid!, 'SIGCONT');
    expect(await companion.cancel(second)).toEqual({ cancelled: true });
    expect(await within(again, 10_000)).toMatchObject({ error: { code: 'CANCELLED' } });
    expect(hosts).toHaveLength(2);
  });
});
