import { useEffect, useState } from 'preact/hooks';
import type { ReplyError } from '../shared/messages';
import { toReplyError } from '../shared/ui/error-note';

/**
 * The answer to one request for a component: asked again when `deps` change or on `retry`. An
 * answer that arrives after the component moved on (another profile, unmounted) is dropped; the
 * last data stays shown while the next answer is on its way.
 */
export function useAnswer<T>(request: () => Promise<T>, deps: unknown[]): { data?: T; error?: ReplyError; retry(): void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ReplyError>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError(undefined);
    request()
      .then((a) => live && setData(() => a))
      .catch((e: unknown) => live && setError(toReplyError(e)));
    return () => {
      live = false;
    };
  }, [...deps, attempt]);
  return { data, error, retry: () => setAttempt((n) => n + 1) };
}
