/**
 * Broken frames sent to the companion while a clone runs (test/integration/host-fuzz.test.ts
 * fuzzes an idle companion): each is answered with its own error and skipped, the conversation
 * goes on, and the clone finishes on the branch asked for.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox as AdoSandbox } from '../../sandbox/index';
import { MAX_FRAME_FROM_BROWSER } from '../../src/shared/host-protocol';
import { HostProcess, makeSandbox, removeBuilds, type Sandbox } from '../integration/host-harness';
import { waitUntil } from './harness';

let ado: AdoSandbox;
let sandbox: Sandbox;
let host: HostProcess;
const run = promisify(execFile);

const framed = (payload: Buffer) => {
  const header = Buffer.alloc(4);
  header.writeUInt32LE(payload.length, 0);
  return Buffer.concat([header, payload]);
};

beforeAll(async () => {
  ado = await startSandbox({ quiet: true });
  sandbox = makeSandbox({ GIT_CONFIG_GLOBAL: ado.gitConfig });
  host = await HostProcess.start(sandbox.env);
  expect((await host.request({ type: 'configure', cloneRoots: [sandbox.roots] })).ok).toBe(true);
});
afterAll(async () => {
  if (host?.child.exitCode === null) await host.close();
  sandbox?.remove();
  await ado?.close();
  removeBuilds();
});

describe('broken frames while a clone runs', () => {
  it('are each answered with an error and skipped; the clone still completes on its branch', async () => {
    // The pack request is held back a few seconds, so everything below arrives mid-clone.
    ado.services.faults.add({ match: { method: 'POST', pathRegex: 'git-upload-pack$' }, latencyMs: 3000, times: 1 });
    host.send({
      id: 'c1',
      type: 'clone',
      url: 'https://dev.azure.com/fabrikam/Platform/_git/Platform',
      root: sandbox.roots,
      folder: 'Platform',
      branch: 'feature/retry-policy',
      auth: { kind: 'pat', token: ado.pats.fabrikam },
    });
    await waitUntil('the pack request to be held back', () => ado.services.faults.list().length === 0);
    const before = host.messages.length;

    host.writeRaw(framed(Buffer.from('{"id":"x","type":')));
    host.writeRaw(framed(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])));
    // Its own id again, with a hostile URL: refused, and the running clone is not touched.
    host.send({ id: 'c1', type: 'clone', url: '-oProxyCommand=x', root: '/', folder: '..' });
    host.send({ id: 'k1', type: 'cancel', target: 'c' });
    // Above the limit, written in pieces like a pipe delivers it.
    const oversized = framed(Buffer.alloc(MAX_FRAME_FROM_BROWSER + 4096, 0x20));
    for (let at = 0; at < oversized.length; at += 65_536) host.writeRaw(oversized.subarray(at, at + 65_536));
    // A frame cut in two, then the rest.
    const hello = framed(Buffer.from(JSON.stringify({ id: 'h1', type: 'hello' })));
    host.writeRaw(hello.subarray(0, 3));
    await new Promise((r) => setTimeout(r, 50));
    host.writeRaw(hello.subarray(3));

    // The conversation goes on while git works.
    expect(await host.waitFor((m) => m.id === 'h1' && 'ok' in m, 10_000)).toMatchObject({ ok: true, data: { protocolVersion: 1 } });
    // (Not the refusal of the duplicate id, which carries the same id.)
    const answer = await host.waitFor((m) => m.id === 'c1' && 'ok' in m && (m.ok || m.error.code !== 'BAD_REQUEST'), 60_000);
    const path = join(sandbox.roots, 'Platform');
    expect(answer).toEqual({ id: 'c1', ok: true, data: { path, branch: 'feature/retry-policy', remoteUrl: 'https://dev.azure.com/fabrikam/Platform/_git/Platform' } });

    const after = host.messages.slice(before);
    const errors = after.flatMap((m) => ('ok' in m && !m.ok ? [`${m.id ?? 'null'} ${m.error.code}`] : []));
    expect(errors).toEqual(['null BAD_FRAME', 'null BAD_FRAME', 'c1 BAD_REQUEST', 'null FRAME_TOO_LARGE']);
    expect(after.find((m) => m.id === 'k1')).toMatchObject({ ok: true, data: { cancelled: false } });
    // Progress kept coming after the broken frames: the pack request, and so all of git's progress, was held back until after them.
    expect(after.some((m) => m.id === 'c1' && 'event' in m)).toBe(true);
    const { stdout } = await run('git', ['-C', path, 'rev-parse', '--abbrev-ref', 'HEAD']);
    expect(stdout.trim()).toBe('feature/retry-policy');
    expect(host.child.exitCode).toBeNull();
  });
});
