import { describe, expect, it } from 'vitest';
import { addedText, addQueued, notAddedAfter, notAddedWith, notReviewing, oneAddEach, PENDING_MS, queueChoice, queuedFor, queueLeft, queueOf, stillWait, votesAdded, votesRead, type Votes } from '../../src/content/reviewer-flow';
import type { Person } from '../../src/shared/messages';

/** The reviewer helpers' rules without the card: the e2e in page-reviewers.test.ts drives them through it. */

const ada: Person = { id: 'ada', displayName: 'Ada Lovelace' };
const ken: Person = { id: 'ken', displayName: 'Ken Thompson' };
const meg: Person = { id: 'meg', displayName: 'Margaret Hamilton' };
const vote = (p: Person, v = 0) => ({ id: p.id, displayName: p.displayName, vote: v, isRequired: false, isGroup: false });

/** A `send` whose calls the test answers, one by one. */
function scripted() {
  const calls: { ids: string[]; isRequired: boolean; pr: number; answer(failed: string[]): void }[] = [];
  const send = (people: Person[], choice: { isRequired: boolean }, pr: number) =>
    new Promise<string[]>((answer) => calls.push({ ids: people.map((p) => p.id), isRequired: choice.isRequired, pr, answer }));
  return { calls, send };
}

describe('oneAddEach: clicks that add the same people', () => {
  it('a double click asks once, and both clicks hear how it went', async () => {
    const { calls, send } = scripted();
    const add = oneAddEach(send);
    const first = add({ people: [ken, meg], isRequired: false }, 7);
    const second = add({ people: [ken, meg], isRequired: false }, 7);
    expect(calls.map((c) => c.ids)).toEqual([['ken', 'meg']]);
    calls[0]!.answer(['meg']);
    expect(await first).toEqual(['meg']);
    expect(await second).toEqual(['meg']);
  });

  it('the group after one of its members asks only for the others, and counts that member by the first click', async () => {
    const { calls, send } = scripted();
    const add = oneAddEach(send);
    const member = add({ people: [ken], isRequired: true }, 7);
    const group = add({ people: [ken, meg], isRequired: false }, 7);
    expect(calls.map((c) => [c.ids, c.isRequired, c.pr])).toEqual([
      [['ken'], true, 7],
      [['meg'], false, 7],
    ]);
    calls[1]!.answer([]);
    calls[0]!.answer(['ken']);
    expect(await member).toEqual(['ken']);
    // Ken's failure is the group's too: it was not added.
    expect(await group).toEqual(['ken']);
  });

  it('a click on someone whose addition failed asks again, though the click that failed still waits for another one', async () => {
    const { calls, send } = scripted();
    const add = oneAddEach(send);
    const member = add({ people: [ken], isRequired: false }, 7);
    const group = add({ people: [ken, meg], isRequired: false }, 7);
    // Margaret's request fails; Ken's, the first click's, is still on its way.
    calls[1]!.answer(['meg']);
    await new Promise((r) => setTimeout(r));
    const again = add({ people: [meg], isRequired: false }, 7);
    expect(calls.map((c) => c.ids)).toEqual([['ken'], ['meg'], ['meg']]);
    calls[2]!.answer([]);
    expect(await again).toEqual([]);
    calls[0]!.answer([]);
    expect(await member).toEqual([]);
    expect(await group).toEqual(['meg']);
  });

  it('asks again once a click is over', async () => {
    const { calls, send } = scripted();
    const add = oneAddEach(send);
    const first = add({ people: [ken], isRequired: false }, 7);
    calls[0]!.answer(['ken']);
    await first;
    const again = add({ people: [ken], isRequired: false }, 7);
    expect(calls).toHaveLength(2);
    calls[1]!.answer([]);
    expect(await again).toEqual([]);
  });
});

const shownIds = (v: Votes) => (v.kind === 'shown' ? v.value.reviewers.map((r) => r.id) : v.kind);

