import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { ADO_COMPANION_CHROME_ID } from '../../src/shared/extension-ids';
import { HOST_NAME, PROTOCOL_VERSION } from '../../src/shared/host-constants';
import { ask, launch, type Session } from './harness';
import { ContentWorld, signedInPage } from './page-helpers';
import { addPatProfile, openPopup, textOf, waitForText } from './ui-steps';

/**
 * An installed companion that is too old for this extension (it answers hello, but lacks what the
 * extension needs): every place says it needs an update, never that it is not installed, and
 * offers "Update the companion", on the pages as in the popup.
 */
const POPOVER = '.adoc-popover';

let sandbox: Sandbox;
let session: Session;

/** A companion of the same protocol with none of the capabilities: an older build. */
const OLD_HOST = `#!/usr/bin/env node
let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32LE(0)) {
    const size = buffer.readUInt32LE(0);
    const request = JSON.parse(buffer.subarray(4, 4 + size).toString('utf8'));
    buffer = buffer.subarray(4 + size);
    const data = { name: ${JSON.stringify(HOST_NAME)}, version: '0.0.1', protocolVersion: ${PROTOCOL_VERSION}, capabilities: [], platform: 'linux', node: process.version, git: null, sshKeygen: false, logFile: '/dev/null', limits: { maxFrameToBrowser: 1000000, maxFrameFromBrowser: 1000000 } };
    const body = Buffer.from(JSON.stringify(request.type === 'hello' ? { id: request.id, ok: true, data } : { id: request.id, ok: false, error: { code: 'BAD_REQUEST', message: 'old' } }));
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length, 0);
    process.stdout.write(Buffer.concat([head, body]));
  }
});
process.stdin.on('end', () => process.exit(0));
`;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox);
  // Registered for this browser profile the way the companion's installer does it.
  const hosts = join(session.userDataDir, 'NativeMessagingHosts');
  await mkdir(hosts, { recursive: true });
  const program = join(session.userDataDir, 'old-companion.js');
  await writeFile(program, OLD_HOST);
  await chmod(program, 0o755);
  await writeFile(join(hosts, `${HOST_NAME}.json`), JSON.stringify({ name: HOST_NAME, description: 'An old companion', path: program, type: 'stdio', allowed_origins: [`chrome-extension://${ADO_COMPANION_CHROME_ID}/`] }));
  const options = await session.openExtensionPage('options');
  await addPatProfile(options, 'fabrikam', sandbox.pats.fabrikam!);
  expect(await ask(options, { type: 'companion.status' })).toMatchObject({ ok: true, data: { state: 'outdated' } });
  await options.close();
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
});

describe('an outdated companion', () => {
  it('Clone to desktop says it needs an update, with the steps and Update the companion', async () => {
    const page = await signedInPage(session, '/fabrikam/Platform/_git/platform-tools');
    const world = await ContentWorld.of(page, session.extensionId);
    await page.waitForSelector('.adoc-clone-to-desktop', { timeout: 15_000 });
    await world.click('.adoc-clone-to-desktop', 'button');
    const [text] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Or clone it yourself'));
    expect(text).toContain('The companion needs an update');
    expect(text).toContain('lacks');
    expect(text).not.toContain('not installed');
    const buttons = await world.run<string[]>(`(sel) => [...chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('button')].map((b) => b.textContent)`, POPOVER);
    expect(buttons).toContain('Update the companion');
    await page.close();
  });

  it('Start work says so beside its form, with Update the companion', async () => {
    const org = sandbox.store.organization('fabrikam')!;
    const item = sandbox.store.workItems.ofOrganization(org.id).find((w) => w.fields['System.Title'] === 'Show the delivery date in the order summary')!;
    const page = await signedInPage(session, `/fabrikam/Fabrikam%20Fiber/_workitems/edit/${item.id}`);
    const world = await ContentWorld.of(page, session.extensionId);
    await page.waitForSelector('.adoc-start-work', { timeout: 15_000 });
    await world.click('.adoc-start-work', 'button');
    const [text] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Create branch'));
    expect(text).toContain('The companion needs an update');
    expect(text).toContain('Update the companion');
    expect(text).not.toContain('not installed');
    await page.close();
  });

  it('the popup says so for cloning, and its button is Update the companion', async () => {
    const popup = await openPopup(session);
    await popup.waitForSelector('#repo-list [data-repo="Platform"]', { timeout: 20_000 });
    await popup.click('#repo-list [data-repo="Platform"]');
    const text = await waitForText(popup, '[data-testid="repo-actions"]', 'The companion needs an update');
    expect(text).not.toContain('not installed');
    expect(await textOf(popup, '[data-testid="repo-actions"] button.primary')).toBe('Update the companion');
    await popup.close();
  });

  it("the popup's Pull requests and Work tabs say so before any checkout, with Update the companion", async () => {
    const popup = await openPopup(session);
    for (const tab of ['#tab-prs', '#tab-work']) {
      await popup.click(tab);
      const note = await waitForText(popup, '[data-testid="companion-note"]', 'The companion needs an update');
      expect(note).toContain('Update the companion');
      expect(note).not.toContain('not installed');
    }
    await popup.close();
  });
});
