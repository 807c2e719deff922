/**
 * The parts of the options page and popup that need the desktop companion, with the real
 * companion installed by its own installer into a private HOME: its status and clone folder,
 * cloning from the popup with progress, and the SSH key (create, show, add to Azure DevOps).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { access, copyFile, mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { CollectionUrls } from '../../sandbox/urls';
import { COMPANION_POLL_MS } from '../../src/shared/companion-poll';
import { upsertBlock } from '../../src/host/ssh-config-block';
import { HOST_NAME } from '../../src/shared/host-constants';
import { companionPids, processesOf, waitUntil } from '../reliability/harness';
import { ask, launchWithCompanion, privateHome, type Session } from './harness';
import { addPatProfile, grantHostAccess, openPopup, screenshots, signInWithMicrosoft, textOf, waitForText } from './ui-steps';
import { KEEP_MS } from '../../src/options/kept-in-view';

let sandbox: Sandbox;
let session: Session;
let home: Awaited<ReturnType<typeof privateHome>>;
let options: Page;
let cloneRoot: string;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  ({ session, home } = await launchWithCompanion(sandbox));
  cloneRoot = join(home.home, 'code');
  options = await session.openExtensionPage('options');
  await options.setViewport({ width: 1100, height: 900 });
  await addPatProfile(options, 'fabrikam', sandbox.pats.fabrikam!);
  await options.evaluate((id) => chrome.runtime.sendMessage({ type: 'settings.setOAuth', clientId: id, tenant: 'organizations' }), sandbox.entraClientId);
  await options.reload();
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
});

/** A new popup with `name` found and selected. */
async function popupOn(name: string): Promise<Page> {
  const popup = await openPopup(session);
  await popup.waitForSelector('.repos-tab:not([data-snapshot]) #repo-list [role="option"]', { timeout: 20_000 });
  await popup.type('#repo-search', name);
  await popup.waitForFunction((n) => document.querySelector('#repo-list [role="option"]')?.getAttribute('data-repo') === n, {}, name);
  await popup.click(`#repo-list [data-repo="${name}"]`);
  return popup;
}

/** ~/.ssh as the next test expects it: no key, no config. */
async function noKey(): Promise<void> {
  for (const name of ['id_rsa_azure_devops', 'id_rsa_azure_devops.pub', 'id_rsa', 'id_rsa.pub', 'config']) await rm(join(home.home, '.ssh', name), { force: true });
  await options.reload();
  await options.waitForSelector('#ssh-generate:not(:disabled)', { timeout: 20_000 });
}

