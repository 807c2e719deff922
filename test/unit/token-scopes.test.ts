import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOKEN_SCOPES, type Scope } from '../../src/shared/ado/errors';

const src = resolve(import.meta.dirname, '../../src');

/** Every `scope: 'vso.…'` a request in the source names: what a token must allow. */
function requestedScopes(): Set<string> {
  const found = new Set<string>();
  for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (!/\.tsx?$/.test(file)) continue;
    for (const m of readFileSync(join(src, file), 'utf8').matchAll(/scope: '(vso\.[a-z_]+)'/g)) found.add(m[1]!);
  }
  return found;
}

/** Azure DevOps' scopes widen by suffix: vso.code < vso.code_write < vso.code_manage. */
const WIDER = ['', '_write', '_manage'];
const covers = (listed: readonly Scope[], needed: string) => {
  const [base, level] = needed.endsWith('_manage') ? [needed.slice(0, -7), 2] : needed.endsWith('_write') ? [needed.slice(0, -6), 1] : [needed, 0];
  return WIDER.slice(level).some((suffix) => (listed as readonly string[]).includes(base + suffix));
};

describe('the token scopes Options tells a user to tick', () => {
  it('cover every scope a request of the extension needs, Work Items included', () => {
    const needed = requestedScopes();
    // The search itself works: the client names these.
    expect(needed).toContain('vso.code');
    expect(needed).toContain('vso.work_write');
    expect([...needed].filter((s) => !covers(TOKEN_SCOPES, s))).toEqual([]);
  });
});
