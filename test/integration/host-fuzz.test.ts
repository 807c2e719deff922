/**
 * Property-based: random frames and requests thrown at the running host. Whatever arrives, the
 * host answers with well-formed frames (or nothing), never crashes, and still answers the hello
 * that follows. Raw byte streams (framing broken) go to fresh processes, which must exit cleanly.
 */
import * as fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeAll } from '../../src/host/frame-codec';
import { HostMessageSchema, MAX_FRAME_FROM_BROWSER, REQUEST_TYPES } from '../../src/shared/host-protocol';
import { HostProcess, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

const framed = (payload: Uint8Array) => {
  const header = Buffer.alloc(4);
  header.writeUInt32LE(payload.length, 0);
  return Buffer.concat([header, Buffer.from(payload)]);
};
const json = (value: unknown) => framed(Buffer.from(JSON.stringify(value) ?? 'null', 'utf8'));

// Request types that reach the network or the desktop are left out of random valid-looking
// requests; their validation is fuzzed through the other shapes.
const safeTypes = REQUEST_TYPES.filter((t) => !['sshTest', 'open', 'clone', 'fetch', 'checkout', 'worktree'].includes(t));

const frameArb = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 2000 }).map(framed) },
  { weight: 3, arbitrary: fc.jsonValue().map(json) },
  {
    weight: 4,
    arbitrary: fc
      .record({
        id: fc.oneof(fc.string({ maxLength: 140 }), fc.integer(), fc.constant(null), fc.constant(undefined)),
        type: fc.oneof(fc.constantFrom(...REQUEST_TYPES), fc.string({ maxLength: 20 })),
        extra: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
      })
      .map(({ id, type, extra }) => json({ ...extra, id, type: REQUEST_TYPES.includes(type as never) && !safeTypes.includes(type as never) ? `${type}x` : type })),
  },
  {
    weight: 2,
    // Valid-looking requests with hostile field values.
    arbitrary: fc
      .record({
        type: fc.constantFrom('clone', 'addRemote', 'fetch', 'open', 'sshTest', 'status', 'checkout', 'worktree'),
        url: fc.oneof(fc.constantFrom('-oProxyCommand=x', 'ext::sh -c x', 'file:///etc', 'https://evil.test/x', '../../x'), fc.string()),
        root: fc.oneof(fc.constant('/'), fc.string()),
        folder: fc.oneof(fc.constantFrom('..', '../x', '/abs', 'a/../../b'), fc.string()),
        path: fc.oneof(fc.constant('/etc'), fc.string()),
        name: fc.string(),
        remote: fc.string(),
        branch: fc.oneof(fc.constantFrom('--upload-pack=x', '../x', 'a b'), fc.string()),
        file: fc.oneof(fc.constantFrom('../../etc/passwd', '/etc/passwd', '--help'), fc.string()),
        host: fc.oneof(fc.constantFrom('evil.test', '-oProxyCommand=x'), fc.string()),
        target: fc.constantFrom('folder', 'editor', 'terminal', 'x'),
      })
      .map((r) => json({ ...r, id: 'hostile' })),
  },
  // An oversized frame, followed by the bytes it announced.
  { weight: 1, arbitrary: fc.integer({ min: MAX_FRAME_FROM_BROWSER + 1, max: MAX_FRAME_FROM_BROWSER + 5000 }).map((n) => framed(Buffer.alloc(n, 0x20))) },
);

let sandbox: Sandbox;
let host: HostProcess;
beforeAll(async () => {
  sandbox = makeSandbox();
  host = await HostProcess.start(sandbox.env);
});
afterEach(() => {
  expect(host.child.exitCode).toBeNull();
});
afterAll(async () => {
  if (host.child.exitCode === null) await host.close();
  sandbox.remove();
  removeBuilds();
});

describe('fuzzing the running host', () => {
  it('answers any framed input with valid frames and stays responsive', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frameArb, { minLength: 1, maxLength: 3 }), async (frames) => {
        const before = host.messages.length;
        for (const frame of frames) host.writeRaw(frame);
        const id = `probe-${++n}`;
        const answer = await host.request({ id, type: 'hello' }, 20_000);
        expect(answer.ok).toBe(true);
        expect(host.child.exitCode).toBeNull();
        // Everything in between is an error answer or a normal answer, never something else.
        for (const message of host.messages.slice(before)) expect(HostMessageSchema.safeParse(message).success).toBe(true);
      }),
      { numRuns: 150, interruptAfterTimeLimit: 45_000 },
    );
    expect(n).toBeGreaterThan(20);
  });

  it('survives raw byte streams that break the framing, and exits cleanly at end of input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 3000 }), async (bytes) => {
        const local = await HostProcess.start(sandbox.env);
        local.writeRaw(Buffer.from(bytes));
        const exit = await local.close();
        expect(exit).toEqual({ code: 0, signal: null });
        expect(local.stderr).toBe('');
        // stdout is whole frames only, each a valid message.
        for (const message of decodeAll(Buffer.concat(local.stdout))) expect(HostMessageSchema.safeParse(message).success).toBe(true);
      }),
      { numRuns: 12 },
    );
  });
});
