/**
 * The Firefox build (dist/firefox) in real Firefox ESR, driven over WebDriver BiDi, against the
 * sandbox Azure DevOps with the real companion: the content script on a repository page, the
 * options page adding a token profile (the background's requests to the sandbox), a clone
 * started from the page through native messaging that lands on disk with the viewed branch, and
 * the popup: its list, search, the clones it knows of, and a clone started from it.
 *
 * How Firefox is pointed at the sandbox (see firefox.ts): an HTTP CONNECT proxy of the test's own
 * for the sandbox's host names, the test certificate accepted for the session (BiDi
 * acceptInsecureCerts, which also covers the background's fetches), a fixed moz-extension UUID,
 * `--remote-allow-system-access` so BiDi may open moz-extension:// pages, and a private HOME whose
 * ~/.mozilla/native-messaging-hosts holds the companion's manifest. Our widgets live in closed
 * shadow roots that BiDi cannot enter; the extension's own scripting.executeScript looks inside.
 *
 * Skipped (with a message) only when no Firefox is installed and CI is not set; in CI a missing
 * Firefox fails.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { ADO_COMPANION_GECKO_ID } from '../../src/shared/extension-ids';
import { findFirefox, firefoxDist, FirefoxContentWorld, installCompanionForFirefox, launchFirefox, type FirefoxSession, waitFor } from './firefox';
import { ask, privateHome } from './harness';
import { sandboxRepos } from './sandbox-lists';
import { listedRepos, textOf } from './ui-steps';

const run = promisify(execFile);
const CLONE = '[data-adoc="clone-to-desktop"]';
const POPOVER = '[data-adoc="popover"]';
const FORKS = '[data-adoc="forks-as-remotes"]';

const skip = !findFirefox() && !process.env.CI;
if (skip) console.warn('firefox.test.ts skipped: no Firefox found (apt-get install firefox-esr, or set FIREFOX_PATH). In CI this fails instead.');

let sandbox: Sandbox;
let session: FirefoxSession;
let home: Awaited<ReturnType<typeof privateHome>>;
let extensionDir: string;
let options: Page;

/** A private copy of dist/firefox: other runs may rebuild dist/ while this one uses it. */
async function copyOfDist(): Promise<string> {
  const manifest = JSON.parse(await readFile(join(firefoxDist, 'manifest.json'), 'utf8').catch(() => '{}')) as {
    browser_specific_settings?: { gecko?: { id?: string } };
  };
  if (manifest.browser_specific_settings?.gecko?.id !== ADO_COMPANION_GECKO_ID) throw new Error(`No Firefox build in ${firefoxDist}: run \`npm run build\` first.`);
  const dir = await mkdtemp(join(tmpdir(), 'adoc-firefox-dist-'));
  await cp(firefoxDist, dir, { recursive: true });
  return dir;
}

