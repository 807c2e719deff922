import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { installInstructions } from '../../src/shared/companion-install';
import { RELEASES_URL } from '../../src/shared/project-links';
import { installCompanion, launch, privateHome, type Session } from './harness';
import { ContentWorld, screenshot, signedInPage } from './page-helpers';
import { openPopup, optionsMovedTo, screenshots, textOf, waitForText } from './ui-steps';

/**
 * A new user's first run, in a fresh browser: Options opens at the welcome on install, leads
 * through connecting and the companion, notices the companion once it is installed (no "Check
 * again"), and every card that depends on it follows; the popup leads the same way.
 */
let sandbox: Sandbox;
let session: Session;
let home: Awaited<ReturnType<typeof privateHome>>;
let userDataDir: string;
let welcome: Page;

/** What has the focus: its id, or its text. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || document.activeElement?.tagName);

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  home = await privateHome();
  userDataDir = await mkdtemp(join(tmpdir(), 'adoc-profile-'));
  // The companion is not installed yet: the user installs it in the middle of the run.
  session = await launch(sandbox, { userDataDir, env: home.env, keepWelcome: true });
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
});

/** The install command a page's open panel shows. */
const installCommand = (w: ContentWorld) => w.run<string>(`(sel) => chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelector('pre').textContent`, '.adoc-popover');

/** The remote-name fields and Add buttons of Forks' open panel. */
const remoteControls = (w: ContentWorld) => w.run<number>(`(sel) => chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('input[aria-label^="Remote name"], button[aria-label$="as a remote"]').length`, '.adoc-popover');

/** The names of a welcome's steps, without their done marks. */
const stepNames = (page: Page, list: string) => page.$$eval(`${list} > li > h3`, (hs) => hs.map((h) => h.firstChild?.textContent?.trim()));

