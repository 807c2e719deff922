/**
 * A clone folder the companion's user may not enter, with the built host run as another user
 * (root ignores permissions, so this runs only where the tests run as root, as CI does).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { HostProcess, hostBundle, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

const NOBODY = { uid: 65534, gid: 65534 };
let sandbox: Sandbox;

beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => sandbox.remove());
afterAll(removeBuilds);

it.runIf(process.getuid?.() === 0)('says a clone folder it may not enter is refused, naming the folder, not git as a file it could not write', async () => {
  const clone = join(sandbox.roots, 'clone');
  mkdirSync(clone);
  execFileSync('git', ['init', '-q', clone]);
  for (const dir of [sandbox.dir, sandbox.home, sandbox.roots]) chmodSync(dir, 0o755);
  execFileSync('chown', ['-R', `${NOBODY.uid}:${NOBODY.gid}`, sandbox.dir]);
  // mkdtemp makes the build's folder the builder's alone.
  chmodSync(dirname(await hostBundle()), 0o755);
  const host = await HostProcess.start(sandbox.env, undefined, NOBODY);
  try {
    const configured = await host.request({ type: 'configure', cloneRoots: [sandbox.roots] });
    expect(configured, JSON.stringify(configured)).toMatchObject({ ok: true });
    expect(await host.request({ type: 'status', path: clone })).toMatchObject({ ok: true });
    chmodSync(clone, 0o600);
    expect(await host.request({ type: 'status', path: clone })).toEqual({
      id: expect.any(String),
      ok: false,
      error: { code: 'CANNOT_WRITE', message: `The companion was refused ${clone}: permission denied.` },
    });
  } finally {
    await host.close();
  }
});
