/**
 * The sandbox's Azure DevOps look-alike pages in real Chromium: sign-in with the session cookie,
 * every page type's anchors after their late render, the Clone panel, in-app navigation with
 * history.pushState (and back/forward), the dark and automatic themes, and the markup variants.
 * One browser, one tab, a handful of full page loads.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { findChromium } from '../e2e/chromium';

let sandbox: Sandbox;
let browser: Browser;
let page: Page;
let profileDir: string;

const ORIGIN = 'https://dev.azure.com';
const PLATFORM = `${ORIGIN}/fabrikam/_git/Platform`;
/** The Files page's Clone command (no id: no public source shows one). */
const CLONE = 'button.bolt-header-command-item-button[aria-haspopup="dialog"]';
const GROUP = '.bolt-header-commandbar.repos-files-header-commandbar > .bolt-header-commandbar-button-group';

beforeAll(async () => {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found (install Debian\'s chromium, or set CHROME_PATH).');
  sandbox = await startSandbox({ quiet: true });
  profileDir = await mkdtemp(join(tmpdir(), 'sandbox-web-profile-'));
  browser = await launch({
    executablePath,
    headless: true,
    userDataDir: profileDir,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      `--host-resolver-rules=${sandbox.hostResolverRules}`,
      `--ignore-certificate-errors-spki-list=${sandbox.spki}`,
    ],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  // When the command bar first appears, relative to DOMContentLoaded (to prove it renders late).
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('DOMContentLoaded', () => {
      const w = window as unknown as { sandboxDcl: number; sandboxCommandbarAt?: number };
      w.sandboxDcl = performance.now();
      new MutationObserver((_m, obs) => {
        if (document.querySelector('[role="menubar"], [data-sandbox-action="clone"]')) {
          w.sandboxCommandbarAt = performance.now();
          obs.disconnect();
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
  });
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

const text = (selector: string) => page.$eval(selector, (e) => e.textContent?.trim() ?? '');
const texts = (selector: string) => page.$$eval(selector, (els) => els.map((e) => e.textContent?.trim() ?? ''));
const dataProviders = () => page.$eval('#dataProviders', (e) => e.textContent ?? '');

describe('sandbox web pages in Chromium', () => {
  it('sends an anonymous visitor to sign in and back to the page with a session cookie', async () => {
    await page.goto(PLATFORM, { waitUntil: 'domcontentloaded' });
    expect(page.url()).toContain('/_sandbox/signin?returnUrl=');
    await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click('a[data-user="ada"]')]);
    expect(page.url()).toBe(PLATFORM);
    const cookies = await browser.cookies();
    expect(cookies.some((c) => c.name === 'UserAuthentication' && c.domain === 'dev.azure.com')).toBe(true);
  });

  it('draws the files view with the branch picker at once and the Clone command bar late', async () => {
    await page.goto(`${PLATFORM}?path=/&version=GBmain`, { waitUntil: 'domcontentloaded' });
    expect(await text('.repos-files-header .version-dropdown .bolt-dropdown-expandable-button-label')).toBe('main');
    const providers = JSON.parse(await dataProviders()) as { data: Record<string, { user?: { uniqueName: string } }> };
    expect(providers.data['ms.vss-web.page-data']?.user?.uniqueName).toBe('ada@fabrikam.test');
    await page.waitForSelector(`${GROUP} > ${CLONE}`);
    const late = await page.evaluate(() => {
      const w = window as unknown as { sandboxDcl: number; sandboxCommandbarAt?: number };
      return (w.sandboxCommandbarAt ?? 0) - w.sandboxDcl;
    });
    expect(late).toBeGreaterThanOrEqual(80);
    expect(await texts('.repos-files-hub-page tbody [aria-colindex="1"] a')).toContain('README.md');
  });

  it('opens the Clone panel with the HTTPS and SSH URLs', async () => {
    await page.click(CLONE);
    const input = '.bolt-portal-host .repos-clone-panel input.repos-clone-url';
    await page.waitForSelector(input);
    expect(await page.$eval(input, (e) => (e as HTMLInputElement).value)).toBe('https://fabrikam@dev.azure.com/fabrikam/_git/Platform');
    await page.click('.repos-clone-panel [data-sandbox-protocol="ssh"]');
    expect(await page.$eval(input, (e) => (e as HTMLInputElement).value)).toBe('git@ssh.dev.azure.com:v3/fabrikam/Platform/Platform');
    expect(await page.$('.repos-clone-panel .clone-with-application')).not.toBeNull();
    await page.keyboard.press('Escape');
    expect(await page.$('.repos-clone-panel')).toBeNull();
  });

  it('navigates in-app with pushState, keeps the stale data providers, and renders reviewers late', async () => {
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const providersBefore = await dataProviders();
    const marker = () => page.evaluate(() => (window as unknown as { marker?: number }).marker);

    await page.click('a.navigation-link[href="/fabrikam/_git/Platform/branches"]');
    await page.waitForSelector('table.bolt-table a[href*="version=GBfeature"]');
    expect(new URL(page.url()).pathname).toBe('/fabrikam/_git/Platform/branches');
    expect(await page.title()).toBe('Branches - Platform - Repos');

    await page.click('a.navigation-link[href="/fabrikam/_git/Platform/pullrequests"]');
    await page.waitForSelector('.repos-pr-list-page');
    // The default tab is "Mine": Ada reviews pull request 1 and created 2.
    await page.click('a.bolt-list-row[href="/fabrikam/_git/Platform/pullrequest/1"]');
    await page.waitForSelector('.repos-pr-details-page');
    expect(await text('.repos-pr-header .bolt-header-title')).toBe('Add a retry policy to the HTTP client');
    expect(await texts('.pr-header-branches a.bolt-link')).toEqual(['feature/retry-policy', 'main']);
    expect(await page.$('.repos-reviewer')).toBeNull();
    await page.waitForSelector('.repos-overview-right-pane > .flex-column .repos-reviewer');
    expect(await texts('.pr-required-reviewers-section .repos-reviewer .body-m')).toEqual(['Ada Lovelace']);
    expect(await page.$$eval('.pr-optional-reviewers-section .repos-reviewer', (rows) => rows.map((r) => r.getAttribute('aria-label')))).toEqual([
      'Alan Turing, Approved, Optional',
      '[fabrikam]\\Release Approvers, No response, Optional',
    ]);
    await page.waitForSelector('.repos-pr-header .repos-pr-header-vote-button > button.bolt-split-button-main');

    expect(await marker()).toBe(42);
    expect(await dataProviders()).toBe(providersBefore);
    expect(providersBefore).not.toContain('pr-detail-data-provider');

    await page.goBack();
    await page.waitForSelector('.repos-pr-list-page');
    expect(new URL(page.url()).pathname).toBe('/fabrikam/_git/Platform/pullrequests');
    await page.goBack();
    await page.waitForSelector('a.navigation-link.selected[href$="/branches"]');
    await page.goForward();
    await page.waitForSelector('.repos-pr-list-page');
    expect(await marker()).toBe(42);
  });

  it('shows reviewers as the store holds them at render time', async () => {
    const org = sandbox.store.organization('fabrikam')!;
    const pr = sandbox.store.pullRequest(org, 1)!;
    const id = (alias: string) => sandbox.store.user(alias)!.id;
    const reviewer = (alias: string, vote: -10 | -5 | 5, isRequired: boolean) => ({ id: id(alias), vote, isRequired, hasDeclined: false, isFlagged: false });
    pr.reviewers.push(reviewer('grace', -5, true), reviewer('edsger', -10, false), reviewer('barbara', 5, false));

    await page.click('a.bolt-list-row[href="/fabrikam/_git/Platform/pullrequest/1"]');
    await page.waitForSelector('.repos-reviewer[aria-label$=", Approved with suggestions, Optional"]');
    expect(await texts('.pr-required-reviewers-section .repos-pr-reviewer-vote')).toEqual(['No response', 'Waiting for author']);
    expect(await texts('.pr-optional-reviewers-section .repos-pr-reviewer-vote')).toEqual(['Approved', 'No response', 'Rejected', 'Approved with suggestions']);
  });

  it('draws the empty repository page, no forks page, and the create form', async () => {
    await page.click('a.bolt-breadcrumb-item[href="/fabrikam/Platform"]');
    await page.waitForSelector('.project-overview-page');
    await page.click('a.bolt-list-row[href="/fabrikam/Platform/_git/platform-tools"]');
    await page.waitForSelector('.repos-files-hub-page');
    expect(await page.$('a.navigation-link[href$="/forks"]')).toBeNull();

    await page.goto(`${ORIGIN}/fabrikam/Fabrikam%20Fiber/_git/Empty`, { waitUntil: 'domcontentloaded' });
    expect(await text('.bolt-header-title')).toBe('Empty is empty. Add some code!');
    await page.waitForSelector('.page-content div.clone-with-application');
    expect(await page.$eval('.repos-empty-clone input.repos-clone-url', (e) => (e as HTMLInputElement).value)).toBe(
      'https://fabrikam@dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/Empty',
    );

    await page.evaluate(() => {
      const a = document.createElement('a');
      a.href = '/fabrikam/_git/Platform/pullrequestcreate?sourceRef=feature/retry-policy&targetRef=main';
      a.textContent = 'go';
      document.body.append(a);
      a.click();
    });
    await page.waitForSelector('.repos-pr-create-page');
    expect(await texts('.repos-pr-create-header .version-dropdown .bolt-dropdown-expandable-button-label')).toEqual(['feature/retry-policy', 'main']);
    expect(await page.$('input[placeholder="Enter a title"]')).not.toBeNull();
    await page.click('.repos-pr-create-header [data-sandbox-which="targetRef"]');
    await page.waitForSelector('.bolt-portal-host a[data-sandbox-branch="feature/retry-policy"]');
    await page.click('.bolt-portal-host a[data-sandbox-branch="feature/retry-policy"]');
    await page.waitForSelector('.repos-pr-create-page [role="alert"]');
    expect(new URL(page.url()).searchParams.get('targetRef')).toBe('feature/retry-policy');
  });

  it("lays the command bar out like azure-devops-ui's ResponsiveLayout: by DOM index, overflowing into ⋮", async () => {
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto(PLATFORM, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector(CLONE);
    const items = () => page.$$eval(`${GROUP} > *`, (kids) => kids.map((k) => (k.classList.contains('responsive-placeholder') ? 'placeholder' : (k.querySelector('[aria-label]')?.getAttribute('aria-label') ?? (k.textContent ?? '').trim()))));
    expect(await items()).toEqual(['Set up build', 'Clone', 'More actions']);
    const menu = async () => {
      await page.click(`${GROUP} button[aria-label="More actions"]`);
      await page.waitForSelector('.bolt-portal-host [role="menu"]');
      const entries = await texts('.bolt-portal-host [role="menu"] [role="menuitem"]');
      return entries;
    };
    expect(await menu()).toEqual(['Download as Zip', 'Fork']);
    await page.keyboard.press('Escape');

    // Narrow: the last commands go into ⋮ first, in their order, leaving placeholders at their indices.
    await page.setViewport({ width: 640, height: 800 });
    await page.waitForFunction((g) => document.querySelectorAll(`${g} > .responsive-placeholder`).length > 0, {}, GROUP);
    const narrow = await items();
    expect(narrow).toHaveLength(3);
    expect(narrow[2]).toBe('More actions');
    expect(narrow[1]).toBe('placeholder');
    const inMenu = await menu();
    expect(inMenu.slice(-2)).toEqual(['Download as Zip', 'Fork']);
    expect(inMenu[inMenu.length - 3]).toBe('Clone');
    // Clone from ⋮ opens the Clone panel.
    const entries = await page.$$('.bolt-portal-host [role="menu"] [role="menuitem"]');
    await entries[entries.length - 3]!.click();
    await page.waitForSelector('.bolt-portal-host .repos-clone-panel');
    await page.keyboard.press('Escape');

    // Wide again: everything back in place.
    await page.setViewport({ width: 1280, height: 800 });
    await page.waitForFunction((g) => document.querySelectorAll(`${g} > .responsive-placeholder`).length === 0, {}, GROUP);
    expect(await items()).toEqual(['Set up build', 'Clone', 'More actions']);
    expect(errors.filter((e) => e.includes('ResponsiveLayout'))).toEqual([]);

    // A command with display:none is dropped into ⋮.
    await page.$eval(`${GROUP} > :first-child`, (e) => ((e as HTMLElement).style.display = 'none'));
    await page.setViewport({ width: 1270, height: 800 });
    await page.waitForFunction((g) => document.querySelector(`${g} > :first-child`)?.classList.contains('responsive-placeholder'), {}, GROUP);
    expect(await menu()).toEqual(['Set up build', 'Download as Zip', 'Fork']);
    await page.keyboard.press('Escape');

    // A node inserted among the items shifts their indices: the layout says so.
    await page.$eval(GROUP, (g) => g.prepend(Object.assign(document.createElement('button'), { textContent: 'Not Azure DevOps' })));
    await page.setViewport({ width: 1200, height: 800 });
    await expect.poll(() => errors.filter((e) => e.includes('ResponsiveLayout')).length, { timeout: 5000 }).toBeGreaterThan(0);
    await page.setViewport({ width: 1280, height: 800 });
  });

  it('ignores a popstate a script dispatched, as Azure DevOps does (back and forward still work)', async () => {
    await page.goto(PLATFORM, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector(CLONE);
    await page.evaluate(() => {
      document.querySelector('main')!.append(Object.assign(document.createElement('div'), { id: 'still-here' }));
      history.pushState({}, '', '/fabrikam/_git/Platform/branches');
      dispatchEvent(new PopStateEvent('popstate', { state: {} }));
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(await page.$('#still-here')).not.toBeNull();
    expect(await page.$('table.bolt-table a[href*="version=GBfeature"]')).toBeNull();
  });

  it('applies the dark theme, and follows the system in auto', async () => {
    await page.goto(`${ORIGIN}/_sandbox/theme?mode=dark&returnUrl=${encodeURIComponent('/fabrikam/_git/Platform')}`, { waitUntil: 'domcontentloaded' });
    expect(page.url()).toBe(PLATFORM);
    const look = () =>
      page.evaluate(() => ({ cls: document.body.className, theme: document.body.dataset.theme, bg: getComputedStyle(document.body).backgroundColor }));
    expect(await look()).toEqual({ cls: expect.stringContaining('ms-vss-web-vsts-theme-dark'), theme: 'ms.vss-web.vsts-theme-dark', bg: 'rgb(32, 31, 30)' });
    expect(await dataProviders()).toContain('"requestedThemeId":"ms.vss-web.vsts-theme-dark"');

    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await page.goto(`${ORIGIN}/_sandbox/theme?mode=auto&returnUrl=${encodeURIComponent('/fabrikam/_git/Platform')}`, { waitUntil: 'domcontentloaded' });
    expect((await look()).theme).toBe('ms.vss-web.vsts-theme-dark');
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await page.waitForFunction(() => document.body.classList.contains('ms-vss-web-vsts-theme') && !document.body.classList.contains('ms-vss-web-vsts-theme-dark'));
    expect(await look()).toEqual({ cls: expect.stringContaining('ms-vss-web-vsts-theme'), theme: 'ms.vss-web.vsts-theme', bg: 'rgb(255, 255, 255)' });
  });

  it('changes the anchors with the legacy and broken markup variants', async () => {
    await page.goto(`${ORIGIN}/_sandbox/markup?variant=legacy&returnUrl=${encodeURIComponent('/fabrikam/_git/Platform/pullrequest/1')}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.vc-pullrequest-details-view .vc-pullrequest-reviewer');
    await page.waitForSelector('.vote-control-container .ms-SplitButton-main');
    expect(await page.$$('.repos-pr-details-page, .repos-reviewer, .repos-pr-header-vote-button')).toHaveLength(0);

    await page.goto(`${ORIGIN}/_sandbox/markup?variant=broken&returnUrl=${encodeURIComponent('/fabrikam/_git/Platform')}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('[data-sandbox-action="clone"]');
    // Below <body>: the body keeps its theme class (ms-vss-web-vsts-theme) in every variant.
    const anchors = await page.evaluate(
      () =>
        document.body.querySelectorAll(
          '[class*="bolt-"], [class*="repos-"], [class*="version-"], [class*="region-"], [class*="vc-"], [class*="vss-"], [id^="__bolt"], [role="menubar"]',
        ).length,
    );
    expect(anchors).toBe(0);
    // Still a working page: the Clone button opens its panel.
    await page.click('[data-sandbox-action="clone"]');
    await page.waitForSelector('[data-sandbox-callout="clone"] [data-sandbox-clone-url]');
    expect(await page.$eval('[data-sandbox-clone-url]', (e) => (e as HTMLInputElement).value)).toBe('https://fabrikam@dev.azure.com/fabrikam/_git/Platform');
    await page.goto(`${ORIGIN}/_sandbox/markup?variant=modern`, { waitUntil: 'domcontentloaded' });
  });
});