describe('the first run', () => {
  it('opens Options at the welcome when the extension is installed', async () => {
    const target = await session.browser.waitForTarget((t) => t.url().endsWith('src/options/index.html#welcome'), { timeout: 15_000 });
    welcome = (await target.asPage())!;
    await welcome.setViewport({ width: 1100, height: 900 });
    await welcome.waitForSelector('#welcome[data-step="connect"]', { timeout: 15_000 });
    const text = await textOf(welcome, '#welcome');
    expect(text).toContain('1. Connect to Azure DevOps');
    expect(text).toContain('2. Install the desktop companion');
    expect(text).toContain('3. Clone your first repository');
    // The one thing to do first has the focus.
    await welcome.waitForFunction(() => document.activeElement?.textContent === 'Connect an account');
    // The companion is missing: its install command, on several lines, with what it does.
    const install = await textOf(welcome, '#welcome [data-testid="install-steps"]');
    expect(install).toMatch(/install/);
    expect(install).toContain('registers there with every browser it finds');
    // Where to download it is a link, not a name to search for.
    expect(await welcome.$$eval('#welcome [data-testid="install-steps"] a', (as) => as.map((a) => [a.textContent, (a as HTMLAnchorElement).href]))).toEqual([['release page', RELEASES_URL]]);
    // No client id in this build: only the token way is offered.
    expect(await welcome.$('#signin-start')).toBeNull();
    expect(await textOf(welcome, '#accounts')).toContain('set it under Advanced');
    await screenshots(welcome, 'first-run-welcome');
  });

  it('the popup without a profile offers the same steps, each a button to its place', async () => {
    const popup = await openPopup(session);
    await popup.waitForSelector('[data-testid="popup-welcome"]');
    // The browser moves focus to an autofocus button at its next rendering update, not when the
    // button is inserted: on a loaded machine that came after this check (fresh-clone CI, load 6).
    await popup.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Connect an account', { timeout: 5000 }).catch(() => undefined);
    expect(await focused(popup)).toBe('Connect an account');
    // Named as on the options page's welcome, step for step.
    expect(await stepNames(popup, '[data-testid="popup-welcome"] ol')).toEqual(await stepNames(welcome, '#welcome ol'));
    await screenshots(popup, 'first-run-popup');
    // In the Options tab already open (the welcome), moved to its section, with the focus there.
    await optionsMovedTo(session, welcome, '#companion', () => popup.click('[data-testid="popup-welcome"] li:nth-child(2) button'));
    await welcome.bringToFront();
    await welcome.waitForFunction(() => document.activeElement?.closest('#companion') !== null, { timeout: 10_000 });
    await popup.close();
  });

  it('connects with a token, and the focus moves on to the next step', async () => {
    // Pages in background tabs draw no frames: the user's page is the one in front.
    await welcome.bringToFront();
    await welcome.click('#welcome button.primary');
    await welcome.waitForFunction(() => location.hash === '#accounts' && document.activeElement?.id === 'pat-org');
    await welcome.keyboard.type('fabrikam');
    await welcome.type('#pat-token', sandbox.pats.fabrikam!);
    await welcome.keyboard.press('Enter');
    await waitForText(welcome, '[data-testid="pat-added"]', 'Added “fabrikam”', 20_000);
    await welcome.waitForSelector('#welcome[data-step="companion"]');
    // The form's button went away while the token was checked: the focus went to the next step's action.
    await welcome.waitForFunction(() => document.activeElement?.textContent === 'Copy the command', { timeout: 10_000 });
  });

  it('notices the companion once it is installed, and the SSH card follows, without a reload', async () => {
    await welcome.waitForSelector('[data-testid="companion-status"][data-state="missing"]');
    expect(await textOf(welcome, '#ssh')).toContain('found and created by the desktop companion');
    // A page's clone panel, open while the companion is missing, moves on by itself too.
    const page = await signedInPage(session, '/fabrikam/Platform/_git/Platform');
    const world = await ContentWorld.of(page, session.extensionId);
    await world.click('.adoc-clone-to-desktop', 'button');
    await world.waitForText('.adoc-popover', (t) => (t[0] ?? '').includes('The companion is not installed') && (t[0] ?? '').includes('Clone to desktop clones through it'));
    // So do a pull request's Check out panel, with the same steps for this computer (Linux, x86-64
    // here), and Start work, which makes the branch all the same and points to the steps.
    const steps = installInstructions('linux', 'x86-64');
    const pullRequest = [...sandbox.store.pullRequests.values()].find((p) => p.title.includes('Add a retry policy'))!.pullRequestId;
    const prPage = await signedInPage(session, `/fabrikam/Platform/_git/Platform/pullrequest/${pullRequest}`);
    const prWorld = await ContentWorld.of(prPage, session.extensionId);
    await prWorld.click('.adoc-pull-request-checkout', 'button');
    const [checkout] = await prWorld.waitForText('.adoc-popover', (t) => (t[0] ?? '').includes('Checking out a pull request runs git through it'));
    expect(checkout).toContain('The companion is not installed');
    expect(checkout).toContain(steps.explanation);
    expect(checkout).toContain('Set up the companion');
    expect(await prWorld.run<string>(`(sel) => chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelector('pre').textContent`, '.adoc-popover')).toBe(steps.commands.join('\n'));
    expect(await prWorld.run<string | undefined>(`(sel) => [...chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('a')].find((a) => a.textContent === 'release page')?.href`, '.adoc-popover')).toBe(RELEASES_URL);
    const org = sandbox.store.organization('fabrikam')!;
    const item = sandbox.store.workItems.ofOrganization(org.id).find((w) => w.fields['System.Title'] === 'Show the delivery date in the order summary')!.id;
    const itemPage = await signedInPage(session, `/fabrikam/Fabrikam%20Fiber/_workitems/edit/${item}`);
    const itemWorld = await ContentWorld.of(itemPage, session.extensionId);
    await itemWorld.click('.adoc-start-work', 'button');
    const [form] = await itemWorld.waitForText('.adoc-popover', (t) => (t[0] ?? '').includes('Create branch'));
    expect(form).toContain('The companion is not installed');
    expect(form).toContain('Set up the companion');
    await itemWorld.click('.adoc-popover', 'button', 'Close');
    // Forks as remotes and Open in editor give the same steps, and notice the companion by themselves too.
    const forksPage = await signedInPage(session, '/fabrikam/Platform/_git/Platform?path=/src');
    const forksWorld = await ContentWorld.of(forksPage, session.extensionId);
    await forksWorld.click('.adoc-forks-as-remotes', 'button', 'Add remote…');
    const [forks] = await forksWorld.waitForText('.adoc-popover', (t) => (t[0] ?? '').includes('The companion is not installed') && (t[0] ?? '').includes('Remotes are added'), 15_000);
    expect(forks).toContain('Set up the companion');
    expect(forks).toContain(steps.explanation);
    expect(forks).toContain('This panel notices the companion by itself once it runs.');
    expect(await installCommand(forksWorld)).toBe(steps.commands.join('\n'));
    // The fork is listed, but nothing that cannot be used without the companion is offered.
    expect(forks).toContain('Security / platform-fork');
    expect(await remoteControls(forksWorld)).toBe(0);
    await screenshot(forksPage, 'forks-as-remotes-no-companion-light');
    const editorPage = await signedInPage(session, '/fabrikam/Platform/_git/Platform?path=/README.md');
    const editorWorld = await ContentWorld.of(editorPage, session.extensionId);
    await editorWorld.click('.adoc-open-in-editor', 'button', 'Open in editor');
    const [editor] = await editorWorld.waitForText('.adoc-popover', (t) => (t[0] ?? '').includes('Open in editor opens your clone’s files through it'), 15_000);
    expect(editor).toContain('The companion is not installed');
    expect(editor).toContain(steps.explanation);
    expect(editor).toContain('This panel notices the companion by itself once it runs.');
    // No Try again: the panel watches for the companion by itself.
    expect(editor).not.toContain('Try again');
    expect(await installCommand(editorWorld)).toBe(steps.commands.join('\n'));
    await page.bringToFront();
    // Its "Set up the companion" opens Options at the companion's section: in the Options tab
    // already open (this welcome), not in another one, and without reloading it.
    const before = await welcome.evaluate(() => performance.timeOrigin);
    const optionsTabs = () => session.browser.targets().filter((t) => t.url().includes('src/options/index.html')).length;
    expect(optionsTabs()).toBe(1);
    await world.click('.adoc-popover', 'button', 'Set up the companion');
    await welcome.waitForFunction(() => location.hash === '#companion', { timeout: 10_000 });
    await welcome.bringToFront();
    await welcome.waitForFunction(() => document.activeElement?.closest('#companion') !== null, { timeout: 10_000 });
    expect(optionsTabs()).toBe(1);
    installCompanion(userDataDir, home.env);
    await welcome.waitForSelector('[data-testid="companion-status"][data-state="ready"]', { timeout: 15_000 });
    await page.bringToFront();
    await world.waitForText('.adoc-popover', (t) => (t[0] ?? '').includes('Into'), 15_000);
    await page.close();
    await prPage.bringToFront();
    await prWorld.waitForText('.adoc-popover', (t) => (t[0] ?? '').includes('Merge preview'), 15_000);
    await prPage.close();
    await forksPage.bringToFront();
    await forksWorld.waitForText('.adoc-popover', (t) => (t[0] ?? '').includes('Clone Platform to this computer first'), 15_000);
    // No clone to add a remote to: no remote name to type either.
    expect(await remoteControls(forksWorld)).toBe(0);
    await forksPage.close();
    await editorPage.bringToFront();
    await editorWorld.waitForText('.adoc-popover', (t) => (t[0] ?? '').includes('Platform is not cloned on this computer yet'), 15_000);
    await editorPage.close();
    // Start work, opened again, no longer says the companion is missing.
    await itemPage.bringToFront();
    await itemWorld.click('.adoc-start-work', 'button');
    await itemWorld.waitForText('.adoc-popover', (t) => (t[0] ?? '').includes('Create branch') && !(t[0] ?? '').includes('The companion is not installed'), 15_000);
    await itemPage.close();
    await welcome.bringToFront();
    await welcome.waitForSelector('#welcome[data-step="clone"]');
    await welcome.waitForSelector('#ssh-generate', { timeout: 20_000 });
    expect(await welcome.evaluate(() => performance.timeOrigin)).toBe(before);
  });

  it('keeps the companion panel whole after saving a clone folder', async () => {
    const status = () => textOf(welcome, '[data-testid="companion-status"]');
    const before = await status();
    expect(before).toMatch(/Version\d+\.\d+\.\d+/);
    expect(before).toMatch(/git\d/);
    const root = join(home.home, 'code');
    await welcome.type('#clone-root', root);
    await welcome.click('.clone-root button[type="submit"]');
    await waitForText(welcome, '.clone-root .hint', `Saved: new clones of this profile go to ${root}.`);
    const after = await status();
    expect(after).toContain(root);
    expect(after).toMatch(/Version\d+\.\d+\.\d+/);
    expect(after).toMatch(/git\d/);
    expect(after).not.toContain('not found');
    await screenshots(welcome, 'first-run-ready', { fullPage: true });
  });

});

