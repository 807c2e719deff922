import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { decodeAll } from '../../src/host/frame-codec';
import { HOST_NAME, MAX_FRAME_FROM_BROWSER, PROTOCOL_VERSION, HelloDataSchema } from '../../src/shared/host-protocol';
import { ADO_COMPANION_GECKO_ID } from '../../src/shared/extension-ids';
import { CALLER, HostProcess, hostBundle, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

let sandbox: Sandbox;
const hosts: HostProcess[] = [];
const start = async (args?: string[]) => {
  sandbox = makeSandbox();
  const host = await HostProcess.start(sandbox.env, args);
  hosts.push(host);
  return host;
};
afterEach(async () => {
  for (const host of hosts.splice(0)) if (host.child.exitCode === null) await host.close();
  sandbox?.remove();
});
afterAll(removeBuilds);

const header = (length: number) => {
  const h = Buffer.alloc(4);
  h.writeUInt32LE(length, 0);
  return h;
};
const frame = (message: unknown) => {
  const payload = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([header(payload.length), payload]);
};

describe('companion host over native messaging', () => {
  it('answers hello with its version, protocol and capabilities', async () => {
    const host = await start();
    const answer = await host.request({ type: 'hello' });
    expect(answer.ok).toBe(true);
    const data = HelloDataSchema.parse(answer.ok && answer.data);
    expect(data.name).toBe(HOST_NAME);
    expect(data.protocolVersion).toBe(PROTOCOL_VERSION);
    expect(data.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(data.capabilities).toContain('clone');
    expect(data.git).toMatch(/^2\./);
    expect(data.logFile.startsWith(sandbox.companionHome)).toBe(true);
  });

  it('answers a hello sent with other requests in one write, and one sent a byte at a time, then the rest', async () => {
    const host = await start();
    host.writeRaw(Buffer.concat([frame({ id: 'h', type: 'hello', protocolVersion: PROTOCOL_VERSION, extensionVersion: '1.2.3' }), frame({ id: 'c', type: 'configure' }), frame({ id: 'x', type: 'nope' })]));
    await host.waitFor((m) => m.id === 'c');
    await host.waitFor((m) => m.id === 'x');
    expect(host.messages[0]).toMatchObject({ id: 'h', ok: true });
    expect(host.messages.map((m) => [m.id, 'ok' in m && m.ok]).toSorted()).toEqual([['c', true], ['h', true], ['x', false]]);

    const slow = await HostProcess.start(sandbox.env);
    hosts.push(slow);
    for (const byte of frame({ id: 'h2', type: 'hello' })) {
      slow.writeRaw(Buffer.from([byte]));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(await slow.waitFor((m) => m.id === 'h2')).toMatchObject({ ok: true });
    expect((await slow.request({ type: 'configure' })).ok).toBe(true);
  });

  it('starts in native messaging mode for Firefox’s arguments too (manifest path, add-on id)', async () => {
    const host = await start(['/home/x/.mozilla/native-messaging-hosts/com.azure_devops_companion.host.json', 'azure-devops-companion@adocompanion.dev']);
    expect((await host.request({ type: 'hello' })).ok).toBe(true);
  });

  it('answers unreadable frames with BAD_FRAME and id null, and keeps going', async () => {
    const host = await start();
    const garbage = Buffer.from('{"id":"x", nope', 'utf8');
    host.writeRaw(Buffer.concat([header(garbage.length), garbage]));
    const invalidUtf8 = Buffer.from([0x22, 0xff, 0xfe, 0x22]);
    host.writeRaw(Buffer.concat([header(invalidUtf8.length), invalidUtf8]));
    host.writeRaw(header(0));
    expect((await host.request({ type: 'hello' })).ok).toBe(true);
    const errors = host.messages.filter((m) => 'ok' in m && !m.ok);
    expect(errors).toHaveLength(3);
    for (const error of errors) expect(error).toMatchObject({ id: null, ok: false, error: { code: 'BAD_FRAME' } });
  });

  it('answers invalid requests with BAD_REQUEST under their id', async () => {
    const host = await start();
    for (const [request, words] of [
      [{ id: 'a', type: 'launchMissiles' }, 'unknown request type'],
      [{ id: 'b', type: 'clone', url: 'https://dev.azure.com/o/p/_git/r' }, 'invalid clone request'],
      [{ id: 'c', type: 'hello', extra: 1 }, 'invalid hello request'],
    ] as const) {
      host.send(request);
      const answer = await host.waitFor((m) => m.id === request.id);
      expect(answer).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      expect('error' in answer && answer.error.message).toContain(words);
    }
    host.send({ type: 'hello' });
    expect(await host.waitFor((m) => m.id === null)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('skips an oversized frame with FRAME_TOO_LARGE before reading it, then answers the next request', async () => {
    const host = await start();
    const size = MAX_FRAME_FROM_BROWSER + 10;
    host.writeRaw(header(size));
    expect(await host.waitFor((m) => m.id === null)).toMatchObject({ ok: false, error: { code: 'FRAME_TOO_LARGE' } });
    host.writeRaw(Buffer.alloc(size, 0x7b));
    expect((await host.request({ type: 'hello' })).ok).toBe(true);
  });

  it('reports a truncated frame when input ends, and exits cleanly', async () => {
    const host = await start();
    expect((await host.request({ type: 'hello' })).ok).toBe(true);
    host.writeRaw(Buffer.concat([header(100), Buffer.from('{"id":"t","type":"hel')]));
    const exit = await host.close();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(host.messages.at(-1)).toMatchObject({ id: null, ok: false, error: { code: 'BAD_FRAME', message: expect.stringContaining('input ended') } });
    // stdout carried frames and nothing else.
    expect(decodeAll(Buffer.concat(host.stdout))).toHaveLength(host.messages.length);
    expect(host.stderr).toBe('');
  });

  it('refuses a second running request with the same id, and cancel of an unknown id says so', async () => {
    const host = await start();
    host.send({ id: 'same', type: 'localClones' });
    host.send({ id: 'same', type: 'localClones' });
    const cancel = await host.request({ type: 'cancel', target: 'nothing-runs' });
    expect(cancel).toMatchObject({ ok: true, data: { cancelled: false } });
    await host.waitFor((m) => m.id === 'same' && 'ok' in m && m.ok);
    const answers = host.messages.filter((m) => m.id === 'same');
    expect(answers).toHaveLength(2);
    expect(answers.some((m) => 'error' in m && m.error.code === 'BAD_REQUEST')).toBe(true);
  });

  it('keeps and reports its configuration, refusing bad values', async () => {
    const host = await start();
    const set = await host.request({ type: 'configure', cloneRoots: [sandbox.roots], allowedHosts: ['TFS.Contoso.com:8080'] });
    expect(set).toMatchObject({ ok: true, data: { cloneRoots: [sandbox.roots], allowedHosts: ['tfs.contoso.com'], cloudHosts: expect.arrayContaining(['dev.azure.com']) } });
    expect((await host.request({ type: 'configure' })).ok && true).toBe(true);
    expect(await host.request({ type: 'configure', cloneRoots: ['relative/path'] })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await host.request({ type: 'configure', cloneRoots: ['/'] })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await host.request({ type: 'configure', allowedHosts: ['evil host'] })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    // A new process (the browser starts one per connection) reads the same settings.
    const again = await HostProcess.start(sandbox.env);
    hosts.push(again);
    expect(await again.request({ type: 'configure' })).toMatchObject({ ok: true, data: { cloneRoots: [sandbox.roots], allowedHosts: ['tfs.contoso.com'] } });
  });

  it('says where a clone would go, or what would stop it, without making anything (destination)', async () => {
    const host = await start();
    await host.request({ type: 'configure', cloneRoots: [sandbox.roots] });
    const ask = (folder: string, root = sandbox.roots) => host.request({ type: 'destination', root, folder });
    expect(await ask('fabrikam/api')).toMatchObject({ ok: true, data: { path: join(sandbox.roots, 'fabrikam/api') } });
    mkdirSync(join(sandbox.roots, 'fabrikam/api'), { recursive: true });
    writeFileSync(join(sandbox.roots, 'fabrikam/api/notes.txt'), 'mine');
    expect(await ask('fabrikam/api')).toMatchObject({ ok: false, error: { code: 'DEST_EXISTS', message: expect.stringContaining('exists and is not empty') } });
    expect(await ask('../elsewhere')).toMatchObject({ ok: false, error: { code: 'DEST_OUTSIDE_ROOT' } });
    expect(await ask('fabrikam/web', '/tmp')).toMatchObject({ ok: false, error: { code: 'DEST_OUTSIDE_ROOT' } });
    expect(spawnSync('find', [sandbox.roots], { encoding: 'utf8' }).stdout.trim().split('\n').toSorted()).toEqual([sandbox.roots, join(sandbox.roots, 'fabrikam'), join(sandbox.roots, 'fabrikam/api'), join(sandbox.roots, 'fabrikam/api/notes.txt')]);
  });

  it('reports a damaged configuration file, and lets configure replace it', async () => {
    const host = await start();
    mkdirSync(sandbox.companionHome, { recursive: true });
    writeFileSync(join(sandbox.companionHome, 'config.json'), '{ not json');
    const read = await host.request({ type: 'configure' });
    expect(read).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('config.json') } });
    expect(await host.request({ type: 'localClones' })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await host.request({ type: 'configure', cloneRoots: [sandbox.roots] })).toMatchObject({ ok: true, data: { cloneRoots: [sandbox.roots] } });
    expect((await host.request({ type: 'localClones' })).ok).toBe(true);
  });

  it('parses requests and its own files without generating code from strings (zod jitless, as in the extension)', async () => {
    sandbox = makeSandbox();
    // Counts what zod's JIT would do: build a parser with `new Function` (its probe for whether it may, too).
    const preload = join(sandbox.dir, 'count-code-from-strings.mjs');
    writeFileSync(
      preload,
      `const F = globalThis.Function;
globalThis.Function = new Proxy(F, { construct(target, args, newTarget) { process.stderr.write('CODE FROM A STRING\\n'); return Reflect.construct(target, args, newTarget); } });
`,
    );
    const env = { ...sandbox.env, NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` };
    const host = await HostProcess.start(env);
    hosts.push(host);
    expect((await host.request({ type: 'hello' })).ok).toBe(true);
    expect((await host.request({ type: 'configure', cloneRoots: [sandbox.roots] })).ok).toBe(true);
    expect((await host.request({ type: 'localClones' })).ok).toBe(true);
    const refused = await host.request({ type: 'clone', url: 'https://example.com/o/p/_git/r', root: sandbox.roots, folder: 'r', auth: { kind: 'pat', token: 'x'.repeat(20) } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'HOST_NOT_ALLOWED' } });
    await host.close();
    const doctor = spawnSync(process.execPath, [await hostBundle(), 'doctor', '--json'], { env, encoding: 'utf8' });
    expect(doctor.stdout).toContain('{');
    expect(host.stderr + doctor.stderr).not.toContain('CODE FROM A STRING');
  });

  it('treats CLI verbs as commands, not as a caller', async () => {
    const bundle = await hostBundle();
    const version = spawnSync(process.execPath, [bundle, 'version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = spawnSync(process.execPath, [bundle, 'help'], { encoding: 'utf8' });
    expect(help.stdout).toContain('install');
  });
});

describe('the caller check', () => {
  const FIREFOX_MANIFEST = '/home/x/.mozilla/native-messaging-hosts/com.azure_devops_companion.host.json';

  it.each([
    ['another Chrome extension', ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/']],
    ['another Firefox add-on', [FIREFOX_MANIFEST, 'evil@example.org']],
    ['a web origin', ['https://evil.example.org/']],
    ['our origin with arguments a browser does not pass', [CALLER, '--remote-debugging-port=9222']],
    ['no caller at all', []],
  ])('answers %s with one FORBIDDEN_CALLER frame and exits without serving', async (_, args) => {
    const host = await start(args);
    host.send({ id: 'h', type: 'hello' });
    expect(await host.waitFor(() => true, 15_000)).toMatchObject({ id: null, ok: false, error: { code: 'FORBIDDEN_CALLER' } });
    const exit = await host.exited;
    expect(exit.code).not.toBe(0);
    expect(host.messages).toEqual([{ id: null, ok: false, error: { code: 'FORBIDDEN_CALLER', message: expect.any(String) } }]);
    expect(decodeAll(Buffer.concat(host.stdout))).toHaveLength(1);
  });

  it('serves the extension’s own ids, also with the parent window Chrome passes on Windows', async () => {
    const chrome = await start([CALLER, '--parent-window=0']);
    expect((await chrome.request({ type: 'hello' })).ok).toBe(true);
    const firefox = await HostProcess.start(sandbox.env, [FIREFOX_MANIFEST, ADO_COMPANION_GECKO_ID]);
    hosts.push(firefox);
    expect((await firefox.request({ type: 'hello' })).ok).toBe(true);
  });
});
