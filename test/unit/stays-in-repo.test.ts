import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A newcomer clones the repository into an empty folder: nothing the project runs (tests, the
 * sandbox, scripts, benchmarks, CI) may read beside it. This finds relative paths that climb out
 * of the repository, written either relative to the file (`new URL('../../../x', import.meta.url)`,
 * imports) or relative to the repository's root (`path.resolve(repoRoot, '../x')`).
 */

const repoRoot = path.resolve(import.meta.dirname, '../..');
const SCANNED = ['test', 'bench', 'scripts', 'sandbox', '.ci', 'vite.config.ts', 'vitest.config.ts', 'package.json'];
const SOURCE = /\.(ts|tsx|mts|mjs|js|json|sh)$|^run$/;

function* files(entry: string): Generator<string> {
  const full = path.join(repoRoot, entry);
  const stat = fs.statSync(full, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isFile()) {
    if (SOURCE.test(path.basename(full))) yield full;
    return;
  }
  for (const name of fs.readdirSync(full)) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    yield* files(path.join(entry, name));
  }
}

const outside = (p: string) => path.relative(repoRoot, p).startsWith('..');

/** Each offending literal with the reason; exported shape kept small so the test names them. */
export function escapes(file: string, text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(['"`])((?:\.\.\/)+[^'"`\s$]*)\1?/g)) {
    const literal = m[2]!;
    if (outside(path.resolve(path.dirname(file), literal))) found.push(`${literal} (from the file)`);
  }
  // Relative to a variable holding the repository's root (repoRoot, root, ROOT, projectRoot…).
  for (const m of text.matchAll(/\b\w*(?:[rR]oot|ROOT)\s*,\s*(['"`])(\.\.(?:\/[^'"`]*)?)\1/g)) {
    if (outside(path.resolve(repoRoot, m[2]!))) found.push(`${m[2]} (from the repository's root)`);
  }
  return found;
}

describe('nothing the project runs reads outside the repository', () => {
  it('finds a path that climbs out, either way it is written', () => {
    const here = path.join(repoRoot, 'test/unit/x.ts');
    expect(escapes(here, "new URL('../../../shared/specs/a.json', import.meta.url)")).toHaveLength(1);
    expect(escapes(here, "path.resolve(repoRoot, '../shared/ado-rest-specs')")).toHaveLength(1);
    expect(escapes(here, "join(root, '..')")).toHaveLength(1);
    expect(escapes(here, "import { x } from '../../src/shared/ask';")).toEqual([]);
    expect(escapes(here, "path.resolve(repoRoot, 'test/fixtures/ado-rest-specs')")).toEqual([]);
  });

  it('in test/, bench/, scripts/, sandbox/, .ci/ and the build configs', () => {
    const offenders: string[] = [];
    for (const entry of SCANNED) {
      for (const file of files(entry)) {
        if (file === import.meta.filename) continue; // its own examples above
        for (const hit of escapes(file, fs.readFileSync(file, 'utf8'))) offenders.push(`${path.relative(repoRoot, file)}: ${hit}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
