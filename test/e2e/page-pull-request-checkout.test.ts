import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { ask, launchConnected, privateHome, type Session } from './harness';
import { clickLink, ContentWorld, panelSaysItsWait, screenshot, signedInPage } from './page-helpers';
import { openPopup, waitForText } from './ui-steps';

/**
 * Starting work from Azure DevOps with the real companion: a pull request checked out from its
 * page (of the repository itself, cloning first; from a fork, added as a remote), a clone with
 * changes that is left alone while the pull request goes into a worktree, the same from the
 * popup, and the file being read opened at its line in the editor (a stand-in `code` on PATH
 * that records what it was asked).
 */
const run = promisify(execFile);
const CHECKOUT = '.adoc-pull-request-checkout';
const OPEN = '.adoc-open-in-editor';
const POPOVER = '.adoc-popover';

let sandbox: Sandbox;
let session: Session;
let home: Awaited<ReturnType<typeof privateHome>>;
let cloneRoot: string;
let clone: string;
let bin: string;
let page: Page;
let world: ContentWorld;

const git = async (cwd: string, ...args: string[]) => (await run('git', ['-C', cwd, ...args])).stdout.trim();
const prId = (title: string) => [...sandbox.store.pullRequests.values()].find((p) => p.title.includes(title))!.pullRequestId;
const prPage = (id: number, tab = '') => `https://dev.azure.com/fabrikam/Platform/_git/Platform/pullrequest/${id}${tab ? `?_a=${tab}` : ''}`;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  // The editor the companion finds first on PATH: it writes down its arguments.
  const tools = await privateHome();
  bin = join(tools.home, 'bin');
  mkdirSync(bin);
  // Written aside and moved into place: the test never reads it half-written.
  for (const editor of ['code', 'idea']) {
    writeFileSync(join(bin, editor), `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(bin, `${editor}-args.tmp`)}" && mv "${join(bin, `${editor}-args.tmp`)}" "${join(bin, `${editor}-args.txt`)}"\n`);
    chmodSync(join(bin, editor), 0o755);
  }
  let options: Page;
  ({ session, home, cloneRoot, options } = await launchConnected(sandbox, { env: { PATH: `${bin}:${process.env.PATH}` } }));
  await options.close();
  clone = join(cloneRoot, 'fabrikam/Platform/Platform');
  page = await signedInPage(session, '/fabrikam/Platform/_git/Platform/pullrequests');
  world = await ContentWorld.of(page, session.extensionId);
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
  if (bin) rmSync(join(bin, '..'), { recursive: true, force: true });
});

// A test that fails before it clears its faults would leave them to the tests after it: one failure stays one.
afterEach(() => sandbox.services.faults.clear());

/** Opens the pull request's page and its Check out panel. */
async function openPanel(id: number, tab = ''): Promise<string> {
  await page.goto(prPage(id, tab), { waitUntil: 'domcontentloaded' });
  await world.waitForText(CHECKOUT, (t) => t[0] === 'Check out');
  await world.click(CHECKOUT, 'button');
  return (await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Merge preview'), 30_000))[0]!;
}

/** Opens the pull request's panel on a clone with changes and starts its checkout into a worktree, git's first request held for `latencyMs`. */
async function startSlowCheckout(id: number, latencyMs: number): Promise<void> {
  sandbox.services.faults.add({ match: { pathRegex: '/_git/Platform/info/refs' }, latencyMs, times: 1 });
  await openPanel(id);
  await world.click(POPOVER, 'button', 'Check out in a new worktree');
  await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes(`Checking out pull request ${id}…`));
}

