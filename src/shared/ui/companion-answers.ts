import type { CompanionStatus } from '../messages';

/**
 * A page's companion status, and the number of its latest ask: only that ask's answer is taken, so
 * an answer overtaken by a newer ask, or by a save, never puts back what it said.
 */
export interface CompanionAnswers {
  /** Undefined while the first answer is on its way. */
  status: CompanionStatus | undefined;
  ask: number;
}

export type CompanionEvent =
  /** The poll asks again. */
  | { type: 'poll' }
  | { type: 'answer'; ask: number; status: CompanionStatus }
  /** A clone folder saved: the save's answer, which says only what it changed. */
  | { type: 'saved'; partial: Partial<CompanionStatus> };

export const FIRST_ASK: CompanionAnswers = { status: undefined, ask: 1 };

export function nextCompanion(now: CompanionAnswers, event: CompanionEvent): CompanionAnswers {
  switch (event.type) {
    case 'poll':
      return { ...now, ask: now.ask + 1 };
    case 'answer':
      return event.ask === now.ask ? { ...now, status: event.status } : now;
    case 'saved': {
      const status = now.status && { ...now.status, ...event.partial };
      // A ready status is asked no more. One that is not (or none yet) may have an ask on its way,
      // which went out before the save and would say the clone folders as they were: it is
      // overtaken by a new ask.
      return { status, ask: now.status?.state === 'ready' ? now.ask : now.ask + 1 };
    }
  }
}
