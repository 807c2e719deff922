import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { removeBuilds } from '../integration/host-harness';
import { ask, launchConnected, privateHome, type Session } from './harness';
import { clickLink, ContentWorld } from './page-helpers';
import { addPatProfile, grantHostAccess, openPopup, waitForText } from './ui-steps';

/**
 * The page features away from dev.azure.com: on an Azure DevOps Server the user granted (the
 * content script is registered for it at run time, src/background/onprem-scripts.ts), and on the
 * older {org}.visualstudio.com URLs. Clones go through the real companion and real git.
 */
const run = promisify(execFile);
const CLONE = '.adoc-clone-to-desktop';
const CHECKOUT = '.adoc-pull-request-checkout';
const REVIEWERS = '.adoc-pull-request-reviewers';
const POPOVER = '.adoc-popover';
const SERVER = 'https://tfs.fabrikam.test';
const COLLECTION = `${SERVER}/tfs/DefaultCollection`;
/** In Options: the focus is on the server profile's Allow access button. */
const onAllowAccess = () => document.activeElement?.matches('[data-profile="tfs.fabrikam.test · DefaultCollection"] [data-testid="host-access"] button') ?? false;

let sandbox: Sandbox;
let session: Session;
let home: Awaited<ReturnType<typeof privateHome>>;
let cloneRoot: string;
let options: Page;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  ({ session, home, cloneRoot, options } = await launchConnected(sandbox));
});

afterAll(async () => {
  removeBuilds();
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
});

const git = async (cwd: string, ...args: string[]) => (await run('git', ['-C', cwd, ...args])).stdout.trim();

/** Signs in to the sandbox on `origin` as ada and opens `path` there. */
const signedInAt = (origin: string, path: string): Promise<Page> => session.open(`${origin}/_sandbox/signin?user=ada&returnUrl=${encodeURIComponent(path)}`);

/** Clones the page's repository from its Clone to desktop panel into `target`. */
async function cloneFromPage(world: ContentWorld, repo: string, target: string): Promise<void> {
  await world.waitForText(CLONE, (t) => t[0] === 'Clone to desktop');
  await world.click(CLONE, 'button');
  const [plan] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Into'));
  expect(plan).toContain(`Clone ${repo}`);
  expect(plan).toContain(target);
  await world.click(POPOVER, 'button', 'Clone');
  const [done] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Cloned ') || (t[0] ?? '').includes('Try again'), 60_000);
  expect(done).toContain(target);
  expect((await world.texts(CLONE))[0]).toBe('Cloned locally');
}

/** The clone's origin, after checking that nothing secret was written into its configuration. */
async function originOf(target: string): Promise<string> {
  const config = await readFile(join(target, '.git/config'), 'utf8');
  for (const pat of Object.values(sandbox.patsByName)) expect(config).not.toContain(pat);
  expect(config).not.toMatch(/extraheader|authorization/i);
  return git(target, 'remote', 'get-url', 'origin');
}

/** Where the server's Legacy repository is cloned (the clone root is known once the browser runs). */
const serverClone = () => join(cloneRoot, 'DefaultCollection/Legacy/Legacy');

