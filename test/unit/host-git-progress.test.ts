import { describe, expect, it } from 'vitest';
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

describe('progress throttle', () => {
  it('passes phase changes and completions, limits the rest', () => {
    let now = 0;
    const throttle = new ProgressThrottle(10, () => now);
    const offer = (phase: 'receiving' | 'resolving', percent: number) => throttle.offer({ phase, percent }) !== undefined;
    expect(offer('receiving', 1)).toBe(true);
    now = 50;
    expect(offer('receiving', 2)).toBe(false);
    now = 99;
    expect(offer('receiving', 3)).toBe(false);
    now = 100;
    expect(offer('receiving', 4)).toBe(true);
    now = 101;
    expect(offer('receiving', 100)).toBe(true);
    expect(offer('receiving', 100)).toBe(false);
    now = 102;
    expect(offer('resolving', 0)).toBe(true);
  });

  it('sends at most perSecond events a second for a flood of updates', () => {
    let now = 0;
    const throttle = new ProgressThrottle(10, () => now);
    let sent = 0;
    for (let i = 0; i < 1000; i++) {
      now = i; // one update per millisecond for one second
      if (throttle.offer({ phase: 'receiving', percent: i % 99 })) sent++;
    }
    expect(sent).toBeLessThanOrEqual(11);
    expect(sent).toBeGreaterThanOrEqual(9);
  });
});
