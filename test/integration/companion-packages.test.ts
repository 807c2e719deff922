/**
 * The companion as users get it without a checkout: the Linux single executable, run with no
 * `node` anywhere on PATH, and the npm package installed from its tarball into an empty prefix.
 * Each answers hello over native messaging framing, installs itself for a custom Chromium profile,
 * and keeps working from its installed copy after the file the user ran is gone.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { buildCompanion } from '../../scripts/build-companion.mjs';
import { FrameDecoder, encodeFrame } from '../../src/host/frame-codec';
import { ADO_COMPANION_CHROME_ID } from '../../src/shared/extension-ids';
import { HOST_NAME } from '../../src/shared/host-protocol';
import { CALLER, hostBundle, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

let built: { tarball: string; executable: string; dir: string };
let sandbox: Sandbox;

beforeAll(async () => {
  const sandboxForBuild = makeSandbox();
  const [tarball, executable] = await buildCompanion({ bundle: await hostBundle(), outDir: sandboxForBuild.dir, log: () => {} });
  built = { tarball: tarball!, executable: executable!, dir: sandboxForBuild.dir };
}, 180_000);
afterAll(() => {
  if (built) rmSync(built.dir, { recursive: true, force: true });
  removeBuilds();
});
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => sandbox.remove());

const which = (program: string) => spawnSync('/bin/sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).stdout.trim();

/** A PATH of one folder holding git, ssh and ssh-keygen, and no node. */
function pathWithoutNode(): string {
  const bin = join(sandbox.dir, 'bin');
  mkdirSync(bin);
  for (const program of ['git', 'ssh', 'ssh-keygen']) symlinkSync(which(program), join(bin, program));
  expect(spawnSync('/bin/sh', ['-c', 'command -v node'], { env: { PATH: bin } }).status).not.toBe(0);
  return bin;
}

function runProgram(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(command, args, { env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, out: `${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}` };
}

/** Starts `command` as Chromium starts a native host (caller origin in argv) and asks hello. */
function hello(command: string, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; data?: { name: string; node: string; git: string | null; logFile: string } }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [CALLER], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const decoder = new FrameDecoder(1 << 20);
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`no hello answer from ${command}; stderr: ${stderr}`)), 30_000);
    child.on('error', reject);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      for (const item of decoder.push(chunk)) {
        if (item.kind !== 'frame') continue;
        clearTimeout(timer);
        const answer = JSON.parse(item.payload.toString()) as never;
        // Answered once it has exited, as the browser leaves it: a companion still starting (its
        // scratch files, its waiting shell) would write into the folder the test then removes.
        child.once('exit', () => resolve(answer));
        child.stdin.end();
      }
    });
    child.stdin.write(encodeFrame({ id: 'h', type: 'hello' }, 1 << 20));
  });
}

function manifestFor(profile: string): { path: string; allowed_origins: string[] } {
  return JSON.parse(readFileSync(join(profile, 'NativeMessagingHosts', `${HOST_NAME}.json`), 'utf8')) as never;
}

