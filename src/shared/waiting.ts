import { AskError, askWithProgress, isWaiting, isWaitOver } from './ask';
import type { Answers, ReplyError, Request, Waiting } from './messages';

/*
 * Why a request is slow, without a UI framework: the popup's and Options' lines (ui/waiting.tsx)
 * and the panels content scripts draw into pages (src/content/ui/waiting.ts) say it alike.
 */

/** A request's wait as the background reported it, and the way to stop waiting for it. */
export interface Wait extends Waiting {
  /** Ends the wait at once: the request fails with the failure it was waiting out. */
  stop: () => void;
}

/**
 * Asks through a port, so that the asker can say why it is slow: `onWait` hears each wait of the
 * background's (a 429's Retry-After, a retry after a failure, an answer slow to come), and
 * undefined once the answer is in. `signal` ends the request as Stop waiting does, with its reason
 * (a newer search replacing this one).
 */
export function askTellingWaits<R extends Request>(request: R, onWait: (wait: Wait | undefined) => void, signal?: AbortSignal): Promise<Answers[R['type']]> {
  const stopped = new AbortController();
  signal?.addEventListener('abort', () => stopped.abort(signal.reason), { once: true });
  const heard = (e: unknown) => {
    if (isWaiting(e)) onWait({ ...e.waiting, stop: () => stopped.abort(new AskError(stoppedWith(e.waiting))) });
    else if (isWaitOver(e)) onWait(undefined);
  };
  return askWithProgress(request, heard, stopped.signal).finally(() => onWait(undefined));
}

/** What the background waits out, in a person's words. */
function reason(w: Waiting): string {
  if (w.error.code === 'rateLimited') return 'Azure DevOps asked us to wait';
  if (w.error.code === 'network') return `No answer from ${w.host ?? 'Azure DevOps'} yet`;
  return 'Azure DevOps had a problem';
}

export const secondsLeft = (until: number) => Math.ceil((until - Date.now()) / 1000);

/**
 * The wait as seen, counting down each second: "Azure DevOps asked us to wait: trying again in
 * 25 s…". A slow answer (`sent`) is waited for, then given up on: "…: waiting 25 s more…".
 */
export function waitSeen(w: Waiting): string {
  const left = secondsLeft(w.until);
  if (w.sent !== undefined) return `${reason(w)}: waiting${left > 0 ? ` ${left} s more` : ''}…`;
  return `${reason(w)}: trying again${left > 0 ? ` in ${left} s` : ''}…`;
}

/** The wait as heard, once per wait: with the seconds `left` when it began. */
export const waitHeard = (w: Waiting, left: number): string =>
  w.sent !== undefined
    ? `${reason(w)}: waiting${left > 0 ? ` about ${left} seconds more` : ''}.`
    : `${reason(w)}: trying again${left > 0 ? ` in about ${left} seconds` : ''}.`;

/**
 * The failure a stopped wait ends with. A 429's words count from when the wait began ("Try again
 * in about 30 seconds"): when stopped, only what is left of the hold is still to wait. A slow
 * answer's words name how long it has been waited for.
 */
function stoppedWith(w: Waiting): ReplyError {
  if (w.sent !== undefined) {
    const waited = Math.max(1, Math.round((Date.now() - w.sent) / 1000));
    return { ...w.error, message: w.error.message.replace(/within \d+ s/, `within ${waited} s`) };
  }
  const left = secondsLeft(w.until);
  if (w.error.code !== 'rateLimited' || left <= 0) return w.error;
  const about = left < 90 ? `${left} seconds` : `${Math.ceil(left / 60)} minutes`;
  return { ...w.error, message: w.error.message.replace(/Try again in about [^.]*\./, `Try again in about ${about}.`) };
}
