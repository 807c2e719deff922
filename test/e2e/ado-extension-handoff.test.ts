import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in plain JavaScript
import { buildAdoExtension } from '../../scripts/build-ado-extension.mjs';
import { hostScript, readVsix, serveContribution } from '../../sandbox/extension-host/server';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { spkiPin } from '../../sandbox/tls';
import { HANDOFF_CHANNEL } from '../../src/shared/ado-extension';
import { launchConnected, type Session, type privateHome } from './harness';
import { ContentWorld, signedInPage } from './page-helpers';

/**
 * The Azure DevOps extension's menu item on a sandbox page, with the browser extension installed:
 * the contribution is served from our publisher's real CDN host name (mapped to a local server),
 * the sandbox's host side runs its action, the content script shows its panel, and only the
 * user's clicks there clone, through the companion. Forged messages show and start nothing.
 */
const run = promisify(execFile);
const CDN = 'adocompanion.gallerycdn.vsassets.io';
const EVIL = 'evil.gallerycdn.vsassets.io';
const HANDOFF = '.adoc-handoff';
const CLONE = '.adoc-clone-to-desktop';
const POPOVER = '.adoc-popover';

let sandbox: Sandbox;
let session: Session;
let home: Awaited<ReturnType<typeof privateHome>>;
let cloneRoot: string;
let page: Page;
let world: ContentWorld;
let tmp: string;
const servers: Server[] = [];
const port = (s: Server) => (s.address() as AddressInfo).port;
let script: string;
const forged = { channel: HANDOFF_CHANNEL, id: 'forged0123456789', action: 'clone', organization: 'fabrikam', project: 'Platform', repository: 'platform-tools' };

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  tmp = mkdtempSync(join(tmpdir(), 'adoc-handoff-'));
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${CDN}`, '-addext', `subjectAltName=DNS:${CDN},DNS:${EVIL}`, '-keyout', join(tmp, 'key.pem'), '-out', join(tmp, 'cert.pem')]);
  const tls = { cert: readFileSync(join(tmp, 'cert.pem'), 'utf8'), key: readFileSync(join(tmp, 'key.pem'), 'utf8') };
  const { vsix } = (await buildAdoExtension(tmp)) as { vsix: string };
  const pkg = readVsix(readFileSync(vsix));
  const cdn = await serveContribution(pkg, '127.0.0.1', tls);
  servers.push(cdn.server);
  // Another publisher's frame posting exactly what ours posts.
  const evil = createServer(tls, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script>top.postMessage(${JSON.stringify(forged)}, '*')</script>`);
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  servers.push(evil);
  script = await hostScript({
    extension: { ...pkg.extension, baseUrl: `https://${CDN}/` },
    page: { organization: 'fabrikam', project: 'Platform', user: 'Ada' },
    menus: [
      {
        target: 'ms.vss-code-web.git-branches-tree-menu',
        label: 'Branch feature/readme-update',
        context: { item: { fullName: 'refs/heads/feature/readme-update' }, repository: { id: 'x', name: 'build-scripts', project: { id: 'p', name: 'Platform' }, remoteUrl: 'https://dev.azure.com/fabrikam/Platform/_git/build-scripts' } },
      },
    ],
  });
  ({ session, home, cloneRoot } = await launchConnected({
    ...sandbox,
    spki: `${sandbox.spki},${spkiPin(tls.cert)}`,
    hostResolverRules: `MAP ${CDN} 127.0.0.1:${port(cdn.server)}, MAP ${EVIL} 127.0.0.1:${port(evil)}, ${sandbox.hostResolverRules}`,
  }));
  page = await signedInPage(session, '/fabrikam/Platform');
  world = await ContentWorld.of(page, session.extensionId);
  await page.waitForFunction(() => document.documentElement.dataset.adoCompanion !== undefined, { timeout: 15_000 });
}, 120_000);

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
  for (const s of servers) s.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const handoffPanels = () => world.texts(HANDOFF);

describe('menus of the Azure DevOps extension, with the browser extension', () => {
  it('a forged hand-off from another publisher’s frame or from the page itself shows and starts nothing', async () => {
    await page.evaluate((host) => {
      const frame = document.createElement('iframe');
      frame.src = `https://${host}/`;
      frame.id = 'hostile';
      document.body.append(frame);
    }, EVIL);
    await page.waitForFunction(() => (document.getElementById('hostile') as HTMLIFrameElement | null)?.contentDocument === null, { timeout: 10_000 });
    // The page's own scripts, and a same-origin frame of the page (not our origin on Azure DevOps Services).
    await page.evaluate((m) => {
      window.postMessage(m, '*');
      const own = document.createElement('iframe');
      own.srcdoc = `<script>top.postMessage(${JSON.stringify(m)}, '*')</script>`;
      document.body.append(own);
    }, forged);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await handoffPanels()).toEqual([]);
  }, 30_000);

  it("Clone to desktop on a branch row opens the browser extension's panel, and clones that branch only on the user's clicks", async () => {
    await page.addScriptTag({ content: script });
    await page.click('[role="menuitem"][data-contribution="adocompanion.azure-devops-companion.clone-branch"]');
    const [panel] = await world.waitForText(HANDOFF, (t) => (t[0] ?? '').includes('build-scripts, branch feature/readme-update'));
    expect(panel).toContain('Clone to desktop');
    // The contribution heard the acknowledgement: no fallback dialog.
    await page.waitForFunction(() => (window as unknown as { extensionHostLog: string[] }).extensionHostLog.some((l) => l.startsWith('executed ')), { timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { extensionHostLog: string[] }).extensionHostLog.filter((l) => l.startsWith('dialog')))).toEqual([]);
    // Nothing was cloned by the message alone.
    await expect(run('git', ['-C', join(cloneRoot, 'fabrikam/Platform/build-scripts'), 'rev-parse', 'HEAD'])).rejects.toThrow();

    // The feature's own panel opens above its trigger and may still move while its plan arrives; a
    // click that lands beside it closes it (as a person's would): open it again and click again.
    for (let attempt = 1; ; attempt++) {
      await world.click(CLONE, 'button');
      await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('feature/readme-update'));
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await world.click(POPOVER, 'button', 'Clone');
      const label = await world.waitForText(CLONE, (t) => t[0] !== 'Clone to desktop', 2_000).catch(() => undefined);
      if (label || attempt === 3) break;
    }
    await world.waitForText(CLONE, (t) => t[0] === 'Cloned locally', 60_000);
    const { stdout } = await run('git', ['-C', join(cloneRoot, 'fabrikam/Platform/build-scripts'), 'rev-parse', '--abbrev-ref', 'HEAD']);
    expect(stdout.trim()).toBe('feature/readme-update');
  }, 90_000);
});
