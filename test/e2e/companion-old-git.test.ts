import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { CAPABILITIES } from '../../src/shared/host-constants';
import { installFakeCompanion } from './fake-companion';
import { ask, launch, type Session } from './harness';
import { ContentWorld, signedInPage } from './page-helpers';
import { addPatProfile, openPopup, textOf, waitForText } from './ui-steps';

/**
 * A companion whose git is older than the one it runs (2.31): Options, the pages and the popup say
 * that git is what to update, with where to get it, and never that the companion is missing or
 * outdated. The companion itself would refuse the requests (GIT_TOO_OLD); this one is never asked.
 */
const POPOVER = '.adoc-popover';

let sandbox: Sandbox;
let session: Session;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox);
  await installFakeCompanion(session, 'old-git-companion.js', { version: '9.9.9', capabilities: [...CAPABILITIES, 'alive'], git: '2.30.9', sshKeygen: true }, { code: 'INTERNAL', message: 'asked $type' });
  const options = await session.openExtensionPage('options');
  await addPatProfile(options, 'fabrikam', sandbox.pats.fabrikam!);
  expect(await ask(options, { type: 'companion.status' })).toMatchObject({ ok: true, data: { state: 'gitTooOld', message: expect.stringContaining('git 2.30.9 on this computer is too old') } });
  await options.close();
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
});

describe('a companion whose git is too old', () => {
  it("Options' companion section names the git, what it needs, and links to git's download", async () => {
    const options = await session.openExtensionPage('options');
    await options.waitForSelector('[data-testid="companion-status"][data-state="gitTooOld"]', { timeout: 20_000 });
    const text = await textOf(options, '[data-testid="companion-status"]');
    expect(text).toContain('The desktop companion needs a newer git');
    expect(text).toContain('git 2.30.9 on this computer is too old for the companion: it needs git 2.31 or newer');
    expect(text).not.toContain('install the companion');
    const link = await options.$eval('[data-testid="companion-status"] a.button', (a) => [a.textContent, a.getAttribute('href')]);
    expect(link).toEqual(['Download git', 'https://git-scm.com/downloads']);
    await options.close();
  });

  it('Clone to desktop says git is too old, links to its download and offers Update git', async () => {
    const page = await signedInPage(session, '/fabrikam/Platform/_git/platform-tools');
    const world = await ContentWorld.of(page, session.extensionId);
    await page.waitForSelector('.adoc-clone-to-desktop', { timeout: 15_000 });
    await world.click('.adoc-clone-to-desktop', 'button');
    const [text] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Or clone it yourself'));
    expect(text).toContain('git on this computer is too old');
    expect(text).toContain('it needs git 2.31 or newer');
    expect(text).toContain('Download git');
    expect(text).not.toContain('not installed');
    expect(text).not.toContain('needs an update');
    const buttons = await world.run<string[]>(`(sel) => [...chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('button')].map((b) => b.textContent)`, POPOVER);
    expect(buttons).toContain('Update git');
    const href = await world.run<string | null>(`(sel) => [...chrome.dom.openOrClosedShadowRoot(document.querySelector(sel)).querySelectorAll('a')].find((a) => a.textContent === 'Download git')?.getAttribute('href') ?? null`, POPOVER);
    expect(href).toBe('https://git-scm.com/downloads');
    await page.close();
  });

  it('the popup says so for cloning and on its Pull requests tab, with Update git', async () => {
    const popup = await openPopup(session);
    await popup.waitForSelector('#repo-list [data-repo="Platform"]', { timeout: 20_000 });
    await popup.click('#repo-list [data-repo="Platform"]');
    await waitForText(popup, '[data-testid="repo-actions"]', 'git on this computer is too old');
    expect(await textOf(popup, '[data-testid="repo-actions"] button.primary')).toBe('Update git');
    await popup.click('#tab-prs');
    const note = await waitForText(popup, '[data-testid="companion-note"]', 'git on this computer is too old');
    expect(note).toContain('Update git');
    await popup.close();
  });
});
