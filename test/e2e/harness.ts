/**
 * Runs the built extension in real Chromium against the sandbox Azure DevOps. Each browser gets a
 * fresh profile; Azure DevOps' hosts resolve to the sandbox and its certificate is trusted by pin
 * only, so pages keep their real origins (https://dev.azure.com) and content scripts match.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
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
  caFile: string;
}

/**
 * The environment git needs to reach the sandbox. GIT_SSL_CAINFO, when the machine sets it,
 * overrides the config file's http.sslCAInfo, so it is pointed at the sandbox's CA too.
 */
export const gitEnv = (sandbox: SandboxLike): NodeJS.ProcessEnv => ({ GIT_CONFIG_GLOBAL: sandbox.gitConfig, GIT_SSL_CAINFO: sandbox.caFile });

/** git's environment with a PAT for one command, the way the companion passes it (never in a URL). */
export const gitEnvWithPat = (sandbox: SandboxLike, pat: string): NodeJS.ProcessEnv => ({
  ...process.env,
  ...gitEnv(sandbox),
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'http.extraHeader',
  GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`:${pat}`).toString('base64')}`,
});

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

export async function launch(
  sandbox: SandboxLike,
  opts: { env?: NodeJS.ProcessEnv; userDataDir?: string; headless?: boolean; extensionDir?: string; extensionId?: string; keepWelcome?: boolean; scrollbars?: boolean } = {},
): Promise<Session> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium: run `npm run test:e2e`, which finds or installs one.');
  const userDataDir = opts.userDataDir ?? (await mkdtemp(join(tmpdir(), 'adoc-profile-')));
  const browser = await launchChromium({
    executablePath,
    headless: opts.headless ?? true,
    defaultViewport: opts.headless === false ? null : { width: 1280, height: 800 },
    pipe: true,
    // Puppeteer's default lets one stuck DevTools call wait 3 minutes; above our longest wait (60 s)
    // but well under it, so a stuck call fails while the test can still say which one.
    protocolTimeout: 75_000,
    enableExtensions: [opts.extensionDir ?? chromeDist],
    // Headless, Puppeteer hides the scrollbars unless told not to: a test that drags one needs them.
    ignoreDefaultArgs: opts.scrollbars ? ['--hide-scrollbars'] : undefined,
    userDataDir,
    env: { ...process.env, ...gitEnv(sandbox), ...opts.env },
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
  // A build without the manifest's key (the store zip) gets an id from its folder: see unpackedId.
  const extensionId = opts.extensionId ?? ADO_COMPANION_CHROME_ID;
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
  // Installing the extension opens Options at its welcome (first-run.test.ts follows it); other
  // tests start from a quiet browser, where the pages they open are the ones in front.
  if (!opts.keepWelcome) {
    // Up to 15 s on a loaded machine: a welcome come later would be in front of the test's page.
    const welcome = await browser.waitForTarget((t) => t.url().endsWith('#welcome'), { timeout: 15_000 }).catch(() => undefined);
    await (await welcome?.asPage())?.close();
  }

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
      // Closing the worker target is how Chromium stops it for good; CDP stopAllWorkers leaves
      // the restarted worker unanswering while puppeteer is attached. The old worker is marked
      // first, so a test can tell the next one is new.
      const worker = await findWorker();
      await worker.evaluate(() => {
        (globalThis as { beforeStop?: boolean }).beforeStop = true;
      });
      await worker.close();
      for (let i = 0; i < 50 && browser.targets().some((t) => t.type() === 'service_worker' && t.url().startsWith(origin)); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await browser.close().catch(() => undefined);
      if (!opts.userDataDir) await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A HOME of the test's own: the companion's config, ~/.ssh and clones never touch the real user's. */
export async function privateHome(): Promise<{ home: string; env: NodeJS.ProcessEnv; cleanup(): Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'adoc-home-'));
  return {
    home,
    env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_STATE_HOME: join(home, '.local/state') },
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}

/**
 * The id Chromium gives an unpacked extension whose manifest has no key: the first 32 hex digits
 * of sha256 of its absolute folder path, mapped 0-f → a-p.
 */
export function unpackedId(dir: string): string {
  const hex = createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode('a'.charCodeAt(0) + Number.parseInt(c, 16))).join('');
}

/** The single executable companion `npm run build` makes for this machine. */
export const companionExecutable = join(repoRoot, 'dist/companion/ado-companion-linux-x64');

/**
 * A PATH of one new folder (under `dir`) holding every program of the system's PATH except node
 * (and npm, npx, corepack, which need it): what a user of the executable companion may have.
 * Chromium's own start script needs the ordinary tools, so they stay.
 */
export function pathWithoutNode(dir: string): string {
  const bin = join(dir, 'bin-without-node');
  mkdirSync(bin, { recursive: true });
  // Names taken: node's, and those an earlier PATH folder already gave (the first one wins).
  const taken = new Set(['node', 'nodejs', 'npm', 'npx', 'corepack']);
  for (const folder of (process.env.PATH ?? '').split(':')) {
    if (!folder || !existsSync(folder)) continue;
    for (const name of readdirSync(folder)) {
      if (taken.has(name)) continue;
      taken.add(name);
      symlinkSync(join(folder, name), join(bin, name));
    }
  }
  return bin;
}

/**
 * Registers the built companion for one Chromium profile with its own installer, as a user would:
 * `node dist/host/ado-companion-host.mjs install`, or with `executable` the single executable.
 */
export function installCompanion(userDataDir: string, env: NodeJS.ProcessEnv, opts: { executable?: boolean } = {}): string {
  const [command, ...args] = opts.executable ? [companionExecutable] : [process.execPath, join(repoRoot, 'dist/host/ado-companion-host.mjs')];
  return execFileSync(command!, [...args, 'install', '--browser', 'chromium', '--user-data-dir', userDataDir, '--extension-id', ADO_COMPANION_CHROME_ID], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

/** Sends a request as an extension page would, and gives back the reply. */
export function ask(page: Page, request: unknown): Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string } }> {
  return page.evaluate((r) => chrome.runtime.sendMessage(r), request as object);
}

/** Sends a long request through a port, collecting progress events until the reply. */
export function askWithProgress(page: Page, request: unknown): Promise<{ reply: { ok: boolean; data?: unknown; error?: { code: string; message: string } }; progress: unknown[] }> {
  return page.evaluate(
    (r) =>
      new Promise<{ reply: { ok: boolean }; progress: unknown[] }>((done) => {
        const progress: unknown[] = [];
        const port = chrome.runtime.connect({ name: 'task' });
        port.onMessage.addListener((m: { progress?: unknown; reply?: { ok: boolean } }) => {
          if (m.progress) progress.push(m.progress);
          if (m.reply) done({ reply: m.reply, progress });
        });
        port.postMessage(r);
      }),
    request as object,
  ) as never;
}

/**
 * Chromium with the extension and the companion, installed by its own installer for a fresh
 * browser profile and a private HOME: what most end-to-end files start from. With `executable`,
 * the single executable companion is installed and run with no node on PATH (the installer's and
 * the browser's, which the companion inherits).
 */
export async function launchWithCompanion(
  sandbox: SandboxLike,
  opts: { executable?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<{ session: Session; home: Awaited<ReturnType<typeof privateHome>> }> {
  const home = await privateHome();
  const userDataDir = await mkdtemp(join(tmpdir(), 'adoc-profile-'));
  const env = { ...(opts.executable ? { ...home.env, PATH: pathWithoutNode(home.home) } : home.env), ...opts.env };
  const installed = installCompanion(userDataDir, env, opts);
  if (!installed.includes(join(userDataDir, 'NativeMessagingHosts'))) throw new Error(`the companion's installer did not register it for the profile:\n${installed}`);
  return { session: await launch(sandbox, { userDataDir, env }), home };
}

/**
 * launchWithCompanion, then signed in to fabrikam with the sandbox's PAT and cloning into
 * `{HOME}/code`: the state the page features start from. The options page stays open for more setup.
 */
export async function launchConnected(sandbox: SandboxLike & { pats: Record<string, string> }, opts: { env?: NodeJS.ProcessEnv } = {}): Promise<{
  session: Session;
  home: Awaited<ReturnType<typeof privateHome>>;
  cloneRoot: string;
  options: Page;
}> {
  const { session, home } = await launchWithCompanion(sandbox, opts);
  const options = await session.openExtensionPage('options');
  const cloneRoot = join(home.home, 'code');
  for (const request of [
    { type: 'profiles.addPat', organization: 'fabrikam', pat: sandbox.pats.fabrikam },
    { type: 'companion.setCloneRoot', cloneRoot },
  ]) {
    const reply = await ask(options, request);
    if (!reply.ok) throw new Error(`${request.type} failed: ${reply.error?.message}`);
  }
  return { session, home, cloneRoot, options };
}
