import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { patAuthorization } from '../../sandbox/testing';
import { askWithProgress, launchConnected, privateHome, type Session } from './harness';
import { clickLink, ContentWorld, panelSaysItsWait, sandboxSwitch, screenshot, signedInPage } from './page-helpers';

/**
 * Forks as remotes on the sandbox's pages, with the real companion: a fork of the repository is
 * added as a remote of the local clone and fetched; "Fork and clone" creates a fork in another
 * project and clones it with `upstream` pointing at the original.
 */
const run = promisify(execFile);
const FORKS = '.adoc-forks-as-remotes';
const POPOVER = '.adoc-popover';

let sandbox: Sandbox;
let session: Session;
let home: Awaited<ReturnType<typeof privateHome>>;
let cloneRoot: string;
let page: Page;
let world: ContentWorld;

/** `git remote -v` as {name: fetch URL}. Asynchronous: the sandbox serves git from this process. */
async function remotes(path: string): Promise<Record<string, string>> {
  const { stdout } = await run('git', ['-C', path, 'remote', '-v']);
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const [name, url, kind] = line.split(/\s+/);
    if (name && url && kind === '(fetch)') out[name] = url;
  }
  return out;
}

/**
 * How legible the panel's buttons are when disabled (a row's Add, and the primary Fork and clone):
 * the contrast ratio of their words, as drawn (alpha and opacity composed over the panel), against
 * the button's own background and against the panel's. Each is disabled for the measure, then put back.
 */
const disabledContrast = () =>
  world.run<Record<string, { button: number; panel: number }>>(
    `(sel) => {
      const root = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel));
      const rgba = (c) => { const [r, g, b, a = 1] = c.match(/[\\d.]+/g).map(Number); return [r, g, b, a]; };
      const over = (fg, bg) => [0, 1, 2].map((i) => fg[i] * fg[3] + bg[i] * (1 - fg[3]));
      const lum = (c) => c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
      const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
      const panel = rgba(getComputedStyle(root.querySelector('.adoc-panel')).backgroundColor);
      const out = {};
      for (const b of [root.querySelector('li button'), [...root.querySelectorAll('button.primary')].find((x) => x.textContent === 'Fork and clone')]) {
        const was = b.disabled;
        b.disabled = true;
        const s = getComputedStyle(b);
        const opacity = Number(s.opacity);
        const background = over(rgba(s.backgroundColor), panel);
        const text = over(rgba(s.color), background);
        const seen = (c) => over([...c, opacity], panel);
        out[b.textContent] = { button: ratio(seen(text), seen(background)), panel: ratio(seen(text), panel) };
        b.disabled = was;
      }
      return out;
    }`,
    POPOVER,
  );

/**
 * Where the focus is in the panel: the row it is in (named as shown) or `fork` (Fork and clone's
 * part), what has it (`row`, `panel`, or a control's label), and its focus ring (style, width, and
 * its contrast with the panel's background).
 */
const focusAt = () =>
  world.run<{ row: string | null; what: string; ring: string; contrast: number } | null>(
    `(sel) => {
      const root = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel));
      const at = root.activeElement;
      if (!at) return null;
      const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
      const lum = (c) => c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
      const s = getComputedStyle(at);
      const [x, y] = [lum(rgb(s.outlineColor)), lum(rgb(getComputedStyle(root.querySelector('.adoc-panel')).backgroundColor))].sort((p, q) => q - p);
      const row = at.closest('li[data-repo]');
      const fork = [...root.querySelectorAll('.adoc-col')].find((c) => c.querySelector(':scope > h3')?.textContent === 'Fork and clone');
      return {
        row: row ? row.querySelector('[title]').title : fork?.contains(at) ? 'fork' : null,
        what: at === row ? 'row' : at.classList.contains('adoc-panel') ? 'panel' : at.getAttribute('aria-label') ?? at.textContent,
        ring: s.outlineStyle + ' ' + s.outlineWidth,
        contrast: (x + 0.05) / (y + 0.05),
      };
    }`,
    POPOVER,
  );

