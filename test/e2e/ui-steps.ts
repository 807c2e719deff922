/**
 * Steps the popup and options e2e tests share: adding profiles, granting an on-prem host,
 * screenshots in light and dark, and reading what a page shows.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { NEW_PR_DRAFT, NEW_REPO_DRAFT, START_WORK_DRAFT } from '../../src/shared/storage-keys';
import { repoRoot, type Session } from './harness';

export const screenshotDir = join(repoRoot, 'artifacts/screenshots');

/** Writes `{name}-light.png` and `{name}-dark.png`; leaves the page in the light scheme. */
export async function screenshots(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    await page.screenshot({ path: join(screenshotDir, `${name}-${scheme}.png`), fullPage: opts.fullPage ?? false });
  }
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
}

export const textOf = (page: Page, selector: string): Promise<string> => page.$eval(selector, (e) => e.textContent ?? '');

/**
 * Runs `act` in the page and answers where the focus is the moment `drawn` matches something, before
 * the next frame: a key pressed then lands there, so "the focus moves later" is not good enough.
 */
export function focusWhenDrawn(page: Page, drawn: string, act: string): Promise<string> {
  return page.evaluate(
    (drawnSel: string, actSel: string) =>
      new Promise<string>((resolve) => {
        new MutationObserver((_, seen) => {
          if (!document.querySelector(drawnSel)) return;
          seen.disconnect();
          const a = document.activeElement;
          resolve(!a || a === document.body ? 'body' : a.id ? `#${a.id}` : (a.textContent ?? ''));
        }).observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
        document.querySelector<HTMLElement>(actSel)!.click();
      }),
    drawn,
    act,
  );
}

/**
 * Reads, writes or deletes one key of one of the extension's IndexedDB databases, where the worker
 * keeps it (see src/shared/storage-keys.ts), from any extension context: `worker` (profiles,
 * settings, reviewer groups, …), `secrets` or `cached-lists` (store `lists`, src/shared/list-cache.ts).
 */
export const storedKey = (where: Pick<Page, 'evaluate'>, database: 'worker' | 'secrets' | 'cached-lists', op: 'get' | 'put' | 'delete', key: string, value?: unknown): Promise<unknown> =>
  where.evaluate(
    async (dbName, what, name, entry) => {
      // oxlint-disable-next-line unicorn/consistent-function-scoping -- runs in the page, which sees nothing from out here
      const done = <T>(req: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          req.addEventListener('success', () => resolve(req.result));
          req.addEventListener('error', () => reject(req.error));
        });
      const storeName = dbName === 'cached-lists' ? 'lists' : dbName;
      const open = indexedDB.open(dbName);
      // Opened first here, it is made as the extension makes it.
      open.addEventListener('upgradeneeded', () => open.result.createObjectStore(storeName));
      const db = await done(open);
      try {
        const store = db.transaction(storeName, 'readwrite').objectStore(storeName);
        if (what === 'get') return await done(store.get(name));
        if (what === 'put') await done(store.put(entry, name));
        else await done(store.delete(name));
        return undefined;
      } finally {
        db.close();
      }
    },
    database,
    op,
    key,
    value,
  );

/** Reads, writes or deletes one of the worker's cached lists where it keeps them. */
export const cachedList = (where: Pick<Page, 'evaluate'>, op: 'get' | 'put' | 'delete', key: string, value?: unknown): Promise<unknown> =>
  storedKey(where, 'cached-lists', op, key, value);

/**
 * Does what opens Options at `hash` (`#accounts`), and waits until `tab`, the Options tab already
 * open, shows it: Options is moved there, not opened in another tab.
 */
export async function optionsMovedTo(session: Session, tab: Page, hash: string, opening: () => Promise<unknown>): Promise<void> {
  const optionsTabs = () => session.browser.targets().filter((t) => t.type() === 'page' && t.url().includes('/src/options/index.html')).length;
  const before = optionsTabs();
  if ((await tab.evaluate(() => location.hash)) === hash) throw new Error(`The Options tab shows ${hash} already: a move there could not be told.`);
  await opening();
  await tab.waitForFunction((h: string) => location.hash === h, { timeout: 10_000 }, hash);
  if (optionsTabs() !== before) throw new Error(`Options was opened in another tab too (${optionsTabs()} Options tabs, ${before} before), not only moved to ${hash}.`);
}

/** Waits until the element's text contains `text` (or matches it), and answers the whole text. */
export async function waitForText(page: Page, selector: string, text: string | RegExp, timeout = 15_000): Promise<string> {
  const source = typeof text === 'string' ? { s: text } : { r: text.source, f: text.flags };
  try {
    await page.waitForFunction(
      (sel: string, want: { s?: string; r?: string; f?: string }) => {
        const t = document.querySelector(sel)?.textContent ?? '';
        return want.s !== undefined ? t.includes(want.s) : new RegExp(want.r!, want.f).test(t);
      },
      { timeout },
      selector,
      source,
    );
  } catch (error) {
    // Say what was there instead: a failure under load is otherwise hard to tell from a wrong text.
    const there = await page.evaluate((sel: string) => document.querySelector(sel)?.textContent ?? '(no such element)', selector).catch(() => '(the page is gone)');
    const around = await page.evaluate(() => document.body?.innerText.slice(0, 600) ?? '').catch(() => '');
    throw new Error(`${(error as Error).message}: waited for “${String(text)}” in ${selector}, which says “${there}”; the page says: ${around}`, { cause: error });
  }
  return textOf(page, selector);
}

