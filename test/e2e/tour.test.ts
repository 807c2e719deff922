/**
 * `npm start` without a display runs the tour; it must reach the end and exit 0. This runs the
 * same script (the build is the suite's), as a separate process, the way a user starts it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './harness';

const run = promisify(execFile);

describe('npm start, headless', () => {
  it('runs every step of the tour and exits 0', async () => {
    const { stdout } = await run(join(repoRoot, 'node_modules/.bin/tsx'), ['scripts/start.ts', '--headless'], {
      cwd: repoRoot,
      env: { ...process.env, DISPLAY: '' },
      timeout: 240_000,
    }).catch((e: { message: string; stdout?: string; stderr?: string }) => {
      // The tour's own lines say which step failed and why; execFile's message alone does not.
      throw new Error(`${e.message}\n--- stdout\n${e.stdout ?? ''}\n--- stderr\n${e.stderr ?? ''}`);
    });
    const steps = stdout.split('\n').filter((l) => /^[✓✗] \d+\./.test(l));
    expect(steps.length).toBeGreaterThanOrEqual(7);
    expect(steps.filter((l) => l.startsWith('✗')), stdout).toEqual([]);
    // A step that worked does not read as a failure to someone running it for the first time.
    expect(steps.filter((l) => l.startsWith('✓') && /not found|failed|could not/i.test(l))).toEqual([]);
    expect(stdout).toMatch(/Tour passed: (\d+) of \1 steps\./);
  }, 300_000);
});
