import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import type { FeatureSettings } from '../../src/shared/messages';
import { EMPTY_REPO_CLONE, FILES_COMMANDBAR, FILES_HEADER_COMMANDBAR } from '../../src/content/anchors';
import { ask, launch, type Session } from './harness';
import { ContentWorld, sandboxSwitch, screenshot, signedInPage } from './page-helpers';

/**
 * The features against Azure DevOps markup they were not written for: older (invented) class
 * names and markup with no recognisable anchor show them in the floating dock, and the background
 * records the page kind and the anchors tried. Switched-off features stay away.
 */
const CLONE = '.adoc-clone-to-desktop';
const DOCK = '.adoc-dock';
const FILES = '/fabrikam/_git/Platform';

let sandbox: Sandbox;
let session: Session;
let page: Page;
let options: Page;
let world: ContentWorld;

const settings = async () => ((await ask(options, { type: 'features.settings' })) as { data: FeatureSettings }).data;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox);
  options = await session.openExtensionPage('options');
  expect(await ask(options, { type: 'profiles.addPat', organization: 'fabrikam', pat: sandbox.pats.fabrikam })).toMatchObject({ ok: true });
  page = await signedInPage(session, FILES);
  world = await ContentWorld.of(page, session.extensionId);
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
});

describe('markup variants', () => {
  it('does not anchor to older names no public source shows: in the legacy markup the features wait in the dock', async () => {
    await sandboxSwitch(page, 'markup', 'legacy', FILES);
    await page.waitForSelector(DOCK, { timeout: 10_000 });
    expect(await page.$(CLONE)).toBeNull();
    await world.waitForText(CLONE, (t) => t[0] === 'Clone to desktop');
    await expect.poll(async () => (await settings()).missingAnchors.map((m) => `${m.feature} ${m.page}`).toSorted()).toEqual(['clone-to-desktop repoHome', 'forks-as-remotes repoHome']);
    expect(await ask(options, { type: 'features.clearLog' })).toMatchObject({ ok: true });
  });

  it('shows the features floating when no anchor appears, and records what was missing', async () => {
    await sandboxSwitch(page, 'markup', 'broken', FILES);
    // Not before the anchors had their time.
    // 2 of the 5 s: a stall of this machine up to 3 s still leaves the dock not floated yet.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await page.$(DOCK)).toBeNull();
    await page.waitForSelector(DOCK, { timeout: 10_000 });
    expect((await world.texts(DOCK))[0]).toContain('Azure DevOps Companion');
    // Both sit inside the dock's closed root: the page sees neither.
    await world.waitForText('.adoc-forks-as-remotes', (t) => t[0] === 'Add remote…');
    expect(await world.texts(CLONE)).toEqual(['Clone to desktop']);
    expect(await page.$(CLONE)).toBeNull();
    await expect.poll(async () => (await settings()).missingAnchors.map((m) => `${m.feature} ${m.page}`).toSorted()).toEqual([
      'clone-to-desktop repoHome',
      'forks-as-remotes repoHome',
    ]);
    const entry = (await settings()).missingAnchors.find((m) => m.feature === 'clone-to-desktop')!;
    // The page kind and the anchors tried there, from src/content/anchors.ts (the Branches page's are not among them).
    expect(entry).toMatchObject({ origin: 'https://dev.azure.com', count: 1, page: 'repoHome', selectors: [FILES_COMMANDBAR.selector, FILES_HEADER_COMMANDBAR.selector, EMPTY_REPO_CLONE.selector] });
    // Options names the page kind and the anchors tried, and copies a report for a bug report.
    await options.reload({ waitUntil: 'domcontentloaded' });
    await options.waitForSelector('#features .missing-anchors li[data-page="repoHome"]');
    const listed = await options.$$eval('#features .missing-anchors li', (li) => li.map((l) => l.textContent ?? ''));
    expect(listed.find((l) => l.startsWith('clone-to-desktop'))).toContain(`on repoHome pages of https://dev.azure.com`);
    expect(listed.find((l) => l.startsWith('clone-to-desktop'))).toContain(FILES_COMMANDBAR.selector);
    await options.evaluate(() => {
      const copied: string[] = [];
      (window as unknown as { copied: string[] }).copied = copied;
      navigator.clipboard.writeText = async (text: string) => void copied.push(text);
    });
    // A background tab: clicked from its own script (a real click would wait for it to be shown).
    await options.evaluate(() => [...document.querySelectorAll<HTMLButtonElement>('#features button')].find((b) => b.textContent === 'Copy report')!.click());
    await options.waitForFunction(() => (window as unknown as { copied: string[] }).copied.length > 0);
    const [report] = await options.evaluate(() => (window as unknown as { copied: string[] }).copied);
    expect(report).toContain('clone-to-desktop on repoHome pages of https://dev.azure.com');
    expect(report).toContain(`  tried ${EMPTY_REPO_CLONE.selector}`);
    expect(report).not.toContain('/_git/');
    // The floating button works like the anchored one.
    await world.click(CLONE, 'button');
    await world.waitForText('.adoc-popover', (t) => /Clone Platform|companion/.test(t[0] ?? ''));
    await screenshot(page, 'floating-dock-light');
    await sandboxSwitch(page, 'theme', 'dark', FILES);
    await page.waitForSelector(DOCK, { timeout: 10_000 });
    await screenshot(page, 'floating-dock-dark');
    await sandboxSwitch(page, 'theme', 'light', FILES);
    // Each visit that lacked the anchor counts; the entry stays one.
    await expect.poll(async () => (await settings()).missingAnchors.filter((m) => m.feature === 'clone-to-desktop').map((m) => m.count), { timeout: 20_000 }).toEqual([3]);
    await sandboxSwitch(page, 'markup', 'modern', FILES);
  });

  it('does not mount a feature switched off in Options', async () => {
    expect(await ask(options, { type: 'features.setEnabled', feature: 'clone-to-desktop', enabled: false })).toMatchObject({ ok: true });
    await page.goto(`https://dev.azure.com${FILES}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.adoc-forks-as-remotes', { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 500));
    expect(await page.$(CLONE)).toBeNull();
    expect(await ask(options, { type: 'features.setEnabled', feature: 'clone-to-desktop', enabled: true })).toMatchObject({ ok: true });
    await page.goto(`https://dev.azure.com${FILES}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector(`${CLONE} ~ .bolt-header-commandbar`, { timeout: 10_000 });
  });
});
