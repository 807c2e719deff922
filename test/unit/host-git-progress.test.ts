import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressParser, ProgressThrottle, parseProgressLine } from '../../src/host/git-progress';

describe('git progress parsing', () => {
  it.each([
    ['remote: Counting objects:  45% (9/20)', { phase: 'counting', percent: 45, done: 9, total: 20 }],
    ['remote: Compressing objects: 100% (2/2), done.', { phase: 'compressing', percent: 100, done: 2, total: 2 }],
    ['Receiving objects:  45% (1234/2742), 1.20 MiB | 1.10 MiB/s', { phase: 'receiving', percent: 45, done: 1234, total: 2742 }],
    ['Resolving deltas:   7% (1/14)', { phase: 'resolving', percent: 7, done: 1, total: 14 }],
    ['Updating files:  50% (1/2)', { phase: 'checkout', percent: 50, done: 1, total: 2 }],
  ])('reads %s', (line, expected) => {
    expect(parseProgressLine(line)).toEqual(expected);
  });

  it.each(["Cloning into 'x'...", 'remote: Enumerating objects: 5, done.', 'remote: Total 5 (delta 0)', 'Receiving objects: 450% (1/2)', 'warning: x: 45%'])(
    'ignores %s',
    (line) => {
      expect(parseProgressLine(line)).toBeUndefined();
    },
  );

  it('splits on carriage returns and keeps unfinished pieces across chunks', () => {
    const parser = new ProgressParser();
    const out = [
      ...parser.push("Cloning into 'x'...\nReceiving objects:   1% (1/100)\rReceiving obj"),
      ...parser.push('ects:  50% (50/100)\rReceiving objects: 100% (100/100), done.\n'),
    ];
    expect(out.map((p) => `${p.phase} ${p.percent}`)).toEqual(['receiving 1', 'receiving 50', 'receiving 100']);
  });
});

const throttled = () => {
  const sent: string[] = [];
  const throttle = new ProgressThrottle(10, (p) => sent.push(`${p.phase} ${p.percent}`));
  const offer = (phase: 'receiving' | 'resolving' | 'checkout', percent: number) => throttle.offer({ phase, percent });
  return { sent, throttle, offer };
};

describe('progress throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first update at once and holds the next ones until 100 ms have passed, sending only the latest', () => {
    const { sent, offer } = throttled();
    offer('receiving', 1);
    expect(sent).toEqual(['receiving 1']);
    vi.advanceTimersByTime(50);
    offer('receiving', 2);
    offer('receiving', 100);
    // A new phase and 100 % wait their turn too.
    offer('resolving', 0);
    expect(sent).toEqual(['receiving 1']);
    vi.advanceTimersByTime(49);
    expect(sent).toEqual(['receiving 1']);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['receiving 1', 'resolving 0']);
    // Nothing held, nothing more sent.
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['receiving 1', 'resolving 0']);
    // After a quiet spell an update goes out at once.
    offer('resolving', 40);
    expect(sent).toEqual(['receiving 1', 'resolving 0', 'resolving 40']);
  });

  it('drops repeats of the latest state', () => {
    const { sent, offer } = throttled();
    offer('receiving', 5);
    vi.advanceTimersByTime(200);
    offer('receiving', 5);
    expect(sent).toEqual(['receiving 5']);
  });

  it('sends nothing after stop(), not even what it held', () => {
    const { sent, throttle, offer } = throttled();
    offer('receiving', 1);
    offer('checkout', 100);
    throttle.stop();
    // No timer is left behind either.
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['receiving 1']);
  });

  it('sends at most perSecond events a second for a flood of updates, the last state included', () => {
    const { sent, offer } = throttled();
    const phases = ['receiving', 'resolving', 'checkout'] as const;
    for (let i = 0; i < 1000; i++) {
      // One update a millisecond for one second, a new phase every few.
      offer(phases[i % 3]!, i % 101);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    expect(sent.length).toBeLessThanOrEqual(11);
    expect(sent.length).toBeGreaterThanOrEqual(9);
    expect(sent.at(-1)).toBe(`${phases[999 % 3]} ${999 % 101}`);
  });
});