/** A fork of Platform in `project`, made as Azure DevOps' Fork does (REST). */
async function forkPlatform(project: string, name: string): Promise<void> {
  const org = sandbox.store.organization('fabrikam')!;
  const platform = sandbox.store.repository(org, 'Platform', sandbox.store.project(org, 'Platform'))!;
  const made = await sandbox.fetch(`https://dev.azure.com/fabrikam/${encodeURIComponent(project)}/_apis/git/repositories?api-version=7.1`, {
    method: 'POST',
    headers: { authorization: patAuthorization(sandbox.pats.fabrikam!), accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ name, parentRepository: { id: platform.id, project: { id: platform.projectId } } }),
  });
  expect(made.status).toBe(201);
}

/** The texts of a row's buttons, and its remote name field's value (null without one). */
const rowControls = (title: string) =>
  world.run<{ buttons: string[]; name: string | null }>(
    `(sel, title) => {
      const li = [...chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('li[data-repo]')].find((l) => l.querySelector('[title]').title === title);
      return { buttons: [...li.querySelectorAll('button')].map((b) => b.textContent), name: li.querySelector('input')?.value ?? null };
    }`,
    POPOVER,
    title,
  );

/** The next listing of forks takes 3 s: the panel holds the focus meanwhile. */
const loadingSlowly = () => sandbox.services.faults.add({ match: { method: 'GET', pathRegex: '/forks/' }, latencyMs: 3000, times: 1 });

const expectLegibleWhenDisabled = async () => {
  const measured = await disabledContrast();
  expect(Object.keys(measured)).toHaveLength(2);
  for (const [label, { button, panel }] of Object.entries(measured)) {
    expect(button, label).toBeGreaterThanOrEqual(3);
    expect(panel, label).toBeGreaterThanOrEqual(3);
  }
};

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  let options: Page;
  ({ session, home, cloneRoot, options } = await launchConnected(sandbox));
  // The local clone the remotes are added to.
  const cloned = await askWithProgress(options, { type: 'clone.start', repo: { id: 'Platform', name: 'Platform', project: 'Platform' }, taskId: 'setup' });
  expect(cloned.reply).toMatchObject({ ok: true });
  await options.close();
  // A fork no test adds: its row always offers a name and Add.
  await forkPlatform('Website', 'platform-web');
  page = await signedInPage(session, '/fabrikam/_git/Platform');
  world = await ContentWorld.of(page, session.extensionId);
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
});

// A test that fails before it clears its faults would leave them to the tests after it: one failure stays one.
afterEach(() => sandbox.services.faults.clear());

