/**
 * A companion that stops answering (stopped in a debugger, stuck on a frozen network drive): the
 * extension's request ends after its limit (ANSWER_WITHIN_MS in src/background/companion.ts) with
 * its own outcome (`hung`: what became of the companion, and Try again rather than its setup),
 * instead of a panel that says "Checking…" forever, and the next request starts a new companion.
 * Real Chromium, the real installed companion, frozen with SIGSTOP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { explainCloneFailure, failureActions } from '../../src/shared/clone-failure';
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
  it('fails what waits on it with `hung` after its limit, ends it, offers Try again, and the next request gets a new companion', async () => {
    expect(await ask(rig.page, { type: 'companion.status' })).toMatchObject({ ok: true, data: { state: 'ready' } });
    frozen = companionPids(rig.home.home);
    expect(frozen).toHaveLength(1);
    process.kill(frozen[0]!, 'SIGSTOP');

    const started = Date.now();
    // Options, opened again, asks the hung companion for its status as well.
    await rig.page.reload();
    const asked = ask(rig.page, { type: 'companion.status' });
    // Another request reaches the hung companion meanwhile (a list of clones, with a limit of
    // minutes): it ends with the first, and does not keep the next request on the hung companion.
    await new Promise((r) => setTimeout(r, 10_000));
    const later = ask(rig.page, { type: 'local.clones' });
    const status = await asked;
    const waited = Date.now() - started;
    // Nothing else ran on it: the extension closed it, so the browser ended it.
    const closed = /^The desktop companion did not answer within 30 seconds, so it was closed, which stops what it was doing\. Try again: a new one starts/;
    expect(status).toMatchObject({ ok: true, data: { state: 'hung', message: expect.stringMatching(closed) } });
    // configure's limit, not some other wait.
    expect(waited).toBeGreaterThanOrEqual(29_000);
    expect(waited).toBeLessThan(60_000);
    const clones = await later;
    expect(clones).toMatchObject({ ok: false, error: { code: 'companion.hung', message: expect.stringMatching(closed) } });
    // What a failed clone or checkout shows for it: Try again, not the companion's setup.
    const error = clones.error!;
    const help = explainCloneFailure(error, { profile: true });
    expect(failureActions(error, help, { profile: true })).toEqual({ retry: true });
    expect(help.next).toMatch(/^Try again: a new one starts/);
    await waitUntil('the hung companion ended', () => (companionPids(rig.home.home).includes(frozen[0]!) ? undefined : true));

    // Options says it did not answer, without install steps, and asks again by itself.
    const box = await rig.page.waitForSelector('[data-testid="companion-status"][data-state="hung"]', { timeout: 5_000 });
    const said = await box!.evaluate((b) => ({ text: b.textContent ?? '', install: !!b.querySelector('pre'), ssh: document.querySelector('#ssh')?.textContent ?? '' }));
    expect(said.text).toMatch(/^The desktop companion did not answer/);
    expect(said.text).toContain('This page asks it again by itself.');
    expect(said.install).toBe(false);
    // The SSH key section, which waits for the companion, does not send to its setup either.
    expect(said.ssh).toContain('Check the companion');
    expect(said.ssh).not.toContain('Set up');
    await rig.page.waitForSelector('[data-testid="companion-status"][data-state="ready"]', { timeout: 20_000 });

    const again = await ask(rig.page, { type: 'companion.status' });
    expect(again).toMatchObject({ ok: true, data: { state: 'ready' } });
    const fresh = await waitUntil('a new companion', () => companionPids(rig.home.home).find((pid) => !frozen.includes(pid)));
    expect(fresh).toBeGreaterThan(0);
  });
});