describe('votes: a read asked before an addition does not draw over it', () => {
  const loading: Votes = { kind: 'loading', drawnBy: 0 };

  it('keeps the list the addition answered, with its "added"', () => {
    const asked = loading.drawnBy;
    const added = votesAdded(loading, [vote(ada, 10), vote(ken)], ['ken']);
    const late = votesRead(added, asked, { kind: 'shown', value: { reviewers: [vote(ada, 10)] } });
    expect(late).toBe(added);
    expect(shownIds(late)).toEqual(['ada', 'ken']);
    expect(late.kind === 'shown' && [...late.value.added]).toEqual(['ken']);
    // Nor does its failure.
    expect(votesRead(added, asked, { kind: 'failed', error: new Error('503') })).toBe(added);
  });

  it('draws a read asked after the addition, and one no addition came before', () => {
    const added = votesAdded(loading, [vote(ada)], ['ada']);
    const after = votesRead(added, added.drawnBy, { kind: 'shown', value: { reviewers: [vote(ada, 10), vote(ken)] } });
    expect(shownIds(after)).toEqual(['ada', 'ken']);
    expect(after.kind === 'shown' && after.value.added.size).toBe(0);
    expect(votesRead(loading, 0, { kind: 'failed', error: 'x' })).toEqual({ kind: 'failed', error: 'x', drawnBy: 0 });
  });
});

describe('the choices on the create page', () => {
  const here = { repo: 'org|platform|platform', source: 'feature/a', target: 'main' };

  it('keeps each person once, as first chosen, and starts anew for other branches', () => {
    const one = queueChoice(undefined, here, { people: [ken], isRequired: true }, 1);
    const two = queueChoice(one, here, { people: [ken, meg], isRequired: false }, 2);
    expect(two).toEqual({ ...here, at: 2, people: [{ ...ken, isRequired: true }, { ...meg, isRequired: false }] });
    const other = queueChoice(two, { ...here, source: 'feature/b' }, { people: [ada], isRequired: false }, 3);
    expect(other.people.map((p) => p.id)).toEqual(['ada']);
    expect(queueChoice(two, { ...here, repo: 'org|platform|web' }, { people: [ada], isRequired: false }, 3).people.map((p) => p.id)).toEqual(['ada']);
  });

  it('are shown on the create page of their own branches only', () => {
    const queue = queueChoice(undefined, here, { people: [ken], isRequired: false }, 1);
    expect(queueOf(queue, here).map((p) => p.id)).toEqual(['ken']);
    expect(queueOf(queue, { ...here, source: 'feature/b' })).toEqual([]);
    expect(queueOf(queue, { ...here, repo: 'org|platform|web' })).toEqual([]);
    expect(queueOf(undefined, here)).toEqual([]);
  });

  it('are for the pull request made from the same repository and branches, for a while', () => {
    const queue = queueChoice(undefined, here, { people: [ken], isRequired: false }, 1000);
    expect(queuedFor(queue, here, 1000 + PENDING_MS - 1)).toBe(true);
    expect(queuedFor(queue, here, 1000 + PENDING_MS)).toBe(false);
    expect(queuedFor(queue, { ...here, target: 'release' }, 1000)).toBe(false);
    expect(queuedFor(queue, { ...here, source: 'feature/b' }, 1000)).toBe(false);
    expect(queuedFor(queue, { ...here, repo: 'org|platform|web' }, 1000)).toBe(false);
    expect(queuedFor(undefined, here, 1000)).toBe(false);
  });

  it('wait from when their create page went away, not from the last choice: a long description loses none', async () => {
    const minute = 60_000;
    const chosen = queueChoice(undefined, here, { people: [ken], isRequired: false }, 1000);
    // The description took half an hour; Create then left the page.
    const created = 1000 + 30 * minute;
    const left = queueLeft(chosen, here, created);
    expect(queuedFor(left, here, created + 2000)).toBe(true);
    expect(queuedFor(left, here, created + PENDING_MS - 1)).toBe(true);
    // Left long ago, they are dropped.
    expect(queuedFor(left, here, created + PENDING_MS)).toBe(false);
    // Another pair's create page going away leaves their clock alone.
    expect(queueLeft(chosen, { ...here, source: 'feature/b' }, created)).toBe(chosen);
    expect(queuedFor(queueLeft(chosen, { ...here, repo: 'org|platform|web' }, created), here, created + 2000)).toBe(false);
    expect(queueLeft(undefined, here, created)).toBeUndefined();
  });

  it('are added required ones first, and those that failed are left', async () => {
    const asked: [string[], boolean][] = [];
    const left = await addQueued([{ ...ken, isRequired: false }, { ...ada, isRequired: true }, { ...meg, isRequired: false }], async (choice) => {
      asked.push([choice.people.map((p) => p.id), choice.isRequired]);
      return choice.isRequired ? [] : ['meg'];
    });
    expect(asked).toEqual([
      [['ada'], true],
      [['ken', 'meg'], false],
    ]);
    expect(left).toEqual([{ ...meg, isRequired: false }]);
  });
});

