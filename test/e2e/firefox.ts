/**
 * Runs the built Firefox extension (dist/firefox) in real Firefox against the sandbox, over
 * WebDriver BiDi. Firefox has no host-resolver rules, so the browser is given an HTTP proxy of the
 * test's own that sends the sandbox's host names (and nothing else) to the sandbox; the origin
 * stays https://dev.azure.com, so content scripts match. The sandbox's test certificate is
 * accepted for this session only (BiDi `acceptInsecureCerts`), which covers the extension's own
 * requests too. The add-on's moz-extension:// UUID is fixed by a pref so its pages can be opened,
 * and `--remote-allow-system-access` lets BiDi navigate to them (it refuses non-web URLs otherwise).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch as launchBrowser, type Browser, type Page } from 'puppeteer-core';
import { ADO_COMPANION_GECKO_ID } from '../../src/shared/extension-ids';
import { HOST_NAME } from '../../src/shared/host-protocol';
import { gitEnv, repoRoot, type SandboxLike } from './harness';

export const firefoxDist = join(repoRoot, 'dist/firefox');

/** Where a Firefox may be: FIREFOX_PATH wins, then the usual Linux and macOS places. */
export const firefoxCandidates = (env = process.env): string[] =>
  [
    env.FIREFOX_PATH,
    '/usr/bin/firefox-esr',
    '/usr/bin/firefox',
    '/Applications/Firefox.app/Contents/MacOS/firefox',
  ].filter((p): p is string => !!p);

export function findFirefox(env = process.env): string | undefined {
  return firefoxCandidates(env).find((p) => existsSync(p));
}

/** What the launcher needs of the sandbox: its port and host names for the proxy, and git's settings. */
export interface FirefoxSandbox extends SandboxLike {
  port: number;
  hosts: string[];
}

