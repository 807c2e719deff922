import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launch } from 'puppeteer-core';
import { findChromium } from '../test/e2e/chromium';
import { formatReport, runLiveCheck } from './live-check';

/**
 * npm run check:live -- --profile DIR --url https://dev.azure.com/{org}/{project}/_git/{repo}
 *   [--empty-url URL] [--work-item-url URL] [--out DIR] [--headless]
 *
 * Opens Chromium with your own browser profile (signed in to Azure DevOps; close Chrome first, a
 * profile is used by one browser at a time) and the built extension (`npm run build`), visits the
 * repository's pages and says, per feature, whether it sits in place. Run it before each release.
 * Exit code 1 when a feature is not in place.
 */
const USAGE = 'usage: npm run check:live -- --profile DIR --url https://dev.azure.com/{org}/{project}/_git/{repo} [--empty-url URL] [--work-item-url URL] [--out DIR] [--headless]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { profile: { type: 'string' }, url: { type: 'string' }, 'empty-url': { type: 'string' }, 'work-item-url': { type: 'string' }, out: { type: 'string' }, headless: { type: 'boolean' } },
  });
  if (!values.profile || !values.url) {
    console.error(USAGE);
    return 2;
  }
  const root = resolve(import.meta.dirname, '..');
  const extension = join(root, 'dist/chrome');
  if (!existsSync(join(extension, 'manifest.json'))) {
    console.error('The built extension is missing: run npm run build first.');
    return 2;
  }
  const executablePath = findChromium();
  if (!executablePath) {
    console.error('No Chromium or Chrome found: set CHROME_PATH.');
    return 2;
  }
  const browser = await launch({
    executablePath,
    headless: !!values.headless,
    defaultViewport: { width: 1280, height: 900 },
    userDataDir: resolve(values.profile),
    enableExtensions: [extension],
    pipe: true,
  });
  try {
    const reports = await runLiveCheck({
      browser,
      repoUrl: values.url,
      ...(values['empty-url'] ? { emptyRepoUrl: values['empty-url'] } : {}),
      ...(values['work-item-url'] ? { workItemUrl: values['work-item-url'] } : {}),
      outDir: resolve(values.out ?? join(root, 'artifacts/live-check')),
    });
    console.log(formatReport(reports));
    return reports.every((r) => Object.values(r.features).every((o) => o === 'anchored' || o === 'not here')) ? 0 : 1;
  } finally {
    await browser.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