/** Adds a PAT profile the way the options page does, without its form (for tests about other things). */
export async function addPatProfile(page: Page, organization: string, pat: string, collectionUrl?: string): Promise<{ id: string; name: string }> {
  const reply = (await page.evaluate(
    (o, p, c) => chrome.runtime.sendMessage({ type: 'profiles.addPat', organization: o, pat: p, ...(c ? { collectionUrl: c } : {}) }),
    organization,
    pat,
    collectionUrl ?? '',
  )) as { ok: boolean; data?: { profile: { id: string; name: string } }; error?: { message: string } };
  if (!reply.ok || !reply.data) throw new Error(`adding ${organization} failed: ${reply.error?.message}`);
  return reply.data.profile;
}

/**
 * Grants the extension an optional host permission the way a user does on chrome://extensions
 * (Site access). Headless Chromium cannot answer the permission prompt that
 * `chrome.permissions.request` opens; once granted there, that call answers true without a
 * prompt. With `activate`, it is also made then (with a user gesture, as a click would), for
 * tests that add an on-prem profile without the options page's form.
 */
export async function grantHostAccess(session: Session, pattern: string, opts: { activate?: boolean } = {}): Promise<void> {
  const page = await session.browser.newPage();
  try {
    await page.goto('chrome://extensions/');
    const outcome = await page.evaluate(
      async (id, host) => {
        const dp = (chrome as unknown as { developerPrivate?: { addHostPermission(id: string, host: string): Promise<void> } }).developerPrivate;
        if (!dp) return 'chrome.developerPrivate is not available';
        try {
          await dp.addHostPermission(id, host);
          return 'ok';
        } catch (e) {
          return (e as Error).message;
        }
      },
      session.extensionId,
      pattern,
    );
    if (outcome !== 'ok') throw new Error(`could not grant ${pattern}: ${outcome}`);
  } finally {
    await page.close();
  }
  if (!opts.activate) return;
  const extensionPage = await session.openExtensionPage('options');
  try {
    const cdp = await extensionPage.createCDPSession();
    const { result } = await cdp.send('Runtime.evaluate', {
      expression: `chrome.permissions.request({ origins: [${JSON.stringify(pattern)}] })`,
      userGesture: true,
      awaitPromise: true,
      returnByValue: true,
    });
    if (result.value !== true) throw new Error(`chrome.permissions.request(${pattern}) answered ${JSON.stringify(result.value)}`);
  } finally {
    await extensionPage.close();
  }
}

/**
 * Opens the popup as a tab of the popup's size. Its forms start empty: the drafts earlier tests left
 * (src/popup/form-draft.ts) are dropped before a form is shown, unless `keepDrafts`.
 */
export async function openPopup(session: Session, opts: { keepDrafts?: boolean } = {}): Promise<Page> {
  const page = await session.openExtensionPage('popup');
  await page.setViewport({ width: 380, height: 600 });
  if (!opts.keepDrafts) {
    // Every profile's drafts: a New PR or Start work draft's key of no profile and no repository or item, cut where the profile's id starts.
    await page.evaluate((prefixes: string[]) => {
      for (const key of Object.keys(localStorage)) if (prefixes.some((p) => key.startsWith(p))) localStorage.removeItem(key);
    }, [NEW_PR_DRAFT.key('', '').slice(0, -1), NEW_REPO_DRAFT.key(''), START_WORK_DRAFT.key('', '').slice(0, -1)]);
  }
  return page;
}

/** The names of the repositories the popup's list shows, in order. */
export const listedRepos = (popup: Page): Promise<string[]> =>
  popup.$$eval('#repo-list [role="option"]', (rows) => rows.map((r) => (r as HTMLElement).dataset.repo ?? ''));

/** Whether the sandbox has a route (method + pattern, as sandbox/api registers it). */
export function sandboxHasRoute(routes: { method: string; pattern: string }[], method: string, pattern: RegExp): boolean {
  return routes.some((r) => r.method === method && pattern.test(r.pattern));
}

/** Stops the extension's service worker and waits until it is gone (see the harness). */
export const stopWorker = (session: Session): Promise<void> => session.stopWorker();

/** True when the running worker was started after the last `stopWorker`. */
export async function isFreshWorker(session: Session): Promise<boolean> {
  const worker = await session.worker();
  return worker.evaluate(() => (globalThis as { beforeStop?: boolean }).beforeStop !== true);
}

/**
 * Waits until a select offers `value` (or, without one, any non-empty value) and answers the
 * values. Preact sets `value` as a property, so `option[value=…]` selectors do not see it.
 */
export async function waitForOption(page: Page, select: string, value?: string, timeout = 20_000): Promise<string[]> {
  await page.waitForFunction(
    (sel: string, want: string | null) =>
      [...document.querySelectorAll(`${sel} option`)].some((o) => {
        const v = (o as HTMLOptionElement).value;
        return want === null ? v !== '' : v === want;
      }),
    { timeout },
    select,
    value ?? null,
  );
  return page.$$eval(`${select} option`, (o) => o.map((x) => (x as HTMLOptionElement).value).filter((v) => v !== ''));
}

/** Signs in through the Entra stand-in's page as `user` (an alias) from the options page; waits for the organization choice or an error. */
export async function signInWithMicrosoft(session: Session, options: Page, user: string, start = '#signin-start'): Promise<void> {
  // The button appears once the options page has read the sign-in settings: wait until it can take the click.
  await options.locator(start).setTimeout(15_000).click();
  const target = await session.browser.waitForTarget((t) => t.url().includes('/authorize'), { timeout: 15_000 });
  const page = (await target.asPage())!;
  await page.waitForSelector('#idSIButton9');
  await page.click(`input[name="user"][value="${user}"]`);
  await page.click('#idSIButton9');
  await options.waitForSelector('.org-choice, .sign-in .note.error', { timeout: 15_000 });
}
