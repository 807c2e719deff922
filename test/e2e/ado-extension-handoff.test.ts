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
import { patAuthorization } from '../../sandbox/testing';
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
const CHECKOUT = '.adoc-pull-request-checkout';
const START = '.adoc-start-work';

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
      {
        target: 'ms.vss-code-web.pull-request-action-menu',
        label: 'Pull request actions',
        context: { pullRequest: { pullRequestId: prId('Add a retry policy'), repository: { id: 'r', name: 'Platform', project: { id: 'p', name: 'Platform' } } } },
      },
      { target: 'ms.vss-work-web.work-item-toolbar-menu', label: 'Work item toolbar', context: { workItemId: itemId('Retry policy for the HTTP client') } },
      { target: 'ms.vss-work-web.work-item-context-menu', label: 'Work item context menu', context: { workItemIds: [itemId('Plugin layout: load plugins from a folder')] } },
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
  await page.addScriptTag({ content: script });
}, 120_000);

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
  for (const s of servers) s.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const handoffPanels = () => world.texts(HANDOFF);
const prId = (title: string) => [...sandbox.store.pullRequests.values()].find((p) => p.title.includes(title))!.pullRequestId;
const itemId = (title: string) => sandbox.store.workItems.ofOrganization(sandbox.store.organization('fabrikam')!.id).find((w) => w.fields['System.Title'] === title)!.id;
const hostLog = () => page.evaluate(() => (window as unknown as { extensionHostLog: string[] }).extensionHostLog);
const git = async (cwd: string, ...args: string[]) => (await run('git', ['-C', cwd, ...args])).stdout.trim();

/** The work item's branch links, as its Development section lists them. */
async function branchLinks(project: string, id: number): Promise<string[]> {
  const res = await sandbox.fetch(`https://dev.azure.com/fabrikam/${encodeURIComponent(project)}/_apis/wit/workitems/${id}?$expand=relations&api-version=7.1`, {
    headers: { authorization: patAuthorization(sandbox.pats.fabrikam!), accept: 'application/json' },
  });
  const item = (await res.json()) as { relations?: { rel: string; url: string; attributes: { name?: string } }[] };
  return (item.relations ?? []).filter((r) => r.rel === 'ArtifactLink' && r.attributes.name === 'Branch').map((r) => decodeURIComponent(r.url.replace(/^vstfs:\/\/\/Git\/Ref\//, '')));
}

/** Chooses a menu item of the extension; its panel appears and no fallback dialog opens. */
async function choose(contribution: string, panelText: string): Promise<string> {
  const before = (await hostLog()).filter((l) => l.startsWith('executed ')).length;
  await page.click(`[role="menuitem"][data-contribution="adocompanion.azure-devops-companion.${contribution}"]`);
  const [panel] = await world.waitForText(HANDOFF, (t) => (t[0] ?? '').includes(panelText));
  await page.waitForFunction((n) => (window as unknown as { extensionHostLog: string[] }).extensionHostLog.filter((l) => l.startsWith('executed ')).length > n, { timeout: 10_000 }, before);
  expect((await hostLog()).filter((l) => l.startsWith('dialog'))).toEqual([]);
  return panel!;
}

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
    await page.click('[role="menuitem"][data-contribution="adocompanion.azure-devops-companion.clone-branch"]');
    const [panel] = await world.waitForText(HANDOFF, (t) => (t[0] ?? '').includes('build-scripts, branch feature/readme-update'));
    expect(panel).toContain('Clone to desktop');
    // The contribution heard the acknowledgement: no fallback dialog.
    await page.waitForFunction(() => (window as unknown as { extensionHostLog: string[] }).extensionHostLog.some((l) => l.startsWith('executed ')), { timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { extensionHostLog: string[] }).extensionHostLog.filter((l) => l.startsWith('dialog')))).toEqual([]);
    // Nothing was cloned by the message alone.
    await expect(run('git', ['-C', join(cloneRoot, 'fabrikam/Platform/build-scripts'), 'rev-parse', 'HEAD'])).rejects.toThrow();

    // One click each: the feature's panel keeps its place while its plan arrives.
    await world.click(CLONE, 'button');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('feature/readme-update'));
    await world.click(POPOVER, 'button', 'Clone');
    await world.waitForText(CLONE, (t) => t[0] === 'Cloned locally', 60_000);
    const { stdout } = await run('git', ['-C', join(cloneRoot, 'fabrikam/Platform/build-scripts'), 'rev-parse', '--abbrev-ref', 'HEAD']);
    expect(stdout.trim()).toBe('feature/readme-update');
  }, 90_000);

  it("Check out locally on a pull request's ⋮ menu opens the panel, and checks the pull request out only on the user's click", async () => {
    const id = prId('Add a retry policy');
    const clone = join(cloneRoot, 'fabrikam/Platform/Platform');
    const panel = await choose('checkout-pull-request', `Pull request ${id} of Platform`);
    expect(panel).toContain('Check out locally');
    await expect(git(clone, 'rev-parse', 'HEAD')).rejects.toThrow();

    await world.click(CHECKOUT, 'button');
    const plan = (await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Merge preview'), 30_000))[0]!;
    expect(plan).toContain(`none yet: cloned first into ${clone}`);
    await world.click(POPOVER, 'button', 'Check out branch');
    const done = (await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes(`Checked out pull request ${id}`), 90_000))[0]!;
    expect(done).toContain('Checked out the branch feature/retry-policy, tracking origin/feature/retry-policy');
    expect(await git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('feature/retry-policy');
    expect(await git(clone, 'rev-parse', '--abbrev-ref', '@{upstream}')).toBe('origin/feature/retry-policy');
  }, 150_000);

  it("Start work on the work item form's toolbar opens the panel, and creates, links and checks out the branch only on the user's click", async () => {
    const id = itemId('Retry policy for the HTTP client');
    const branch = `users/ada/${id}-retry-policy-for-the-http-client`;
    const clone = join(cloneRoot, 'fabrikam/Platform/Platform');
    const panel = await choose('start-work-item', `Work item ${id} in Platform`);
    expect(panel).toContain('Start work');
    expect(await branchLinks('Platform', id)).not.toContainEqual(expect.stringMatching(new RegExp(`GB${branch}$`)));

    await world.click(START, 'button');
    const form = (await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Create branch'), 30_000))[0]!;
    expect(form).toContain(`Start work on Product Backlog Item ${id}`);
    await world.click(POPOVER, 'button', 'Create branch');
    const done = (await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Checked out'), 90_000))[0]!;
    expect(done).toContain(`Created the branch ${branch}`);
    expect(done).toContain('Linked it to the work item');
    expect(await branchLinks('Platform', id)).toContainEqual(expect.stringMatching(new RegExp(`GB${branch}$`)));
    expect(await git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(branch);
  }, 150_000);

  it("Start work on a work item's context menu does the same for that item", async () => {
    const id = itemId('Plugin layout: load plugins from a folder');
    const branch = `users/ada/${id}-plugin-layout-load-plugins-from-a-folder`;
    const clone = join(cloneRoot, 'fabrikam/Platform/Platform');
    await choose('start-work-items', `Work item ${id} in Platform`);
    await world.click(START, 'button');
    const form = (await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Create branch'), 30_000))[0]!;
    expect(form).toContain(`Start work on Product Backlog Item ${id}`);
    await world.click(POPOVER, 'button', 'Create branch');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Checked out'), 90_000);
    expect(await branchLinks('Platform', id)).toContainEqual(expect.stringMatching(new RegExp(`GB${branch}$`)));
    expect(await git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(branch);
  }, 150_000);
});
