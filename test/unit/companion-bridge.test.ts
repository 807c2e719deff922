import { describe, expect, it, vi } from 'vitest';
import { ANSWER_WITHIN_MS, CompanionError, createCompanion, type NativePort } from '../../src/background/companion';
import { LONG_REQUESTS } from '../../src/shared/host-constants';
import { REQUEST_TYPES } from '../../src/shared/host-protocol';
import { toReplyError } from '../../src/background/errors';
import { explainCloneFailure } from '../../src/shared/clone-failure';
import { CAPABILITIES, HOST_NAME, PROTOCOL_VERSION } from '../../src/shared/host-protocol';

/** A host that says hello properly and answers everything else with the frame `answer` makes. */
function hostAnswering(answer: (id: string) => unknown) {
  return (): NativePort => {
    const listeners: ((m: unknown) => void)[] = [];
    return {
      postMessage(m) {
        const { id, type } = m as { id: string; type: string };
        const data = { name: HOST_NAME, version: '9.9.9', protocolVersion: PROTOCOL_VERSION, capabilities: [...CAPABILITIES], platform: 'linux', node: '20.19.0', git: '2.39.5', sshKeygen: true, logFile: '/l', limits: { maxFrameToBrowser: 1, maxFrameFromBrowser: 1 } };
        queueMicrotask(() => listeners.forEach((l) => l(type === 'hello' ? { id, ok: true, data } : answer(id))));
      },
      disconnect() {},
      onMessage: { addListener: (cb) => listeners.push(cb) },
      onDisconnect: { addListener() {} },
    };
  };
}