describe('Forks as remotes', () => {
  it('adds a fork as a remote of the local clone and fetches it', async () => {
    const clone = join(cloneRoot, 'fabrikam/Platform/Platform');
    await page.waitForSelector(FORKS);
    await world.click(FORKS, 'button', 'Add remote…');
    const panel = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Security / platform-fork'));
    expect(panel[0]).toContain(clone);
    await screenshot(page, 'forks-as-remotes-light');
    // From the keyboard: the row's name, Tab to its Add, Enter.
    await world.click(POPOVER, 'input[aria-label="Remote name for Security/platform-fork"]');
    await page.keyboard.press('Tab');
    expect(await focusAt()).toMatchObject({ row: 'Security / platform-fork', what: 'Add Security/platform-fork as a remote' });
    await page.keyboard.press('Enter');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Added security and fetched it.'), 30_000);
    // The row's Add is disabled now (added): the row itself keeps the focus, with a ring the keyboard user sees,
    // not the panel's first control (another row).
    expect(await focusAt()).toMatchObject({ row: 'Security / platform-fork', what: 'row', ring: 'solid 2px' });
    await screenshot(page, 'forks-as-remotes-added');
    // No control before that row: Shift+Tab goes back to the panel's button, not to the page at the end of which the panel is drawn.
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    expect(await world.run<string | null>(`(sel) => { const h = document.querySelector(sel); return document.activeElement === h ? chrome.dom.openOrClosedShadowRoot(h).activeElement?.textContent ?? null : null; }`, FORKS)).toBe('Add remote…');
    // Disabled buttons stay legible.
    await expectLegibleWhenDisabled();
    const found = await remotes(clone);
    expect(found.security).toBe('https://dev.azure.com/fabrikam/Security/_git/platform-fork');
    expect(found.origin).toBe('https://dev.azure.com/fabrikam/_git/Platform');
    // Fetched: the fork's branches are known locally.
    const { stdout } = await run('git', ['-C', clone, 'branch', '-r']);
    expect(stdout).toContain('security/');
  });

  it('a fork the clone has as a remote is fetched, not added again; a new fork whose name the clone has is offered a free one', async () => {
    const clone = join(cloneRoot, 'fabrikam/Platform/Platform');
    // A second fork in Security: `security`, its project's name, is the first fork's remote already.
    await forkPlatform('Security', 'platform-security');
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform', { waitUntil: 'domcontentloaded' });
    await world.click(FORKS, 'button', 'Add remote…');
    const [panel] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Security / platform-security'));
    expect(panel).toContain('Already added as security.');
    expect(await rowControls('Security / platform-fork')).toEqual({ buttons: ['Fetch'], name: null });
    expect(await rowControls('Security / platform-security')).toEqual({ buttons: ['Add'], name: 'security-2' });
    // Added at once under the name offered.
    await world.click(POPOVER, 'button[aria-label="Add Security/platform-security as a remote"]');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Added security-2 and fetched it.'), 30_000);
    // The fork added before is fetched under its own name.
    await world.click(POPOVER, 'button[aria-label="Fetch security"]');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Fetched security.'), 30_000);
    expect(await remotes(clone)).toEqual({
      origin: 'https://dev.azure.com/fabrikam/_git/Platform',
      security: 'https://dev.azure.com/fabrikam/Security/_git/platform-fork',
      'security-2': 'https://dev.azure.com/fabrikam/Security/_git/platform-security',
    });
    await page.keyboard.press('Escape');
  }, 90_000);

  it('Add with the remote name cleared says so in that row, and adds nothing', async () => {
    const clone = join(cloneRoot, 'fabrikam/Platform/Platform');
    const before = await remotes(clone);
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform', { waitUntil: 'domcontentloaded' });
    await world.click(FORKS, 'button', 'Add remote…');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Website / platform-web'));
    // Cleared as a person would: select the name and delete it.
    await world.click(POPOVER, 'input[aria-label="Remote name for Website/platform-web"]');
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
    await page.keyboard.press('Backspace');
    await world.click(POPOVER, 'button[aria-label="Add Website/platform-web as a remote"]');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Enter a remote name.'), 5_000);
    const row = await world.run<string>(`(sel) => [...chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('li[data-repo]')].find((li) => li.innerText.includes('Website / platform-web'))?.innerText ?? ''`, POPOVER);
    expect(row).toContain('Enter a remote name.');
    expect(await remotes(clone)).toEqual(before);
    await page.keyboard.press('Escape');
  });

  it('forks into another project and clones the fork with upstream set to the original', async () => {
    // Where Azure DevOps forks too: the Files page (its ⋮ → Fork); there is no forks page.
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform?path=/src', { waitUntil: 'domcontentloaded' });
    await world.click(FORKS, 'button', 'Add remote…');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Fork and clone'));
    const mobile = sandbox.store.projectsOf(sandbox.store.organization('fabrikam')!).find((p) => p.name === 'Mobile')!;
    // Choosing from a native <select> has no pointer path in headless Chromium: set it, as the keyboard would.
    await world.run(
      `(sel, id) => { const r = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)); const s = r.querySelector('select'); s.value = id; s.dispatchEvent(new Event('change')); }`,
      POPOVER,
      mobile.id,
    );
    await world.click(POPOVER, 'button', 'Fork and clone');
    const done = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Forked into Mobile / Platform, cloned to'), 60_000);
    const forkClone = join(cloneRoot, 'fabrikam/Mobile/Platform');
    expect(done[0]).toContain(forkClone);
    expect(await remotes(forkClone)).toEqual({
      origin: 'https://dev.azure.com/fabrikam/Mobile/_git/Platform',
      upstream: 'https://dev.azure.com/fabrikam/_git/Platform',
    });
    expect(sandbox.store.forksOf(sandbox.store.repository(sandbox.store.organization('fabrikam')!, 'Platform', sandbox.store.project(sandbox.store.organization('fabrikam')!, 'Platform'))!).map((f) => f.name)).toContain('Platform');
  });

  it("on the fork's page, the original its clone has as upstream is fetched, not offered as a second remote", async () => {
    const forkClone = join(cloneRoot, 'fabrikam/Mobile/Platform');
    await page.goto('https://dev.azure.com/fabrikam/Mobile/_git/Platform', { waitUntil: 'domcontentloaded' });
    await world.click(FORKS, 'button', 'Add remote…');
    const [panel] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Platform / Platform'));
    expect(panel).toContain(forkClone);
    expect(panel).toContain('Already added as upstream.');
    expect(await rowControls('Platform / Platform')).toEqual({ buttons: ['Fetch'], name: null });
    await world.click(POPOVER, 'button[aria-label="Fetch upstream"]');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Fetched upstream.'), 30_000);
    expect(await remotes(forkClone)).toEqual({
      origin: 'https://dev.azure.com/fabrikam/Mobile/_git/Platform',
      upstream: 'https://dev.azure.com/fabrikam/_git/Platform',
    });
    const { stdout } = await run('git', ['-C', forkClone, 'branch', '-r']);
    expect(stdout).toContain('upstream/');
    await page.keyboard.press('Escape');
  }, 90_000);

  it('offers the fork on a pull request that comes from it, and nothing on one that does not', async () => {
    const platform = sandbox.store.repository(sandbox.store.organization('fabrikam')!, 'Platform', sandbox.store.project(sandbox.store.organization('fabrikam')!, 'Platform'))!;
    const prs = sandbox.store.pullRequestsOf(platform).filter((p) => p.status === 'active');
    const fromFork = prs.find((p) => p.forkSourceRepositoryId)!;
    const own = prs.find((p) => !p.forkSourceRepositoryId)!;
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequest/${fromFork.pullRequestId}?_a=files`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector(`.repos-pr-header > ${FORKS}`, { timeout: 10_000 });
    // Ours give way (icon-only) once Azure DevOps had to move a command into ⋮, so its vote button stays.
    await page.waitForFunction(() => !!document.querySelector('.repos-pr-header .repos-pr-header-vote-button'), { timeout: 5000 });
    const compact = await world.run<boolean[]>(`() => [...document.querySelectorAll('.repos-pr-header > [data-adoc]')].map((h) => chrome.dom.openOrClosedShadowRoot(h).querySelector('button').classList.contains('adoc-compact'))`);
    expect(compact).toEqual([true, true, true]);
    // Icon-only, each must be told apart by its icon: no two alike.
    const icons = await world.run<string[]>(`() => [...document.querySelectorAll('.repos-pr-header > [data-adoc]')].map((h) => chrome.dom.openOrClosedShadowRoot(h).querySelector('button svg path').getAttribute('d'))`);
    expect(new Set(icons).size).toBe(3);
    // Level with Azure DevOps' own commands, though the header's title and its line below make it two lines tall.
    const tops = await world.run<number[]>(`() => [...document.querySelectorAll('.repos-pr-header > [data-adoc]')].map((h) => Math.round(chrome.dom.openOrClosedShadowRoot(h).querySelector('button').getBoundingClientRect().top))`);
    const theirs = await page.$eval('.repos-pr-header .bolt-header-commandbar button', (b) => Math.round(b.getBoundingClientRect().top));
    expect(tops).toEqual([theirs, theirs, theirs]);
    // After the header's actions, in the order they are mounted: the actions stay its second child, where other extensions (G) look for them.
    expect(await page.$$eval('.repos-pr-header > [data-adoc]', (hosts) => hosts.map((h) => h.getAttribute('data-adoc')))).toEqual(['forks-as-remotes', 'pull-request-reviewers', 'pull-request-checkout']);
    expect(await page.$('.repos-pr-header > div:nth-child(2) > div:nth-child(1) .repos-pr-header-vote-button')).not.toBeNull();
    await world.click(FORKS, 'button', 'Fork remote…');
    const [panel] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Security / platform-fork'));
    expect(panel).toMatch(/Security \/ platform-fork\s*this pull request/);
    await screenshot(page, 'forks-pull-request-light');
    await page.keyboard.press('Escape');

    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequest/${own.pullRequestId}?_a=files`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.repos-pr-header .adoc-pull-request-reviewers', { timeout: 10_000 });
    expect(await page.$$eval(FORKS, (hosts) => hosts.every((h) => (h as HTMLElement).hidden))).toBe(true);
  });

  it('offers the fork again on Back from another pull request, though the page still shows that one when the URL changes', async () => {
    const platform = sandbox.store.repository(sandbox.store.organization('fabrikam')!, 'Platform', sandbox.store.project(sandbox.store.organization('fabrikam')!, 'Platform'))!;
    const prs = sandbox.store.pullRequestsOf(platform).filter((p) => p.status === 'active');
    const fromFork = prs.find((p) => p.forkSourceRepositoryId)!;
    const own = prs.find((p) => !p.forkSourceRepositoryId)!;
    const offered = () => world.waitForText(FORKS, (t) => t.some((x) => x.includes('Fork remote…')), 10_000);
    await page.goto(`https://dev.azure.com/fabrikam/_git/Platform/pullrequest/${fromFork.pullRequestId}?_a=files`, { waitUntil: 'domcontentloaded' });
    await offered();
    // A link to the other pull request in the page (as a mention in its description is), followed in-app.
    await page.evaluate((href) => {
      const a = Object.assign(document.createElement('a'), { href, id: 'to-own', textContent: 'the other pull request' });
      document.querySelector('.repos-pr-header')!.parentElement!.append(a);
    }, `/fabrikam/_git/Platform/pullrequest/${own.pullRequestId}?_a=files`);
    await clickLink(page, '#to-own');
    await page.waitForSelector('.repos-pr-header .adoc-pull-request-reviewers', { timeout: 10_000 });
    expect(await page.$$eval(FORKS, (hosts) => hosts.every((h) => (h as HTMLElement).hidden))).toBe(true);
    await page.goBack();
    await offered();
  });

  it('says why the forks could not be listed, and lists them once Try again works', async () => {
    sandbox.services.faults.add({ match: { pathRegex: '/forks/' }, status: 503 });
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform', { waitUntil: 'domcontentloaded' });
    await world.click(FORKS, 'button', 'Add remote…');
    const [failed] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('could not list forks (HTTP 503)'), 60_000);
    expect(failed).not.toContain('Security / platform-fork');
    sandbox.services.faults.clear();
    await world.click(POPOVER, 'button', 'Try again');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Security / platform-fork'));
    await page.keyboard.press('Escape');
  }, 90_000);

  it('a fetch that fails after the remote was added offers Fetch again, which does not add the remote twice', async () => {
    const clone = join(cloneRoot, 'fabrikam/Platform/Platform');
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform', { waitUntil: 'domcontentloaded' });
    await world.click(FORKS, 'button', 'Add remote…');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Mobile / Platform'));
    sandbox.services.faults.add({ match: { pathRegex: '/Mobile/_git/Platform/info/refs' }, status: 503, times: 1 });
    await world.click(POPOVER, 'button[aria-label="Add Mobile/Platform as a remote"]');
    const [failed] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Added mobile, but fetching it failed'), 30_000);
    expect(failed).toContain('Fetch again');
    expect((await remotes(clone)).mobile).toBe('https://dev.azure.com/fabrikam/Mobile/_git/Platform');
    // The focus stayed in the row, on its next step, so Enter fetches again.
    expect(await focusAt()).toMatchObject({ row: 'Mobile / Platform', what: 'Fetch mobile again' });
    await page.keyboard.press('Enter');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Added mobile and fetched it.'), 30_000);
    expect(await focusAt()).toMatchObject({ row: 'Mobile / Platform', what: 'row' });
    const { stdout } = await run('git', ['-C', clone, 'branch', '-r']);
    expect(stdout).toContain('mobile/');
    await page.keyboard.press('Escape');
  }, 90_000);

  it('a remote that fails on a refused token offers Update the token in its row', async () => {
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform', { waitUntil: 'domcontentloaded' });
    await world.click(FORKS, 'button', 'Add remote…');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Website / platform-web'));
    const pat = sandbox.store.patByToken(sandbox.pats.fabrikam!)!;
    pat.revoked = true;
    try {
      await world.type(POPOVER, 'input[aria-label="Remote name for Website/platform-web"]', 'web2');
      await world.click(POPOVER, 'button[aria-label="Add Website/platform-web as a remote"]');
      await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('rejected'), 30_000);
      const row = await world.run<string[]>(
        `(sel) => [...[...chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('li[data-repo]')].find((li) => li.innerText.includes('Website / platform-web')).querySelectorAll('button')].map((b) => b.textContent)`,
        POPOVER,
      );
      expect(row).toContain('Update the token');
    } finally {
      pat.revoked = false;
    }
    await page.keyboard.press('Escape');
  });

  it('keeps Fork and clone when the panel closes, and a clone that fails after the fork clones it again without forking twice', async () => {
    const org = sandbox.store.organization('fabrikam')!;
    const platform = sandbox.store.repository(org, 'Platform', sandbox.store.project(org, 'Platform'))!;
    const forksBefore = sandbox.store.forksOf(platform).length;
    const fiber = sandbox.store.projectsOf(org).find((p) => p.name === 'Fabrikam Fiber')!;
    // The fork's first clone waits, then fails as a server would.
    sandbox.services.faults.add({ match: { pathRegex: 'Fiber/_git/Platform/info/refs' }, latencyMs: 2500, status: 503, times: 1 });
    await world.click(FORKS, 'button', 'Add remote…');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Fork and clone'));
    await world.run(
      `(sel, id) => { const r = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)); const s = r.querySelector('select'); s.value = id; s.dispatchEvent(new Event('change')); }`,
      POPOVER,
      fiber.id,
    );
    await world.click(POPOVER, 'button', 'Fork and clone');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Forked into Fabrikam Fiber / Platform; cloning it…'), 30_000);
    await page.keyboard.press('Escape');
    await world.click(FORKS, 'button', 'Add remote…');
    const [reopened] = await world.waitForText(POPOVER, (t) => /cloning it…|Clone it/.test(t[0] ?? ''), 30_000);
    expect(reopened).toContain('Forked into Fabrikam Fiber / Platform');
    expect(reopened).not.toContain('Fork and clone\nFork and clone');
    const [failed] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Clone it'), 30_000);
    // Explained as Clone to desktop explains a clone's failure, git's own line under Details.
    expect(failed).toContain('Azure DevOps had a problem on its side.');
    expect(failed).toContain('Details');
    expect(sandbox.store.forksOf(platform).length).toBe(forksBefore + 1);
    await world.click(POPOVER, 'button', 'Clone it');
    const [done] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('cloned to'), 60_000);
    const forkClone = join(cloneRoot, 'fabrikam/Fabrikam Fiber/Platform');
    expect(done).toContain(forkClone);
    expect((await remotes(forkClone)).upstream).toBe('https://dev.azure.com/fabrikam/_git/Platform');
    expect(sandbox.store.forksOf(platform).length).toBe(forksBefore + 1);
    await page.keyboard.press('Escape');
  }, 120_000);

  it('cancels the clone of a fork it made: nothing is left behind, Clone it clones the fork without forking twice, and a missing upstream is added without cloning twice', async () => {
    const org = sandbox.store.organization('fabrikam')!;
    const platform = sandbox.store.repository(org, 'Platform', sandbox.store.project(org, 'Platform'))!;
    const forksBefore = sandbox.store.forksOf(platform).length;
    const operations = sandbox.store.projectsOf(org).find((p) => p.name === 'Operations')!;
    const forkClone = join(cloneRoot, 'fabrikam/Operations/Platform');
    // The fork's clone is still running when Cancel is pressed.
    sandbox.services.faults.add({ match: { pathRegex: 'Operations/_git/Platform/info/refs' }, latencyMs: 30_000, times: 1 });
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform', { waitUntil: 'domcontentloaded' });
    await world.click(FORKS, 'button', 'Add remote…');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Fork and clone'));
    await world.run(
      `(sel, id) => { const r = chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)); const s = r.querySelector('select'); s.value = id; s.dispatchEvent(new Event('change')); }`,
      POPOVER,
      operations.id,
    );
    // From the keyboard: the fork's name, Tab to Fork and clone, Enter. Each step's next control
    // (Cancel, Clone it, Add upstream again, Open folder) takes the focus, not the rows above.
    await world.click(POPOVER, 'input[aria-label="Name of the fork"]');
    await page.keyboard.press('Tab');
    expect(await focusAt()).toMatchObject({ row: 'fork', what: 'Fork and clone' });
    await page.keyboard.press('Enter');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Forked into Operations / Platform; cloning it…'), 30_000);
    expect(await focusAt()).toMatchObject({ row: 'fork', what: 'Cancel' });
    await page.keyboard.press('Enter');
    const [cancelled] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Cancelled the clone: nothing was left behind.'), 30_000);
    await expect.poll(focusAt).toMatchObject({ row: 'fork', what: 'Clone it' });
    expect(cancelled).toContain('Forked into Operations / Platform.');
    expect(cancelled).toContain('Clone it');
    expect(await world.run<number>(`(sel) => chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('[role=alert]').length`, POPOVER)).toBe(0);
    await expect(run('git', ['-C', forkClone, 'rev-parse', 'HEAD'])).rejects.toThrow();
    sandbox.services.faults.clear();
    // The original cannot be looked up when its remote is added: the clone stands, upstream is missing.
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: `/_apis/git/repositories/${platform.id}$` }, status: 503 });
    await page.keyboard.press('Enter');
    const [partial] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Add upstream again'), 60_000);
    expect(await focusAt()).toMatchObject({ row: 'fork', what: 'Add upstream again' });
    expect(partial).toContain(`cloned to ${forkClone}.`);
    expect(partial).toContain('Adding upstream (the original) as a remote of the clone failed');
    expect(Object.keys(await remotes(forkClone))).toEqual(['origin']);
    sandbox.services.faults.clear();
    // Trying again adds the remote to the same clone: nothing is cloned a second time.
    await page.keyboard.press('Enter');
    const [done] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('with upstream pointing at the original'), 60_000);
    expect(done).toContain(forkClone);
    expect(await focusAt()).toMatchObject({ row: 'fork', what: 'Open folder' });
    expect(await remotes(forkClone)).toMatchObject({ upstream: 'https://dev.azure.com/fabrikam/_git/Platform' });
    expect(sandbox.store.forksOf(platform).length).toBe(forksBefore + 1);
    await page.keyboard.press('Escape');
  }, 120_000);

  it('looks like the page in the dark theme too, and the panel shows the focus it holds while it loads to the keyboard only', async () => {
    await sandboxSwitch(page, 'theme', 'dark', '/fabrikam/_git/Platform');
    // Opened from the keyboard: while it loads the panel itself has the focus, and shows it, legibly.
    await page.waitForSelector(FORKS);
    loadingSlowly();
    await world.run(`(sel) => chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelector('button').focus()`, FORKS);
    await page.keyboard.press('Enter');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Looking for forks…'));
    const held = await focusAt();
    expect(held).toMatchObject({ what: 'panel', ring: 'solid 2px' });
    expect(held!.contrast).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'forks-as-remotes-loading-dark');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Security / platform-fork'));
    // Opened with the mouse (on a fresh page, so it loads again): no ring.
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform', { waitUntil: 'domcontentloaded' });
    loadingSlowly();
    await world.click(FORKS, 'button', 'Add remote…');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Looking for forks…'));
    expect(await focusAt()).toMatchObject({ what: 'panel', ring: expect.stringMatching(/^none /) });
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Security / platform-fork'));
    await screenshot(page, 'forks-as-remotes-dark');
    await expectLegibleWhenDisabled();
    await sandboxSwitch(page, 'theme', 'light', '/fabrikam/_git/Platform');
  });

  it('a fork added to the clone while the panel was open is shown as added once Add finds its name taken, not added a second time', async () => {
    const clone = join(cloneRoot, 'fabrikam/Platform/Platform');
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform', { waitUntil: 'domcontentloaded' });
    await world.click(FORKS, 'button', 'Add remote…');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Website / platform-web'));
    expect(await rowControls('Website / platform-web')).toEqual({ buttons: ['Add'], name: 'website' });
    // Meanwhile (a pull request's checkout, or git itself) the fork became a remote, its URL in another form.
    await run('git', ['-C', clone, 'remote', 'add', 'website', 'https://fabrikam@dev.azure.com/fabrikam/Website/_git/platform-web']);
    await world.click(POPOVER, 'button[aria-label="Add Website/platform-web as a remote"]');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Already added as website.'), 30_000);
    expect(await rowControls('Website / platform-web')).toEqual({ buttons: ['Fetch'], name: null });
    expect(Object.values(await remotes(clone)).filter((u) => u.endsWith('/Website/_git/platform-web'))).toHaveLength(1);
    await page.keyboard.press('Escape');
  }, 60_000);

  // Last: the organization stays held for the rest of the Retry-After, which the tests above would wait out.
  it('says why the panel waits when Azure DevOps holds it back (429), with Stop waiting, which shows the failure and its Try again at once', async () => {
    await page.goto('https://dev.azure.com/fabrikam/_git/Platform', { waitUntil: 'domcontentloaded' });
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: '/forks/' }, status: 429, retryAfter: 15, times: 1 });
    try {
      await world.click(FORKS, 'button', 'Add remote…');
      await panelSaysItsWait(page, world, POPOVER, { seconds: 15, loading: 'Looking for forks…', loaded: 'Security / platform-fork' });
      await page.keyboard.press('Escape');
    } finally {
      sandbox.services.faults.clear();
    }
  }, 90_000);
});
