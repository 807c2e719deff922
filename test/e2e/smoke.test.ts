import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { launch, type Session } from './harness';

let sandbox: Sandbox;
let session: Session;
let elsewhere: Server;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox);
  // A site that is not Azure DevOps, with a path that looks like one.
  elsewhere = createServer((_req, res) => res.end('<!doctype html><title>not ado</title><p>hello'));
  await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  elsewhere?.close();
});

const marker = (page: import('puppeteer-core').Page) =>
  page.evaluate(() => document.documentElement.dataset.adoCompanion ?? null);

describe('extension smoke', () => {
  it('runs the content script on a dev.azure.com repository page', async () => {
    // Pages need a signed-in session, as on the real site.
    const page = await session.open('https://dev.azure.com/_sandbox/signin?user=ada&returnUrl=%2Ffabrikam%2FPlatform%2F_git%2FPlatform');
    await page.waitForFunction(() => document.documentElement.dataset.adoCompanion, { timeout: 10_000 });
    expect(await marker(page)).toBe('repoHome');
    await page.close();
  });

  it('does not run on other sites', async () => {
    const { port } = elsewhere.address() as AddressInfo;
    const page = await session.open(`http://127.0.0.1:${port}/fabrikam/Platform/_git/Platform`);
    // Give a content script every chance to run before concluding it did not.
    await page.waitForFunction(() => document.readyState === 'complete');
    await new Promise((r) => setTimeout(r, 500));
    expect(await marker(page)).toBeNull();
    await page.close();
  });

  it('renders the popup and the options page', async () => {
    const popup = await session.openExtensionPage('popup');
    await popup.waitForSelector('[data-testid="active-profile"]');
    expect(await popup.$eval('h1', (h) => h.textContent)).toContain('Azure DevOps Companion');
    const options = await session.openExtensionPage('options');
    await options.waitForSelector('#profiles-heading');
    expect(await options.$eval('h1', (h) => h.textContent)).toContain('Options');
    await popup.close();
    await options.close();
  });

  it('answers a message from an extension page, and refuses malformed ones', async () => {
    const popup = await session.openExtensionPage('popup');
    const answers = await popup.evaluate(async () => [
      await chrome.runtime.sendMessage({ type: 'ping' }),
      await chrome.runtime.sendMessage({ type: 'no-such-thing' }),
    ]);
    expect(answers[0]).toMatchObject({ ok: true, data: { sender: 'extension' } });
    expect(answers[1]).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    await popup.close();
  });
});
