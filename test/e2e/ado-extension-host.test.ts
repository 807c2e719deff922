import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, type Browser, type Frame, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in plain JavaScript
import { buildAdoExtension } from '../../scripts/build-ado-extension.mjs';
import { startExtensionHost, type ExtensionHost } from '../../sandbox/extension-host/server';
import { INSTALL_GUIDE_URL, RELEASES_URL } from '../../src/shared/project-links';
import { findChromium } from './chromium';

// The built .vsix hosted by the sandbox in real Chromium, without the browser extension: the real
// azure-devops-extension-sdk in the contribution completes its handshake with the sandbox's host
// side, receives the branch row's context through execute(), hears no acknowledgement and opens
// its dialog through the host's layout service, with the branch's clone URLs and a VS Code link.

const remoteUrl = 'https://dev.azure.com/contoso/Web/_git/site';
const sshUrl = 'git@ssh.dev.azure.com:v3/contoso/Web/site';
const repository = { id: 'r1', name: 'site', project: { id: 'p1', name: 'Web' }, remoteUrl, sshUrl };

let out: string;
let host: ExtensionHost;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'adoc-vsix-host-'));
  const { vsix } = (await buildAdoExtension(out)) as { vsix: string };
  host = await startExtensionHost(readFileSync(vsix), { organization: 'contoso', project: 'Web', user: 'Sandbox User' }, [
    { target: 'ms.vss-code-web.git-branches-tree-menu', label: 'Branch feature/x', context: { item: { fullName: 'refs/heads/feature/x' }, repository } },
  ]);
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium: run `npm run test:e2e`, which finds or installs one.');
  browser = await launch({ executablePath, headless: true, pipe: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  page = await browser.newPage();
  for (const origin of [host.contributionOrigin, new URL(host.pageUrl).origin]) {
    await browser.defaultBrowserContext().overridePermissions(origin, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
  }
  await page.goto(host.pageUrl);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
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
    const items = await page.$$eval('[role="menu"][data-target="ms.vss-code-web.git-branches-tree-menu"] [role="menuitem"]', (els) => els.map((e) => e.textContent));
    expect(items).toEqual(['Clone to desktop']);
  });

  it('without the browser extension, the action completes the SDK handshake and opens the dialog with the clone URLs and the VS Code link', async () => {
    await page.click('[role="menuitem"][data-contribution="adocompanion.azure-devops-companion.clone-branch"]');
    const frame = await dialogFrame();
    expect(new URL(frame.url()).origin).toBe(host.contributionOrigin);
    expect(await page.$eval('[role="dialog"]', (d) => d.getAttribute('aria-label'))).toBe('Clone to desktop');
    expect(await frame.$$eval('input.url', (els) => els.map((e) => (e as HTMLInputElement).value))).toEqual([remoteUrl, sshUrl]);
    expect(await frame.$eval('code', (e) => e.textContent)).toBe('feature/x');
    expect(await frame.$eval('a.vscode', (a) => a.getAttribute('href'))).toBe(`vscode://vscode.git/clone?url=${encodeURIComponent(remoteUrl)}`);
    // Where to get the browser extension and the companion: the project's release and README.
    expect(await frame.$$eval('a.releases, a.guide', (links) => links.map((a) => [a.textContent, a.getAttribute('href')]))).toEqual([
      ['Download the browser extension and the companion', RELEASES_URL],
      ['How to install them', INSTALL_GUIDE_URL],
    ]);
    const log = await hostLog();
    // In causal order; the dialog's own handshake and execute's answer may come either way round.
    expect(log.slice(0, 3)).toEqual([
      'execute adocompanion.azure-devops-companion.clone-branch',
      'handshake adocompanion.azure-devops-companion.clone-branch',
      'dialog adocompanion.azure-devops-companion.companion-dialog',
    ]);
    expect(log.slice(3).toSorted()).toEqual(['executed adocompanion.azure-devops-companion.clone-branch', 'handshake adocompanion.azure-devops-companion.companion-dialog']);
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
