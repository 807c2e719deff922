/**
 * The single executable companion, installed the way a user of the download does, with no `node`
 * on the PATH of the installer or the browser: real Chromium connects to it and clones from the
 * sandbox through it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { HOST_NAME } from '../../src/shared/host-protocol';
import { ask, askWithProgress, launchWithCompanion, privateHome, type Session } from './harness';

let sandbox: Sandbox;
let session: Session;
let home: Awaited<ReturnType<typeof privateHome>>;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  ({ session, home } = await launchWithCompanion(sandbox, { executable: true }));
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
});

describe('the executable companion in real Chromium', () => {
  it('is registered as its installed copy, started without node', () => {
    expect(() => execFileSync('/bin/sh', ['-c', 'command -v node'], { env: { PATH: join(home.home, 'bin-without-node') } })).toThrow();
    const manifest = JSON.parse(readFileSync(join(session.userDataDir, 'NativeMessagingHosts', `${HOST_NAME}.json`), 'utf8')) as { path: string };
    const installDir = join(home.home, '.local/share/ado-companion/host');
    expect(manifest.path).toBe(join(installDir, 'ado-companion-host.sh'));
    expect(readFileSync(manifest.path, 'utf8')).toContain(`exec '${join(installDir, 'ado-companion')}' "$@"`);
  });

  it('answers the extension and clones the repository from the sandbox', async () => {
    const options = await session.openExtensionPage('options');
    const status = await ask(options, { type: 'companion.status' });
    expect(status).toMatchObject({ ok: true, data: { state: 'ready', version: expect.any(String) } });
    const cloneRoot = join(home.home, 'code');
    for (const request of [
      { type: 'profiles.addPat', organization: 'fabrikam', pat: sandbox.pats.fabrikam },
      { type: 'companion.setCloneRoot', cloneRoot },
    ]) {
      expect(await ask(options, request)).toMatchObject({ ok: true });
    }
    const repos = (await ask(options, { type: 'repos.list' })) as { data: { items: { id: string; name: string; project: { name: string } }[] } };
    const repo = repos.data.items.find((r) => r.name === 'Platform' && r.project.name === 'Platform')!;
    const { reply, progress } = await askWithProgress(options, { type: 'clone.start', repo: { id: repo.id, name: repo.name, project: repo.project.name }, taskId: 'exe-1' });
    expect(reply).toMatchObject({ ok: true, data: { path: join(cloneRoot, 'fabrikam/Platform/Platform') } });
    expect(progress.length).toBeGreaterThan(0);
    const path = (reply.data as { path: string }).path;
    expect(execFileSync('git', ['-C', path, 'remote', 'get-url', 'origin'], { encoding: 'utf8' }).trim()).toBe('https://dev.azure.com/fabrikam/_git/Platform');
  });
});
