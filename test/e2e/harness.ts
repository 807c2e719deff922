/**
 * Runs the built extension in real Chromium against the sandbox Azure DevOps. Each browser gets a
 * fresh profile; Azure DevOps' hosts resolve to the sandbox and its certificate is trusted by pin
 * only, so pages keep their real origins (https://dev.azure.com) and content scripts match.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launch as launchChromium, type Browser, type Page, type WebWorker } from 'puppeteer-core';
import { ADO_COMPANION_CHROME_ID } from '../../src/shared/extension-ids';
import { findChromium } from './chromium';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const chromeDist = join(repoRoot, 'dist/chrome');

export interface SandboxLike {
  spki: string;
  hostResolverRules: string;
  gitConfig: string;
}

export interface Session {
  browser: Browser;
  extensionId: string;
  userDataDir: string;
  /** The extension's service worker, found again if it was stopped. */
  worker(): Promise<WebWorker>;
  open(url: string): Promise<Page>;
  openExtensionPage(page: 'popup' | 'options', query?: string): Promise<Page>;
  /** Stops the MV3 worker the way Chromium does when idle, to prove no state lives only in memory. */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export async function launch(sandbox: SandboxLike, opts: { env?: NodeJS.ProcessEnv; userDataDir?: string } = {}): Promise<Session> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium: run `npm run test:e2e`, which finds or installs one.');
  const userDataDir = opts.userDataDir ?? (await mkdtemp(join(tmpdir(), 'adoc-profile-')));
  const browser = await launchChromium({
    executablePath,
    headless: true,
    pipe: true,
    enableExtensions: [chromeDist],
    userDataDir,
    env: { ...process.env, GIT_CONFIG_GLOBAL: sandbox.gitConfig, ...opts.env },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      `--host-resolver-rules=${sandbox.hostResolverRules}`,
      `--ignore-certificate-errors-spki-list=${sandbox.spki}`,
    ],
  });
  const extensionId = ADO_COMPANION_CHROME_ID;
  const origin = `chrome-extension://${extensionId}/`;
  const findWorker = async () => {
    const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(origin), {
      timeout: 15_000,
    });
    const worker = await target.worker();
    if (!worker) throw new Error('service worker target has no worker');
    return worker;
  };
  await findWorker();

  return {
    browser,
    extensionId,
    userDataDir,
    worker: findWorker,
    async open(url) {
      const page = await browser.newPage();
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      return page;
    },
    async openExtensionPage(name, query = '') {
      const page = await browser.newPage();
      await page.goto(`${origin}src/${name}/index.html${query}`, { waitUntil: 'domcontentloaded' });
      return page;
    },
    async stopWorker() {
      const page = await browser.newPage();
      const cdp = await page.createCDPSession();
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await page.close();
    },
    async close() {
      await browser.close().catch(() => undefined);
      if (!opts.userDataDir) await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