describe('the popup once connected', () => {
  it('opens on the repository search with the focus in it', async () => {
    const popup = await openPopup(session);
    await popup.waitForSelector('#repo-list [data-repo]', { timeout: 20_000 });
    // autofocus applies at the next rendering update, not when the field is inserted.
    await popup.waitForFunction(() => document.activeElement?.id === 'repo-search', { timeout: 10_000 }).catch(() => undefined);
    expect(await focused(popup)).toBe('repo-search');
    // Another tab chosen, then a new popup: still the search.
    await popup.click('#tab-prs');
    await popup.close();
    const again = await openPopup(session);
    await again.waitForSelector('#repo-search');
    await again.waitForFunction(() => document.activeElement?.id === 'repo-search', { timeout: 10_000 }).catch(() => undefined);
    expect(await focused(again)).toBe('repo-search');
    await again.close();
  });

  it('moves the focus from Clone to the progress and then to Open folder', async () => {
    const popup = await openPopup(session);
    await popup.waitForSelector('#repo-list [data-repo="docs"]', { timeout: 20_000 });
    await popup.click('#repo-list [data-repo="docs"]');
    await popup.focus('[data-testid="repo-actions"] button.primary');
    expect(await focused(popup)).toBe('Clone');
    await popup.keyboard.press('Enter');
    await waitForText(popup, '[data-testid="repo-actions"] .feedback', 'Cloned to', 60_000);
    await popup.waitForFunction(() => document.activeElement?.textContent === 'Open folder', { timeout: 5000 });
    await popup.close();
  });
});

