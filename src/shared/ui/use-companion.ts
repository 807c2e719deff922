import { useEffect, useReducer } from 'preact/hooks';
import { ask } from '../ask';
import { COMPANION_POLL_MS } from '../companion-poll';
import type { CompanionStatus } from '../messages';
import { FIRST_ASK, nextCompanion } from './companion-answers';
import { toReplyError } from './error-note';

export interface CompanionState {
  /** Undefined while the first answer is on its way. */
  status: CompanionStatus | undefined;
  /** An ask has waited longer than a poll does: the companion is slow to answer, or hung. */
  slow: boolean;
  /**
   * Takes a newer answer (after saving a clone folder) without losing what it does not say; an
   * answer asked before it is not taken (companion-answers.ts).
   */
  update(partial: Partial<CompanionStatus>): void;
}

/**
 * One companion status for a whole page, which every part that depends on the companion reads:
 * asked once, then again a few seconds after each answer while the companion is not ready.
 */
export function useCompanionStatus(pollMs = COMPANION_POLL_MS): CompanionState {
  const [{ status, ask: asked, asking, slow }, dispatch] = useReducer(nextCompanion, FIRST_ASK);
  useEffect(() => {
    ask({ type: 'companion.status' })
      .catch((e: unknown): CompanionStatus => ({ state: 'failed', message: toReplyError(e).message }))
      .then((s) => dispatch({ type: 'answer', ask: asked, status: s }));
    const late = setTimeout(() => dispatch({ type: 'slow', ask: asked }), pollMs);
    return () => clearTimeout(late);
  }, [asked]);
  // From the answer, not the ask: an answer slower than the poll is shown, not overtaken.
  const due = !asking && status !== undefined && status.state !== 'ready';
  useEffect(() => {
    if (!due) return;
    const timer = setTimeout(() => dispatch({ type: 'poll' }), pollMs);
    return () => clearTimeout(timer);
  }, [due]);
  return { status, slow, update: (partial) => dispatch({ type: 'saved', partial }) };
}
