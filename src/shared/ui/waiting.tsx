import { useEffect, useMemo, useState } from 'preact/hooks';
import { secondsLeft, waitHeard, waitSeen, type Wait } from '../waiting';

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
  return (
    <span class="waiting">
      <span aria-hidden="true">{waitSeen(wait)}</span>
      <span class="sr-only">{waitHeard(wait, heard)}</span>{' '}
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
