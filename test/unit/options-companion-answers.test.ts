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
      ...shown,
      status: ready(['/home/ada/new', '/home/ada/old']),
    });
  });

  it('a poll waits for the answer on its way: one slower than the poll is taken, not overtaken', () => {
    const asking = after([{ type: 'answer', ask: 1, status: hung }, { type: 'poll' }]);
    expect(asking.asking).toBe(true);
    // The poll's timer again while the companion has not answered: no second ask.
    expect(nextCompanion(asking, { type: 'poll' })).toEqual(asking);
    const answered = nextCompanion(asking, { type: 'answer', ask: asking.ask, status: ready([]) });
    expect(answered).toMatchObject({ status: ready([]), asking: false });
    // Answered, the next poll asks again.
    expect(nextCompanion({ ...answered, status: hung }, { type: 'poll' })).toMatchObject({ ask: asking.ask + 1, asking: true });
  });

  it('an ask that waits as long as a poll is slow until it is answered, a hung companion too', () => {
    expect(after([{ type: 'slow', ask: 1 }])).toMatchObject({ status: undefined, slow: true });
    const asking = after([{ type: 'answer', ask: 1, status: hung }, { type: 'saved', partial: {} }]);
    // The slow of an ask overtaken by a save says nothing of the one on its way now.
    expect(nextCompanion(asking, { type: 'slow', ask: 1 }).slow).toBe(false);
    const slow = nextCompanion(asking, { type: 'slow', ask: asking.ask });
    expect(slow.slow).toBe(true);
    // The background's answer limit: the companion did not answer, and the page says so.
    const hungAnswer = nextCompanion(slow, { type: 'answer', ask: asking.ask, status: hung });
    expect(hungAnswer).toMatchObject({ status: hung, asking: false, slow: false });
    // A slow timer that fires after its answer changes nothing.
    expect(nextCompanion(hungAnswer, { type: 'slow', ask: asking.ask })).toEqual(hungAnswer);
    // A save while slow asks again: that ask is not slow (yet).
    expect(nextCompanion(slow, { type: 'saved', partial: {} })).toMatchObject({ ask: asking.ask + 1, slow: false });
  });
});
