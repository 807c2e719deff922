import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import type { PullRequest } from '../../sandbox/store';
import { writeEnvCredentialHelper } from '../../sandbox/testing';
import { installCompanion, launch, privateHome, type Session } from './harness';
import { ContentWorld, signedInPage } from './page-helpers';
import { SESSION_FRESH_MS } from '../../src/background/page-session';

/**
 * No setup at all: no profile, only the companion, and a browser signed in to Azure DevOps (the
 * sandbox's session cookie). Every injected feature works through the page's own session: clone
 * and fetch with git's own credential helper (here a helper answering with a PAT, as Git
 * Credential Manager would), forks listed and added as a remote, reviewers suggested and added.
 * Without a credential helper the clone's failure says what to do, with a button to Options.
 * The sandbox's request log shows every REST call signed in by the cookie alone.
 */
const run = promisify(execFile);
const CLONE = '.adoc-clone-to-desktop';
const FORKS = '.adoc-forks-as-remotes';
const HELPER = '.adoc-pull-request-reviewers';
const POPOVER = '.adoc-popover';

let sandbox: Sandbox;
let session: Session;
let home: Awaited<ReturnType<typeof privateHome>>;
let page: Page;
let world: ContentWorld;
let gitConfig: string;
let helper: string;
/** Where the request log stood when the browser started. */
let mark: number;

const org = () => sandbox.store.organization('fabrikam')!;
const user = (alias: string) => [...sandbox.store.users.values()].find((u) => u.alias === alias)!;

/** The user's global git configuration: the sandbox's (hosts, CA), with or without a credential helper. */
const writeGitConfig = (withHelper: boolean) =>
  writeFile(gitConfig, `[include]\n\tpath = ${sandbox.gitConfig}\n${withHelper ? `[credential]\n\thelper = ${helper}\n` : ''}`);

async function remotes(path: string): Promise<Record<string, string>> {
  const { stdout } = await run('git', ['-C', path, 'remote', '-v']);
  return Object.fromEntries(stdout.split('\n').map((l) => l.split(/\s+/)).filter(([n, u, k]) => n && u && k === '(fetch)').map(([n, u]) => [n!, u!]));
}

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  home = await privateHome();
  helper = await writeEnvCredentialHelper(home.home);
  gitConfig = join(home.home, 'gitconfig');
  await writeGitConfig(true);
  const userDataDir = await mkdtemp(join(tmpdir(), 'adoc-profile-'));
  installCompanion(userDataDir, home.env);
  mark = sandbox.services.log.entries().length;
  session = await launch(sandbox, { userDataDir, env: { ...home.env, GIT_CONFIG_GLOBAL: gitConfig, SANDBOX_GIT_PAT: sandbox.pats.fabrikam } });
  page = await signedInPage(session, '/fabrikam/_git/Platform');
  world = await ContentWorld.of(page, session.extensionId);
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
});

