/**
 * The popup over several organizations, in real Chromium with the companion: two PAT profiles on
 * two sandbox organizations listed and searched at once, the organization on each row, a filter to
 * one by keyboard, a clone that goes through the row's own profile; and the first frame drawn from
 * the snapshot of the last list before any data arrives, then reconciled without losing what was typed.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { sandboxRepos } from './sandbox-lists';
import { pageScripts } from '../../scripts/check-sizes.mjs';
import { ask, chromeDist, launchWithCompanion, privateHome, type Session } from './harness';
import { addPatProfile, listedRepos, openPopup, optionsMovedTo, screenshots, textOf, waitForText } from './ui-steps';

let sandbox: Sandbox;
let session: Session;
let home: Awaited<ReturnType<typeof privateHome>>;
let options: Page;
let cloneRoot: string;
const profiles: Record<string, { id: string; name: string }> = {};

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  ({ session, home } = await launchWithCompanion(sandbox));
  cloneRoot = join(home.home, 'code');
  options = await session.openExtensionPage('options');
  profiles.fabrikam = await addPatProfile(options, 'fabrikam', sandbox.pats.fabrikam!);
  profiles.contoso = await addPatProfile(options, 'contoso', sandbox.pats.contoso!);
  expect(await ask(options, { type: 'profiles.setActive', id: profiles.fabrikam.id })).toMatchObject({ ok: true });
  // Each profile its own clone folder: where a clone lands says whose profile cloned it.
  for (const [org, p] of Object.entries(profiles)) {
    expect(await ask(options, { type: 'companion.setCloneRoot', profileId: p.id, cloneRoot: join(cloneRoot, `${org}-root`) })).toMatchObject({ ok: true });
  }
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
});


const rowsOf = (popup: Page) => popup.$$eval('#repo-list [role="option"]', (rows) => rows.map((r) => `${(r as HTMLElement).dataset.org}/${(r as HTMLElement).dataset.repo}`));
const live = (popup: Page) => popup.waitForSelector('.repos-tab:not([data-snapshot]) #repo-list [role="option"]', { timeout: 20_000 });
const selectedOf = (popup: Page) => popup.$$eval('#repo-list [aria-selected="true"]', (rows) => rows.map((r) => `${(r as HTMLElement).dataset.org}/${(r as HTMLElement).dataset.repo}`));
const release = (popup: Page) => popup.evaluate(() => (window as unknown as { release: () => void }).release());
/** Once what is on screen has been painted, when preact runs its effects: after the next frame, or 100 ms in a page not shown. */
const painted = (popup: Page) =>
  popup.evaluate(
    () =>
      new Promise((resolve) => {
        setTimeout(resolve, 200);
        requestAnimationFrame(() => setTimeout(resolve));
      }),
  );
/** The addresses of the tabs the popup opened, in order. */
const tabsOpened = (popup: Page) => popup.evaluate(() => (window as unknown as { opened: string[] }).opened);

/**
 * A popup whose worker answer about profiles is held back until `window.release()`: open once the
 * app has asked (it has started, and the first frame is drawn). It notes the tabs it opens
 * (`tabsOpened`). With `holdLists`, its reads of the cached lists (the extension's IndexedDB, read
 * by the popup itself) never answer, so it stays on its first frame.
 */
async function popupHoldingProfiles(opts: { holdLists?: boolean } = {}) {
  const popup = await session.browser.newPage();
  await popup.setViewport({ width: 380, height: 600 });
  await popup.evaluateOnNewDocument((holdLists: boolean) => {
    const w = window as unknown as { release: () => void; asked?: boolean; opened: string[] };
    const send = chrome.runtime.sendMessage.bind(chrome.runtime) as (...args: unknown[]) => Promise<unknown>;
    const held = new Promise<void>((resolve) => (w.release = resolve));
    (chrome.runtime as { sendMessage: unknown }).sendMessage = (...args: unknown[]) => {
      if ((args[0] as { type?: string } | undefined)?.type !== 'profiles.list') return send(...args);
      w.asked = true;
      return held.then(() => send(...args));
    };
    w.opened = [];
    const create = chrome.tabs.create.bind(chrome.tabs) as (...args: unknown[]) => unknown;
    (chrome.tabs as { create: unknown }).create = (...args: unknown[]) => (w.opened.push((args[0] as { url: string }).url), create(...args));
    if (holdLists) indexedDB.open = () => new EventTarget() as IDBOpenDBRequest;
  }, !!opts.holdLists);
  await popup.goto(`chrome-extension://${session.extensionId}/src/popup/index.html`, { waitUntil: 'domcontentloaded' });
  await popup.waitForFunction(() => (window as unknown as { asked?: boolean }).asked);
  return popup;
}

