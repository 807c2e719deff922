import type { Person, PullRequestSummary } from '../shared/messages';
import type { Choice } from './reviewer-parts';

/**
 * The reviewer helpers' rules, apart from the card that draws them (no DOM): what a section
 * shows, which read of the votes may draw them, how clicks that add the same people share one
 * request, and the choices kept on the create page until the pull request exists (and until they
 * are added to it).
 */

/** A part of the card filled by a request: waiting for it (saying `text`), why it failed, or what came. */
export type Section<T> = { kind: 'loading'; text?: string } | { kind: 'failed'; error: unknown } | { kind: 'shown'; value: T };

export type Reviewers = PullRequestSummary['reviewers'];

/**
 * The votes, and how many additions drew them. An addition answers with the reviewers as they are
 * then; a read asked before it answers with the list as it was (without who was added, or their
 * "added"), and is not drawn over it.
 */
export type Votes = Section<{ reviewers: Reviewers; added: ReadonlySet<string> }> & { drawnBy: number };

const votesShown = (reviewers: Reviewers, added: readonly string[], drawnBy: number): Votes => ({ kind: 'shown', value: { reviewers, added: new Set(added) }, drawnBy });

/** The votes once an addition answered with the reviewers now, `added` among them. */
export const votesAdded = (votes: Votes, reviewers: Reviewers, added: readonly string[]): Votes => votesShown(reviewers, added, votes.drawnBy + 1);

/** The votes once a read asked when `asked` additions had drawn them answered (or failed): kept as they are if one drew them since. */
export const votesRead = (votes: Votes, asked: number, read: Section<{ reviewers: Reviewers }>): Votes =>
  votes.drawnBy !== asked ? votes : read.kind === 'shown' ? votesShown(read.value.reviewers, [], asked) : { ...read, drawnBy: asked };

/** What the card says once an addition answered: who was added, who already reviews, and who was not added and why (one sentence per reason). */
export function addedText(choice: Choice, answer: { added: string[]; alreadyReviewing: string[]; failed: { id: string; message: string }[] }): string {
  const names = (ids: string[]) => choice.people.filter((p) => ids.includes(p.id)).map((p) => p.displayName).join(', ');
  const { added, alreadyReviewing: already } = answer;
  const why = new Map<string, string[]>();
  for (const f of answer.failed) why.set(f.message, [...(why.get(f.message) ?? []), f.id]);
  return [
    added.length ? `Added ${names(added)} as ${choice.isRequired ? 'required' : 'optional'}.` : '',
    already.length ? `${names(already)} already review${already.length === 1 ? 's' : ''} this pull request.` : '',
    ...[...why].map(([message, ids]) => `Not added: ${names(ids)}. ${message}`),
  ].filter(Boolean).join(' ');
}

/** Adds people to pull request `pr`; answers the ids of those it could not add (it does not throw). */
export type Add = (choice: Choice, pr: number) => Promise<string[]>;

/**
 * `send`, asked once for each person at a time: a second click (a double click, the group after
 * one of its members) leaves the people another click is adding to that click, which says how it
 * went, and counts them by its outcome.
 */
export function oneAddEach(send: (people: Person[], choice: Choice, pr: number) => Promise<string[]>): Add {
  /** People being added now, each to whether that worked. */
  const adding = new Map<string, Promise<boolean>>();
  return async (choice, pr) => {
    const people = choice.people.filter((p) => !adding.has(p.id));
    const theirs = choice.people.filter((p) => adding.has(p.id)).map((p) => adding.get(p.id)!.then((ok) => (ok ? undefined : p.id)));
    const mine = people.length ? send(people, choice, pr) : Promise.resolve([]);
    for (const p of people) adding.set(p.id, mine.then((failed) => !failed.includes(p.id)));
    // Theirs may take longer: a click after this one's request is over asks again.
    const over = () => people.forEach((p) => adding.delete(p.id));
    void mine.then(over, over);
    const failed = [...(await mine), ...(await Promise.all(theirs))];
    return failed.filter((id): id is string => id !== undefined);
  };
}

