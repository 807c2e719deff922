/**
 * The popup with the large seeded organization (northwind: 300 projects, 3,000 repositories):
 * search finds one repository among them all and clones it through the real companion.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { ask, launchWithCompanion, privateHome, type Session } from './harness';
import { listedRepos, openPopup, waitForText } from './ui-steps';

let sandbox: Sandbox;
let session: Session;
let home: Awaited<ReturnType<typeof privateHome>>;
let cloneRoot: string;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true, large: true });
  ({ session, home } = await launchWithCompanion(sandbox));
  cloneRoot = join(home.home, 'code');
  const options = await session.openExtensionPage('options');
  // Ada's token for all accessible organizations reaches northwind too.
  expect(await ask(options, { type: 'profiles.addPat', organization: 'northwind', pat: sandbox.patsByName['ada-full-fabrikam'] })).toMatchObject({ ok: true });
  expect(await ask(options, { type: 'companion.setCloneRoot', cloneRoot })).toMatchObject({ ok: true });
  await options.close();
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
});

describe('popup: the large organization', () => {
  it('finds one repository among thousands and clones it', async () => {
    const org = sandbox.store.organization('northwind')!;
    const total = sandbox.store.projectsOf(org).reduce((n, p) => n + sandbox.store.repositoriesOf(p).length, 0);
    expect(total).toBeGreaterThanOrEqual(3000);

    const popup = await openPopup(session);
    await popup.waitForSelector('#repo-list [role="option"]', { timeout: 30_000 });
    await popup.type('#repo-search', 'service-217-04');
    await popup.waitForFunction(() => document.querySelector('#repo-list [role="option"]')?.getAttribute('data-repo') === 'service-217-04', { timeout: 10_000 });
    expect((await listedRepos(popup))[0]).toBe('service-217-04');

    await popup.click('#repo-list [data-repo="service-217-04"]');
    await popup.click('[data-testid="repo-actions"] button.primary');
    const done = await waitForText(popup, '[data-testid="repo-actions"] .feedback', 'Cloned to', 60_000);
    expect(done).toContain(join(cloneRoot, 'northwind'));
    expect(done).toContain('service-217-04');
    await access(join(done.replace(/^Cloned to /, '').trim(), '.git'));
    await popup.close();
  });
});