describe('Check out a pull request from its page', () => {
  it('sits in the header actions on every tab, and clones the repository on the branch when there is no clone', async () => {
    const id = prId('Add a retry policy');
    for (const tab of ['files', 'commits', '']) {
      await page.goto(prPage(id, tab), { waitUntil: 'domcontentloaded' });
      await page.waitForSelector(`.repos-pr-header > ${CHECKOUT}`, { timeout: 10_000 });
    }
    // Something of the person's own where the clone would go: said before anything is pressed.
    mkdirSync(clone, { recursive: true });
    writeFileSync(join(clone, 'notes.txt'), 'mine\n');
    await world.click(CHECKOUT, 'button');
    const [blocked] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('A clone would stop'), 30_000);
    expect(blocked).toContain(`${clone} exists and is not empty.`);
    expect(await world.run<string[]>(`(sel) => [...chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('button')].map((b) => b.textContent.trim())`, POPOVER)).toEqual(['Check again', 'Choose another clone folder', 'Close']);
    rmSync(clone, { recursive: true });
    await world.click(POPOVER, 'button', 'Check again');
    const plan = (await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Merge preview'), 30_000))[0]!;
    expect(plan).toContain('feature/retry-policy into main');
    expect(plan).toContain(`none yet: cloned first into ${clone}`);
    await screenshot(page, 'pull-request-checkout-plan-light');
    await world.click(POPOVER, 'button', 'Check out branch');
    const done = (await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes(`Checked out pull request ${id}`), 90_000))[0]!;
    expect(done).toContain('Checked out the branch feature/retry-policy, tracking origin/feature/retry-policy, in a new clone at');
    expect(done).toContain(clone);
    expect(done).toContain('Open folder');
    expect(done).toContain('Open in editor');
    expect(await git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('feature/retry-policy');
    expect(await git(clone, 'rev-parse', '--abbrev-ref', '@{upstream}')).toBe('origin/feature/retry-policy');
    expect((await world.texts(CHECKOUT))[0]).toBe('Checked out');
  }, 150_000);

  it('checks out a pull request from a fork: the fork becomes a remote named after its project', async () => {
    const id = prId('from the security fork');
    const plan = await openPanel(id);
    expect(plan).toContain(`${clone} (on feature/retry-policy)`);
    await world.click(POPOVER, 'button', 'Check out branch');
    const done = (await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes(`Checked out pull request ${id}`), 90_000))[0]!;
    expect(done).toContain('Checked out the branch feature/deep/nested/refactor, tracking security/feature/deep/nested/refactor');
    expect(await git(clone, 'remote', 'get-url', 'security')).toBe('https://dev.azure.com/fabrikam/Security/_git/platform-fork');
    expect(await git(clone, 'rev-parse', '--abbrev-ref', '@{upstream}')).toBe('security/feature/deep/nested/refactor');
    expect(await git(clone, 'rev-parse', 'HEAD')).toBe(await git(clone, 'rev-parse', 'security/feature/deep/nested/refactor'));
  }, 120_000);

  it('never touches a clone with changes: the pull request goes into a new worktree next to it', async () => {
    writeFileSync(join(clone, 'work in progress.txt'), 'mine\n');
    const head = await git(clone, 'rev-parse', 'HEAD');
    const id = prId('Refactor nested components');
    const plan = await openPanel(id);
    expect(plan).toContain('uncommitted changes');
    expect(plan).toContain('it will not be touched');
    await screenshot(page, 'pull-request-checkout-dirty-light');
    await world.click(POPOVER, 'button', 'Check out in a new worktree');
    const worktree = join(cloneRoot, `fabrikam/Platform/Platform-pr-${id}`);
    const done = (await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes(`Checked out pull request ${id}`), 90_000))[0]!;
    expect(done).toContain(`a new worktree at ${worktree}`);
    // The clone's branch of that name tracks the fork's: the pull request's gets a name of its own.
    expect(await git(worktree, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(`pr/${id}/feature/deep/nested/refactor`);
    expect(await git(worktree, 'rev-parse', '--abbrev-ref', '@{upstream}')).toBe('origin/feature/deep/nested/refactor');
    expect(await git(clone, 'rev-parse', 'HEAD')).toBe(head);
    expect(readFileSync(join(clone, 'work in progress.txt'), 'utf8')).toBe('mine\n');
    expect((await git(clone, 'status', '--porcelain')).split('\n')).toEqual([expect.stringContaining('work in progress.txt')]);
    // Pushed to again: Check out a second time updates that worktree, never asking to move it away.
    const tip = await git(worktree, 'rev-parse', 'HEAD');
    await git(worktree, 'reset', '-q', '--hard', 'HEAD~1');
    // From the outcome the panel still shows: Check out again reads the clone again, and offers that worktree.
    await world.click(POPOVER, 'button', 'Check out again');
    const offer = (await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Check out in its worktree'), 30_000))[0]!;
    expect(offer).toContain(`goes into its worktree, made by an earlier checkout: ${worktree}`);
    expect(offer).not.toContain('new worktree');
    await world.click(POPOVER, 'button', 'Check out in its worktree');
    const again = (await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes(`Checked out pull request ${id}`), 90_000))[0]!;
    expect(again).toContain(`in the worktree at ${worktree}`);
    expect(await git(worktree, 'rev-parse', 'HEAD')).toBe(tip);
    expect(await git(worktree, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(`pr/${id}/feature/deep/nested/refactor`);
    expect(await git(clone, 'rev-parse', 'HEAD')).toBe(head);
  }, 180_000);

  it('cancels a checkout under way: nothing is made, and the button offers it again', async () => {
    const id = prId('Add a retry policy');
    await startSlowCheckout(id, 30_000);
    expect((await world.texts(CHECKOUT))[0]).toMatch(/^Checking… \d+%$/);
    await world.click(POPOVER, 'button', 'Cancel');
    // The person's own Cancel is not reported as a failure.
    const [after] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Cancelled: nothing was made'), 20_000);
    expect(after).toContain('Check it out');
    expect(after).not.toContain('Checked out');
    expect(await world.run<number>(`(sel) => chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('[role=alert]').length`, POPOVER)).toBe(0);
    expect(existsSync(join(cloneRoot, `fabrikam/Platform/Platform-pr-${id}`))).toBe(false);
    expect((await world.texts(CHECKOUT))[0]).toBe('Check out');
    sandbox.services.faults.clear();
  }, 60_000);

  it("says why a checkout failed, with git's own line under Details, and Try again checks it out", async () => {
    const id = prId('Add a retry policy');
    sandbox.services.faults.add({ match: { pathRegex: '/_git/Platform/info/refs' }, status: 500, times: 1 });
    await openPanel(id);
    await world.click(POPOVER, 'button', 'Check out in a new worktree');
    // The same words as a clone that fails this way, not git's raw message.
    const [failed] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Azure DevOps had a problem on its side.'), 60_000);
    expect(failed).toContain('status.dev.azure.com');
    expect(failed).toContain('Details');
    const details = await world.run<string>(`(sel) => chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelector('details').textContent`, POPOVER);
    expect(details).toMatch(/returned error: 500/);
    expect(failed).toContain('Try again');
    await world.click(POPOVER, 'button', 'Try again');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes(`Checked out pull request ${id}`), 60_000);
    expect(await git(join(cloneRoot, `fabrikam/Platform/Platform-pr-${id}`), 'rev-parse', '--abbrev-ref', 'HEAD')).toMatch(/feature\/retry-policy$/);
    rmSync(join(cloneRoot, `fabrikam/Platform/Platform-pr-${id}`), { recursive: true, force: true });
    await git(clone, 'worktree', 'prune');
  }, 120_000);

  it('keeps a checkout running across in-app navigation: the button drawn again shows its progress, then its outcome', async () => {
    const id = prId('Add a retry policy');
    await startSlowCheckout(id, 8000);
    await page.evaluate((sel) => ((document.querySelector(sel) as unknown as { adocOld: boolean }).adocOld = true), CHECKOUT);

    await clickLink(page, '#__bolt-tab-commits');
    await page.waitForFunction((sel) => location.search.includes('_a=commits') && !!document.querySelector(sel) && !(document.querySelector(sel) as unknown as { adocOld?: boolean }).adocOld, { timeout: 10_000 }, CHECKOUT);
    const [label] = await world.waitForText(CHECKOUT, (t) => (t[0] ?? '').startsWith('Checking'));
    expect(label).toMatch(/^Checking… \d+%$/);
    await world.click(CHECKOUT, 'button');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes(`Checking out pull request ${id}`));
    const [done] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes(`Checked out pull request ${id}`), 60_000);
    const worktree = join(cloneRoot, `fabrikam/Platform/Platform-pr-${id}`);
    expect(done).toContain(`a new worktree at ${worktree}`);
    expect((await world.texts(CHECKOUT))[0]).toBe('Checked out');
    expect(await git(worktree, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('feature/retry-policy');
    sandbox.services.faults.clear();
  }, 90_000);

  it('follows a checkout again after the page is reloaded: the button shows its progress, Cancel stops it', async () => {
    const id = prId('Add a retry policy');
    const worktree = join(cloneRoot, `fabrikam/Platform/Platform-pr-${id}`);
    rmSync(worktree, { recursive: true, force: true });
    await git(clone, 'worktree', 'prune');
    await startSlowCheckout(id, 30_000);

    await page.reload({ waitUntil: 'domcontentloaded' });
    // Before the panel is opened, the button drawn again says the checkout runs.
    const [label] = await world.waitForText(CHECKOUT, (t) => (t[0] ?? '').startsWith('Checking'), 15_000);
    expect(label).toMatch(/^Checking… \d+%$/);
    await world.click(CHECKOUT, 'button');
    const [running] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes(`Checking out pull request ${id}…`));
    expect(running).toContain('Cancel');
    // Its Cancel reaches the checkout this page did not start.
    await world.click(POPOVER, 'button', 'Cancel');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Cancelled: nothing was made'), 30_000);
    expect(existsSync(worktree)).toBe(false);
    sandbox.services.faults.clear();
  }, 90_000);

  it('tells a page reloaded as its checkout ended how it ended: the button says Checked out, the panel where', async () => {
    const id = prId('Add a retry policy');
    const worktree = join(cloneRoot, `fabrikam/Platform/Platform-pr-${id}`);
    rmSync(worktree, { recursive: true, force: true });
    await git(clone, 'worktree', 'prune');
    await startSlowCheckout(id, 3000);

    // The reloaded page's script is held, so it draws (and asks about checkouts) only once the checkout has ended.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const hold = (request: HTTPRequest) => void (request.url().endsWith('/app.js') ? held.then(() => request.continue()) : request.continue());
    await page.setRequestInterception(true);
    page.on('request', hold);
    const options = await session.openExtensionPage('options');
    try {
      const reloaded = page.reload({ waitUntil: 'domcontentloaded' });
      const checkouts = async () => ((await ask(options, { type: 'clone.tasks' })).data as { tasks: { state: string; checkout?: { pullRequestId?: number } }[] }).tasks.filter((t) => t.checkout?.pullRequestId === id);
      // The latest of this pull request's checkouts on the board is the one started above.
      await expect.poll(async () => (await checkouts()).at(-1)?.state, { timeout: 60_000 }).toBe('done');
      release();
      await reloaded;
    } finally {
      release();
      page.off('request', hold);
      await page.setRequestInterception(false);
      await options.close();
    }
    const [label] = await world.waitForText(CHECKOUT, (t) => t[0] === 'Checked out', 15_000);
    expect(label).toBe('Checked out');
    await world.click(CHECKOUT, 'button');
    const [done] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes(`Checked out pull request ${id}`), 15_000);
    expect(done).toContain(`a new worktree at ${worktree}`);
    rmSync(worktree, { recursive: true, force: true });
    await git(clone, 'worktree', 'prune');
    sandbox.services.faults.clear();
  }, 90_000);

  it('waits for a clone of the repository still under way, then checks out into it', async () => {
    // Clone to desktop on the repository's Files page, git's first request held.
    sandbox.services.faults.add({ match: { pathRegex: 'Fabrikam%20Fiber/info/refs|Fabrikam Fiber/info/refs' }, latencyMs: 10_000, times: 1 });
    await page.goto('https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/Fabrikam%20Fiber', { waitUntil: 'domcontentloaded' });
    await world.click('.adoc-clone-to-desktop', 'button');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Into'));
    await world.click(POPOVER, 'button', 'Clone');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Cloning Fabrikam Fiber'));
    const target = join(cloneRoot, 'fabrikam/Fabrikam Fiber/Fabrikam Fiber');
    for (let i = 0; i < 400 && !existsSync(join(target, '.git')); i++) await new Promise((r) => setTimeout(r, 25));

    const id = prId('Retry policy for Fabrikam Fiber');
    await page.goto(`https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/Fabrikam%20Fiber/pullrequest/${id}`, { waitUntil: 'domcontentloaded' });
    await world.click(CHECKOUT, 'button');
    const [waiting] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('still being cloned'), 30_000);
    expect(waiting).toContain(`The repository is still being cloned into ${target}. Check the pull request out once the clone is done.`);
    expect(waiting).not.toContain('Check out branch');
    // Once the clone is done (the companion no longer lists it as being cloned), Check again offers the checkout into it.
    const options = await session.openExtensionPage('options');
    await options.waitForFunction(
      async (path: string) => {
        const reply = (await chrome.runtime.sendMessage({ type: 'local.clones' })) as { data?: { clones: { path: string; cloning?: boolean }[] } };
        return reply.data?.clones.some((c) => c.path === path && !c.cloning) ?? false;
      },
      { timeout: 60_000, polling: 500 },
      target,
    );
    await options.close();
    await world.click(POPOVER, 'button', 'Check again');
    const [plan = ''] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Merge preview'), 30_000);
    expect(plan).toContain(target);
    expect(plan).not.toContain('none yet');
    sandbox.services.faults.clear();
  }, 120_000);

  // It ends once the organization's hold is over, so the tests after it are not held.
  it('says why the panel waits when Azure DevOps holds it back (429), with Stop waiting, which shows the failure and its Try again at once', async () => {
    const id = prId('retry policy');
    await page.goto(prPage(id), { waitUntil: 'domcontentloaded' });
    await world.waitForText(CHECKOUT, (t) => t[0] === 'Check out');
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: '/_apis/git/repositories/[^/]+$' }, status: 429, retryAfter: 15, times: 1 });
    try {
      await world.click(CHECKOUT, 'button');
      await panelSaysItsWait(page, world, POPOVER, { seconds: 15, loading: 'Looking for your clone…', loaded: 'Merge preview' });
      await page.keyboard.press('Escape');
    } finally {
      sandbox.services.faults.clear();
    }
  }, 90_000);
});

