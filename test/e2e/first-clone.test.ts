import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { writeEnvCredentialHelper } from '../../sandbox/testing';
import { companionExecutable, launch, pathWithoutNode, privateHome, repoRoot, unpackedId, type Session } from './harness';
import { ContentWorld, signedInPage } from './page-helpers';
import { screenshots, waitForText } from './ui-steps';

/**
 * A new user as they really arrive: the store build (the zip, no development key, so an id of its
 * own), the single executable companion installed with no node on the PATH, no profile, and a
 * browser already signed in to Azure DevOps. The welcome opens; the first clone from a repository
 * page takes three steps (open the page, Clone to desktop, Clone) through the page's own session
 * and git's credential helper; then the user connects a token from the welcome.
 */
const run = promisify(execFile);
const CLONE = '.adoc-clone-to-desktop';
const POPOVER = '.adoc-popover';

let sandbox: Sandbox;
let session: Session;
let home: Awaited<ReturnType<typeof privateHome>>;
let storeDir: string;
let welcome: Page;

/** Unpacks the store zip `npm run build` made, as a user loading it would get it. */
function unpackStoreZip(into: string): void {
  const dist = join(repoRoot, 'dist');
  const zip = readdirSync(dist).find((f) => /^azure-devops-companion-chrome-.*\.zip$/.test(f));
  if (!zip) throw new Error('no store zip in dist/: run npm run build');
  for (const [name, bytes] of Object.entries(unzipSync(readFileSync(join(dist, zip))))) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(into, name)), { recursive: true });
    writeFileSync(join(into, name), bytes);
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  home = await privateHome();
  storeDir = await mkdtemp(join(tmpdir(), 'adoc-store-'));
  unpackStoreZip(storeDir);
  expect(JSON.parse(readFileSync(join(storeDir, 'manifest.json'), 'utf8'))).not.toHaveProperty('key');
  const extensionId = unpackedId(storeDir);
  // The user's git: the sandbox's hosts and CA, and a credential helper as Git Credential Manager would be.
  const gitConfig = join(home.home, 'gitconfig');
  await writeFile(gitConfig, `[include]\n\tpath = ${sandbox.gitConfig}\n[credential]\n\thelper = ${await writeEnvCredentialHelper(home.home)}\n`);
  const env = { ...home.env, PATH: pathWithoutNode(home.home), GIT_CONFIG_GLOBAL: gitConfig, SANDBOX_GIT_PAT: sandbox.pats.fabrikam };
  const userDataDir = await mkdtemp(join(tmpdir(), 'adoc-profile-'));
  execFileSync(companionExecutable, ['install', '--browser', 'chromium', '--user-data-dir', userDataDir, '--extension-id', extensionId], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  session = await launch(sandbox, { userDataDir, env, extensionDir: storeDir, extensionId, keepWelcome: true });
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
  if (storeDir) await rm(storeDir, { recursive: true, force: true });
});

describe('a new user with the store build and the executable companion', () => {
  it('gets the welcome, then clones from a repository page in three steps with the page’s session', async () => {
    const target = await session.browser.waitForTarget((t) => t.url().endsWith('src/options/index.html#welcome'), { timeout: 15_000 });
    welcome = (await target.asPage())!;
    await welcome.waitForSelector('#welcome[data-step="connect"]', { timeout: 15_000 });

    // The three steps are the three actions below: open the page, Clone to desktop, Clone.
    const page = await signedInPage(session, '/fabrikam/_git/Platform');
    const world = await ContentWorld.of(page, session.extensionId);
    await world.click(CLONE, 'button');
    const [plan] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Into'), 30_000);
    const path = /Into\n(.+)/.exec(plan!)?.[1] ?? '';
    expect(path).toBe(join(home.home, 'source/repos/fabrikam/Platform/Platform'));
    await world.click(POPOVER, 'button', 'Clone');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Cloned '), 60_000);
    await screenshots(page, 'first-clone-done');

    const { stdout } = await run('git', ['-C', path, 'remote', 'get-url', 'origin']);
    expect(stdout.trim()).toBe('https://dev.azure.com/fabrikam/_git/Platform');
    // Nothing of the sign-in reached the clone: the credential helper answered git, not us.
    expect(readFileSync(join(path, '.git/config'), 'utf8')).not.toContain(sandbox.pats.fabrikam!);
  });

  it('then connects a token from the welcome', async () => {
    await welcome.bringToFront();
    await welcome.click('#welcome button.primary');
    await welcome.waitForFunction(() => location.hash === '#accounts' && document.activeElement?.id === 'pat-org');
    await welcome.keyboard.type('fabrikam');
    await welcome.type('#pat-token', sandbox.pats.fabrikam!);
    await welcome.keyboard.press('Enter');
    await waitForText(welcome, '[data-testid="pat-added"]', 'Added “fabrikam”', 20_000);
    // The companion was there from the start, so the welcome goes on past it to the first clone.
    await welcome.waitForSelector('#welcome[data-step="clone"]', { timeout: 20_000 });
  });
});
