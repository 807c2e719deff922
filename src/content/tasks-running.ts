/**
 * The git tasks running in this frame (their results), on the content scripts' global (their own
 * world: pages cannot see it): the panels' script starts them, and the hand-off dialog, in the
 * script every page loads, learns of those started from its own feature's panel.
 */
const KEY = Symbol.for('azure-devops-companion.tasks');

interface Tasks {
  running: Set<Promise<unknown>>;
  listeners: Set<(task: Promise<unknown>) => void>;
}

const tasks = (): Tasks => ((globalThis as Record<symbol, Tasks | undefined>)[KEY] ??= { running: new Set(), listeners: new Set() });

/** A task has started (git-task.ts): it counts as running until it settles. */
export function taskStarted(result: Promise<unknown>): void {
  const { running, listeners } = tasks();
  running.add(result);
  const end = () => void running.delete(result);
  result.then(end, end);
  for (const listener of listeners) listener(result);
}

export const isRunning = (result: Promise<unknown>): boolean => tasks().running.has(result);

/** Tells `listener` of each task started from now on, until `signal` aborts. */
export function onTaskStarted(listener: (task: Promise<unknown>) => void, signal: AbortSignal): void {
  const { listeners } = tasks();
  listeners.add(listener);
  signal.addEventListener('abort', () => listeners.delete(listener), { once: true });
}
