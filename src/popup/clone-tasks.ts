import { useEffect, useState } from 'preact/hooks';
import { ask, askWithProgress, isProgress } from '../shared/ask';
import type { CloneData } from '../shared/host-protocol';
import type { CloneState, CloneTaskView, ReplyError, RepoSummary } from '../shared/messages';
import { toReplyError } from '../shared/ui/error-note';

export interface CloneTask {
  taskId: string;
  state: CloneState;
  phase?: string;
  percent: number;
  result?: CloneData;
  error?: ReplyError;
  /** Cancel was pressed and has not landed yet. */
  cancelling?: boolean;
  /** Why the last Cancel did not land. */
  cancelFailed?: string;
}

let asking: Promise<CloneTaskView[]> | undefined;
/**
 * What the background's board runs or ran lately (clones, pull request checkouts). Asked afresh by
 * whatever mounts (a tab shown again, another profile); the rows of one list mounting together
 * share one question.
 */
export function boardTasks(): Promise<CloneTaskView[]> {
  asking ??= ask({ type: 'clone.tasks' })
    .then(
      (a) => a.tasks,
      // Without the board the popup only misses tasks it did not start.
      () => [],
    )
    .finally(() => (asking = undefined));
  return asking;
}

/**
 * Asks the background to cancel a clone or checkout. Landed, the task ends as cancelled and its own
 * answer says so; the answer here is why it did not land (git was finishing, or the ask failed).
 */
export const cancelTask = (taskId: string): Promise<string | undefined> =>
  ask({ type: 'clone.cancel', taskId }).then(
    (a) => (a.cancelled ? undefined : 'It could not be cancelled: git was finishing.'),
    (e: unknown) => `It could not be cancelled: ${toReplyError(e).message}`,
  );

/** Takes a finished task off the background's board: the next popup does not show it again. */
export const forgetTask = (taskId: string) => void ask({ type: 'clone.forget', taskId }).catch(() => undefined);

/**
 * How a checkout the popup follows ended (its own request's answer, or one followed on the board).
 * An outcome said once is taken off the board (done, cancelled, or a clone with changes left
 * alone), so the next popup offers the checkout again; a failure stays until dismissed or tried again.
 */
export async function checkoutOutcome<T>(taskId: string, answer: Promise<T>): Promise<{ kind: 'done'; result: T } | { kind: 'failed'; error: ReplyError }> {
  try {
    const result = await answer;
    forgetTask(taskId);
    return { kind: 'done', result };
  } catch (e) {
    const error = toReplyError(e);
    if (error.code === 'companion.WORKTREE_DIRTY' || error.code === 'companion.CANCELLED') forgetTask(taskId);
    return { kind: 'failed', error };
  }
}

const fromBoard = (t: CloneTaskView): CloneTask => ({
  taskId: t.taskId,
  state: t.state,
  percent: t.progress?.percent ?? 0,
  ...(t.progress ? { phase: t.progress.phase } : {}),
  ...(t.error ? { error: t.error } : {}),
});

/**
 * Clones by repository id, with their progress; each through its repository's profile. A clone
 * runs in the background, not in the popup: one opened again shows the clones still running
 * (from an earlier popup or a page) and those that failed since, from the background's board.
 */
export function useCloneTasks() {
  const [tasks, setTasks] = useState<Record<string, CloneTask>>({});
  // Only the clone a row shows: a late answer of one dismissed or started again changes nothing.
  const update = (repoId: string, taskId: string, patch: Partial<CloneTask>) =>
    setTasks((all) => (all[repoId]?.taskId === taskId ? { ...all, [repoId]: { ...all[repoId], ...patch } } : all));

  /** Shows a clone's progress, then how it ended. */
  function follow(repoId: string, taskId: string, answer: (onProgress: (e: unknown) => void) => Promise<CloneData>) {
    answer((e) => {
      if (isProgress(e)) update(repoId, taskId, { phase: e.phase, percent: e.percent });
    })
      .then((result) => update(repoId, taskId, { state: 'done', percent: 100, result }))
      .catch((e: unknown) => {
        const error = toReplyError(e);
        update(repoId, taskId, error.code === 'companion.CANCELLED' ? { state: 'cancelled' } : { state: 'failed', error });
      });
  }

  useEffect(() => {
    void boardTasks().then((listing) => {
      // A pull request's checkout is its row's (pr-checkout.tsx).
      const board = listing.filter((t) => !t.checkout && t.state !== 'done');
      // What this popup started meanwhile is newer than the board's answer.
      setTasks((all) => Object.fromEntries([...board.map((t) => [t.repo.id, fromBoard(t)] as const), ...Object.entries(all)]));
      for (const t of board) {
        if (t.state === 'running') follow(t.repo.id, t.taskId, (onProgress) => askWithProgress({ type: 'clone.follow', taskId: t.taskId }, onProgress));
      }
    });
  }, []);

  function start(profileId: string, repo: RepoSummary, protocol?: 'https' | 'ssh') {
    const taskId = crypto.randomUUID();
    setTasks((all) => ({ ...all, [repo.id]: { taskId, state: 'running', percent: 0 } }));
    follow(repo.id, taskId, (onProgress) =>
      askWithProgress(
        { type: 'clone.start', profileId, taskId, repo: { id: repo.id, name: repo.name, project: repo.project.name }, ...(protocol ? { protocol } : {}) },
        onProgress,
      ),
    );
  }

  async function cancel(repoId: string) {
    const task = tasks[repoId];
    if (task?.state !== 'running' || task.cancelling) return;
    const { taskId } = task;
    update(repoId, taskId, { cancelling: true, cancelFailed: undefined });
    const said = await cancelTask(taskId);
    if (said) update(repoId, taskId, { cancelling: false, cancelFailed: said });
  }

  function dismiss(repoId: string) {
    const task = tasks[repoId];
    // Off the board too, or the next popup would show the failure again.
    if (task) void ask({ type: 'clone.forget', taskId: task.taskId }).catch(() => undefined);
    setTasks((all) => {
      const { [repoId]: _gone, ...rest } = all;
      return rest;
    });
  }

  return { tasks, start, cancel, dismiss };
}
export type CloneTasks = ReturnType<typeof useCloneTasks>;
