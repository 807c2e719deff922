import { ask, askWithProgress } from './ask';
import { AskError, isProgress } from '../shared/ask';
import type { Answers, BoardCheckout, CloneProgress, CloneTaskView, PageRequest, ReplyError } from '../shared/messages';
import { problemText, taskId } from './session';

/** The page's requests that run git for a while, with progress, and can be cancelled. */
type TaskType = 'clone.start' | 'pullRequest.checkout' | 'local.checkoutBranch';
/** Such a request as a feature makes it: the task id is this module's. */
export type TaskRequest<T extends TaskType> = Omit<Extract<PageRequest, { type: T }>, 'taskId'>;

/**
 * git running for a page: a clone, a pull request's checkout. A task started under a key outlives
 * the view that started it (in-app navigation does not stop git), so a button drawn again for the
 * same repository or pull request shows the same progress.
 */
export interface GitTask<T extends TaskType> {
  readonly request: TaskRequest<T>;
  readonly progress: CloneProgress | undefined;
  readonly result: Promise<Answers[T]>;
  onProgress(listener: (p: CloneProgress) => void, signal: AbortSignal): void;
  cancel(): Promise<boolean>;
}

export type CloneTask = GitTask<'clone.start'>;

const running = new Map<string, GitTask<TaskType>>();

/** The task of this type running under `key`, if one is. */
export const runningTask = <T extends TaskType>(type: T, key: string): GitTask<T> | undefined => running.get(`${type}|${key}`) as GitTask<T> | undefined;

/**
 * Starts `request`; with a `key`, the task is kept under it until it ends. `onWork` (the feature's
 * MountContext's, in a hand-off dialog) learns of it: a task started is always the person's doing,
 * unlike one followed.
 */
export function startTask<T extends TaskType>(request: TaskRequest<T> & { type: T }, key?: string, onWork?: (work: Promise<unknown>) => void): GitTask<T> {
  const id = taskId();
  const task = track(id, request, (onEvent) => askWithProgress<T>({ ...request, taskId: id } as PageRequest & { type: T }, onEvent), key);
  onWork?.(task.result);
  return task;
}

/** The request that follows each kind of task the background runs. */
const FOLLOW = { 'clone.start': { type: 'clone.follow' }, 'pullRequest.checkout': { type: 'pullRequest.follow' }, 'local.checkoutBranch': { type: 'local.followCheckout' } } as const;

/**
 * Follows a task the background already runs (started before this page was loaded, or from the
 * popup), as if this page had started it.
 */
export function followTask<T extends TaskType>(id: string, request: TaskRequest<T> & { type: T }, key?: string): GitTask<T> {
  const follow = { ...FOLLOW[request.type as TaskType], taskId: id } as PageRequest & (typeof FOLLOW)[TaskType];
  return track(id, request, (onEvent) => askWithProgress(follow, onEvent) as Promise<Answers[T]>, key);
}

/** This organization's checkouts running in the background, then those that ended unheard as the page reloaded (`clone.tasks` answers a page only those). */
export const runningCheckouts = async () => (await ask({ type: 'clone.tasks' })).tasks.filter((t): t is CloneTaskView & { checkout: BoardCheckout } => !!t.checkout);

/** The same repository, as a page and the background may each spell it. */
export const sameRepo = (a: { name: string; project: string }, b: { name: string; project: string }) => a.name.toLowerCase() === b.name.toLowerCase() && a.project.toLowerCase() === b.project.toLowerCase();

function track<T extends TaskType>(id: string, request: TaskRequest<T> & { type: T }, run: (onEvent: (e: unknown) => void) => Promise<Answers[T]>, key?: string): GitTask<T> {
  const listeners = new Set<(p: CloneProgress) => void>();
  let progress: CloneProgress | undefined;
  const result = run((e) => {
    if (!isProgress(e)) return;
    progress = e;
    for (const l of listeners) l(e);
  });
  const task: GitTask<T> & { ended: boolean } = {
    request,
    ended: false,
    get progress() {
      return progress;
    },
    result,
    onProgress(listener, signal) {
      listeners.add(listener);
      signal.addEventListener('abort', () => listeners.delete(listener), { once: true });
    },
    async cancel() {
      // The background knows the task only once git starts (after looking the repository up),
      // and between two steps (clone, then checkout) nothing runs for a moment: a cancel that
      // does not land is repeated until it does or the task ends.
      for (let attempt = 0; attempt < 40 && !task.ended; attempt++) {
        if ((await ask({ type: 'clone.cancel', taskId: id })).cancelled) return true;
        await new Promise((r) => setTimeout(r, 250));
      }
      return false;
    },
  };
  const slot = key === undefined ? undefined : `${request.type}|${key}`;
  if (slot) running.set(slot, task as GitTask<TaskType>);
  const end = () => {
    task.ended = true;
    if (slot && running.get(slot) === task) running.delete(slot);
  };
  result.then(end, end);
  return task;
}

/**
 * How a task ended, as a panel shows it: a clone with uncommitted changes is not a failure but a
 * choice (a worktree), and the person's own Cancel is not a failure either.
 */
export type TaskOutcome<T extends TaskType> = { kind: 'done'; result: Answers[T] } | { kind: 'dirty'; message: string } | { kind: 'cancelled' } | { kind: 'failed'; error: ReplyError };

export const outcomeOf = <T extends TaskType>(task: GitTask<T>): Promise<TaskOutcome<T>> =>
  task.result.then(
    (result): TaskOutcome<T> => ({ kind: 'done', result }),
    (e: unknown): TaskOutcome<T> => {
      const code = e instanceof AskError ? e.code : undefined;
      if (code === 'companion.WORKTREE_DIRTY') return { kind: 'dirty', message: problemText(e) };
      return code === 'companion.CANCELLED' ? { kind: 'cancelled' } : { kind: 'failed', error: e instanceof AskError ? e.reply : { code: 'FAILED', message: problemText(e) } };
    },
  );

const PHASE_WORDS: Record<string, string> = {
  counting: 'Counting objects',
  compressing: 'Compressing objects',
  receiving: 'Receiving objects',
  resolving: 'Resolving deltas',
  checkout: 'Checking out files',
};

export const progressText = (p: CloneProgress | undefined) => (p ? `${PHASE_WORDS[p.phase] ?? p.phase}… ${Math.round(p.percent)}%` : 'Starting git…');
