import { describe, expect, it } from 'vitest';
import { isCacheKey } from '../../src/shared/list-cache';
import { memoizeCaches } from '../../src/background/memo-kv';
import { memoryKeyValue } from '../../src/background/profile-store';

/** Counts reads that reach storage. */
function counted() {
  const kv = memoryKeyValue();
  const reads: string[][] = [];
  return { kv: { ...kv, get: (keys: string[]) => (reads.push(keys), kv.get(keys)) }, raw: kv, reads };
}

describe('cached lists in memory', () => {
  it('reads a cached list from storage once, and other keys every time', async () => {
    const { kv, raw, reads } = counted();
    await raw.set({ 'cache:p:repos': { json: '[1]', fetchedAt: 1 }, settings: 'x' });
    const memo = memoizeCaches(kv, isCacheKey);
    expect(await memo.get(['cache:p:repos'])).toEqual({ 'cache:p:repos': { json: '[1]', fetchedAt: 1 } });
    expect(await memo.get(['cache:p:repos'])).toEqual({ 'cache:p:repos': { json: '[1]', fetchedAt: 1 } });
    await memo.get(['settings']);
    await memo.get(['settings']);
    expect(reads).toEqual([['cache:p:repos'], ['settings'], ['settings']]);
  });

  it('keeps what it wrote itself, and forgets what others changed', async () => {
    const { kv, raw, reads } = counted();
    const memo = memoizeCaches(kv, isCacheKey);
    await memo.set({ 'cache:p:repos': { json: '[2]', fetchedAt: 2 } });
    memo.changed('cache:p:repos', { json: '[2]', fetchedAt: 2 });
    expect(await memo.get(['cache:p:repos'])).toEqual({ 'cache:p:repos': { json: '[2]', fetchedAt: 2 } });
    expect(reads).toEqual([]);
    await raw.set({ 'cache:p:repos': { json: '[3]', fetchedAt: 3 } });
    memo.changed('cache:p:repos', { json: '[3]', fetchedAt: 3 });
    expect(await memo.get(['cache:p:repos'])).toEqual({ 'cache:p:repos': { json: '[3]', fetchedAt: 3 } });
    await memo.remove(['cache:p:repos']);
    expect(await memo.get(['cache:p:repos'])).toEqual({});
  });
});
