/**
 * The git tasks running in this frame (their results), on the content scripts' global (their own
 * world: pages cannot see it): the panels' script starts them, and the hand-off dialog, in the
 * script every page loads, waits for those started from it before it goes away.
 */
const KEY = Symbol.for('azure-devops-companion.tasks');
export const tasksRunning = (): Set<Promise<unknown>> => ((globalThis as Record<symbol, Set<Promise<unknown>> | undefined>)[KEY] ??= new Set());
