/**
 * A queue: each piece of work given to it starts once the one before has ended, however that ended
 * (a failure is the caller's answer, not the next one's).
 */
export function inTurns(): <T>(work: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (work) => {
    const next = last.then(work);
    last = next.catch(() => undefined);
    return next;
  };
}
