import { useEffect, useRef, useState } from 'preact/hooks';
import type { ReplyError } from '../shared/messages';
import { toReplyError } from '../shared/ui/error-note';
import type { Wait } from '../shared/waiting';

/**
 * The answer to one request for a component: asked again when `deps` change or on `retry`. An
 * answer that arrives after the component moved on (another profile, unmounted) is dropped. On
 * `retry` the last data stays shown while the next answer is on its way; when `deps` change it goes
 * at once, since it was about something else (another profile's list, another project's groups).
 * `wait`: why the answer is slow, when `request` passes on what the background says (askTellingWaits).
 */
export function useAnswer<T>(request: (onWait: (wait: Wait | undefined) => void) => Promise<T>, deps: unknown[]): { data?: T; error?: ReplyError; wait?: Wait | undefined; retry(): void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ReplyError>();
  const [wait, setWait] = useState<Wait>();
  const [attempt, setAttempt] = useState(0);
  const retrying = useRef(false);
  useEffect(() => {
    let live = true;
    if (!retrying.current) setData(undefined);
    retrying.current = false;
    setError(undefined);
    setWait(undefined);
    request((w) => live && setWait(w))
      .then((a) => live && setData(() => a))
      .catch((e: unknown) => live && setError(toReplyError(e)));
    return () => {
      live = false;
    };
  }, [...deps, attempt]);
  return {
    data,
    error,
    wait,
    retry: () => {
      retrying.current = true;
      setAttempt((n) => n + 1);
    },
  };
}
