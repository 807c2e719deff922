import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import type { PullRequest } from '../../sandbox/store';
import { ask, launch, type Session } from './harness';
import { ContentWorld, focusedIn, sandboxSwitch, screenshot, signedInPage, waitLineIn } from './page-helpers';
import { patAuthorization } from '../../sandbox/testing';

/**
 * Reviewer helpers on the sandbox's pull request pages: the vote summary, a suggested reviewer,
 * a reviewer group and a searched person added through the REST API, recorded by the sandbox,
 * shown in the helper card at once and in the page's own Reviewers section after the reload the
 * card offers (no synthetic history events: Azure DevOps' router ignores them).
 */
const HELPER = '.adoc-pull-request-reviewers';
const LONG_GROUP = 'Platform reliability reviewers on call';

let sandbox: Sandbox;
let session: Session;
let page: Page;
let world: ContentWorld;

/**
 * Presses one section's Try again a second while `left` counts any: one at a time, as the card
 * redraws after each, and again while one still fails, as Chromium holds back an extension's
 * requests to a URL for a few seconds after its 5xx answers (www.chromium.org/throttling).
 */
const pressTryAgainWhile = (left: () => Promise<number>) =>
  expect
    .poll(
      async () => {
        const n = await left();
        if (n > 0) await world.click(HELPER, '.adoc-alert button', 'Try again');
        return n;
      },
      { timeout: 60_000, interval: 1000 },
    )
    .toBe(0);
let pr: PullRequest;
/** Whether the focus is in the card (not on the page under it). */
const focusInCard = () => world.run<boolean>(`(sel) => !!chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).activeElement`, HELPER);
const user = (alias: string) => [...sandbox.store.users.values()].find((u) => u.alias === alias)!;
const org = () => sandbox.store.organization('fabrikam')!;
/** The reviewers the sandbox has recorded for the pull request. */
const recorded = () => sandbox.store.pullRequest(org(), pr.pullRequestId)!.reviewers;
/** The names the page's own Reviewers section shows. */
const shown = (section = '.repos-overview-right-pane') => page.$$eval(`${section} .repos-reviewer .body-m`, (rows) => rows.map((r) => (r.textContent ?? '').trim()));
const nameOf = (alias: string) => user(alias).displayName;

/** Reloads the page with our card's "Refresh the page" (a real click), and waits for the new document's Reviewers section. */
async function refreshFromCard(): Promise<void> {
  const before = await page.evaluate(() => ((window as unknown as { adocDoc?: number }).adocDoc = Math.random()));
  const loaded = page.waitForNavigation({ waitUntil: 'domcontentloaded' });
  await world.click(HELPER, 'button', 'Refresh the page');
  await loaded;
  world = await ContentWorld.of(page, session.extensionId);
  expect(await page.evaluate(() => (window as unknown as { adocDoc?: number }).adocDoc)).not.toBe(before);
  await page.waitForSelector('.repos-overview-right-pane .repos-reviewer', { timeout: 15_000 });
}

const rest = (path: string, init: RequestInit = {}) =>
  sandbox.fetch(`https://dev.azure.com/fabrikam/Platform/_apis/git/repositories/Platform${path}`, {
    ...init,
    headers: { authorization: patAuthorization(sandbox.pats.fabrikam!), accept: 'application/json', 'content-type': 'application/json' },
  });

const createPage = (source: string) => `https://dev.azure.com/fabrikam/_git/Platform/pullrequestcreate?sourceRef=${source}&targetRef=main`;

/** A branch of its own for a new pull request, made with the REST API as a push would. */
async function newBranch(source: string): Promise<string> {
  const heads = (await (await rest('/refs?filter=heads/main&api-version=7.1')).json()) as { value: { name: string; objectId: string }[] };
  const tip = heads.value.find((r) => r.name === 'refs/heads/main')!.objectId;
  const made = await rest('/refs?api-version=7.1', { method: 'POST', body: JSON.stringify([{ name: `refs/heads/${source}`, oldObjectId: '0'.repeat(40), newObjectId: tip }]) });
  expect(made.status).toBe(200);
  return source;
}

/** In-app, as the page's own links go: our module state stays with the document. Answers the card once it says `says`. */
async function goInApp(href: string, says = 'Core team (2)') {
  await page.evaluate((to) => {
    const a = Object.assign(document.createElement('a'), { href: to });
    document.body.append(a);
    a.click();
    a.remove();
  }, href);
  await page.waitForFunction((to) => location.href === to, { timeout: 15_000 }, href);
  return world.waitForText(HELPER, (t) => (t[0] ?? '').includes(says), 15_000);
}

/**
 * Azure DevOps draws its right column again (as its live updates do): our card goes with it and is
 * mounted anew. Answers the new card once it says `says`.
 */
async function redrawColumn(says = 'Core team (2)') {
  await page.evaluate((sel) => {
    const pane = document.querySelector('.repos-overview-right-pane')!;
    const again = pane.cloneNode(true) as Element;
    again.querySelector(sel)?.remove();
    pane.replaceWith(again);
  }, HELPER);
  return world.waitForText(HELPER, (t) => (t[0] ?? '').includes(says), 15_000);
}

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox);
  const options = await session.openExtensionPage('options');
  expect(await ask(options, { type: 'profiles.addPat', organization: 'fabrikam', pat: sandbox.pats.fabrikam })).toMatchObject({ ok: true });
  const members = ['ken', 'margaret'].map((a) => ({ id: user(a).id, displayName: user(a).displayName }));
  expect(await ask(options, { type: 'groups.save', group: { project: 'Platform', name: 'Core team', members } })).toMatchObject({ ok: true });
  // A name as long as real ones get, for the card at 512 px.
  expect(await ask(options, { type: 'groups.save', group: { project: 'Platform', name: LONG_GROUP, members } })).toMatchObject({ ok: true });
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

// A test that fails before it clears its faults would leave them to the tests after it: one failure stays one.
afterEach(() => sandbox.services.faults.clear());

