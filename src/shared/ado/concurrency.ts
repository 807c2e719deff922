import { AdoError } from './errors';

export interface Semaphore {
  /** Waits for a free slot; resolves to the function that gives it back. */
  acquire(what: string, signal?: AbortSignal): Promise<() => void>;
  readonly active: number;
}

/** A counting semaphore whose waiters can give up (AbortSignal) without holding a slot. */
export function createSemaphore(limit: number): Semaphore {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`maxConcurrency must be a positive integer, got ${limit}`);
  let active = 0;
  const waiting: Array<() => void> = [];

  const releaser = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = waiting.shift();
      if (next) next();
      else active--;
    };
  };

  return {
    get active() {
      return active;
    },
    acquire(what, signal) {
      if (signal?.aborted) return Promise.reject(new AdoError({ kind: 'cancelled', what }));
      if (active < limit) {
        active++;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          const i = waiting.indexOf(grant);
          if (i >= 0) waiting.splice(i, 1);
          reject(new AdoError({ kind: 'cancelled', what }));
        };
        // A released slot passes straight to the next waiter, so `active` stays counted.
        const grant = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(releaser());
        };
        waiting.push(grant);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
