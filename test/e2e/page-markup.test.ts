import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import type { FeatureSettings } from '../../src/shared/messages';
import { ask, launch, type Session } from './harness';
import { ContentWorld, sandboxSwitch, screenshot, signedInPage } from './page-helpers';

/**
 * The features against Azure DevOps markup they were not written for: older class names still
 * anchor them; markup with no recognisable anchor shows them in the floating dock, and the
 * background records which anchors were missing. Switched-off features stay away.
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
  it('anchors next to Clone in the legacy markup, and in its pull request sidebar', async () => {
    await sandboxSwitch(page, 'markup', 'legacy', FILES);
    await page.waitForSelector(`#clone + ${CLONE}`, { timeout: 10_000 });
    await page.waitForSelector('.adoc-forks-as-remotes + #clone');
    const platform = sandbox.store.repository(sandbox.store.organization('fabrikam')!, 'Platform', sandbox.store.project(sandbox.store.organization('fabrikam')!, 'Platform'))!;
    const pr = sandbox.store.pullRequestsOf(platform).find((p) => p.status === 'active')!;
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.vc-pullrequest-sidebar > .adoc-pull-request-reviewers', { timeout: 10_000 });
    expect(await page.$(DOCK)).toBeNull();
    expect((await settings()).missingAnchors).toEqual([]);
  });

  it('shows the features floating when no anchor appears, and records what was missing', async () => {
    await sandboxSwitch(page, 'markup', 'broken', FILES);
    // Not before the anchors had their time.
    await new Promise((r) => setTimeout(r, 3000));
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
    expect(entry).toMatchObject({ origin: 'https://dev.azure.com', count: 1, selectors: expect.arrayContaining(['#__bolt-clone', '.vc-explorer-toolbar']) });
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
    await page.waitForSelector(`#__bolt-clone + ${CLONE}`, { timeout: 10_000 });
  });
});