describe('Check out a pull request from the popup', () => {
  it("checks out a pull request's merge preview into a worktree when the clone has changes", async () => {
    const id = prId('Add a retry policy');
    let popup = await openPopup(session);
    await popup.locator('#tab-prs').click();
    const row = `#prs-reviewing li[data-pr="${id}"]`;
    await popup.waitForSelector(`${row} .pr-checkout button`, { timeout: 30_000 });
    await popup.locator(`${row} .pr-checkout button[title^="The merge preview"]`).click();
    await popup.waitForFunction((r: string) => document.querySelector(r)?.textContent?.includes('nothing was touched'), { timeout: 60_000 }, row);
    // Dismiss goes back to the row's actions, with the focus on the first.
    await press(popup, `${row} .pr-checkout .note`, 'Dismiss');
    await popup.waitForSelector(`${row} .pr-checkout button[title^="The merge preview"]`);
    // The focus moves once the row has redrawn (an effect): waited for, not read at once.
    await popup.waitForFunction(() => (document.activeElement?.getAttribute('title') ?? '').startsWith('Check out '), { timeout: 5000 });
    await popup.locator(`${row} .pr-checkout button[title^="The merge preview"]`).click();
    await popup.waitForFunction((r: string) => document.querySelector(r)?.textContent?.includes('nothing was touched'), { timeout: 60_000 }, row);
    // A server error first: the failure offers Try again, which runs the same checkout (into a worktree).
    sandbox.services.faults.add({ match: { pathRegex: '/_git/Platform/info/refs' }, status: 500, times: 1 });
    await press(popup, `${row} .pr-checkout .note`, 'Check out into a new worktree');
    await popup.waitForFunction((r: string) => document.querySelector(r)?.textContent?.includes('The checkout did not finish'), { timeout: 60_000 }, row);
    // Said as the page panels say it: the cause, and git's own line under Details.
    expect(await popup.$eval(`${row} [data-testid="checkout-failed"]`, (el) => el.textContent)).toContain('Azure DevOps had a problem on its side.');
    expect(await popup.$eval(`${row} [data-testid="checkout-failed"] details`, (el) => el.textContent)).toMatch(/Details.*500/);
    sandbox.services.faults.clear();
    // The server is slow this time, and the popup closes (as it does when the user clicks elsewhere) while git waits.
    sandbox.services.faults.add({ match: { pathRegex: '/_git/Platform/info/refs' }, latencyMs: 8000, times: 1 });
    // The button, not the sentence that says to try again in a few minutes.
    await popup.$$eval(`${row} [data-testid="checkout-failed"] button`, (bs) => bs.find((b) => b.textContent === 'Try again')!.click());
    await popup.waitForSelector(`${row} .pr-checkout [role="progressbar"]`);
    await popup.close();
    // Opened again: the checkout is still running there, then says how it ended.
    popup = await openPopup(session);
    await popup.locator('#tab-prs').click();
    await popup.waitForSelector(`${row} .pr-checkout [role="progressbar"]`, { timeout: 30_000 });
    // Another tab and back: the row, drawn again, asks the board again.
    await popup.locator('#tab-repos').click();
    await popup.locator('#tab-prs').click();
    await popup.waitForSelector(`${row} .pr-checkout [role="progressbar"]`, { timeout: 30_000 });
    await popup.waitForFunction((r: string) => document.querySelector(r)?.textContent?.includes('Checked out the merge preview'), { timeout: 90_000 }, row);
    const worktree = join(cloneRoot, `fabrikam/Platform/Platform-pr-${id}-merge`);
    expect(await popup.$eval(row, (li) => li.textContent)).toContain(worktree);
    expect(await git(worktree, 'log', '-1', '--format=%s')).toBe(`Merge pull request ${id} from feature/retry-policy into main`);
    await expect(git(worktree, 'symbolic-ref', '-q', 'HEAD')).rejects.toThrow();
    await popup.close();
    // Said once: the next popup offers the checkout again rather than the old outcome.
    popup = await openPopup(session);
    await popup.locator('#tab-prs').click();
    await popup.waitForSelector(`${row} .pr-checkout button[title^="The merge preview"]`, { timeout: 30_000 });
    // Time for the board's answer, which would replace the buttons.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await popup.$eval(row, (li) => li.textContent)).not.toContain('Checked out');
    await popup.close();
  }, 120_000);

  it('cancels a checkout: Cancelling… at once, then says it was cancelled and offers the checkout again', async () => {
    const id = prId('Add a retry policy');
    const popup = await openPopup(session);
    await popup.locator('#tab-prs').click();
    const row = `#prs-reviewing li[data-pr="${id}"]`;
    await popup.waitForSelector(`${row} .pr-checkout button[title^="Check out "]`, { timeout: 30_000 });
    await popup.locator(`${row} .pr-checkout button[title^="Check out "]`).click();
    await popup.waitForFunction((r: string) => document.querySelector(r)?.textContent?.includes('nothing was touched'), { timeout: 60_000 }, row);
    // git waits on the server long enough to be cancelled.
    sandbox.services.faults.add({ match: { pathRegex: '/_git/Platform/info/refs' }, latencyMs: 8000, times: 1 });
    await press(popup, `${row} .pr-checkout .note`, 'Check out into a new worktree');
    await popup.waitForSelector(`${row} .pr-checkout [role="progressbar"]`, { timeout: 30_000 });
    // Watched from before the press: the cancel may land quickly.
    const cancelling = popup.waitForFunction((r: string) => document.querySelector(`${r} .pr-checkout button`)?.textContent === 'Cancelling…', { polling: 'mutation', timeout: 30_000 }, row);
    await press(popup, `${row} .pr-checkout`, 'Cancel');
    await cancelling;
    await waitForText(popup, `${row} .pr-checkout [role="status"]`, 'Checkout cancelled.', 30_000);
    expect(await popup.$(`${row} .pr-checkout button[title^="Check out "]`)).not.toBeNull();
    sandbox.services.faults.clear();
    await popup.close();
  }, 90_000);
});

