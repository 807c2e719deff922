import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in plain JavaScript
import { buildAdoExtension } from '../../scripts/build-ado-extension.mjs';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { patAuthorization } from '../../sandbox/testing';
import { spkiPin } from '../../sandbox/tls';
import { HANDOFF_CHANNEL } from '../../src/shared/ado-extension';
import { launchConnected, type Session, type privateHome } from './harness';
import { ContentWorld, signedInPage } from './page-helpers';

/**
 * The Azure DevOps extension installed in the sandbox's fabrikam organization, with the browser
 * extension: the sandbox reads the built .vsix, serves its files from our publisher's Marketplace
 * CDN host name and draws its items in its own menus (a file list row's ⋮, a branch row's ⋮, the pull
 * request's ⋮, the work item form's toolbar ⋮, a board card's context menu). Choosing one runs
 * the contribution (the real SDK) against the sandbox's host side; the content script shows its
 * panel, and only the user's clicks there clone, check out or start work, through the real
 * companion. Forged messages show and start nothing.
 */
const run = promisify(execFile);
const EVIL = 'evil.gallerycdn.vsassets.io';
const ORG = 'https://dev.azure.com/fabrikam';
const HANDOFF = '.adoc-handoff';
/** A feature's widget inside the hand-off panel (the page shows the same feature in its header too). */
const inPanel = (widget: string) => `.adoc-panel[aria-label^="Azure DevOps Companion"] ${widget}`;
const CLONE = inPanel('.adoc-clone-to-desktop');
const CHECKOUT = inPanel('.adoc-pull-request-checkout');
const START = inPanel('.adoc-start-work');
const POPOVER = '.adoc-popover';
/** A file list row's ⋮, where Azure DevOps shows source-item-menu's and source-grid-item-menu's items. */
const FILES_ROW = (path: string) => `tr[data-sandbox-path="${path}"] [data-sandbox-action="more"]`;
const ITEM = (id: string) => `[data-sandbox-callout="more"] [data-sandbox-contribution="adocompanion.azure-devops-companion.${id}"]`;

let sandbox: Sandbox;
let session: Session;
let home: Awaited<ReturnType<typeof privateHome>>;
let cloneRoot: string;
let page: Page;
let world: ContentWorld;
let tmp: string;
let evil: ReturnType<typeof createServer>;
const forged = { channel: HANDOFF_CHANNEL, id: 'forged0123456789', action: 'clone', organization: 'fabrikam', project: 'Platform', repository: 'platform-tools' };

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'adoc-handoff-'));
  const { vsix } = (await buildAdoExtension(tmp)) as { vsix: string };
  sandbox = await startSandbox({ quiet: true, adoExtension: { path: vsix, organizations: ['fabrikam'] } });
  // Another publisher's frame posting exactly what ours posts.
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${EVIL}`, '-addext', `subjectAltName=DNS:${EVIL}`, '-keyout', join(tmp, 'key.pem'), '-out', join(tmp, 'cert.pem')]);
  const tls = { cert: readFileSync(join(tmp, 'cert.pem'), 'utf8'), key: readFileSync(join(tmp, 'key.pem'), 'utf8') };
  evil = createServer(tls, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script>top.postMessage(${JSON.stringify(forged)}, '*')</script>`);
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  ({ session, home, cloneRoot } = await launchConnected({
    ...sandbox,
    spki: `${sandbox.spki},${spkiPin(tls.cert)}`,
    hostResolverRules: `MAP ${EVIL} 127.0.0.1:${(evil.address() as AddressInfo).port}, ${sandbox.hostResolverRules}`,
  }));
  page = await signedInPage(session, '/fabrikam/Platform');
  world = await ContentWorld.of(page, session.extensionId);
}, 120_000);

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
  evil?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Opens a page of fabrikam (a full load, as from the address bar) and waits for the content script. */
async function open(path: string): Promise<void> {
  await page.goto(`${ORG}${path}`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => document.documentElement.dataset.adoCompanion !== undefined, { timeout: 15_000 });
}

/** Opens a ⋮ menu of the page and returns its entries. */
async function openMenu(button: string): Promise<string[]> {
  await page.waitForSelector(button, { timeout: 15_000 });
  await page.click(button);
  await page.waitForSelector('[data-sandbox-callout="more"]', { timeout: 5_000 });
  return page.$$eval('[data-sandbox-callout="more"] [role="menuitem"]', (items) => items.map((i) => i.textContent ?? ''));
}
const handoffPanels = () => world.texts(HANDOFF);
/** The text of the button that has the focus inside the hand-off dialog (the feature's sits in a closed root of its own). */
const focusedInPanel = () =>
  world.run<string | null>(
    `(sel) => { let at = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).activeElement; while (at && chrome.dom.openOrClosedShadowRoot(at)?.activeElement) at = chrome.dom.openOrClosedShadowRoot(at).activeElement; return at?.tagName === 'BUTTON' ? at.innerText.trim() : null; }`,
    HANDOFF,
  );