describe('the companion bridge', () => {
  it('ends a request whose answer it cannot read, keeping the companion sentence (a newer companion’s error code)', async () => {
    const companion = createCompanion({
      connect: hostAnswering((id) => ({ id, ok: false, error: { code: 'SOMETHING_NEW', message: 'The repository sets http.proxy.' } })),
      lastError: () => undefined,
      extensionVersion: '1.0.0',
      idleMs: 10,
    });
    const outcome = companion.request({ type: 'localClones' }).then(
      () => 'resolved',
      (e: Error & { code: string }) => `${e.code}: ${e.message}`,
    );
    const timeout = new Promise((r) => setTimeout(() => r('still waiting'), 1000));
    const result = await Promise.race([outcome, timeout]);
    expect(result).toMatch(/^failed: The repository sets http\.proxy\. \(.*update the extension or the companion/);
  });

  it('lets a request wait on through an event it does not know (as an extension before `alive` took it)', async () => {
    const companion = createCompanion({ connect: hostAnswering((id) => ({ id, event: 'from-a-newer-companion' })), lastError: () => undefined, extensionVersion: '1.0.0', idleMs: 10 });
    const outcome = companion.request({ type: 'fetch', path: '/r', remote: 'origin' }).then(() => 'ended', () => 'ended');
    expect(await Promise.race([outcome, new Promise((r) => setTimeout(() => r('waiting'), 50))])).toBe('waiting');
  });

  it('still takes known errors as they are', async () => {
    const companion = createCompanion({
      connect: hostAnswering((id) => ({ id, ok: false, error: { code: 'NOT_FOUND', message: 'No such folder.' } })),
      lastError: () => undefined,
      extensionVersion: '1.0.0',
      idleMs: 10,
    });
    await expect(companion.request({ type: 'localClones' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such folder.' });
  });
});

/** A host that says hello and then never answers: hung, or stopped in a debugger. With `wakes`, the companions started after the first answer `configure`. */
function silentHost(opts: { wakes?: boolean } = {}) {
  const ports: { disconnected: boolean; sent: string[] }[] = [];
  const connect = (): NativePort => {
    const listeners: ((m: unknown) => void)[] = [];
    const state = { disconnected: false, sent: [] as string[] };
    ports.push(state);
    return {
      postMessage(m) {
        const { id, type } = m as { id: string; type: string };
        state.sent.push(type);
        const data = { name: HOST_NAME, version: '9.9.9', protocolVersion: PROTOCOL_VERSION, capabilities: [...CAPABILITIES], platform: 'linux', node: '20.19.0', git: '2.39.5', sshKeygen: true, logFile: '/l', limits: { maxFrameToBrowser: 1, maxFrameFromBrowser: 1 } };
        if (type === 'hello') queueMicrotask(() => listeners.forEach((l) => l({ id, ok: true, data })));
        const config = { cloneRoots: [], allowedHosts: [], cloudHosts: [], configFile: '/c' };
        if (type === 'configure' && opts.wakes && ports.indexOf(state) > 0) queueMicrotask(() => listeners.forEach((l) => l({ id, ok: true, data: config })));
      },
      disconnect: () => void (state.disconnected = true),
      onMessage: { addListener: (cb) => listeners.push(cb) },
      onDisconnect: { addListener() {} },
    };
  };
  return { connect, ports };
}

/** 50 ms for everything but a clone, which has no limit. */
const limits = (type: string) => (type === 'clone' ? undefined : 50);

describe('a companion that does not answer', () => {
  it('ends the request with what to do, and the next request starts a new companion', async () => {
    const host = silentHost();
    const companion = createCompanion({ connect: host.connect, lastError: () => undefined, extensionVersion: '1.0.0', answerWithinMs: limits });
    // Closing the port makes the browser end the companion: the words say so.
    await expect(companion.request({ type: 'configure' })).rejects.toMatchObject({
      code: 'hung',
      message: expect.stringMatching(/^The desktop companion did not answer within 0\.05 seconds, so it was closed, which stops what it was doing\. Try again: a new one starts/),
    });
    expect(host.ports[0]!.disconnected).toBe(true);
    await expect(companion.request({ type: 'localClones' })).rejects.toBeInstanceOf(CompanionError);
    expect(host.ports).toHaveLength(2);
    expect(host.ports[1]!.sent).toEqual(['hello', 'localClones']);
  });

  it('leaves a clone running on the hung connection, and sends new requests to a new companion', async () => {
    const host = silentHost();
    const companion = createCompanion({ connect: host.connect, lastError: () => undefined, extensionVersion: '1.0.0', answerWithinMs: limits });
    void companion.request({ type: 'clone', url: 'https://dev.azure.com/o/p/_git/r', root: '/r', folder: 'r' }).catch(() => undefined);
    // Two requests at once, as Options' status check and a panel's make them.
    const [a, b] = await Promise.allSettled([companion.request({ type: 'configure' }), companion.request({ type: 'localClones' })]);
    expect([a.status, b.status]).toEqual(['rejected', 'rejected']);
    expect(host.ports[0]!.disconnected).toBe(false);
    // Left running for the clone, the hung one may still carry these out. Once one gave up, the
    // other did not wait for its own limit: the same outcome ended both.
    expect(a.status === 'rejected' && a.reason).toMatchObject({ code: 'hung', message: expect.stringMatching(/within 0\.05 seconds\. It is left to finish the git work it runs \(a clone, a fetch, a checkout\), so this may still be done\. Try again/) });
    expect(b.status === 'rejected' && b.reason).toBe(a.status === 'rejected' && a.reason);
    await expect(companion.request({ type: 'status', path: '/r/r' })).rejects.toMatchObject({ code: 'hung' });
    expect(host.ports).toHaveLength(2);
    expect(host.ports[1]!.sent).toEqual(['hello', 'status']);
  });

  it('is said by a failed clone or checkout as its own cause, with its one Try again, however the message goes on', async () => {
    const host = silentHost();
    const companion = createCompanion({ connect: host.connect, lastError: () => undefined, extensionVersion: '1.0.0', answerWithinMs: limits });
    const error = toReplyError(await companion.request({ type: 'configure' }).catch((e: unknown) => e));
    expect(error.code).toBe('companion.hung');
    const help = explainCloneFailure(error, { profile: true, task: 'checkout' });
    expect(help.cause).toBe('The desktop companion did not answer within 0.05 seconds, so it was closed, which stops what it was doing.');
    expect(`${help.cause} ${help.next}`.match(/try again/gi)).toHaveLength(1);
  });
});

describe('the limits', () => {
  it('give up on a hung companion creating or testing an SSH key, later than the companion gives up on ssh-keygen (2 min) and ssh (30 s)', () => {
    expect(ANSWER_WITHIN_MS.sshKey).toBeGreaterThan(120_000);
    expect(ANSWER_WITHIN_MS.sshTest).toBeGreaterThan(30_000);
    // Work that reports progress and can be cancelled has none.
    expect(ANSWER_WITHIN_MS.clone).toBeUndefined();
    expect(ANSWER_WITHIN_MS.checkout).toBeUndefined();
  });

  it('bound every request that sends no signs of life, so none waits on a hung companion for ever', () => {
    const unbounded = REQUEST_TYPES.filter((t) => !LONG_REQUESTS.includes(t) && ANSWER_WITHIN_MS[t] === undefined);
    expect(unbounded).toEqual([]);
    for (const t of LONG_REQUESTS) expect(ANSWER_WITHIN_MS[t as keyof typeof ANSWER_WITHIN_MS]).toBeUndefined();
  });
});

describe('an idle companion', () => {
  it('is closed even while a request still runs on a connection given up on', async () => {
    const host = silentHost({ wakes: true });
    const companion = createCompanion({ connect: host.connect, lastError: () => undefined, extensionVersion: '1.0.0', answerWithinMs: limits, idleMs: 20 });
    void companion.request({ type: 'clone', url: 'https://dev.azure.com/o/p/_git/r', root: '/r', folder: 'r' }).catch(() => undefined);
    await expect(companion.request({ type: 'configure' })).rejects.toMatchObject({ code: 'hung' });
    await expect(companion.request({ type: 'configure' })).resolves.toMatchObject({ configFile: '/c' });
    await vi.waitFor(() => expect(host.ports[1]!.disconnected).toBe(true), { timeout: 1000 });
    // The clone's connection stays until the clone ends.
    expect(host.ports[0]!.disconnected).toBe(false);
  });
});

/** A port whose host answers every frame with `frames` and then exits, as a refusing host does. */
function exitingHost(frames: unknown[], exitReason: string): { connect: () => NativePort; lastError: () => string | undefined } {
  let lastError: string | undefined;
  return {
    lastError: () => lastError,
    connect() {
      const onMessage: Array<(m: unknown) => void> = [];
      const onDisconnect: Array<() => void> = [];
      return {
        postMessage() {
          queueMicrotask(() => {
            for (const frame of frames) for (const cb of onMessage) cb(frame);
            lastError = exitReason;
            for (const cb of onDisconnect) cb();
          });
        },
        disconnect() {},
        onMessage: { addListener: (cb) => void onMessage.push(cb) },
        onDisconnect: { addListener: (cb) => void onDisconnect.push(cb) },
      };
    },
  };
}

describe('a companion whose git is too old', () => {
  it('is refused with the words to show, and the next ask starts a new companion, which sees a git updated since', async () => {
    const gits = ['2.30.9', '2.45.1'];
    const ports: { disconnected: boolean; sent: string[] }[] = [];
    const connect = (): NativePort => {
      const listeners: ((m: unknown) => void)[] = [];
      const state = { disconnected: false, sent: [] as string[] };
      const git = gits[ports.length];
      ports.push(state);
      return {
        postMessage(m) {
          const { id, type } = m as { id: string; type: string };
          state.sent.push(type);
          const data = { name: HOST_NAME, version: '9.9.9', protocolVersion: PROTOCOL_VERSION, capabilities: [...CAPABILITIES], platform: 'linux', node: '20.19.0', git, sshKeygen: true, logFile: '/l', limits: { maxFrameToBrowser: 1, maxFrameFromBrowser: 1 } };
          const config = { cloneRoots: [], allowedHosts: [], cloudHosts: [], configFile: '/c' };
          queueMicrotask(() => listeners.forEach((l) => l({ id, ok: true, data: type === 'hello' ? data : config })));
        },
        disconnect: () => void (state.disconnected = true),
        onMessage: { addListener: (cb) => listeners.push(cb) },
        onDisconnect: { addListener() {} },
      };
    };
    const companion = createCompanion({ connect, lastError: () => undefined, extensionVersion: '1.0.0' });
    await expect(companion.request({ type: 'localClones' })).rejects.toMatchObject({ code: 'gitTooOld', message: expect.stringMatching(/^git 2\.30\.9 on this computer is too old/) });
    // Nothing but hello was sent to it, and it was closed: it asked git its version once, at its start.
    expect(ports[0]).toEqual({ disconnected: true, sent: ['hello'] });
    const error = await companion.ready().then(() => undefined, (e: unknown) => e);
    expect(error).toBeUndefined();
    expect(ports).toHaveLength(2);
    expect(toReplyError(new CompanionError('gitTooOld', 'x'))).toMatchObject({ code: 'companion.gitTooOld' });
  });
});

describe('the companion bridge when the host refuses this extension', () => {
  it('reports the refusal as a companion to install for this extension, with the host’s reason', async () => {
    const refusal = { id: null, ok: false, error: { code: 'FORBIDDEN_CALLER', message: 'abc is not an extension the companion was installed for' } };
    const companion = createCompanion({ ...exitingHost([refusal], 'Native host has exited.'), extensionVersion: '1.0.0' });
    const error = await companion.ready().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompanionError);
    expect(error).toMatchObject({ code: 'missing', message: 'The desktop companion refused this extension: abc is not an extension the companion was installed for.' });
  });

  it('still calls a host that just exits a failure', async () => {
    const companion = createCompanion({ ...exitingHost([], 'Native host has exited.'), extensionVersion: '1.0.0' });
    expect(await companion.ready().catch((e: unknown) => e)).toMatchObject({ code: 'failed' });
  });
});

/**
 * Companions that answer hello (with `capabilities`), record what they are sent, and answer a
 * `cancel` for a request they run; `frame(i, m)` sends frame `m` from the i-th.
 */
function recordingHosts(capabilities: string[]) {
  const ports: { sent: { id: string; type: string; target?: string }[]; disconnected: boolean; frame(m: unknown): void }[] = [];
  const connect = (): NativePort => {
    const listeners: ((m: unknown) => void)[] = [];
    const state = { sent: [] as { id: string; type: string; target?: string }[], disconnected: false, frame: (m: unknown) => listeners.forEach((l) => l(m)) };
    ports.push(state);
    return {
      postMessage(m) {
        const req = m as { id: string; type: string; target?: string };
        state.sent.push(req);
        const data = { name: HOST_NAME, version: '9.9.9', protocolVersion: PROTOCOL_VERSION, capabilities, platform: 'linux', node: '20.19.0', git: '2.39.5', sshKeygen: true, logFile: '/l', limits: { maxFrameToBrowser: 1, maxFrameFromBrowser: 1 } };
        if (req.type === 'hello') queueMicrotask(() => state.frame({ id: req.id, ok: true, data }));
        if (req.type === 'cancel') {
          const runs = state.sent.some((s) => s.id === req.target);
          queueMicrotask(() => state.frame({ id: req.id, ok: true, data: { cancelled: runs } }));
        }
      },
      disconnect: () => void (state.disconnected = true),
      onMessage: { addListener: (cb) => listeners.push(cb) },
      onDisconnect: { addListener() {} },
    };
  };
  return { connect, ports };
}

const clone = { type: 'clone', url: 'https://dev.azure.com/o/p/_git/r', root: '/r', folder: 'r' } as const;

describe('cancelling a request', () => {
  it('reaches the companion that runs it, also after a hung one was replaced', async () => {
    const host = recordingHosts([...CAPABILITIES]);
    const companion = createCompanion({ connect: host.connect, lastError: () => undefined, extensionVersion: '1.0.0', answerWithinMs: limits });
    let target = '';
    const cloning = companion.request(clone, { started: (id) => (target = id) }).catch((e: unknown) => e);
    // The first companion does not answer configure in time: the next request goes to a new one.
    await expect(companion.request({ type: 'configure' })).rejects.toMatchObject({ code: 'hung' });
    await companion.ready();
    expect(host.ports).toHaveLength(2);
    expect(await companion.cancel(target)).toEqual({ cancelled: true });
    expect(host.ports[0]!.sent.map((m) => m.type)).toEqual(['hello', 'clone', 'configure', 'cancel']);
    expect(host.ports[0]!.sent.at(-1)).toMatchObject({ target });
    expect(host.ports[1]!.sent.map((m) => m.type)).toEqual(['hello']);
    // The clone's own answer still ends it.
    host.ports[0]!.frame({ id: target, ok: false, error: { code: 'CANCELLED', message: 'Cancelled.' } });
    expect(await cloning).toMatchObject({ code: 'CANCELLED' });
    // One that no longer runs is not sent anywhere.
    expect(await companion.cancel(target)).toEqual({ cancelled: false });
    expect(host.ports.flatMap((p) => p.sent).filter((m) => m.type === 'cancel')).toHaveLength(1);
  });
});

/** A clone on a companion with `capabilities` that answers nothing but hello and cancel. */
function cloneOn(capabilities: string[]) {
  const host = recordingHosts(capabilities);
  const companion = createCompanion({ connect: host.connect, lastError: () => undefined, extensionVersion: '1.0.0', silentWithinMs: 60_000 });
  let id = '';
  const outcome = companion.request(clone, { started: (started) => (id = started) }).then(
    () => 'done',
    (e: CompanionError) => e,
  );
  return { host, outcome, id: () => id };
}

describe('a long request on a companion that stops', () => {
  it('ends as hung after 60 s without a frame when the companion sends signs of life, each frame restarting the wait', async () => {
    vi.useFakeTimers();
    try {
      const { host, outcome, id } = cloneOn([...CAPABILITIES, 'alive']);
      await vi.advanceTimersByTimeAsync(0);
      // Progress and signs of life keep it waiting, for as long as the work takes.
      for (let i = 0; i < 10; i++) {
        await vi.advanceTimersByTimeAsync(50_000);
        host.ports[0]!.frame(i % 2 ? { id: id(), event: 'alive' } : { id: id(), event: 'progress', phase: 'receiving', percent: i * 10 });
      }
      await vi.advanceTimersByTimeAsync(59_000);
      expect(await Promise.race([outcome, 'waiting'])).toBe('waiting');
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await outcome).toMatchObject({
        code: 'hung',
        message: expect.stringMatching(/^The desktop companion did not answer within 60 seconds, so it was closed, which stops what it was doing\. Try again: a new one starts/),
      });
      expect(host.ports[0]!.disconnected).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is left to run as long as it takes on a companion that sends no signs of life (an older one)', async () => {
    vi.useFakeTimers();
    try {
      const { host, outcome } = cloneOn([...CAPABILITIES]);
      await vi.advanceTimersByTimeAsync(600_000);
      expect(await Promise.race([outcome, 'waiting'])).toBe('waiting');
      expect(host.ports[0]!.disconnected).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
