import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { writeEnvCredentialHelper } from '../../sandbox/testing';
import { ask, installCompanion, launch, privateHome, type Session } from './harness';
import { ContentWorld, signedInPage } from './page-helpers';

/**
 * A page of an organization the user has no profile for: the clone URL comes from the page's own
 * session and git's own credential helper signs in (here a helper that answers with a PAT, as
 * Git Credential Manager would). The active profile, of another organization, is not used.
 */
const run = promisify(execFile);
const CLONE = '.adoc-clone-to-desktop';
const POPOVER = '.adoc-popover';

let sandbox: Sandbox;
let session: Session;
let home: Awaited<ReturnType<typeof privateHome>>;
let page: Page;
let world: ContentWorld;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  home = await privateHome();
  const helper = await writeEnvCredentialHelper(home.home);
  const userDataDir = await mkdtemp(join(tmpdir(), 'adoc-profile-'));
  installCompanion(userDataDir, home.env);
  session = await launch(sandbox, {
    userDataDir,
    env: { ...home.env, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'credential.helper', GIT_CONFIG_VALUE_0: helper, SANDBOX_GIT_PAT: sandbox.pats.fabrikam },
  });
  const options = await session.openExtensionPage('options');
  // A profile of another organization only: it gives the companion its clone folder.
  expect(await ask(options, { type: 'profiles.addPat', organization: 'contoso', pat: sandbox.pats.contoso })).toMatchObject({ ok: true });
  expect(await ask(options, { type: 'companion.setCloneRoot', cloneRoot: join(home.home, 'code') })).toMatchObject({ ok: true });
  await options.close();
  page = await signedInPage(session, '/fabrikam/Platform/_git/design-system?version=GBmain');
  world = await ContentWorld.of(page, session.extensionId);
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
});

describe('Clone to desktop without a profile for the organization', () => {
  it('clones with the URL read with the page’s session and git’s own credentials', async () => {
    await world.click(CLONE, 'button');
    const [plan] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Into'));
    expect(plan).toContain('No profile is connected for fabrikam');
    // The companion's first clone folder (its default, in this test's HOME), in the default layout.
    const target = /Into\n(.+)/.exec(plan!)?.[1] ?? '';
    expect(target.startsWith(home.home)).toBe(true);
    expect(target.endsWith('/fabrikam/Platform/design-system')).toBe(true);
    await world.click(POPOVER, 'button', 'Clone');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Cloned '), 60_000);
    const { stdout: head } = await run('git', ['-C', target, 'rev-parse', '--abbrev-ref', 'HEAD']);
    expect(head.trim()).toBe('main');
    const { stdout: url } = await run('git', ['-C', target, 'remote', 'get-url', 'origin']);
    expect(url.trim()).toBe('https://dev.azure.com/fabrikam/Platform/_git/design-system');
    // Fetch too signs in with git's own credential helper.
    await page.goto(page.url(), { waitUntil: 'domcontentloaded' });
    await world.waitForText(CLONE, (t) => t[0] === 'Cloned locally');
    await world.click(CLONE, 'button');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Open folder'));
    await world.click(POPOVER, 'button', 'Fetch origin');
    await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('Fetched origin.'), 30_000);
  });

  it('checking out a pull request needs an account: the panel says so and opens Options where one is added', async () => {
    await page.goto('https://dev.azure.com/fabrikam/Platform/_git/Platform/pullrequest/3', { waitUntil: 'domcontentloaded' });
    await world.click('.adoc-pull-request-checkout', 'button');
    const [panel] = await world.waitForText(POPOVER, (t) => (t[0] ?? '').includes('No profile is connected'));
    expect(panel).toContain('No profile is connected for fabrikam: add an account for it to check pull requests out.');
    const opened = session.browser.waitForTarget((t) => t.url().endsWith('/src/options/index.html#accounts'), { timeout: 10_000 });
    await world.click(POPOVER, 'button', 'Add an account');
    await opened;
  });
});
