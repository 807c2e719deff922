import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { installFakeCompanion } from './fake-companion';
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

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox);
  await installFakeCompanion(session, 'old-companion.js', { version: '0.0.1', capabilities: [], git: null, sshKeygen: false }, { code: 'BAD_REQUEST', message: 'old' });
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
