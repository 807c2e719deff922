import { useEffect, useReducer } from 'preact/hooks';
import { ask } from '../ask';
import { COMPANION_POLL_MS } from '../companion-poll';
import type { CompanionStatus } from '../messages';
import { FIRST_ASK, nextCompanion } from './companion-answers';
import { toReplyError } from './error-note';


export interface CompanionState {
  /** Undefined while the first answer is on its way. */
  status: CompanionStatus | undefined;
  /**
   * Takes a newer answer (after saving a clone folder) without losing what it does not say; an
   * answer asked before it is not taken (companion-answers.ts).
   */
  update(partial: Partial<CompanionStatus>): void;
}

/**
 * One companion status for a whole page, which every part that depends on the companion reads:
 * asked once, then again every few seconds while the companion is not ready.
 */
export function useCompanionStatus(pollMs = COMPANION_POLL_MS): CompanionState {
  const [{ status, ask: asked }, dispatch] = useReducer(nextCompanion, FIRST_ASK);
  useEffect(() => {
    ask({ type: 'companion.status' })
      .catch((e: unknown): CompanionStatus => ({ state: 'failed', message: toReplyError(e).message }))
      .then((s) => dispatch({ type: 'answer', ask: asked, status: s }));
  }, [asked]);
  const waiting = status !== undefined && status.state !== 'ready';
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => dispatch({ type: 'poll' }), pollMs);
    return () => clearTimeout(timer);
  }, [waiting, asked]);
  return { status, update: (partial) => dispatch({ type: 'saved', partial }) };
}
