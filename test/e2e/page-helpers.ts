/**
 * Helpers for the tests of the injected features. Our UI lives in closed shadow roots, which the
 * page (and puppeteer's selectors, which run in the page) cannot enter; these helpers look inside
 * from the content script's own world (`chrome.dom.openOrClosedShadowRoot`) and click with real,
 * trusted mouse events at the positions found there.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CDPSession, Page } from 'puppeteer-core';
import { expect } from 'vitest';
import { repoRoot, type Session } from './harness';

export const screenshotDir = join(repoRoot, 'artifacts/screenshots');

/** Signs in to the sandbox as `user` and lands on `path` (of dev.azure.com). */
export async function signedInPage(session: Session, path: string, user = 'ada'): Promise<Page> {
  const page = await session.open(`https://dev.azure.com/_sandbox/signin?user=${user}&returnUrl=${encodeURIComponent(path)}`);
  await page.waitForFunction(() => document.documentElement.dataset.adoCompanion, { timeout: 10_000 });
  return page;
}

/** Sets a sandbox switch (theme, markup, language) for dev.azure.com and comes back to `path`. */
export async function sandboxSwitch(page: Page, what: 'theme' | 'markup' | 'lang', value: string, path: string): Promise<void> {
  const param = what === 'theme' ? 'mode' : what === 'lang' ? 'lang' : 'variant';
  await page.goto(`https://dev.azure.com/_sandbox/${what}?${param}=${value}&returnUrl=${encodeURIComponent(path)}`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => document.documentElement.dataset.adoCompanion, { timeout: 10_000 });
}

/** Source of a function (for the content world) that finds `sel` in the page and inside our closed roots. */
const DEEP = `(sel) => { const out = []; const walk = (root) => { out.push(...root.querySelectorAll(sel)); for (const h of root.querySelectorAll('[data-adoc]')) { const r = chrome.dom.openOrClosedShadowRoot(h); if (r) walk(r); } }; walk(document); return [...new Set(out)]; }`;

interface ContextEvent {
  context: { id: number; origin: string; name: string; auxData?: { type?: string; frameId?: string } };
}

/** Evaluates functions in the extension's content-script world of a page (main frame). */
export class ContentWorld {
  private contexts = new Map<number, ContextEvent['context']>();
  private constructor(
    private readonly cdp: CDPSession,
    private readonly page: Page,
    private readonly extensionId: string,
  ) {}

  static async of(page: Page, extensionId: string): Promise<ContentWorld> {
    const cdp = await page.createCDPSession();
    const world = new ContentWorld(cdp, page, extensionId);
    cdp.on('Runtime.executionContextCreated', (e: ContextEvent) => world.contexts.set(e.context.id, e.context));
    cdp.on('Runtime.executionContextDestroyed', (e: { executionContextId: number }) => world.contexts.delete(e.executionContextId));
    cdp.on('Runtime.executionContextsCleared', () => world.contexts.clear());
    await cdp.send('Runtime.enable');
    return world;
  }