describe('Azure DevOps Server', () => {
  const path = '/tfs/DefaultCollection/Legacy/_git/Legacy';
  let page: Page;

  it('shows Clone to desktop on a repository of a granted server, and clones it with the server profile', async () => {
    await grantHostAccess(session, `${SERVER}/*`, { activate: true });
    const profile = await addPatProfile(options, 'DefaultCollection', sandbox.patsByName['ada-onprem']!, COLLECTION);
    expect((await ask(options, { type: 'companion.setCloneRoot', profileId: profile.id, cloneRoot })).ok).toBe(true);
    page = await signedInAt(SERVER, path);
    await page.waitForFunction(() => document.documentElement.dataset.adoCompanion === 'repoHome', { timeout: 10_000 });
    const world = await ContentWorld.of(page, session.extensionId);
    // Beside the header's command bar, as on dev.azure.com.
    await page.waitForSelector(`.bolt-header ${CLONE} ~ .bolt-header-commandbar`, { timeout: 10_000 });

    const mark = sandbox.services.log.entries().length;
    await cloneFromPage(world, 'Legacy', serverClone());
    // The server's own remote URL (a repository named as its project is spelled without the project).
    expect(await originOf(serverClone())).toBe(`${COLLECTION}/_git/Legacy`);
    expect(await git(serverClone(), 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('master');
    // git fetched from the server with the server's own token (cloud tokens are refused there).
    const fetches = sandbox.services.log.entries().slice(mark).filter((e) => e.host.startsWith('tfs.fabrikam.test') && e.path.endsWith('/git-upload-pack'));
    expect(fetches.length).toBeGreaterThan(0);
    expect(fetches.every((e) => e.status === 200 && e.auth === 'pat')).toBe(true);

    // In-app navigation on the server keeps the button, which knows the clone.
    await clickLink(page, '.region-navigation a.navigation-link[href$="/branches"]');
    await page.waitForFunction(() => document.documentElement.dataset.adoCompanion === 'branches', { timeout: 10_000 });
    await world.waitForText(CLONE, (t) => t.length === 1 && t[0] === 'Cloned locally');
  });

  it('checks out a pull request of the server from its page, in the clone made above, and sums up its votes', async () => {
    const collection = sandbox.store.organization('DefaultCollection')!;
    const repo = sandbox.store.repository(collection, 'Legacy')!;
    const pr = sandbox.store.addPullRequest({
      orgId: collection.id,
      repositoryId: repo.id,
      title: 'Explain how to run the tests',
      description: '',
      status: 'active',
      isDraft: false,
      sourceRefName: 'refs/heads/feature/readme-update',
      targetRefName: 'refs/heads/master',
      createdById: sandbox.store.user('grace')!.id,
      creationDate: '2026-08-20T10:00:00.000Z',
      reviewers: [
        { id: sandbox.store.user('alan')!.id, vote: 10, isRequired: false, hasDeclined: false, isFlagged: false },
        { id: sandbox.store.user('ada')!.id, vote: 0, isRequired: true, hasDeclined: false, isFlagged: false },
      ],
    });
    await page.goto(`${SERVER}${path}/pullrequest/${pr.pullRequestId}`, { waitUntil: 'domcontentloaded' });
    const world = await ContentWorld.of(page, session.extensionId);
    await page.waitForSelector(`.repos-pr-header > ${CHECKOUT}`, { timeout: 10_000 });
    await world.waitForText(CHECKOUT, (t) => t[0] === 'Check out');
    await world.click(CHECKOUT, 'button');
    const [plan] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Merge preview') || (t[0] ?? '').includes('Try again'), 30_000);
    expect(plan).toContain('feature/readme-update into master');
    await world.click(POPOVER, 'button', 'Check out branch');
    const [done] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes(`Checked out pull request ${pr.pullRequestId}`) || (t[0] ?? '').includes('Try again'), 90_000);
    expect(done).toContain('Checked out the branch feature/readme-update, tracking origin/feature/readme-update');
    expect(await git(serverClone(), 'rev-parse', '--abbrev-ref', '@{upstream}')).toBe('origin/feature/readme-update');
    // The reviewer helpers read the server's votes too.
    const [reviewers] = await world.waitForText(REVIEWERS, (t) => (t[0] ?? '').includes('no response'));
    expect(reviewers).toContain('1 approved · 1 no response');
    expect(reviewers).toMatch(/Ada Lovelace\s*Required · No response\s*AT\s*Alan Turing\s*Approved/);
    // And suggest who last changed the pull request's file on the target branch, as in the cloud.
    // The clone's own history names them; the collection knows them as a member, like anyone who
    // pushed to it (the seed writes each organization's histories by its members).
    const changed = (await git(serverClone(), 'diff', '--name-only', 'origin/master...origin/feature/readme-update')).split('\n');
    expect(changed).toEqual(['README.md']);
    const lastAuthor = await git(serverClone(), 'log', '-1', '--format=%an', 'origin/master', '--', 'README.md');
    expect(['Grace Hopper', 'Alan Turing', 'Ada Lovelace']).not.toContain(lastAuthor);
    const [suggested] = await world.waitForText(REVIEWERS, (t) => /changed README\.md|Nobody else changed/.test(t[0] ?? ''), 30_000);
    // The person's Add button sits beside the name, the reason under both.
    expect(suggested).toMatch(new RegExp(`${lastAuthor}\\s*Add\\s*changed README\\.md [^·]* ago`));
  }, 120_000);

  it('does nothing on the server once its access is removed; a page left open says why, and where to allow it again', async () => {
    await page.goto(`${SERVER}${path}`, { waitUntil: 'domcontentloaded' });
    const world = await ContentWorld.of(page, session.extensionId);
    await world.waitForText(CLONE, (t) => t[0] === 'Cloned locally');
    expect(await options.evaluate((origin) => chrome.permissions.remove({ origins: [origin] }), `${SERVER}/*`)).toBe(true);
    const worker = await session.worker();
    await expect.poll(() => worker.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts()).length)).toBe(0);

    // The page left open keeps its buttons, but the browser no longer lets their code in.
    await world.click(CLONE, 'button');
    const [said] = await world.waitForText('.adoc-load-failed', (t) => (t[0] ?? '').includes('could not open'));
    expect(said).toContain(
      'Clone to desktop could not open: The browser no longer lets Azure DevOps Companion reach tfs.fabrikam.test: its access to the site was taken back. Allow it again in Options › Profiles. Then reload the page.',
    );
    const opened = session.browser.waitForTarget((t) => t.url().includes('/src/options/index.html#profiles/'), { timeout: 10_000 });
    await world.click('.adoc-load-failed', 'button', 'Allow access');
    await (await (await opened).asPage())!.close();
    await page.bringToFront();

    // Reloaded, the page has none of the features.
    await page.goto(`${SERVER}${path}`, { waitUntil: 'load' });
    // The page's late header is drawn: a registered script would have marked the page by then.
    await page.waitForSelector('.bolt-header-commandbar', { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await page.evaluate(() => document.documentElement.dataset.adoCompanion ?? null)).toBeNull();
    expect(await page.$(CLONE)).toBeNull();
  });

  it('says why the server profile fails once its access is removed, and Options asks for it again', async () => {
    const popup = await openPopup(session);
    const said = await waitForText(popup, '.status .problem', 'Could not list DefaultCollection', 30_000);
    expect(said).toContain('The browser no longer lets Azure DevOps Companion reach tfs.fabrikam.test: its access to the site was taken back. Allow it again in Options › Profiles.');
    const opened = session.browser.waitForTarget((t) => t.url().includes('/src/options/index.html#profiles/'), { timeout: 10_000 });
    await popup.click('.status button::-p-text(Allow access)');
    const editor = (await (await opened).asPage())!;
    await popup.close();
    const note = await waitForText(editor, '[data-profile="tfs.fabrikam.test · DefaultCollection"] [data-testid="host-access"]', 'no longer lets');
    expect(note).toBe(
      'The browser no longer lets Azure DevOps Companion reach tfs.fabrikam.test, so this profile and the features on its pages do not work. Allow access to tfs.fabrikam.test',
    );
    expect(await editor.$('[data-profile="fabrikam"] [data-testid="host-access"]')).toBeNull();
    // The focus arrives at the fix, its Allow access button, not at the token field the editor
    // opens at for a refused token: the token was not refused.
    await editor.waitForFunction(onAllowAccess, { timeout: 10_000 });
    // From the keyboard: Enter asks again; the note goes with its button once allowed, and the
    // focus moves to the profile's Edit button. Chromium answers such a request at once only for a
    // site the user allowed on chrome://extensions (headless cannot answer its prompt).
    await grantHostAccess(session, `${SERVER}/*`);
    await editor.bringToFront();
    expect(await editor.evaluate(onAllowAccess)).toBe(true);
    await editor.keyboard.press('Enter');
    await editor.waitForFunction(() => !document.querySelector('[data-testid="host-access"]'), { timeout: 10_000 });
    expect(await editor.evaluate(() => document.activeElement?.matches('[data-profile="tfs.fabrikam.test · DefaultCollection"] button[aria-expanded]'))).toBe(true);
    // The note is live: access taken back or given in another of the extension's pages (another
    // Options tab's Remove or Allow) shows here without a reload.
    const other = await session.openExtensionPage('options');
    expect(await other.evaluate((pattern: string) => chrome.permissions.remove({ origins: [pattern] }), `${SERVER}/*`)).toBe(true);
    await waitForText(editor, '[data-profile="tfs.fabrikam.test · DefaultCollection"] [data-testid="host-access"]', 'no longer lets');
    await grantHostAccess(session, `${SERVER}/*`);
    expect(await other.evaluate((pattern: string) => chrome.permissions.request({ origins: [pattern] }), `${SERVER}/*`)).toBe(true);
    await editor.waitForFunction(() => !document.querySelector('[data-testid="host-access"]'), { timeout: 10_000 });
    await other.close();
    await editor.close();
    // The page features are back on the server's pages.
    await page.bringToFront();
    await page.goto(`${SERVER}${path}`, { waitUntil: 'domcontentloaded' });
    const world = await ContentWorld.of(page, session.extensionId);
    await world.waitForText(CLONE, (t) => t[0] === 'Cloned locally');
  });
});

