import { ask, askWithProgress } from './ask';
import type { CloneData } from '../shared/host-protocol';
import type { CloneProgress, PageRequest } from '../shared/messages';
import { taskId } from './session';

type CloneRequest = Omit<Extract<PageRequest, { type: 'clone.start' }>, 'type' | 'taskId'>;

/**
 * A clone started from a page. It outlives the view that started it (in-app navigation does not
 * stop git), so a button drawn again for the same repository shows the same progress.
 */
export interface CloneTask {
  readonly progress: CloneProgress | undefined;
  readonly result: Promise<CloneData>;
  onProgress(listener: (p: CloneProgress) => void, signal: AbortSignal): void;
  cancel(): Promise<boolean>;
}

const running = new Map<string, CloneTask>();

export const runningClone = (key: string): CloneTask | undefined => running.get(key);

const PHASES = new Set(['counting', 'compressing', 'receiving', 'resolving', 'checkout']);
const isProgress = (e: unknown): e is CloneProgress =>
  typeof e === 'object' && e !== null && PHASES.has(String((e as CloneProgress).phase)) && typeof (e as CloneProgress).percent === 'number';

export function startClone(key: string, request: CloneRequest): CloneTask {
  const id = taskId();
  const listeners = new Set<(p: CloneProgress) => void>();
  let progress: CloneProgress | undefined;
  const result = askWithProgress({ type: 'clone.start', ...request, taskId: id }, (e) => {
    if (!isProgress(e)) return;
    progress = e;
    for (const l of listeners) l(e);
  });
  const task: CloneTask = {
    get progress() {
      return progress;
    },
    result,
    onProgress(listener, signal) {
      listeners.add(listener);
      signal.addEventListener('abort', () => listeners.delete(listener), { once: true });
    },
    async cancel() {
      // The background knows the clone only once git starts (after looking the repository up):
      // a cancel that comes earlier is repeated until it lands or the clone ends.
      for (let attempt = 0; attempt < 40 && running.get(key) === task; attempt++) {
        if ((await ask({ type: 'clone.cancel', taskId: id })).cancelled) return true;
        await new Promise((r) => setTimeout(r, 250));
      }
      return false;
    },
  };
  running.set(key, task);
  const forget = () => running.delete(key);
  result.then(forget, forget);
  return task;
}

const PHASE_WORDS: Record<string, string> = {
  counting: 'Counting objects',
  compressing: 'Compressing objects',
  receiving: 'Receiving objects',
  resolving: 'Resolving deltas',
  checkout: 'Checking out files',
};

export const progressText = (p: CloneProgress | undefined) => (p ? `${PHASE_WORDS[p.phase] ?? p.phase}… ${Math.round(p.percent)}%` : 'Starting git…');
