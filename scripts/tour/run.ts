/**
 * The headless tour: the main flows done the way a person would, in the real extension on the
 * sandbox. One line per step with its result and time; screenshots in the folder it names.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import type { Sandbox } from '../../sandbox/index';
import { launch, type Session } from '../../test/e2e/harness';
import { steps } from './steps';

export interface TourContext {
  sandbox: Sandbox;
  session: Session;
  home: { home: string; env: NodeJS.ProcessEnv };
  cloneRoot: string;
  /** Saves a screenshot named for the step; returns its path. */
  shot(page: Page, name: string): Promise<string>;
  /** What earlier steps learned (e.g. the clone's path), for later ones. */
  memo: Map<string, unknown>;
}

export interface TourStep {
  name: string;
  /** Does the step; answers one sentence saying what happened, or throws. */
  run(ctx: TourContext): Promise<string>;
}

/** No step takes more than seconds when it works: a stuck one fails and the tour goes on. */
const STEP_LIMIT_MS = 90_000;

function withinLimit<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

export async function runTour(opts: { sandbox: Sandbox; home: TourContext['home']; userDataDir: string; screenshots: string }): Promise<boolean> {
  await mkdir(opts.screenshots, { recursive: true });
  const session = await launch(opts.sandbox, { userDataDir: opts.userDataDir, env: opts.home.env });
  const ctx: TourContext = {
    sandbox: opts.sandbox,
    session,
    home: opts.home,
    cloneRoot: join(opts.home.home, 'src'),
    memo: new Map(),
    async shot(page, name) {
      const file = join(opts.screenshots, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
  };
  let failed = 0;
  console.log(`Tour: ${steps.length} steps, screenshots in ${opts.screenshots}`);
  try {
    for (const [i, step] of steps.entries()) {
      const started = performance.now();
      try {
        const result = await withinLimit(step.run(ctx), STEP_LIMIT_MS);
        console.log(`✓ ${i + 1}. ${step.name} — ${result} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed++;
        // What every open page showed when the step failed, for whoever investigates.
        for (const [n, page] of (await session.browser.pages()).entries()) await ctx.shot(page, `failed-${i + 1}-${n}`).catch(() => undefined);
        console.log(`✗ ${i + 1}. ${step.name} — ${e instanceof Error ? e.message : String(e)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      }
    }
  } finally {
    await session.close();
  }
  console.log(failed === 0 ? `Tour passed: ${steps.length} of ${steps.length} steps.` : `Tour failed: ${failed} of ${steps.length} steps did not work.`);
  return failed === 0;
}