/**
 * Opens a popup on fabrikam's profile (the active one) and waits until it has kept the snapshot of
 * its first screen over these organizations.
 */
async function keepSnapshot(orgs: string[]) {
  // Not one an earlier popup kept, of lists that have changed since.
  await options.evaluate(() => localStorage.removeItem('popup.snapshot'));
  const popup = await openPopup(session);
  try {
    await live(popup);
    const ids = orgs.map((o) => profiles[o]!.id);
    await popup.waitForFunction(
      (active: string, want: string[]) => {
        const kept = JSON.parse(localStorage.getItem('popup.snapshot') ?? 'null') as { activeId: string; listed: unknown[] } | null;
        return kept?.activeId === active && kept.listed.length === want.length && want.every((id) => JSON.stringify(kept.listed).includes(id));
      },
      { timeout: 10_000 },
      profiles.fabrikam!.id,
      ids,
    );
  } finally {
    await popup.close();
  }
}

/**
 * Enter on the first frame's first row (fabrikam's) before the popup has read the profiles, then
 * fabrikam's profile removed, the profiles still held back: `then` goes on from the queued open.
 * Afterwards fabrikam's profile (added back as a new one) is there and the active one again.
 */
async function queuedOpenOfRemovedProfile(then: (popup: Page, name: string) => Promise<void>) {
  await keepSnapshot(['fabrikam', 'contoso']);
  const name = sandboxRepos(sandbox, 'fabrikam')[0]!;
  const popup = await popupHoldingProfiles();
  let removed = false;
  try {
    await popup.keyboard.press('Enter');
    await waitForText(popup, '.status', `opening ${name}…`, 5000);
    expect(await ask(options, { type: 'profiles.remove', id: profiles.fabrikam!.id })).toMatchObject({ ok: true });
    removed = true;
    await then(popup, name);
  } finally {
    await popup.close();
    if (removed) profiles.fabrikam = await addPatProfile(options, 'fabrikam', sandbox.pats.fabrikam!);
    await ask(options, { type: 'profiles.setActive', id: profiles.fabrikam!.id });
  }
}

describe('popup: every organization at once', () => {
  it('lists and searches both organizations, shows each row’s organization, and filters to one by keyboard', async () => {
    const popup = await openPopup(session);
    await live(popup);
    const both = [...sandboxRepos(sandbox, 'fabrikam').map((n) => `fabrikam/${n}`), ...sandboxRepos(sandbox, 'contoso').map((n) => `contoso/${n}`)];
    // The active profile's organization first, then the other's.
    expect(await rowsOf(popup)).toEqual(both);
    await waitForText(popup, '.status', `${both.length} repositories in 2 organizations · updated`);
    expect(await textOf(popup, '#repo-list [data-repo="contoso-api"] .sub')).toBe('Contoso Web · contoso');
    await screenshots(popup, 'popup-organizations');

    // One search over both: "web" finds fabrikam-web and contoso-web.
    await popup.type('#repo-search', 'web');
    await popup.waitForFunction(() => document.querySelector('.status')?.textContent?.includes('match'));
    const found = await rowsOf(popup);
    expect(found).toContain('fabrikam/fabrikam-web');
    expect(found).toContain('contoso/contoso-web');

    // The filter is the next stop after the search field; arrows choose an organization.
    await popup.keyboard.press('Tab');
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('repo-org');
    await popup.keyboard.press('ArrowDown');
    await popup.keyboard.press('ArrowDown');
    await popup.waitForFunction((id: string) => (document.querySelector('#repo-org') as HTMLSelectElement).value === id, {}, profiles.contoso!.id);
    await popup.waitForFunction(() => [...document.querySelectorAll('#repo-list [role="option"]')].every((r) => (r as HTMLElement).dataset.org === 'contoso'));
    // Contoso's only: contoso-web by name, contoso-api by its project (Contoso Web).
    expect(await rowsOf(popup)).toEqual(['contoso/contoso-web', 'contoso/contoso-api']);
    await popup.focus('#repo-search');
    await popup.keyboard.press('Escape');
    await popup.waitForFunction((n: number) => document.querySelectorAll('#repo-list [role="option"]').length === n, {}, sandboxRepos(sandbox, 'contoso').length);
    expect(await listedRepos(popup)).toEqual(sandboxRepos(sandbox, 'contoso'));
    await waitForText(popup, '.status', `${sandboxRepos(sandbox, 'contoso').length} repositories · updated`);
    await popup.close();
  });

  it('clones a repository of the other organization through its own profile', async () => {
    const popup = await openPopup(session);
    await live(popup);
    await popup.type('#repo-search', 'contoso-api');
    await popup.waitForFunction(() => document.querySelector('#repo-list [role="option"]')?.getAttribute('data-repo') === 'contoso-api');
    await popup.click('#repo-list [data-repo="contoso-api"]');
    await waitForText(popup, '[data-testid="repo-actions"] .selected-name', 'contoso-api');
    await popup.click('[data-testid="repo-actions"] button.primary');
    const done = await waitForText(popup, '[data-testid="repo-actions"] .feedback', 'Cloned to', 60_000);
    // Contoso's profile: its clone folder and its layout ({org}/{project}/{repo}), not the active fabrikam's.
    const path = join(cloneRoot, 'contoso-root', 'contoso', 'Contoso Web', 'contoso-api');
    expect(done).toContain(path);
    await access(join(path, '.git'));
    // Nothing was switched: the active profile is still fabrikam's.
    const listed = (await ask(options, { type: 'profiles.list' })) as { data: { activeId: string } };
    expect(listed.data.activeId).toBe(profiles.fabrikam!.id);
    await popup.close();
  });
});

