import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import type { PullRequest } from '../../sandbox/store';
import { ask, launch, type Session } from './harness';
import { ContentWorld, sandboxSwitch, screenshot, signedInPage } from './page-helpers';

/**
 * Reviewer helpers on the sandbox's pull request pages: the vote summary, a suggested reviewer,
 * a reviewer group and a searched person added through the REST API, recorded by the sandbox and
 * shown by the page's own Reviewers section.
 */
const HELPER = '.adoc-pull-request-reviewers';

let sandbox: Sandbox;
let session: Session;
let page: Page;
let world: ContentWorld;
let pr: PullRequest;
const user = (alias: string) => [...sandbox.store.users.values()].find((u) => u.alias === alias)!;
const org = () => sandbox.store.organization('fabrikam')!;
/** The reviewers the sandbox has recorded for the pull request. */
const recorded = () => sandbox.store.pullRequest(org(), pr.pullRequestId)!.reviewers;
/** The reviewers the page's own Reviewers section shows. */
const shown = () => page.$$eval('[data-sandbox-reviewers] .repos-reviewer', (rows) => rows.map((r) => r.getAttribute('data-reviewer-id')));

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox);
  const options = await session.openExtensionPage('options');
  expect(await ask(options, { type: 'profiles.addPat', organization: 'fabrikam', pat: sandbox.pats.fabrikam })).toMatchObject({ ok: true });
  const members = ['ken', 'margaret'].map((a) => ({ id: user(a).id, displayName: user(a).displayName }));
  expect(await ask(options, { type: 'groups.save', group: { project: 'Platform', name: 'Core team', members } })).toMatchObject({ ok: true });
  await options.close();
  const platform = sandbox.store.repository(org(), 'Platform', sandbox.store.project(org(), 'Platform'))!;
  pr = sandbox.store.pullRequestsOf(platform).find((p) => p.title === 'Add a retry policy to the HTTP client')!;
  page = await signedInPage(session, `/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`);
  world = await ContentWorld.of(page, session.extensionId);
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
});

describe('Reviewer helpers', () => {
  it('summarises the votes, required reviewers first', async () => {
    const [text] = await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('no response'));
    expect(text).toContain('1 approved · 2 no response');
    // Ada is the required reviewer: listed first.
    const votes = text!.slice(text!.indexOf('no response') + 'no response'.length);
    expect(votes.indexOf('Ada Lovelace')).toBeLessThan(votes.indexOf('Alan Turing'));
  });

  it('adds a suggested reviewer, with the reason shown, and the page shows it', async () => {
    const [text] = await world.waitForText(HELPER, (t) => /changed \S+ .*ago|Nobody else changed/.test(t[0] ?? ''), 30_000);
    expect(text).toMatch(/changed \S+ (just now|.* ago|yesterday)/);
    await screenshot(page, 'pull-request-reviewers-light', HELPER);
    const suggestion = await world.run<{ id: string; name: string } | null>(
      `(sel) => { const r = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)); const li = r.querySelector('[aria-label="Suggested reviewers"] li'); return li ? { id: li.dataset.person, name: li.querySelector('.adoc-ellipsis').textContent } : null; }`,
      HELPER,
    );
    expect(suggestion).not.toBeNull();
    // The author and the current reviewers are never suggested.
    expect([pr.createdById, ...pr.reviewers.map((r) => r.id)]).not.toContain(suggestion!.id);
    await world.click(HELPER, `[data-person="${suggestion!.id}"] button`, 'Add');
    await expect.poll(() => recorded().find((r) => r.id === suggestion!.id), { timeout: 15_000 }).toMatchObject({ isRequired: false, vote: 0 });
    await expect.poll(shown, { timeout: 15_000 }).toContain(suggestion!.id);
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes(`Added ${suggestion!.name} as optional.`));
    // The page drew its view again; the helpers came back once.
    expect(await page.$$eval(HELPER, (e) => e.length)).toBe(1);
  });

  it('adds a reviewer group in one click', async () => {
    await world.click(HELPER, 'button', 'Core team (2)');
    for (const alias of ['ken', 'margaret']) {
      await expect.poll(() => recorded().some((r) => r.id === user(alias).id), { timeout: 15_000 }).toBe(true);
      await expect.poll(shown, { timeout: 15_000 }).toContain(user(alias).id);
    }
  });

  it('finds anyone and adds them as required', async () => {
    await world.type(HELPER, 'input[type=search]', 'Barbara');
    await page.keyboard.press('Enter');
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('barbara@'));
    await world.click(HELPER, `[data-person="${user('barbara').id}"] button`, 'Required');
    await expect.poll(() => recorded().find((r) => r.id === user('barbara').id), { timeout: 15_000 }).toMatchObject({ isRequired: true });
    await expect.poll(() => page.$$eval('.pr-required-reviewers-section .repos-reviewer', (rows) => rows.map((r) => r.getAttribute('data-reviewer-id'))), { timeout: 15_000 }).toContain(
      user('barbara').id,
    );
  });

  it('on the create page, keeps the choices until the pull request exists, then adds them', async () => {
    const source = 'release/2026.08';
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequestcreate?sourceRef=${source}&targetRef=main`, { waitUntil: 'domcontentloaded' });
    await world.click(HELPER, 'button', 'Core team (2)');
    const [queued] = await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Added when you create the pull request'));
    expect(queued).toContain('Ken Thompson');
    expect(queued).toContain('Margaret Hamilton');
    await screenshot(page, 'pull-request-create-reviewers-light', HELPER);
    await page.click('.repos-pr-create-form button[type=submit]');
    await page.waitForFunction(() => /\/pullrequest\/\d+$/.test(location.pathname), { timeout: 15_000 });
    const id = Number(/\/pullrequest\/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
    const created = () => sandbox.store.pullRequest(org(), id)!.reviewers.map((r) => r.id);
    await expect.poll(created, { timeout: 15_000 }).toEqual(expect.arrayContaining([user('ken').id, user('margaret').id]));
    await expect.poll(shown, { timeout: 15_000 }).toEqual(expect.arrayContaining([user('ken').id, user('margaret').id]));
  });

  it('looks like the page in the dark theme too', async () => {
    await sandboxSwitch(page, 'theme', 'dark', `/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`);
    await world.waitForText(HELPER, (t) => /Core team/.test(t[0] ?? ''), 30_000);
    await screenshot(page, 'pull-request-reviewers-dark', HELPER);
    await sandboxSwitch(page, 'theme', 'light', `/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`);
  });
});