/** A person chosen on the create page, and how. */
export type Queued = Person & { isRequired: boolean };

/**
 * The choices made on the create page of `repo` for a pair of branches, last made or shown there
 * `at`: their clock runs from when that page went away, not from the last choice (writing the
 * description may take longer than they wait).
 */
export interface Pending {
  repo: string;
  source: string;
  target: string;
  at: number;
  people: Queued[];
}
type Branches = Pick<Pending, 'repo' | 'source' | 'target'>;

/** How long choices wait for their pull request once their create page went away. */
export const PENDING_MS = 10 * 60_000;

const sameBranches = (a: Branches, b: Branches) => a.repo === b.repo && a.source === b.source && a.target === b.target;

/** The choices made on the create page for these branches: those made for others would not be added to their pull request. */
export const queueOf = (pending: Pending | undefined, where: Branches): Queued[] => (pending && sameBranches(pending, where) ? pending.people : []);

/** The choices with `choice` among them: kept for the same branches, each person once (as first chosen); new for others. */
export function queueChoice(pending: Pending | undefined, where: Branches, choice: Choice, now: number): Pending {
  const people = queueOf(pending, where);
  const known = new Set(people.map((p) => p.id));
  return { ...where, at: now, people: [...people, ...choice.people.filter((p) => !known.has(p.id)).map((p) => ({ ...p, isRequired: choice.isRequired }))] };
}

/** The choices once the create page for `where`, which showed them if they are its own, went away `now`. */
export const queueLeft = (pending: Pending | undefined, where: Branches, now: number): Pending | undefined => (pending && sameBranches(pending, where) ? { ...pending, at: now } : pending);

/** Whether choices whose clock last started `at` still wait (see PENDING_MS). */
export const stillWait = (queue: { at: number }, now: number): boolean => now - queue.at < PENDING_MS;

/** Whether the choices were made for this pull request (its repository and branches), recently enough. */
export const queuedFor = (pending: Pending | undefined, pr: Branches, now: number): pending is Pending => !!pending && sameBranches(pending, pr) && stillWait(pending, now);

/**
 * The choices that could not be added to their pull request, last changed, or shown or no longer
 * shown by a card of it, `at`. Like `pending`, they wait PENDING_MS while no card of it shows them:
 * a user away from every page of that pull request for that long has moved on (the failure was
 * said when it happened), and choosing again is a click.
 */
export type NotAdded = Pick<Pending, 'at' | 'people'>;

/** The choices not added yet, without those who review the pull request now: someone added them (here, in Azure DevOps, or another user). */
export const notReviewing = (list: Queued[], reviewers: Reviewers): Queued[] => list.filter((p) => !reviewers.some((r) => r.id === p.id));

/** The choices not added yet with `tried` among them while they are added: a card mounted meanwhile shows them, and a failure loses none. Each person once. */
export const notAddedWith = (list: Queued[], tried: Queued[]): Queued[] => [...list, ...tried.filter((p) => !list.some((q) => q.id === p.id))];

/** The choices not added yet once adding `tried` answered those it could not add: the others go, and one removed meanwhile stays removed. */
export const notAddedAfter = (list: Queued[], tried: Queued[], failed: Queued[]): Queued[] => list.filter((p) => failed.some((f) => f.id === p.id) || !tried.some((t) => t.id === p.id));

/** Adds the choices, required ones first; answers those it could not add. */
export async function addQueued(people: Queued[], add: (choice: Choice) => Promise<string[]>): Promise<Queued[]> {
  const left: Queued[] = [];
  for (const isRequired of [true, false]) {
    const some = people.filter((p) => p.isRequired === isRequired);
    const failed = some.length ? await add({ people: some, isRequired }) : [];
    left.push(...some.filter((p) => failed.includes(p.id)));
  }
  return left;
}

/** What a section shows once `asked` answers, or fails. */
export const outcome = <T>(asked: Promise<T>): Promise<Section<T>> => asked.then((value): Section<T> => ({ kind: 'shown', value }), (error: unknown): Section<T> => ({ kind: 'failed', error }));
