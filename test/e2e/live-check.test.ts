import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { formatReport, runLiveCheck, type PageReport } from '../../scripts/live-check';
import { EMPTY_REPO_CLONE, FILES_COMMANDBAR, PR_RIGHT_PANE } from '../../src/content/anchors';
import { ask, launch, repoRoot, type Session } from './harness';
import { sandboxSwitch, signedInPage } from './page-helpers';

/**
 * The maintainers' live check (`npm run check:live`) end to end against the sandbox: the same code
 * path as on dev.azure.com, with the built extension in real Chromium. On the evidenced markup
 * every feature is in place and its first anchor matches; on markup with no known anchor the
 * check says the features floated and no anchor matched.
 */
let sandbox: Sandbox;
let session: Session;
const outDir = join(repoRoot, 'artifacts/live-check-sandbox');
const byName = (reports: PageReport[], name: string) => reports.find((r) => r.name === name)!;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox);
  const options = await session.openExtensionPage('options');
  expect(await ask(options, { type: 'profiles.addPat', organization: 'fabrikam', pat: sandbox.pats.fabrikam })).toMatchObject({ ok: true });
  await options.close();
  // Signed in, as the user's own profile would be.
  await (await signedInPage(session, '/fabrikam/_git/Platform')).close();
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
});

describe('npm run check:live, against the sandbox', () => {
  it('reports every feature in place on files, empty repository, branches, pull request and create pages, with the anchors matched and a screenshot each', async () => {
    const reports = await runLiveCheck({
      browser: session.browser,
      repoUrl: 'https://dev.azure.com/fabrikam/_git/Platform',
      emptyRepoUrl: 'https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/Empty',
      workItemUrl: 'https://dev.azure.com/fabrikam/Platform/_workitems/edit/5',
      outDir,
    });
    expect(reports.map((r) => `${r.name} ${r.kind}`)).toEqual(['files repoHome', 'empty-repository repoHome', 'branches branches', 'pull-request pullRequest', 'pull-request-create pullRequestCreate', 'work-item workItem']);
    expect(byName(reports, 'work-item').features).toEqual({ 'start-work': 'anchored' });
    expect(byName(reports, 'work-item').anchors.find((a) => a.selector === '.work-item-form-header-controls-container')?.matched).toBe(true);
    expect(byName(reports, 'files').features).toEqual({ 'clone-to-desktop': 'anchored', 'forks-as-remotes': 'anchored' });
    expect(byName(reports, 'files').anchors.find((a) => a.selector === FILES_COMMANDBAR.selector)?.matched).toBe(true);
    expect(byName(reports, 'files').anchors.find((a) => a.selector === EMPTY_REPO_CLONE.selector)?.matched).toBe(false);
    expect(byName(reports, 'empty-repository').features).toEqual({ 'clone-to-desktop': 'anchored', 'forks-as-remotes': 'anchored' });
    expect(byName(reports, 'empty-repository').anchors.find((a) => a.selector === EMPTY_REPO_CLONE.selector)?.matched).toBe(true);
    expect(byName(reports, 'branches').features).toEqual({ 'clone-to-desktop': 'anchored' });
    expect(byName(reports, 'pull-request').features['pull-request-reviewers']).toBe('anchored');
    expect(byName(reports, 'pull-request').features['pull-request-checkout']).toBe('anchored');
    expect(['anchored', 'not here']).toContain(byName(reports, 'pull-request').features['forks-as-remotes']);
    expect(byName(reports, 'pull-request').anchors.find((a) => a.selector === PR_RIGHT_PANE.selector)?.matched).toBe(true);
    expect(byName(reports, 'pull-request-create').features).toEqual({ 'pull-request-reviewers': 'anchored' });
    for (const r of reports) expect(existsSync(r.screenshot), r.screenshot).toBe(true);
    expect(existsSync(join(outDir, 'report.json'))).toBe(true);
    expect(formatReport(reports)).not.toContain('FAIL');
  }, 120_000);

  it('says so when Azure DevOps changed: features floated, anchors unmatched', async () => {
    const page = await session.browser.newPage();
    await sandboxSwitch(page, 'markup', 'broken', '/fabrikam/_git/Platform');
    try {
      const reports = await runLiveCheck({ browser: session.browser, repoUrl: 'https://dev.azure.com/fabrikam/_git/Platform', outDir: join(outDir, 'broken') });
      const files = byName(reports, 'files');
      expect(files.features).toEqual({ 'clone-to-desktop': 'floated', 'forks-as-remotes': 'floated' });
      expect(files.anchors.every((a) => !a.matched)).toBe(true);
      expect(formatReport(reports)).toContain('FAIL clone-to-desktop: floated');
    } finally {
      await sandboxSwitch(page, 'markup', 'modern', '/fabrikam/_git/Platform');
      await page.close();
    }
  }, 120_000);

  it('refuses a URL that is not a repository', async () => {
    await expect(runLiveCheck({ browser: session.browser, repoUrl: 'https://dev.azure.com/fabrikam', outDir })).rejects.toThrow(/must be a repository's page/);
  });
});
