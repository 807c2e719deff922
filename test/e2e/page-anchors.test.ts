import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { ask, launch, type Session } from './harness';
import { ContentWorld, sandboxSwitch, screenshot, signedInPage } from './page-helpers';

/**
 * Where the features sit on pages drawn from the public evidence of Azure DevOps' markup: beside
 * the Files page's header command bar without disturbing azure-devops-ui's ResponsiveLayout (its
 * items keep their DOM indices, overflow order and ⋮ menu), icon-only when the header is narrow,
 * in the empty repository's clone area, beside the Branches page's command bar; in another UI
 * language and in the dark theme too, and never in the floating dock on these pages.
 */
const CLONE = '.adoc-clone-to-desktop';
const FORKS = '.adoc-forks-as-remotes';
const CHECKOUT = '.adoc-pull-request-checkout';
const REVIEWERS = '.adoc-pull-request-reviewers';
const DOCK = '.adoc-dock';
const FILES = '/fabrikam/_git/Platform';
const BAR = '.bolt-header-commandbar.repos-files-header-commandbar';
const GROUP = `${BAR} > .bolt-header-commandbar-button-group`;

let sandbox: Sandbox;
let session: Session;
let page: Page;
let world: ContentWorld;
const errors: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox);
  const options = await session.openExtensionPage('options');
  expect(await ask(options, { type: 'profiles.addPat', organization: 'fabrikam', pat: sandbox.pats.fabrikam })).toMatchObject({ ok: true });
  await options.close();
  page = await signedInPage(session, FILES);
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  world = await ContentWorld.of(page, session.extensionId);
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
});

interface Layout {
  /** Azure DevOps' command bar items, by DOM index: a label, `placeholder`, or `FOREIGN` for anything else. */
  items: string[];
  /** Our hosts that sit right before the command bar, in its parent, in order. */
  beside: string[];
  /** Whether our buttons overlap the title area. */
  overTitle: boolean;
}

/** The header as Azure DevOps' layout sees it. */
const layout = () =>
  page.evaluate(
    (bar, group) => {
      const commandbar = document.querySelector(bar)!;
      const items = [...document.querySelector(group)!.children].map((k) => {
        if (k.classList.contains('responsive-placeholder')) return 'placeholder';
        if (!k.matches('.bolt-header-command-item-button')) return 'FOREIGN';
        return k.querySelector('[aria-label]')?.getAttribute('aria-label') ?? k.querySelector('.bolt-button-text')?.textContent ?? '';
      });
      const beside = [...commandbar.parentElement!.children].filter((c) => c !== commandbar && c.matches('[data-adoc]')).map((c) => c.getAttribute('data-adoc')!);
      const title = document.querySelector('.repos-files-header .bolt-header-title-area')!.getBoundingClientRect();
      const overTitle = [...document.querySelectorAll('[data-adoc]')].some((h) => {
        const r = h.getBoundingClientRect();
        return r.width > 0 && r.left < title.right && r.right > title.left && r.top < title.bottom && r.bottom > title.top;
      });
      return { items, beside, overTitle };
    },
    BAR,
    GROUP,
  ) as Promise<Layout>;

/** The ⋮ menu's entries (opened and closed again). */
async function moreMenu(): Promise<string[]> {
  await page.click(`${GROUP} > :last-child > button`);
  await page.waitForSelector('.bolt-portal-host [role="menu"]');
  const entries = await page.$$eval('.bolt-portal-host [role="menu"] [role="menuitem"]', (e) => e.map((x) => (x.textContent ?? '').trim()));
  await page.keyboard.press('Escape');
  return entries;
}

/** Our button's width and accessible name (inside the closed root). */
const ourButton = (host: string) =>
  world.run<{ width: number; name: string; compact: boolean }>(
    `(sel) => { const b = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelector('button'); return { width: b.getBoundingClientRect().width, name: b.innerText.trim() || b.textContent.trim(), compact: b.classList.contains('adoc-compact') }; }`,
    host,
  );

