import type { CompanionStatus } from '../messages';

/**
 * A page's companion status, and the number of its latest ask: only that ask's answer is taken, so
 * an answer overtaken by a save never puts back what it said. One ask is on its way at a time: the
 * poll waits for the answer, however long the companion takes (up to its answer limit, then hung).
 */
export interface CompanionAnswers {
  /** Undefined while the first answer is on its way. */
  status: CompanionStatus | undefined;
  ask: number;
  /** That ask is on its way. */
  asking: boolean;
  /** And has been for longer than a poll waits: the companion is there but slow to answer, or hung. */
  slow: boolean;
}

export type CompanionEvent =
  /** The poll asks again, unless an ask is still on its way. */
  | { type: 'poll' }
  | { type: 'answer'; ask: number; status: CompanionStatus }
  /** The ask numbered `ask` has waited as long as a poll does. */
  | { type: 'slow'; ask: number }
  /** A clone folder saved: the save's answer, which says only what it changed. */
  | { type: 'saved'; partial: Partial<CompanionStatus> };

export const FIRST_ASK: CompanionAnswers = { status: undefined, ask: 1, asking: true, slow: false };

export function nextCompanion(now: CompanionAnswers, event: CompanionEvent): CompanionAnswers {
  switch (event.type) {
    case 'poll':
      return now.asking ? now : { ...now, ask: now.ask + 1, asking: true, slow: false };
    case 'answer':
      return event.ask === now.ask ? { ...now, status: event.status, asking: false, slow: false } : now;
    case 'slow':
      return event.ask === now.ask && now.asking ? { ...now, slow: true } : now;
    case 'saved': {
      const status = now.status && { ...now.status, ...event.partial };
      // A ready status is asked no more. One that is not (or none yet) may have an ask on its way,
      // which went out before the save and would say the clone folders as they were: it is
      // overtaken by a new ask, which also finds the companion that just saved ready.
      return now.status?.state === 'ready' ? { ...now, status } : { status, ask: now.ask + 1, asking: true, slow: false };
    }
  }
}
