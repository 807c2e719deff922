import { join } from 'node:path';
import { measureBundles, overBudget } from '../scripts/check-sizes.mjs';
import type { BenchResult } from './stats';

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The gzipped size of each shipped bundle against its budget (the same figures `npm run check:sizes` enforces). */
export function runSizes(repoRoot: string): Promise<BenchResult> {
  const measures = measureBundles(join(repoRoot, 'dist'));
  return Promise.resolve({
    name: 'sizes',
    title: 'Bundle sizes (gzip -9)',
    rows: measures.map((m) => ({
      measure: m.name,
      value: m.missing ? 'missing' : `${kb(m.gzip)} gz (${kb(m.raw)} raw)`,
      target: `≤ ${kb(m.budget)} gz`,
      met: !overBudget(m),
    })),
    notes: [
      'gzip level 9 of each file (node:zlib); a page (popup, options) is the sum of the JS chunks its HTML loads (script src + modulepreload) and their static imports, shared chunks included.',
      'Budgets live in scripts/check-sizes.mjs; `npm test` runs `npm run check:sizes` right after the build.',
    ],
    data: { measures },
  });
}
