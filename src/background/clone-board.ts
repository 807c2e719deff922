import type { CloneData } from '../shared/host-protocol';
import type { BoardCheckout, BranchCheckout, CloneProgress, CloneState, PullRequestCheckout, RepoKey } from '../shared/messages';

/** How long a finished clone stays on the board, for a popup opened again after it ended. */
export const FINISHED_KEPT_MS = 15 * 60_000;
/** How long a page may still learn how a checkout ended that nobody heard end (`unheard`). */
export const UNHEARD_TOLD_MS = 5 * 60_000;

export interface BoardEntry {
  taskId: string;
  /** The profile it clones through; absent for a page's clone with git's own credentials. */
  profileId?: string | undefined;
  repo: RepoKey;
  /** The organization it is of (`orgScope`): the asking page's, else its profile's; for a page that asks to see, follow or cancel it. */
  org?: string;
  /** Once its place is planned: its clone URL as `repoUrlKey` reduces it, so a plan of the same repository finds it. */
  remote?: string | undefined;
  /** A checkout (`pullRequest.checkout`, `local.checkoutBranch`), not a clone: of what, and how it was asked for. */
  checkout?: BoardCheckout;
  state: CloneState;
  progress?: CloneProgress;
  result?: CloneData | PullRequestCheckout | BranchCheckout;
  /** What the clone threw, as thrown: the asker turns it into words as it would any failure. */
  error?: unknown;
  finishedAt?: number;
  /**
   * It ended while whoever asked for it, or followed it, had gone (a page reloaded or left, a
   * popup closed), and nobody has followed it since: a page of its organization may be told once.
   */
  unheard?: true;
}

/** What following each kind of task answers. */
interface Answers {
  clone: CloneData;
  pullRequest: PullRequestCheckout;
  branch: BranchCheckout;
}
const kindOf = (e: BoardEntry): keyof Answers => (!e.checkout ? 'clone' : 'pullRequestId' in e.checkout ? 'pullRequest' : 'branch');

/**
 * The clones (and checkouts) the background runs, by task id. A clone outlives the
 * popup that started it (the companion's port keeps the worker alive; a popup closes as soon as
 * the user clicks elsewhere), so a popup opened again finds it here: still running, with its
 * progress to follow, or how it ended. In memory only: a worker that stops has no clones.
 */
export function createCloneBoard(now: () => number = Date.now) {
  const entries = new Map<string, BoardEntry>();
  const followers = new Map<string, Set<() => void>>();
  const tell = (taskId: string) => followers.get(taskId)?.forEach((f) => f());

  function sweep(): void {
    for (const [taskId, e] of entries) if (e.finishedAt !== undefined && now() - e.finishedAt > FINISHED_KEPT_MS) entries.delete(taskId);
  }

  return {
    /**
     * Runs a clone on the board: its progress and its outcome are kept for whoever follows it.
     * `askerGone`: whether its asker has gone, so the outcome reaches nobody (a port closed).
     */
    async run<T extends CloneData | PullRequestCheckout | BranchCheckout>(
      start: Pick<BoardEntry, 'taskId' | 'profileId' | 'repo' | 'org' | 'checkout'>,
      work: (progress: (p: CloneProgress) => void) => Promise<T>,
      askerGone?: () => boolean,
    ): Promise<T> {
      sweep();
      const entry: BoardEntry = { ...start, state: 'running' };
      entries.set(start.taskId, entry);
      try {
        const result = await work((p) => {
          entry.progress = p;
          tell(start.taskId);
        });
        entry.result = result;
        entry.state = 'done';
        return result;
      } catch (e) {
        entry.error = e;
        entry.state = (e as { code?: unknown }).code === 'CANCELLED' ? 'cancelled' : 'failed';
        throw e;
      } finally {
        entry.finishedAt = now();
        if (askerGone?.()) entry.unheard = true;
        tell(start.taskId);
      }
    },

    /** Records where a running clone goes, and the repository by its id (a page asks by name), once it knows. */
    place(taskId: string, where: Partial<Pick<BoardEntry, 'remote' | 'repo'>>): void {
      const entry = entries.get(taskId);
      if (entry) Object.assign(entry, where);
    },

    /** The clone running from `remote` (a `remoteKey`), if one is. */
    runningFrom(remotes: ReadonlySet<string>): BoardEntry | undefined {
      return [...entries.values()].find((e) => e.state === 'running' && e.remote !== undefined && remotes.has(e.remote));
    },

    get: (taskId: string): BoardEntry | undefined => entries.get(taskId),

    /** Every clone running, and those that ended in the last minutes, oldest first. */
    list(): BoardEntry[] {
      sweep();
      return [...entries.values()];
    },

    /** Reports a clone's (or a checkout's) progress until it ends, then answers as its own request would have (`askerGone`: as `run`'s). */
    follow<K extends keyof Answers>(taskId: string, kind: K, onProgress: (p: CloneProgress) => void, askerGone?: () => boolean): Promise<Answers[K]> {
      const entry = entries.get(taskId);
      if (!entry || kindOf(entry) !== kind) {
        return Promise.reject(Object.assign(new Error(`That ${kind === 'clone' ? 'clone' : 'checkout'} is no longer known: it ended a while ago, or the browser restarted the extension.`), { code: 'TASK_GONE' }));
      }
      type Answer = Answers[K];
      return new Promise<Answer>((resolve, reject) => {
        const settle = () => {
          if (entry.state === 'running') {
            if (entry.progress) onProgress(entry.progress);
            return;
          }
          const watching = followers.get(taskId);
          watching?.delete(settle);
          if (watching?.size === 0) followers.delete(taskId);
          if (!askerGone?.()) delete entry.unheard;
          // `run` stored what its work answered, and the entry's kind says which it was.
          if (entry.state === 'done') resolve(entry.result as Answer);
          else reject(entry.error);
        };
        if (!followers.has(taskId)) followers.set(taskId, new Set());
        followers.get(taskId)!.add(settle);
        settle();
      });
    },

    /** Takes a finished clone off the board (the person dismissed it); a running one stays. */
    forget(taskId: string): void {
      if (entries.get(taskId)?.state !== 'running') entries.delete(taskId);
    },
  };
}
export type CloneBoard = ReturnType<typeof createCloneBoard>;