describe('Azure DevOps pages with no setup', () => {
  let clone: string;

  it('clones with git’s own credential helper, then fetches', async () => {
    await world.click(CLONE, 'button');
    const [plan] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Into'));
    clone = /Into\n(.+)/.exec(plan!)?.[1] ?? '';
    expect(clone.endsWith('/fabrikam/Platform/Platform')).toBe(true);
    await world.click(POPOVER, 'button', 'Clone');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Cloned '), 60_000);
    expect((await remotes(clone)).origin).toBe('https://dev.azure.com/fabrikam/_git/Platform');
    await page.goto(page.url(), { waitUntil: 'domcontentloaded' });
    await world.waitForText(CLONE, (t) => t[0] === 'Cloned locally');
    await world.click(CLONE, 'button');
    await world.click(POPOVER, 'button', 'Fetch origin');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Fetched origin.'), 30_000);
  });

  it('lists the forks with the page’s session and adds one as a remote of the clone', async () => {
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform', { waitUntil: 'domcontentloaded' });
    await world.click(FORKS, 'button', 'Add remote…');
    const [panel] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Security / platform-fork'), 30_000);
    expect(panel).toContain(clone);
    await world.click(POPOVER, 'button[aria-label="Add Security/platform-fork as a remote"]');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Added security and fetched it.'), 30_000);
    expect((await remotes(clone)).security).toBe('https://dev.azure.com/fabrikam/Security/_git/platform-fork');
    const { stdout } = await run('git', ['-C', clone, 'branch', '-r']);
    expect(stdout).toContain('security/');
  });

  it('forks into another project with the page’s session and clones the fork with upstream set', async () => {
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform', { waitUntil: 'domcontentloaded' });
    await world.click(FORKS, 'button', 'Add remote…');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Fork and clone'), 30_000);
    const mobile = sandbox.store.projectsOf(org()).find((p) => p.name === 'Mobile')!;
    await world.run(
      `(sel, id) => { const r = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)); const s = r.querySelector('select'); s.value = id; s.dispatchEvent(new Event('change')); }`,
      POPOVER,
      mobile.id,
    );
    await world.click(POPOVER, 'button', 'Fork and clone');
    const [done] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Forked into Mobile / Platform, cloned to'), 60_000);
    const forkClone = clone.replace('/fabrikam/Platform/Platform', '/fabrikam/Mobile/Platform');
    expect(done).toContain(forkClone);
    expect(await remotes(forkClone)).toEqual({
      origin: 'https://dev.azure.com/fabrikam/Mobile/_git/Platform',
      upstream: 'https://dev.azure.com/fabrikam/_git/Platform',
    });
  });

  it('suggests reviewers and adds one to the pull request; groups need an account, and say so with a button', async () => {
    const platform = sandbox.store.repository(org(), 'Platform', sandbox.store.project(org(), 'Platform'))!;
    const pr: PullRequest = sandbox.store.pullRequestsOf(platform).find((p) => p.title === 'Add a retry policy to the HTTP client')!;
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`, { waitUntil: 'domcontentloaded' });
    const [text] = await world.waitForText(HELPER, (t) => /changed \S+ .*ago|Nobody else changed/.test(t[0] ?? ''), 30_000);
    expect(text).toContain('1 approved · 2 no response');
    expect(text).toContain('Reviewer groups are saved with an account');
    const suggestion = await world.run<{ id: string; name: string } | null>(
      `(sel) => { const r = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)); const li = r.querySelector('[aria-label="Suggested reviewers"] li'); return li ? { id: li.dataset.person, name: li.querySelector('.adoc-ellipsis').textContent } : null; }`,
      HELPER,
    );
    expect(suggestion).not.toBeNull();
    expect([pr.createdById, ...pr.reviewers.map((r) => r.id)]).not.toContain(suggestion!.id);
    await world.click(HELPER, `[data-person="${suggestion!.id}"] button`, 'Add');
    const recorded = () => sandbox.store.pullRequest(org(), pr.pullRequestId)!.reviewers;
    await expect.poll(() => recorded().find((r) => r.id === suggestion!.id), { timeout: 15_000 }).toMatchObject({ isRequired: false, vote: 0 });
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes(`Added ${suggestion!.name} as optional.`));
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Add an account'));
    // The groups' button opens Options where an account is added.
    const opened = session.browser.waitForTarget((t) => t.url().endsWith('/src/options/index.html#accounts'), { timeout: 10_000 });
    await world.click(HELPER, 'button', 'Add an account');
    await opened;
    // Anyone, found with the page's session, as required.
    await world.type(HELPER, 'input[type=search]', 'Barbara');
    await page.keyboard.press('Enter');
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('barbara@'));
    await world.click(HELPER, `[data-person="${user('barbara').id}"] button`, 'Required');
    await expect.poll(() => recorded().find((r) => r.id === user('barbara').id), { timeout: 15_000 }).toMatchObject({ isRequired: true });
  });

  it('suggests reviewers on the create page too, from the branches’ changes', async () => {
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform/pullrequestcreate?sourceRef=feature/retry-policy&targetRef=main', { waitUntil: 'domcontentloaded' });
    const [text] = await world.waitForText(HELPER, (t) => /changed \S+ .*ago|Nobody else changed/.test(t[0] ?? ''), 30_000);
    expect(text).toMatch(/changed \S+ (just now|.* ago|yesterday)/);
  });

  it('made every REST call with the page’s session alone', () => {
    const calls = sandbox.services.log.entries().slice(mark).filter((e) => e.path.includes('/_apis/'));
    expect(calls.length).toBeGreaterThan(5);
    expect(calls.filter((e) => e.auth !== 'cookie')).toEqual([]);
    expect(calls.some((e) => e.method === 'PUT' && /\/reviewers\//i.test(e.path) && e.status < 300)).toBe(true);
    expect(calls.some((e) => e.method === 'POST' && /\/_apis\/git\/repositories(\?|$)/i.test(e.path) && e.status < 300)).toBe(true);
  });

  it('says what to do when git has no credential helper, with a button to add a token', async () => {
    await writeGitConfig(false);
    await page.goto('https://dev.azure.com/fabrikam/Platform/_git/design-system?version=GBmain', { waitUntil: 'domcontentloaded' });
    await world.click(CLONE, 'button');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Into'));
    await world.click(POPOVER, 'button', 'Clone');
    const [failed] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('no credential helper'), 60_000);
    expect(failed).toContain('git has no credential helper to sign you in to dev.azure.com');
    expect(failed).toContain('Install Git Credential Manager');
    const link = await world.run<string | null>(
      `(sel) => { const r = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)); return r.querySelector('a[href*="git-credential-manager"]')?.href ?? null; }`,
      POPOVER,
    );
    expect(link).toContain('github.com/git-ecosystem/git-credential-manager');
    const opened = session.browser.waitForTarget((t) => t.url().endsWith('/src/options/index.html#accounts'), { timeout: 10_000 });
    await world.click(POPOVER, 'button', 'Add a token');
    await opened;
  });

  it('says a refused page sign-in is fixed by signing in again or adding an account, not by a token', async () => {
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform', { waitUntil: 'domcontentloaded' });
    await page.waitForSelector(FORKS, { timeout: 15_000 });
    // The browser's Azure DevOps session ends (it expired, or the person signed out in another tab).
    const cookie = (await page.cookies('https://dev.azure.com')).find((c) => c.name === 'UserAuthentication');
    sandbox.services.sessions.end(cookie!.value);
    try {
      await world.click(FORKS, 'button', 'Add remote…');
      const [panel] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes("did not accept this page's sign-in"), 30_000);
      expect(panel).toContain('Add an account');
      expect(panel).not.toContain('Update the token');
    } finally {
      // Signed in again, for whatever runs next.
      await page.goto(`https://dev.azure.com/_sandbox/signin?user=ada&returnUrl=${encodeURIComponent('/fabrikam/_git/Platform')}`, { waitUntil: 'domcontentloaded' });
    }
  });

  it('checks that the page is still signed in before a write, which would otherwise meet a password dialog', async () => {
    const platform = sandbox.store.repository(org(), 'Platform', sandbox.store.project(org(), 'Platform'))!;
    const pr: PullRequest = sandbox.store.pullRequestsOf(platform).find((p) => p.title === 'Add a retry policy to the HTTP client')!;
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`, { waitUntil: 'domcontentloaded' });
    await world.waitForText(HELPER, (t) => /changed \S+ .*ago|Nobody else changed/.test(t[0] ?? ''), 30_000);
    const cookie = (await page.cookies('https://dev.azure.com')).find((c) => c.name === 'UserAuthentication');
    sandbox.services.sessions.end(cookie!.value);
    const from = sandbox.services.log.entries().length;
    try {
      // Later than a write right after the card's own reads, which is not checked.
      await new Promise((r) => setTimeout(r, SESSION_FRESH_MS + 1000));
      // The people search is a POST, which asks for a plain 401: the write the check is for.
      await world.type(HELPER, 'input[type=search]', 'Barbara');
      await page.keyboard.press('Enter');
      const [card] = await world.waitForText(HELPER, (t) => (t[0] ?? '').includes("did not accept this page's sign-in"), 30_000);
      expect(card).not.toContain('barbara@');
      const asked = sandbox.services.log.entries().slice(from).map((e) => `${e.method} ${e.path.split('?')[0]}`);
      expect(asked).toContain('GET /fabrikam/_apis/connectionData');
      expect(asked.filter((a) => a.startsWith('POST'))).toEqual([]);
    } finally {
      await page.goto(`https://dev.azure.com/_sandbox/signin?user=ada&returnUrl=${encodeURIComponent('/fabrikam/_git/Platform')}`, { waitUntil: 'domcontentloaded' });
    }
  });
});