describe('Reviewer helpers', () => {
  it('summarises the votes, required reviewers first', async () => {
    const [text] = await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('no response'));
    expect(text).toContain('1 approved · 2 no response');
    // Ada is the required reviewer: listed first.
    const votes = text!.slice(text!.indexOf('no response') + 'no response'.length);
    expect(votes.indexOf('Ada Lovelace')).toBeLessThan(votes.indexOf('Alan Turing'));
  });

  it('sits right after the Reviewers section, not at the end of the column', async () => {
    await page.waitForSelector(HELPER);
    await page.waitForSelector('.repos-overview-right-pane .pr-required-reviewers-section');
    const place = await page.$eval(HELPER, (h) => ({ before: !!h.previousElementSibling?.querySelector('.pr-required-reviewers-section'), last: !h.nextElementSibling }));
    expect(place).toEqual({ before: true, last: false });
  });

  it('reads well on a page 512 px wide: nothing cut or wider than the card, a suggestion in at most three lines, group names whole, the search field wide enough for a name', async () => {
    await page.setViewport({ width: 512, height: 800 });
    try {
      await world.waitForText(HELPER, (t) => /changed \S+ .*ago/.test(t[0] ?? '') && (t[0] ?? '').includes(LONG_GROUP), 30_000);
      await screenshot(page, 'pull-request-reviewers-512-light', `${HELPER}`);
      const fit = await world.run<{ title: string; overflow: string[]; cut: string[]; lines: number[]; groups: number; unnamed: string[]; field: { width: number; room: number; placeholder: number; name: number } }>(
        `(sel, name) => {
          const root = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel));
          const card = root.querySelector('.adoc-card');
          const edge = card.getBoundingClientRect().right;
          // Its text laid out in full is wider than its box (an ellipsis hides the rest).
          const range = document.createRange();
          const cut = (e) => (range.selectNodeContents(e), range.getBoundingClientRect().width > e.getBoundingClientRect().width + 0.1);
          const groups = [...root.querySelectorAll('button[aria-label^="Add the group"]')];
          const field = root.querySelector('input[type=search]');
          const style = getComputedStyle(field);
          const pen = document.createElement('canvas').getContext('2d');
          pen.font = style.font;
          return {
            title: root.querySelector('.adoc-card h2').textContent,
            overflow: [card, ...card.querySelectorAll('h2, li, li > *'), ...groups, field].filter((e) => e.scrollWidth > e.clientWidth || e.getBoundingClientRect().right > edge + 0.5).map((e) => e.tagName + '.' + e.className),
            cut: [root.querySelector('.adoc-card h2'), ...root.querySelectorAll('[aria-label="Suggested reviewers"] li .adoc-ellipsis'), ...groups].filter(cut).map((e) => e.textContent),
            lines: [...root.querySelectorAll('[aria-label="Suggested reviewers"] li')].map((li) => Math.round(li.getBoundingClientRect().height / parseFloat(getComputedStyle(li).lineHeight))),
            groups: groups.length,
            // What a voice user says is what they see (WCAG 2.5.3): the visible text within the name.
            unnamed: groups.filter((b) => !b.getAttribute('aria-label').includes(b.textContent)).map((b) => b.textContent),
            // The room for text in the field, and what its placeholder and a name need.
            field: { width: field.getBoundingClientRect().width, room: field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight), placeholder: pen.measureText(field.placeholder).width, name: pen.measureText(name).width },
          };
        }`,
        HELPER,
        nameOf('margaret'),
      );
      expect(fit.title).toBe('Reviewer helpers');
      expect(fit.overflow).toEqual([]);
      expect(fit.cut).toEqual([]);
      expect(fit.groups).toBe(2);
      expect(fit.unnamed).toEqual([]);
      // A typical name, and the field's own words, read whole.
      expect(fit.field.width).toBeGreaterThanOrEqual(150);
      expect(fit.field.room).toBeGreaterThanOrEqual(fit.field.placeholder);
      expect(fit.field.room).toBeGreaterThanOrEqual(fit.field.name);
      expect(fit.lines.length).toBeGreaterThan(0);
      for (const lines of fit.lines) expect(lines).toBeLessThanOrEqual(3);
    } finally {
      await page.setViewport({ width: 1280, height: 800 });
    }
  });

  it('adds a suggested reviewer, shows it in its own card, and offers a real reload for the page list', async () => {
    const [text] = await world.waitForText(HELPER, (t) => /changed \S+ .*ago|Nobody else changed/.test(t[0] ?? ''), 30_000);
    expect(text).toMatch(/changed \S+ (just now|.* ago|yesterday)/);
    await screenshot(page, 'pull-request-reviewers-light', HELPER);
    const suggestion = await world.run<{ id: string; name: string } | null>(
      `(sel) => { const r = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)); const li = r.querySelector('[aria-label="Suggested reviewers"] li'); return li ? { id: li.dataset.person, name: li.querySelector('.adoc-ellipsis').textContent } : null; }`,
      HELPER,
    );
    expect(suggestion).not.toBeNull();
    // The only one: of those who changed src/lib/http-client.ts, Alan already reviews.
    expect(await world.run<number>(`(sel) => chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('[aria-label="Suggested reviewers"] li').length`, HELPER)).toBe(1);
    // The author and the current reviewers are never suggested.
    expect([pr.createdById, ...pr.reviewers.map((r) => r.id)]).not.toContain(suggestion!.id);
    // No synthetic history events: Azure DevOps' router ignores them.
    await page.evaluate(() => {
      const w = window as unknown as { adocPops: number };
      w.adocPops = 0;
      addEventListener('popstate', () => (w.adocPops += 1));
    });
    await world.click(HELPER, `[data-person="${suggestion!.id}"] button`, 'Add');
    await expect.poll(() => recorded().find((r) => r.id === suggestion!.id), { timeout: 15_000 }).toMatchObject({ isRequired: false, vote: 0 });
    const [card] = await world.waitForText(HELPER, (t) => (t[0] ?? '').includes(`Added ${suggestion!.name} as optional.`));
    // Our card lists the new reviewer with its state; the page's list does not know it yet.
    expect(card).toMatch(new RegExp(`${suggestion!.name}\\s*added\\s*No response`));
    expect(card).toContain('Azure DevOps updates its own Reviewers list when the page reloads.');
    // No longer offered as a suggestion.
    expect(await world.centre(HELPER, `[aria-label="Suggested reviewers"] [data-person="${suggestion!.id}"]`)).toBeNull();
    // They did change these files: the list is empty because they now review.
    expect(card).toContain('Everyone suggested now reviews this pull request.');
    expect(card).not.toContain('Nobody else changed');
    // Its row went with the Add button that had the focus: the focus stays in the card, not on the page.
    expect(await world.run<string | null>(`(sel) => chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).activeElement?.tagName ?? null`, HELPER)).not.toBeNull();
    expect(await page.evaluate(() => (window as unknown as { adocPops: number }).adocPops)).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(await shown()).not.toContain(suggestion!.name);
    await screenshot(page, 'pull-request-reviewers-added-light', HELPER);

    // Azure DevOps draws its right column again (its live updates do): the card mounted anew draws
    // the suggestions read before the addition, without who was added.
    await redrawColumn('Everyone suggested now reviews this pull request.');
    expect(await world.centre(HELPER, `[aria-label="Suggested reviewers"] [data-person="${suggestion!.id}"]`)).toBeNull();

    // The offered refresh reloads the page where it was scrolled to; the page's list then shows the reviewer.
    await page.setViewport({ width: 1280, height: 500 });
    const scrolled = await page.evaluate(() => {
      const region = document.querySelector('main')!;
      region.scrollTop = 120;
      return region.scrollTop;
    });
    expect(scrolled).toBeGreaterThan(0);
    await refreshFromCard();
    await expect.poll(shown, { timeout: 15_000 }).toContain(suggestion!.name);
    await expect.poll(() => page.evaluate(() => document.querySelector('main')!.scrollTop), { timeout: 5000 }).toBe(scrolled);
    expect(await page.$$eval(HELPER, (e) => e.length)).toBe(1);
    await page.setViewport({ width: 1280, height: 800 });
  });

  it('adds a reviewer group in one click, and a second click while it is added asks nothing more', async () => {
    const mark = sandbox.services.log.entries().length;
    // The first click's requests are slow, so the second comes while they run.
    sandbox.services.faults.add({ match: { method: 'PUT', pathRegex: '/reviewers/' }, latencyMs: 1500 });
    await world.click(HELPER, 'button', 'Core team (2)');
    await world.click(HELPER, 'button', 'Core team (2)');
    for (const alias of ['ken', 'margaret']) await expect.poll(() => recorded().some((r) => r.id === user(alias).id), { timeout: 15_000 }).toBe(true);
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes(`Added ${nameOf('ken')}, ${nameOf('margaret')} as optional.`));
    const writes = sandbox.services.log.entries().slice(mark).filter((e) => e.method !== 'GET' && /\/reviewers/.test(e.path));
    // One request per member of the group, not two.
    expect(writes.map((e) => e.method)).toEqual(['PUT', 'PUT']);
    sandbox.services.faults.clear();
    await refreshFromCard();
    await expect.poll(shown, { timeout: 15_000 }).toEqual(expect.arrayContaining([nameOf('ken'), nameOf('margaret')]));
  });

  it('finds anyone and adds them as required; once the page draws its column anew, still says so and offers the refresh', async () => {
    await world.type(HELPER, 'input[type=search]', 'Barbara');
    await page.keyboard.press('Enter');
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('barbara@'));
    await world.click(HELPER, `[data-person="${user('barbara').id}"] button`, 'Required');
    await expect.poll(() => recorded().find((r) => r.id === user('barbara').id), { timeout: 15_000 }).toMatchObject({ isRequired: true });
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes(`Added ${nameOf('barbara')} as required.`));
    // A second click adds nobody new; she still waits for the page's refresh.
    await world.click(HELPER, `[data-person="${user('barbara').id}"] button`, 'Required');
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes(`${nameOf('barbara')} already reviews this pull request.`));
    // Azure DevOps draws its right column again (as its live updates do): our card goes with it and
    // is mounted anew, and the new card still says what the last click did.
    await redrawColumn(`${nameOf('barbara')} already reviews this pull request.`);
    // With the same Refresh the page, which still reloads the page.
    await refreshFromCard();
    await expect.poll(() => shown('.pr-required-reviewers-section'), { timeout: 15_000 }).toContain(nameOf('barbara'));
  });

  it('on the create page, keeps the choices until the pull request exists, then adds them', async () => {
    const source = 'release/2026.08';
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequestcreate?sourceRef=${source}&targetRef=main`, { waitUntil: 'domcontentloaded' });
    await world.click(HELPER, 'button', 'Core team (2)');
    const [queued] = await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Added when you create the pull request'));
    expect(queued).toContain('Ken Thompson');
    expect(queued).toContain('Margaret Hamilton');
    await screenshot(page, 'pull-request-create-reviewers-light', HELPER);
    // Removing one from the queue leaves the focus on the next one's Remove, not on the page.
    await world.click(HELPER, 'button[aria-label="Do not add Ken Thompson"]');
    const focused = () => world.run<string | null>(`(sel) => chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).activeElement?.getAttribute('aria-label') ?? null`, HELPER);
    expect(await focused()).toBe('Do not add Margaret Hamilton');
    await world.click(HELPER, 'button[aria-label="Do not add Margaret Hamilton"]');
    expect(await world.run<string | null>(`(sel) => chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).activeElement?.getAttribute('type') ?? null`, HELPER)).toBe('search');
    await world.click(HELPER, 'button', 'Core team (2)');
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Margaret Hamilton'));
    await page.click('.repos-pr-create-form button[type=submit]');
    await page.waitForFunction(() => /\/pullrequest\/\d+$/.test(location.pathname), { timeout: 15_000 });
    const id = Number(/\/pullrequest\/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
    const created = () => sandbox.store.pullRequest(org(), id)!.reviewers.map((r) => r.id);
    await expect.poll(created, { timeout: 15_000 }).toEqual(expect.arrayContaining([user('ken').id, user('margaret').id]));
    // The new pull request's page draws its list after the reviewers were added.
    await page.reload({ waitUntil: 'domcontentloaded' });
    await expect.poll(() => shown(), { timeout: 15_000 }).toEqual(expect.arrayContaining([nameOf('ken'), nameOf('margaret')]));
  });

  it('on the create page, choices made long before Create are added: they wait from when the page went away, not from the last choice', async () => {
    const source = await newBranch('users/ada/reviewers-slow-description');
    await page.goto(createPage(source), { waitUntil: 'domcontentloaded' });
    await world.click(HELPER, 'button', 'Core team (2)');
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Added when you create the pull request'));
    // Writing the description takes a quarter of an hour: the content script's clock is moved on
    // (its world only; the page, the extension and the sandbox keep theirs).
    await world.run(`() => { const now = Date.now; Date.now = () => now() + 15 * 60_000; }`);
    await page.click('.repos-pr-create-form button[type=submit]');
    await page.waitForFunction(() => /\/pullrequest\/\d+$/.test(location.pathname), { timeout: 15_000 });
    const id = Number(/\/pullrequest\/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
    const created = () => sandbox.store.pullRequest(org(), id)!.reviewers.map((r) => r.id);
    await expect.poll(created, { timeout: 15_000 }).toEqual(expect.arrayContaining([user('ken').id, user('margaret').id]));
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes(`Added ${nameOf('ken')}, ${nameOf('margaret')} as optional.`), 15_000);
  });

  it('on the create page, shows only the choices made for its own branches: another pair of branches has none yet', async () => {
    const [first, other] = [await newBranch('users/ada/reviewers-first'), await newBranch('users/ada/reviewers-other')];
    await page.goto(createPage(first), { waitUntil: 'domcontentloaded' });
    await world.click(HELPER, 'button', 'Core team (2)');
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Added when you create the pull request'));
    const [elsewhere] = await goInApp(createPage(other));
    // They would not be added to a pull request from these branches.
    expect(elsewhere).not.toContain('Added when you create the pull request');
    expect(elsewhere).not.toContain('Do not add');
    // Back on the first pair of branches, they still wait for its pull request.
    const [back] = await goInApp(createPage(first));
    expect(back).toContain('Added when you create the pull request');
    expect(back).toContain('Ken Thompson');
  });

  it('on the create page, suggests those who changed its own branches\' files: not those of the pair whose page came before', async () => {
    const suggested = () => world.run<string[]>(`(sel) => [...chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('[aria-label="Suggested reviewers"] li')].map((li) => li.dataset.person)`, HELPER);
    // feature/retry-policy changes src/lib/http-client.ts, which others changed on main.
    await page.goto(createPage('feature/retry-policy'), { waitUntil: 'domcontentloaded' });
    await world.waitForText(HELPER, (t) => /changed \S+ .*ago/.test(t[0] ?? ''), 30_000);
    expect(await suggested()).not.toEqual([]);
    // A branch at main's tip changes nothing: nobody to suggest.
    const [fresh] = await goInApp(createPage(await newBranch('users/ada/reviewers-nothing-changed')), 'Nobody else changed these files recently.');
    expect(fresh).not.toMatch(/changed \S+ .*ago/);
    expect(await suggested()).toEqual([]);
  });

  it('on the create page, keeps the choices that could not be added once the pull request exists, in every card the page mounts until removed or added, and adds them again', async () => {
    const source = await newBranch('users/ada/reviewers-again');
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequestcreate?sourceRef=${source}&targetRef=main`, { waitUntil: 'domcontentloaded' });
    await world.click(HELPER, 'button', 'Core team (2)');
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Added when you create the pull request'));
    // Azure DevOps fails the first attempt to add them.
    sandbox.services.faults.add({ match: { method: 'PUT', pathRegex: '/reviewers/' }, status: 500 });
    try {
      await page.click('.repos-pr-create-form button[type=submit]');
      await page.waitForFunction(() => /\/pullrequest\/\d+$/.test(location.pathname), { timeout: 15_000 });
      const id = Number(/\/pullrequest\/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
      const [left] = await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('not added yet'), 20_000);
      expect(left).toContain('Ken Thompson');
      expect(left).toContain('Margaret Hamilton');
      expect(sandbox.store.pullRequest(org(), id)!.reviewers.map((r) => r.id)).not.toContain(user('ken').id);
      // The card that failed to add them goes with the column; the new one still offers them.
      // (Drawn in full, its votes too: a click does not land on a row moved meanwhile.)
      const [again] = await redrawColumn('No reviewers yet');
      expect(again).toContain('not added yet');
      expect(again).toContain('Ken Thompson');
      expect(again).toContain('Margaret Hamilton');
      // Not wanted after all: removed, and no card offers her again.
      await world.click(HELPER, 'button[aria-label="Do not add Margaret Hamilton"]');
      const [removed] = await redrawColumn('No reviewers yet');
      expect(removed).toContain('not added yet');
      expect(removed).toContain('Ken Thompson');
      expect(removed).not.toContain('Margaret Hamilton');
      sandbox.services.faults.clear();
      await world.click(HELPER, 'button', 'Add them again');
      const created = () => sandbox.store.pullRequest(org(), id)!.reviewers.map((r) => r.id);
      await expect.poll(created, { timeout: 15_000 }).toContain(user('ken').id);
      await world.waitForText(HELPER, (t) => !(t[0] ?? '').includes('not added yet'));
      expect(created()).not.toContain(user('margaret').id);
      // Add them again went with the list: the focus stays in the card.
      expect(await focusInCard()).toBe(true);
    } finally {
      sandbox.services.faults.clear();
    }
  });

  it('on the create page, a card the page mounts while the choices are added to the new pull request shows how that went: added, they are no longer offered', async () => {
    const source = await newBranch('users/ada/reviewers-redrawn');
    await page.goto(createPage(source), { waitUntil: 'domcontentloaded' });
    await world.click(HELPER, 'button', 'Core team (2)');
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Added when you create the pull request'));
    // Adding them is slow: the column is drawn anew meanwhile.
    sandbox.services.faults.add({ match: { method: 'PUT', pathRegex: '/reviewers/' }, latencyMs: 5000 });
    try {
      await page.click('.repos-pr-create-form button[type=submit]');
      await page.waitForFunction(() => /\/pullrequest\/\d+$/.test(location.pathname), { timeout: 15_000 });
      const id = Number(/\/pullrequest\/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
      await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Adding…'), 15_000);
      // The new card knows them while the card that adds them is gone: not added yet.
      const [during] = await redrawColumn();
      expect(during).toContain('not added yet');
      const created = () => sandbox.store.pullRequest(org(), id)!.reviewers.map((r) => r.id);
      await expect.poll(created, { timeout: 20_000 }).toEqual(expect.arrayContaining([user('ken').id, user('margaret').id]));
      await world.waitForText(HELPER, (t) => !(t[0] ?? '').includes('not added yet'), 10_000);
    } finally {
      sandbox.services.faults.clear();
    }
  });

  it('on the create page, choices a click on the new pull request is already adding are not listed as not added', async () => {
    const source = await newBranch('users/ada/reviewers-clicked');
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequestcreate?sourceRef=${source}&targetRef=main`, { waitUntil: 'domcontentloaded' });
    await world.click(HELPER, 'button', 'Core team (2)');
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Added when you create the pull request'));
    // Reading the new pull request is slow, so the click below starts adding the group before the queue is added.
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: '/_apis/git/pullrequests/\\d+$' }, latencyMs: 2500 });
    sandbox.services.faults.add({ match: { method: 'PUT', pathRegex: '/reviewers/' }, latencyMs: 1500 });
    try {
      await page.click('.repos-pr-create-form button[type=submit]');
      await page.waitForFunction(() => /\/pullrequest\/\d+$/.test(location.pathname), { timeout: 15_000 });
      const id = Number(/\/pullrequest\/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
      await world.click(HELPER, 'button', 'Core team (2)');
      const created = () => sandbox.store.pullRequest(org(), id)!.reviewers.map((r) => r.id);
      await expect.poll(created, { timeout: 20_000 }).toEqual(expect.arrayContaining([user('ken').id, user('margaret').id]));
      await world.waitForText(HELPER, (t) => (t[0] ?? '').includes(`Added ${nameOf('ken')}, ${nameOf('margaret')} as optional.`), 20_000);
      // Judged once the queue has been through: after the slow read of the new pull request it waits for.
      const read = new RegExp(`/_apis/git/pullrequests/${id}(\\?|$)`);
      await expect.poll(() => sandbox.services.log.entries().some((e) => e.method === 'GET' && read.test(e.path)), { timeout: 20_000 }).toBe(true);
      await new Promise((r) => setTimeout(r, 1000));
      const [done] = await world.texts(HELPER);
      expect(done).toContain(`Added ${nameOf('ken')}, ${nameOf('margaret')} as optional.`);
      expect(done).not.toContain('not added yet');
      expect(done).not.toContain('Add them again');
    } finally {
      sandbox.services.faults.clear();
    }
  });

  it('on the create page, choices a click on the new pull request failed to add are listed as not added', async () => {
    const source = await newBranch('users/ada/reviewers-click-failed');
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequestcreate?sourceRef=${source}&targetRef=main`, { waitUntil: 'domcontentloaded' });
    await world.click(HELPER, 'button', 'Core team (2)');
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Added when you create the pull request'));
    // As above, the click starts adding the group before the queue does; here that click fails.
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: '/_apis/git/pullrequests/\\d+$' }, latencyMs: 2500 });
    sandbox.services.faults.add({ match: { method: 'PUT', pathRegex: '/reviewers/' }, latencyMs: 1500, status: 500 });
    try {
      await page.click('.repos-pr-create-form button[type=submit]');
      await page.waitForFunction(() => /\/pullrequest\/\d+$/.test(location.pathname), { timeout: 15_000 });
      await world.click(HELPER, 'button', 'Core team (2)');
      const [left] = await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('not added yet'), 20_000);
      expect(left).toContain('Ken Thompson');
      expect(left).toContain('Margaret Hamilton');
      sandbox.services.faults.clear();
      await world.click(HELPER, 'button', 'Add them again');
      const id = Number(/\/pullrequest\/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
      await expect.poll(() => sandbox.store.pullRequest(org(), id)!.reviewers.map((r) => r.id), { timeout: 15_000 }).toEqual(expect.arrayContaining([user('ken').id, user('margaret').id]));
    } finally {
      sandbox.services.faults.clear();
    }
  });

  it('on the new pull request, choices not added yet that someone else added are no longer offered; the others wait while no page of it shows them, for ten minutes', async () => {
    const source = await newBranch('users/ada/reviewers-added-elsewhere');
    await page.goto(createPage(source), { waitUntil: 'domcontentloaded' });
    await world.click(HELPER, 'button', 'Core team (2)');
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Added when you create the pull request'));
    sandbox.services.faults.add({ match: { method: 'PUT', pathRegex: '/reviewers/' }, status: 500 });
    const offered = (name: string) => world.centre(HELPER, `button[aria-label="Do not add ${name}"]`).then((at) => at !== null);
    const [ken, margaret] = [nameOf('ken'), nameOf('margaret')];
    try {
      await page.click('.repos-pr-create-form button[type=submit]');
      await page.waitForFunction(() => /\/pullrequest\/\d+$/.test(location.pathname), { timeout: 15_000 });
      const here = page.url();
      const id = Number(/\/pullrequest\/(\d+)$/.exec(new URL(here).pathname)![1]);
      await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('not added yet'), 20_000);
      sandbox.services.faults.clear();
      // Someone adds Ken in Azure DevOps: the next card reads him among the reviewers.
      const put = await rest(`/pullRequests/${id}/reviewers/${user('ken').id}?api-version=7.1`, { method: 'PUT', body: JSON.stringify({ vote: 0 }) });
      expect(put.status).toBe(200);
      const [read] = await redrawColumn('1 no response');
      expect(read).toContain('not added yet');
      expect(await offered(ken)).toBe(false);
      expect(await offered(margaret)).toBe(true);

      // The content script's clock is moved on (its world only), while another pull request's page is shown.
      const later = (minutes: number) => world.run(`(m) => { globalThis.adocNow ??= Date.now; Date.now = () => globalThis.adocNow() + m * 60_000; }`, minutes);
      const elsewhere = `https://dev.azure.com/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`;
      try {
        await goInApp(elsewhere);
        await later(5);
        const [back] = await goInApp(here, '1 no response');
        expect(back).toContain('not added yet');
        expect(await offered(margaret)).toBe(true);
        await goInApp(elsewhere);
        // Last shown five minutes in: away from then for more than ten minutes, they go.
        await later(16);
        const [gone] = await goInApp(here, '1 no response');
        expect(gone).not.toContain('not added yet');
        expect(await offered(margaret)).toBe(false);
      } finally {
        await world.run(`() => { if (globalThis.adocNow) Date.now = globalThis.adocNow; }`);
      }
    } finally {
      sandbox.services.faults.clear();
    }
  });

  it('a card the page mounts while an addition runs says how it went when it ends, and draws who was added', async () => {
    const source = await newBranch('users/ada/reviewers-told-later');
    const made = await rest('/pullrequests?api-version=7.1', { method: 'POST', body: JSON.stringify({ sourceRefName: `refs/heads/${source}`, targetRefName: 'refs/heads/main', title: 'Tell every card' }) });
    expect(made.status).toBe(201);
    const { pullRequestId } = (await made.json()) as { pullRequestId: number };
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequest/${pullRequestId}`, { waitUntil: 'domcontentloaded' });
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('No reviewers yet') && (t[0] ?? '').includes('Core team (2)'), 30_000);
    // Adding them is slow: the column is drawn anew meanwhile.
    sandbox.services.faults.add({ match: { method: 'PUT', pathRegex: '/reviewers/' }, latencyMs: 5000 });
    try {
      await world.click(HELPER, 'button', 'Core team (2)');
      await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Adding…'), 10_000);
      const [during] = await redrawColumn('No reviewers yet');
      expect(during).toContain('Adding…');
      const said = `Added ${nameOf('ken')}, ${nameOf('margaret')} as optional.`;
      const [after] = await world.waitForText(HELPER, (t) => (t[0] ?? '').includes(said), 20_000);
      expect(after).toMatch(new RegExp(`${nameOf('ken')}\\s*added`));
      expect(after).toContain('2 no response');
      expect(after).toContain('Azure DevOps updates its own Reviewers list when the page reloads.');
    } finally {
      sandbox.services.faults.clear();
    }
  });

  it('a group of three, one of them refused: the card says who was added and who was not, and a click on the group adds that one', async () => {
    const source = await newBranch('users/ada/reviewers-one-refused');
    const made = await rest('/pullrequests?api-version=7.1', { method: 'POST', body: JSON.stringify({ sourceRefName: `refs/heads/${source}`, targetRefName: 'refs/heads/main', title: 'One reviewer refused' }) });
    expect(made.status).toBe(201);
    const { pullRequestId } = (await made.json()) as { pullRequestId: number };
    const reviewers = () => sandbox.store.pullRequest(org(), pullRequestId)!.reviewers.map((r) => r.id);
    const trio = ['ken', 'margaret', 'donald'];
    const options = await session.openExtensionPage('options');
    const saved = (await ask(options, { type: 'groups.save', group: { project: 'Platform', name: 'Trio', members: trio.map((a) => ({ id: user(a).id, displayName: nameOf(a) })) } })) as { ok: boolean; data: { id: string } };
    expect(saved.ok).toBe(true);
    try {
      await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequest/${pullRequestId}`, { waitUntil: 'domcontentloaded' });
      world = await ContentWorld.of(page, session.extensionId);
      await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('No reviewers yet') && (t[0] ?? '').includes('Trio (3)'), 30_000);
      // The second one's PUT is refused, once.
      sandbox.services.faults.add({ match: { method: 'PUT', pathRegex: `/reviewers/${user('margaret').id}$` }, status: 403, times: 1 });
      await world.click(HELPER, 'button', 'Trio (3)');
      const [after] = await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Not added:'), 20_000);
      expect(reviewers().toSorted()).toEqual([user('ken').id, user('donald').id].toSorted());
      expect(after).toContain(`Added ${nameOf('ken')}, ${nameOf('donald')} as optional. Not added: ${nameOf('margaret')}.`);
      expect(after).toMatch(new RegExp(`${nameOf('ken')}\\s*added`));
      expect(after).toMatch(new RegExp(`${nameOf('donald')}\\s*added`));
      expect(after).toContain('2 no response');
      // The group again: only the one not added is.
      await world.click(HELPER, 'button', 'Trio (3)');
      await world.waitForText(HELPER, (t) => (t[0] ?? '').includes(`Added ${nameOf('margaret')} as optional. ${nameOf('ken')}, ${nameOf('donald')} already review this pull request.`), 20_000);
      expect(reviewers().toSorted()).toEqual(trio.map((a) => user(a).id).toSorted());
    } finally {
      sandbox.services.faults.clear();
      expect(await ask(options, { type: 'groups.remove', id: saved.data.id })).toMatchObject({ ok: true });
      await options.close();
    }
  });

  it('is reachable from every tab: a "Reviewers…" entry beside the header actions opens the card', async () => {
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}?_a=files`, { waitUntil: 'domcontentloaded' });
    const actions = '.repos-pr-header .bolt-header-commandbar-button-group';
    await page.waitForSelector(`.repos-pr-header > .bolt-header-commandbar ~ ${HELPER}`, { timeout: 10_000 });
    // Azure DevOps' own actions keep their items: vote, complete, ⋮.
    expect(await page.$$eval(`${actions} > *`, (kids) => kids.map((k) => k.className.split(' ')[0]))).toEqual(['repos-pr-header-vote-button', 'repos-pr-header-complete-button', 'bolt-header-command-item-button']);
    await world.click(HELPER, 'button', 'Reviewers…');
    await world.waitForText('.adoc-popover', (t) => (t[0] ?? '').includes('Core team (2)'));
    // Styled by the sheet the content script shares with the panels (which do not carry it): a 440 px callout with its shadow, like the page's.
    const look = await world.run<string>(`() => { const s = getComputedStyle(chrome.dom.openOrClosedShadowRoot(document.querySelector('.adoc-popover')).querySelector('.adoc-panel')); return s.width + ' ' + s.boxShadow; }`);
    expect(look).toBe('440px rgba(0, 0, 0, 0.3) 0px 6px 24px 0px');
    await screenshot(page, 'pull-request-reviewers-entry-light');
    await page.keyboard.press('Escape');
  });

  it('someone added while the votes are still read stays shown as added: the read asked earlier does not draw over it', async () => {
    // The card's two reads of the pull request (its votes and its suggestions) are answered 503 with
    // Retry-After, so they are sent again 20 s later (time enough to add someone on a loaded machine;
    // added after them, the reads would not race it); the addition's reads are not held.
    // Once the page's earlier card has asked all it asks: a read of its own arriving later would take one of the two.
    for (let seen = -1; seen !== sandbox.services.log.entries().length; ) {
      seen = sandbox.services.log.entries().length;
      await new Promise((r) => setTimeout(r, 1500));
    }
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: `/_apis/git/pullrequests/${pr.pullRequestId}$` }, status: 503, retryAfter: 20, times: 2 });
    const mark = sandbox.services.log.entries().length;
    try {
      await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`, { waitUntil: 'domcontentloaded' });
      world = await ContentWorld.of(page, session.extensionId);
      const alias = ['grace', 'edsger', 'donald'].find((a) => user(a).id !== pr.createdById && !recorded().some((r) => r.id === user(a).id))!;
      const name = nameOf(alias);
      await world.type(HELPER, 'input[type=search]', name.split(' ')[0]!);
      await page.keyboard.press('Enter');
      await world.click(HELPER, `[data-person="${user(alias).id}"] button`, 'Required');
      const added = new RegExp(`${name}\\s*added`);
      await world.waitForText(HELPER, (t) => added.test(t[0] ?? ''), 15_000);
      // Both reads sent again answered after the addition: with its own read after it, three reads of the pull request (at least) end after its PUT.
      const since = () => sandbox.services.log.entries().slice(mark);
      const put = since().find((e) => e.method === 'PUT' && e.path.includes('/reviewers/'))!;
      const readsAfter = () => since().filter((e) => e.method === 'GET' && !e.fault && e.time > put.time && new RegExp(`/pullrequests/${pr.pullRequestId}\\?`).test(e.path)).length;
      await expect.poll(readsAfter, { timeout: 45_000 }).toBeGreaterThanOrEqual(3);
      await new Promise((r) => setTimeout(r, 1000));
      const [card] = await world.texts(HELPER);
      expect(card).toContain(`Added ${name} as required.`);
      expect(card).toMatch(added);
    } finally {
      sandbox.services.faults.clear();
    }
  });

  it('a section that could not load says why, with its own Try again that loads it', async () => {
    // The votes and the suggestions both read the pull request; the page draws itself without that call.
    sandbox.services.faults.add({ match: { pathRegex: `/_apis/git/pullrequests/${pr.pullRequestId}$` }, status: 503 });
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`, { waitUntil: 'domcontentloaded' });
    world = await ContentWorld.of(page, session.extensionId);
    const retries = () => world.run<number>(`(sel) => [...chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('.adoc-alert button')].filter((b) => b.textContent === 'Try again').length`, HELPER);
    await expect.poll(retries, { timeout: 60_000 }).toBe(2);
    const [failed] = await world.texts(HELPER);
    expect(failed).toContain('could not read pull request');
    expect(failed).not.toContain('no response');
    sandbox.services.faults.clear();
    // From the keyboard: Try again goes with its failure; the focus stays in the card while the section loads, and after.
    await world.run(`(sel) => [...chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('.adoc-alert button')].find((b) => b.textContent === 'Try again').focus()`, HELPER);
    await page.keyboard.press('Enter');
    expect(await focusInCard()).toBe(true);
    await world.waitForText(HELPER, (t) => !(t[0] ?? '').includes('Loading…'), 30_000);
    expect(await focusInCard()).toBe(true);
    await pressTryAgainWhile(retries);
    const [loaded] = await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('no response') && /changed \S+ .*ago|Nobody else changed/.test(t[0] ?? ''), 30_000);
    expect(loaded).not.toContain('could not read pull request');
    expect(await retries()).toBe(0);
  }, 180_000);

  it('a section Azure DevOps refuses (a token without access) offers Update the token beside its Try again', async () => {
    sandbox.services.faults.add({ match: { pathRegex: `/_apis/git/pullrequests/${pr.pullRequestId}$` }, status: 403 });
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`, { waitUntil: 'domcontentloaded' });
    world = await ContentWorld.of(page, session.extensionId);
    const fixes = () => world.run<number>(`(sel) => [...chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('.adoc-alert button')].filter((b) => b.textContent === 'Update the token').length`, HELPER);
    try {
      await expect.poll(fixes, { timeout: 60_000 }).toBe(2);
    } finally {
      sandbox.services.faults.clear();
    }
    await pressTryAgainWhile(fixes);
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('no response'), 30_000);
  }, 120_000);

  it('looks like the page in the dark theme too', async () => {
    await sandboxSwitch(page, 'theme', 'dark', `/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`);
    await world.waitForText(HELPER, (t) => /Core team/.test(t[0] ?? ''), 30_000);
    await screenshot(page, 'pull-request-reviewers-dark', HELPER);
    await sandboxSwitch(page, 'theme', 'light', `/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`);
  });

  // Last: the organization stays held for the rest of the Retry-After, which the tests above would wait out.
  it('says why it waits when Azure DevOps holds it back (429), with Stop waiting, which shows the failure and its Try again at once', async () => {
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: `/_apis/git/pullrequests/${pr.pullRequestId}$` }, status: 429, retryAfter: 20, times: 1 });
    try {
      await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`, { waitUntil: 'domcontentloaded' });
      world = await ContentWorld.of(page, session.extensionId);
      const lineOf = () => waitLineIn(world, HELPER);
      // Within a couple of seconds of the 429: most of its 20 seconds are still to come.
      await expect.poll(lineOf, { timeout: 20_000, interval: 200 }).not.toBeNull();
      const said = (await lineOf())!;
      expect(said.seen).toMatch(/^Azure DevOps asked us to wait: trying again in (1[7-9]|20) s…$/);
      expect(said.heard).toMatch(/^Azure DevOps asked us to wait: trying again in about (1[7-9]|20) seconds\.$/);
      await screenshot(page, 'pull-request-reviewers-waiting-light', HELPER);

      await world.click(HELPER, 'button', 'Stop waiting');
      // At once, not after the 20 seconds: what waited says why it failed, each with its Try again.
      const [failed] = await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Azure DevOps is limiting'), 2000);
      expect(failed).not.toContain('asked us to wait');
      expect(Number(/Try again in about (\d+) seconds\./.exec(failed!)?.[1])).toBeLessThanOrEqual(20);
      // The Stop waiting button went with the line: the focus is on the first failure's Try again, not lost to the page.
      await expect.poll(() => focusedIn(world, HELPER), { timeout: 2000 }).toBe('Try again');

      // Try again while the organization is still held: the wait is said again, then what waited comes.
      await page.keyboard.press('Enter');
      await expect.poll(lineOf, { timeout: 5000, interval: 200 }).not.toBeNull();
      // Another section that waited too (it asked after the 429) has its own Try again.
      const retries = () => world.run<number>(`(sel) => [...chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('.adoc-alert button')].filter((b) => b.textContent === 'Try again').length`, HELPER);
      if ((await retries()) > 0) await world.click(HELPER, '.adoc-alert button', 'Try again');
      const [loaded] = await world.waitForText(HELPER, (t) => !(t[0] ?? '').includes('asked us to wait') && !(t[0] ?? '').includes('Loading…'), 30_000);
      expect(loaded).not.toContain('Azure DevOps is limiting');
    } finally {
      sandbox.services.faults.clear();
    }
  }, 90_000);

  // After the one above: its hold is over (what waited came), and this one's holds the organization in turn.
  it('the people search says its wait under the field, a new search ends the one waiting, and Stop waiting leaves the focus on its Try again', async () => {
    const SEARCH = '/_apis/IdentityPicker/Identities';
    const searches = () => sandbox.services.log.entries().filter((e) => e.method === 'POST' && e.path.startsWith(`/fabrikam${SEARCH}`)).length;
    await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Core team (2)'), 30_000);
    const lineOf = () => waitLineIn(world, HELPER);
    /** The field's place in the card, and the wait line's top in it (null without one). */
    const places = () =>
      world.run<{ field: { top: number; bottom: number; left: number; width: number }; line: number | null }>(
        `(sel) => {
          const root = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel));
          const card = root.querySelector('.adoc-card').getBoundingClientRect();
          const f = root.querySelector('input[type=search]').getBoundingClientRect();
          const line = [...root.querySelectorAll('p[role=status]')].find((e) => e.querySelector('button'));
          return { field: { top: f.top - card.top, bottom: f.bottom - card.top, left: f.left - card.left, width: f.width }, line: line ? line.getBoundingClientRect().top - card.top : null };
        }`,
        HELPER,
      );
    // The card's other asks settled first: finding the suggestions' authors asks the same route
    // (more than once after a page load), and a lookup held by the search's 429 would be counted
    // as a search once the hold is over.
    for (let seen = -1; seen !== searches(); ) {
      seen = searches();
      await new Promise((r) => setTimeout(r, 3000));
    }
    sandbox.services.faults.add({ match: { method: 'POST', pathRegex: SEARCH }, status: 429, retryAfter: 20, times: 1 });
    try {
      const before = searches();
      await world.type(HELPER, 'input[type=search]', 'Barb');
      const field = (await places()).field;
      await page.keyboard.press('Enter');
      await expect.poll(lineOf, { timeout: 10_000, interval: 200 }).not.toBeNull();
      const said = (await lineOf())!;
      expect(said.seen).toMatch(/^Azure DevOps asked us to wait: trying again in (1[6-9]|20) s…$/);
      expect(said.heard).toMatch(/^Azure DevOps asked us to wait: trying again in about (1[6-9]|20) seconds\.$/);
      // Under the field, which stays where the typing is.
      const now = await places();
      expect(now.field).toEqual(field);
      expect(now.line).toBeGreaterThanOrEqual(field.bottom);
      expect(searches() - before).toBe(1);
      await screenshot(page, 'pull-request-reviewers-search-waiting-light', HELPER);

      // A new search while the first waits: the first ends, its request too (it is not sent again once the hold is over).
      await world.type(HELPER, 'input[type=search]', 'Barbara');
      await page.keyboard.press('Enter');
      await expect.poll(lineOf, { timeout: 5000, interval: 200 }).not.toBeNull();
      expect((await places()).field).toEqual(field);

      await world.click(HELPER, 'button', 'Stop waiting');
      const [failed] = await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Azure DevOps is limiting'), 2000);
      expect(failed).not.toContain('asked us to wait');
      expect(await lineOf()).toBeNull();
      // Its line went with the Stop waiting button: the focus is on the search's own Try again.
      const focused = () =>
        world.run<string | null>(`(sel) => { const at = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).activeElement; return at && at.closest('[aria-label="People found"]') ? at.textContent : null; }`, HELPER);
      await expect.poll(focused, { timeout: 2000 }).toBe('Try again');

      // Try again while the organization is still held: the wait is said again, then the people come.
      await page.keyboard.press('Enter');
      await expect.poll(lineOf, { timeout: 5000, interval: 200 }).not.toBeNull();
      await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('barbara@'), 30_000);
      expect(await lineOf()).toBeNull();
      // Its Try again went with the failure: the focus is on the first person found.
      expect(await focused()).toBe('Optional');
      // The first search and the stopped one were never sent again: the 429 and the last one only.
      await new Promise((r) => setTimeout(r, 2000));
      expect(searches() - before).toBe(2);
    } finally {
      sandbox.services.faults.clear();
    }
  }, 90_000);
});