const prId = (title: string) => [...sandbox.store.pullRequests.values()].find((p) => p.title.includes(title))!.pullRequestId;
const itemId = (title: string) => sandbox.store.workItems.ofOrganization(sandbox.store.organization('fabrikam')!.id).find((w) => w.fields['System.Title'] === title)!.id;
const hostLog = async () => (await page.evaluate(() => (window as unknown as { extensionHostLog?: string[] }).extensionHostLog)) ?? [];
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
  await page.click(ITEM(contribution));
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

  it("draws the extension's items in the organization's own menus, and none where it is not installed", async () => {
    await open('/Platform/_git/Platform');
    // Once per row, for a folder and a file alike; the header's ⋮ is Azure DevOps' own only.
    expect(await openMenu(FILES_ROW('/src'))).toEqual(['Download', 'Rename', 'Delete', 'Clone to desktop']);
    await page.keyboard.press('Escape');
    expect(await openMenu(FILES_ROW('/README.md'))).toEqual(['Download', 'Rename', 'Delete', 'Clone to desktop']);
    await page.keyboard.press('Escape');
    expect(await openMenu('#__bolt-header-command-bar-menu-button')).toEqual(['Download as Zip', 'Fork']);
    await page.keyboard.press('Escape');
    await open('/Platform/_git/Platform/branches');
    expect(await openMenu('tr[data-sandbox-branch="main"] [data-sandbox-action="more"]')).toEqual(['New branch', 'New pull request', 'Delete branch', 'Clone to desktop']);
    await page.keyboard.press('Escape');
    await open(`/Platform/_workitems/edit/${itemId('Retry policy for the HTTP client')}`);
    expect(await openMenu('.work-item-form-toolbar-container [data-sandbox-action="more"]')).toEqual(['Copy link', 'Templates', 'Delete', 'Start work']);
    await page.keyboard.press('Escape');
    // contoso has not installed it.
    await page.goto('https://dev.azure.com/contoso/Contoso%20Web/_git/contoso-web/branches', { waitUntil: 'domcontentloaded' });
    expect(await openMenu('tr[data-sandbox-branch="main"] [data-sandbox-action="more"]')).toEqual(['New branch', 'New pull request', 'Delete branch']);
    expect(await page.$('#sandbox-extension-host')).toBeNull();
  }, 60_000);

  it("Clone to desktop on a file list row's ⋮ hands off the repository and the branch shown", async () => {
    await open('/Platform/_git/platform-tools?version=GBmain');
    await openMenu(FILES_ROW('/README.md'));
    const panel = await choose('clone-repository', 'platform-tools, branch main');
    expect(panel).toContain('Clone to desktop');
    // The focus the menu had comes to the dialog's first button (the feature's), and Escape dismisses it, giving the focus back to ⋮.
    expect(await focusedInPanel()).toBe('Clone to desktop');
    await page.keyboard.press('Escape');
    await world.waitForText(HANDOFF, (t) => t.length === 0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('More options for README.md');
  }, 60_000);

  it('Dismiss while its clone runs steps aside without stopping it, and the dialog comes back once the clone has ended', async () => {
    const target = join(cloneRoot, 'fabrikam/Platform/platform-infra');
    sandbox.services.faults.add({ match: { pathRegex: 'platform-infra/info/refs' }, latencyMs: 6000, times: 1 });
    await open('/Platform/_git/platform-infra?version=GBmain');
    await openMenu(FILES_ROW('/README.md'));
    await choose('clone-repository', 'platform-infra, branch main');
    await world.click(CLONE, 'button');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Into'));
    await world.click(POPOVER, 'button', 'Clone');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Cloning platform-infra'));
    // Back on the feature's button (Shift+Tab from its panel), Escape closes its panel only, not the dialog.
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    expect(await focusedInPanel()).toMatch(/^Cloning… \d+%$/);
    await page.keyboard.press('Escape');
    await world.waitForText(POPOVER, (t) => t.length === 0);
    const shown = () => page.$eval(HANDOFF, (h) => h.getClientRects().length > 0).catch(() => false);
    expect(await shown()).toBe(true);
    await world.click(HANDOFF, 'button', 'Dismiss');
    await expect.poll(shown).toBe(false);
    // Still running, and still the dialog's: it comes back with the outcome on its button.
    await expect.poll(shown, { timeout: 60_000 }).toBe(true);
    const [back] = await world.texts(HANDOFF);
    expect(back).toContain('It has ended: open it to see how it went.');
    // The clone button is drawn apart from the dialog's note: it may come a moment after it.
    await world.waitForText(CLONE, (t) => t[0] === 'Cloned locally', 15_000);
    expect(await git(target, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    await world.click(HANDOFF, 'button', 'Dismiss');
    await world.waitForText(HANDOFF, (t) => t.length === 0);
    sandbox.services.faults.clear();
  }, 90_000);

  it("Clone to desktop on a branch row opens the browser extension's panel, and clones that branch only on the user's clicks", async () => {
    await open('/Platform/_git/build-scripts/branches');
    await openMenu('tr[data-sandbox-branch="feature/readme-update"] [data-sandbox-action="more"]');
    const panel = await choose('clone-branch', 'build-scripts, branch feature/readme-update');
    expect(panel).toContain('Clone to desktop');
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
    await open(`/Platform/_git/Platform/pullrequest/${id}`);
    await openMenu(`#__bolt-menu-button-pr-${id}`);
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
    await open(`/Platform/_workitems/edit/${id}`);
    await openMenu('.work-item-form-toolbar-container [data-sandbox-action="more"]');
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
    await open('/Platform/_boards/board/t/Platform%20Team/Backlog%20items');
    await page.click(`[data-sandbox-card="${id}"]`, { button: 'right' });
    await page.waitForSelector('[data-sandbox-callout="more"]', { timeout: 5_000 });
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
