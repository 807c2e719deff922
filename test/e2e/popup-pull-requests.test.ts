/**
 * Pull requests in the toolbar popup against the sandbox Azure DevOps, in real Chromium: the
 * user's active pull requests and those waiting for their review, creating one with reviewers
 * found by search and from a reviewer group, and reviewer suggestions.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { patAuthorization } from '../../sandbox/testing';
import { branchArtifactUri } from '../../sandbox/work-items';
import { launch, type Session } from './harness';
import { NEW_PR_DRAFT, NEW_REPO_DRAFT, NEW_REPO_PROJECT, POPUP_SNAPSHOT } from '../../src/shared/storage-keys';
import { addPatProfile, cachedList, focusWhenDrawn, openPopup, optionsMovedTo, screenshots, storedKey, textOf, waitForOption, waitForText } from './ui-steps';

let sandbox: Sandbox;
let session: Session;
let helper: Page;
const profiles: Record<string, { id: string; name: string }> = {};

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox);
  helper = await session.openExtensionPage('options');
  profiles.fabrikam = await addPatProfile(helper, 'fabrikam', sandbox.pats.fabrikam!);
  profiles.contoso = await addPatProfile(helper, 'contoso', sandbox.pats.contoso!);
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
});

const userId = (alias: string) => sandbox.store.user(alias)!.id;
/** A user as a reviewer group keeps them. */
const member = (alias: string) => ({ id: userId(alias), displayName: sandbox.store.user(alias)!.displayName });

/** Active pull requests of an organization that Ada created, and those she reviews, by title. */
function sandboxPullRequests(orgName: string): { created: string[]; reviewing: string[] } {
  const org = sandbox.store.organization(orgName)!;
  const active = [...sandbox.store.pullRequests.values()].filter((p) => p.orgId === org.id && p.status === 'active');
  const ada = userId('ada');
  return {
    created: active.filter((p) => p.createdById === ada).map((p) => p.title).toSorted(),
    reviewing: active.filter((p) => p.reviewers.some((r) => r.id === ada)).map((p) => p.title).toSorted(),
  };
}

const titles = (popup: Page, list: string) => popup.$$eval(`#${list} .title-link`, (a) => a.map((x) => x.textContent ?? '').toSorted());

async function openTab(popup: Page, tab: string): Promise<void> {
  await popup.locator(`#tab-${tab}`).click();
}

/** Opens or closes a work item row's Start work, from the keyboard: a click may land where the row was before one above it opened. */
async function toggleStartWork(popup: Page, row: string): Promise<void> {
  await popup.waitForSelector(`${row} button[aria-expanded]`, { timeout: 20_000 });
  await popup.focus(`${row} button[aria-expanded]`);
  await popup.keyboard.press('Enter');
}

/** Types into a people picker and takes the first person offered. */
async function pickPerson(page: Page, input: string, query: string, expected: string): Promise<void> {
  await page.type(input, query);
  await page.waitForFunction(
    (sel: string, name: string) => document.querySelector(`#${document.querySelector(sel)!.getAttribute('aria-controls')} [role="option"]`)?.textContent?.includes(name),
    { timeout: 15_000 },
    input,
    expected,
  );
  await page.keyboard.press('Enter');
}

async function chooseRepo(popup: Page, name: string): Promise<void> {
  // The tab's code loads on first use: wait for its field before typing.
  await popup.waitForSelector('#pr-repo');
  await popup.type('#pr-repo', name);
  await popup.waitForFunction((n: string) => document.querySelector('#pr-repo-results [role="option"] .name')?.textContent === n, {}, name);
  await popup.keyboard.press('Enter');
  await popup.waitForFunction(() => !(document.querySelector('#pr-source') as HTMLSelectElement).disabled, { timeout: 20_000 });
}

const descriptionIn = (popup: Page) => popup.$eval('#pr-description', (t) => (t as HTMLTextAreaElement).value);

/** What the New pull request form holds. */
const prForm = (popup: Page) =>
  popup.evaluate(() => ({
    repo: (document.querySelector('#pr-repo') as HTMLInputElement).value,
    source: (document.querySelector('#pr-source') as HTMLSelectElement).value,
    title: (document.querySelector('#pr-title') as HTMLInputElement).value,
    description: (document.querySelector('#pr-description') as HTMLTextAreaElement).value,
    draft: (document.querySelector('.new-pr .check input') as HTMLInputElement).checked,
  }));

/** A Platform branch with no active pull request into main yet. */
function freeBranch(branches: string[]): string {
  const org = sandbox.store.organization('fabrikam')!;
  const platform = sandbox.store.repository(org, 'Platform')!;
  const busy = new Set(sandbox.store.pullRequestsOf(platform).filter((p) => p.status === 'active' && p.targetRefName === 'refs/heads/main').map((p) => p.sourceRefName));
  return branches.find((b) => b !== 'main' && !busy.has(`refs/heads/${b}`))!;
}
/** New PR on Platform, from a branch with no pull request into main yet, its title (and description) typed; answers the branch. */
async function typeNewPr(popup: Page, title: string, description?: string): Promise<string> {
  await openTab(popup, 'new-pr');
  await chooseRepo(popup, 'Platform');
  const source = freeBranch(await popup.$$eval('#pr-source option', (o) => o.map((x) => (x as HTMLOptionElement).value)));
  await popup.select('#pr-source', source);
  await popup.$eval('#pr-title', (i) => (i as HTMLInputElement).select());
  await popup.type('#pr-title', title);
  if (description !== undefined) await popup.type('#pr-description', description);
  return source;
}
/** Where the first row of a panel's list (or of its skeleton) starts, in pixels from the top. */
const firstRowTop = (popup: Page, panel: string) => popup.$eval(`${panel} .list > li`, (li) => li.getBoundingClientRect().top);

/** The focused element: its words, its id, and whether it is in a note. */
const focusedIn = (popup: Page) => popup.evaluate(() => ({ text: document.activeElement?.textContent ?? '', id: document.activeElement?.id ?? '', inNote: !!document.activeElement?.closest('.note') }));

/** Chooses branches that have an active pull request into main, types a description, and presses Create; answers that pull request's id. */
async function createTwin(popup: Page): Promise<number> {
  await openTab(popup, 'new-pr');
  await chooseRepo(popup, 'Platform');
  const org = sandbox.store.organization('fabrikam')!;
  const platform = sandbox.store.repository(org, 'Platform')!;
  const open = sandbox.store.pullRequestsOf(platform).find((p) => p.status === 'active' && p.targetRefName === 'refs/heads/main')!;
  await popup.select('#pr-source', open.sourceRefName.replace('refs/heads/', ''));
  await popup.type('#pr-description', 'Kept when it fails.');
  await popup.click('.new-pr button[type="submit"]');
  return open.pullRequestId;
}

