import { useEffect, useRef, useState } from 'preact/hooks';
import { askWithProgress, isProgress } from '../shared/ask';
import { keptOwnCommits } from '../shared/branch-name';
import type { BoardCheckout, CloneTaskView, PullRequestCheckout, PullRequestSummary, ReplyError } from '../shared/messages';
import { useFocusOnChange } from '../shared/ui/focus';
import { boardTasks, cancelTask, checkoutOutcome, forgetTask as forget } from './clone-tasks';
import { GitFailed } from './git-failed';
import { OpenClone } from './open-clone';

type State =
  | { kind: 'idle'; cancelled?: true }
  | { kind: 'running'; taskId: string; percent: number; phase?: string | undefined; cancelling?: boolean; cancelFailed?: string | undefined }
  | { kind: 'done'; result: PullRequestCheckout }
  | { kind: 'dirty'; message: string; mode: 'branch' | 'merge' }
  | { kind: 'failed'; taskId: string; error: ReplyError; mode: 'branch' | 'merge'; worktree: boolean };

/**
 * "Check out" for one pull request of the popup's lists: its branch (or merge preview) in the
 * local clone, cloning first when needed, a new worktree when the clone has changes. The checkout
 * runs in the background: a popup opened again shows it still running, or how it ended.
 */
export function PullRequestCheckoutAction(props: { pr: PullRequestSummary; profileId: string }) {
  const { pr } = props;
  const [state, setState] = useState<State>({ kind: 'idle' });

  /** Shows a checkout's progress (of this popup's, or of an earlier popup's), then how it ended. */
  const followed = useRef(false);
  const acted = useRef(false);
  const follow = (taskId: string, mode: 'branch' | 'merge', worktree: boolean, answer: (onProgress: (e: unknown) => void) => Promise<PullRequestCheckout>) => {
    followed.current = true;
    setState({ kind: 'running', taskId, percent: 0 });
    const answered = answer((e) => isProgress(e) && setState((s) => (s.kind === 'running' && s.taskId === taskId ? { ...s, percent: e.percent, phase: e.phase } : s)));
    void checkoutOutcome(taskId, answered).then((outcome) => {
      if (outcome.kind === 'done') return setState({ kind: 'done', result: outcome.result });
      const { error } = outcome;
      if (error.code === 'companion.WORKTREE_DIRTY') setState({ kind: 'dirty', message: error.message.replace(/;.*$/, ''), mode });
      else if (error.code === 'companion.CANCELLED') setState({ kind: 'idle', cancelled: true });
      else if (error.code === 'TASK_GONE') setState({ kind: 'idle' });
      else setState({ kind: 'failed', taskId, error, mode, worktree });
    });
  };
  const run = (mode: 'branch' | 'merge', worktree = false) => {
    acted.current = true;
    const taskId = crypto.randomUUID();
    const request = { type: 'pullRequest.checkout', profileId: props.profileId, repo: { id: pr.repo.id, name: pr.repo.name, project: pr.repo.project }, pullRequestId: pr.id, mode, taskId, ...(worktree ? { worktree: true } : {}) } as const;
    follow(taskId, mode, worktree, (onProgress) => askWithProgress(request, onProgress));
  };
  // The latest checkout of this pull request the background ran for this profile, if any.
  useEffect(() => {
    void boardTasks().then((tasks) => {
      const last = tasks.findLast(
        (t): t is CloneTaskView & { checkout: Extract<BoardCheckout, { pullRequestId: number }> } =>
          !!t.checkout && 'pullRequestId' in t.checkout && t.checkout.pullRequestId === pr.id && t.repo.id === pr.repo.id && t.profileId === props.profileId,
      );
      // Not when this popup has started one meanwhile.
      if (!last || followed.current) return;
      const { mode, worktree } = last.checkout;
      follow(last.taskId, mode, worktree, (onProgress) => askWithProgress({ type: 'pullRequest.follow', taskId: last.taskId }, onProgress));
    });
  }, []);
  /** This running checkout's state changed by `patch`; a checkout ended or started again meanwhile is left alone. */
  const patchRunning = (taskId: string, patch: Partial<Extract<State, { kind: 'running' }>>) =>
    setState((s) => (s.kind === 'running' && s.taskId === taskId ? { ...s, ...patch } : s));
  const cancel = async (running: Extract<State, { kind: 'running' }>) => {
    if (running.cancelling) return;
    acted.current = true;
    patchRunning(running.taskId, { cancelling: true, cancelFailed: undefined });
    const said = await cancelTask(running.taskId);
    if (said) patchRunning(running.taskId, { cancelling: false, cancelFailed: said });
  };
  const dismiss = () => {
    acted.current = true;
    // Off the board too, or the next popup would show it again.
    if (state.kind === 'failed') forget(state.taskId);
    setState({ kind: 'idle' });
  };
  const retry = (failed: Extract<State, { kind: 'failed' }>) => {
    forget(failed.taskId);
    run(failed.mode, failed.worktree);
  };
  // Check out → Cancel → how it ended, or Dismiss → Check out: the focus follows the row's next step,
  // once the person has acted here (`acted`); an earlier popup's checkout arriving does not take the focus.
  const box = useFocusOnChange<HTMLSpanElement>(acted.current ? state.kind : 'idle');

  return (
    <span class="pr-checkout" data-pr-checkout={pr.id} ref={box}>
      {state.kind === 'idle' && state.cancelled && (
        <p class="small muted" role="status">
          Checkout cancelled.
        </p>
      )}
      {state.kind === 'idle' && (
        <div class="actions">
          <button type="button" class="small" onClick={() => run('branch')} title={`Check out ${pr.sourceBranch} locally`}>
            Check out
          </button>
          <button type="button" class="small" onClick={() => run('merge')} title="The merge preview: read-only, detached">
            Merge preview
          </button>
        </div>
      )}
      {state.kind === 'running' && (
        <div class="row">
          <div class="grow">
            <div class="progress" role="progressbar" aria-label={`Checking out pull request ${pr.id}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(state.percent)}>
              <div style={{ width: `${state.percent}%` }} />
            </div>
          </div>
          <button type="button" class="small" aria-disabled={state.cancelling} onClick={() => void cancel(state)}>
            {state.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
      )}
      {state.kind === 'running' && state.cancelFailed && (
        <p class="small muted" role="status">
          {state.cancelFailed}
        </p>
      )}
      {state.kind === 'done' && (
        <>
          <p class="small" role="status">
            Checked out {state.result.branch ?? 'the merge preview (detached)'}
            {state.result.worktree ? ' in a new worktree at ' : state.result.cloned ? ' in a new clone at ' : ' in '}
            <code>{state.result.path}</code>.
          </p>
          {keptOwnCommits(state.result) && <p class="small muted">{keptOwnCommits(state.result)}</p>}
          <OpenClone path={state.result.path} />
        </>
      )}
      {state.kind === 'dirty' && (
        <div class="note warning small" role="status">
          {state.message}: nothing was touched.{' '}
          <button type="button" class="small" onClick={() => run(state.mode, true)}>
            Check out into a new worktree
          </button>{' '}
          <button type="button" class="small" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
      {state.kind === 'failed' && (
        <GitFailed error={state.error} task="checkout" title="The checkout did not finish" onRetry={() => retry(state)} onDismiss={dismiss} />
      )}
    </span>
  );
}
