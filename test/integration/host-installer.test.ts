/** The installer CLI of the built host, into a private HOME and a custom Chromium profile. */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADO_COMPANION_CHROME_ID, ADO_COMPANION_GECKO_ID } from '../../src/shared/extension-ids';
import { HOST_NAME } from '../../src/shared/host-protocol';
import { FrameDecoder, encodeFrame } from '../../src/host/frame-codec';
import { HostProcess, hostBundle, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => sandbox.remove());
afterAll(removeBuilds);

const TEST_ID = 'abcdefghijklmnopabcdefghijklmnop';

async function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [await hostBundle(), ...args], { env: sandbox.env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, out: result.stdout + result.stderr };
}

/** Starts a launcher exactly as Chromium would (absolute path, origin argument) and asks hello. */
function helloThrough(launcher: string, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; data?: { name: string; logFile: string } }> {
  return new Promise((resolve, reject) => {
    const child = spawn(launcher, [`chrome-extension://${TEST_ID}/`], { env: { PATH: '/usr/bin:/bin', HOME: env.HOME }, stdio: ['pipe', 'pipe', 'inherit'] });
    const decoder = new FrameDecoder(1 << 20);
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      for (const item of decoder.push(chunk)) {
        if (item.kind === 'frame') {
          const answer = JSON.parse(item.payload.toString()) as never;
          // Once it has exited: a companion still starting would write into the folder the test removes.
          child.once('exit', () => resolve(answer));
          child.stdin.end();
        }
      }
    });
    child.stdin.write(encodeFrame({ id: 'h', type: 'hello' }, 1 << 20));
  });
}

/** The first frame of the built host started with `args` (what the browser passes) and sent hello. */
async function firstFrame(args: string[]): Promise<Record<string, unknown>> {
  const host = await HostProcess.start(sandbox.env, args);
  try {
    host.send({ id: 'h', type: 'hello' });
    return (await host.waitFor(() => true)) as never;
  } finally {
    await host.close();
  }
}

