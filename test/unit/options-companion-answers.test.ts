import { describe, expect, it } from 'vitest';
import type { CompanionStatus } from '../../src/shared/messages';
import { FIRST_ASK, nextCompanion, type CompanionAnswers, type CompanionEvent } from '../../src/shared/ui/companion-answers';

const hung: CompanionStatus = { state: 'hung', message: 'The desktop companion did not answer.' };
const ready = (cloneRoots: string[]): CompanionStatus => ({ state: 'ready', version: '1.2.3', git: 'git version 2.43.0', cloneRoots });
const after = (events: CompanionEvent[], from = FIRST_ASK): CompanionAnswers => events.reduce(nextCompanion, from);

describe('Options › Desktop companion: which answer the status shows', () => {
  it('a save wins over a poll asked before it that answers after it, even one that finds the companion ready', () => {
    const polling = after([{ type: 'answer', ask: 1, status: hung }, { type: 'poll' }]);
    const saved = nextCompanion(polling, { type: 'saved', partial: { cloneRoots: ['/home/ada/new'] } });
    expect(saved.status?.cloneRoots).toEqual(['/home/ada/new']);
    // The poll's answer comes back with the folders as they were when it was asked.
    expect(nextCompanion(saved, { type: 'answer', ask: polling.ask, status: ready(['/home/ada/old']) })).toEqual(saved);
    // The save asked again: that answer, asked after it, is taken.
    expect(saved.ask).toBeGreaterThan(polling.ask);
    expect(nextCompanion(saved, { type: 'answer', ask: saved.ask, status: ready(['/home/ada/new']) }).status).toEqual(ready(['/home/ada/new']));
  });

  it('a save before the first answer asks again, and the first answer is not taken', () => {
    const saved = after([{ type: 'saved', partial: { cloneRoots: ['/home/ada/new'] } }]);
    expect(saved.status).toBeUndefined();
    expect(nextCompanion(saved, { type: 'answer', ask: FIRST_ASK.ask, status: ready(['/home/ada/old']) })).toEqual(saved);
    expect(nextCompanion(saved, { type: 'answer', ask: saved.ask, status: ready(['/home/ada/new']) }).status?.cloneRoots).toEqual(['/home/ada/new']);
  });

  it('a save to a ready status keeps the rest of it and asks nothing, as none is on its way', () => {
    const shown = after([{ type: 'answer', ask: 1, status: ready(['/home/ada/old']) }]);
    expect(nextCompanion(shown, { type: 'saved', partial: { cloneRoots: ['/home/ada/new', '/home/ada/old'] } })).toEqual({
      status: ready(['/home/ada/new', '/home/ada/old']),
      ask: shown.ask,
    });
  });

  it('a poll overtakes the ask before it: only the newest answer is taken', () => {
    const polled = after([{ type: 'answer', ask: 1, status: hung }, { type: 'poll' }, { type: 'poll' }]);
    expect(nextCompanion(polled, { type: 'answer', ask: polled.ask - 1, status: ready([]) }).status).toEqual(hung);
    expect(nextCompanion(polled, { type: 'answer', ask: polled.ask, status: ready([]) }).status).toEqual(ready([]));
  });
});