/** Which of our page buttons a repository page shows once its features have started. */
async function pageButtons(): Promise<{ clone: boolean; forks: boolean }> {
  const page = await signedInPage(session, '/fabrikam/Platform/_git/Platform');
  await page.waitForSelector('.adoc-forks-as-remotes', { timeout: 15_000 });
  // Both features start in the same view: once one is there, the other has had its chance.
  await new Promise((r) => setTimeout(r, 300));
  const shown = await page.evaluate(() => ({ clone: !!document.querySelector('.adoc-clone-to-desktop'), forks: !!document.querySelector('.adoc-forks-as-remotes') }));
  await page.close();
  return shown;
}

describe('feature switches', () => {
  it('turning a feature off in Options takes it off the pages, and on again brings it back', async () => {
    expect(await pageButtons()).toEqual({ clone: true, forks: true });
    const options = await session.openExtensionPage('options', '#features');
    const box = '#feature-clone-to-desktop';
    await options.waitForSelector(box);
    expect(await options.$eval(box, (b) => (b as HTMLInputElement).checked)).toBe(true);
    // Saved once the switch is no longer marked busy.
    const settled = (checked: boolean) =>
      options.waitForFunction((sel: string, want: boolean) => (document.querySelector(sel) as HTMLInputElement).checked === want && document.querySelector(sel)!.getAttribute('aria-disabled') !== 'true', {}, box, checked);
    await options.click(box);
    await settled(false);
    expect(await pageButtons()).toEqual({ clone: false, forks: true });
    await options.bringToFront();
    // From the keyboard: the switch keeps the focus while its change is saved, so the next one is a Tab away.
    await options.focus(box);
    await options.keyboard.press('Space');
    await settled(true);
    expect(await options.evaluate(() => document.activeElement?.id)).toBe('feature-clone-to-desktop');
    expect(await pageButtons()).toEqual({ clone: true, forks: true });
    // The descriptions' "Options › Editor" are links to those sections here, where the reader already is.
    const links = await options.$$eval('#features .feature-list a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(links).toEqual([
      ['Editor', '#editor'],
      ['Branch names', '#branch-names'],
    ]);
    await options.click('#feature-open-in-editor-about a');
    await options.waitForFunction(() => location.hash === '#editor');
    await options.close();
  });
});
