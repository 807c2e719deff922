import { useEffect, useState } from 'preact/hooks';
import { ask } from '../ask';
import { COMPANION_POLL_MS } from '../companion-poll';
import type { CompanionStatus } from '../messages';
import { toReplyError } from './error-note';


export interface CompanionState {
  /** Undefined while the first answer is on its way. */
  status: CompanionStatus | undefined;
  /**
   * Takes a newer answer (after saving a clone folder) without losing what it does not say; before
   * the first answer, asks again.
   */
  update(partial: Partial<CompanionStatus>): void;
}

/**
 * One companion status for a whole page, which every part that depends on the companion reads:
 * asked once, then again every few seconds while the companion is not ready.
 */
export function useCompanionStatus(pollMs = COMPANION_POLL_MS): CompanionState {
  const [status, setStatus] = useState<CompanionStatus>();
  const [asks, setAsks] = useState(0);
  useEffect(() => {
    let live = true;
    ask({ type: 'companion.status' })
      .then((s) => live && setStatus(s))
      .catch((e: unknown) => live && setStatus({ state: 'failed', message: toReplyError(e).message }));
    return () => {
      live = false;
    };
  }, [asks]);
  const waiting = status !== undefined && status.state !== 'ready';
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => setAsks((n) => n + 1), pollMs);
    return () => clearTimeout(timer);
  }, [waiting, asks]);
  return {
    status,
    update: (partial) => {
      if (status) setStatus((s) => s && { ...s, ...partial });
      // The first answer was asked before this change (and may be on its way still): ask again,
      // and the effect's cleanup drops the older answer.
      else setAsks((n) => n + 1);
    },
  };
}