describe('the single executable (Linux x64)', () => {
  it('needs no node: answers hello, installs a copy of itself for a profile, which answers after the download is gone', async () => {
    const env = { ...sandbox.env, PATH: pathWithoutNode() };
    const downloads = join(sandbox.home, 'Downloads');
    mkdirSync(downloads);
    const download = join(downloads, 'ado-companion-linux-x64');
    copyFileSync(built.executable, download);
    accessSync(download, constants.X_OK);
    expect(readFileSync(download).subarray(0, 4).toString('latin1')).toBe('\x7fELF');

    const direct = await hello(download, env);
    expect(direct).toMatchObject({ ok: true, data: { name: HOST_NAME, node: process.versions.node, git: expect.stringMatching(/^2\./) } });

    const profile = join(sandbox.dir, 'profile');
    const installed = runProgram(download, ['install', '--browser', 'chromium', '--user-data-dir', profile], env);
    expect(installed.out).toContain(join(profile, 'NativeMessagingHosts'));
    expect(installed.code).toBe(0);
    const launcher = join(sandbox.companionHome, 'host', 'ado-companion-host.sh');
    const copy = join(sandbox.companionHome, 'host', 'ado-companion');
    expect(manifestFor(profile)).toMatchObject({ name: HOST_NAME, path: launcher, type: 'stdio', allowed_origins: [`chrome-extension://${ADO_COMPANION_CHROME_ID}/`] });
    // The launcher starts the installed copy itself: no node, no script.
    expect(readFileSync(launcher, 'utf8')).toContain(`\nexec '${copy}' "$@"\n`);
    expect(readFileSync(copy).equals(readFileSync(download))).toBe(true);

    rmSync(download);
    const throughLauncher = await hello(launcher, { PATH: env.PATH, HOME: sandbox.home });
    expect(throughLauncher).toMatchObject({ ok: true, data: { name: HOST_NAME } });
    expect(throughLauncher.data!.logFile.startsWith(sandbox.companionHome)).toBe(true);

    const doctor = runProgram(copy, ['doctor', '--browser', 'chromium', '--user-data-dir', profile], env);
    expect(doctor.out).toContain(`[ok]   Node ${process.versions.node} built into ${copy}`);
    expect(doctor.out).toContain('chromium: the host starts and answers');
    expect(doctor.code).toBe(0);

    expect(runProgram(copy, ['uninstall', '--browser', 'chromium', '--user-data-dir', profile], env).code).toBe(0);
    const broken = runProgram(copy, ['doctor', '--browser', 'chromium', '--user-data-dir', profile], env);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain(`fix: run: ${copy} install --browser chromium`);

    // Without --browser: every browser found in HOME; uninstall then removes the copy too.
    // The browsers' own files, by which the installer finds them (not an empty folder).
    mkdirSync(join(sandbox.home, '.config', 'chromium'), { recursive: true });
    writeFileSync(join(sandbox.home, '.config', 'chromium', 'Local State'), '{}');
    mkdirSync(join(sandbox.home, '.mozilla', 'firefox'), { recursive: true });
    expect(runProgram(copy, ['install'], env).code).toBe(0);
    for (const manifest of [join(sandbox.home, '.config', 'chromium', 'NativeMessagingHosts'), join(sandbox.home, '.mozilla', 'native-messaging-hosts')]) {
      expect(JSON.parse(readFileSync(join(manifest, `${HOST_NAME}.json`), 'utf8'))).toMatchObject({ path: launcher });
    }
    expect(runProgram(copy, ['uninstall'], env).code).toBe(0);
    expect(existsSync(join(sandbox.companionHome, 'host'))).toBe(false);
  });
});

describe('the npm package', () => {
  it('installs from its tarball into an empty prefix offline, and registers a copy outside that prefix', async () => {
    const prefix = join(sandbox.dir, 'prefix');
    const nodeDir = dirname(process.execPath);
    const env = { ...sandbox.env, PATH: [nodeDir, pathWithoutNode()].join(delimiter), npm_config_cache: join(sandbox.dir, 'npm-cache') };
    const npm = runProgram(which('npm'), ['install', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--no-package-lock', built.tarball], env);
    expect(npm.code, npm.out).toBe(0);
    const bin = join(prefix, 'node_modules', '.bin', 'ado-companion');
    const pkg = JSON.parse(readFileSync(join(prefix, 'node_modules', 'ado-companion', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ name: 'ado-companion', bin: { 'ado-companion': 'ado-companion-host.mjs' } });
    expect(pkg.dependencies).toBeUndefined();

    expect(await hello(bin, env)).toMatchObject({ ok: true, data: { name: HOST_NAME } });

    const profile = join(sandbox.dir, 'profile');
    const installed = runProgram(bin, ['install', '--browser', 'chromium', '--user-data-dir', profile], env);
    expect(installed.code, installed.out).toBe(0);
    const launcher = join(sandbox.companionHome, 'host', 'ado-companion-host.sh');
    expect(manifestFor(profile)).toMatchObject({ path: launcher, allowed_origins: [`chrome-extension://${ADO_COMPANION_CHROME_ID}/`] });
    expect(readFileSync(launcher, 'utf8')).toContain(`'${join(sandbox.companionHome, 'host', 'ado-companion-host.mjs')}' "$@"`);
    expect(readFileSync(launcher, 'utf8')).not.toContain(prefix);

    expect(runProgram(bin, ['uninstall', '--browser', 'chromium', '--user-data-dir', profile], env).code).toBe(0);
    const doctor = runProgram(bin, ['doctor', '--browser', 'chromium', '--user-data-dir', profile], env);
    expect(doctor.out).toContain('fix: run: npx ado-companion install --browser chromium');
    expect(runProgram(bin, ['install', '--browser', 'chromium', '--user-data-dir', profile], env).code).toBe(0);

    // npx's copy is temporary: the registered one must not depend on it.
    rmSync(prefix, { recursive: true, force: true });
    expect(existsSync(bin)).toBe(false);
    expect(await hello(launcher, { PATH: '/usr/bin:/bin', HOME: sandbox.home })).toMatchObject({ ok: true, data: { name: HOST_NAME } });
  });
});