async function atWidth(width: number, path = FILES): Promise<void> {
  await page.setViewport({ width, height: 800 });
  await page.goto(`https://dev.azure.com${path}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector(`${CLONE} ~ ${BAR}`, { timeout: 10_000 });
  await page.waitForSelector(`${FORKS} ~ ${BAR}`, { timeout: 10_000 });
  // The layout settles after the header's last resize.
  await new Promise((r) => setTimeout(r, 300));
}

describe('Files page header', () => {
  it('sits beside the command bar at 1280 px: Azure DevOps keeps its items, indices and menu', async () => {
    await atWidth(1280);
    const seen = await layout();
    expect(seen.items).toEqual(['Set up build', 'Clone', 'More actions']);
    expect(seen.beside).toEqual(['clone-to-desktop', 'forks-as-remotes']);
    expect(seen.overTitle).toBe(false);
    expect(await moreMenu()).toEqual(['Download as Zip', 'Fork']);
    expect((await ourButton(CLONE)).compact).toBe(false);
    expect(errors.filter((e) => e.includes('ResponsiveLayout'))).toEqual([]);
    expect(await page.$(DOCK)).toBeNull();
    await screenshot(page, 'files-header-1280-light');
  });

  for (const width of [1024, 900]) {
    it(`at ${width} px: icon-only buttons with their names kept, and Azure DevOps' overflow order intact`, async () => {
      await atWidth(width);
      const seen = await layout();
      expect(seen.beside).toEqual(['clone-to-desktop', 'forks-as-remotes']);
      expect(seen.overTitle).toBe(false);
      // Only Azure DevOps' items, at their indices; what overflowed left placeholders from the end backwards.
      expect(seen.items).toHaveLength(3);
      expect(seen.items.at(-1)).toBe('More actions');
      const shown = seen.items.slice(0, 2);
      const firstHidden = shown.indexOf('placeholder');
      if (firstHidden >= 0) expect(shown.slice(firstHidden).every((i) => i === 'placeholder')).toBe(true);
      expect(shown.filter((i) => i !== 'placeholder')).toEqual(['Set up build', 'Clone'].slice(0, firstHidden < 0 ? 2 : firstHidden));
      // The overflowed commands head the ⋮ menu, in their order.
      const hidden = ['Set up build', 'Clone'].slice(firstHidden < 0 ? 2 : firstHidden);
      expect(await moreMenu()).toEqual([...hidden, 'Download as Zip', 'Fork']);
      for (const host of [CLONE, FORKS]) {
        const b = await ourButton(host);
        expect(b.compact, host).toBe(true);
        expect(b.width, host).toBeLessThan(48);
      }
      expect((await ourButton(CLONE)).name).toBe('Clone to desktop');
      expect((await ourButton(FORKS)).name).toBe('Add remote…');
      expect(errors.filter((e) => e.includes('ResponsiveLayout'))).toEqual([]);
      expect(await page.$(DOCK)).toBeNull();
      await screenshot(page, `files-header-${width}-light`);
    });
  }

  it('still opens from its icon at 900 px', async () => {
    await atWidth(900);
    await world.click(CLONE, 'button');
    await world.waitForText('.adoc-popover', (t) => /Clone Platform|companion/.test(t[0] ?? ''));
    await page.keyboard.press('Escape');
  });

  it('sits in place on the German pages (no place is found by its English text)', async () => {
    await sandboxSwitch(page, 'lang', 'de', FILES);
    await atWidth(1280);
    expect((await layout()).items).toEqual(['Build einrichten', 'Klonen', 'Weitere Aktionen']);
    expect((await layout()).beside).toEqual(['clone-to-desktop', 'forks-as-remotes']);
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform/branches', { waitUntil: 'domcontentloaded' });
    await page.waitForSelector(`${CLONE} + .bolt-header-commandbar`, { timeout: 10_000 });
    expect(await page.$(DOCK)).toBeNull();
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform/pullrequest/1', { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.repos-overview-right-pane > .adoc-pull-request-reviewers', { timeout: 10_000 });
    await page.waitForSelector(`.repos-pr-header > ${CHECKOUT}`, { timeout: 10_000 });
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform/pullrequest/1?_a=files', { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.repos-pr-header > .adoc-pull-request-reviewers', { timeout: 10_000 });
    await page.waitForSelector(`.repos-pr-header > ${CHECKOUT}`, { timeout: 10_000 });
    // The registry floats what found no anchor after 5 s: nothing may be in the dock by then.
    await new Promise((r) => setTimeout(r, 5500));
    expect(await page.$(DOCK)).toBeNull();
    await sandboxSwitch(page, 'lang', 'en', FILES);
  });

  it('in the dark theme too', async () => {
    await sandboxSwitch(page, 'theme', 'dark', FILES);
    await atWidth(900);
    expect((await layout()).beside).toEqual(['clone-to-desktop', 'forks-as-remotes']);
    await screenshot(page, 'files-header-900-dark');
    await sandboxSwitch(page, 'theme', 'light', FILES);
  });
});