describe('popup: pull requests', () => {
  it('says why the repository field is empty when the list failed, and fills it on Try again', async () => {
    sandbox.services.faults.add({ match: { pathRegex: '^/fabrikam/_apis/git/repositories$' }, status: 500 });
    const popup = await openPopup(session);
    try {
      await openTab(popup, 'new-pr');
      const note = await waitForText(popup, '.new-pr [role="alert"]', 'Could not list the repositories', 30_000);
      expect(note).not.toContain('Loading repositories');
      expect(await popup.$eval('#pr-repo', (i) => (i as HTMLInputElement).placeholder)).toBe('Type to find a repository');
    } finally {
      sandbox.services.faults.clear();
    }
    // From the keyboard: the note goes with its Try again once the list comes, and the focus waits in the field it fills.
    await popup.$$eval('.new-pr [role="alert"] button', (bs) => bs.find((b) => b.textContent === 'Try again')!.focus());
    await popup.keyboard.press('Enter');
    await popup.waitForFunction(() => !document.querySelector('.new-pr [role="alert"]'), { timeout: 20_000 });
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('pr-repo');
    // The branches fail once too: Try again reads them (choosing the same repository again would not).
    sandbox.services.faults.add({ match: { pathRegex: '/_apis/git/repositories/[^/]+/refs$' }, status: 503 });
    await popup.waitForSelector('#pr-repo');
    await popup.type('#pr-repo', 'Platform');
    await popup.waitForFunction(() => document.querySelector('#pr-repo-results [role="option"] .name')?.textContent === 'Platform');
    await popup.keyboard.press('Enter');
    await waitForText(popup, '.new-pr [role="alert"]', 'Could not list the branches', 30_000);
    sandbox.services.faults.clear();
    await popup.$$eval('.new-pr [role="alert"] button', (bs) => bs.find((b) => b.textContent === 'Try again')!.focus());
    await popup.keyboard.press('Enter');
    await popup.waitForFunction(() => !(document.querySelector('#pr-source') as HTMLSelectElement).disabled, { timeout: 20_000 });
    expect(await popup.$('.new-pr [role="alert"]')).toBeNull();
    // In the repository field, a Tab before the branches that came, not on the page.
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('pr-repo');
    await popup.close();
  });

  it('lists my active pull requests and those waiting for my review, as Azure DevOps has them', async () => {
    const popup = await openPopup(session);
    await openTab(popup, 'prs');
    await popup.waitForSelector('#prs-created-heading .badge, .prs-tab ~ [role="alert"], [role="tabpanel"] [role="alert"]', { timeout: 30_000 });
    const expected = sandboxPullRequests('fabrikam');
    expect(expected.created.length).toBeGreaterThan(0);
    expect(expected.reviewing.length).toBeGreaterThan(0);
    expect(await titles(popup, 'prs-created')).toEqual(expected.created);
    expect(await titles(popup, 'prs-reviewing')).toEqual(expected.reviewing);

    const draft = await popup.$eval('#prs-created li', (li) => li.textContent ?? '');
    expect(draft).toContain('Refactor nested components');
    expect(draft).toContain('Draft');
    const retry = sandbox.store.pullRequestsOf(sandbox.store.repository(sandbox.store.organization('fabrikam')!, 'Platform')!).find((p) => p.title === 'Add a retry policy to the HTTP client')!;
    const row = `#prs-reviewing li[data-pr="${retry.pullRequestId}"]`;
    expect(await textOf(popup, row)).toContain('Your vote: Not voted yet · Reviewers: 1 approved · 2 not voted yet');
    // The badges read as the vote words do: capitalised.
    expect(await popup.$$eval('.pr-badges .badge', (bs) => bs.map((b) => b.textContent ?? '').filter((t) => t[0] !== t[0]!.toUpperCase()))).toEqual([]);
    expect(await popup.$eval(`${row} a`, (a) => (a as HTMLAnchorElement).href)).toBe(
      `https://dev.azure.com/fabrikam/Platform/_git/Platform/pullrequest/${retry.pullRequestId}`,
    );
    await screenshots(popup, 'popup-pull-requests');

    // The other organization's list, after switching profile.
    await popup.select('#profile-switcher', profiles.contoso!.id);
    const contoso = sandboxPullRequests('contoso').reviewing;
    expect(contoso.length).toBeGreaterThan(0);
    // fabrikam's list is still drawn until contoso's arrives: wait for contoso's titles.
    await popup.waitForFunction(
      (want: string) => [...document.querySelectorAll('#prs-reviewing .title-link')].some((t) => t.textContent === want),
      { timeout: 30_000 },
      contoso[0]!,
    );
    expect(await titles(popup, 'prs-reviewing')).toEqual(contoso);
    await popup.select('#profile-switcher', profiles.fabrikam!.id);
    await popup.close();
  });

  it("Start work on the Work tab opens its form next in the Tab order, and keeps the focus in it after Create", async () => {
    const popup = await openPopup(session);
    await openTab(popup, 'work');
    const toggle = '#work-items > li:first-child button[aria-expanded]';
    await popup.waitForSelector(toggle, { timeout: 20_000 });
    await popup.focus(toggle);
    await popup.keyboard.press('Enter');
    await popup.waitForSelector('#work-items > li:first-child .start-work-form select', { timeout: 20_000 });
    // Its fields are labelled as the other forms' are, in the same type, and its title is a link drawn as a pull request's.
    const form = '#work-items > li:first-child .start-work-form';
    expect(await popup.$$eval(`${form} .field > label`, (ls) => ls.map((l) => [l.textContent, (l as HTMLLabelElement).control?.tagName]))).toEqual([
      ['Repository', 'SELECT'],
      ['Branch', 'INPUT'],
    ]);
    const styleOf = (sel: string) =>
      popup.$eval(sel, (e) => {
        const s = getComputedStyle(e);
        return { color: s.color, weight: s.fontWeight, size: s.fontSize, decoration: s.textDecorationLine };
      });
    const startWorkLabel = await styleOf(`${form} .field > label`);
    const workItemTitle = await styleOf('#work-items > li:first-child .main > a');
    await popup.keyboard.press('Tab');
    expect(await popup.evaluate(() => !!document.activeElement?.closest('#work-items > li:first-child .start-work-form'))).toBe(true);
    // Escape closes the form as its button does, nothing made, with the focus back on that button. Its
    // default is prevented: Chromium closes an extension popup on an Escape the page leaves alone.
    const badge = await textOf(popup, '#work-items > li:first-child .pr-badges .badge');
    await popup.evaluate(() => addEventListener('keydown', (e) => ((globalThis as { lastKey?: KeyboardEvent }).lastKey = e), { capture: true }));
    await popup.keyboard.press('Escape');
    expect(await popup.$('#work-items > li:first-child .start-work')).toBeNull();
    expect(await popup.evaluate((sel: string) => document.activeElement === document.querySelector(sel), toggle)).toBe(true);
    expect(await popup.$eval(toggle, (b) => b.getAttribute('aria-expanded'))).toBe('false');
    expect(await popup.evaluate(() => (globalThis as { lastKey?: KeyboardEvent }).lastKey?.defaultPrevented)).toBe(true);
    expect(await textOf(popup, '#work-items > li:first-child .pr-badges .badge')).toBe(badge);
    await popup.keyboard.press('Enter');
    await popup.waitForSelector('#work-items > li:first-child .start-work-form select', { timeout: 20_000 });
    // Create, from the keyboard: the form goes away, the focus stays with what replaced it, not on the page.
    await popup.focus('#work-items > li:first-child .start-work-form button[type="submit"]');
    await popup.keyboard.press('Enter');
    await waitForText(popup, '#work-items > li:first-child .start-work', 'Created', 20_000);
    await popup.waitForFunction(() => !document.querySelector('[aria-busy="true"]') && !/Checking it out/.test(document.querySelector('#work-items > li:first-child .start-work')?.textContent ?? ''), { timeout: 20_000 });
    expect(await popup.evaluate(() => !!document.activeElement?.closest('#work-items > li:first-child .start-work'))).toBe(true);
    // The item was moved on: its badge says the state the result names, not the one it had.
    const moved = /The work item is ([^.]+)\./.exec(await textOf(popup, '#work-items > li:first-child .start-work'))?.[1];
    expect(moved).toBeTruthy();
    expect(await textOf(popup, '#work-items > li:first-child .pr-badges .badge')).toBe(moved);

    await openTab(popup, 'new-pr');
    await popup.waitForSelector('label[for="pr-title"]');
    expect(startWorkLabel).toEqual(await styleOf('label[for="pr-title"]'));
    await openTab(popup, 'prs');
    await popup.waitForSelector('#prs-created li .main > a', { timeout: 20_000 });
    expect(workItemTitle).toEqual(await styleOf('#prs-created li .main > a'));
    await popup.close();
  });

  it('names a project whose pull requests could not be read, with Try again and the Options button that fixes a refusal', async () => {
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: '^/fabrikam/Mobile/_apis/git/pullrequests$' }, status: 403 });
    const popup = await openPopup(session);
    const note = '.prs-tab .note.warning';
    try {
      await openTab(popup, 'prs');
      await waitForText(popup, note, 'Not included: Mobile (', 30_000);
      expect(await popup.$$eval(`${note} button`, (bs) => bs.map((b) => b.textContent))).toEqual(['Update the token', 'Try again']);
    } finally {
      sandbox.services.faults.clear();
    }
    // From the keyboard: once read, the note and its Try again are gone, and the focus is on the tab, not on the page.
    await popup.$$eval(`${note} button`, (bs) => bs.find((b) => b.textContent === 'Try again')!.focus());
    await popup.keyboard.press('Enter');
    await popup.waitForFunction((sel: string) => !document.querySelector(sel), { timeout: 30_000 }, note);
    expect(await titles(popup, 'prs-created')).toEqual(sandboxPullRequests('fabrikam').created);
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('tab-prs');
    await popup.close();
  });

  it('a Work tab that could not list the work items lists them on Try again, with the focus on the tab', async () => {
    sandbox.services.faults.add({ match: { method: 'POST', pathRegex: '/_apis/wit/wiql$' }, status: 503 });
    const popup = await openPopup(session);
    await openTab(popup, 'work');
    await waitForText(popup, '#panel-work [role="alert"]', 'Could not list your work items', 30_000);
    sandbox.services.faults.clear();
    await popup.$$eval('#panel-work [role="alert"] button', (bs) => bs.find((b) => b.textContent === 'Try again')!.focus());
    await popup.keyboard.press('Enter');
    await popup.waitForSelector('#work-items li', { timeout: 30_000 });
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('tab-work');
    await popup.close();
  });

  it('Start work on a work item that could not be read says so, and Try again reads it with the focus on Start work', async () => {
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: '/_apis/wit/workitems/\\d+$' }, status: 503 });
    const popup = await openPopup(session);
    const toggle = '#work-items > li:first-child button[aria-expanded]';
    try {
      await openTab(popup, 'work');
      await popup.waitForSelector(toggle, { timeout: 20_000 });
      await popup.click(toggle);
      await waitForText(popup, '#work-items > li:first-child .start-work [role="alert"]', 'Cannot start work', 30_000);
    } finally {
      sandbox.services.faults.clear();
    }
    // From the keyboard: the note goes with its Try again, and the focus waits on Start work, a Tab before the form.
    await popup.$$eval('#work-items > li:first-child .start-work [role="alert"] button', (bs) => bs.find((b) => b.textContent === 'Try again')!.focus());
    await popup.keyboard.press('Enter');
    await popup.waitForSelector('#work-items > li:first-child .start-work-form select', { timeout: 30_000 });
    expect(await popup.evaluate((sel: string) => document.activeElement === document.querySelector(sel), toggle)).toBe(true);
    await popup.close();
  });

  it('Start work on a work item linked to a branch in another project starts on that repository, as the page does', async () => {
    const org = sandbox.store.organization('fabrikam')!;
    const platform = sandbox.store.project(org, 'Platform')!;
    const repo = sandbox.store.repository(org, 'Platform', platform)!;
    const item = sandbox.store.workItems.ofOrganization(org.id).find((w) => w.fields['System.Title'] === 'Dark mode on the settings screen')!;
    const link = { rel: 'ArtifactLink', url: branchArtifactUri(platform.id, repo.id, 'feature/retry-policy'), attributes: { name: 'Branch' } };
    // Its only link: an earlier case may have linked a branch of its own project.
    const kept = item.relations.splice(0, item.relations.length, link as never);
    const popup = await openPopup(session);
    const row = `#work-items > li[data-work-item="${item.id}"]`;
    try {
      await openTab(popup, 'work');
      await popup.waitForSelector(`${row} button[aria-expanded]`, { timeout: 20_000 });
      await popup.click(`${row} button[aria-expanded]`);
      await popup.waitForSelector(`${row} .start-work-form select`, { timeout: 30_000 });
      const form = await popup.$eval(row, (li) => {
        const select = li.querySelector('.start-work-form select') as HTMLSelectElement;
        return { value: select.value, first: select.options[0]?.text, submit: (li.querySelector('.start-work-form button[type="submit"]') as HTMLButtonElement).disabled };
      });
      expect(form).toEqual({ value: repo.id, first: 'Platform (linked)', submit: false });
    } finally {
      item.relations.splice(0, item.relations.length, ...kept);
      await popup.close();
    }
  });

  it('Start work keeps what was chosen and typed: another tab and back, another item’s Start work and back, the next popup; once created, the template’s name again', async () => {
    const org = sandbox.store.organization('fabrikam')!;
    const item = sandbox.store.workItems.ofOrganization(org.id).find((w) => w.fields['System.Title'] === 'Crash when the cart is empty')!;
    const project = sandbox.store.project(org, 'Fabrikam Fiber')!;
    const row = `#work-items > li[data-work-item="${item.id}"]`;
    const select = `${row} .start-work-form select`;
    const field = `${row} .start-work-form input[type="text"]`;
    const form = (page: Page) =>
      page.evaluate((sel: string) => {
        const li = document.querySelector(sel);
        return { repo: (li?.querySelector('.start-work-form select') as HTMLSelectElement | null)?.value, branch: (li?.querySelector('.start-work-form input[type="text"]') as HTMLInputElement | null)?.value };
      }, row);
    const openStartWork = async (page: Page) => {
      await toggleStartWork(page, row);
      await page.waitForSelector(field, { timeout: 30_000 });
    };
    const popup = await openPopup(session);
    await openTab(popup, 'work');
    await openStartWork(popup);
    const { repo: started, branch: template } = await form(popup);
    // Another repository than the one it starts on (one with branches), and a name of one's own over the template's.
    const repoId = ['fabrikam-web', 'docs'].map((name) => sandbox.store.repository(org, name, project)!.id).find((id) => id !== started)!;
    await popup.select(select, repoId);
    const typed = `users/ada/my-own-name-${Date.now()}`;
    await popup.$eval(field, (i) => (i as HTMLInputElement).select());
    await popup.type(field, typed);
    const chosen = { repo: repoId, branch: typed };
    expect(await form(popup)).toEqual(chosen);

    // (a) Another tab and back: the row is still open, as it was left.
    await openTab(popup, 'prs');
    await popup.waitForSelector('#prs-created-heading');
    await openTab(popup, 'work');
    await popup.waitForSelector(`${row} button[aria-expanded]`, { timeout: 20_000 });
    expect(await popup.$eval(`${row} button[aria-expanded]`, (b) => b.getAttribute('aria-expanded'))).toBe('true');
    expect(await form(popup)).toEqual(chosen);

    // (b) Another item's Start work closes this row (one at a time); opened again, it has what was typed.
    const otherRow = `#work-items > li:not([data-work-item="${item.id}"])`;
    await toggleStartWork(popup, otherRow);
    await popup.waitForSelector(`${otherRow} .start-work`, { timeout: 20_000 });
    expect(await popup.$(`${row} .start-work`)).toBeNull();
    await openStartWork(popup);
    expect(await form(popup)).toEqual(chosen);

    // (c) The popup closes (a click elsewhere, a Fix button opening Options); the next one has it too.
    await popup.close();
    const again = await openPopup(session, { keepDrafts: true });
    await openTab(again, 'work');
    await openStartWork(again);
    expect(await form(again)).toEqual(chosen);
    // Create makes the branch typed, in the repository chosen.
    await again.click(`${row} .start-work-form button[type="submit"]`);
    await waitForText(again, `${row} .start-work`, 'Created', 30_000);
    expect(item.relations.map((r) => r.url)).toContain(branchArtifactUri(project.id, repoId, typed));
    await again.close();

    // Created, nothing is kept: the next form offers the template's name.
    const third = await openPopup(session, { keepDrafts: true });
    await openTab(third, 'work');
    await openStartWork(third);
    expect((await form(third)).branch).toBe(template);
    await third.close();
  });

  it('Start work whose link was refused says so, and Link the branch again, from the keyboard, links it with the focus kept in the result', async () => {
    const popup = await openPopup(session);
    await openTab(popup, 'work');
    const row = '#work-items > li:first-child';
    await popup.waitForSelector(`${row} button[aria-expanded]`, { timeout: 20_000 });
    const id = await popup.$eval(row, (li) => (li as HTMLElement).dataset.workItem);
    await popup.click(`${row} button[aria-expanded]`);
    const branch = await popup.waitForSelector(`${row} .start-work-form input[type="text"]`, { timeout: 20_000 });
    // A branch of its own: an earlier test may have made the suggested one.
    await branch!.evaluate((e) => ((e as HTMLInputElement).value = ''));
    await branch!.type(`users/ada/link-again-${Date.now()}`);
    sandbox.services.faults.add({ match: { method: 'PATCH', pathRegex: `/_apis/wit/workitems/${id}$` }, status: 403, times: 1 });
    try {
      await popup.focus(`${row} .start-work-form button[type="submit"]`);
      await popup.keyboard.press('Enter');
      await waitForText(popup, `${row} .start-work`, 'Link the branch again', 30_000);
    } finally {
      sandbox.services.faults.clear();
    }
    // Once the checkout has ended, which moves the focus to its outcome.
    await popup.waitForFunction((sel: string) => !/Checking it out/.test(document.querySelector(sel)?.textContent ?? ''), { timeout: 30_000 }, `${row} .start-work`);
    await popup.$$eval(`${row} .start-work button`, (bs) => bs.find((b) => b.textContent === 'Link the branch again')!.focus());
    await popup.keyboard.press('Enter');
    await waitForText(popup, `${row} .start-work`, 'Linked to the work item.', 30_000);
    expect(await popup.$$eval(`${row} .start-work button`, (bs) => bs.map((b) => b.textContent))).not.toContain('Link the branch again');
    // The button went with its note: the focus is in the result, not on the page.
    expect(await popup.evaluate((sel: string) => !!document.activeElement?.closest(sel), `${row} .start-work`)).toBe(true);
    await popup.close();
  });

  it('a branch linked already, checked out from the keyboard: the focus stays in its list while Check out is disabled, and goes on to the outcome', async () => {
    const popup = await openPopup(session);
    await openTab(popup, 'work');
    const row = '#work-items > li:first-child';
    await popup.waitForSelector(`${row} button[aria-expanded]`, { timeout: 20_000 });
    await popup.click(`${row} button[aria-expanded]`);
    const list = `${row} .linked-branches`;
    // Focused for good: while the list follows an earlier popup's checkout of the branch (the
    // board's last one), Check out is disabled and the focus goes to the list; Enter would then
    // reach Start work, which the click left focused, and close the row.
    const checkOut = `${list} button[aria-label^="Check out"]:not(:disabled)`;
    await popup.waitForFunction(
      async (sel: string) => {
        document.querySelector<HTMLElement>(sel)?.focus();
        await new Promise((r) => setTimeout(r, 150));
        return !!document.activeElement?.matches(sel);
      },
      { timeout: 20_000, polling: 200 },
      checkOut,
    );
    await popup.keyboard.press('Enter');
    // Done (Open folder) or not (its failure, or the choice of a worktree): either way the focus is in the list, not on the page.
    await popup.waitForFunction(
      (sel: string) => !!document.querySelector(`${sel} [data-testid="checkout-failed"], ${sel} [data-testid="checkout-dirty"], ${sel} button.primary`),
      { timeout: 60_000 },
      list,
    );
    expect(await popup.evaluate((sel: string) => !!document.activeElement?.closest(sel), list)).toBe(true);
    await popup.close();
  });

  it('a pull request list with no answer says so within a second, politely, the skeleton kept; Stop waiting shows the failure with Try again', async () => {
    const mark = sandbox.services.log.entries().length;
    // Every attempt takes a while and then loses its connection: the background retries in between.
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: '^/fabrikam/[^/]+/_apis/git/pullrequests$' }, latencyMs: 1500, drop: true });
    try {
      const popup = await openPopup(session);
      await openTab(popup, 'prs');
      // The first attempt is still on its way: the skeleton, and no wait said yet (the tab's own
      // skeleton, under its wait line, not the one shown while the tab's code loads).
      await popup.waitForSelector('#panel-prs .wait-line');
      await popup.waitForSelector('#panel-prs [aria-busy="true"] > li');
      expect(await textOf(popup, '#panel-prs .wait-line')).toBe('');
      const topBefore = await firstRowTop(popup, '#panel-prs');
      const said = await waitForText(popup, '#panel-prs .wait-line', 'No answer from dev.azure.com yet: trying again', 20_000);
      const seenAt = Date.now();
      // The wait's line comes without moving the list under it.
      expect(await firstRowTop(popup, '#panel-prs')).toBe(topBefore);
      // Said within about a second of a failure (the log's time is when the connection went; Chromium
      // itself may send a GET again once when its connection resets, before fetch fails).
      const dropped = sandbox.services.log.entries().slice(mark).filter((e) => e.fault && e.path.includes('/_apis/git/pullrequests') && Date.parse(e.time) <= seenAt);
      expect(seenAt - Math.max(...dropped.map((e) => Date.parse(e.time)))).toBeLessThan(1000);
      expect(said).toMatch(/trying again( in \d s)?…/);
      // In a polite live region, heard once (the countdown is for the eyes), with the skeleton under it; the focus stays on the tab.
      expect(await popup.$eval('#panel-prs .wait-line', (p) => p.getAttribute('aria-live'))).toBe('polite');
      expect(await textOf(popup, '#panel-prs .wait-line .sr-only')).toMatch(/^No answer from dev\.azure\.com yet: trying again( in about \d seconds)?\.$/);
      expect(await popup.$('#panel-prs [aria-busy="true"]')).not.toBeNull();
      expect(await popup.evaluate(() => document.activeElement?.id)).toBe('tab-prs');
      await screenshots(popup, 'popup-prs-waiting');

      await popup.$$eval('#panel-prs .wait-line button', (bs) => bs.find((b) => b.textContent === 'Stop waiting')!.click());
      const failed = await waitForText(popup, '#panel-prs [role="alert"]', 'Could not list your pull requests', 2000);
      expect(failed).toContain('Could not reach Azure DevOps at dev.azure.com');
      expect(await popup.evaluate(() => document.activeElement?.id)).toBe('tab-prs');
      await screenshots(popup, 'popup-prs-stopped-waiting');

      sandbox.services.faults.clear();
      await popup.$$eval('#panel-prs [role="alert"] button', (bs) => bs.find((b) => b.textContent === 'Try again')!.click());
      await popup.waitForSelector('#prs-created-heading .badge', { timeout: 30_000 });
      expect(await textOf(popup, '#panel-prs .wait-line')).toBe('');
      // Once listed, the line gives its room back: no empty gap above the lists.
      expect(await popup.$eval('#panel-prs .wait-line', (e) => e.getBoundingClientRect().height)).toBe(0);
      await popup.close();
    } finally {
      sandbox.services.faults.clear();
    }
  });

  it('a pull request list sent and never answered says so after a few seconds, not after the 30 s timeout; Stop waiting names how long it waited', async () => {
    // A network that swallows requests: the connection is taken and nothing comes back.
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: '^/fabrikam/[^/]+/_apis/git/pullrequests$' }, hang: true });
    try {
      const popup = await openPopup(session);
      await openTab(popup, 'prs');
      await popup.waitForSelector('#panel-prs [aria-busy="true"] > li');
      const openedAt = Date.now();
      const said = await waitForText(popup, '#panel-prs .wait-line', 'No answer from dev.azure.com yet: waiting', 15_000);
      // Told at about 5 s, while the attempt is still out (it gives up at 30 s).
      expect(Date.now() - openedAt).toBeLessThan(12_000);
      expect(said).toMatch(/^No answer from dev\.azure\.com yet: waiting (1\d|2\d) s more…/);
      expect(await textOf(popup, '#panel-prs .wait-line .sr-only')).toMatch(/^No answer from dev\.azure\.com yet: waiting about (1\d|2\d) seconds more\.$/);
      expect(await popup.$('#panel-prs [aria-busy="true"]')).not.toBeNull();
      await screenshots(popup, 'popup-prs-no-answer-yet');

      await popup.$$eval('#panel-prs .wait-line button', (bs) => bs.find((b) => b.textContent === 'Stop waiting')!.focus());
      await popup.keyboard.press('Enter');
      const failed = await waitForText(popup, '#panel-prs [role="alert"]', 'Could not list your pull requests', 2000);
      // Silence, not a failed connection, with how long it has really been waited for.
      expect(failed).toMatch(/Azure DevOps did not answer within ([5-9]|1\d) s when asked to/);
      expect(await popup.evaluate(() => document.activeElement?.id)).toBe('tab-prs');

      // Stop waiting stopped the requests too: the hung ones hold no connection for Try again to wait behind.
      sandbox.services.faults.clear();
      const retriedAt = Date.now();
      await popup.$$eval('#panel-prs [role="alert"] button', (bs) => bs.find((b) => b.textContent === 'Try again')!.click());
      await popup.waitForSelector('#prs-created-heading .badge', { timeout: 30_000 });
      expect(Date.now() - retriedAt).toBeLessThan(10_000);
      expect(await textOf(popup, '#panel-prs .wait-line')).toBe('');
      await popup.close();
    } finally {
      sandbox.services.faults.clear();
    }
  });

  it('a Work tab whose query Azure DevOps holds back (429) says how long it waits, then lists the work items and says nothing more', async () => {
    // Held back after a second, so that the skeleton is seen first without the wait's line.
    // Long enough that the checks of the wait (before the screenshots, which are slow under load) see it.
    sandbox.services.faults.add({ match: { method: 'POST', pathRegex: '/_apis/wit/wiql$' }, latencyMs: 1000, status: 429, retryAfter: 6, times: 1 });
    try {
      const popup = await openPopup(session);
      await openTab(popup, 'work');
      // The tab's own skeleton, under its wait line (not the one shown while the tab's code loads).
      await popup.waitForSelector('#panel-work .wait-line');
      await popup.waitForSelector('#panel-work [aria-busy="true"] > li');
      expect(await textOf(popup, '#panel-work .wait-line')).toBe('');
      const topBefore = await firstRowTop(popup, '#panel-work');
      await waitForText(popup, '#panel-work .wait-line', /^Azure DevOps asked us to wait: trying again in [1-6] s…/, 10_000);
      // The wait's line comes without moving the list under it.
      expect(await firstRowTop(popup, '#panel-work')).toBe(topBefore);
      expect(await textOf(popup, '#panel-work .wait-line .sr-only')).toMatch(/^Azure DevOps asked us to wait: trying again in about [1-6] seconds\.$/);
      expect(await popup.$('#panel-work [aria-busy="true"]')).not.toBeNull();
      await screenshots(popup, 'popup-work-waiting');
      await popup.waitForSelector('#work-items li', { timeout: 15_000 });
      expect(await textOf(popup, '#panel-work .wait-line')).toBe('');
      await popup.close();
    } finally {
      sandbox.services.faults.clear();
    }
  });

  it('keeps reviewer groups made on the options page', async () => {
    // New reviewer group is offered once the groups are there, not while they load: the editor it
    // opens would then not take the focus.
    const options = await session.browser.newPage();
    await options.evaluateOnNewDocument(() => {
      new MutationObserver((_, seen) => {
        if (!document.querySelector('#group-new')) return;
        seen.disconnect();
        document.documentElement.dataset.newWhileLoading = String(!!document.querySelector('#groups [aria-busy="true"]'));
      }).observe(document, { childList: true, subtree: true });
    });
    await options.goto(`chrome-extension://${session.extensionId}/src/options/index.html`, { waitUntil: 'domcontentloaded' });
    await options.setViewport({ width: 1100, height: 900 });
    await options.waitForSelector('#group-new');
    expect(await options.$eval('html', (h) => h.dataset.newWhileLoading)).toBe('false');
    // From the keyboard: the focus goes into the editor that replaces the button, and back to the button after Save.
    const focusOn = (id: string) => options.waitForFunction((i: string) => document.activeElement?.id === i, { timeout: 5000 }, id);
    await options.waitForSelector('#group-new');
    await options.focus('#group-new');
    // In the editor as soon as it is drawn, so what is typed next goes into the name.
    expect(await focusWhenDrawn(options, '#group-name', '#group-new')).toBe('#group-name');
    await options.type('#group-name', 'Web reviewers');
    await waitForOption(options, '#group-project', 'Platform');
    await options.select('#group-project', 'Platform');
    await pickPerson(options, '#group-people', 'barbara', 'Barbara Liskov');
    await pickPerson(options, '#group-people', 'margaret', 'Margaret Hamilton');
    await options.click('#group-save');
    const saved = await waitForText(options, '.group-list li[data-group="Web reviewers"]', 'Margaret Hamilton');
    expect(saved).toContain('in Platform');
    expect(saved).toContain('Barbara Liskov, Margaret Hamilton');
    await focusOn('group-new');
    await screenshots(options, 'options-reviewer-groups');
    // Escape closes a group's editor as Cancel does: nothing saved, the focus back on the group's Edit.
    const edit = '.group-list li[data-group="Web reviewers"] .row > button';
    await options.focus(edit);
    await options.keyboard.press('Enter');
    await focusOn('group-name');
    await options.type('#group-name', ' and more');
    await options.keyboard.press('Escape');
    expect(await options.$('.group-editor')).toBeNull();
    await options.waitForFunction((sel: string) => document.activeElement === document.querySelector(sel), { timeout: 5000 }, edit);
    const stored = (await options.evaluate(() => chrome.runtime.sendMessage({ type: 'groups.list' }))) as { data: { groups: { name: string }[] } };
    expect(stored.data.groups.map((g) => g.name)).toEqual(['Web reviewers']);
    // Marked the main action for that once only: going to the section later still finds New reviewer group.
    await options.waitForFunction(() => document.querySelector('#groups [data-main]')?.id === 'group-new', { timeout: 5000 });
    await options.close();
  });

  it('creates a pull request with two reviewers, and Azure DevOps records it', async () => {
    const popup = await openPopup(session);
    await openTab(popup, 'new-pr');
    await chooseRepo(popup, 'Platform');

    // A branch with no active pull request into main yet.
    const org = sandbox.store.organization('fabrikam')!;
    const platform = sandbox.store.repository(org, 'Platform')!;
    const busy = new Set(sandbox.store.pullRequestsOf(platform).filter((p) => p.status === 'active').map((p) => p.sourceRefName.replace('refs/heads/', '')));
    const branches = await popup.$$eval('#pr-source option', (o) => o.map((x) => (x as HTMLOptionElement).value));
    const source = branches.find((b) => b !== 'main' && !busy.has(b));
    expect(source).toBeDefined();
    expect(await popup.$eval('#pr-target', (s) => (s as HTMLSelectElement).value)).toBe('main');
    await popup.select('#pr-source', source!);
    const title = await popup.$eval('#pr-title', (e) => (e as HTMLInputElement).value);
    expect(title.length).toBeGreaterThan(0);
    await popup.type('#pr-description', 'Made in the popup.');

    await pickPerson(popup, '#pr-reviewer-search', 'grace', 'Grace Hopper');
    await pickPerson(popup, '#pr-reviewer-search', 'alan', 'Alan Turing');
    expect(await popup.$$eval('.reviewers .chip', (c) => c.map((x) => (x as HTMLElement).dataset.reviewer))).toEqual(['Grace Hopper', 'Alan Turing']);
    // The group made on the options page (previous test) adds its people, taken off again here.
    const [groupId] = await waitForOption(popup, 'select[aria-label="Reviewer group"]');
    await popup.select('select[aria-label="Reviewer group"]', groupId!);
    await popup.$$eval('.reviewers button', (bs) => bs.find((b) => b.textContent === 'Add group')!.click());
    await popup.waitForFunction(() => document.querySelectorAll('.reviewers .chip').length === 4);
    await popup.click('.reviewers .chip[data-reviewer="Barbara Liskov"] button');
    await popup.click('.reviewers .chip[data-reviewer="Margaret Hamilton"] button');
    await screenshots(popup, 'popup-new-pull-request', { fullPage: true });
    await popup.click('.new-pr button[type="submit"]');
    const created = await waitForText(popup, '[data-testid="pr-created"]', 'created', 30_000);
    const id = Number(/Pull request !(\d+)/.exec(created)![1]);

    const recorded = sandbox.store.pullRequest(org, id)!;
    expect(recorded).toMatchObject({
      repositoryId: platform.id,
      title,
      description: 'Made in the popup.',
      sourceRefName: `refs/heads/${source}`,
      targetRefName: 'refs/heads/main',
      status: 'active',
      isDraft: false,
      createdById: userId('ada'),
    });
    expect(recorded.reviewers.map((r) => r.id).toSorted()).toEqual([userId('grace'), userId('alan')].toSorted());
    expect(await popup.$eval('[data-testid="pr-created"] a', (a) => (a as HTMLAnchorElement).href)).toBe(
      `https://dev.azure.com/fabrikam/Platform/_git/Platform/pullrequest/${id}`,
    );
    // The form went away with the focus in it: the focus goes on to Open pull request, and after Create another to the source branch.
    const focusIn = (sel: string) => popup.waitForFunction((x: string) => document.activeElement?.matches(x), { timeout: 5000 }, sel);
    await focusIn('[data-testid="pr-created"] a');
    await popup.$$eval('[data-testid="pr-created"] button', (bs) => bs.find((b) => b.textContent === 'Create another')!.focus());
    await popup.keyboard.press('Enter');
    await focusIn('#pr-source');
    await popup.close();
  });

  it('Create pull request names what is missing, next to the field, and takes the focus there', async () => {
    const before = sandbox.store.pullRequests.size;
    const popup = await openPopup(session);
    await openTab(popup, 'new-pr');
    await popup.waitForSelector('#pr-repo');
    const problems = () => popup.$$eval('.new-pr .problem', (ps) => ps.map((p) => p.textContent).join(''));
    const create = () => popup.click('.new-pr button[type="submit"]');
    /** The focused field, and whether it is marked invalid and described by the problem. */
    const focused = () =>
      popup.evaluate(() => {
        const a = document.activeElement!;
        return { id: a.id, invalid: a.getAttribute('aria-invalid'), describedBy: a.getAttribute('aria-describedby') };
      });
    // An untouched form says nothing yet; Create says what is missing, at the field.
    expect(await problems()).toBe('');
    await create();
    // Said under the field, so that it is in view where the focus goes.
    await popup.waitForFunction(() => /Choose a repository/.test(document.querySelector('.field:has(#pr-repo) #pr-repo-problem')?.textContent ?? ''), { timeout: 5000 });
    expect(await focused()).toEqual({ id: 'pr-repo', invalid: 'true', describedBy: 'pr-repo-problem' });
    // Said in the colour of every other problem.
    const danger = await popup.evaluate(() => {
      const probe = document.body.appendChild(document.createElement('div'));
      probe.style.color = 'var(--danger)';
      const color = getComputedStyle(probe).color;
      probe.remove();
      return color;
    });
    expect(await popup.$eval('#pr-repo-problem', (p) => getComputedStyle(p).color)).toBe(danger);

    await chooseRepo(popup, 'Platform');
    expect(await problems()).toBe('');
    // The same branch twice is wrong as soon as it is chosen.
    const source = await popup.$eval('#pr-source', (s) => (s as HTMLSelectElement).value);
    await popup.select('#pr-target', source);
    await popup.waitForFunction(() => /two different branches/.test(document.querySelector('#pr-branches-problem')?.textContent ?? ''), { timeout: 5000 });
    await create();
    await popup.waitForFunction(() => document.activeElement?.id === 'pr-target', { timeout: 5000 });
    expect(await focused()).toEqual({ id: 'pr-target', invalid: 'true', describedBy: 'pr-branches-problem' });

    const other = (await popup.$$eval('#pr-target option', (o) => o.map((x) => (x as HTMLOptionElement).value))).find((b) => b !== source)!;
    await popup.select('#pr-target', other);
    await popup.$eval('#pr-title', (i) => (i as HTMLInputElement).select());
    await popup.keyboard.press('Backspace');
    await create();
    await popup.waitForFunction(() => document.activeElement?.id === 'pr-title', { timeout: 5000 });
    expect(await popup.$eval('.field:has(#pr-title) #pr-title-problem', (p) => p.textContent)).toMatch(/^Enter a title/);
    expect(await focused()).toEqual({ id: 'pr-title', invalid: 'true', describedBy: 'pr-title-problem' });
    expect(sandbox.store.pullRequests.size).toBe(before);
    await popup.close();
  });

  it('keeps a title typed while the branches load: the source branch’s title, set when they came, replaced it', async () => {
    const popup = await openPopup(session);
    // The branches come slowly, so the title is typed before them.
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: '/refs$' }, latencyMs: 2500 });
    try {
      await openTab(popup, 'new-pr');
      await popup.waitForSelector('#pr-repo');
      await popup.type('#pr-repo', 'Platform');
      await popup.waitForFunction(() => document.querySelector('#pr-repo-results [role="option"] .name')?.textContent === 'Platform');
      await popup.keyboard.press('Enter');
      await popup.type('#pr-title', 'Typed while the branches load');
      expect(await popup.$eval('#pr-source', (s) => (s as HTMLSelectElement).disabled)).toBe(true);
      await popup.waitForFunction(() => !(document.querySelector('#pr-source') as HTMLSelectElement).disabled, { timeout: 20_000 });
      expect(await popup.$eval('#pr-title', (i) => (i as HTMLInputElement).value)).toBe('Typed while the branches load');
    } finally {
      sandbox.services.faults.clear();
    }
    await popup.close();
  });

  it('another repository chosen: its branch lists wait for its own branches, never offering the last one’s meanwhile', async () => {
    const popup = await openPopup(session);
    try {
      await openTab(popup, 'new-pr');
      await chooseRepo(popup, 'Platform');
      const platform = await popup.$$eval('#pr-source option', (o) => o.map((x) => (x as HTMLOptionElement).value));
      // Each draw of the form, as it is drawn (before the next frame, when effects run): a branch
      // picked from a list that is not the chosen repository's would be overwritten when its own came.
      await popup.evaluate(() => {
        const w = window as unknown as { draws: { repo: string; enabled: boolean; options: string[] }[] };
        w.draws = [];
        new MutationObserver(() => {
          const source = document.querySelector('#pr-source') as HTMLSelectElement;
          // The field names the chosen repository once its results are closed (while typing, they are open).
          const field = document.querySelector('#pr-repo') as HTMLInputElement;
          const repo = field.getAttribute('aria-expanded') === 'true' ? '' : field.value;
          w.draws.push({ repo, enabled: !source.disabled, options: [...source.options].map((o) => o.value) });
        }).observe(document.querySelector('.new-pr')!, { subtree: true, childList: true, attributes: true, characterData: true });
      });
      await popup.$eval('#pr-repo', (i) => (i as HTMLInputElement).select());
      await chooseRepo(popup, 'fabrikam-api');
      const api = await popup.$$eval('#pr-source option', (o) => o.map((x) => (x as HTMLOptionElement).value));
      expect(api).not.toEqual(platform);
      const draws = await popup.evaluate(() => (window as unknown as { draws: { repo: string; enabled: boolean; options: string[] }[] }).draws);
      expect(draws.filter((d) => d.repo === 'fabrikam-api' && d.enabled).map((d) => d.options)).toEqual(draws.filter((d) => d.repo === 'fabrikam-api' && d.enabled).map(() => api));
    } finally {
      await popup.close();
    }
  });

  it('a pull request not created for a server failure offers Try again, which takes the focus and creates it as typed', async () => {
    sandbox.services.faults.add({ match: { method: 'POST', pathRegex: '/pullrequests$' }, status: 503 });
    const popup = await openPopup(session);
    const source = await typeNewPr(popup, 'Typed before the failure', 'Kept for Try again.');
    // From the keyboard: Create pull request, which is disabled while it creates.
    await popup.focus('.new-pr button[type="submit"]');
    await popup.keyboard.press('Enter');
    await waitForText(popup, '.new-pr [role="alert"]', 'The pull request was not created', 30_000);
    // The next step is trying again: the focus is there, not on a branch to change.
    await popup.waitForFunction(() => document.activeElement?.textContent === 'Try again', { timeout: 5000 });
    expect(await focusedIn(popup)).toEqual({ text: 'Try again', id: '', inNote: true });
    await screenshots(popup, 'popup-new-pull-request-failed', { fullPage: true });
    sandbox.services.faults.clear();
    await popup.keyboard.press('Enter');
    const created = await waitForText(popup, '[data-testid="pr-created"]', 'created', 30_000);
    const recorded = sandbox.store.pullRequest(sandbox.store.organization('fabrikam')!, Number(/Pull request !(\d+)/.exec(created)![1]))!;
    expect(recorded).toMatchObject({ title: 'Typed before the failure', description: 'Kept for Try again.', sourceRefName: `refs/heads/${source}` });
    await popup.close();
  });

  it('a pull request Create sent and never answered says so within seconds; Stop waiting says it was not created, with Try again, which creates it as typed', async () => {
    // A network that swallows the request: Azure DevOps never sees it.
    sandbox.services.faults.add({ match: { method: 'POST', pathRegex: '/pullrequests$' }, hang: true, times: 1 });
    try {
      const popup = await openPopup(session);
      const source = await typeNewPr(popup, 'Sent into silence');
      const sentAt = Date.now();
      await popup.click('.new-pr button[type="submit"]');
      const said = await waitForText(popup, '.new-pr .wait-line', 'No answer from dev.azure.com yet: waiting', 15_000);
      // Told at about 5 s, while the attempt is still out (it gives up at 30 s).
      expect(Date.now() - sentAt).toBeLessThan(12_000);
      expect(said).toMatch(/^No answer from dev\.azure\.com yet: waiting (1\d|2\d) s more…/);
      expect(await textOf(popup, '.new-pr .wait-line .sr-only')).toMatch(/^No answer from dev\.azure\.com yet: waiting about (1\d|2\d) seconds more\.$/);
      expect(await textOf(popup, '.new-pr button[type="submit"]')).toBe('Creating…');

      await popup.$$eval('.new-pr .wait-line button', (bs) => bs.find((b) => b.textContent === 'Stop waiting')!.focus());
      await popup.keyboard.press('Enter');
      const failed = await waitForText(popup, '.new-pr [role="alert"]', 'The pull request was not created', 2000);
      expect(failed).toMatch(/did not answer within ([5-9]|1\d) s/);
      await popup.waitForFunction(() => document.activeElement?.textContent === 'Try again', { timeout: 5000 });
      expect(await textOf(popup, '.new-pr .wait-line')).toBe('');
      await popup.keyboard.press('Enter');
      const created = await waitForText(popup, '[data-testid="pr-created"]', 'created', 30_000);
      const recorded = sandbox.store.pullRequest(sandbox.store.organization('fabrikam')!, Number(/Pull request !(\d+)/.exec(created)![1]))!;
      expect(recorded).toMatchObject({ title: 'Sent into silence', sourceRefName: `refs/heads/${source}` });
      // Abandoned, so that the tests below still find a branch with no pull request into main.
      recorded.status = 'abandoned';
      await popup.close();
    } finally {
      sandbox.services.faults.clear();
    }
  });

  it('a pull request the token may not create: the focus goes to Update the token, and no Try again is offered', async () => {
    sandbox.services.faults.add({ match: { method: 'POST', pathRegex: '/pullrequests$' }, status: 403 });
    const popup = await openPopup(session);
    try {
      await openTab(popup, 'new-pr');
      await chooseRepo(popup, 'Platform');
      // Other branches: asked again.
      const other = await popup.$eval('#pr-source', (s) => [...(s as HTMLSelectElement).options].map((o) => o.value).find((v) => v && v !== (s as HTMLSelectElement).value && v !== 'main')!);
      await popup.select('#pr-source', other);
      await popup.click('.new-pr button[type="submit"]');
      await waitForText(popup, '.new-pr [role="alert"]', 'The pull request was not created', 30_000);
      await popup.waitForFunction(() => document.activeElement?.textContent === 'Update the token', { timeout: 5000 });
      expect(await focusedIn(popup)).toMatchObject({ text: 'Update the token', inNote: true });
      expect(await popup.$$eval('.new-pr [role="alert"] button', (bs) => bs.map((b) => b.textContent))).toEqual(['Update the token']);
    } finally {
      sandbox.services.faults.clear();
    }
    await popup.close();
  });

  it('a description too long for Azure DevOps: says by how much, keeps it, the focus on it, and no row of buttons', async () => {
    const popup = await openPopup(session);
    await openTab(popup, 'new-pr');
    await chooseRepo(popup, 'Platform');
    await popup.select('#pr-source', freeBranch(await popup.$$eval('#pr-source option', (o) => o.map((x) => (x as HTMLOptionElement).value))));
    // A description past Azure DevOps' 4000 characters, pasted (insertText is what a paste does, and a maxlength would cut it short).
    const pasted = `${'A long release note. '.repeat(200)}${'x'.repeat(13)}`;
    await popup.focus('#pr-description');
    await popup.keyboard.sendCharacter(pasted);
    expect(pasted).toHaveLength(4213);
    await popup.click('.new-pr button[type="submit"]');
    const note = await waitForText(popup, '.new-pr [role="alert"]', 'The pull request was not created', 30_000);
    // Refused before it is sent, as Azure DevOps would (400), in words: how long, the limit, how much to cut.
    expect(note).toContain('The description is 4,213 characters; it can have at most 4,000. Shorten it by 213.');
    expect(note).not.toContain('Too big');
    expect(await popup.$eval('#pr-description', (t) => (t as HTMLTextAreaElement).value)).toBe(pasted);
    // Nothing to offer (trying again would be refused the same way): no empty row where buttons go.
    expect(await popup.$$('.new-pr [role="alert"] .actions')).toHaveLength(0);
    await popup.waitForFunction(() => document.activeElement?.id === 'pr-description', { timeout: 5000 });
    await screenshots(popup, 'popup-new-pull-request-refused', { fullPage: true });
    await popup.close();
  });

  it('branches with a pull request open already: says so, with the focus on the branches to change, and opens that pull request', async () => {
    const popup = await openPopup(session);
    const id = await createTwin(popup);
    const note = await waitForText(popup, '.new-pr [role="alert"]', 'The pull request was not created', 30_000);
    expect(note).toContain(`Pull request ${id} from this branch into that one is already open`);
    expect(note).not.toContain('TF401179');
    expect(await popup.$eval('#pr-description', (e) => (e as HTMLTextAreaElement).value)).toBe('Kept when it fails.');
    // Trying again would fail the same way: other branches are the way on.
    await popup.waitForFunction(() => document.activeElement?.id === 'pr-source', { timeout: 5000 });
    expect(await popup.$$eval('.new-pr [role="alert"] .actions > *', (bs) => bs.map((b) => b.textContent))).toEqual([`Open pull request ${id}`]);
    await screenshots(popup, 'popup-new-pull-request-exists', { fullPage: true });
    const page = `https://dev.azure.com/fabrikam/Platform/_git/Platform/pullrequest/${id}`;
    expect(await popup.$eval('.new-pr [role="alert"] a.button', (a) => (a as HTMLAnchorElement).href)).toBe(page);
    // Its page opens; this browser is not signed in to Azure DevOps' web pages, which ask to sign in on the way there.
    const reached = (url: string) => url === page || new URL(url).searchParams.get('returnUrl') === new URL(page).pathname;
    const opened = session.browser.waitForTarget((t) => t.url() !== '' && reached(t.url()), { timeout: 10_000 });
    await popup.locator(`::-p-text(Open pull request ${id})`).click();
    await (await (await opened).asPage())?.close();
    await popup.close();
  });

  it('branches with a pull request open already, which cannot be found: opens the repository’s pull requests', async () => {
    // The search by branches fails; the create's own refusal still says why.
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: '/_apis/git/repositories/[^/]+/pullrequests$' }, status: 500 });
    const popup = await openPopup(session);
    try {
      await createTwin(popup);
      const note = await waitForText(popup, '.new-pr [role="alert"]', 'The pull request was not created', 30_000);
      expect(note).toContain('A pull request from this branch into that one is already open');
    } finally {
      sandbox.services.faults.clear();
    }
    // The repository's own web URL, which leaves out a project named as the repository (as Azure DevOps does).
    const opened = session.browser.waitForTarget((t) => /^https:\/\/dev\.azure\.com\/fabrikam\/(Platform\/)?_git\/Platform\/pullrequests$/.test(t.url()), { timeout: 10_000 });
    await popup.locator('::-p-text(Open its pull requests)').click();
    await (await (await opened).asPage())?.close();
    await popup.close();
  });

  it('suggests reviewers: people who recently changed the files that differ', async () => {
    const popup = await openPopup(session);
    await openTab(popup, 'new-pr');
    await chooseRepo(popup, 'Platform');
    await popup.waitForSelector('.suggestion-list li', { timeout: 30_000 });
    const first = await popup.$eval('.suggestion-list li', (li) => ({ name: (li as HTMLElement).dataset.suggestion, text: li.textContent ?? '' }));
    expect(first.text).toMatch(/changed \S+ (just now|\d+ \w+ ago|yesterday)/);
    expect(first.name).not.toBe('Ada Lovelace');
    await popup.click('.suggestion-list li button');
    await popup.waitForSelector(`.reviewers .chip[data-reviewer="${first.name}"]`);
    await popup.close();
  });

  it('suggestions that failed say so with Try again, which asks again and shows them, the focus in the search field; branches that cannot be compared have none', async () => {
    // A branch listed in the form and deleted before it is chosen: Azure DevOps cannot compare it (404 TF401175).
    const rest = (path: string, body?: unknown) =>
      sandbox.fetch(`https://dev.azure.com/fabrikam/Platform/_apis/git/repositories/Platform/refs${path}api-version=7.1`, {
        ...(body ? { method: 'POST', body: JSON.stringify(body) } : {}),
        headers: { authorization: patAuthorization(sandbox.pats.fabrikam!), 'content-type': 'application/json' },
      });
    const main = ((await (await rest('?filter=heads/main&')).json()) as { value: { objectId: string }[] }).value[0]!.objectId;
    const zero = '0'.repeat(40);
    expect((await rest('?', [{ name: 'refs/heads/gone-soon', oldObjectId: zero, newObjectId: main }])).status).toBe(200);
    const popup = await openPopup(session);
    const suggestions = '.reviewers .suggestions';
    const line = `${suggestions} .failed-line`;
    await openTab(popup, 'new-pr');
    await chooseRepo(popup, 'Platform');
    // The branch the form starts from, which has suggestions (the test before).
    const source = await popup.$eval('#pr-source', (s) => (s as HTMLSelectElement).value);
    expect((await rest('?', [{ name: 'refs/heads/gone-soon', oldObjectId: main, newObjectId: zero }])).status).toBe(200);
    await popup.select('#pr-source', 'gone-soon');
    // Asking again would compare the same branches again: no Try again.
    await waitForText(popup, suggestions, 'No suggestions: Azure DevOps could not compare these branches.', 30_000);
    expect(await popup.$(`${suggestions} button`)).toBeNull();

    // The comparison of the branches is what the suggestions start from (Diffs - Get).
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: '/_apis/git/repositories/[^/]+/diffs/commits$' }, status: 503 });
    try {
      await popup.select('#pr-source', source);
      await waitForText(popup, line, 'Could not suggest reviewers', 30_000);
      expect(await textOf(popup, line)).toContain('(HTTP 503)');
      expect(await popup.$$eval(`${line} button`, (bs) => bs.map((b) => b.textContent))).toEqual(['Try again']);
    } finally {
      sandbox.services.faults.clear();
    }
    // From the keyboard: the line goes, the suggestions come, and the focus waits in the search field, not on the page.
    await popup.focus(`${line} button`);
    await popup.keyboard.press('Enter');
    await popup.waitForSelector('.suggestion-list li', { timeout: 30_000 });
    expect(await popup.$(line)).toBeNull();
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('pr-reviewer-search');
    // Search still works beside them.
    await pickPerson(popup, '#pr-reviewer-search', 'grace', 'Grace Hopper');
    await popup.waitForSelector('.reviewers .chip[data-reviewer="Grace Hopper"]');
    await popup.close();
  });

  it('moves the focus, when a chosen reviewer is removed, to the next reviewer, else the previous one, else the search field', async () => {
    const popup = await openPopup(session);
    await openTab(popup, 'new-pr');
    await chooseRepo(popup, 'Platform');
    await pickPerson(popup, '#pr-reviewer-search', 'grace', 'Grace Hopper');
    await pickPerson(popup, '#pr-reviewer-search', 'alan', 'Alan Turing');
    await pickPerson(popup, '#pr-reviewer-search', 'barbara', 'Barbara Liskov');
    await popup.waitForFunction(() => document.querySelectorAll('.reviewers .chip').length === 3);
    /** Removes the focused chip by keyboard; answers where the focus is then. */
    const removeFocused = async (left: number) => {
      await popup.keyboard.press('Enter');
      await popup.waitForFunction((n: number) => document.querySelectorAll('.reviewers .chip').length === n, {}, left);
      return popup.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id);
    };
    await popup.focus('.reviewers .chip[data-reviewer="Alan Turing"] button');
    expect(await removeFocused(2)).toBe('Remove Barbara Liskov');
    expect(await removeFocused(1)).toBe('Remove Grace Hopper');
    expect(await removeFocused(0)).toBe('pr-reviewer-search');
    await popup.close();
  });

  it('adds a reviewer group only on Add group: arrow keys on its list choose one, adding nobody', async () => {
    const kept = await storedKey(helper, 'worker', 'get', 'reviewerGroups');
    await storedKey(helper, 'worker', 'put', 'reviewerGroups', [
      { id: 'web', profileId: profiles.fabrikam!.id, project: 'Platform', name: 'Web', members: [member('grace')] },
      { id: 'data', profileId: profiles.fabrikam!.id, project: 'Platform', name: 'Data', members: [member('alan'), member('barbara')] },
    ]);
    const popup = await openPopup(session);
    try {
      await openTab(popup, 'new-pr');
      await chooseRepo(popup, 'Platform');
      const groups = 'select[aria-label="Reviewer group"]';
      // By name: Data first.
      expect(await waitForOption(popup, groups, 'data')).toEqual(['data', 'web']);
      const chips = () => popup.$$eval('.reviewers .chip', (c) => c.map((x) => (x as HTMLElement).dataset.reviewer));
      // A closed list's ArrowDown changes its value (and fires change) on Windows, Linux and ChromeOS.
      await popup.focus(groups);
      await popup.keyboard.press('ArrowDown');
      expect(await popup.$eval(groups, (s) => (s as HTMLSelectElement).value)).toBe('web');
      await new Promise((r) => setTimeout(r, 300));
      expect(await chips()).toEqual([]);
      await popup.keyboard.press('Tab');
      expect(await popup.evaluate(() => document.activeElement?.textContent)).toBe('Add group');
      await popup.keyboard.press('Enter');
      await popup.waitForFunction(() => document.querySelectorAll('.reviewers .chip').length === 1, { timeout: 5000 });
      expect(await chips()).toEqual(['Grace Hopper']);
    } finally {
      await storedKey(helper, 'worker', 'put', 'reviewerGroups', kept ?? []);
    }
    await popup.close();
  });

  it('moves the focus, when a suggested reviewer is added, to the next suggestion’s Add, else the previous one’s, else the search field; then says all were added', async () => {
    const popup = await openPopup(session);
    await openTab(popup, 'new-pr');
    await chooseRepo(popup, 'Platform');
    // Two people changed the file this branch changes (sandbox/seed-history.ts).
    await popup.select('#pr-source', 'feature/retry-policy');
    await popup.waitForFunction(() => document.querySelectorAll('.suggestion-list li').length === 2, { timeout: 30_000 });
    const adds = () => popup.$$eval('.suggestion-list li button', (bs) => bs.map((b) => b.getAttribute('aria-label')!));
    const focused = () => popup.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id);
    /** Adds the suggestion whose Add is `button` from the keyboard; answers where the focus is then. */
    const addFrom = async (button: string) => {
      const before = (await adds()).length;
      await popup.focus(button);
      await popup.keyboard.press('Enter');
      await popup.waitForFunction((n: number) => document.querySelectorAll('.suggestion-list li').length === n, { timeout: 5000 }, before - 1);
      return focused();
    };
    const [first, second] = await adds();
    expect(await addFrom('.suggestion-list li:first-child button')).toBe(second);
    // Taken off again, the first is suggested again: the last one's Add gives the focus to the one before it.
    await popup.click(`.reviewers .chip button[aria-label="${first!.replace('Add', 'Remove')}"]`);
    await popup.waitForFunction(() => document.querySelectorAll('.suggestion-list li').length === 2, { timeout: 5000 });
    expect(await addFrom('.suggestion-list li:last-child button')).toBe(first);
    expect(await addFrom('.suggestion-list li:last-child button')).toBe('pr-reviewer-search');
    expect(await textOf(popup, '.reviewers .suggestions')).toBe('All suggested reviewers added.');
    expect(await popup.$$eval('.reviewers .chip', (c) => c.length)).toBe(2);
    await popup.close();
  });

  it('Enter on new words in the reviewer search, before their people come, adds nobody the words before found', async () => {
    const popup = await openPopup(session);
    await openTab(popup, 'new-pr');
    await chooseRepo(popup, 'Platform');
    const options = () => popup.$$eval('#pr-reviewer-search-results [role="option"]', (o) => o.map((x) => x.querySelector('.name')!.textContent!.trim()));
    const chips = () => popup.$$eval('.reviewers .chip', (c) => c.map((x) => (x as HTMLElement).dataset.reviewer));
    await popup.type('#pr-reviewer-search', 'grace');
    await popup.waitForFunction(() => document.querySelector('#pr-reviewer-search-results [role="option"]')?.textContent?.includes('Grace Hopper'), { timeout: 15_000 });
    // The new words' answer is slow: Enter comes before it.
    sandbox.services.faults.add({ match: { method: 'POST', pathRegex: '/_apis/IdentityPicker/Identities$' }, latencyMs: 3000 });
    try {
      await popup.$eval('#pr-reviewer-search', (i) => (i as HTMLInputElement).select());
      await popup.type('#pr-reviewer-search', 'alan');
      await popup.keyboard.press('Enter');
      expect(await chips()).toEqual([]);
      // Nor is Grace offered as found for "alan": the list says it searches.
      expect(await options()).toEqual([]);
      expect(await textOf(popup, '#pr-reviewer-search-results')).toContain('Searching…');
      await popup.waitForFunction(() => document.querySelector('#pr-reviewer-search-results [role="option"]')?.textContent?.includes('Alan Turing'), { timeout: 15_000 });
      await popup.keyboard.press('Enter');
      await popup.waitForSelector('.reviewers .chip[data-reviewer="Alan Turing"]', { timeout: 5000 });
      expect(await chips()).toEqual(['Alan Turing']);
    } finally {
      sandbox.services.faults.clear();
    }
    await popup.close();
  });

  it('removes a reviewer group only once confirmed, and Keep leaves it', async () => {
    const options = await session.openExtensionPage('options');
    const row = '.group-list li[data-group="Web reviewers"]';
    await options.waitForSelector(row, { timeout: 10_000 });
    const press = async (text: string) => {
      const [button] = await options.$$(`xpath/.//li[@data-group="Web reviewers"]//button[normalize-space()="${text}"]`);
      await (button as unknown as { click(): Promise<void> }).click();
    };
    await press('Remove');
    await press('Keep');
    expect(await options.$(row)).not.toBeNull();
    await press('Remove');
    await press('Remove “Web reviewers”');
    await options.waitForFunction((sel: string) => !document.querySelector(sel), { timeout: 10_000 }, row);
    // The row went with the focused button: the focus goes to New reviewer group, not to the page.
    await options.waitForFunction(() => document.activeElement?.id === 'group-new', { timeout: 5000 });
    expect((await options.evaluate(() => chrome.runtime.sendMessage({ type: 'groups.list' }))) as unknown).toMatchObject({ ok: true, data: { groups: [] } });
    await options.close();
  });

  it('says when the reviewer groups cannot be read, rather than offering none, and Try again reads them', async () => {
    const kept = await storedKey(helper, 'worker', 'get', 'reviewerGroups');
    const store = (groups: unknown) => storedKey(helper, 'worker', 'put', 'reviewerGroups', groups);
    // A stored group the list cannot read (no project): the read fails.
    await store([{ id: 'unreadable', profileId: profiles.fabrikam!.id, project: null, name: 'Unreadable', members: [] }]);
    const popup = await openPopup(session);
    try {
      await openTab(popup, 'new-pr');
      await chooseRepo(popup, 'Platform');
      await waitForText(popup, '.reviewers .failed-line', 'Could not read your reviewer groups', 30_000);
      await store([{ id: 'web', profileId: profiles.fabrikam!.id, project: 'Platform', name: 'Web', members: [{ id: userId('grace'), displayName: 'Grace Hopper' }] }]);
      // From the keyboard: the line goes with its Try again, and the focus waits in the search field, not on the page.
      await popup.$$eval('.reviewers .failed-line button', (bs) => bs.find((b) => b.textContent === 'Try again')!.focus());
      await popup.keyboard.press('Enter');
      expect(await waitForOption(popup, 'select[aria-label="Reviewer group"]')).toEqual(['web']);
      expect(await popup.$('.reviewers .failed-line')).toBeNull();
      expect(await popup.evaluate(() => document.activeElement?.id)).toBe('pr-reviewer-search');
    } finally {
      await store(kept ?? []);
    }
    await popup.close();
  });

  it('tells words typed in the repository field that the list is still coming, and words that find nothing that they do', async () => {
    // No cached list, and a slow answer: the field is typed in before the list is there.
    await cachedList(helper, 'delete', `cache:${profiles.fabrikam!.id}:repos`);
    sandbox.services.faults.add({ match: { pathRegex: '^/fabrikam/_apis/git/repositories$' }, latencyMs: 4000, times: 1 });
    const popup = await openPopup(session);
    await openTab(popup, 'new-pr');
    await popup.waitForSelector('#pr-repo');
    await popup.type('#pr-repo', 'Platf');
    await waitForText(popup, '.new-pr .picker [role="status"]', 'The repositories are still loading');
    await popup.waitForFunction(() => document.querySelector('#pr-repo-results [role="option"] .name')?.textContent === 'Platform', { timeout: 20_000 });
    expect(await popup.$('.new-pr .picker [role="status"]')).toBeNull();
    // Enter on words that find nothing would choose nothing in silence: they are told so.
    await popup.type('#pr-repo', 'zzqx');
    expect(await waitForText(popup, '.new-pr .picker [role="status"]', 'No repository matches')).toBe('No repository matches “Platfzzqx”.');
    sandbox.services.faults.clear();
    await popup.close();
  });

  it('Options, reviewer groups: Try again after the projects could not be listed keeps the group being written', async () => {
    // No cached projects, so the section asks Azure DevOps, which fails until it is asked again.
    for (const p of Object.values(profiles)) await cachedList(helper, 'delete', `cache:${p.id}:projects`);
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: '/_apis/projects$' }, status: 503 });
    const options = await session.openExtensionPage('options');
    try {
      await options.locator('#group-new').setTimeout(15_000).click();
      await options.type('#group-name', 'Half written');
      await waitForText(options, '#groups', 'could not list projects', 30_000);
    } finally {
      sandbox.services.faults.clear();
    }
    await options.$$eval('#groups button', (bs) => bs.find((b) => b.textContent === 'Try again')!.click());
    await waitForOption(options, '#group-project', 'Platform');
    expect(await options.$eval('#group-name', (e) => (e as HTMLInputElement).value)).toBe('Half written');
    // A project is chosen, as when the list was there from the start: not an empty field.
    const chosen = await options.$eval('#group-project', (e) => ({ value: (e as HTMLSelectElement).value, first: (e as HTMLSelectElement).options[0]!.value }));
    expect(chosen.value).not.toBe('');
    expect(chosen.value).toBe(chosen.first);
    await options.close();
  });

  it('Options, reviewer groups: a people search that failed offers Try again, which searches the same words again', async () => {
    sandbox.services.faults.add({ match: { method: 'POST', pathRegex: '/_apis/IdentityPicker/Identities$' }, status: 503, times: 1 });
    const options = await session.openExtensionPage('options');
    await options.locator('#group-new').setTimeout(15_000).click();
    await options.type('#group-people', 'margaret');
    await waitForText(options, '#group-people-results', 'HTTP 503', 30_000);
    // From the keyboard: the line goes with its Try again, and the focus goes back to the search, where the people come.
    await options.$$eval('#group-people-results button', (bs) => bs.find((b) => b.textContent === 'Try again')!.focus());
    await options.keyboard.press('Enter');
    await waitForText(options, '#group-people-results', 'Margaret Hamilton', 30_000);
    expect(await options.$eval('#group-people', (e) => (e as HTMLInputElement).value)).toBe('margaret');
    expect(await options.evaluate(() => document.activeElement?.id)).toBe('group-people');
    await options.close();
  });

  it("a revoked token: the tab says so, and its button opens that profile's editor at its token field, where a new one is saved", async () => {
    const pat = sandbox.store.pats.get(sandbox.pats.fabrikam!)!;
    pat.revoked = true;
    try {
      const popup = await openPopup(session);
      await openTab(popup, 'prs');
      const note = await waitForText(popup, '[role="alert"]', 'Could not list your pull requests', 30_000);
      expect(note).toContain('rejected');
      const { data } = (await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'profiles.list' }))) as { data: { activeId: string } };
      // Not the list of profiles: the editor of the one whose token was refused, at its token field.
      const options = helper;
      await optionsMovedTo(session, options, `#profiles/${data.activeId}`, () => popup.locator('::-p-text(Update the token)').click());
      const field = `#profile-${data.activeId}-token`;
      await options.waitForFunction((id: string) => document.activeElement?.id === id, { timeout: 10_000 }, field.slice(1));
      // Asked again, Options already at that address (no hashchange comes): the token field is brought back.
      await options.evaluate(() => (document.activeElement as HTMLElement).blur());
      const second = await openPopup(session);
      await openTab(second, 'prs');
      await waitForText(second, '[role="alert"]', 'Could not list your pull requests', 30_000);
      await second.locator('::-p-text(Update the token)').click();
      await options.waitForFunction((id: string) => document.activeElement?.id === id, { timeout: 10_000 }, field.slice(1));
      if (!second.isClosed()) await second.close();
      await options.type(field, sandbox.patsByName['ada-fabrikam-only']!);
      await options.keyboard.press('Enter');
      await waitForText(options, '#profiles .note.success', 'has its new token, and Azure DevOps accepts it.');
      await popup.close();
      // The popup lists with the new token at once: the old one is still revoked.
      const again = await openPopup(session);
      await openTab(again, 'prs');
      await again.waitForSelector('#prs-created-heading', { timeout: 30_000 });
      expect(await again.$('[role="alert"]')).toBeNull();
      await again.close();
    } finally {
      pat.revoked = false;
    }
  });

  it('a pull request refused for a revoked token: the next popup has all that was typed (Update the token closes this one); once created, the form is empty', async () => {
    const popup = await openPopup(session);
    const source = await typeNewPr(popup, 'Typed before the token lapsed', 'Nothing typed is lost.');
    await popup.click('.new-pr .check input');
    const typed = { repo: 'Platform', source, title: 'Typed before the token lapsed', description: 'Nothing typed is lost.', draft: true };
    expect(await prForm(popup)).toEqual(typed);
    // The suggestions read before the token goes: refused, their line would grow under the pointer's Create.
    await popup.waitForFunction(() => !document.querySelector('.new-pr .suggestions')?.textContent?.includes('Looking at who changed'), { timeout: 20_000 });
    // The profile's token: the first one, or the one the test above put in its place.
    const tokens = [sandbox.pats.fabrikam!, sandbox.patsByName['ada-fabrikam-only']!].map((t) => sandbox.store.pats.get(t)!);
    for (const pat of tokens) pat.revoked = true;
    try {
      await popup.click('.new-pr button[type="submit"]');
      await waitForText(popup, '.new-pr [role="alert"]', 'The pull request was not created', 30_000);
      await popup.waitForFunction(() => document.activeElement?.textContent === 'Update the token', { timeout: 5000 });
    } finally {
      for (const pat of tokens) pat.revoked = false;
    }
    // The real popup closes as Options opens in a tab; the token is updated there (the test above).
    await popup.close();

    const again = await openPopup(session, { keepDrafts: true });
    await openTab(again, 'new-pr');
    // The tab's code loads on first use; the kept repository's branches come then.
    await again.waitForSelector('#pr-source:not(:disabled)', { timeout: 20_000 });
    expect(await prForm(again)).toEqual(typed);
    await again.click('.new-pr button[type="submit"]');
    const created = await waitForText(again, '[data-testid="pr-created"]', 'created', 30_000);
    const recorded = sandbox.store.pullRequest(sandbox.store.organization('fabrikam')!, Number(/Pull request !(\d+)/.exec(created)![1]))!;
    expect(recorded).toMatchObject({ title: typed.title, description: typed.description, isDraft: true, sourceRefName: `refs/heads/${source}` });
    recorded.status = 'abandoned';
    await again.close();

    // Created, nothing is kept: the next form is empty.
    const third = await openPopup(session, { keepDrafts: true });
    await openTab(third, 'new-pr');
    await third.waitForSelector('#pr-repo');
    expect(await prForm(third)).toMatchObject({ repo: '', title: '', description: '', draft: false });
    await third.close();
  });

  it('shows the chosen repository as the field’s value: words typed over it search, Escape gives the choice back, Enter takes another', async () => {
    const popup = await openPopup(session);
    await openTab(popup, 'new-pr');
    await chooseRepo(popup, 'Platform');
    const field = () => popup.$eval('#pr-repo', (i) => ({ value: (i as HTMLInputElement).value, expanded: i.getAttribute('aria-expanded') }));
    expect(await field()).toEqual({ value: 'Platform', expanded: 'false' });
    await screenshots(popup, 'popup-new-pr-chosen');
    // Typing over the name searches (Tab into a field selects its words; here, select them).
    await popup.$eval('#pr-repo', (i) => (i as HTMLInputElement).select());
    await popup.keyboard.type('fabrikam-web');
    await popup.waitForFunction(() => document.querySelector('#pr-repo-results [role="option"] .name')?.textContent === 'fabrikam-web');
    expect(await field()).toEqual({ value: 'fabrikam-web', expanded: 'true' });
    await popup.keyboard.press('Escape');
    expect(await field()).toEqual({ value: 'Platform', expanded: 'false' });
    await popup.$eval('#pr-repo', (i) => (i as HTMLInputElement).select());
    await popup.keyboard.type('fabrikam-web');
    await popup.waitForFunction(() => document.querySelector('#pr-repo-results [role="option"] .name')?.textContent === 'fabrikam-web');
    await popup.keyboard.press('Enter');
    expect(await field()).toEqual({ value: 'fabrikam-web', expanded: 'false' });
    await popup.close();
  });

  it('keeps a half-written pull request and repository while another tab is open', async () => {
    const popup = await openPopup(session);
    await openTab(popup, 'new-pr');
    await chooseRepo(popup, 'Platform');
    await popup.type('#pr-description', 'Why this change: the retry policy.');
    await openTab(popup, 'new-repo');
    await popup.waitForSelector('#new-repo-name');
    await popup.type('#new-repo-name', 'half-written');
    await openTab(popup, 'prs');
    await popup.waitForSelector('#prs-created-heading');
    await openTab(popup, 'new-pr');
    expect(await popup.$eval('#pr-description', (t) => (t as HTMLTextAreaElement).value)).toBe('Why this change: the retry policy.');
    expect(await popup.$eval('#pr-repo', (i) => (i as HTMLInputElement).value)).toBe('Platform');
    await openTab(popup, 'new-repo');
    expect(await popup.$eval('#new-repo-name', (i) => (i as HTMLInputElement).value)).toBe('half-written');
    await popup.close();
  });

  it('keeps a form nothing was typed in: its repository, then its branch, draft flag and reviewers, come back in the next popup', async () => {
    const popup = await openPopup(session);
    await openTab(popup, 'new-pr');
    await chooseRepo(popup, 'Platform');
    // A click on the page closes the popup: nothing typed, the repository was chosen all the same.
    await popup.close();
    const again = await openPopup(session, { keepDrafts: true });
    await openTab(again, 'new-pr');
    await again.waitForSelector('#pr-repo');
    expect(await again.$eval('#pr-repo', (i) => (i as HTMLInputElement).value)).toBe('Platform');
    await again.waitForSelector('#pr-source:not(:disabled)', { timeout: 20_000 });
    const branches = await again.$$eval('#pr-source option', (o) => o.map((x) => (x as HTMLOptionElement).value));
    await again.select('#pr-source', branches.findLast((b) => b !== 'main')!);
    await again.click('.new-pr .check input');
    await pickPerson(again, '#pr-reviewer-search', 'grace', 'Grace Hopper');
    await again.waitForSelector('.reviewers .chip[data-reviewer="Grace Hopper"]');
    const chosen = await prForm(again);
    expect(chosen).toMatchObject({ repo: 'Platform', description: '', draft: true });
    await again.close();
    const third = await openPopup(session, { keepDrafts: true });
    await openTab(third, 'new-pr');
    await third.waitForSelector('#pr-source:not(:disabled)', { timeout: 20_000 });
    expect(await prForm(third)).toEqual(chosen);
    expect(await third.$$eval('.reviewers .chip', (c) => c.map((x) => (x as HTMLElement).dataset.reviewer))).toEqual(['Grace Hopper']);
    await third.close();
  });

  it('keeps each repository’s draft: a pull request started on another repository leaves the first one’s, and the tab reopens on the latest', async () => {
    /** Opens the New PR tab from the repository list's actions on `name`, once its branches are there. */
    const startFromList = async (popup: Page, name: string) => {
      await openTab(popup, 'repos');
      await popup.waitForSelector('#repo-search');
      await popup.$eval('#repo-search', (i) => (i as HTMLInputElement).select());
      await popup.type('#repo-search', name);
      await waitForText(popup, '[data-testid="repo-actions"] .selected-name', name);
      await popup.$$eval('[data-testid="repo-actions"] button', (bs) => bs.find((b) => b.textContent?.trim() === 'New pull request')!.click());
      await popup.waitForFunction((n: string) => (document.querySelector('#pr-repo') as HTMLInputElement | null)?.value === n, { timeout: 20_000 }, name);
      await popup.waitForSelector('#pr-source:not(:disabled)', { timeout: 20_000 });
    };
    const popup = await openPopup(session);
    await openTab(popup, 'new-pr');
    await chooseRepo(popup, 'Platform');
    await popup.type('#pr-description', 'For Platform.');
    await startFromList(popup, 'fabrikam-web');
    expect(await descriptionIn(popup)).toBe('');
    await popup.type('#pr-description', 'For the web site.');
    await popup.close();

    const again = await openPopup(session, { keepDrafts: true });
    await openTab(again, 'new-pr');
    await again.waitForSelector('#pr-source:not(:disabled)', { timeout: 20_000 });
    expect(await again.$eval('#pr-repo', (i) => (i as HTMLInputElement).value)).toBe('fabrikam-web');
    expect(await descriptionIn(again)).toBe('For the web site.');
    await startFromList(again, 'Platform');
    expect(await descriptionIn(again)).toBe('For Platform.');
    // Chosen in the form's own field, a repository with a draft brings it; the one left keeps its own.
    await again.$eval('#pr-repo', (i) => (i as HTMLInputElement).select());
    await again.type('#pr-repo', 'fabrikam-web');
    await again.waitForFunction(() => document.querySelector('#pr-repo-results [role="option"] .name')?.textContent === 'fabrikam-web');
    await again.keyboard.press('Enter');
    await again.waitForFunction(() => (document.querySelector('#pr-description') as HTMLTextAreaElement).value === 'For the web site.', { timeout: 5000 });
    await again.$eval('#pr-repo', (i) => (i as HTMLInputElement).select());
    await again.type('#pr-repo', 'Platform');
    await again.waitForFunction(() => document.querySelector('#pr-repo-results [role="option"] .name')?.textContent === 'Platform');
    await again.keyboard.press('Enter');
    await again.waitForFunction(() => (document.querySelector('#pr-description') as HTMLTextAreaElement).value === 'For Platform.', { timeout: 5000 });
    // Moved to another repository in its own field, the form opens on Platform again from Platform's New pull request.
    await again.$eval('#pr-repo', (i) => (i as HTMLInputElement).select());
    await again.type('#pr-repo', 'fabrikam-web');
    await again.waitForFunction(() => document.querySelector('#pr-repo-results [role="option"] .name')?.textContent === 'fabrikam-web');
    await again.keyboard.press('Enter');
    await again.waitForFunction(() => (document.querySelector('#pr-description') as HTMLTextAreaElement).value === 'For the web site.', { timeout: 5000 });
    await startFromList(again, 'Platform');
    expect(await descriptionIn(again)).toBe('For Platform.');
    await again.close();
  });

  it('a profile switch that fails keeps the popup on its profile, with the reason above it', async () => {
    const popup = await openPopup(session);
    await popup.waitForSelector('#profile-switcher');
    // Removed in Options while this popup was open.
    await helper.evaluate((id) => chrome.runtime.sendMessage({ type: 'profiles.remove', id }), profiles.contoso!.id);
    await popup.select('#profile-switcher', profiles.contoso!.id);
    const note = await waitForText(popup, '[role="alert"]', 'Could not switch the profile', 15_000);
    expect(note).not.toContain('could not start');
    expect(await popup.$('#tab-repos')).not.toBeNull();
    await popup.close();
  });

  it('forgets the drafts and the remembered project of a profile removed in Options: imported again, it finds none', async () => {
    const id = profiles.fabrikam!.id;
    const popup = await openPopup(session);
    await openTab(popup, 'new-pr');
    await chooseRepo(popup, 'Platform');
    await popup.type('#pr-description', 'Written before the profile went.');
    await openTab(popup, 'new-repo');
    await popup.waitForSelector('#new-repo-name');
    await popup.type('#new-repo-name', 'written-before');
    await popup.close();
    // Kept in the extension's localStorage, which Options shares; the project is remembered on Create.
    const platform = sandbox.store.repository(sandbox.store.organization('fabrikam')!, 'Platform')!;
    const keys = [NEW_PR_DRAFT.key(id, platform.id), NEW_REPO_DRAFT.key(id), NEW_REPO_PROJECT.key(id)];
    const kept = () => helper.evaluate((ks: string[]) => ks.filter((k) => localStorage.getItem(k) !== null), keys);
    await helper.evaluate((k: string) => localStorage.setItem(k, 'a-project-id'), NEW_REPO_PROJECT.key(id));
    expect(await kept()).toEqual(keys);
    expect(await helper.evaluate((k: string) => localStorage.getItem(k), POPUP_SNAPSHOT.key)).toContain(id);
    const exported = (await helper.evaluate(() => chrome.runtime.sendMessage({ type: 'profiles.export' }))) as { data: string };

    const options = await session.openExtensionPage('options');
    const row = `.profile-list > li[data-profile="${profiles.fabrikam!.name}"]`;
    await options.waitForSelector(`${row} .row button:last-of-type`, { timeout: 10_000 });
    await options.click(`${row} .row button:last-of-type`);
    await options.click(`${row} button.danger`);
    await options.waitForFunction((sel: string) => !document.querySelector(sel), { timeout: 10_000 }, row);
    await options.close();
    // Nor does the next popup's first frame draw the last list, which showed its repositories.
    expect(await helper.evaluate((k: string) => localStorage.getItem(k), POPUP_SNAPSHOT.key)).toBeNull();
    // The same profile, by its id, back from the export.
    expect(await helper.evaluate((json: string) => chrome.runtime.sendMessage({ type: 'profiles.import', json }), exported.data)).toMatchObject({ ok: true });
    expect(await kept()).toEqual([]);
  });
});