  private async contextId(): Promise<number> {
    const { frameTree } = (await this.cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
    const frameId = frameTree.frame.id;
    for (let i = 0; i < 100; i++) {
      for (const c of this.contexts.values()) {
        if (c.auxData?.type === 'isolated' && c.origin.includes(this.extensionId) && c.auxData.frameId === frameId) return c.id;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('The content script world did not appear');
  }

  /** Runs `fn(...args)` (as source text) in the content script's world and returns its JSON result. */
  async run<T>(fn: string, ...args: unknown[]): Promise<T> {
    const contextId = await this.contextId();
    const expression = `(${fn})(...${JSON.stringify(args)})`;
    const answer = (await this.cdp.send('Runtime.evaluate', { expression, contextId, returnByValue: true, awaitPromise: true })) as {
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (answer.exceptionDetails) throw new Error(answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text);
    return answer.result.value as T;
  }

  /** Text of every widget matching `host` (found in the page and in our own closed roots, such as the dock). */
  texts(host: string): Promise<string[]> {
    return this.run<string[]>(
      `(sel) => (${DEEP})(sel).map((h) => { const r = chrome.dom.openOrClosedShadowRoot(h); return r ? [...r.children].filter((c) => c.tagName !== 'STYLE').map((c) => c.innerText ?? c.textContent).join('\\n') : ''; })`,
      host,
    );
  }

  /**
   * The centre of the first element inside the widget `host` matching `inner` (optionally with this
   * text). With `hittable`, null unless a click there now would reach that element (nothing drawn
   * over it).
   */
  async centre(host: string, inner: string, text?: string, hittable = false): Promise<{ x: number; y: number } | null> {
    return this.run<{ x: number; y: number } | null>(
      `(sel, inner, text, hittable) => { for (const h of (${DEEP})(sel)) { const r = chrome.dom.openOrClosedShadowRoot(h); if (!r) continue; for (const el of r.querySelectorAll(inner)) { if (text && (el.textContent ?? '').trim() !== text) continue; el.scrollIntoView({ block: 'nearest' }); const b = el.getBoundingClientRect(); if (b.width === 0) continue; const at = { x: b.x + b.width / 2, y: b.y + b.height / 2 }; if (!hittable) return at; const hit = r.elementFromPoint(at.x, at.y); return hit && el.contains(hit) ? at : null; } } return null; }`,
      host,
      inner,
      text ?? null,
      hittable,
    );
  }

  /**
   * Waits until the element can be clicked and stays put (found at the same place twice: a card
   * still filling in above it moves it), then clicks it like a person.
   */
  async click(host: string, inner: string, text?: string, timeoutMs = 15_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const at = await this.centre(host, inner, text, true);
      const again = at && (await this.centre(host, inner, text, true));
      if (at && again && at.x === again.x && at.y === again.y) return this.page.mouse.click(at.x, at.y);
      if (Date.now() > until) throw new Error(`No ${inner}${text ? ` “${text}”` : ''} to click in ${host}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Types into the first matching input of a widget (focus by a real click, then real key presses).
   * A card still filling in moves its input between finding and clicking, so the click is repeated
   * until the input has the focus, and the typing until the input holds exactly `text`.
   */
  async type(host: string, inner: string, text: string, timeoutMs = 15_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    const input = (what: 'focused' | 'value') =>
      this.run<boolean | string | null>(
        `(sel, inner, what) => { for (const h of (${DEEP})(sel)) { const r = chrome.dom.openOrClosedShadowRoot(h); const el = r && r.querySelector(inner); if (!el) continue; return what === 'focused' ? r.activeElement === el : el.value; } return null; }`,
        host,
        inner,
        what,
      );
    for (;;) {
      await this.click(host, inner, undefined, Math.max(0, until - Date.now()));
      if (await input('focused')) {
        await this.page.keyboard.down('Control');
        await this.page.keyboard.press('KeyA');
        await this.page.keyboard.up('Control');
        await this.page.keyboard.type(text);
        if ((await input('focused')) && (await input('value')) === text) return;
      }
      if (Date.now() > until) throw new Error(`Could not type “${text}” into ${inner} in ${host}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Waits until the text of the widgets matching `host` satisfies `test`. */
  async waitForText(host: string, test: (texts: string[]) => boolean, timeoutMs = 20_000): Promise<string[]> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const texts = await this.texts(host).catch(() => []);
      if (test(texts)) return texts;
      if (Date.now() > until) throw new Error(`Timed out; widget text was: ${JSON.stringify(texts)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Clicks a page link the way a person does, so the sandbox's single-page app navigates in-app. */
export async function clickLink(page: Page, selector: string): Promise<void> {
  const before = page.url();
  await page.click(selector);
  await page.waitForFunction((b) => location.href !== b, {}, before);
}

/** A screenshot of the viewport (with the element `show` scrolled into view), to artifacts/screenshots/. */
export async function screenshot(page: Page, name: string, show?: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  if (show) await page.evaluate((sel) => document.querySelector(sel)?.scrollIntoView({ block: 'center' }), show);
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** A panel's waiting line (the status line with Stop waiting) in `sel`'s shadow root: as seen, as heard; null when there is none. */
export const waitLineIn = (world: ContentWorld, sel: string) =>
  world.run<{ seen: string; heard: string } | null>(
    `(sel) => { const p = [...chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('p[role=status]')].find((e) => e.querySelector('button')); return p ? { seen: p.querySelector('[aria-hidden]').textContent, heard: p.querySelector('.adoc-sr').textContent } : null; }`,
    sel,
  );

/** The text of what has the focus in `sel`'s shadow root. */
export const focusedIn = (world: ContentWorld, sel: string) =>
  world.run<string | null>(`(sel) => chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).activeElement?.textContent ?? null`, sel);

/**
 * A panel whose loading request got a 429 with a Retry-After of `seconds`, once (the fault already
 * added, the panel being opened): within a few seconds it says how long it waits, seen and heard,
 * over `loading`; Stop waiting shows at once why it failed, with the focus on Try again; Enter on it
 * waits again (the organization is still held), then `loaded` comes.
 */
export async function panelSaysItsWait(page: Page, world: ContentWorld, sel: string, want: { seconds: number; loading: string; loaded: string; whileWaiting?: () => Promise<unknown> }): Promise<void> {
  await expect.poll(() => waitLineIn(world, sel), { timeout: 10_000, interval: 200 }).not.toBeNull();
  const said = (await waitLineIn(world, sel))!;
  // Most of the wait is still to come.
  const left = Number(/^Azure DevOps asked us to wait: trying again in (\d+) s…$/.exec(said.seen)?.[1]);
  expect(left).toBeGreaterThanOrEqual(want.seconds - 3);
  expect(left).toBeLessThanOrEqual(want.seconds);
  expect(said.heard).toMatch(/^Azure DevOps asked us to wait: trying again in about \d+ seconds\.$/);
  expect((await world.texts(sel))[0]).toContain(want.loading);
  await want.whileWaiting?.();

  await world.click(sel, 'button', 'Stop waiting');
  const [failed] = await world.waitForText(sel, (t) => (t[0] ?? '').includes('Azure DevOps is limiting'), 2000);
  expect(failed).not.toContain('asked us to wait');
  await expect.poll(() => focusedIn(world, sel), { timeout: 2000 }).toBe('Try again');

  await page.keyboard.press('Enter');
  await expect.poll(() => waitLineIn(world, sel), { timeout: 5000, interval: 200 }).not.toBeNull();
  const [loaded] = await world.waitForText(sel, (t) => (t[0] ?? '').includes(want.loaded), 30_000);
  expect(loaded).not.toContain('asked us to wait');
}