/** Clicks, as a person does (the focus moves to it), the button inside `scope` whose words are `text`. */
async function press(popup: Page, scope: string, text: string): Promise<void> {
  const buttons = await popup.$$(`${scope} button`);
  for (const b of buttons) {
    if ((await b.evaluate((e) => e.textContent)) === text) return b.click();
  }
  throw new Error(`no button “${text}” in ${scope}`);
}

/** Where a stand-in editor writes its arguments. */
const argsFile = (editor = 'code') => join(bin, `${editor}-args.txt`);

/** The arguments the stand-in editor was started with (then forgotten, for the next start). */
async function recorded(editor = 'code'): Promise<string[]> {
  for (let i = 0; i < 100 && !existsSync(argsFile(editor)); i++) await new Promise((r) => setTimeout(r, 50));
  const args = readFileSync(argsFile(editor), 'utf8').split('\n').slice(0, -1);
  rmSync(argsFile(editor));
  return args;
}

describe('Open the file you are reading in the editor', () => {
  it('opens the file at its line in the local clone, warning first when another branch is checked out there', async () => {
    const file = '/src/deep/nested/module/component.ts';
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform?path=${encodeURIComponent(file)}&version=GBfeature/deep/nested/refactor&line=1&lineEnd=1&_a=contents`, { waitUntil: 'domcontentloaded' });
    // Beside the files command bar, outside it, as the other header features.
    await page.waitForSelector(`${OPEN} + .repos-files-header-commandbar`, { timeout: 10_000 });
    await world.click(OPEN, 'button', 'Open in editor');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Opened component.ts at line 1 with code.'), 30_000);
    expect(await recorded()).toEqual([clone, '--goto', `${clone}${file}:1`]);

    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform?path=%2FREADME.md&version=GBmain&line=3`, { waitUntil: 'domcontentloaded' });
    await world.click(OPEN, 'button', 'Open in editor');
    const warning = (await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Open anyway'), 30_000))[0]!;
    expect(warning).toContain('You are viewing main, but your clone has feature/deep/nested/refactor checked out');
    expect(existsSync(argsFile())).toBe(false);
    await screenshot(page, 'open-in-editor-other-branch-light');
    // The focus moved to the panel's first button, as in the other features: Enter opens anyway.
    await page.keyboard.press('Enter');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Opened README.md at line 3 with code.'), 30_000);
    expect(await recorded()).toEqual([clone, '--goto', `${clone}/README.md:3`]);
  }, 90_000);

  it('uses the editor chosen in Options', async () => {
    const options = await session.openExtensionPage('options');
    await options.waitForSelector('#editor input[value="vscode"]:checked', { timeout: 10_000 });
    await options.click('#editor input[value="jetbrains"]');
    await expect.poll(async () => (await ask(options, { type: 'settings.editor' })).data).toEqual({ editor: 'jetbrains' });
    await options.close();
    const file = '/src/deep/nested/module/component.ts';
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform?path=${encodeURIComponent(file)}&version=GBfeature/deep/nested/refactor&line=1`, { waitUntil: 'domcontentloaded' });
    await world.click(OPEN, 'button', 'Open in editor');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Opened component.ts at line 1 with idea.'), 30_000);
    expect(await recorded('idea')).toEqual(['--line', '1', `${clone}${file}`]);
    expect(existsSync(argsFile('code'))).toBe(false);
  }, 60_000);
});
