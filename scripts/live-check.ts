import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { FEATURE_ANCHORS } from '../src/content/anchors';
import { parseAdoUrl, type AdoPageKind } from '../src/shared/ado/urls';
import type { FeatureId } from '../src/shared/messages';

/**
 * The live check for maintainers: the built extension on real Azure DevOps pages (the user's own
 * signed-in browser profile), reporting for every page kind whether each feature sits in place,
 * floats in the dock or is missing, whether each anchor of `src/content/anchors.ts` matched, with a
 * screenshot per page. The CLI (`npm run check:live`) opens the browser; the e2e suite runs this
 * against the sandbox.
 */
/** `not here`: the feature decided the page is not for it (a pull request not from a fork). */
export type Outcome = 'anchored' | 'floated' | 'missing' | 'not here';

export interface PageReport {
  name: string;
  url: string;
  /** What the extension took the page for (`data-ado-companion` on <html>). */
  kind: string;
  features: Partial<Record<FeatureId, Outcome>>;
  anchors: { feature: FeatureId; selector: string; source: string; matched: boolean }[];
  screenshot: string;
}

export interface LiveCheckOptions {
  browser: Browser;
  /** A repository's files URL: `https://dev.azure.com/{org}/{project}/_git/{repo}`. */
  repoUrl: string;
  /** An empty repository's URL, if the organization has one to look at. */
  emptyRepoUrl?: string;
  /** A work item's form (`…/{project}/_workitems/edit/{id}`), for Start work. */
  workItemUrl?: string;
  outDir: string;
  /** How long a feature may take to appear (the extension floats it after 5 s). */
  settleMs?: number;
}

/** The features that apply to a page kind (the same page kinds the anchors list). */
const featuresFor = (kind: AdoPageKind): FeatureId[] =>
  (Object.keys(FEATURE_ANCHORS) as FeatureId[]).filter((id) => FEATURE_ANCHORS[id].some((a) => a.pages.includes(kind)));

async function firstPullRequest(page: Page, repoUrl: string): Promise<string | undefined> {
  await page.goto(`${repoUrl}/pullrequests?_a=active`, { waitUntil: 'domcontentloaded' });
  const found = await page.waitForFunction(() => document.querySelector<HTMLAnchorElement>('a[href*="/pullrequest/"]')?.href, { timeout: 15_000 }).catch(() => undefined);
  return found ? ((await found.jsonValue()) as string) : undefined;
}

async function checkPage(page: Page, name: string, url: string, outDir: string, settleMs: number): Promise<PageReport> {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => document.documentElement.dataset.adoCompanion, { timeout: 15_000 }).catch(() => undefined);
  const kind = (parseAdoUrl(page.url())?.page ?? 'other') as AdoPageKind;
  const features = featuresFor(kind);
  // Every feature in place or in the dock, or the time is up.
  await page
    .waitForFunction(
      (ids: string[]) => {
        const floating = (document.querySelector<HTMLElement>('[data-adoc="dock"]')?.dataset.features ?? '').split(' ');
        return ids.every((id) => document.querySelector(`[data-adoc="${id}"]`) || floating.includes(id));
      },
      { timeout: settleMs },
      features,
    )
    .catch(() => undefined);
  // Late parts (the Reviewers section) may still be drawn.
  await new Promise((r) => setTimeout(r, 1000));
  const seen = await page.evaluate((ids: string[]) => {
    const floating = (document.querySelector<HTMLElement>('[data-adoc="dock"]')?.dataset.features ?? '').split(' ');
    return ids.map((id) => {
      const host = document.querySelector<HTMLElement>(`[data-adoc="${id}"]`);
      return host ? (host.hidden ? 'not here' : 'anchored') : floating.includes(id) ? 'floated' : 'missing';
    });
  }, features);
  const anchors = features.flatMap((feature) => FEATURE_ANCHORS[feature].filter((a) => a.pages.includes(kind)).map((a) => ({ feature, selector: a.selector, source: a.source })));
  const matched = await page.evaluate((selectors: string[]) => selectors.map((s) => !!document.querySelector(s)), anchors.map((a) => a.selector));
  const screenshot = join(outDir, `${name}.png`);
  await page.screenshot({ path: screenshot });
  return {
    name,
    url: page.url(),
    kind: (await page.evaluate(() => document.documentElement.dataset.adoCompanion)) ?? 'inactive',
    features: Object.fromEntries(features.map((f, i) => [f, seen[i] as Outcome])),
    anchors: anchors.map((a, i) => ({ ...a, matched: matched[i]! })),
    screenshot,
  };
}

/** Visits files, empty repository, branches, a pull request and the create page, and reports. */
export async function runLiveCheck(opts: LiveCheckOptions): Promise<PageReport[]> {
  const settleMs = opts.settleMs ?? 8000;
  await mkdir(opts.outDir, { recursive: true });
  const repoUrl = opts.repoUrl.replace(/\/+$/, '');
  if (parseAdoUrl(repoUrl)?.page !== 'repoHome' && parseAdoUrl(repoUrl)?.page !== 'repoFiles') throw new Error(`--url must be a repository's page, such as https://dev.azure.com/{org}/{project}/_git/{repo} (got ${opts.repoUrl})`);
  const page = await opts.browser.newPage();
  try {
    const pages: [string, string][] = [['files', repoUrl]];
    if (opts.emptyRepoUrl) pages.push(['empty-repository', opts.emptyRepoUrl]);
    pages.push(['branches', `${repoUrl}/branches?_a=all`]);
    const pr = await firstPullRequest(page, repoUrl);
    if (pr) pages.push(['pull-request', pr]);
    pages.push(['pull-request-create', `${repoUrl}/pullrequestcreate`]);
    if (opts.workItemUrl) pages.push(['work-item', opts.workItemUrl]);
    const reports: PageReport[] = [];
    for (const [name, url] of pages) reports.push(await checkPage(page, name, url, opts.outDir, settleMs));
    await writeFile(join(opts.outDir, 'report.json'), JSON.stringify(reports, null, 2));
    return reports;
  } finally {
    await page.close();
  }
}

/** The report as text: one block per page. */
export function formatReport(reports: PageReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${r.name} (${r.kind}) ${r.url}`);
    for (const [feature, outcome] of Object.entries(r.features)) lines.push(`  ${outcome === 'anchored' || outcome === 'not here' ? 'ok  ' : 'FAIL'} ${feature}: ${outcome}`);
    for (const a of r.anchors) lines.push(`       ${a.matched ? 'matched ' : 'no match'} ${a.selector}  (${a.feature}; ${a.source})`);
    lines.push(`  screenshot: ${r.screenshot}`);
  }
  return lines.join('\n');
}
