import { useEffect, useMemo, useState } from 'preact/hooks';
import { AskError, askWithProgress, isWaiting } from '../ask';
import type { Answers, ReplyError, Request, Waiting } from '../messages';

/** A request's wait as the background reported it, and the way to stop waiting for it. */
export interface Wait extends Waiting {
  /** Ends the wait at once: the request fails with the failure it was waiting out. */
  stop: () => void;
}

/**
 * Asks for a list through a port, so that the tab can say why it is slow: `onWait` hears each
 * wait of the background's (a 429's Retry-After, a retry after a failure), and undefined once the
 * answer is in.
 */
export function askTellingWaits<R extends Request>(request: R, onWait: (wait: Wait | undefined) => void): Promise<Answers[R['type']]> {
  const stopped = new AbortController();
  const heard = (e: unknown) => {
    if (isWaiting(e)) onWait({ ...e.waiting, stop: () => stopped.abort(new AskError(stoppedWith(e.waiting))) });
    else if (isWaitOver(e)) onWait(undefined);
  };
  return askWithProgress(request, heard, stopped.signal).finally(() => onWait(undefined));
}

const isWaitOver = (e: unknown): boolean => typeof e === 'object' && e !== null && (e as { waiting?: unknown }).waiting === null;

/** What the background waits out, in a person's words. */
function reason(w: Waiting): string {
  if (w.error.code === 'rateLimited') return 'Azure DevOps asked us to wait';
  if (w.error.code === 'network') return `No answer from ${w.host ?? 'Azure DevOps'} yet`;
  return 'Azure DevOps had a problem';
}

const secondsLeft = (until: number) => Math.ceil((until - Date.now()) / 1000);

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

/**
 * Why a list is slow, for a polite live region: seen with a countdown, heard once per wait (not
 * every second), and Stop waiting, which leaves the focus on `home` as the failure replaces it.
 */
export function WaitSaid(props: { wait: Wait; home: string; onStop?: () => void }) {
  const { wait } = props;
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const heard = useMemo(() => secondsLeft(wait.until), [wait.until]);
  const left = secondsLeft(wait.until);
  const why = reason(wait);
  // A slow answer is waited for, then given up on; a failure's pause ends in another try.
  const then = wait.sent === undefined ? 'trying again' : 'waiting';
  return (
    <span class="waiting">
      <span aria-hidden="true">
        {why}: {then}
        {left > 0 ? (wait.sent === undefined ? ` in ${left} s` : ` ${left} s more`) : ''}…
      </span>
      <span class="sr-only">
        {why}: {then}
        {heard > 0 ? (wait.sent === undefined ? ` in about ${heard} seconds` : ` about ${heard} seconds more`) : ''}.
      </span>{' '}
      <button
        type="button"
        class="link small"
        onClick={() => {
          (props.onStop ?? wait.stop)();
          document.getElementById(props.home)?.focus();
        }}
      >
        Stop waiting
      </button>
    </span>
  );
}

/** A tab's line for its wait: always there, so that screen readers hear what comes into it. */
export function WaitLine(props: { wait: Wait | undefined; home: string; loading: boolean }) {
  return (
    <p class={props.loading ? 'wait-line small loading' : 'wait-line small'} aria-live="polite">
      {props.wait && <WaitSaid wait={props.wait} home={props.home} />}
    </p>
  );
}
