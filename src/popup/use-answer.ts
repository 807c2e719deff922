import { useEffect, useRef, useState } from 'preact/hooks';
import type { ReplyError } from '../shared/messages';
import { toReplyError } from '../shared/ui/error-note';

/**
 * The answer to one request for a component: asked again when `deps` change or on `retry`. An
 * answer that arrives after the component moved on (another profile, unmounted) is dropped. On
 * `retry` the last data stays shown while the next answer is on its way; when `deps` change it goes
 * at once, since it was about something else (another profile's list, another project's groups).
 */
export function useAnswer<T>(request: () => Promise<T>, deps: unknown[]): { data?: T; error?: ReplyError; retry(): void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ReplyError>();
  const [attempt, setAttempt] = useState(0);
  const retrying = useRef(false);
  useEffect(() => {
    let live = true;
    if (!retrying.current) setData(undefined);
    retrying.current = false;
    setError(undefined);
    request()
      .then((a) => live && setData(() => a))
      .catch((e: unknown) => live && setError(toReplyError(e)));
    return () => {
      live = false;
    };
  }, [...deps, attempt]);
  return {
    data,
    error,
    retry: () => {
      retrying.current = true;
      setAttempt((n) => n + 1);
    },
  };
}
