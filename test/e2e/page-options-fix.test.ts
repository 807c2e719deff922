import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { launch, type Session } from './harness';
import { ContentWorld, signedInPage } from './page-helpers';
import { addPatProfile } from './ui-steps';

/**
 * A failure on a page whose fix is in Options (here a token Azure DevOps refuses to let create a
 * branch) offers the button that opens Options where it is fixed (the profile's token), not only
 * words saying so.
 */
const POPOVER = '.adoc-popover';

let sandbox: Sandbox;
let session: Session;
let profileId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox);
  const options = await session.openExtensionPage('options');
  profileId = (await addPatProfile(options, 'fabrikam', sandbox.pats.fabrikam!)).id;
  await options.close();
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
});

describe('a failure fixed in Options', () => {
  it('Start work: a refused Create branch keeps the form and offers Update the token, which opens the profile', async () => {
    const org = sandbox.store.organization('fabrikam')!;
    const item = sandbox.store.workItems.ofOrganization(org.id).find((w) => w.fields['System.Title'] === 'Show the delivery date in the order summary')!;
    const page = await signedInPage(session, `/fabrikam/Fabrikam%20Fiber/_workitems/edit/${item.id}`);
    const world = await ContentWorld.of(page, session.extensionId);
    await page.waitForSelector('.adoc-start-work', { timeout: 15_000 });
    await world.click('.adoc-start-work', 'button');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Create branch'));
    sandbox.services.faults.add({ match: { method: 'POST', pathRegex: '/refs' }, status: 403 });
    try {
      await world.click(POPOVER, 'button', 'Create branch');
      const [text] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Nothing was created'));
      expect(text).toContain('Update the token');
    } finally {
      sandbox.services.faults.clear();
    }
    const known = new Set(session.browser.targets());
    const opened = session.browser.waitForTarget((t) => !known.has(t) && t.url().includes('src/options/index.html#profiles'), { timeout: 10_000 });
    await world.click(POPOVER, 'button', 'Update the token');
    expect((await opened).url()).toContain(`#profiles/${encodeURIComponent(profileId)}`);
    await page.close();
  });

  it('a page asking for Options again and again, without a click, opens one tab, moved to the section asked last', async () => {
    const optionsTabs = () => session.browser.targets().filter((t) => t.type() === 'page' && t.url().includes('src/options/index.html'));
    for (const target of optionsTabs()) await (await target.page())?.close();
    const page = await signedInPage(session, '/fabrikam/_git/Platform');
    const world = await ContentWorld.of(page, session.extensionId);
    const ask = (section: string, times: number) =>
      world.run<{ ok: boolean }[]>('(section, times) => Promise.all(Array.from({ length: times }, () => chrome.runtime.sendMessage({ type: "options.open", section })))', section, times);
    // All at once, as a (subverted) content script could.
    expect(await ask('companion', 20)).toEqual(Array.from({ length: 20 }, () => ({ ok: true, data: { opened: true } })));
    await vi.waitFor(() => expect(optionsTabs().map((t) => t.url())).toEqual([expect.stringMatching(/#companion$/)]), { timeout: 10_000 });
    // Asked again at another section: the same tab goes there, and is the one shown.
    expect(await ask('editor', 1)).toEqual([{ ok: true, data: { opened: true } }]);
    await vi.waitFor(() => expect(optionsTabs().map((t) => t.url())).toEqual([expect.stringMatching(/#editor$/)]), { timeout: 10_000 });
    const options = (await optionsTabs()[0]!.page())!;
    expect(await options.evaluate(() => document.visibilityState)).toBe('visible');
    expect(await page.evaluate(() => document.visibilityState)).toBe('hidden');
    await page.close();
  });
});
