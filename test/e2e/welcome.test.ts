import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { ADO_COMPANION_CHROME_ID } from '../../src/shared/extension-ids';
import { HOST_NAME } from '../../src/shared/host-constants';
import { ask, launch, type Session } from './harness';
import { textOf } from './ui-steps';

/**
 * The welcome's steps for what a first run may meet besides a missing companion: one installed
 * that stops at once, and accounts whose clone folders differ.
 */
let sandbox: Sandbox;
let session: Session;
let welcome: Page;

/** A token profile as an export file holds it. */
const profile = (id: string, organization: string, cloneRoot?: string) => ({ id, name: organization, host: { kind: 'cloud' }, organization, auth: 'pat', ...(cloneRoot ? { cloneRoot } : {}) });

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox, { keepWelcome: true });
  welcome = (await (await session.browser.waitForTarget((t) => t.url().endsWith('#welcome'), { timeout: 15_000 })).asPage())!;
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
});

describe('the welcome', () => {
  it('says a companion that is installed but stops at once did so, with its doctor command, not only how to install it', async () => {
    const hosts = join(session.userDataDir, 'NativeMessagingHosts');
    await mkdir(hosts, { recursive: true });
    const program = join(session.userDataDir, 'stops.sh');
    await writeFile(program, '#!/bin/sh\nexit 127\n');
    await chmod(program, 0o755);
    await writeFile(join(hosts, `${HOST_NAME}.json`), JSON.stringify({ name: HOST_NAME, description: 'stops', path: program, type: 'stdio', allowed_origins: [`chrome-extension://${ADO_COMPANION_CHROME_ID}/`] }));
    expect(await ask(welcome, { type: 'companion.status' })).toMatchObject({ ok: true, data: { state: 'failed' } });
    await welcome.waitForFunction(() => document.querySelector('#welcome')?.textContent?.includes('stopped unexpectedly'), { timeout: 15_000 });
    expect(await textOf(welcome, '#welcome')).toContain('"doctor" command');
  });

  it("names the active profile's clone folder, not another profile's", async () => {
    const json = JSON.stringify({ format: 'azure-devops-companion/profiles@1', profiles: [profile('contoso1', 'contoso', '/srv/contoso'), profile('fabrikam1', 'fabrikam')] });
    expect(await ask(welcome, { type: 'profiles.import', json })).toMatchObject({ ok: true });
    expect(await ask(welcome, { type: 'profiles.setActive', id: 'contoso1' })).toMatchObject({ ok: true });
    await welcome.reload();
    await welcome.waitForFunction(() => document.querySelector('#welcome')?.textContent?.includes('Clones go to /srv/contoso'), { timeout: 15_000 });
    expect(await ask(welcome, { type: 'profiles.setActive', id: 'fabrikam1' })).toMatchObject({ ok: true });
    await welcome.reload();
    await welcome.waitForFunction(() => document.querySelector('#welcome')?.textContent?.includes('Connected: '), { timeout: 15_000 });
    expect(await textOf(welcome, '#welcome')).not.toContain('/srv/contoso');
  });
});
