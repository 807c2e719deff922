import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, type Browser, type Frame, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in plain JavaScript
import { buildAdoExtension } from '../../scripts/build-ado-extension.mjs';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { INSTALL_GUIDE_URL, RELEASES_URL } from '../../src/shared/project-links';
import { findChromium } from './chromium';

// The built .vsix installed in the sandbox's fabrikam organization, in real Chromium without the
// browser extension: a branch row's ⋮ shows its item; the real azure-devops-extension-sdk in the
// contribution (served from our publisher's CDN name) completes its handshake with the sandbox's
// host side, receives the row's context through execute(), hears no acknowledgement and opens its
// dialog through the host's layout service, with the branch's clone URLs, a VS Code link and
// where to get the browser extension and the companion.

const remoteUrl = 'https://fabrikam@dev.azure.com/fabrikam/Platform/_git/build-scripts';
const sshUrl = 'git@ssh.dev.azure.com:v3/fabrikam/Platform/build-scripts';
const ID = 'adocompanion.azure-devops-companion';

let out: string;
let sandbox: Sandbox;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'adoc-vsix-host-'));
  const { vsix } = (await buildAdoExtension(out)) as { vsix: string };
  sandbox = await startSandbox({ quiet: true, ssh: false, adoExtension: { path: vsix, organizations: ['fabrikam'] } });
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium: run `npm run test:e2e`, which finds or installs one.');
  browser = await launch({
    executablePath,
    headless: true,
    pipe: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', `--host-resolver-rules=${sandbox.hostResolverRules}`, `--ignore-certificate-errors-spki-list=${sandbox.spki}`],
  });
  page = await browser.newPage();
  for (const origin of [sandbox.extensionOrigin!, sandbox.url]) {
    await browser.defaultBrowserContext().overridePermissions(origin, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
  }
  await page.goto(`${sandbox.url}/_sandbox/signin?user=ada&returnUrl=${encodeURIComponent('/fabrikam/Platform/_git/build-scripts/branches')}`);
  await page.waitForSelector('tr[data-sandbox-branch="feature/readme-update"]', { timeout: 15_000 });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  rmSync(out, { recursive: true, force: true });
});

const hostLog = () => page.evaluate(() => (window as unknown as { extensionHostLog: string[] }).extensionHostLog);

async function dialogFrame(): Promise<Frame> {
  const handle = await page.waitForSelector('[role="dialog"] iframe', { timeout: 15_000 });
  const frame = await handle!.contentFrame();
  await frame.waitForSelector('input.url', { timeout: 15_000 });
  return frame;
}

describe('the Azure DevOps extension hosted by the sandbox', () => {
  it("draws the branch row's menu item from the package", async () => {
    await page.click('tr[data-sandbox-branch="feature/readme-update"] [data-sandbox-action="more"]');
    const items = await page.$$eval('[data-sandbox-callout="more"] [data-sandbox-contribution]', (els) => els.map((e) => [e.textContent, e.getAttribute('data-sandbox-contribution')]));
    expect(items).toEqual([['Clone to desktop', `${ID}.clone-branch`]]);
  });

  it('without the browser extension, the action completes the SDK handshake and opens the dialog with the clone URLs and the VS Code link', async () => {
    await page.click(`[data-sandbox-callout="more"] [data-sandbox-contribution="${ID}.clone-branch"]`);
    const frame = await dialogFrame();
    expect(new URL(frame.url()).origin).toBe(sandbox.extensionOrigin);
    expect(await page.$eval('[role="dialog"]', (d) => d.getAttribute('aria-label'))).toBe('Clone to desktop');
    expect(await frame.$$eval('input.url', (els) => els.map((e) => (e as HTMLInputElement).value))).toEqual([remoteUrl, sshUrl]);
    expect(await frame.$eval('code', (e) => e.textContent)).toBe('feature/readme-update');
    expect(await frame.$eval('a.vscode', (a) => a.getAttribute('href'))).toBe(`vscode://vscode.git/clone?url=${encodeURIComponent(remoteUrl)}`);
    // Where to get the browser extension and the companion: the project's release and README.
    expect(await frame.$$eval('a.releases, a.guide', (links) => links.map((a) => [a.textContent, a.getAttribute('href')]))).toEqual([
      ['Download the browser extension and the companion', RELEASES_URL],
      ['How to install them', INSTALL_GUIDE_URL],
    ]);
    const log = await hostLog();
    // In causal order; the dialog's own handshake and execute's answer may come either way round.
    expect(log.slice(0, 3)).toEqual([`execute ${ID}.clone-branch`, `handshake ${ID}.clone-branch`, `dialog ${ID}.companion-dialog`]);
    expect(log.slice(3).toSorted()).toEqual([`executed ${ID}.clone-branch`, `handshake ${ID}.companion-dialog`]);
  }, 60_000);

  it("the dialog's copy button puts the URL on the clipboard", async () => {
    const frame = await dialogFrame();
    await frame.click('button.copy');
    await frame.waitForFunction(() => document.querySelector('button.copy')?.textContent !== 'Copy', { timeout: 5_000 });
    expect(await frame.$eval('button.copy', (b) => b.textContent)).toBe('Copied');
    // Read back on the top page: the iframe is allowed to write only.
    await page.bringToFront();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(remoteUrl);
  }, 30_000);
});