describe('popup: the first frame', () => {
  it('waits for one small script and no stylesheet file: the page carries its styles, and the app loads after', async () => {
    const html = await readFile(join(chromeDist, 'src/popup/index.html'), 'utf8');
    expect(pageScripts(html)).toEqual(['/src/popup/index.js']);
    expect(html).not.toMatch(/<link[^>]*rel="stylesheet"/);
    expect(html).toMatch(/<style>[^<]*--accent:/);
  });

  it('draws the last list’s first rows before any data arrives, keeping no secret, then reconciles keeping what was typed', async () => {
    // The popups above left a snapshot of their first screen in the popup's localStorage (the options page shares it).
    const kept = await options.evaluate(() => localStorage.getItem('popup.snapshot'));
    expect(kept).toBeTruthy();
    for (const secret of Object.values(sandbox.patsByName)) expect(kept).not.toContain(secret);
    expect(kept).not.toContain('@dev.azure.com');

    const popup = await session.browser.newPage();
    await popup.setViewport({ width: 380, height: 600 });
    // Holds back the worker's answer about profiles (so every list too) until released, and notes
    // what the first row drawn came from.
    await popup.evaluateOnNewDocument(() => {
      const w = window as unknown as { release: () => void; appStarted?: boolean; takenOver?: boolean[]; first?: { snapshot: boolean; beforeApp: boolean; rows: string[]; elements: number; at: number } };
      const send = chrome.runtime.sendMessage.bind(chrome.runtime) as (...args: unknown[]) => Promise<unknown>;
      const held = new Promise<void>((resolve) => (w.release = resolve));
      // The app's first request: it has started, and draws in the same task. Right after that
      // draw (before any effect or later code), which elements are the first frame's.
      (chrome.runtime as { sendMessage: unknown }).sendMessage = (...args: unknown[]) => {
        if ((args[0] as { type?: string } | undefined)?.type !== 'profiles.list') return send(...args);
        w.appStarted = true;
        queueMicrotask(() => (w.takenOver = [...document.querySelectorAll('#app *')].map((el) => (el as Element & { firstFrame?: boolean }).firstFrame === true)));
        return held.then(() => send(...args));
      };
      new MutationObserver((_, observer) => {
        const rows = [...document.querySelectorAll('#repo-list [role="option"]')];
        if (rows.length === 0) return;
        observer.disconnect();
        // Every element of the first frame, marked: the app must take these over, not draw its own.
        const elements = document.querySelectorAll('#app *');
        for (const el of elements) (el as Element & { firstFrame?: boolean }).firstFrame = true;
        w.first = { snapshot: !!document.querySelector('.repos-tab[data-snapshot]'), beforeApp: !w.appStarted, rows: rows.map((r) => `${(r as HTMLElement).dataset.org}/${(r as HTMLElement).dataset.repo}`), elements: elements.length, at: performance.now() };
      }).observe(document, { childList: true, subtree: true });
    });
    await popup.goto(`chrome-extension://${session.extensionId}/src/popup/index.html`, { waitUntil: 'domcontentloaded' });
    await popup.waitForFunction(() => !!(window as unknown as { first?: unknown }).first);
    const first = await popup.evaluate(() => (window as unknown as { first: { snapshot: boolean; beforeApp: boolean; rows: string[] } }).first);
    expect(first.snapshot).toBe(true);
    expect(first.beforeApp).toBe(true);
    const snapshotRows = first.rows;
    expect(snapshotRows.slice(0, 3)).toEqual(sandboxRepos(sandbox, 'fabrikam').slice(0, 3).map((n) => `fabrikam/${n}`));
    // Still no data: the snapshot stands, the status line as the full list will say it, the search field focused.
    expect(await popup.$('.repos-tab[data-snapshot]')).not.toBeNull();
    const total = sandboxRepos(sandbox, 'fabrikam').length + sandboxRepos(sandbox, 'contoso').length;
    expect(await textOf(popup, '.status')).toContain(`${total} repositories in 2 organizations`);
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('repo-search');
    // The first frame was the markup the popup's entry drew before the app's code loaded; the app
    // took every one of those elements over and drew none of its own.
    await popup.waitForFunction(() => (window as unknown as { takenOver?: boolean[] }).takenOver);
    const { takenOver, elements } = await popup.evaluate(() => {
      const w = window as unknown as { takenOver: boolean[]; first: { elements: number } };
      return { takenOver: w.takenOver, elements: w.first.elements };
    });
    expect(takenOver).toEqual(Array.from({ length: elements }, () => true));

    // Typed before the data arrives: kept, in the same field, and searched once the lists are read.
    await popup.keyboard.type('api');
    await popup.evaluate(() => (window as unknown as { release: () => void }).release());
    await popup.waitForSelector('.repos-tab:not([data-snapshot])', { timeout: 20_000 });
    await popup.waitForFunction(() => document.querySelector('#repo-list [role="option"]')?.getAttribute('data-repo')?.includes('api'), { timeout: 20_000 });
    expect(await popup.evaluate(() => ({ value: (document.querySelector('#repo-search') as HTMLInputElement).value, same: (document.querySelector('#repo-search') as HTMLElement & { firstFrame?: boolean }).firstFrame, focused: document.activeElement?.id }))).toEqual({
      value: 'api',
      same: true,
      focused: 'repo-search',
    });
    expect(await rowsOf(popup)).toContain('contoso/contoso-api');

    // Cleared: the full list's first rows are the snapshot's, row for row.
    await popup.keyboard.press('Escape');
    await popup.waitForFunction((n: number) => document.querySelectorAll('#repo-list [role="option"]').length === n, {}, total);
    expect((await rowsOf(popup)).slice(0, snapshotRows.length)).toEqual(snapshotRows);
    await popup.close();
  });

  it('Enter on a first-frame row before the profiles are read says it is opening, and opens its page once they are', async () => {
    const popup = await popupHoldingProfiles();
    const name = sandboxRepos(sandbox, 'fabrikam')[0]!;
    expect(await popup.$eval('.repos-tab[data-snapshot] #repo-list [aria-selected="true"]', (r) => (r as HTMLElement).dataset.repo)).toBe(name);
    const opened = (t: { url(): string }) => t.url().includes(`/_git/${encodeURIComponent(name)}`);

    await popup.keyboard.press('Enter');
    await waitForText(popup, '.status', `opening ${name}…`, 5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(session.browser.targets().filter(opened)).toEqual([]);
    expect(await tabsOpened(popup)).toEqual([]);

    await popup.evaluate(() => (window as unknown as { release: () => void }).release());
    const target = await session.browser.waitForTarget(opened, { timeout: 10_000 });
    await (await target.page())?.close();
    await popup.waitForFunction(() => !document.querySelector('.status')?.textContent?.includes('opening'), { timeout: 5000 });
    await popup.close();
  });

  it('a first-frame row opened while another profile became the active one still opens, through its own profile', async () => {
    // The snapshot is fabrikam's (the popups above); contoso is made the active one without a popup
    // drawing its list, so the live list is keyed to another profile than the first frame.
    expect(await ask(options, { type: 'profiles.setActive', id: profiles.contoso!.id })).toMatchObject({ ok: true });
    const popup = await popupHoldingProfiles();
    try {
      const name = sandboxRepos(sandbox, 'fabrikam')[0]!;
      expect(await popup.$eval('.repos-tab[data-snapshot] #repo-list [aria-selected="true"]', (r) => `${(r as HTMLElement).dataset.org}/${(r as HTMLElement).dataset.repo}`)).toBe(`fabrikam/${name}`);
      const opened = (t: { url(): string }) => t.url().includes(`/fabrikam/`) && t.url().includes(`/_git/${encodeURIComponent(name)}`);

      await popup.keyboard.press('Enter');
      await waitForText(popup, '.status', `opening ${name}…`, 5000);
      await popup.evaluate(() => (window as unknown as { release: () => void }).release());
      const target = await session.browser.waitForTarget(opened, { timeout: 10_000 });
      await (await target.page())?.close();
      await popup.waitForFunction(() => !document.querySelector('.status')?.textContent?.includes('opening'), { timeout: 5000 });
    } finally {
      await popup.close();
      await ask(options, { type: 'profiles.setActive', id: profiles.fabrikam!.id });
    }
  });

  it('a first-frame row opened while another profile of its organization became the active one opens through that one, not as removed', async () => {
    await keepSnapshot(['fabrikam', 'contoso']);
    // The popup lists one profile per organization, the active one: fabrikam's first profile is not listed now.
    const second = await addPatProfile(options, 'fabrikam', sandbox.pats.fabrikam!);
    expect(await ask(options, { type: 'profiles.setActive', id: second.id })).toMatchObject({ ok: true });
    const popup = await popupHoldingProfiles();
    try {
      const name = sandboxRepos(sandbox, 'fabrikam')[0]!;
      await popup.keyboard.press('Enter');
      await waitForText(popup, '.status', `opening ${name}…`, 5000);
      const known = new Set(session.browser.targets());
      await release(popup);
      await popup.waitForFunction(() => !document.querySelector('.status')?.textContent?.includes('opening'), { timeout: 5000 });
      expect(await popup.evaluate(() => document.querySelector('.status')?.textContent ?? '')).not.toContain('did not open');
      // A row without its web address (a first frame's) builds it in a module loaded on demand: the tab comes a moment later.
      await popup.waitForFunction(() => (window as unknown as { opened: string[] }).opened.length > 0, { timeout: 5000 });
      expect((await tabsOpened(popup)).map((url) => url.split('/_git/')[1])).toEqual([encodeURIComponent(name)]);
      // Closed, so the next tests' waits for a repository's tab cannot take this one. (The sandbox
      // may have sent it to its sign-in page already: its address no longer names the repository.)
      const target = await session.browser.waitForTarget((t) => !known.has(t) && t.type() === 'page', { timeout: 10_000 });
      await (await target.page())?.close();
    } finally {
      await popup.close();
      await ask(options, { type: 'profiles.remove', id: second.id });
      await ask(options, { type: 'profiles.setActive', id: profiles.fabrikam!.id });
    }
  });

  it('what was typed into the first frame stays, with its caret and the focus, when another profile became the active one', async () => {
    // The snapshot is fabrikam's (the popup before drew contoso's); contoso is made the active one, so the live list is another profile's than the first frame's.
    await keepSnapshot(['fabrikam', 'contoso']);
    expect(await ask(options, { type: 'profiles.setActive', id: profiles.contoso!.id })).toMatchObject({ ok: true });
    const popup = await popupHoldingProfiles();
    try {
      // Typed, then the caret moved back to the start.
      await popup.keyboard.type('pi');
      await popup.keyboard.press('Home');
      await popup.evaluate(() => (window as unknown as { release: () => void }).release());
      await popup.waitForFunction(
        (id: string) => (document.querySelector('#profile-switcher') as HTMLSelectElement | null)?.value === id && !!document.querySelector('.repos-tab:not([data-snapshot]) #repo-list [role="option"]'),
        { timeout: 20_000 },
        profiles.contoso!.id,
      );
      const field = () =>
        popup.evaluate(() => {
          const input = document.querySelector('#repo-search') as HTMLInputElement;
          return { value: input.value, caret: [input.selectionStart, input.selectionEnd], focused: document.activeElement?.id };
        });
      expect(await field()).toEqual({ value: 'pi', caret: [0, 0], focused: 'repo-search' });
      // Typing goes on where the caret was, and searches contoso's list with the rest.
      await popup.keyboard.type('a');
      expect(await field()).toEqual({ value: 'api', caret: [1, 1], focused: 'repo-search' });
      await popup.waitForFunction(() => [...document.querySelectorAll('#repo-list [role="option"]')].some((r) => r.getAttribute('data-repo') === 'contoso-api'), { timeout: 5000 });
    } finally {
      await popup.close();
      await ask(options, { type: 'profiles.setActive', id: profiles.fabrikam!.id });
    }
  });

  it('a row picked in the first frame stays picked when the live list, in another order, replaces it, and Enter opens that one', async () => {
    // The snapshot lists fabrikam's rows first; contoso is made the active one, so the live list starts with contoso's.
    await keepSnapshot(['fabrikam', 'contoso']);
    expect(await ask(options, { type: 'profiles.setActive', id: profiles.contoso!.id })).toMatchObject({ ok: true });
    const popup = await popupHoldingProfiles();
    try {
      const name = sandboxRepos(sandbox, 'fabrikam')[2]!;
      await popup.keyboard.press('ArrowDown');
      await popup.keyboard.press('ArrowDown');
      expect(await selectedOf(popup)).toEqual([`fabrikam/${name}`]);

      await release(popup);
      await popup.waitForFunction(() => document.querySelector('.repos-tab:not([data-snapshot]) #repo-list [role="option"]')?.getAttribute('data-org') === 'contoso', { timeout: 20_000 });
      expect(await selectedOf(popup)).toEqual([`fabrikam/${name}`]);
      const known = new Set(session.browser.targets());
      await popup.keyboard.press('Enter');
      const target = await session.browser.waitForTarget((t) => !known.has(t) && t.url().includes('/_git/'), { timeout: 20_000 });
      expect(target.url()).toContain(`/fabrikam/`);
      expect(target.url()).toContain(`/_git/${encodeURIComponent(name)}`);
      await (await target.page())?.close();
    } finally {
      await popup.close();
      await ask(options, { type: 'profiles.setActive', id: profiles.fabrikam!.id });
    }
  });

  it('a row picked in the first frame whose repository is gone from the live list gives way to the first row, which Enter opens once it is drawn picked', async () => {
    await keepSnapshot(['fabrikam', 'contoso']);
    const fabrikam = sandboxRepos(sandbox, 'fabrikam');
    // Deleted in Azure DevOps since the snapshot, and the worker's cached list, which the popup reads, refreshed without it.
    const org = sandbox.store.organization('fabrikam')!;
    const gone = sandbox.store.repository(org, fabrikam[1]!)!;
    sandbox.store.repositories.delete(gone.id);
    let popup: Page | undefined;
    try {
      expect(await ask(options, { type: 'repos.list', profileId: profiles.fabrikam!.id, refresh: true })).toMatchObject({ ok: true });
      popup = await popupHoldingProfiles();
      await popup.keyboard.press('ArrowDown');
      expect(await selectedOf(popup)).toEqual([`fabrikam/${gone.name}`]);
      // Enter in the very moment the live list is drawn, before it is painted: the first row, picked
      // in its place, has not been seen.
      await popup.evaluate(() => {
        const w = window as unknown as { enteredOn?: string };
        new MutationObserver((_, observer) => {
          if (!document.querySelector('.repos-tab:not([data-snapshot]) #repo-list [role="option"]')) return;
          observer.disconnect();
          w.enteredOn = document.querySelector('#repo-list [aria-selected="true"]')?.getAttribute('data-repo') ?? '';
          document.querySelector('#repo-search')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
        }).observe(document, { subtree: true, childList: true, attributes: true });
      });

      await release(popup);
      await live(popup);
      expect(await rowsOf(popup)).not.toContain(`fabrikam/${gone.name}`);
      expect(await popup.evaluate(() => (window as unknown as { enteredOn?: string }).enteredOn)).toBe(fabrikam[0]);
      // Seen picked, it opens; and it alone opened: a tab the early Enter opened would have come first.
      expect(await selectedOf(popup)).toEqual([`fabrikam/${fabrikam[0]}`]);
      await painted(popup);
      const known = new Set(session.browser.targets());
      await popup.keyboard.press('Enter');
      const target = await session.browser.waitForTarget((t) => !known.has(t) && t.url().includes('/_git/'), { timeout: 20_000 });
      expect(target.url()).toContain(`/_git/${encodeURIComponent(fabrikam[0]!)}`);
      await (await target.page())?.close();
      expect((await tabsOpened(popup)).map((url) => url.split('/_git/')[1])).toEqual([encodeURIComponent(fabrikam[0]!)]);
    } finally {
      sandbox.store.repositories.set(gone.id, gone);
      await ask(options, { type: 'repos.list', profileId: profiles.fabrikam!.id, refresh: true });
      await popup?.close();
    }
  });

  it('a first frame whose other organization’s profile is removed before the profiles are read counts only the rows it still shows', async () => {
    await keepSnapshot(['fabrikam', 'contoso']);
    const fabrikam = sandboxRepos(sandbox, 'fabrikam');
    const total = fabrikam.length + sandboxRepos(sandbox, 'contoso').length;
    const popup = await popupHoldingProfiles();
    let removed = false;
    try {
      await waitForText(popup, '.status', `${total} repositories in 2 organizations`);
      // Everything the status line says from here on: each text it had before it changed (preact
      // writes a changed text into the same node), then its last.
      const firstFrame = await popup.evaluate(() => {
        const w = window as unknown as { said: string[] };
        w.said = [];
        const status = document.querySelector('.status')!;
        new MutationObserver((records) => {
          for (const r of records) if (r.type === 'characterData' && r.oldValue !== null) w.said.push(r.oldValue);
        }).observe(status, { characterData: true, characterDataOldValue: true, subtree: true });
        return status.textContent;
      });

      expect(await ask(options, { type: 'profiles.remove', id: profiles.contoso!.id })).toMatchObject({ ok: true });
      removed = true;
      await popup.evaluate(() => (window as unknown as { release: () => void }).release());
      await live(popup);
      await waitForText(popup, '.status', `${fabrikam.length} repositories · `);
      const said = [...(await popup.evaluate(() => (window as unknown as { said: string[] }).said)), await textOf(popup, '.status')].filter((t) => t !== firstFrame);
      // The first frame drawn with the profiles known, then the live list: both count fabrikam's only.
      const counts = said.flatMap((t) => /^([\d,]+) repositor/.exec(t)?.[1] ?? []);
      expect(counts.length).toBeGreaterThan(1);
      expect(new Set(counts)).toEqual(new Set([String(fabrikam.length)]));
      expect(await rowsOf(popup)).toEqual(fabrikam.map((n) => `fabrikam/${n}`));
    } finally {
      await popup.close();
      if (removed) profiles.contoso = await addPatProfile(options, 'contoso', sandbox.pats.contoso!);
    }
  });

  it('a first-frame row whose profile is removed before the profiles are read says it did not open and what to do, the focus staying in the search field', async () => {
    // The snapshot's own (active) profile goes: contoso's becomes the active one, and its list is drawn afresh.
    await queuedOpenOfRemovedProfile(async (popup, name) => {
      await release(popup);
      await waitForText(popup, '.status .problem', `${name} did not open: the profile for fabrikam has been removed. To open its repositories here, connect the account again.`, 10_000);
      expect(await textOf(popup, '.status')).not.toContain('opening');
      expect(await popup.evaluate(() => document.activeElement?.id)).toBe('repo-search');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(session.browser.targets().filter((t) => t.url().includes('/_git/'))).toEqual([]);
      expect(await tabsOpened(popup)).toEqual([]);

      // The next step: the options page, where accounts are connected.
      await optionsMovedTo(session, options, '#accounts', () => popup.click('.status button'));

      // Another row still opens, and the note goes with it.
      await live(popup);
      await popup.focus('#repo-search');
      const next = await popup.$eval('#repo-list [aria-selected="true"]', (r) => (r as HTMLElement).dataset.repo!);
      expect(sandboxRepos(sandbox, 'contoso')).toContain(next);
      await popup.keyboard.press('Enter');
      const target = await session.browser.waitForTarget((t) => t.url().includes(`/_git/${encodeURIComponent(next)}`), { timeout: 10_000 });
      await (await target.page())?.close();
      await popup.waitForFunction(() => !document.querySelector('.status .problem'), { timeout: 5000 });
    });
  });

  it('the note of a first-frame row that did not open goes when the user switches profile', async () => {
    // The row's profile goes, and contoso gets a second profile to switch to. (One of fabrikam's
    // would open the row instead: the organization is listed through it.)
    await queuedOpenOfRemovedProfile(async (popup, name) => {
      const other = await addPatProfile(options, 'contoso', sandbox.pats.contoso!);
      try {
        await release(popup);
        await waitForText(popup, '.status .problem', `${name} did not open`, 10_000);
        await live(popup);

        const to = (await popup.$eval('#profile-switcher', (s) => (s as HTMLSelectElement).value)) === other.id ? profiles.contoso!.id : other.id;
        await popup.select('#profile-switcher', to);
        await popup.waitForFunction(
          (id: string) => {
            const switcher = document.querySelector('#profile-switcher') as HTMLSelectElement;
            return switcher.value === id && !switcher.disabled;
          },
          { timeout: 10_000 },
          to,
        );
        await live(popup);
        expect(await popup.$('.status .problem')).toBeNull();
      } finally {
        await ask(options, { type: 'profiles.remove', id: other.id });
      }
    });
  });

  it('a first frame filtered to an organization whose profile is removed before the profiles are read lists the organizations left', async () => {
    await keepSnapshot(['fabrikam', 'contoso']);
    const fabrikam = sandboxRepos(sandbox, 'fabrikam');
    const popup = await popupHoldingProfiles();
    let removed = false;
    try {
      await popup.select('#repo-org', profiles.contoso!.id);
      await waitForText(popup, '.status', `${sandboxRepos(sandbox, 'contoso').length} repositories`);
      expect(await ask(options, { type: 'profiles.remove', id: profiles.contoso!.id })).toMatchObject({ ok: true });
      removed = true;
      await popup.evaluate(() => (window as unknown as { release: () => void }).release());
      await live(popup);
      await waitForText(popup, '.status', `${fabrikam.length} repositories · `);
      expect(await rowsOf(popup)).toEqual(fabrikam.map((n) => `fabrikam/${n}`));
    } finally {
      await popup.close();
      if (removed) profiles.contoso = await addPatProfile(options, 'contoso', sandbox.pats.contoso!);
    }
  });

  it('a first frame filtered to an organization its snapshot did not list shows that list loading, not that it has no repositories', async () => {
    // A snapshot of fabrikam's list alone; contoso connected again since (a profile whose list no popup has read).
    expect(await ask(options, { type: 'profiles.remove', id: profiles.contoso!.id })).toMatchObject({ ok: true });
    let removed = true;
    let popup: Page | undefined;
    try {
      await keepSnapshot(['fabrikam']);
      profiles.contoso = await addPatProfile(options, 'contoso', sandbox.pats.contoso!);
      removed = false;
      // Contoso's list takes its time, so the popup is a while on the snapshot with both profiles known.
      sandbox.services.faults.add({ match: { method: 'GET', pathRegex: '^/contoso/_apis/git/repositories$' }, latencyMs: 3000 });
      popup = await popupHoldingProfiles();
      // Every empty-list note and status line drawn from here on.
      await popup.evaluate(() => {
        const w = window as unknown as { said: string[] };
        w.said = [];
        new MutationObserver(() => {
          for (const el of document.querySelectorAll('.list-frame .empty, .status')) w.said.push(el.textContent ?? '');
        }).observe(document, { childList: true, subtree: true, characterData: true });
      });
      await popup.evaluate(() => (window as unknown as { release: () => void }).release());
      await popup.waitForSelector('#repo-org', { timeout: 10_000 });
      expect(await popup.$('.repos-tab[data-snapshot]')).not.toBeNull();
      await popup.select('#repo-org', profiles.contoso.id);
      await popup.waitForSelector('.list-frame [aria-busy="true"][aria-label="Loading repositories"]', { timeout: 2000 });

      await popup.waitForFunction((n: number) => document.querySelectorAll('.repos-tab:not([data-snapshot]) #repo-list [role="option"][data-org="contoso"]').length === n, { timeout: 20_000 }, sandboxRepos(sandbox, 'contoso').length);
      const said = await popup.evaluate(() => (window as unknown as { said: string[] }).said);
      expect(said.filter((t) => /no repositories yet|^0 repositories/.test(t))).toEqual([]);
    } finally {
      sandbox.services.faults.clear();
      await popup?.close();
      if (removed) profiles.contoso = await addPatProfile(options, 'contoso', sandbox.pats.contoso!);
    }
  });

  it('a profile removed by another page than Options is gone from the next popup’s first frame, though the popup that read the profiles closed before any list', async () => {
    await keepSnapshot(['fabrikam', 'contoso']);
    const fabrikam = sandboxRepos(sandbox, 'fabrikam');
    // Through the worker, as a sign-out or any other page would: only the options page's own Remove forgets the popup's entries.
    expect(await ask(options, { type: 'profiles.remove', id: profiles.contoso!.id })).toMatchObject({ ok: true });
    let popup: Page | undefined;
    try {
      expect(await options.evaluate(() => localStorage.getItem('popup.snapshot'))).toContain(profiles.contoso!.id);
      // This popup reads the profiles (its switcher goes, one profile left) but no list: it keeps no snapshot of its own.
      const reader = await popupHoldingProfiles({ holdLists: true });
      try {
        await release(reader);
        await reader.waitForFunction(() => !document.querySelector('#profile-switcher') && !!document.querySelector('.repos-tab[data-snapshot]'), { timeout: 10_000 });
      } finally {
        await reader.close();
      }

      // The next popup's first frame, before it reads anything: fabrikam's rows, count and name only.
      popup = await popupHoldingProfiles();
      await popup.waitForSelector('.repos-tab[data-snapshot] #repo-list [role="option"]', { timeout: 10_000 });
      expect(await popup.$('#profile-switcher')).toBeNull();
      expect(await popup.$('#repo-org')).toBeNull();
      expect(new Set((await rowsOf(popup)).map((r) => r.split('/')[0]))).toEqual(new Set(['fabrikam']));
      expect(await textOf(popup, '.status')).toBe(`${fabrikam.length} repositories`);
      expect(await popup.evaluate(() => document.body.textContent)).not.toContain('contoso');
    } finally {
      await popup?.close();
      profiles.contoso = await addPatProfile(options, 'contoso', sandbox.pats.contoso!);
    }
  });
});