describe('install, doctor, uninstall', () => {
  it('registers with a custom Chromium profile, runs as the browser would, and unregisters', async () => {
    const profile = join(sandbox.dir, 'profile');
    // Before install the host serves only the extension's own id.
    expect(await firstFrame([`chrome-extension://${TEST_ID}/`])).toMatchObject({ id: null, ok: false, error: { code: 'FORBIDDEN_CALLER' } });
    const installed = await cli('install', '--browser', 'chromium', '--user-data-dir', profile, '--extension-id', TEST_ID);
    expect(installed.code).toBe(0);
    const manifestPath = join(profile, 'NativeMessagingHosts', `${HOST_NAME}.json`);
    expect(installed.out).toContain(manifestPath);
    // What next, in the words the extension's pages use: they notice it; no restart to do first.
    expect(installed.out).toContain("The extension's pages notice it by themselves within seconds; restart the browser only if one does not.");
    expect(installed.out).toContain('To check it: the same command with doctor instead of install.');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    const launcher = join(sandbox.companionHome, 'host', 'ado-companion-host.sh');
    expect(manifest).toEqual({
      name: HOST_NAME,
      description: expect.any(String),
      path: launcher,
      type: 'stdio',
      allowed_origins: [`chrome-extension://${ADO_COMPANION_CHROME_ID}/`, `chrome-extension://${TEST_ID}/`],
    });
    accessSync(launcher, constants.X_OK);
    expect(readFileSync(launcher, 'utf8')).toContain(process.execPath);
    // Installed again to update, without --extension-id: the extension allowed before is still let in.
    const again = await cli('install', '--browser', 'chromium', '--user-data-dir', profile);
    expect(again.out).toContain(`Allowed extensions: ${ADO_COMPANION_CHROME_ID}, ${TEST_ID}`);
    expect((JSON.parse(readFileSync(manifestPath, 'utf8')) as { allowed_origins: string[] }).allowed_origins).toEqual(manifest.allowed_origins);
    expect(await firstFrame([`chrome-extension://${TEST_ID}/`])).toMatchObject({ ok: true });

    // Started with a minimal PATH and no ADO_COMPANION_HOME, the launcher still finds node and the
    // companion folder the installer used.
    const hello = await helloThrough(launcher, sandbox.env);
    expect(hello).toMatchObject({ ok: true, data: { name: HOST_NAME } });
    expect(hello.data!.logFile.startsWith(sandbox.companionHome)).toBe(true);

    const doctor = await cli('doctor', '--browser', 'chromium', '--user-data-dir', profile);
    expect(doctor.out).toMatch(/\[ok\] +Node /);
    expect(doctor.out).toMatch(/\[ok\] +git 2\./);
    expect(doctor.out).toMatch(/\[ok\] +ssh-keygen/);
    expect(doctor.out).toContain('chromium: the host starts and answers');
    expect(doctor.out).toContain(`allows ${ADO_COMPANION_CHROME_ID}, ${TEST_ID}`);
    expect(doctor.code).toBe(0);

    // Without --browser, a profile folder is checked for the Chromium family only.
    const unnamed = await cli('doctor', '--user-data-dir', profile);
    expect(unnamed.out).toContain('chromium: the host starts and answers');
    expect(unnamed.code).toBe(0);

    const json = await cli('doctor', '--browser', 'chromium', '--user-data-dir', profile, '--json');
    expect((JSON.parse(json.out) as Array<{ status: string }>).every((c) => c.status !== 'fail')).toBe(true);

    // A manifest that allows more than install recorded (edited by hand): doctor says what the host refuses.
    rmSync(join(sandbox.companionHome, 'host', 'callers.json'));
    const unrecorded = await cli('doctor', '--browser', 'chromium', '--user-data-dir', profile);
    expect(unrecorded.out).toContain(`[warn] chromium: the companion refuses ${TEST_ID}, which ${manifestPath} allows`);
    expect(unrecorded.out).toMatch(new RegExp(`fix: run: .* install --browser chromium --extension-id ${TEST_ID}\n`));

    const removed = await cli('uninstall', '--browser', 'chromium', '--user-data-dir', profile);
    expect(removed.code).toBe(0);
    expect(existsSync(manifestPath)).toBe(false);
    // Unregistered, the extra id is no longer served.
    expect(await firstFrame([`chrome-extension://${TEST_ID}/`])).toMatchObject({ error: { code: 'FORBIDDEN_CALLER' } });
    expect(await firstFrame([`chrome-extension://${ADO_COMPANION_CHROME_ID}/`])).toMatchObject({ ok: true });

    const broken = await cli('doctor', '--browser', 'chromium', '--user-data-dir', profile);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain(`[FAIL] chromium: no manifest at ${manifestPath}`);
    expect(broken.out).toContain(`fix: run: node ${await hostBundle()} install --browser chromium`);
  });

  it('installs for the browsers found in HOME, Firefox with its add-on id', async () => {
    // Chromium from the Snap Store is named, with what to do instead, and not installed for.
    mkdirSync(join(sandbox.home, 'snap', 'chromium', 'common', 'chromium', 'Default'), { recursive: true });
    const none = await cli('install');
    expect(none.code).toBe(1);
    expect(none.out).toContain('no browser profile was found');
    expect(none.out).toContain("Chromium from the Snap Store cannot use the companion: its sandbox does not start programs outside it. Install the browser from your distribution's packages");
    // A browser is told by its own files, not by a folder alone.
    mkdirSync(join(sandbox.home, '.config', 'chromium'), { recursive: true });
    writeFileSync(join(sandbox.home, '.config', 'chromium', 'Local State'), '{}');
    mkdirSync(join(sandbox.home, 'snap', 'firefox', 'common', '.mozilla', 'firefox'), { recursive: true });
    const installed = await cli('install', '--extension-id', 'tester@example.org');
    expect(installed.code).toBe(0);
    expect(installed.out).toContain('Note: Chromium from the Snap Store cannot use the companion');
    const chromium = JSON.parse(readFileSync(join(sandbox.home, '.config', 'chromium', 'NativeMessagingHosts', `${HOST_NAME}.json`), 'utf8')) as Record<string, unknown>;
    expect(chromium.allowed_origins).toEqual([`chrome-extension://${ADO_COMPANION_CHROME_ID}/`]);
    const firefox = JSON.parse(readFileSync(join(sandbox.home, '.mozilla', 'native-messaging-hosts', `${HOST_NAME}.json`), 'utf8')) as Record<string, unknown>;
    expect(firefox.allowed_extensions).toEqual([ADO_COMPANION_GECKO_ID, 'tester@example.org']);
    expect(firefox.allowed_origins).toBeUndefined();
    expect(existsSync(join(sandbox.home, '.config', 'google-chrome'))).toBe(false);

    const doctor = await cli('doctor');
    expect(doctor.out).toContain('firefox: the host starts and answers');
    expect(doctor.code).toBe(0);

    // Firefox passes the manifest path and the add-on id: the added one is served, others are not.
    const firefoxManifest = join(sandbox.home, '.mozilla', 'native-messaging-hosts', `${HOST_NAME}.json`);
    expect(await firstFrame([firefoxManifest, 'tester@example.org'])).toMatchObject({ ok: true });
    expect(await firstFrame([firefoxManifest, 'other@example.org'])).toMatchObject({ error: { code: 'FORBIDDEN_CALLER' } });

    expect((await cli('uninstall')).code).toBe(0);
    expect(existsSync(join(sandbox.companionHome, 'host'))).toBe(false);
    expect(existsSync(join(sandbox.home, '.mozilla', 'native-messaging-hosts', `${HOST_NAME}.json`))).toBe(false);
  });

  it('explains wrong arguments', async () => {
    expect(await cli('install', '--browser', 'netscape')).toMatchObject({ code: 2, out: expect.stringContaining('unknown browser netscape') });
    expect(await cli('install', '--extension-id', 'not-an-id', '--browser', 'chrome')).toMatchObject({ code: 1, out: expect.stringContaining('neither a Chrome extension id') });
    expect(await cli('install', '--user-data-dir', '/tmp/x')).toMatchObject({ code: 1, out: expect.stringContaining('name the browser too') });
    expect(await cli('install', '--browser', 'firefox', '--user-data-dir', '/tmp/x')).toMatchObject({ code: 1, out: expect.stringContaining('Chromium-based') });
    expect(await cli('install', '--bogus')).toMatchObject({ code: 2 });
  });
});