describe('{org}.visualstudio.com', () => {
  it('shows Clone to desktop on a repository page of the older URL form, and clones it with the organization profile', async () => {
    const page = await signedInAt('https://fabrikam.visualstudio.com', '/Platform/_git/platform-tools');
    await page.waitForFunction(() => document.documentElement.dataset.adoCompanion === 'repoHome', { timeout: 10_000 });
    const world = await ContentWorld.of(page, session.extensionId);
    await page.waitForSelector(`.bolt-header ${CLONE} ~ .bolt-header-commandbar`, { timeout: 10_000 });
    const target = join(cloneRoot, 'fabrikam/Platform/platform-tools');
    await cloneFromPage(world, 'platform-tools', target);
    // The organization's remote URL as its REST API gives it: the same repository under either host name.
    expect(await originOf(target)).toBe('https://dev.azure.com/fabrikam/Platform/_git/platform-tools');

    // In-app navigation keeps the button, and the collection form of the address finds the same clone.
    await clickLink(page, '.region-navigation a.navigation-link[href$="/branches"]');
    await page.waitForFunction(() => document.documentElement.dataset.adoCompanion === 'branches', { timeout: 10_000 });
    await world.waitForText(CLONE, (t) => t.length === 1 && t[0] === 'Cloned locally');
    await page.goto('https://fabrikam.visualstudio.com/DefaultCollection/Platform/_git/platform-tools', { waitUntil: 'domcontentloaded' });
    await world.waitForText(CLONE, (t) => t[0] === 'Cloned locally');
  });
});
