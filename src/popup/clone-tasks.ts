import { useState } from 'preact/hooks';
import { ask, askWithProgress, isProgress } from '../shared/ask';
import type { CloneData } from '../shared/host-protocol';
import type { ReplyError, RepoSummary } from '../shared/messages';
import { toReplyError } from '../shared/ui/error-note';

export interface CloneTask {
  taskId: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  phase?: string;
  percent: number;
  result?: CloneData;
  error?: ReplyError;
}

/** Clones started from the popup, by repository id, with their progress; each through its repository's profile. */
export function useCloneTasks() {
  const [tasks, setTasks] = useState<Record<string, CloneTask>>({});
  const update = (repoId: string, patch: Partial<CloneTask>) =>
    setTasks((all) => (all[repoId] ? { ...all, [repoId]: { ...all[repoId], ...patch } } : all));

  function start(profileId: string, repo: RepoSummary, protocol?: 'https' | 'ssh') {
    const taskId = crypto.randomUUID();
    setTasks((all) => ({ ...all, [repo.id]: { taskId, state: 'running', percent: 0 } }));
    askWithProgress(
      { type: 'clone.start', profileId, taskId, repo: { id: repo.id, name: repo.name, project: repo.project.name }, ...(protocol ? { protocol } : {}) },
      (e) => {
        if (isProgress(e)) update(repo.id, { phase: e.phase, percent: e.percent });
      },
    )
      .then((result) => update(repo.id, { state: 'done', percent: 100, result }))
      .catch((e: unknown) => {
        const error = toReplyError(e);
        update(repo.id, error.code === 'companion.CANCELLED' ? { state: 'cancelled' } : { state: 'failed', error });
      });
  }

  async function cancel(repoId: string) {
    const task = tasks[repoId];
    if (task?.state !== 'running') return;
    await ask({ type: 'clone.cancel', taskId: task.taskId }).catch(() => undefined);
  }

  const dismiss = (repoId: string) =>
    setTasks((all) => {
      const { [repoId]: _gone, ...rest } = all;
      return rest;
    });

  return { tasks, start, cancel, dismiss };
}
export type CloneTasks = ReturnType<typeof useCloneTasks>;