export interface SandboxProxy {
  port: number;
  /** CONNECT targets that were refused (anything but a sandbox host on :443 or :8443). */
  refused: string[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy that tunnels CONNECT to the sandbox's hosts on port 443 to the sandbox and refuses
 * everything else, so the browser reaches nothing outside the test. Port 8443 goes there too: an
 * Azure DevOps Server on a port of its own (the sandbox ignores the port).
 */
export async function startSandboxProxy(sandbox: Pick<FirefoxSandbox, 'port' | 'hosts'>): Promise<SandboxProxy> {
  const hosts = new Set(sandbox.hosts.map((h) => h.toLowerCase()));
  const refused: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    // Plain HTTP requests (not CONNECT): nothing the tests need.
    refused.push(`${req.method} ${req.url}`);
    res.writeHead(403).end('refused by the test proxy');
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const target = req.url ?? '';
    const match = /^([^:]+):(\d+)$/.exec(target);
    if (!match || !['443', '8443'].includes(match[2]!) || !hosts.has(match[1]!.toLowerCase())) {
      refused.push(target);
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(sandbox.port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    refused,
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}

/** Profile preferences: all traffic through the proxy, a fixed extension UUID, a quiet browser. */
export function firefoxPrefs(proxyPort: number, extensionUuid: string): Record<string, unknown> {
  return {
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': proxyPort,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': proxyPort,
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': true,
    'network.dns.disableIPv6': true,
    'network.http.http3.enable': false,
    // permissions.request granted without its prompt, which headless Firefox cannot answer.
    'extensions.webextOptionalPermissionPrompts': false,
    // moz-extension://{uuid}/ is random per profile unless fixed here.
    'extensions.webextensions.uuids': JSON.stringify({ [ADO_COMPANION_GECKO_ID]: extensionUuid }),
    'browser.shell.checkDefaultBrowser': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.enabled': false,
    'app.update.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
  };
}

/**
 * Polls `probe` until `done` accepts its value (every 100 ms, at most `timeoutMs`). On an extension
 * page use this, not puppeteer's waitForFunction: that builds its predicate with `new Function` in
 * the page, which the page's CSP forbids, and Firefox ESR 140.12 enforces it there ("call to
 * Function() blocked by CSP") where earlier versions let BiDi's evaluation through.
 */
export async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for the ${what}; last saw ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface FirefoxSession {
  browser: Browser;
  /** moz-extension://{uuid}/ */
  origin: string;
  proxy: SandboxProxy;
  open(url: string): Promise<Page>;
  openExtensionPage(page: 'popup' | 'options', query?: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Firefox with dist/firefox installed as a temporary add-on. `env` reaches the browser and the
 * programs it starts (the companion): give it a private HOME so native messaging finds the
 * manifest the companion's installer wrote under $HOME/.mozilla.
 */
export async function launchFirefox(sandbox: FirefoxSandbox, opts: { env?: NodeJS.ProcessEnv; extensionDir?: string } = {}): Promise<FirefoxSession> {
  const executablePath = findFirefox();
  if (!executablePath) throw new Error('No Firefox: run `npm run test:e2e`, which finds or installs one.');
  const proxy = await startSandboxProxy(sandbox);
  const uuid = randomUUID();
  const profileDir = await mkdtemp(join(tmpdir(), 'adoc-firefox-'));
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser({
      browser: 'firefox',
      executablePath,
      headless: true,
      userDataDir: profileDir,
      acceptInsecureCerts: true,
      // WebDriver BiDi navigates only to web URLs unless this is given; the options and popup
      // pages are moz-extension:// URLs.
      args: ['--remote-allow-system-access'],
      protocolTimeout: 75_000,
      defaultViewport: { width: 1280, height: 800 },
      extraPrefsFirefox: firefoxPrefs(proxy.port, uuid),
      env: { ...process.env, ...gitEnv(sandbox), ...opts.env },
    });
    const id = await browser.installExtension(opts.extensionDir ?? firefoxDist);
    if (id !== ADO_COMPANION_GECKO_ID) throw new Error(`Firefox installed the add-on as ${id}, not ${ADO_COMPANION_GECKO_ID}`);
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await proxy.close();
    await rm(profileDir, { recursive: true, force: true });
    throw e;
  }
  const origin = `moz-extension://${uuid}/`;
  const opened = browser;
  return {
    browser: opened,
    origin,
    proxy,
    async open(url) {
      const page = await opened.newPage();
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      return page;
    },
    async openExtensionPage(name, query = '') {
      const page = await opened.newPage();
      const url = `${origin}src/${name}/index.html${query}`;
      // Firefox loads the page (in the extension process) but never reports the navigation's
      // end over BiDi, so goto would time out: wait for the document itself instead.
      page.goto(url).catch(() => undefined);
      await waitFor(() => page.evaluate(() => (document.readyState === 'loading' ? '' : location.href)).catch(() => ''), (href) => href === url, `${name} page`);
      return page;
    },
    async close() {
      await opened.close().catch(() => undefined);
      await proxy.close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers the built companion for Firefox with its own installer, as a user would: Firefox reads
 * only $HOME/.mozilla/native-messaging-hosts, so `env` must carry the private HOME the browser gets.
 */
export function installCompanionForFirefox(env: NodeJS.ProcessEnv & { HOME: string }): string {
  const output = execFileSync(process.execPath, [join(repoRoot, 'dist/host/ado-companion-host.mjs'), 'install', '--browser', 'firefox'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  const manifest = join(env.HOME, '.mozilla/native-messaging-hosts', `${HOST_NAME}.json`);
  if (!existsSync(manifest)) throw new Error(`the companion's installer did not write ${manifest}:\n${output}`);
  return manifest;
}

/** Source of a function (for the content world) that finds `sel` in the page and inside our closed roots. */
const DEEP = `(sel) => { const out = []; const walk = (root) => { out.push(...root.querySelectorAll(sel)); for (const h of root.querySelectorAll('[data-adoc]')) { const r = h.openOrClosedShadowRoot; if (r) walk(r); } }; walk(document); return [...new Set(out)]; }`;

/**
 * Evaluates functions in the extension's content-script world of one tab. WebDriver BiDi has no
 * handle on Firefox's content-script sandboxes, so the extension itself injects them: an extension
 * page calls scripting.executeScript (the add-on has the permission and dev.azure.com access).
 * Content scripts may open our closed shadow roots (`element.openOrClosedShadowRoot`); clicks are
 * real mouse events at the positions found there.
 */
export class FirefoxContentWorld {
  private constructor(
    private readonly extensionPage: Page,
    private readonly page: Page,
    private readonly tabId: number,
  ) {}

  /** `extensionPage` is any open page of the extension (e.g. the options page). */
  static async of(extensionPage: Page, page: Page): Promise<FirefoxContentWorld> {
    const url = page.url();
    const tabs = (await extensionPage.evaluate(
      (u) => chrome.tabs.query({}).then((all) => all.filter((t) => t.url === u).map((t) => t.id)),
      url,
    )) as number[];
    if (tabs.length !== 1 || tabs[0] === undefined) throw new Error(`expected one tab at ${url}, found ${tabs.length}`);
    return new FirefoxContentWorld(extensionPage, page, tabs[0]);
  }

  /** Runs `fn(...args)` (as source text) in the content script's world of the page's main frame. */
  async run<T>(fn: string, ...args: unknown[]): Promise<T> {
    // A string, not a function: the extension page's CSP forbids turning text into code, but
    // BiDi evaluates this expression as the debugger, and executeScript sends the function's source.
    const expression = `chrome.scripting.executeScript({ target: { tabId: ${this.tabId} }, func: ${fn}, args: ${JSON.stringify(args)} }).then((r) => r[0] && r[0].result)`;
    return (await this.extensionPage.evaluate(expression)) as T;
  }

  /** Text of every widget matching `host` (found in the page and inside our own closed roots). */
  texts(host: string): Promise<string[]> {
    return this.run<string[]>(
      `(sel) => (${DEEP})(sel).map((h) => { const r = h.openOrClosedShadowRoot; return r ? [...r.children].filter((c) => c.tagName !== 'STYLE').map((c) => c.innerText ?? c.textContent).join('\\n') : ''; })`,
      host,
    );
  }

  /** The centre of the first element inside the widget `host` matching `inner` (optionally with this text). */
  centre(host: string, inner: string, text?: string): Promise<{ x: number; y: number } | null> {
    return this.run<{ x: number; y: number } | null>(
      `(sel, inner, text) => { for (const h of (${DEEP})(sel)) { const r = h.openOrClosedShadowRoot; if (!r) continue; for (const el of r.querySelectorAll(inner)) { if (text && (el.textContent ?? '').trim() !== text) continue; el.scrollIntoView({ block: 'nearest' }); const b = el.getBoundingClientRect(); if (b.width === 0) continue; return { x: b.x + b.width / 2, y: b.y + b.height / 2 }; } } return null; }`,
      host,
      inner,
      text ?? null,
    );
  }

  /** Waits until `centre` finds the element, then clicks it like a person. */
  async click(host: string, inner: string, text?: string, timeoutMs = 15_000): Promise<void> {
    const at = await waitFor(() => this.centre(host, inner, text), (c) => c !== null, `${inner}${text ? ` “${text}”` : ''} in ${host}`, timeoutMs);
    await this.page.mouse.click(at!.x, at!.y);
  }

  /** Waits until the text of the widgets matching `host` satisfies `test`. */
  waitForText(host: string, test: (texts: string[]) => boolean, timeoutMs = 20_000): Promise<string[]> {
    return waitFor(() => this.texts(host).catch(() => []), test, `text of ${host}`, timeoutMs);
  }
}