const ids = (people: Person[]) => people.map((p) => p.id);

describe('the choices not added yet once the pull request exists', () => {
  const [k, m, a] = [{ ...ken, isRequired: true }, { ...meg, isRequired: false }, { ...ada, isRequired: false }];

  it('are kept while they are added, each person once: a card mounted meanwhile shows them', () => {
    expect(notAddedWith([], [k, m])).toEqual([k, m]);
    expect(ids(notAddedWith([k, a], [k, m]))).toEqual(['ken', 'ada', 'meg']);
  });

  it('keep those that failed and those not tried, not those added', () => {
    expect(notAddedAfter([k, m], [k, m], [m])).toEqual([m]);
    expect(notAddedAfter([k, m], [k, m], [])).toEqual([]);
    expect(ids(notAddedAfter([k, m, a], [k, m], [k]))).toEqual(['ken', 'ada']);
  });

  it('keep one removed while it was added removed, though adding it failed', () => {
    // Margaret was removed from the list while the attempt was on its way.
    const during = notAddedWith([], [k, m]).filter((p) => p.id !== 'meg');
    expect(notAddedAfter(during, [k, m], [k, m])).toEqual([k]);
  });

  it('leave out those who review the pull request now, whoever added them, and keep the others in order', () => {
    expect(notReviewing([k, m, a], [vote(meg, 10)])).toEqual([k, a]);
    expect(notReviewing([k, m], [vote(ken), vote(meg, -5)])).toEqual([]);
    expect(notReviewing([k, m], [vote(ada)])).toEqual([k, m]);
    expect(notReviewing([k], [])).toEqual([k]);
  });

  it('wait as long as choices on the create page, from when a card last showed them', () => {
    const shown = { at: 1000, people: [k] };
    expect(stillWait(shown, 1000)).toBe(true);
    expect(stillWait(shown, 1000 + PENDING_MS - 1)).toBe(true);
    expect(stillWait(shown, 1000 + PENDING_MS)).toBe(false);
  });
});

describe('addedText', () => {
  it('names who was added and who already reviews', () => {
    expect(addedText({ people: [ken, meg], isRequired: false }, { added: ['ken', 'meg'], alreadyReviewing: [], failed: [] })).toBe('Added Ken Thompson, Margaret Hamilton as optional.');
    expect(addedText({ people: [ken, meg], isRequired: true }, { added: ['ken'], alreadyReviewing: ['meg'], failed: [] })).toBe('Added Ken Thompson as required. Margaret Hamilton already reviews this pull request.');
    expect(addedText({ people: [ken, meg], isRequired: true }, { added: [], alreadyReviewing: ['ken', 'meg'], failed: [] })).toBe('Ken Thompson, Margaret Hamilton already review this pull request.');
  });

  it('names who was not added, with why, once per reason', () => {
    const refused = 'Could not add the reviewer: refused.';
    const failed = [{ id: 'meg', message: refused }, { id: 'ken', message: refused }];
    expect(addedText({ people: [ken, meg], isRequired: false }, { added: [], alreadyReviewing: [], failed })).toBe(`Not added: Ken Thompson, Margaret Hamilton. ${refused}`);
    expect(addedText({ people: [ken, meg], isRequired: false }, { added: ['ken'], alreadyReviewing: [], failed: [{ id: 'meg', message: 'HTTP 503.' }] })).toBe('Added Ken Thompson as optional. Not added: Margaret Hamilton. HTTP 503.');
  });
});