describe('empty repository and Branches pages', () => {
  it("puts Clone to desktop and Add remote… in the empty repository's clone area", async () => {
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto('https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/Empty', { waitUntil: 'domcontentloaded' });
    await page.waitForSelector(`div.clone-with-application > ${CLONE}`, { timeout: 10_000 });
    await page.waitForSelector(`div.clone-with-application > ${FORKS}`, { timeout: 10_000 });
    expect(await page.$(DOCK)).toBeNull();
    await screenshot(page, 'empty-repository-light', 'div.clone-with-application');
  });

  it("puts Clone to desktop beside the Branches page's command bar (New branch keeps its place)", async () => {
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform/branches', { waitUntil: 'domcontentloaded' });
    await page.waitForSelector(`${CLONE} + .bolt-header-commandbar`, { timeout: 10_000 });
    const items = await page.$$eval('.bolt-header .bolt-header-commandbar-button-group > *', (kids) => kids.map((k) => (k.matches('[data-adoc]') ? 'FOREIGN' : (k.textContent ?? '').trim())));
    expect(items).toEqual(['New branch', '⋮']);
    expect(await page.$(FORKS)).toBeNull();
    expect(await page.$(DOCK)).toBeNull();
    await screenshot(page, 'branches-light');
  });

  it('has no forks page to anchor to: the features are on the Files page instead', async () => {
    const res = await page.goto('https://dev.azure.com/fabrikam/_git/Platform/forks', { waitUntil: 'domcontentloaded' });
    expect(res?.status()).toBe(404);
    // Nothing there, not even in the dock, where the registry puts a feature that found no anchor after 5 s.
    await page.waitForFunction(() => document.documentElement.dataset.adoCompanion === 'forks', { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 5500));
    expect(await page.$(FORKS)).toBeNull();
    expect(await page.$(DOCK)).toBeNull();
  });
});

describe('pull request page in a narrow window', () => {
  it('keeps our controls in view at 512 px, and the Overview columns within the page', async () => {
    await page.setViewport({ width: 512, height: 800 });
    for (const tab of ['overview', 'files']) {
      await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequest/1?_a=${tab}`, { waitUntil: 'domcontentloaded' });
      await page.waitForSelector(`.repos-pr-header > ${CHECKOUT}`, { timeout: 10_000 });
      if (tab === 'overview') await world.waitForText(REVIEWERS, (t) => /changed \S+ .*ago|Nobody else changed/.test(t[0] ?? ''), 30_000);
      else await page.waitForSelector(`.repos-pr-header > ${REVIEWERS}`, { timeout: 10_000 });
      await new Promise((r) => setTimeout(r, 300));
      const main = await page.$eval('.region-content', (m) => ({ left: m.getBoundingClientRect().left, right: m.getBoundingClientRect().left + m.clientWidth, overflow: m.scrollWidth - m.clientWidth }));
      expect(main.overflow, tab).toBe(0);
      const controls = await world.run<{ name: string; left: number; right: number }[]>(
        `() => [...document.querySelectorAll('[data-adoc]')].flatMap((h) => [...chrome.dom.openOrClosedShadowRoot(h).querySelectorAll('button, input')].filter((b) => b.getClientRects().length).map((b) => { const r = b.getBoundingClientRect(); return { name: b.getAttribute('aria-label') || b.innerText.trim() || b.placeholder, left: r.left, right: r.right }; }))`,
      );
      expect(controls.length, tab).toBeGreaterThanOrEqual(tab === 'overview' ? 3 : 2);
      for (const c of controls) {
        expect(c.left, `${tab}: ${c.name}`).toBeGreaterThanOrEqual(main.left);
        expect(c.right, `${tab}: ${c.name}`).toBeLessThanOrEqual(main.right);
      }
      expect(await page.$(DOCK)).toBeNull();
      await screenshot(page, `pull-request-512-${tab}-light`);
    }
    await page.setViewport({ width: 1280, height: 800 });
  });
});
