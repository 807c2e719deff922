/**
 * The options page against the sandbox Azure DevOps, in real Chromium: accounts added with tokens
 * (cloud and on-prem) and with Microsoft sign-in through the Entra stand-in, the messages for bad
 * tokens and for an organization that refuses OAuth, and profile management.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { companionOs, installInstructions } from '../../src/shared/companion-install';
import { ask, launch, type Session } from './harness';
import { focusWhenDrawn, grantHostAccess, screenshots, signInWithMicrosoft, textOf, waitForText } from './ui-steps';

let sandbox: Sandbox;
let session: Session;
let options: Page;
let downloads: string;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox);
  downloads = await mkdtemp(join(tmpdir(), 'adoc-downloads-'));
  options = await session.openExtensionPage('options');
  await options.setViewport({ width: 1100, height: 900 });
  const cdp = await options.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
  await options.waitForSelector('#pat-org');
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

const counts = (orgName: string) => {
  const org = sandbox.store.organization(orgName)!;
  return { projects: sandbox.store.projectsOf(org).length, repos: sandbox.store.repositoriesOf(org).length };
};

const profileNames = (page = options) => page.$$eval('.profile-list > li', (rows) => rows.map((r) => (r as HTMLElement).dataset.profile));

/** Empties a field as an edit does (see fillPat). */
async function emptied(selector: string, page = options): Promise<void> {
  await page.$eval(selector, (e) => {
    (e as HTMLInputElement).value = '';
    e.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function fillPat(fields: { org?: string; collection?: string; pat: string }, page = options): Promise<void> {
  // Emptied as an edit, with its input event: a bare `value = ''` leaves the form's state as it was,
  // and any redraw before the typing (one arrives when the profiles change) puts the old value back.
  const set = async (selector: string, value: string) => {
    await emptied(selector, page);
    await page.type(selector, value);
  };
  await page.click(`input[name="pat-host"][value="${fields.collection ? 'onprem' : 'cloud'}"]`);
  if (fields.collection) await set('#pat-collection', fields.collection);
  if (fields.org !== undefined) await set('#pat-org', fields.org);
  await set('#pat-token', fields.pat);
  await page.click('.pat-form button[type="submit"]');
}

describe('options page: accounts', () => {
  it('adds a token for fabrikam, checks it at once and says whose it is', async () => {
    // A URL pasted from the address bar is read as the organization.
    await options.type('#pat-org', 'https://dev.azure.com/fabrikam/');
    expect(await options.$eval('#pat-generate', (a) => (a as HTMLAnchorElement).href)).toBe('https://dev.azure.com/fabrikam/_usersSettings/tokens');
    const scopes = await options.$$eval('.scopes li', (li) => li.map((l) => l.textContent));
    expect(scopes).toEqual(['Code (Read, write, & manage)', 'Project and Team (Read)', 'Graph (Read)', 'Identity (Read)', 'User Profile (Read)', 'Work Items (Read & write)']);

    await fillPat({ pat: sandbox.pats.fabrikam! });
    const { projects, repos } = counts('fabrikam');
    const added = await waitForText(options, '[data-testid="pat-added"]', `It can see ${projects} projects and ${repos} repositories.`);
    expect(added).toContain('Added “fabrikam”');
    expect(added).toContain('The token belongs to Ada Lovelace.');
    expect(await options.$eval('#pat-token', (e) => (e as HTMLInputElement).value)).toBe('');
    // Blank for another account: not offering to replace the token just added.
    expect(await options.$eval('#pat-org', (e) => (e as HTMLInputElement).value)).toBe('');
    expect(await options.$('#pat-replace')).toBeNull();
    expect(await options.content()).not.toContain(sandbox.pats.fabrikam);
    await options.waitForSelector('.profile-list > li[data-profile="fabrikam"] .badge');
    expect(await textOf(options, '.profile-list > li[data-profile="fabrikam"]')).toContain('active');
  });

  it('moves the focus to the first field to fix when Add account is pressed too soon', async () => {
    await options.$eval('#pat-org', (e) => ((e as HTMLInputElement).value = ''));
    await options.$eval('#pat-org', (e) => e.dispatchEvent(new Event('input', { bubbles: true })));
    await options.click('.pat-form button[type="submit"]');
    expect(await options.evaluate(() => document.activeElement?.id)).toBe('pat-org');
    expect(await options.$eval('#pat-org', (e) => e.getAttribute('aria-invalid'))).toBe('true');
    await options.type('#pat-org', 'fabrikam');
    await options.click('.pat-form button[type="submit"]');
    expect(await options.evaluate(() => document.activeElement?.id)).toBe('pat-token');
    expect(await textOf(options, '#pat-token-problem')).toBe('Paste the personal access token.');
  });

  it('shows why a bad token was refused, with a link to make a new one', async () => {
    await emptied('#pat-org');
    await options.type('#pat-org', 'fabrikam');
    await emptied('#pat-token');
    await options.type('#pat-token', 'x'.repeat(52));
    // Add account at the window's foot, as after scrolling down to it: the answer below it is brought into view.
    await options.$eval('.pat-form button[type="submit"]', (b) => b.scrollIntoView({ block: 'end' }));
    await options.keyboard.press('Enter');
    const note = await waitForText(options, '.pat-outcome [role="alert"]', 'rejected');
    await options.waitForFunction(() => document.querySelector('.pat-outcome [role="alert"]')!.getBoundingClientRect().bottom <= innerHeight + 1, { timeout: 5000 });
    expect(note).toContain('The token was not added');
    expect(note).toContain('Your personal access token was rejected: it may be expired or revoked.');
    expect(await options.$eval('.pat-outcome [role="alert"] a', (a) => (a as HTMLAnchorElement).href)).toBe('https://dev.azure.com/fabrikam/_usersSettings/tokens');
    expect(await profileNames()).toEqual(['fabrikam']);
  });

  it('says when there is no such organization, with the focus on its name and the token kept', async () => {
    await fillPat({ org: 'fabrikamm', pat: sandbox.pats.fabrikam! });
    const note = await waitForText(options, '.pat-outcome [role="alert"]', 'no organization named');
    expect(note).toContain('Azure DevOps has no organization named “fabrikamm” that this token can see. Check the name');
    // The name is what to change, not the token: Enter after fixing it tries again.
    await options.waitForFunction(() => document.activeElement?.id === 'pat-org', { timeout: 5000 });
    expect(await options.$eval('#pat-token', (e) => (e as HTMLInputElement).value)).toBe(sandbox.pats.fabrikam);
    expect(await profileNames()).toEqual(['fabrikam']);
  });

  it('says when a token was made for another organization, with the link to make one', async () => {
    await fillPat({ org: 'contoso', pat: sandbox.patsByName['ada-fabrikam-only']! });
    const note = await waitForText(options, '.pat-outcome [role="alert"]', 'does not open');
    expect(note).toContain('This token does not open “contoso”: it was made for another organization');
    // Not a project's permissions, which nothing here changes.
    expect(note).not.toContain('permission in this project');
    expect(await options.$eval('.pat-outcome [role="alert"] a', (a) => (a as HTMLAnchorElement).href)).toBe('https://dev.azure.com/contoso/_usersSettings/tokens');
    await options.waitForFunction(() => document.activeElement?.id === 'pat-token', { timeout: 5000 });
    expect(await profileNames()).toEqual(['fabrikam']);
  });

  it('names the missing scope of an under-scoped token and offers to remove it', async () => {
    await fillPat({ org: 'fabrikam', pat: sandbox.patsByName['ada-read-code']! });
    const problem = await waitForText(options, '.pat-outcome [role="alert"]', 'lacks the scope');
    expect(problem).toContain('The token works, but not for everything this extension does');
    expect(problem).toContain('This token lacks the scope Project and Team (Read) needed to list projects.');
    expect(await profileNames()).toHaveLength(2);
    await options.click('.pat-outcome [role="alert"] button');
    await options.waitForFunction(() => document.querySelectorAll('.profile-list > li').length === 1);
    expect(await profileNames()).toEqual(['fabrikam']);
  });

  it('adds a second token, for contoso, with Try again after Azure DevOps failed', async () => {
    // Every attempt of the first Add account (the client tries a 500 three times).
    sandbox.services.faults.add({ match: { pathRegex: '/_apis/connectionData$' }, status: 500, times: 3 });
    await fillPat({ org: 'contoso', pat: sandbox.pats.contoso! });
    await waitForText(options, '.pat-outcome [role="alert"]', 'Azure DevOps had a problem', 30_000);
    // What was typed is what is tried again.
    // From the keyboard, as the note is the next stop after the form.
    await options.focus('.pat-outcome [role="alert"] .actions button');
    expect(await options.evaluate(() => document.activeElement?.textContent)).toBe('Try again');
    // Checking what the new token may do, Azure DevOps holds the repositories back (429) for 3 s: said, not waited out in silence.
    sandbox.services.faults.add({ match: { method: 'GET', pathRegex: '^/contoso/_apis/git/repositories$' }, status: 429, retryAfter: 3, times: 1 });
    await options.keyboard.press('Enter');
    await waitForText(options, '[data-testid="pat-added"]', /Checking what the token may do… Azure DevOps asked us to wait: trying again in [1-3] s…/, 20_000);
    expect(await options.$eval('[data-testid="pat-added"] .waiting', (w) => w.parentElement?.getAttribute('aria-live'))).toBe('polite');
    await options.$eval('[data-testid="pat-added"]', (n) => n.scrollIntoView({ block: 'center' }));
    await screenshots(options, 'options-token-check-waiting');
    const { projects, repos } = counts('contoso');
    await waitForText(options, '[data-testid="pat-added"]', `It can see ${projects} projects and ${repos} repositories.`);
    expect(await textOf(options, '[data-testid="pat-added"]')).not.toContain('asked us to wait');
    expect(await profileNames()).toEqual(['contoso', 'fabrikam']);
    // The button pressed is gone with its note: the focus is where Add account keeps it, not lost.
    await options.waitForFunction(() => document.activeElement?.textContent === 'Add account', { timeout: 5000 });
  });

  it('offers to replace the token of the profile an organization has, instead of adding a second one', async () => {
    await emptied('#pat-org');
    await options.type('#pat-org', 'fabrikam');
    const offer = await textOf(options, 'label:has(#pat-replace)');
    expect(offer).toContain('Replace the token of “fabrikam”');
    // Not by default: a working token it replaced would be gone.
    expect(await options.$eval('#pat-replace', (e) => (e as HTMLInputElement).checked)).toBe(false);
    await options.click('#pat-replace');
    await fillPat({ org: 'fabrikam', pat: sandbox.pats.fabrikam! });
    const outcome = await waitForText(options, '[data-testid="pat-added"]', 'Updated the token of “fabrikam”');
    expect(outcome).toContain('The profile keeps its settings and reviewer groups.');
    expect(await profileNames()).toEqual(['contoso', 'fabrikam']);
    // An organization without a profile is not offered one to replace.
    await emptied('#pat-org');
    await options.type('#pat-org', 'northwind');
    expect(await options.$('#pat-replace')).toBeNull();
  });

  it('replaces a revoked token in the profile itself: another user’s is refused, the same user’s keeps the profile', async () => {
    const row = '.profile-list > li[data-profile="fabrikam"]';
    const profiles = async () =>
      ((await options.evaluate(() => chrome.runtime.sendMessage({ type: 'profiles.list' }))) as { data: { profiles: { id: string; name: string }[] } }).data.profiles;
    const listRepos = (id: string) =>
      options.evaluate((profileId) => chrome.runtime.sendMessage({ type: 'repos.list', profileId, refresh: true }), id) as Promise<{ ok: boolean; error?: { code: string; message: string } }>;
    const id = (await profiles()).find((p) => p.name === 'fabrikam')!.id;
    const pat = sandbox.store.pats.get(sandbox.pats.fabrikam!)!;
    pat.revoked = true;
    try {
      const refusedBefore = await listRepos(id);
      expect(refusedBefore).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      expect(refusedBefore.error!.message).toContain('then update the token in Options');

      await options.click(`${row} button[aria-expanded]`);
      const token = `${row} input[id$="-token"]`;
      await options.waitForSelector(token);
      await options.type(`${row} input[id$="-name"]`, ' (work)');
      await options.type(token, sandbox.patsByName['grace-full']!);
      await options.click(`${row} .profile-editor button[type="submit"]`);
      const refused = await waitForText(options, `${row} .profile-editor [role="alert"]`, 'Grace Hopper');
      expect(refused).toContain('not Ada Lovelace’s');
      expect(refused).toContain('Nothing was changed');
      // Nothing typed is lost, and nothing was saved.
      expect(await options.$eval(`${row} input[id$="-name"]`, (e) => (e as HTMLInputElement).value)).toBe('fabrikam (work)');
      expect(await listRepos(id)).toMatchObject({ ok: false });

      await options.$eval(token, (e) => ((e as HTMLInputElement).value = ''));
      await options.type(token, sandbox.patsByName['ada-fabrikam-only']!);
      await options.click(`${row} .profile-editor button[type="submit"]`);
      await waitForText(options, '#profiles .note.success', '“fabrikam (work)” has its new token, and Azure DevOps accepts it.');
      // The same profile (its settings and reviewer groups hang on its id), with the new token.
      expect((await profiles()).map((p) => [p.id === id, p.name])).toEqual(expect.arrayContaining([[true, 'fabrikam (work)']]));
      expect(await profiles()).toHaveLength(2);
      expect(await listRepos(id)).toMatchObject({ ok: true });
      expect(await options.content()).not.toContain(sandbox.patsByName['ada-fabrikam-only']);
    } finally {
      pat.revoked = false;
    }
    // Back to the name the later steps use.
    const renamed = '.profile-list > li[data-profile="fabrikam (work)"]';
    await options.click(`${renamed} button[aria-expanded]`);
    const name = await options.waitForSelector(`${renamed} input[id$="-name"]`);
    await name!.click({ clickCount: 3 });
    await name!.type('fabrikam');
    await options.click(`${renamed} .profile-editor button[type="submit"]`);
    await options.waitForSelector(row);
  });

  it('adds Azure DevOps Server by its collection URL once the browser grants the host', async () => {
    // Headless Chromium cannot answer the permission prompt: the grant is given on chrome://extensions.
    await grantHostAccess(session, 'https://tfs.fabrikam.test/*');
    await options.click('input[name="pat-host"][value="onprem"]');
    await options.type('#pat-collection', 'https://tfs.fabrikam.test/tfs/DefaultCollection/');
    expect(await options.$eval('#pat-generate', (a) => (a as HTMLAnchorElement).href)).toBe(
      'https://tfs.fabrikam.test/tfs/DefaultCollection/_usersSettings/tokens',
    );
    await fillPat({ collection: 'https://tfs.fabrikam.test/tfs/DefaultCollection/', pat: sandbox.patsByName['ada-onprem']! });
    const { projects, repos } = counts('DefaultCollection');
    const added = await waitForText(options, '[data-testid="pat-added"]', `It can see ${projects} project and ${repos} repositories.`);
    expect(added).toContain('Added “tfs.fabrikam.test · DefaultCollection”');
    await options.click('input[name="pat-host"][value="cloud"]');
  });

  it('offers to replace the server profile’s token, naming its collection, not the organization field', async () => {
    await options.click('input[name="pat-host"][value="cloud"]');
    await emptied('#pat-org');
    await options.type('#pat-org', 'northwind');
    await options.click('input[name="pat-host"][value="onprem"]');
    await emptied('#pat-collection');
    await options.type('#pat-collection', 'https://tfs.fabrikam.test/tfs/DefaultCollection/');
    const offer = await textOf(options, 'label:has(#pat-replace)');
    expect(offer).toContain('Replace the token of “tfs.fabrikam.test · DefaultCollection”');
    expect(offer).toMatch(/second profile for DefaultCollection\s*$/);
  });

  it('says when the server has no such collection, with the focus on its URL', async () => {
    await fillPat({ collection: 'https://tfs.fabrikam.test/tfs/NoSuchCollection/', pat: sandbox.patsByName['ada-onprem']! });
    const note = await waitForText(options, '.pat-outcome [role="alert"]', 'has no collection');
    expect(note).toContain('tfs.fabrikam.test has no collection at https://tfs.fabrikam.test/tfs/NoSuchCollection. Check the collection URL');
    await options.waitForFunction(() => document.activeElement?.id === 'pat-collection', { timeout: 5000 });
    await options.click('input[name="pat-host"][value="cloud"]');
  });

  it('says in words why the server refused a wrong, cloud or revoked token, with the server’s token page, never its error page', async () => {
    const collection = 'https://tfs.fabrikam.test/tfs/DefaultCollection/';
    const before = await profileNames();
    // The token field left empty is not sent: the form asks for it.
    await options.click('input[name="pat-host"][value="onprem"]');
    await emptied('#pat-collection');
    await options.type('#pat-collection', collection);
    await emptied('#pat-token');
    const mark = sandbox.services.log.entries().length;
    await options.click('.pat-form button[type="submit"]');
    expect(await textOf(options, '#pat-token-problem')).toBe('Paste the personal access token.');
    expect(await options.evaluate(() => document.activeElement?.id)).toBe('pat-token');
    const revoked = sandbox.store.patByToken(sandbox.patsByName['ada-onprem']!)!;
    // A token the server does not know (mistyped, or one from dev.azure.com) gets its 401 error page
    // (edgafner/dorkag#331), the message only in X-TFS-ServiceError; one it knows but refuses, its
    // JSON AccessCheckException.
    for (const pat of ['x'.repeat(52), sandbox.pats.fabrikam!, revoked.token]) {
      revoked.revoked = pat === revoked.token;
      try {
        const asked = sandbox.services.log.entries().length;
        await fillPat({ collection, pat });
        const note = await waitForText(options, '.pat-outcome [role="alert"]', 'did not accept');
        expect(note).toContain('The token was not added');
        // What went wrong, the likely causes (a cloud token among them) and where to make one.
        expect(note).toContain('tfs.fabrikam.test did not accept this token: it may be mistyped, expired or revoked, or made somewhere else (a token from dev.azure.com does not open an Azure DevOps Server).');
        expect(note).toContain('Create a token on this server');
        // Words and a next step: not the page's markup, nor a bare TF code.
        expect(note).not.toMatch(/<|TF400813|Azure DevOps Server<|Client authentication required/);
        expect(await options.$eval('.pat-outcome [role="alert"] a', (a) => (a as HTMLAnchorElement).href)).toBe(`${collection}_usersSettings/tokens`);
        const checks = sandbox.services.log.entries().slice(asked).filter((e) => e.path.includes('/_apis/connectionData'));
        expect(checks.map((e) => e.status)).toEqual([401]);
      } finally {
        revoked.revoked = false;
      }
    }
    expect(sandbox.services.log.entries().slice(mark).filter((e) => e.path.includes('/_apis/connectionData'))).toHaveLength(3);
    expect(await profileNames()).toEqual(before);
    await options.click('input[name="pat-host"][value="cloud"]');
  });

  it('offers Cancel while it checks a server that does not answer, which stops the check and keeps the form as it was', async () => {
    const collection = 'https://tfs.fabrikam.test/tfs/DefaultCollection/';
    const pat = sandbox.patsByName['ada-onprem']!;
    const before = await profileNames();
    sandbox.services.faults.add({ match: { host: 'tfs.fabrikam.test', pathRegex: '/_apis/connectionData$' }, hang: true });
    const mark = sandbox.services.log.entries().length;
    await fillPat({ collection, pat });
    // The button says where it checks, and Cancel is the next stop from it.
    await waitForText(options, '.pat-form button[type="submit"]', 'Checking the token with tfs.fabrikam.test…');
    await screenshots(options, 'options-onprem-checking');
    await options.keyboard.press('Tab');
    expect(await options.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await options.keyboard.press('Enter');
    await options.waitForFunction(() => document.activeElement?.textContent === 'Add account', { timeout: 5000 });
    expect(await options.$eval('#pat-token', (e) => (e as HTMLInputElement).value)).toBe(pat);
    expect(await options.$eval('#pat-collection', (e) => (e as HTMLInputElement).value)).toBe(collection);
    expect(await options.$$('.pat-outcome [role="alert"], [data-testid="pat-added"]')).toHaveLength(0);
    // The request itself was given up: the server saw it closed without an answer, sent once.
    const checks = () => sandbox.services.log.entries().slice(mark).filter((e) => e.path.includes('/_apis/connectionData'));
    for (let i = 0; i < 50 && checks().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(checks().map((e) => e.status)).toEqual([0]);
    sandbox.services.faults.clear();
    expect(await profileNames()).toEqual(before);
    await options.click('input[name="pat-host"][value="cloud"]');
  });

  it('abandons the add when Options is closed during the check, as Cancel does: no account appears once the server answers', async () => {
    const before = await profileNames();
    // The server answers, but only after the page has gone; then the account would be added unseen.
    // (A hang would not tell: a check no one cancels ends in its own timeout, adding nothing either.)
    // `times` only to see when the check has reached the server: closed before, nothing would be logged.
    const held = sandbox.services.faults.add({ match: { host: 'tfs.fabrikam.test', pathRegex: '/_apis/connectionData$' }, latencyMs: 2000, times: 100 });
    const mark = sandbox.services.log.entries().length;
    const closing = await session.openExtensionPage('options');
    await closing.waitForSelector('#pat-org');
    await fillPat({ collection: 'https://tfs.fabrikam.test/tfs/DefaultCollection/', pat: sandbox.patsByName['ada-onprem']! }, closing);
    await waitForText(closing, '.pat-form button[type="submit"]', 'Checking the token with tfs.fabrikam.test…');
    await expect.poll(() => held.remaining, { timeout: 10_000 }).toBeLessThan(100);
    await closing.close();
    // Long past the server's answer (each API version tried waits 2 s): nothing more was asked, nothing added.
    await new Promise((r) => setTimeout(r, 6000));
    sandbox.services.faults.clear();
    const checks = sandbox.services.log.entries().slice(mark).filter((e) => e.path.includes('/_apis/connectionData'));
    expect(checks.map((e) => e.status)).toEqual([0]);
    const fresh = await session.openExtensionPage('options');
    await fresh.waitForSelector('.profile-list > li');
    expect(await profileNames(fresh)).toEqual(before);
    await fresh.close();
  });

  it('says a server that cannot be reached by its address, with the focus on the collection URL to check', async () => {
    await grantHostAccess(session, 'https://tfs.nowhere.test/*');
    const pat = sandbox.patsByName['ada-onprem']!;
    await fillPat({ collection: 'https://tfs.nowhere.test/tfs/DefaultCollection/', pat });
    const note = await waitForText(options, '.pat-outcome [role="alert"]', 'Could not reach', 30_000);
    expect(note).toContain(
      'Could not reach tfs.nowhere.test to read who you are signed in as. Check that the collection URL https://tfs.nowhere.test/tfs/DefaultCollection is right, and that this computer can reach the server (on your company’s network, or through its VPN).',
    );
    expect(note).not.toContain('internet connection');
    await options.waitForFunction(() => document.activeElement?.id === 'pat-collection', { timeout: 5000 });
    expect(await options.$eval('#pat-token', (e) => (e as HTMLInputElement).value)).toBe(pat);
    await screenshots(options, 'options-onprem-unreachable');
    await options.click('input[name="pat-host"][value="cloud"]');
  });

  it('signs in with Microsoft through the Entra stand-in and adds fabrikam', async () => {
    await options.type('#oauth-client-id', sandbox.entraClientId);
    await options.click('#oauth-save');
    await options.waitForSelector('#advanced [role="status"]');
    await signInWithMicrosoft(session, options, 'ada');
    const choice = await textOf(options, '.org-choice');
    expect(choice).toContain('Signed in as Ada Lovelace (ada@fabrikam.test)');
    expect(await options.$$eval('input[name="signin-org"]', (r) => r.map((x) => (x as HTMLInputElement).value))).toEqual(['contoso', 'fabrikam']);
    await options.click('input[name="signin-org"][value="fabrikam"]');
    await options.click('#signin-finish');
    const added = await waitForText(options, '[data-testid="signin-added"]', 'Added');
    expect(added).toContain('fabrikam (ada@fabrikam.test)');
    await options.waitForFunction(() => document.querySelectorAll('.profile-list > li').length === 4);
    expect(await textOf(options, '.profile-list > li[data-profile="fabrikam (ada@fabrikam.test)"]')).toContain('Microsoft sign-in');
  });

  it('explains TF400813 for contoso and opens the token form for it in one click', async () => {
    await options.click('[data-testid="signin-added"] button');
    await signInWithMicrosoft(session, options, 'ada');
    await options.click('input[name="signin-org"][value="contoso"]');
    await options.click('#signin-finish');
    await options.waitForSelector('[data-code="oauthDisabled"]', { timeout: 15_000 });
    const guidance = await textOf(options, '[data-code="oauthDisabled"]');
    expect(guidance).toContain('contoso does not allow sign-in from apps (TF400813)');
    expect(guidance).toContain('Third-party application access via OAuth');
    expect(await options.$eval('[data-code="oauthDisabled"] a', (a) => (a as HTMLAnchorElement).href)).toBe(
      'https://dev.azure.com/contoso/_settings/organizationPolicy',
    );
    await options.click('#use-pat-instead');
    await options.waitForFunction(() => document.activeElement?.id === 'pat-token');
    expect(await options.$eval('#pat-org', (e) => (e as HTMLInputElement).value)).toBe('contoso');
    expect(await options.$eval('input[name="pat-host"][value="cloud"]', (e) => (e as HTMLInputElement).checked)).toBe(true);
    expect(await profileNames()).toHaveLength(4);
  });

  it('says that a personal Microsoft account cannot sign in', async () => {
    await options.click('.org-choice button[type="button"]');
    await signInWithMicrosoft(session, options, 'morgan');
    const note = await waitForText(options, '.sign-in .note.error', 'Personal Microsoft accounts');
    expect(note).toContain('Use a work or school account, or connect with a personal access token instead.');
    expect(await options.$eval('.sign-in .note.error', (e) => (e as HTMLElement).dataset.code)).toBe('oauth.personalAccount');
  });

  it('drops a sign-in’s tokens when Options is closed at the organization choice, and when Cancel leaves it', async () => {
    const pendingKeys = async () => Object.keys(await options.evaluate(() => chrome.storage.session.get(null))).filter((k) => k.startsWith('pendingSignIn:'));
    const closing = await session.openExtensionPage('options');
    await signInWithMicrosoft(session, closing, 'ada');
    expect(await pendingKeys()).toHaveLength(1);
    await closing.close();
    await options.waitForFunction(async () => Object.keys(await chrome.storage.session.get(null)).every((k) => !k.startsWith('pendingSignIn:')), { timeout: 10_000 });
    await signInWithMicrosoft(session, options, 'ada');
    expect(await pendingKeys()).toHaveLength(1);
    await options.click('.org-choice button[type="button"]');
    await options.waitForFunction(async () => Object.keys(await chrome.storage.session.get(null)).every((k) => !k.startsWith('pendingSignIn:')), { timeout: 10_000 });
  });

  it('offers Save for the Microsoft sign-in settings once they are read: pressed before, it wrote the blank form over the client id set', async () => {
    const fresh = await session.browser.newPage();
    // Save pressed the moment it is drawn, as a quick keyboard user on a slow computer would.
    await fresh.evaluateOnNewDocument(() => {
      new MutationObserver((_, seen) => {
        const save = document.querySelector<HTMLButtonElement>('#oauth-save');
        if (!save) return;
        seen.disconnect();
        document.documentElement.dataset.saveWhileLoading = String(!save.disabled);
        save.click();
      }).observe(document, { childList: true, subtree: true });
    });
    try {
      await fresh.goto(`chrome-extension://${session.extensionId}/src/options/index.html`, { waitUntil: 'domcontentloaded' });
      // The settings read, or the save that click made said.
      await fresh.waitForFunction(() => !!(document.querySelector('#oauth-client-id') as HTMLInputElement | null)?.value || !!document.querySelector('#advanced [role="status"]'), { timeout: 10_000 });
      expect(await fresh.$eval('html', (h) => h.dataset.saveWhileLoading)).toBe('false');
      expect(await fresh.$eval('#oauth-client-id', (i) => (i as HTMLInputElement).value)).toBe(sandbox.entraClientId);
      const stored = (await ask(fresh, { type: 'settings.get' })) as { data: { oauth: { clientId: string } } };
      expect(stored.data.oauth.clientId).toBe(sandbox.entraClientId);
    } finally {
      await fresh.close();
    }
  });

  it("opens a Microsoft sign-in profile's editor at Sign in with Microsoft again, which renews it for its organization", async () => {
    const name = 'fabrikam (ada@fabrikam.test)';
    const listed = (await options.evaluate(() => chrome.runtime.sendMessage({ type: 'profiles.list' }))) as { data: { profiles: { id: string; name: string }[] } };
    const id = listed.data.profiles.find((p) => p.name === name)!.id;
    // Where a refused sign-in's "Update the token" leads.
    await options.evaluate((hash) => (location.hash = hash), `profiles/${encodeURIComponent(id)}`);
    const row = `.profile-list > li[data-profile="${name}"]`;
    await options.waitForFunction((sel) => document.activeElement?.closest(sel) && document.activeElement.textContent === 'Sign in with Microsoft again', { timeout: 10_000 }, `${row} .profile-editor`);
    // The sign-in starts at once, with the profile's organization chosen (contoso comes first otherwise).
    await signInWithMicrosoft(session, options, 'ada', `${row} .profile-editor button[data-renew]`);
    expect(await options.$eval('input[name="signin-org"]:checked', (r) => (r as HTMLInputElement).value)).toBe('fabrikam');
    await options.waitForFunction(() => document.activeElement?.id === 'signin-finish');
    await options.keyboard.press('Enter');
    const renewed = await waitForText(options, '[data-testid="signin-added"]', 'in again');
    expect(renewed).toContain(`Signed “${name}” in again`);
    expect(await profileNames()).toHaveLength(4);
    await options.evaluate(() => (location.hash = 'profiles'));
  });

  it('makes a profile active, edits its clone settings, exports without secrets, imports and removes', async () => {
    // fabrikam is still active: renewing its sign-in saved it, in its place (the first profile
    // stands for the active one until one is chosen). From the keyboard: Make active goes once the
    // profile is, and the focus moves to its Edit button beside it, not to the page; and back.
    expect(await options.$eval('.profile-list > li.active', (li) => li.getAttribute('data-profile'))).toBe('fabrikam');
    for (const name of ['contoso', 'fabrikam']) {
      const row = `.profile-list > li[data-profile="${name}"]`;
      // Focused for good: the address the test above set (#profiles) is followed a frame or more
      // later, and that moves the focus to the section; Enter then would make nothing active.
      await options.waitForFunction(
        async (sel: string) => {
          const button = [...document.querySelectorAll<HTMLElement>(`${sel} .row button`)].find((b) => b.textContent?.includes('Make active'));
          button?.focus();
          await new Promise((r) => setTimeout(r, 150));
          return !!button && document.activeElement === button;
        },
        { timeout: 10_000, polling: 200 },
        row,
      );
      await options.keyboard.press('Enter');
      await options.waitForSelector(`${row}.active`);
      expect(await options.evaluate((sel: string) => document.activeElement?.matches(`${sel} button[aria-expanded]`), row)).toBe(true);
    }

    await options.click('.profile-list > li[data-profile="fabrikam"] button[aria-expanded]');
    const layout = await options.waitForSelector('.profile-list > li[data-profile="fabrikam"] input[id$="-layout"]');
    await layout!.click({ clickCount: 3 });
    await layout!.type('{proj}/{repo}');
    expect(await textOf(options, '.profile-list > li[data-profile="fabrikam"] .profile-editor')).toContain('{proj} is not a placeholder');
    await layout!.click({ clickCount: 3 });
    await layout!.type('{project}');
    expect(await textOf(options, '.profile-list > li[data-profile="fabrikam"] .profile-editor')).toContain('Include {repo}');
    await layout!.type('/{repo}');
    await options.type('.profile-list > li[data-profile="fabrikam"] input[id$="-root"]', '/');
    expect(await textOf(options, '.profile-list > li[data-profile="fabrikam"] .profile-editor')).toContain('below the top of the drive');
    await options.type('.profile-list > li[data-profile="fabrikam"] input[id$="-root"]', 'home/ada/code');
    await options.click('.profile-list > li[data-profile="fabrikam"] input[type="radio"]:not(:checked)');
    await options.click('.profile-list > li[data-profile="fabrikam"] .profile-editor button[type="submit"]');
    // Saved once the editor is gone (its own text names SSH too, so the row's text cannot tell).
    await options.waitForSelector('.profile-list > li[data-profile="fabrikam"] .profile-editor', { hidden: true, timeout: 15_000 });
    await waitForText(options, '.profile-list > li[data-profile="fabrikam"]', 'SSH');
    // The editor closed with the focus in it: the focus is back on its Edit button, not on the page.
    expect(await options.evaluate(() => document.activeElement?.matches('.profile-list > li[data-profile="fabrikam"] button[aria-expanded]'))).toBe(true);
    const saved = (await options.evaluate(() => chrome.runtime.sendMessage({ type: 'profiles.list' }))) as {
      data: { profiles: { name: string; layout: string; cloneRoot?: string; protocol: string }[] };
    };
    expect(saved.data.profiles.find((p) => p.name === 'fabrikam')).toMatchObject({ layout: '{project}/{repo}', cloneRoot: '/home/ada/code', protocol: 'ssh' });

    // Edit puts the focus in the editor's first field, so Escape at once closes it again.
    await options.click('.profile-list > li[data-profile="fabrikam"] button[aria-expanded]');
    await options.waitForSelector('.profile-list > li[data-profile="fabrikam"] .profile-editor');
    expect(await options.evaluate(() => document.activeElement?.matches('.profile-list > li[data-profile="fabrikam"] .profile-editor input[id$="-name"]'))).toBe(true);
    await screenshots(options, 'options-profile-edit-focused');
    await options.keyboard.press('Escape');
    expect(await options.$('.profile-list > li[data-profile="fabrikam"] .profile-editor')).toBeNull();
    expect(await options.evaluate(() => document.activeElement?.matches('.profile-list > li[data-profile="fabrikam"] button[aria-expanded="false"]'))).toBe(true);

    // Escape closes the editor as Cancel does: nothing saved, the focus back on its Edit button.
    await options.click('.profile-list > li[data-profile="fabrikam"] button[aria-expanded]');
    const root = await options.waitForSelector('.profile-list > li[data-profile="fabrikam"] input[id$="-root"]');
    await root!.type('/elsewhere');
    await options.keyboard.press('Escape');
    expect(await options.$('.profile-list > li[data-profile="fabrikam"] .profile-editor')).toBeNull();
    expect(await options.evaluate(() => document.activeElement?.matches('.profile-list > li[data-profile="fabrikam"] button[aria-expanded="false"]'))).toBe(true);
    const kept = (await options.evaluate(() => chrome.runtime.sendMessage({ type: 'profiles.list' }))) as typeof saved;
    expect(kept.data.profiles.find((p) => p.name === 'fabrikam')).toMatchObject({ cloneRoot: '/home/ada/code' });

    // The editor saves what was changed in it: a clone folder saved elsewhere while it was open (the
    // Desktop companion's form) is not written back over by the one it opened with.
    const editor = '.profile-list > li[data-profile="fabrikam"] .profile-editor';
    const fabrikam = async () => ((await options.evaluate(() => chrome.runtime.sendMessage({ type: 'profiles.list' }))) as { data: { profiles: { id: string; name: string; cloneRoot?: string; protocol: string }[] } }).data.profiles.find((p) => p.name === 'fabrikam')!;
    await options.click('.profile-list > li[data-profile="fabrikam"] button[aria-expanded]');
    await options.waitForSelector(editor);
    await options.evaluate((id: string) => chrome.runtime.sendMessage({ type: 'profiles.update', id, patch: { cloneRoot: '/home/ada/elsewhere' } }), (await fabrikam()).id);
    await options.click(`${editor} input[type="radio"]:not(:checked)`);
    await options.click(`${editor} button[type="submit"]`);
    await options.waitForSelector(editor, { hidden: true, timeout: 15_000 });
    expect(await fabrikam()).toMatchObject({ protocol: 'https', cloneRoot: '/home/ada/elsewhere' });

    // Emptied, the clone folder is the companion's again, as its placeholder says.
    await options.click('.profile-list > li[data-profile="fabrikam"] button[aria-expanded]');
    const rootField = await options.waitForSelector(`${editor} input[id$="-root"]`);
    await rootField!.click({ clickCount: 3 });
    await options.keyboard.press('Backspace');
    await options.click(`${editor} input[type="radio"]:not(:checked)`);
    await options.click(`${editor} button[type="submit"]`);
    await options.waitForSelector(editor, { hidden: true, timeout: 15_000 });
    expect(await fabrikam()).toMatchObject({ protocol: 'ssh' });
    expect(await fabrikam()).not.toHaveProperty('cloneRoot');

    await options.click('.card#profiles .actions button');
    await waitForText(options, '#profiles .note.success', 'Exported 4 profiles');
    let file: string | undefined;
    for (let i = 0; i < 50 && !file; i++) {
      file = (await readdir(downloads)).find((f) => f.endsWith('.json'));
      if (!file) await new Promise((r) => setTimeout(r, 100));
    }
    const exported = await readFile(join(downloads, file!), 'utf8');
    expect(JSON.parse(exported).profiles).toHaveLength(4);
    for (const secret of Object.values(sandbox.patsByName)) expect(exported).not.toContain(secret);

    const parsed = JSON.parse(exported) as { format: string; profiles: { id: string; name: string }[] };
    // With one of an auth kind this version does not know: the others still come in, and the notice counts it.
    const copy = { ...parsed, profiles: [{ ...parsed.profiles[0]!, id: 'imported-profile', name: 'Imported copy' }, { ...parsed.profiles[0]!, id: 'later', name: 'Later kind', auth: 'certificate' }] };
    const importFile = join(downloads, 'import.json');
    await writeFile(importFile, JSON.stringify(copy));
    // Tab from Import profiles… goes on to something one can see, not to the hidden file field it opens.
    await options.focus('.card#profiles .actions button:nth-of-type(2)');
    await options.keyboard.press('Tab');
    expect(await options.evaluate(() => document.activeElement?.id)).not.toBe('profiles-import');
    const input = await options.$('#profiles-import');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(importFile);
    await waitForText(options, '#profiles .note.success', 'Imported 1 profile');
    expect(await textOf(options, '#profiles .note.success')).toContain('1 profile in it could not be read and was skipped');
    expect(await profileNames()).toContain('Imported copy');

    const row = '.profile-list > li[data-profile="Imported copy"]';
    // The focus follows the buttons that replace the one clicked: Keep, then Remove again, then the list.
    // On Keep as soon as the question is drawn, before the next frame: a second Enter must not land on the removal.
    const whenAsked = await focusWhenDrawn(options, `${row} button.danger`, `${row} .row button:last-of-type`);
    expect(whenAsked).toBe('Keep');
    expect(await textOf(options, row)).toContain('Remove “Imported copy”, its token and its reviewer groups');
    await options.keyboard.press('Enter');
    await options.waitForFunction(() => document.activeElement?.textContent === 'Remove', { timeout: 5000 });
    await options.keyboard.press('Enter');
    await options.waitForFunction(() => document.activeElement?.textContent === 'Keep', { timeout: 5000 });
    await options.click(`${row} button.danger`);
    await options.waitForFunction((sel: string) => !document.querySelector(sel), {}, row);
    expect(await profileNames()).toHaveLength(4);
    expect(await options.evaluate(() => document.activeElement?.id)).toBe('profiles-heading');
  });

  it('saves a branch name template; Default puts the default back, which is not saved until Save', async () => {
    await options.waitForSelector('#branch-template:not(:disabled)');
    await options.$eval('#branch-template', (e) => ((e as HTMLInputElement).value = ''));
    await options.type('#branch-template', 'work/{id}..{title-slug}');
    expect(await textOf(options, '#branch-names .problem')).not.toBe('');
    expect(await options.$eval('#branch-template-save', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await options.$eval('#branch-template', (e) => ((e as HTMLInputElement).value = ''));
    await options.type('#branch-template', 'work/{id}-{title-slug}');
    await options.click('#branch-template-save');
    await waitForText(options, '#branch-names [role="status"]', 'Saved.');
    expect((await options.evaluate(() => chrome.runtime.sendMessage({ type: 'settings.branchTemplate' }))) as unknown).toMatchObject({ data: { template: 'work/{id}-{title-slug}' } });

    await options.click('#branch-names button:not([type="submit"])');
    expect(await options.$eval('#branch-template', (e) => (e as HTMLInputElement).value)).toBe('users/{alias}/{id}-{title-slug}');
    // "Saved." is not left beside a value that is not.
    expect(await options.$('#branch-names [role="status"]')).toBeNull();
    expect((await options.evaluate(() => chrome.runtime.sendMessage({ type: 'settings.branchTemplate' }))) as unknown).toMatchObject({ data: { template: 'work/{id}-{title-slug}' } });
    await options.click('#branch-template-save');
    await waitForText(options, '#branch-names [role="status"]', 'Saved.');
  });

  it('the branch name template and the editor that could not be read say so, and Try again reads them with the focus on the heading', async () => {
    const page = await session.browser.newPage();
    // The worker gives no answer to each setting's first read (as when it was stopped mid-request).
    await page.evaluateOnNewDocument(() => {
      const send = chrome.runtime.sendMessage.bind(chrome.runtime) as (...args: unknown[]) => Promise<unknown>;
      const unanswered = new Set(['settings.branchTemplate', 'settings.editor']);
      (chrome.runtime as { sendMessage: unknown }).sendMessage = (...args: unknown[]) => {
        const type = (args[0] as { type?: string } | undefined)?.type ?? '';
        return unanswered.delete(type) ? Promise.resolve(undefined) : send(...args);
      };
    });
    try {
      await page.goto(`chrome-extension://${session.extensionId}/src/options/index.html`, { waitUntil: 'domcontentloaded' });
      await page.setViewport({ width: 1100, height: 900 });
      for (const [section, title, ready] of [
        ['branch-names', 'Could not read the branch name template', '#branch-template:not(:disabled)'],
        ['editor', 'Could not read the editor setting', '#editor fieldset:not([disabled])'],
      ] as const) {
        await waitForText(page, `#${section} .note.error`, title);
        // From the keyboard: the note goes with its Try again, and the heading holds the focus, a Tab before what was read.
        await page.$$eval(`#${section} .note.error button`, (bs) => bs.find((b) => b.textContent === 'Try again')!.focus());
        await page.keyboard.press('Enter');
        await page.waitForSelector(ready);
        expect(await page.$(`#${section} .note.error`)).toBeNull();
        expect(await page.evaluate(() => document.activeElement?.id)).toBe(`${section}-heading`);
      }
    } finally {
      await page.close();
      await options.bringToFront();
    }
  });

  it('shows the companion section with the install command for this computer when it is missing', async () => {
    const status = await options.waitForSelector('[data-testid="companion-status"]');
    expect(await status!.evaluate((e) => (e as HTMLElement).dataset.state)).toBe('missing');
    // The browser's platform picks the instructions; on this machine Linux on x86-64.
    const platform = await options.evaluate(() => chrome.runtime.getPlatformInfo());
    const steps = installInstructions(companionOs(platform.os), platform.arch);
    expect(await textOf(options, '#companion pre')).toBe(steps.commands.join('\n'));
    expect(await textOf(options, '#companion [data-testid="install-steps"]')).toContain(steps.explanation);
    await options.evaluate(() => window.scrollTo(0, 0));
    await screenshots(options, 'options', { fullPage: true });
  });
});
