/**
 * A companion that stops answering (stopped in a debugger, stuck on a frozen network drive): the
 * extension's request ends after its limit (ANSWER_WITHIN_MS in src/background/companion.ts) with
 * what to do, instead of a panel that says "Checking…" forever, and the next request starts a new
 * companion. Real Chromium, the real installed companion, frozen with SIGSTOP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { ask, companionPids, startRig, waitUntil, type Rig } from './harness';

let sandbox: Sandbox;
let rig: Rig;
let frozen: number[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  rig = await startRig(sandbox, { profile: false });
});
afterAll(async () => {
  for (const pid of frozen) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Ended by the browser already.
    }
  }
  await rig?.close();
  await sandbox?.close();
});

describe('a companion that stops answering', () => {
  it('fails the request after its limit with what to do, and the next request gets a new companion', async () => {
    expect(await ask(rig.page, { type: 'companion.status' })).toMatchObject({ ok: true, data: { state: 'ready' } });
    frozen = companionPids(rig.home.home);
    expect(frozen).toHaveLength(1);
    process.kill(frozen[0]!, 'SIGSTOP');

    const started = Date.now();
    const asked = ask(rig.page, { type: 'companion.status' });
    // Another request reaches the hung companion meanwhile (Options checks the status every few
    // seconds): it must not keep the next request on the hung companion once the first gave up.
    await new Promise((r) => setTimeout(r, 10_000));
    const later = ask(rig.page, { type: 'companion.status' });
    const status = await asked;
    const waited = Date.now() - started;
    expect(status).toMatchObject({ ok: true, data: { state: 'failed', message: expect.stringMatching(/did not answer within 30 seconds\. Try again: a new one starts/) } });
    // configure's limit, not some other wait.
    expect(waited).toBeGreaterThanOrEqual(29_000);
    expect(waited).toBeLessThan(60_000);

    const again = await ask(rig.page, { type: 'companion.status' });
    expect(again).toMatchObject({ ok: true, data: { state: 'ready' } });
    expect(await later).toMatchObject({ ok: true, data: { state: 'failed' } });
    const fresh = await waitUntil('a new companion', () => companionPids(rig.home.home).find((pid) => !frozen.includes(pid)));
    expect(fresh).toBeGreaterThan(0);
  });
});
