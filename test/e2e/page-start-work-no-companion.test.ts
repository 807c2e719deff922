import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { launch, type Session } from './harness';
import { ContentWorld, signedInPage } from './page-helpers';
import { addPatProfile } from './ui-steps';

/**
 * Start work in a browser where the companion is not installed: the form still makes and links the
 * branch, and says how to get the companion for the checkout. Also where the form is found: a work
 * item opened from query results.
 */
const START = '.adoc-start-work';
const POPOVER = '.adoc-popover';

let sandbox: Sandbox;
let session: Session;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox);
  const options = await session.openExtensionPage('options');
  await addPatProfile(options, 'fabrikam', sandbox.pats.fabrikam!);
  await options.close();
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
});

const itemId = () => {
  const org = sandbox.store.organization('fabrikam')!;
  return sandbox.store.workItems.ofOrganization(org.id).find((w) => w.fields['System.Title'] === 'Show the delivery date in the order summary')!.id;
};

const branchName = (world: ContentWorld) => world.run<string>(`(sel) => chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelector('input[aria-label="Branch name"]').value`, POPOVER);

async function openStartWork(page: Page, world: ContentWorld): Promise<string> {
  await page.waitForSelector(START, { timeout: 15_000 });
  await world.click(START, 'button');
  const [text] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Create branch'));
  return text!;
}

describe('Start work without the companion', () => {
  it('keeps the branch name typed when the panel is closed and opened again', async () => {
    const page = await signedInPage(session, `/fabrikam/Fabrikam%20Fiber/_workitems/edit/${itemId()}`);
    const world = await ContentWorld.of(page, session.extensionId);
    expect(await openStartWork(page, world)).toContain('companion');
    await world.type(POPOVER, 'input[aria-label="Branch name"]', 'users/ada/typed-here');
    await page.keyboard.press('Escape');
    await page.waitForFunction((sel) => !document.querySelector(sel), {}, POPOVER);
    // Opened again, the form is read again (the companion may have been installed meanwhile), with what was typed.
    await openStartWork(page, world);
    expect(await branchName(world)).toBe('users/ada/typed-here');
    await page.close();
  });

  it('is on a work item opened from query results (/_queries/edit/{id}), for that item', async () => {
    const id = itemId();
    const page = await signedInPage(session, `/fabrikam/Fabrikam%20Fiber/_queries/edit/${id}/?queryId=447cfb06-b57c-4c39-83f9-8b13fc14a8ef`);
    const world = await ContentWorld.of(page, session.extensionId);
    const text = await openStartWork(page, world);
    expect(text).toContain(`Start work on User Story ${id}`);
    expect(text).toContain('Show the delivery date in the order summary');
    // In the form's header, not the floating dock.
    expect(await page.$eval(START, (h) => !!h.closest('.work-item-form-header-controls-container'))).toBe(true);
    await page.close();
  });
});
