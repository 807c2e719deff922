/**
 * idle-gc.ts: the host empties V8's young generation when it chooses (serving starts, idle), not
 * when a clone's allocations happen to fill it.
 */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectYoungGeneration } from '../../src/host/idle-gc';

/** Objects that are unreachable once it returns. */
const makeGarbage = () => Array.from({ length: 20_000 }, (_, i) => ({ i })).length;
const youngBytes = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_used_size;

describe('collectYoungGeneration', () => {
  it('runs one young-generation collection right then, and empties that generation', async () => {
    collectYoungGeneration(); // the first call also finds V8's gc function
    const entries: PerformanceEntry[] = [];
    const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
    observer.observe({ entryTypes: ['gc'] });
    // Something to collect: a young generation that is not empty.
    expect(makeGarbage()).toBe(20_000);
    const filled = youngBytes();
    const before = performance.now();
    collectYoungGeneration();
    const after = performance.now();
    const left = youngBytes();
    // Entries arrive asynchronously.
    await new Promise((resolve) => setTimeout(resolve, 20));
    observer.disconnect();
    const during = entries.filter((entry) => entry.startTime >= before && entry.startTime <= after);
    expect(during.map((entry) => (entry as unknown as { detail: { kind: number } }).detail.kind)).toEqual([constants.NODE_PERFORMANCE_GC_MINOR]);
    expect(left).toBeLessThan(filled / 4);
  });

  it('leaves no gc function on the global object', () => {
    const had = 'gc' in globalThis;
    collectYoungGeneration();
    expect('gc' in globalThis).toBe(had);
    expect(new Function('return typeof gc')()).toBe(had ? 'function' : 'undefined');
  });
});
