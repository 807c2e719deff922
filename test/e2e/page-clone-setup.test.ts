import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { installInstructions } from '../../src/shared/companion-install';
import { launch, type Session } from './harness';
import { clickLink, ContentWorld, screenshot, signedInPage } from './page-helpers';

/**
 * Clone to desktop before anything is set up (no companion, no profile): it explains how to
 * install the companion and offers the clone URL, read with the page's own session. And the page's
 * own scripts can neither read what we show nor press our buttons.
 */
const CLONE = '.adoc-clone-to-desktop';
const POPOVER = '.adoc-popover';

let sandbox: Sandbox;
let session: Session;
let page: Page;
let world: ContentWorld;

/** The install command our panel shows, then the values of its read-only fields. */
const fields = () =>
  world.run<string[]>(
    `(sel) => { const r = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)); return [r.querySelector('pre').textContent, ...[...r.querySelectorAll('input')].map((i) => i.value)]; }`,
    POPOVER,
  );

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox);
  page = await signedInPage(session, '/fabrikam/Platform');
  world = await ContentWorld.of(page, session.extensionId);
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
});

describe('Clone to desktop without the companion or a profile', () => {
  it('shows the install command and the clone URLs, read with the page session', async () => {
    // In-app navigation: the page's data providers still describe the first page, so the URL must come from the REST call.
    await clickLink(page, '.bolt-list-row[href$="/platform-tools"]');
    await page.waitForSelector(CLONE, { timeout: 10_000 });
    await world.click(CLONE, 'button');
    const [text] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Or clone it yourself'));
    expect(text).toContain('The companion is not installed');
    expect(text).toContain('Set up the companion');
    const [install, https, ssh] = await fields();
    // The command for this computer (Linux on x86-64 here), on its several lines, with what it does.
    expect(install).toBe(installInstructions('linux', 'x86-64').commands.join('\n'));
    expect(text).toContain(installInstructions('linux', 'x86-64').explanation);
    // No "Check again": the panel watches for the companion by itself.
    expect(text).not.toContain('Check again');
    expect(https).toBe('https://fabrikam@dev.azure.com/fabrikam/Platform/_git/platform-tools');
    expect(ssh).toBe('git@ssh.dev.azure.com:v3/fabrikam/Platform/platform-tools');
    await screenshot(page, 'clone-to-desktop-no-companion-light');
  });

  it('keeps what it shows out of the page’s reach', async () => {
    const [install, https] = await fields();
    const seen = await page.evaluate((sel) => {
      const host = document.querySelector(sel);
      return { shadowRoot: host?.shadowRoot ?? null, html: document.documentElement.outerHTML, text: document.body.innerText };
    }, CLONE);
    expect(seen.shadowRoot).toBeNull();
    for (const secret of [install!, https!, 'Clone to desktop clones through it']) {
      expect(seen.html).not.toContain(secret);
      expect(seen.text).not.toContain(secret);
    }
  });

  it('ignores clicks a script makes, and answers the keyboard', async () => {
    await page.keyboard.press('Escape');
    await page.waitForFunction((sel) => !document.querySelector(sel), {}, POPOVER);
    const popoverAfter = async (act: () => Promise<unknown>) => {
      await act();
      await new Promise((r) => setTimeout(r, 400));
      return page.$(POPOVER);
    };
    // The page's scripts reach only our host element.
    expect(await popoverAfter(() => page.evaluate((sel) => {
      const host = document.querySelector<HTMLElement>(sel)!;
      host.click();
      host.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      host.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    }, CLONE))).toBeNull();
    // Even a script holding the button itself cannot press it: its click is not trusted.
    expect(await popoverAfter(() => world.run(`(sel) => chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelector('button').click()`, CLONE))).toBeNull();
    // A person can, with the keyboard too: focus came back to our button when the panel closed.
    expect(await popoverAfter(() => page.keyboard.press('Enter'))).not.toBeNull();
  });
});
