/**
 * The extension's native bridge (src/background/companion.ts) when the companion dies mid-request:
 * the waiting request fails with "stopped unexpectedly", and a new companion is started at once so
 * it can clean up what the dead one left (its start sweeps dead clones' journals). A companion that
 * dies before doing any work is not restarted (no restart loop), nor is a missing one.
 */
import { describe, expect, it } from 'vitest';
import { CompanionError, createCompanion, type NativePort } from '../../src/background/companion';
import { CAPABILITIES, HOST_NAME, PROTOCOL_VERSION } from '../../src/shared/host-protocol';

const HELLO = {
  name: HOST_NAME,
  version: '1.0.0',
  protocolVersion: PROTOCOL_VERSION,
  capabilities: [...CAPABILITIES],
  platform: 'linux',
  node: '20',
  git: '2.39',
  sshKeygen: true,
  logFile: '/tmp/log',
  limits: { maxFrameToBrowser: 1, maxFrameFromBrowser: 1 },
};

const nothing = () => undefined;

/** Fake companions: each connection answers hello, keeps everything else waiting, and can die. */
function fakeCompanions(opts: { helloAnswers?: boolean } = {}) {
  const connections: { sent: { type: string }[]; die(reason: string): void }[] = [];
  let lastError: string | undefined;
  const connect = (): NativePort => {
    let onMessage: (m: unknown) => void = nothing;
    let onDisconnect: () => void = nothing;
    const sent: { type: string }[] = [];
    connections.push({
      sent,
      die(reason) {
        lastError = reason;
        onDisconnect();
      },
    });
    return {
      postMessage(m) {
        const req = m as { id: string; type: string };
        sent.push(req);
        if (req.type === 'hello' && opts.helloAnswers !== false) queueMicrotask(() => onMessage({ id: req.id, ok: true, data: HELLO }));
      },
      disconnect() {},
      onMessage: { addListener: (cb) => void (onMessage = cb) },
      onDisconnect: { addListener: (cb) => void (onDisconnect = cb) },
    };
  };
  const companion = createCompanion({ connect, lastError: () => lastError, extensionVersion: '1.0.0', idleMs: 50 });
  return { companion, connections };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('the companion dying while it works', () => {
  it('fails the waiting clone with "stopped unexpectedly" and starts a new companion at once', async () => {
    const { companion, connections } = fakeCompanions();
    const clone = companion.request({ type: 'clone', url: 'https://dev.azure.com/o/p/_git/r', root: '/r', folder: 'r' });
    await tick();
    expect(connections).toHaveLength(1);
    expect(connections[0]!.sent.map((m) => m.type)).toEqual(['hello', 'clone']);
    connections[0]!.die('Native host has exited.');
    const error = await clone.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompanionError);
    expect(error).toMatchObject({ code: 'stopped', message: expect.stringMatching(/stopped unexpectedly \(Native host has exited\.\)/) });
    await tick();
    // The new companion sweeps at its start; it only needs to be started (a hello does that).
    expect(connections).toHaveLength(2);
    expect(connections[1]!.sent.map((m) => m.type)).toEqual(['hello']);
  });

  it('does not restart a companion that died before doing any work, nor one that is not installed', async () => {
    const dying = fakeCompanions({ helloAnswers: false });
    const ready = dying.companion.ready().catch(() => undefined);
    await tick();
    dying.connections[0]!.die('Native host has exited.');
    await ready;
    await tick();
    expect(dying.connections).toHaveLength(1);

    const missing = fakeCompanions();
    const clone = missing.companion.request({ type: 'localClones' });
    await tick();
    missing.connections[0]!.die('Specified native messaging host not found.');
    await expect(clone).rejects.toMatchObject({ code: 'missing' });
    await tick();
    expect(missing.connections).toHaveLength(1);
  });
});