describe.skipIf(skip)('in real Firefox', () => {
  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
    home = await privateHome();
    installCompanionForFirefox({ ...home.env, HOME: home.home });
    extensionDir = await copyOfDist();
    session = await launchFirefox(sandbox, { env: home.env, extensionDir });
    options = await session.openExtensionPage('options');
  });

  afterAll(async () => {
    await session?.close();
    await sandbox?.close();
    await home?.cleanup();
    if (extensionDir) await rm(extensionDir, { recursive: true, force: true });
  });

  it('runs the content script on a repository page and puts Clone to desktop beside the header command bar', async () => {
    const page = await session.open('https://dev.azure.com/_sandbox/signin?user=ada&returnUrl=%2Ffabrikam%2FPlatform%2F_git%2FPlatform');
    await page.waitForFunction(() => document.documentElement.dataset.adoCompanion, { timeout: 15_000 });
    expect(page.url()).toBe('https://dev.azure.com/fabrikam/Platform/_git/Platform');
    expect(await page.evaluate(() => document.documentElement.dataset.adoCompanion)).toBe('repoHome');
    await page.waitForSelector(`${CLONE} ~ .bolt-header-commandbar`, { timeout: 10_000 });
    expect(await page.$$eval(CLONE, (all) => all.length)).toBe(1);
    // Its content is in a closed root: the page sees the host and nothing inside.
    expect(await page.$eval(CLONE, (h) => h.shadowRoot === null && h.getBoundingClientRect().width > 0)).toBe(true);
    const world = await FirefoxContentWorld.of(options, page);
    await world.waitForText(CLONE, (t) => t[0] === 'Clone to desktop');
    // Styled by our sheet (adopted by the root, or a <style> where Firefox refuses one made by a
    // content script): an inline-flex button, blockified in the flex host (unstyled: block).
    expect(await world.run<string>(`(sel) => getComputedStyle(document.querySelector(sel).openOrClosedShadowRoot.querySelector('button')).display`, CLONE)).toBe('flex');
    // No profile yet: the forks come through the page's own session, which in Firefox is the
    // page's `content.fetch` (the content script's own `fetch` acts as the extension, not the page).
    const mark = sandbox.services.log.entries().length;
    await world.click(FORKS, 'button', 'Add remote…');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Security / platform-fork'), 30_000);
    // The panels' popover is styled by the sheet the content script shares with them (they do not carry it): a flex callout (unstyled: block).
    expect(await world.run<string>(`(sel) => getComputedStyle(document.querySelector(sel).openOrClosedShadowRoot.querySelector('.adoc-panel')).display`, POPOVER)).toBe('flex');
    const calls = sandbox.services.log.entries().slice(mark).filter((e) => e.path.includes('/_apis/'));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((e) => e.auth !== 'cookie')).toEqual([]);
    await page.close();
  });

  it('renders the options page and adds a token profile for fabrikam (the background reaches the sandbox)', async () => {
    expect(await options.$eval('h1', (h) => h.textContent)).toContain('Options');
    await options.waitForSelector('#pat-org');
    await options.click('input[name="pat-host"][value="cloud"]');
    await options.type('#pat-org', 'fabrikam');
    await options.type('#pat-token', sandbox.pats.fabrikam!);
    await options.click('.pat-form button[type="submit"]');
    const org = sandbox.store.organization('fabrikam')!;
    const seen = `It can see ${sandbox.store.projectsOf(org).length} projects`;
    const added = await waitFor(() => textOf(options, '[data-testid="pat-added"]').catch(() => ''), (t) => t.includes(seen), `note “${seen}”`, 20_000).catch(async (e: unknown) => {
      throw new Error(`${String(e)}; the form says: ${await textOf(options, '.pat-form').catch(() => '?')}`);
    });
    expect(added).toContain('The token belongs to Ada Lovelace.');
    await options.waitForSelector('.profile-list > li[data-profile="fabrikam"]');
    expect(await options.$eval('#pat-token', (e) => (e as HTMLInputElement).value)).toBe('');
  });

  it('finds the companion through native messaging and clones the viewed branch from the page', async () => {
    const status = await ask(options, { type: 'companion.status' });
    expect(status, JSON.stringify(status)).toMatchObject({ ok: true, data: { state: 'ready' } });
    const cloneRoot = join(home.home, 'code');
    expect(await ask(options, { type: 'companion.setCloneRoot', cloneRoot })).toMatchObject({ ok: true });

    const branch = 'feature/retry-policy';
    const page = await session.open(`https://dev.azure.com/fabrikam/_git/Platform?version=GB${encodeURIComponent(branch)}`);
    await page.waitForSelector(CLONE, { timeout: 15_000 });
    const world = await FirefoxContentWorld.of(options, page);
    await world.waitForText(CLONE, (t) => t[0] === 'Clone to desktop');
    // The token is the worker's alone: the content script, which may read storage.local, finds none there.
    expect(JSON.stringify(await world.run<unknown>('() => browser.storage.local.get(null)'))).not.toContain(sandbox.pats.fabrikam!);
    await world.click(CLONE, 'button');
    const target = join(cloneRoot, 'fabrikam/Platform/Platform');
    const plan = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Into'));
    expect(plan[0]).toContain(branch);
    expect(plan[0]).toContain(target);
    await world.click(POPOVER, 'button', 'Clone');
    const done = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Cloned '), 60_000);
    expect(done[0]).toContain(target);
    const { stdout } = await run('git', ['-C', target, 'rev-parse', '--abbrev-ref', 'HEAD']);
    expect(stdout.trim()).toBe(branch);
    expect((await world.texts(CLONE))[0]).toBe('Cloned locally');
    await page.close();
  });

  it('the popup lists every repository, finds one by search, knows the clone made from the page, and clones another', async () => {
    const popup = await session.openExtensionPage('popup');
    // The app's own list (not the first frame's snapshot, which a first open does not have).
    await popup.waitForSelector('.repos-tab:not([data-snapshot]) #repo-list [role="option"]', { timeout: 20_000 });
    expect(await listedRepos(popup)).toEqual(sandboxRepos(sandbox, 'fabrikam'));
    // The page's clone, from the companion's list of clones (native messaging from the popup's port).
    await popup.waitForSelector('#repo-list [data-repo="Platform"] .badge.success', { timeout: 20_000 });
    expect(await popup.$$eval('#repo-list .badge.success', (b) => b.length)).toBe(1);

    await popup.type('#repo-search', 'fabweb');
    // (Polled from here: the extension's CSP refuses the function waitForFunction would make.)
    await waitFor(() => listedRepos(popup), (names) => names[0] === 'fabrikam-web', 'fabrikam-web first', 5000);
    await popup.keyboard.press('Escape');
    await waitFor(() => listedRepos(popup), (names) => names.length === sandboxRepos(sandbox, 'fabrikam').length, 'the whole list again', 5000);

    await popup.click('#repo-list [data-repo="docs"]');
    await waitFor(() => textOf(popup, '[data-testid="repo-actions"] button.primary').catch(() => ''), (t) => t === 'Clone', 'the Clone button');
    await popup.click('[data-testid="repo-actions"] button.primary');
    const path = join(home.home, 'code', 'fabrikam/Fabrikam Fiber/docs');
    const done = await waitFor(() => textOf(popup, '[data-testid="repo-actions"] .feedback').catch(() => ''), (t) => t.startsWith('Cloned to') || t.includes('failed'), 'the clone to end', 60_000);
    expect(done).toBe(`Cloned to ${path}`);
    const { stdout } = await run('git', ['-C', path, 'rev-parse', '--abbrev-ref', 'HEAD']);
    expect(stdout.trim()).toBe('main');
    await popup.waitForSelector('#repo-list [data-repo="docs"] .badge.success', { timeout: 5000 });
    await popup.close();

    // Opened again: both clones marked, from the companion's list.
    const again = await session.openExtensionPage('popup');
    await again.waitForSelector('.repos-tab:not([data-snapshot]) #repo-list [data-repo="docs"] .badge.success', { timeout: 20_000 });
    expect(await again.$$eval('#repo-list .badge.success', (b) => b.map((x) => x.closest('[data-repo]')?.getAttribute('data-repo')).toSorted())).toEqual(['Platform', 'docs']);
    await again.close();
  });

  it('signs in with Microsoft through Firefox’s identity API (its own redirect URL) and adds the organization', async () => {
    // Firefox's redirect URL is https://{hash}.extensions.allizom.org/, not Chromium's chromiumapp.org.
    const redirect = await options.evaluate(() => (globalThis as unknown as { browser: { identity: { getRedirectURL(): string } } }).browser.identity.getRedirectURL());
    expect(redirect).toMatch(/^https:\/\/[0-9a-f]{40}\.extensions\.allizom\.org\/$/);
    await options.type('#oauth-client-id', sandbox.entraClientId);
    await options.click('#oauth-save');
    await options.waitForSelector('#advanced [role="status"]');
    await options.waitForSelector('#signin-start', { visible: true, timeout: 15_000 });
    await options.click('#signin-start');
    const target = await session.browser.waitForTarget((t) => t.url().includes('/authorize'), { timeout: 15_000 });
    const signIn = (await target.asPage())!;
    await signIn.waitForSelector('#idSIButton9');
    await signIn.click('input[name="user"][value="ada"]');
    await signIn.click('#idSIButton9');
    await options.waitForSelector('.org-choice, .sign-in .note.error', { timeout: 15_000 });
    expect(await textOf(options, '.org-choice')).toContain('Signed in as Ada Lovelace (ada@fabrikam.test)');
    await options.click('input[name="signin-org"][value="fabrikam"]');
    await options.click('#signin-finish');
    const added = await waitFor(() => textOf(options, '[data-testid="signin-added"]').catch(() => ''), (t) => t.includes('Added'), 'the added note', 15_000);
    expect(added).toContain('fabrikam (ada@fabrikam.test)');
    // The list is read again after the note is drawn (onAdded → profiles.list): it comes a moment later.
    await options.waitForSelector('.profile-list > li[data-profile="fabrikam (ada@fabrikam.test)"]', { timeout: 10_000 });
    expect(await textOf(options, '.profile-list > li[data-profile="fabrikam (ada@fabrikam.test)"]')).toContain('Microsoft sign-in');
  });

  it('acts on its own copy of the profiles: a wider clone root a content script writes to storage.local changes nothing', async () => {
    const page = await session.open('https://dev.azure.com/fabrikam/_git/Platform');
    await page.waitForSelector(CLONE, { timeout: 15_000 });
    const world = await FirefoxContentWorld.of(options, page);
    const rootOfPlan = async () => {
      const plan = await world.run<{ ok: boolean; data?: { root: string } }>('(r) => browser.runtime.sendMessage(r)', { type: 'clone.plan', repo: { id: 'Platform', name: 'Platform', project: 'Platform' } });
      return plan.data?.root ?? JSON.stringify(plan);
    };
    const before = await ask(options, { type: 'profiles.list' });
    const cloneRoot = join(home.home, 'code');
    expect(await rootOfPlan()).toBe(cloneRoot);
    // What a subverted content script could do, Firefox having no way to close storage.local to
    // content scripts: the profile's clone root moved up to the home folder.
    const { profiles } = before.data as { profiles: object[] };
    await world.run('(p) => browser.storage.local.set({ profiles: p })', profiles.map((p) => ({ ...p, cloneRoot: home.home })));
    expect(await ask(options, { type: 'profiles.list' })).toEqual(before);
    expect(await rootOfPlan()).toBe(cloneRoot);
    await page.close();
  });

  it('adds an Azure DevOps Server on a port of its own from Options, and runs the content script on its pages', async () => {
    // Firefox grants a host permission with a port, then refuses every request through it.
    const collection = 'https://tfs.fabrikam.test:8443/tfs/DefaultCollection';
    await options.click('input[name="pat-host"][value="onprem"]');
    await options.waitForSelector('#pat-collection');
    await options.type('#pat-collection', collection);
    await options.type('#pat-token', sandbox.patsByName['ada-onprem']!);
    await options.click('.pat-form button[type="submit"]');
    const added = await waitFor(() => textOf(options, '[data-testid="pat-added"]').catch(() => ''), (t) => t.includes('It can see'), 'the added note', 20_000).catch(async (e: unknown) => {
      throw new Error(`${String(e)}; the form says: ${await textOf(options, '.pat-form').catch(() => '?')}`);
    });
    expect(added).toContain('The token belongs to Ada Lovelace.');
    expect(await options.evaluate(() => (globalThis as unknown as { browser: typeof chrome }).browser.permissions.getAll())).toMatchObject({ origins: expect.arrayContaining(['https://tfs.fabrikam.test/*']) });

    // Registered at run time for the granted server (src/background/onprem-scripts.ts).
    const page = await session.open('https://tfs.fabrikam.test:8443/_sandbox/signin?user=ada&returnUrl=%2Ftfs%2FDefaultCollection%2FLegacy%2F_git%2FLegacy');
    expect(page.url()).toBe('https://tfs.fabrikam.test:8443/tfs/DefaultCollection/Legacy/_git/Legacy');
    await waitFor(() => page.evaluate(() => document.documentElement.dataset.adoCompanion ?? ''), (v) => v === 'repoHome', 'the content script on the server’s page', 15_000);
    const world = await FirefoxContentWorld.of(options, page);
    await world.waitForText(CLONE, (t) => t[0] === 'Clone to desktop' || t[0] === 'Cloned locally');
    await page.close();
  });
});