describe('with the desktop companion installed', () => {
  it('shows the companion ready and saves the clone folder', async () => {
    await options.waitForSelector('[data-testid="companion-status"][data-state="ready"]', { timeout: 20_000 });
    const status = await textOf(options, '[data-testid="companion-status"]');
    expect(status).toContain('The desktop companion is ready');
    expect(status).toMatch(/Version\d+\.\d+\.\d+/);
    expect(status).toMatch(/git\d/);

    await options.type('#clone-root', 'code');
    expect(await textOf(options, '.clone-root .problem')).toMatch(/absolute folder/);
    await options.$eval('#clone-root', (e) => ((e as HTMLInputElement).value = ''));
    await options.type('#clone-root', cloneRoot);
    await options.click('.clone-root button[type="submit"]');
    await waitForText(options, '.clone-root .hint', `Saved: new clones of this profile go to ${cloneRoot}.`);
    expect(await textOf(options, '[data-testid="companion-status"]')).toContain(cloneRoot);

    // A profile's editor names the folder an empty Clone folder means (the companion's first, where
    // its installer began), not "the companion's first clone folder".
    await options.click('.profile-list > li[data-profile="fabrikam"] button[aria-expanded]');
    const root = await options.waitForSelector('.profile-list > li[data-profile="fabrikam"] input[id$="-root"]');
    expect(await root!.evaluate((e) => (e as HTMLInputElement).value)).toBe(cloneRoot);
    expect(await root!.evaluate((e) => (e as HTMLInputElement).placeholder)).toBe(`${join(home.home, 'source', 'repos')} (the companion’s)`);
    await options.keyboard.press('Escape');
  });

  it('shows the clone folder the profile editor saved, so Save here cannot write the old one back', async () => {
    const editor = '.profile-list > li[data-profile="fabrikam"] .profile-editor';
    expect(await options.$eval('#clone-root', (e) => (e as HTMLInputElement).value)).toBe(cloneRoot);
    try {
      // Emptied in the editor: clones go to the companion's folder again.
      await options.click('.profile-list > li[data-profile="fabrikam"] button[aria-expanded]');
      await options.waitForSelector(`${editor} input[id$="-root"]`);
      await options.$eval(`${editor} input[id$="-root"]`, (e) => (e as HTMLInputElement).select());
      await options.keyboard.press('Backspace');
      await options.click(`${editor} button[type="submit"]`);
      await options.waitForSelector(editor, { hidden: true, timeout: 15_000 });
      await options.waitForFunction(() => (document.querySelector('#clone-root') as HTMLInputElement | null)?.value === '', { timeout: 10_000 });
      expect(await options.$eval('.clone-root button[type="submit"]', (e) => (e as HTMLButtonElement).disabled)).toBe(true);
    } finally {
      await options.$eval('#clone-root', (e) => ((e as HTMLInputElement).value = ''));
      await options.type('#clone-root', cloneRoot);
      await options.click('.clone-root button[type="submit"]');
      await waitForText(options, '.clone-root .hint', `Saved: new clones of this profile go to ${cloneRoot}.`);
    }
  });

  it('keys typed into the clone folder the moment it is drawn stay: nothing after the first paint puts the saved folder back', async () => {
    // The "keys" are put in by the page itself, in the task that draws the field, so they always
    // come before the draw's effects (after the next frame, or 100 ms in a tab not shown).
    const page = await session.browser.newPage();
    try {
      await page.evaluateOnNewDocument(() => {
        new MutationObserver((_, seen) => {
          const field = document.getElementById('clone-root') as HTMLInputElement | null;
          if (!field) return;
          seen.disconnect();
          field.value = '/tmp/typed-first';
          field.dispatchEvent(new Event('input', { bubbles: true }));
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(`chrome-extension://${session.extensionId}/src/options/index.html`, { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('#clone-root');
      // Past the draw's effects: the next frame, or 100 ms where frames wait (a tab not shown).
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 400)));
      expect(await page.$eval('#clone-root', (e) => (e as HTMLInputElement).value)).toBe('/tmp/typed-first');
    } finally {
      await page.close();
    }
  });

  it('clones from the popup with a progress bar, then offers to open it and marks it cloned', async () => {
    const popup = await openPopup(session);
    await popup.waitForSelector('#repo-list [data-repo="docs"]', { timeout: 20_000 });
    await popup.click('#repo-list [data-repo="docs"]');
    await popup.evaluate(() => {
      // Cloning a small repository is quick: remember that the progress bar was there at all.
      const seen = new MutationObserver(() => {
        if (document.querySelector('[role="progressbar"]')) (window as unknown as { sawProgress: boolean }).sawProgress = true;
      });
      seen.observe(document.body, { childList: true, subtree: true });
    });
    await popup.click('[data-testid="repo-actions"] button.primary');
    const done = await waitForText(popup, '[data-testid="repo-actions"] .feedback', 'Cloned to', 60_000);
    const path = join(cloneRoot, 'fabrikam/Fabrikam Fiber/docs');
    expect(done).toBe(`Cloned to ${path}`);
    expect(await popup.evaluate(() => (window as unknown as { sawProgress?: boolean }).sawProgress)).toBe(true);
    await access(join(path, '.git'));
    expect(await popup.$$eval('[data-testid="repo-actions"] button', (b) => b.map((x) => x.textContent))).toEqual(
      expect.arrayContaining(['Open folder', 'Open in editor']),
    );
    await popup.waitForSelector('#repo-list [data-repo="docs"] .badge.success');
    await popup.close();

    // A new popup learns it from the companion's list of clones.
    const again = await openPopup(session);
    await again.waitForSelector('#repo-list [data-repo="docs"] .badge.success', { timeout: 20_000 });
    expect(await again.$$eval('#repo-list .badge.success', (b) => b.length)).toBe(1);
    await again.click('#repo-list [data-repo="docs"]');
    await waitForText(again, '[data-testid="repo-actions"] .feedback', `Cloned at ${path}`);
    await again.close();
  });

  it('keeps a clone going when the popup closes: the popup opened again shows its progress, then how it ended', async () => {
    // Held at the ref listing, so the clone is still running when the popup closes.
    sandbox.services.faults.add({ match: { pathRegex: 'platform-tools/info/refs' }, latencyMs: 12_000, times: 1 });
    const first = await popupOn('platform-tools');
    await first.click('[data-testid="repo-actions"] button.primary');
    await first.waitForSelector('[data-testid="repo-actions"] [role="progressbar"]');
    await first.close();

    const again = await popupOn('platform-tools');
    // The row says so, and the actions show the progress with Cancel, not Clone.
    await again.waitForSelector('#repo-list [data-repo="platform-tools"] .badge');
    expect(await textOf(again, '#repo-list [data-repo="platform-tools"] .badge')).toMatch(/^cloning \d+%$/);
    await again.waitForSelector('[data-testid="repo-actions"] [role="progressbar"]');
    expect(await again.$$eval('[data-testid="repo-actions"] button', (b) => b.map((x) => x.textContent))).toContain('Cancel');
    // Its folder exists already, but it is not a clone to open until git is done.
    expect(await textOf(again, '[data-testid="repo-actions"] .feedback')).toBe('');
    const path = join(cloneRoot, 'fabrikam/Platform/platform-tools');
    expect(await waitForText(again, '[data-testid="repo-actions"] .feedback', 'Cloned to', 60_000)).toBe(`Cloned to ${path}`);
    await access(join(path, '.git'));
    await again.close();

    // A clone that fails after its popup closed: the next popup says why, until it is dismissed.
    sandbox.services.faults.add({ match: { pathRegex: 'build-scripts/info/refs' }, latencyMs: 2000, status: 500, times: 1 });
    const third = await popupOn('build-scripts');
    await third.click('[data-testid="repo-actions"] button.primary');
    await third.waitForSelector('[data-testid="repo-actions"] [role="progressbar"]');
    await third.close();
    const fourth = await popupOn('build-scripts');
    await fourth.waitForSelector('[data-testid="clone-failed"]', { timeout: 30_000 });
    // The companion listed its folder while git ran; read again once the clone ended, it is gone.
    await fourth.waitForFunction(() => [...document.querySelectorAll('#repo-list [data-repo="build-scripts"] .badge')].map((b) => b.textContent).join() === 'clone failed', { timeout: 10_000 });
    expect(await fourth.$$eval('[data-testid="clone-failed"] button', (b) => b.map((x) => x.textContent))).toContain('Try again');
    await fourth.$$eval('[data-testid="clone-failed"] button.link', (b) => (b.at(-1) as HTMLButtonElement).click());
    await fourth.waitForSelector('[data-testid="clone-failed"]', { hidden: true });
    await fourth.close();
    const fifth = await popupOn('build-scripts');
    expect(await fifth.$$eval('[data-testid="repo-actions"] button', (b) => b.map((x) => x.textContent))).toContain('Clone');
    expect(await fifth.$('[data-testid="clone-failed"]')).toBeNull();
    // Not only not drawn yet: the background no longer lists it.
    const board = await fifth.evaluate(() => chrome.runtime.sendMessage({ type: 'clone.tasks' }));
    expect(board).toMatchObject({ ok: true });
    expect((board as { data: { tasks: { repo: { name: string } }[] } }).data.tasks.map((t) => t.repo.name)).not.toContain('build-scripts');
    await fifth.close();
    sandbox.services.faults.clear();
  });

  it('cancels a clone from the popup: the button says Cancelling… until git has stopped, and nothing is left', async () => {
    sandbox.services.faults.add({ match: { pathRegex: 'design-system/info/refs' }, latencyMs: 20_000, times: 1 });
    const popup = await popupOn('design-system');
    await popup.click('[data-testid="repo-actions"] button.primary');
    await popup.waitForSelector('[data-testid="repo-actions"] [role="progressbar"]');
    await popup.evaluate(() => {
      const w = window as unknown as { seen: string[] };
      w.seen = [];
      new MutationObserver(() => {
        const b = document.querySelector('[data-testid="repo-actions"] .clone-progress button');
        if (b) w.seen.push(`${b.textContent} ${b.getAttribute('aria-disabled')}`);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await popup.click('[data-testid="repo-actions"] .clone-progress button');
    expect(await waitForText(popup, '[data-testid="repo-actions"] .feedback', 'Clone cancelled.', 30_000)).toBe('Clone cancelled.');
    expect(await popup.evaluate(() => (window as unknown as { seen: string[] }).seen)).toContain('Cancelling… true');
    expect(existsSync(join(cloneRoot, 'fabrikam/Platform/design-system'))).toBe(false);
    await popup.close();
    sandbox.services.faults.clear();
  });

  it('a companion killed while ssh-keygen runs: Try again starts a new one and creates the key, and no other key is left in ~/.ssh', async () => {
    await options.reload();
    try {
      await options.locator('#ssh-generate:not(:disabled)').setTimeout(20_000).click();
      // Caught at work (an RSA 4096 key takes a while): its companion is killed, ssh-keygen runs on in
      // a process group of its own and writes what it made after the companion is gone.
      const keygen = await waitUntil('ssh-keygen to run', () => processesOf(home.home).find((p) => p.comm === 'ssh-keygen' && p.cmdline.includes('-t'))?.pid, 20_000, 5);
      const parent = Number(readFileSync(`/proc/${keygen}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      expect(companionPids(home.home)).toContain(parent);
      process.kill(parent, 'SIGKILL');
      const note = await waitForText(options, '#ssh [role="alert"]', 'stopped unexpectedly', 20_000);
      expect(note).toContain('Try again');
      expect(await options.$$eval('#ssh [role="alert"] :is(a, button)', (bs) => bs.map((b) => b.textContent))).toEqual(['Try again']);
      await options.waitForFunction(() => document.activeElement?.textContent === 'Try again', { timeout: 5000 });
      await waitUntil('the orphaned ssh-keygen to end', () => !processesOf(home.home).some((p) => p.pid === keygen), 60_000);

      await options.keyboard.press('Enter');
      await options.waitForSelector('#ssh-public-key', { timeout: 60_000 });
      expect(await textOf(options, '#ssh')).toContain('A new RSA key was created and ~/.ssh/config now uses it for Azure DevOps');
      const ssh = join(home.home, '.ssh');
      const publicKey = await options.$eval('#ssh-public-key', (t) => (t as HTMLTextAreaElement).value.trim());
      expect(readFileSync(join(ssh, 'id_rsa_azure_devops.pub'), 'utf8').trim()).toBe(publicKey);
      // The killed run's key went with it: ~/.ssh holds the one key in use, not a second one nothing uses.
      expect(readdirSync(ssh).toSorted()).toEqual(['config', 'id_rsa_azure_devops', 'id_rsa_azure_devops.pub']);
    } finally {
      await noKey();
    }
  });

  it('a key already there when Create runs (a killed companion linked it before it wrote ~/.ssh/config) is shown as it is, not refused', async () => {
    // What a companion killed between placing the key and writing ~/.ssh/config leaves, while the page still shows no key.
    const keyPath = join(home.home, '.ssh', 'id_rsa_azure_devops');
    // Asynchronously: the sandbox answers from this process meanwhile.
    await promisify(execFile)('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'made-before', '-f', keyPath]);
    const before = readFileSync(keyPath, 'utf8');
    try {
      await options.click('#ssh-generate');
      await waitForText(options, '[data-testid="ssh-outcome"]', 'An RSA key was there already, so no new one was made', 20_000);
      expect(await options.$eval('#ssh-public-key', (t) => (t as HTMLTextAreaElement).value.trim())).toBe(readFileSync(`${keyPath}.pub`, 'utf8').trim());
      expect(await options.$('#ssh [role="alert"]')).toBeNull();
      expect(readFileSync(keyPath, 'utf8')).toBe(before);
    } finally {
      await noKey();
    }
  });

  it('a key made by hand that ~/.ssh/config does not name: Use it for Azure DevOps writes the block naming it', async () => {
    // Under a name of its own (not the one Create uses), and no ~/.ssh/config at all.
    const ssh = join(home.home, '.ssh');
    await promisify(execFile)('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'made-by-hand', '-f', join(ssh, 'id_rsa')]);
    const config = join(ssh, 'config');
    try {
      await options.reload();
      await options.waitForSelector('#ssh-configure:not(:disabled)', { timeout: 20_000 });
      expect(await textOf(options, '#ssh .key-value')).toContain('~/.ssh/configdoes not name this key for Azure DevOps yet');
      expect(await options.$eval('#ssh-public-key', (t) => (t as HTMLTextAreaElement).value.trim())).toBe(readFileSync(join(ssh, 'id_rsa.pub'), 'utf8').trim());
      expect(existsSync(config)).toBe(false);

      await options.focus('#ssh-configure');
      await options.keyboard.press('Enter');
      await waitForText(options, '[data-testid="ssh-outcome"]', '~/.ssh/config now uses this key for ssh.dev.azure.com and vs-ssh.visualstudio.com.', 20_000);
      expect(await textOf(options, '#ssh .key-value')).toContain('~/.ssh/configuses this key for Azure DevOps');
      expect(await options.$('#ssh-configure')).toBeNull();
      expect(await options.$('#ssh [role="alert"]')).toBeNull();
      // The button went away: the focus is on the section's next step, adding the key to Azure DevOps.
      expect(await options.evaluate(() => document.activeElement?.id)).toBe('ssh-add');
      const written = readFileSync(config, 'utf8');
      expect(written).toContain('# >>> Azure DevOps Companion >>>');
      expect(written).toMatch(/^Host ssh\.dev\.azure\.com vs-ssh\.visualstudio\.com\n {2}IdentityFile ~\/\.ssh\/id_rsa\n/m);
      // And ssh itself, reading it, now offers that key to Azure DevOps.
      const { stdout } = await promisify(execFile)('ssh', ['-G', '-F', config, '--', 'ssh.dev.azure.com'], { env: { ...process.env, HOME: home.home } });
      // (As written, or expanded, as some ssh versions print it.)
      expect(stdout.split('\n').filter((l) => l === 'identityfile ~/.ssh/id_rsa' || l === `identityfile ${join(ssh, 'id_rsa')}`)).toHaveLength(1);
    } finally {
      await noKey();
    }
  });

  it('a key with a passphrase ssh-agent does not hold: Options says git cannot use it and how to load it, and Create makes a key for Azure DevOps instead', async () => {
    const ssh = join(home.home, '.ssh');
    await mkdir(ssh, { recursive: true, mode: 0o700 });
    await promisify(execFile)('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', 'secret-pass', '-C', 'locked', '-f', join(ssh, 'id_rsa')]);
    try {
      await options.reload();
      await options.waitForSelector('#ssh-passphrase', { timeout: 20_000 });
      const note = await textOf(options, '#ssh-passphrase');
      expect(note).toContain('This key has a passphrase, and ssh-agent does not hold it');
      expect(note).toContain(`ssh-add ${join(ssh, 'id_rsa')}`);
      expect(note).toContain('OpenSSH Authentication Agent');
      expect(await options.$$eval('#ssh-passphrase button', (bs) => bs.map((b) => b.textContent))).toEqual(['Check again', 'Create a key for Azure DevOps']);
      await options.click('#ssh-passphrase #ssh-generate');
      await waitForText(options, '#ssh', 'A new RSA key was created and ~/.ssh/config now uses it for Azure DevOps', 60_000);
      expect(await options.$('#ssh-passphrase')).toBeNull();
      expect(await textOf(options, '#ssh .key-value')).toContain(join(ssh, 'id_rsa_azure_devops.pub'));
    } finally {
      await noKey();
    }
  });

  it('a key the user’s own Host section names: Options says ssh has it for those hosts, and offers the block only where it can help', async () => {
    // ssh takes a key named there, wherever it lives; the companion names only keys inside ~/.ssh in its block.
    const elsewhere = join(home.home, 'elsewhere');
    await mkdir(elsewhere, { recursive: true });
    await promisify(execFile)('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'outside', '-f', join(elsewhere, 'id_rsa')]);
    const config = join(home.home, '.ssh', 'config');
    /** The page after a reload with `text` as ~/.ssh/config, once the key is shown. */
    const withConfig = async (text: string) => {
      await writeFile(config, text, { mode: 0o600 });
      await options.reload();
      await options.waitForSelector('#ssh-public-key', { timeout: 20_000 });
      return textOf(options, '#ssh .key-value');
    };
    try {
      // Every host of the profiles (the cloud pair) served already: nothing to offer.
      const both = `Host ssh.dev.azure.com vs-ssh.visualstudio.com\n  IdentityFile ${join(elsewhere, 'id_rsa')}\n`;
      let shown = await withConfig(both);
      expect(shown).toContain(join(elsewhere, 'id_rsa.pub'));
      expect(shown).toContain('Your ~/.ssh/config already gives ssh this key for ssh.dev.azure.com and vs-ssh.visualstudio.com.');
      expect(await options.$('#ssh-configure')).toBeNull();

      // One host left, but a key outside ~/.ssh the companion cannot name: it says so instead of offering what must fail.
      shown = await withConfig(`Host ssh.dev.azure.com\n  IdentityFile ${join(elsewhere, 'id_rsa')}\n`);
      expect(shown).toContain('Your ~/.ssh/config already gives ssh this key for ssh.dev.azure.com. Not for vs-ssh.visualstudio.com: the companion names only keys kept in ~/.ssh.');
      expect(await options.$('#ssh-configure')).toBeNull();

      // Kept in ~/.ssh, the host left is offered, and the block names it.
      for (const ext of ['', '.pub']) await copyFile(join(elsewhere, `id_rsa${ext}`), join(home.home, '.ssh', `id_rsa${ext}`));
      const inside = 'Host ssh.dev.azure.com\n  IdentityFile ~/.ssh/id_rsa\n';
      shown = await withConfig(inside);
      expect(shown).toContain('Your ~/.ssh/config already gives ssh this key for ssh.dev.azure.com. Not for vs-ssh.visualstudio.com yet Use it for Azure DevOps');
      await options.click('#ssh-configure');
      await waitForText(options, '[data-testid="ssh-outcome"]', '~/.ssh/config now uses this key for ssh.dev.azure.com and vs-ssh.visualstudio.com.', 20_000);
      expect(await textOf(options, '#ssh .key-value')).toContain('~/.ssh/configuses this key for Azure DevOps');
      expect(readFileSync(config, 'utf8')).toMatch(/^Host ssh\.dev\.azure\.com vs-ssh\.visualstudio\.com\n {2}IdentityFile ~\/\.ssh\/id_rsa\n/m);
      expect(readFileSync(config, 'utf8').endsWith(inside)).toBe(true);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
      await noKey();
    }
  });

  it('Match rules in ~/.ssh/config: Options says it cannot tell what they give, rather than “not yet”, and still offers the block', async () => {
    const ssh = join(home.home, '.ssh');
    await promisify(execFile)('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'made-by-hand', '-f', join(ssh, 'id_rsa')]);
    const config = join(ssh, 'config');
    await writeFile(config, 'Match host ssh.dev.azure.com exec true\n  IdentityFile ~/.ssh/id_rsa\n', { mode: 0o600 });
    try {
      await options.reload();
      await options.waitForSelector('#ssh-configure:not(:disabled)', { timeout: 20_000 });
      const shown = await textOf(options, '#ssh .key-value');
      expect(shown).toContain(`~/.ssh/confighas Match rules the companion cannot evaluate (in ${config}), so it cannot tell whether ssh uses this key for Azure DevOps. Use it for Azure DevOps`);
      expect(shown).not.toContain('yet');
    } finally {
      await noKey();
    }
  });

  it('a file ~/.ssh/config includes is above 1 MiB: the companion does not read it, and Options says it cannot tell, rather than “not yet”', async () => {
    const ssh = join(home.home, '.ssh');
    await promisify(execFile)('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'made-by-hand', '-f', join(ssh, 'id_rsa')]);
    const big = join(ssh, 'big');
    // Sparse: as large as the companion sees it, in no time.
    await writeFile(big, 'Host ssh.dev.azure.com\n  IdentityFile ~/.ssh/id_rsa\n', { mode: 0o600 });
    await truncate(big, 2 * 1024 * 1024);
    await writeFile(join(ssh, 'config'), 'Include big\n', { mode: 0o600 });
    try {
      await options.reload();
      await options.waitForSelector('#ssh-configure:not(:disabled)', { timeout: 20_000 });
      const shown = await textOf(options, '#ssh .key-value');
      expect(shown).toContain(
        `~/.ssh/confighas parts the companion did not read (in ${big}: too large, or naming too many files; its log says why), so it cannot tell whether ssh uses this key for Azure DevOps. Use it for Azure DevOps`,
      );
      expect(shown).not.toContain('yet');
    } finally {
      await rm(big, { force: true });
      await noKey();
    }
  });

  it('the public half of the key the block names cannot be read: Options says so and what to do, rather than show another key', async () => {
    const ssh = join(home.home, '.ssh');
    const key = join(ssh, 'id_rsa_azure_devops');
    // A usable key beside it, which find would otherwise show (and Use it would put in the block instead).
    await promisify(execFile)('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'other', '-f', join(ssh, 'id_rsa')]);
    await promisify(execFile)('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'ours', '-f', key]);
    await writeFile(join(ssh, 'config'), upsertBlock('', { hosts: ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'], identityFile: '~/.ssh/id_rsa_azure_devops' }).text, { mode: 0o600 });
    await rm(`${key}.pub`);
    await mkdir(`${key}.pub`);
    try {
      await options.reload();
      const alert = await waitForText(options, '#ssh [role="alert"]', 'Your SSH key cannot be shown', 20_000);
      expect(alert).toContain(`the public half of your SSH key, ${key}.pub, cannot be read (it is a folder, not a file): put the public key back in its place (ssh-keygen -y -f ${key} prints it), or move ${key} and its .pub out of ~/.ssh, then create a new key`);
      expect(await options.$('#ssh-public-key')).toBeNull();
      // Mended as it says, Try again shows the key.
      await rm(`${key}.pub`, { recursive: true });
      const { stdout } = await promisify(execFile)('ssh-keygen', ['-y', '-f', key]);
      await writeFile(`${key}.pub`, stdout);
      await options.click('#ssh [role="alert"] button');
      await options.waitForSelector('#ssh-public-key', { timeout: 20_000 });
      expect(await options.$eval('#ssh-public-key', (t) => (t as HTMLTextAreaElement).value.trim())).toBe(stdout.trim());
      expect(await textOf(options, '#ssh .key-value')).toContain('~/.ssh/configuses this key for Azure DevOps');
    } finally {
      await rm(`${key}.pub`, { recursive: true, force: true });
      await noKey();
    }
  });

  it('a look for the key that failed: Try again shows the look again, with the focus on the heading, a Tab from what it finds', async () => {
    // A ~/.ssh/config the companion cannot read (a folder here) makes its look fail.
    const config = join(home.home, '.ssh', 'config');
    await mkdir(config);
    try {
      await options.reload();
      const alert = await waitForText(options, '#ssh [role="alert"]', 'Could not look for your SSH key', 20_000);
      // The companion works: the file is what failed, and setting the companion up would not help.
      expect(alert).not.toContain('Set up the companion');
      // Said as what it is, with what to do (PROTOCOL.md, sshKey).
      expect(alert).toContain(`${config} could not be read (it is a folder, not a file): make it a file you can read, then try again`);
    } finally {
      await rm(config, { recursive: true, force: true });
    }
    await options.focus('#ssh [role="alert"] button');
    await options.keyboard.press('Enter');
    await options.waitForSelector('#ssh-generate:not(:disabled)', { timeout: 20_000 });
    expect(await options.$('#ssh [role="alert"]')).toBeNull();
    // Not left on the page, where the Try again that went away had it.
    expect(await options.evaluate(() => document.activeElement?.id)).toBe('ssh-heading');
  });

  it('creates an RSA key and shows it with its fingerprint and expiry reminder', async () => {
    // At its top before the reload, which keeps the scroll position.
    await options.evaluate(() => scrollTo(0, 0));
    await options.reload();
    // Finding no key is no reason to take the focus: the page stays at its top, the focus where it was.
    await options.waitForSelector('#ssh-generate:not(:disabled)', { timeout: 20_000 });
    await options.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await options.evaluate(() => ({ focused: document.activeElement?.tagName, scrolled: scrollY }))).toEqual({ focused: 'BODY', scrolled: 0 });
    await options.locator('#ssh-generate').setTimeout(20_000).click();
    await options.waitForSelector('#ssh-public-key', { timeout: 60_000 });
    const publicKey = await options.$eval('#ssh-public-key', (t) => (t as HTMLTextAreaElement).value);
    expect(publicKey).toMatch(/^ssh-rsa AAAA/);
    const section = await textOf(options, '#ssh');
    expect(section).toMatch(/FingerprintSHA256:/);
    expect(section).toContain('Azure DevOps lets a public key live one year');
    const keyFile = await textOf(options, '#ssh dd:nth-of-type(2) code');
    expect(keyFile.startsWith(join(home.home, '.ssh'))).toBe(true);
    expect((await readFile(keyFile, 'utf8')).trim()).toBe(publicKey.trim());
    await screenshots(options, 'options-ssh', { fullPage: true });
  });

  it('adds the key to Azure DevOps for a Microsoft sign-in profile', async () => {
    // Adding an account must leave the SSH section as it is, not draw it again from nothing.
    await options.$eval('#ssh-public-key', (t) => ((t as HTMLElement & { kept?: boolean }).kept = true));
    await signInWithMicrosoft(session, options, 'ada');
    await options.click('input[name="signin-org"][value="fabrikam"]');
    await options.click('#signin-finish');
    await options.waitForSelector('[data-testid="signin-added"]', { timeout: 15_000 });
    await options.waitForFunction(() => document.querySelectorAll('#ssh-profile option').length === 2);
    expect(await options.$eval('#ssh-public-key', (t) => (t as HTMLElement & { kept?: boolean }).kept)).toBe(true);
    const oauthProfile = await options.$$eval('#ssh-profile option', (o) => (o as HTMLOptionElement[]).find((x) => x.textContent?.includes('ada@fabrikam.test'))!.value);
    await options.select('#ssh-profile', oauthProfile);
    expect(await textOf(options, '#ssh-add')).toBe('Add to Azure DevOps');
    const publicKey = await options.$eval('#ssh-public-key', (t) => (t as HTMLTextAreaElement).value.trim());
    await options.click('#ssh-add');
    const outcome = await waitForText(options, '[data-testid="ssh-outcome"]', 'Added to fabrikam as');
    const keys = [...sandbox.store.sshKeys.values()];
    expect(keys).toHaveLength(1);
    expect(keys[0]!.publicData).toBe(publicKey);
    expect(keys[0]!.userId).toBe(sandbox.store.user('ada')!.id);
    expect(outcome).toContain(keys[0]!.displayName);
  });

  it('a key Azure DevOps could not add (a server failure) offers Try again, which takes the focus and adds it', async () => {
    // Removed on Azure DevOps' keys page since the test above, so that it can be added again.
    sandbox.store.sshKeys.clear();
    sandbox.services.faults.add({ match: { method: 'POST', pathRegex: '/_apis/Contribution/HierarchyQuery$' }, status: 503 });
    try {
        await options.click('#ssh-add');
        const note = await waitForText(options, '#ssh [role="alert"]', 'Azure DevOps had a problem', 30_000);
        expect(note).toContain('HTTP 503');
        expect(await options.$$eval('#ssh [role="alert"] :is(a, button)', (bs) => bs.map((b) => b.textContent))).toEqual(['Try again']);
        await options.waitForFunction(() => document.activeElement?.textContent === 'Try again', { timeout: 5000 });
    } finally {
      sandbox.services.faults.clear();
    }
    await options.keyboard.press('Enter');
    await waitForText(options, '[data-testid="ssh-outcome"]', 'Added to fabrikam as', 30_000);
    expect(sandbox.store.sshKeys.size).toBe(1);
    expect(await options.$('#ssh [role="alert"]')).toBeNull();
  });

  it('a key the organization refuses to a Microsoft sign-in (403) says who decides, and offers to add it by hand on the keys page', async () => {
    sandbox.store.sshKeys.clear();
    sandbox.services.faults.add({ match: { method: 'POST', pathRegex: '/_apis/Contribution/HierarchyQuery$' }, status: 403 });
    try {
      await options.click('#ssh-add');
      const note = await waitForText(options, '#ssh [role="alert"]', 'did not let your sign-in add an SSH key to fabrikam', 30_000);
      // Not "a project administrator": a key is the person's own, for the whole organization.
      expect(note).not.toContain('project');
      expect(note).toContain('its administrators turn on SSH authentication under Organization settings › Policies');
      expect(note).toContain('ask an administrator of fabrikam');
      expect(await options.$$eval('#ssh [role="alert"] :is(a, button)', (bs) => bs.map((b) => b.textContent))).toEqual(['Copy and open the keys page']);
      await options.waitForFunction(() => document.activeElement?.textContent === 'Copy and open the keys page', { timeout: 5000 });
    } finally {
      sandbox.services.faults.clear();
    }
    await options.evaluate(() => {
      const copied: string[] = [];
      (window as unknown as { copied: string[] }).copied = copied;
      navigator.clipboard.writeText = async (text: string) => void copied.push(text);
    });
    const opened = session.browser.waitForTarget((t) => t.url() === 'https://dev.azure.com/fabrikam/_usersSettings/keys', { timeout: 10_000 });
    await options.keyboard.press('Enter');
    const keysPage = await opened;
    await waitForText(options, '[data-testid="ssh-outcome"]', 'The public key is copied.');
    expect(await options.$('#ssh [role="alert"]')).toBeNull();
    const publicKey = await options.$eval('#ssh-public-key', (t) => (t as HTMLTextAreaElement).value);
    expect(await options.evaluate(() => (window as unknown as { copied: string[] }).copied)).toEqual([publicKey]);
    expect(sandbox.store.sshKeys.size).toBe(0);
    // Closed, so that a later test sees its own tab open.
    await (await keysPage.page())?.close();
    await options.bringToFront();
    // Back from the keys page, the focus is on the next step, not on the page where the button that went away had it.
    expect(await options.evaluate(() => document.activeElement?.id)).toBe('ssh-test');
  });

  it('a key not added because the Microsoft sign-in lapsed offers Sign in again, with the focus, which goes where it is renewed', async () => {
    sandbox.store.sshKeys.clear();
    sandbox.services.entra.tokens.lapse(sandbox.store.user('ada')!.id);
    await options.click('#ssh-add');
    await options.waitForSelector('#ssh [role="alert"]', { timeout: 30_000 });
    expect(await options.$$eval('#ssh [role="alert"] :is(a, button)', (bs) => bs.map((b) => b.textContent))).toEqual(['Sign in again']);
    await options.waitForFunction(() => document.activeElement?.textContent === 'Sign in again', { timeout: 5000 });
    const before = await options.evaluate(() => location.hash);
    await options.keyboard.press('Enter');
    await options.waitForFunction((h: string) => location.hash !== h, { timeout: 5000 }, before);
    // Options' own section for it: its Sign in with Microsoft renews the sign-in.
    expect(await options.evaluate(() => location.hash)).toMatch(/^#(accounts|profiles\/.+)$/);
    expect(sandbox.store.sshKeys.size).toBe(0);
  });

  it('with a token profile, copies the key and opens the SSH keys page', async () => {
    const patProfile = await options.$$eval('#ssh-profile option', (o) => (o as HTMLOptionElement[]).find((x) => x.textContent === 'fabrikam')!.value);
    await options.select('#ssh-profile', patProfile);
    expect(await textOf(options, '#ssh-add')).toBe('Copy and open the keys page');
    await options.evaluate(() => {
      const copied: string[] = [];
      (window as unknown as { copied: string[] }).copied = copied;
      navigator.clipboard.writeText = async (text: string) => void copied.push(text);
    });
    const opened = session.browser.waitForTarget((t) => t.url() === 'https://dev.azure.com/fabrikam/_usersSettings/keys', { timeout: 10_000 });
    // A locator clicks the button as drawn when it is clicked: the section may draw it anew just
    // after the profile changed (a click on the old one failed once, 'not clickable').
    await options.locator('#ssh-add').click();
    await opened;
    await waitForText(options, '[data-testid="ssh-outcome"]', 'The public key is copied.');
    const publicKey = await options.$eval('#ssh-public-key', (t) => (t as HTMLTextAreaElement).value);
    expect(await options.evaluate(() => (window as unknown as { copied: string[] }).copied)).toEqual([publicKey]);
  });

  it('with an Azure DevOps Server profile, the block names the server too: Use it for Azure DevOps and Create write it, and ssh picks the key there', async () => {
    const ssh = join(home.home, '.ssh');
    const config = join(ssh, 'config');
    // Where git reaches the server over SSH: the host and port of its repositories' SSH clone URLs.
    const collection = sandbox.store.organization('DefaultCollection')!;
    const legacy = sandbox.store.project(collection, 'Legacy')!;
    const sshUrl = new URL(new CollectionUrls(collection, 'onprem').sshUrl(legacy, sandbox.store.repository(collection, 'Legacy', legacy)!));
    expect(sshUrl.hostname).toBe('tfs.fabrikam.test');
    /** The key ssh offers the server, as git runs it for that URL (`ssh -p PORT HOST`). */
    const serverKey = async () => {
      const { stdout } = await promisify(execFile)('ssh', ['-G', '-F', config, '-p', sshUrl.port || '22', '--', sshUrl.hostname], { env: { ...process.env, HOME: home.home } });
      return stdout.split('\n').filter((l) => l.startsWith('identityfile ')).map((l) => l.slice('identityfile '.length).replace(ssh, '~/.ssh'));
    };
    const blockFor = /^Host ssh\.dev\.azure\.com vs-ssh\.visualstudio\.com tfs\.fabrikam\.test\n {2}IdentityFile ~\/\.ssh\/id_rsa_azure_devops\n/m;

    // The key Create made above, configured for the cloud pair only.
    expect(readFileSync(config, 'utf8')).toMatch(/^Host ssh\.dev\.azure\.com vs-ssh\.visualstudio\.com\n/m);
    expect(await textOf(options, '#ssh .key-value')).toContain('~/.ssh/configuses this key for Azure DevOps');
    expect(await serverKey()).not.toContain('~/.ssh/id_rsa_azure_devops');

    // The server added with Options' own form, as a user does.
    await grantHostAccess(session, 'https://tfs.fabrikam.test/*');
    // In front again (the keys page the test above opened, and chrome://extensions, took it): a hidden page draws no frames.
    await options.bringToFront();
    await options.click('input[name="pat-host"][value="onprem"]');
    await options.type('#pat-collection', 'https://tfs.fabrikam.test/tfs/DefaultCollection/');
    await options.type('#pat-token', sandbox.patsByName['ada-onprem']!);
    await options.click('.pat-form button[type="submit"]');
    await waitForText(options, '[data-testid="pat-added"]', 'Added “tfs.fabrikam.test · DefaultCollection”', 20_000);
    // No reload: the new profile's server is one the key is not named for yet, and said to be the one.
    await options.waitForSelector('#ssh-configure:not(:disabled)', { timeout: 20_000 });
    expect(await textOf(options, '#ssh .key-value')).toContain('~/.ssh/configuses this key for ssh.dev.azure.com and vs-ssh.visualstudio.com. Not for tfs.fabrikam.test yet Use it for Azure DevOps');
    await options.click('#ssh-configure');
    await waitForText(options, '[data-testid="ssh-outcome"]', '~/.ssh/config now uses this key for ssh.dev.azure.com, vs-ssh.visualstudio.com, and tfs.fabrikam.test.', 20_000);
    expect(await textOf(options, '#ssh .key-value')).toContain('~/.ssh/configuses this key for Azure DevOps');
    expect(readFileSync(config, 'utf8')).toMatch(blockFor);
    expect(await serverKey()).toEqual(['~/.ssh/id_rsa_azure_devops']);

    // A new key names the server from the start.
    await noKey();
    await options.click('#ssh-generate');
    await options.waitForSelector('#ssh-public-key', { timeout: 60_000 });
    expect(await textOf(options, '#ssh')).toContain('A new RSA key was created and ~/.ssh/config now uses it for Azure DevOps');
    expect(await textOf(options, '#ssh .key-value')).toContain('~/.ssh/configuses this key for Azure DevOps');
    expect(readFileSync(config, 'utf8')).toMatch(blockFor);
    expect(await serverKey()).toEqual(['~/.ssh/id_rsa_azure_devops']);
  });
});

describe('the side menu', () => {
  it('names each section as its heading does, and marks the one in view as the page scrolls', async () => {
    await options.bringToFront();
    const entries = await options.$$eval('.options-nav a', (as) =>
      as.map((a) => [a.textContent, document.querySelector(`${a.getAttribute('href')} h2`)?.textContent?.trim()] as const),
    );
    expect(entries.length).toBeGreaterThan(5);
    // One name per section; a heading may say more after a colon ("Advanced: Microsoft sign-in").
    for (const [label, heading] of entries) expect([label, heading?.split(':')[0]]).toEqual([label, label]);

    const marked = () => options.$$eval('.options-nav a[aria-current]', (as) => as.map((a) => a.getAttribute('href')));
    await options.click('.options-nav a[href="#ssh"]');
    await options.waitForFunction(() => document.querySelector('.options-nav a[aria-current]')?.getAttribute('href') === '#ssh', { timeout: 5000 });
    expect(await marked()).toEqual(['#ssh']);
    const look = (href: string) => options.$eval(`.options-nav a[href="${href}"]`, (a) => [getComputedStyle(a).backgroundColor, getComputedStyle(a).fontWeight]);
    expect(await look('#ssh')).not.toEqual(await look('#editor'));
    // Followed: the page puts the focus in the section a frame or two after the browser's own jump to
    // the #hash has moved the mark (a scroll the reader makes meanwhile stays: options-kept-in-view).
    await options.waitForFunction(() => !!document.activeElement?.closest('#ssh'), { timeout: 5000 });

    // Wheeled back to the top (a reader's own move: from then on the page is left where they put it),
    // away from the section the address names: the first one is marked.
    await options.mouse.move(700, 450);
    await options.mouse.wheel({ deltaY: -(await options.evaluate(() => scrollY)) });
    await options.waitForFunction(() => scrollY === 0, { timeout: 5000 });
    expect(await options.$eval('#ssh', (s) => s.getBoundingClientRect().top > innerHeight)).toBe(true);
    await options.waitForFunction(() => document.querySelector('.options-nav a[aria-current]')?.getAttribute('href') === '#profiles', { timeout: 5000 });
    expect(await marked()).toEqual(['#profiles']);
    // Scrolled on to a later section, the mark follows.
    await options.evaluate(() => scrollTo(0, document.querySelector('#groups')!.getBoundingClientRect().top + scrollY - 10));
    await options.waitForFunction(() => document.querySelector('.options-nav a[aria-current]')?.getAttribute('href') === '#groups', { timeout: 5000 });
  });

  it('a link followed from a profile’s editor opened at its token goes to its section: the page does not jump back up to the editor, nor the focus stay there', async () => {
    await options.bringToFront();
    const listed = (await ask(options, { type: 'profiles.list' })) as { data: { profiles: { id: string; name: string }[] } };
    const id = listed.data.profiles.find((p) => p.name === 'fabrikam')!.id;
    // Where a refused token's Update button leads: the editor opens with the focus on its token field.
    await options.evaluate((hash) => (location.hash = hash), `profiles/${encodeURIComponent(id)}`);
    await options.waitForFunction(() => document.activeElement?.matches('.profile-list > li[data-profile="fabrikam"] .profile-editor [data-renew]'), { timeout: 10_000 });
    await options.waitForFunction(() => document.querySelector('.options-nav a[aria-current]')?.getAttribute('href') === '#profiles', { timeout: 5000 });
    // From the click on: every mark the menu shows, and where each scroll leaves the SSH key section.
    await options.evaluate(() => {
      const seen = { marks: [] as string[], tops: [] as number[] };
      (globalThis as { seen?: typeof seen }).seen = seen;
      new MutationObserver(() => {
        const mark = document.querySelector('.options-nav a[aria-current]')?.getAttribute('href');
        if (mark && seen.marks.at(-1) !== mark) seen.marks.push(mark);
      }).observe(document.querySelector('.options-nav')!, { subtree: true, attributes: true, attributeFilter: ['aria-current'] });
      addEventListener('scroll', () => seen.tops.push(Math.round(document.getElementById('ssh')!.getBoundingClientRect().top)), { passive: true });
    });
    await options.click('.options-nav a[href="#ssh"]');
    // The focus has gone on from the link (to the section, or back into the editor), and the page has had frames to move.
    await options.waitForFunction(() => document.activeElement && !document.activeElement.closest('.options-nav'), { timeout: 5000 });
    for (let i = 0; i < 3; i++) await options.evaluate(() => new Promise(requestAnimationFrame));
    const seen = await options.evaluate(() => (globalThis as { seen?: { marks: string[]; tops: number[] } }).seen!);
    expect(seen.marks).toEqual(['#ssh']);
    expect(seen.tops.length).toBeGreaterThan(0);
    expect(seen.tops.filter((top) => Math.abs(top) >= 2)).toEqual([]);
    expect(await options.evaluate(() => !!document.activeElement?.closest('#ssh'))).toBe(true);
  });

  it('marks the section a #hash names from the first draw on load, and follows the wheel to the end of the page and back', async () => {
    await options.bringToFront();
    // Every mark the menu shows, from the first draw on, recorded as the page loads.
    const { identifier } = await options.evaluateOnNewDocument(() => {
      const marks: string[] = [];
      (globalThis as { marks?: string[] }).marks = marks;
      new MutationObserver(() => {
        const mark = document.querySelector('.options-nav a[aria-current]')?.getAttribute('href');
        if (mark && marks.at(-1) !== mark) marks.push(mark);
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-current'] });
    });
    const marks = () => options.evaluate(() => (globalThis as { marks?: string[] }).marks);
    const markIs = (href: string) =>
      options.waitForFunction((h: string) => document.querySelector('.options-nav a[aria-current]')?.getAttribute('href') === h, { timeout: 5000 }, href);
    try {
      await options.evaluate(() => history.replaceState(null, '', '#groups'));
      await options.reload();
      await options.waitForSelector('#groups-heading');
      // Drawn in full: nothing loads any more, and the SSH key, found after the scroll to here, is shown above.
      await options.waitForFunction(() => !document.querySelector('.options-content [aria-busy="true"]') && document.querySelector('#ssh-public-key'), { timeout: 20_000 });
      await options.evaluate(() => new Promise(requestAnimationFrame));
      // Kept at the top as the sections above it grew.
      expect(await options.$eval('#groups', (s) => Math.abs(s.getBoundingClientRect().top) < 2)).toBe(true);
      expect(await marks()).toEqual(['#groups']);

      // Wheeled down to the end: the last section, whose top cannot reach the line, is marked.
      await options.mouse.move(700, 450);
      for (let before = -1; before !== (await options.evaluate(() => scrollY)); ) {
        before = await options.evaluate(() => scrollY);
        await options.mouse.wheel({ deltaY: 400 });
        await new Promise((r) => setTimeout(r, 150));
      }
      expect(await options.evaluate(() => Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight - 1)).toBe(true);
      await markIs('#advanced');

      // Wheeled back up until Desktop companion is at the top, Reviewer groups out of view: that one.
      await options.mouse.wheel({ deltaY: await options.$eval('#companion', (s) => s.getBoundingClientRect().top - 20) });
      await options.waitForFunction(() => Math.abs(document.getElementById('companion')!.getBoundingClientRect().top - 20) < 2, { timeout: 5000 });
      expect(await options.$eval('#groups', (s) => s.getBoundingClientRect().top > innerHeight)).toBe(true);
      await markIs('#companion');
      await options.mouse.wheel({ deltaY: -(await options.evaluate(() => scrollY)) });
      await markIs('#profiles');
    } finally {
      await options.removeScriptToEvaluateOnNewDocument(identifier);
    }
  });
});

describe('Options › Editor', () => {
  it('offers only the editors this computer runs: Visual Studio is shown disabled, with why, off Windows', async () => {
    await options.bringToFront();
    await options.evaluate(() => (location.hash = 'editor'));
    await options.waitForSelector('#editor fieldset:not([disabled])', { timeout: 20_000 });
    const windows = process.platform === 'win32';
    await options.waitForFunction((want: boolean) => (document.querySelector('#editor input[value="visualstudio"]') as HTMLInputElement).disabled === want, { timeout: 5000 }, !windows);
    const label = await options.$eval('#editor input[value="visualstudio"]', (i) => i.closest('label')!.textContent ?? '');
    expect(label).toContain(windows ? '(Windows only)' : '(Windows only: not this computer)');
    // The others stay choices.
    expect(await options.$$eval('#editor input:not([value="visualstudio"])', (is) => is.map((i) => (i as HTMLInputElement).disabled))).toEqual([false, false, false]);
    await screenshots(options, 'options-editor');
  });
});

/**
 * Between the companion and the browser for one test: forwards every frame both ways, but holds
 * back the answer to the first `configure` (the page's status asking for the clone folders) until
 * the test writes `release`. `asked` says that request has gone to the companion, `delivered` that
 * its answer has gone on to the browser. With `slowMs`, it holds none but answers every `configure`
 * that much late instead, and `most` says the most of them it had on their way at once.
 */
const HOLDING_HOST = (host: string, dir: string, slowMs = 0) => `#!${process.execPath}
const { spawn } = require('node:child_process');
const { existsSync, writeFileSync } = require('node:fs');
const host = spawn(${JSON.stringify(host)}, process.argv.slice(2), { stdio: ['pipe', 'pipe', 'inherit'] });
function frames(stream, each) {
  let buffer = Buffer.alloc(0);
  stream.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32LE(0)) {
      const frame = buffer.subarray(0, 4 + buffer.readUInt32LE(0));
      buffer = buffer.subarray(frame.length);
      each(JSON.parse(frame.subarray(4).toString('utf8')), frame);
    }
  });
}
let held;
const configures = new Set();
let most = 0;
frames(process.stdin, (request, frame) => {
  if (request.type === 'configure') {
    configures.add(request.id);
    most = Math.max(most, configures.size);
    writeFileSync(${JSON.stringify(join(dir, 'most'))}, String(most));
  }
  if (held === undefined && request.type === 'configure' && !${slowMs}) {
    held = request.id;
    writeFileSync(${JSON.stringify(join(dir, 'asked'))}, '');
  }
  host.stdin.write(frame);
});
frames(host.stdout, (answer, frame) => {
  if (${slowMs} && configures.has(answer.id)) {
    return setTimeout(() => process.stdout.write(frame, () => configures.delete(answer.id)), ${slowMs});
  }
  configures.delete(answer.id);
  if (answer.id !== held) return process.stdout.write(frame);
  const timer = setInterval(() => {
    if (!existsSync(${JSON.stringify(join(dir, 'release'))})) return;
    clearInterval(timer);
    process.stdout.write(frame, () => writeFileSync(${JSON.stringify(join(dir, 'delivered'))}, ''));
  }, 50);
});
process.stdin.on('end', () => host.stdin.end());
host.on('exit', (code) => process.exit(code ?? 0));
`;

describe('Options › Desktop companion, saved before its status has come', () => {
  it('the clone folders the status shows include the one saved while it was looking for the companion', async () => {
    await options.bringToFront();
    const manifest = join(session.userDataDir, 'NativeMessagingHosts', `${HOST_NAME}.json`);
    const installed = await readFile(manifest, 'utf8');
    const dir = join(session.userDataDir, 'holding');
    await mkdir(dir, { recursive: true });
    const program = join(dir, 'host.cjs');
    await writeFile(program, HOLDING_HOST(JSON.parse(installed).path as string, dir), { mode: 0o755 });
    const elsewhere = join(home.home, 'elsewhere');
    // Named active: with none named the first profile is, and a save moves its profile last (profile-store.ts).
    const { activeId } = (await ask(options, { type: 'profiles.list' })).data as { activeId: string };
    expect(await ask(options, { type: 'profiles.setActive', id: activeId })).toMatchObject({ ok: true });
    try {
      await writeFile(manifest, JSON.stringify({ ...JSON.parse(installed), path: program }));
      // The next ask starts the companion again, through the holder.
      for (const pid of companionPids(home.home)) process.kill(pid, 'SIGKILL');
      await waitUntil('the companion stopped', () => (companionPids(home.home).length === 0 ? true : undefined));
      await options.reload();
      await waitUntil('the status asked for the clone folders', () => (existsSync(join(dir, 'asked')) ? true : undefined));
      expect(await textOf(options, '#companion')).toContain('Looking for the companion…');

      // Typed over what is there: the page still draws as its parts load, which would put back a value cleared by hand.
      await options.focus('#clone-root');
      await options.keyboard.down('Control');
      await options.keyboard.press('a');
      await options.keyboard.up('Control');
      await options.keyboard.type(elsewhere);
      expect(await options.$eval('#clone-root', (e) => (e as HTMLInputElement).value)).toBe(elsewhere);
      await options.click('.clone-root button[type="submit"]');
      await waitForText(options, '.clone-root .hint', `Saved: new clones of this profile go to ${elsewhere}.`);

      // The status asked before the save answers now, with the clone folders as they were then.
      await writeFile(join(dir, 'release'), '');
      await options.waitForSelector('[data-testid="companion-status"][data-state="ready"]', { timeout: 20_000 });
      await waitForText(options, '[data-testid="companion-status"]', elsewhere, 5000);
      expect(await textOf(options, '[data-testid="companion-status"]')).toContain(cloneRoot);
    } finally {
      await writeFile(manifest, installed);
      await writeFile(join(dir, 'release'), '');
      for (const pid of companionPids(home.home)) process.kill(pid, 'SIGKILL');
      // Clones of this profile go where the earlier tests put them, through a companion started anew
      // (an ask may still meet the killed one: asked again).
      await waitUntil('the clone folder set back', async () => ((await ask(options, { type: 'companion.setCloneRoot', profileId: activeId, cloneRoot })).ok ? true : undefined), 15_000, 200);
    }
  });
});

describe('Options › Desktop companion, saved while a status poll is on its way', () => {
  it('the poll asked before the save, answering after it, does not put back the clone folders as they were', async () => {
    await options.bringToFront();
    const manifest = join(session.userDataDir, 'NativeMessagingHosts', `${HOST_NAME}.json`);
    const installed = await readFile(manifest, 'utf8');
    const dir = join(session.userDataDir, 'holding-poll');
    await mkdir(dir, { recursive: true });
    const program = join(dir, 'host.cjs');
    await writeFile(program, HOLDING_HOST(JSON.parse(installed).path as string, dir), { mode: 0o755 });
    const other = join(home.home, 'other');
    const { activeId } = (await ask(options, { type: 'profiles.list' })).data as { activeId: string };
    expect(await ask(options, { type: 'profiles.setActive', id: activeId })).toMatchObject({ ok: true });
    try {
      // No companion where the manifest says: the page polls.
      await writeFile(manifest, JSON.stringify({ ...JSON.parse(installed), path: join(dir, 'nowhere') }));
      for (const pid of companionPids(home.home)) process.kill(pid, 'SIGKILL');
      await waitUntil('the companion stopped', () => (companionPids(home.home).length === 0 ? true : undefined));
      await options.reload();
      await options.waitForSelector('[data-testid="companion-status"]:not([data-state="ready"])', { timeout: 20_000 });
      // Typed over what is there, for longer than a poll waits, while a poll finds the companion
      // through the holder, which holds back its clone folders: every key goes to the field.
      await options.focus('#clone-root');
      await options.keyboard.down('Control');
      await options.keyboard.press('a');
      await options.keyboard.up('Control');
      const typing = options.keyboard.type(other, { delay: Math.ceil((2 * COMPANION_POLL_MS) / other.length) });
      await writeFile(manifest, JSON.stringify({ ...JSON.parse(installed), path: program }));
      await typing;
      expect(await options.$eval('#clone-root', (e) => (e as HTMLInputElement).value)).toBe(other);
      await waitUntil('a poll asked for the clone folders', () => (existsSync(join(dir, 'asked')) ? true : undefined), 15_000);
      await options.click('.clone-root button[type="submit"]');
      await waitForText(options, '.clone-root .hint', `Saved: new clones of this profile go to ${other}.`);
      // Let go: the answer says the clone folders as they were before the save, and the companion ready.
      await writeFile(join(dir, 'release'), '');
      await waitUntil('the held answer delivered', () => (existsSync(join(dir, 'delivered')) ? true : undefined));
      await options.waitForSelector('[data-testid="companion-status"][data-state="ready"]', { timeout: 20_000 });
      await waitForText(options, '[data-testid="companion-status"]', other, 5000);
    } finally {
      await writeFile(manifest, installed);
      await writeFile(join(dir, 'release'), '');
      for (const pid of companionPids(home.home)) process.kill(pid, 'SIGKILL');
      await waitUntil('the clone folder set back', async () => ((await ask(options, { type: 'companion.setCloneRoot', profileId: activeId, cloneRoot })).ok ? true : undefined), 15_000, 200);
    }
  });
});

/** From now on the browser starts the companion at `path` (a holder, or nothing there), as `installed` says the rest: the running one is stopped. */
async function companionAt(installed: string, path: string): Promise<void> {
  await writeFile(join(session.userDataDir, 'NativeMessagingHosts', `${HOST_NAME}.json`), JSON.stringify({ ...JSON.parse(installed), path }));
  for (const pid of companionPids(home.home)) process.kill(pid, 'SIGKILL');
  await waitUntil('the companion stopped', () => (companionPids(home.home).length === 0 ? true : undefined));
}

/** A holder (HOLDING_HOST) written for one test, in a folder of its own. */
async function holder(name: string, installed: string, slowMs?: number): Promise<{ dir: string; program: string }> {
  const dir = join(session.userDataDir, name);
  await mkdir(dir, { recursive: true });
  const program = join(dir, 'host.cjs');
  await writeFile(program, HOLDING_HOST(JSON.parse(installed).path as string, dir, slowMs), { mode: 0o755 });
  return { dir, program };
}

const select = async (page: Page) => {
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.up('Control');
};
const focused = (page: Page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('data-testid') || document.activeElement?.textContent);

describe('Options › Desktop companion, its state changing while the reader is in the section', () => {
  it('moves the focus within the status note only: never out of the clone folder form, and from the note’s Copy button, gone, to the note', async () => {
    await options.bringToFront();
    const manifest = join(session.userDataDir, 'NativeMessagingHosts', `${HOST_NAME}.json`);
    const installed = await readFile(manifest, 'utf8');
    const other = join(home.home, 'other');
    const { activeId } = (await ask(options, { type: 'profiles.list' })).data as { activeId: string };
    // No section named: the page takes no focus as it loads.
    await options.evaluate(() => history.replaceState(null, '', location.pathname));
    const missingThenReady = async (onIt: () => Promise<void>) => {
      await companionAt(installed, join(home.home, 'nowhere'));
      await options.reload();
      await options.waitForSelector('[data-testid="companion-status"]:not([data-state="ready"]) [data-testid="install-steps"] button', { timeout: 20_000 });
      await onIt();
      await writeFile(manifest, installed);
      await options.waitForSelector('[data-testid="companion-status"][data-state="ready"]', { timeout: 20_000 });
    };
    try {
      // On the form's Save, with a folder typed: the focus stays there, and Enter saves.
      await missingThenReady(async () => {
        await options.focus('#clone-root');
        await select(options);
        await options.keyboard.type(other);
        await options.keyboard.press('Tab');
        expect(await focused(options)).toBe('Save');
      });
      expect(await focused(options)).toBe('Save');
      await options.keyboard.press('Enter');
      await waitForText(options, '.clone-root .hint', `Saved: new clones of this profile go to ${other}.`);

      // On the Copy button a ready companion takes away: the note, which now says it is ready, has the focus.
      await missingThenReady(() => options.focus('#companion [data-testid="install-steps"] button'));
      expect(await focused(options)).toBe('companion-status');
    } finally {
      await writeFile(manifest, installed);
      await waitUntil('the clone folder set back', async () => ((await ask(options, { type: 'companion.setCloneRoot', profileId: activeId, cloneRoot })).ok ? true : undefined), 15_000, 200);
    }
  });

  it('a section the address names, shown once the page is drawn, leaves the focus in the field the reader began typing in', async () => {
    await options.evaluate(() => history.replaceState(null, '', '#editor'));
    // Behind another tab the page draws, but its frames wait: the section is shown when it comes to the front.
    const front = await session.browser.newPage();
    try {
      await options.reload();
      await options.waitForSelector('#clone-root');
      await options.focus('#clone-root');
      await select(options);
      await options.keyboard.type('/tmp/began');
      await options.bringToFront();
      await options.waitForFunction(() => Math.abs(document.getElementById('editor')!.getBoundingClientRect().top) < 2, { timeout: 5000 });
      await options.keyboard.type('/and-went-on');
      expect(await options.$eval('#clone-root', (e) => (e as HTMLInputElement).value)).toBe('/tmp/began/and-went-on');
      expect(await focused(options)).toBe('clone-root');
    } finally {
      await front.close();
      await options.bringToFront();
    }
  });
});

describe('Options › Desktop companion, slower to answer than the poll', () => {
  it('waits for the answer on its way, says the companion is slow meanwhile, then shows the answer; one status ask at a time', async () => {
    await options.bringToFront();
    const manifest = join(session.userDataDir, 'NativeMessagingHosts', `${HOST_NAME}.json`);
    const installed = await readFile(manifest, 'utf8');
    const slowMs = 2 * COMPANION_POLL_MS;
    const { dir, program } = await holder('slow', installed, slowMs);
    try {
      // Not there: the page polls. Then there, but slower to answer than the poll waits.
      await companionAt(installed, join(dir, 'nowhere'));
      await options.reload();
      await options.waitForSelector('[data-testid="companion-status"]:not([data-state="ready"])', { timeout: 20_000 });
      await writeFile(manifest, JSON.stringify({ ...JSON.parse(installed), path: program }));
      await options.waitForSelector('[data-testid="companion-status"][data-state="slow"]', { timeout: COMPANION_POLL_MS + slowMs });
      expect(await textOf(options, '[data-testid="companion-status"]')).toContain('The desktop companion is slow to answer');
      await options.waitForSelector('[data-testid="companion-status"][data-state="ready"]', { timeout: slowMs + 5000 });
      expect(await textOf(options, '[data-testid="companion-status"]')).toContain(cloneRoot);
      // No ask went out while one was on its way.
      expect(await readFile(join(dir, 'most'), 'utf8')).toBe('1');
    } finally {
      // The next ask starts the installed one.
      await writeFile(manifest, installed);
      for (const pid of companionPids(home.home)) process.kill(pid, 'SIGKILL');
    }
  });
});

/** Where the section is from where the page can bring it: 0 at the top, or at the end of a page too short for that. */
const offTarget = (page: Page, id: string) =>
  page.$eval(`#${id}`, (s) => {
    const want = Math.min(s.getBoundingClientRect().top + scrollY, document.documentElement.scrollHeight - innerHeight);
    return Math.round(scrollY - want);
  });
const drawn = (page: Page) =>
  page.waitForFunction(() => !document.querySelector('.options-content [aria-busy="true"]') && !document.querySelector('.options-content')!.textContent!.includes('Loading…'), { timeout: 20_000 });

describe('Options › a #hash naming a section near the end of the page', () => {
  it('brings the section there once the page is drawn in full, however the sections above it grew (Advanced at 1100×900)', async () => {
    await options.bringToFront();
    await options.evaluate(() => history.replaceState(null, '', '#advanced'));
    await options.reload();
    await drawn(options);
    await options.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await offTarget(options, 'advanced')).toBe(0);

    // Not for ever: once the page has long been drawn, what grows it later (a poll's note) leaves the
    // reader where they are, who may be moving through the page without scrolling (a screen reader).
    await new Promise((r) => setTimeout(r, KEEP_MS + 500));
    const before = await options.evaluate(() => scrollY);
    await options.evaluate(() => document.querySelector('.options-content')!.append(Object.assign(document.createElement('div'), { id: 'grown', style: 'height: 600px' })));
    await options.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await options.evaluate(() => scrollY)).toBe(before);
    await options.evaluate(() => document.getElementById('grown')!.remove());
  });

  it('leaves the page where the reader scrolled it to while it was drawing', async () => {
    await options.bringToFront();
    const manifest = join(session.userDataDir, 'NativeMessagingHosts', `${HOST_NAME}.json`);
    const installed = await readFile(manifest, 'utf8');
    const { dir, program } = await holder('holding-scroll', installed);
    try {
      // The companion's status held back: its section and the SSH key's draw once the reader has scrolled.
      await companionAt(installed, program);
      await options.evaluate(() => history.replaceState(null, '', '#advanced'));
      await options.reload();
      await waitUntil('the status asked for the clone folders', () => (existsSync(join(dir, 'asked')) ? true : undefined));
      // Drawn but for what waits for the companion, and brought to Advanced.
      await options.waitForFunction(
        () =>
          [...document.querySelectorAll('.options-content [aria-busy="true"]')].every((e) => e.closest('#companion, #ssh')) &&
          !document.querySelector('.options-content')!.textContent!.includes('Loading…') &&
          document.getElementById('advanced')!.getBoundingClientRect().top < innerHeight,
        { timeout: 20_000 },
      );
      await options.mouse.move(700, 450);
      await options.mouse.wheel({ deltaY: -300 });
      await options.waitForFunction(() => scrollY > 0, { timeout: 5000 });
      await new Promise((r) => setTimeout(r, 300));
      const scrolled = await offTarget(options, 'advanced');
      expect(scrolled).toBeLessThan(-200);

      await writeFile(join(dir, 'release'), '');
      await options.waitForSelector('[data-testid="companion-status"][data-state="ready"]', { timeout: 20_000 });
      await drawn(options);
      await options.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      // Not brought back to Advanced (what is in view may still move, as the SSH key draws in it).
      expect(await offTarget(options, 'advanced')).toBeLessThanOrEqual(scrolled);
    } finally {
      await writeFile(manifest, installed);
      await writeFile(join(dir, 'release'), '');
      for (const pid of companionPids(home.home)) process.kill(pid, 'SIGKILL');
      await waitUntil('the companion stopped', () => (companionPids(home.home).length === 0 ? true : undefined));
    }
  });
});

describe('Options › Desktop companion, slow and then failing at every ask', () => {
  it('leaves a reader further down the page where they are, the focus nowhere, as its note changes at each poll', async () => {
    await options.bringToFront();
    const manifest = join(session.userDataDir, 'NativeMessagingHosts', `${HOST_NAME}.json`);
    const installed = await readFile(manifest, 'utf8');
    const dir = join(session.userDataDir, 'slow-failing');
    await mkdir(dir, { recursive: true });
    const program = join(dir, 'host.sh');
    // Answers nothing, and exits after longer than a poll waits: each ask is slow, then failed.
    await writeFile(program, `#!/bin/sh\nsleep ${(COMPANION_POLL_MS + 2000) / 1000}\n`, { mode: 0o755 });
    const note = '[data-testid="companion-status"]';
    /** The focus still nowhere, and the note still above the window (not brought into view). */
    const leftWhereTheyAre = async () => {
      await options.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const seen = await options.evaluate((sel) => ({ focus: document.activeElement?.tagName, above: document.querySelector(sel)!.getBoundingClientRect().bottom < 0 }), note);
      expect(seen).toEqual({ focus: 'BODY', above: true });
    };
    try {
      await companionAt(installed, program);
      // No section named: the page takes no focus as it loads.
      await options.evaluate(() => history.replaceState(null, '', location.pathname));
      await options.reload();
      await options.waitForSelector(`${note}[data-state="failed"]`, { timeout: 20_000 });
      await drawn(options);
      // Read on with the wheel, to the end of the page: the focus stays nowhere.
      await options.mouse.move(700, 450);
      await options.mouse.wheel({ deltaY: 10_000 });
      await options.waitForFunction(() => Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight - 1, { timeout: 5000 });
      await leftWhereTheyAre();
      // The next poll: slow, then failed again.
      await options.waitForSelector(`${note}[data-state="slow"]`, { timeout: 2 * COMPANION_POLL_MS + 5000 });
      await leftWhereTheyAre();
      await options.waitForSelector(`${note}[data-state="failed"]`, { timeout: 2 * COMPANION_POLL_MS + 5000 });
      await leftWhereTheyAre();
    } finally {
      await writeFile(manifest, installed);
      for (const pid of companionPids(home.home)) process.kill(pid, 'SIGKILL');
    }
  });
});
