import type { AdoPage } from '../shared/ado/urls';
import type { ClonePlan, PullRequestCheckout, ReplyError } from '../shared/messages';
import { followTask, outcomeOf, progressText, runningCheckouts, runningTask, sameRepo, startTask, type GitTask } from './git-task';
import { companionNeeded, companionSetup, watchForCompanion, type CompanionSetup } from './companion-setup';
import type { Attach } from './feature';
import { localCloneActions } from './local-actions';
import { repoKeyOf } from './repo-on-page';
import { companionStatus, pageContext, problemOf, type Problem } from './session';
import { PR_BRANCH_LINKS } from './anchors';
import { fill, h } from './ui/dom';
import { keptOwnCommits } from '../shared/branch-name';
import { worktreePath } from '../shared/worktree-folder';
import { folderInTheWay, gitFailure } from './ui/git-failure';
import { actions, alertBox, button, cancelButton, facts, pathText, problemView, progressBar } from './ui/parts';
import { popoverToggle } from './ui/popover';
import { waitLine, type AskSaying } from './ui/waiting';

/**
 * Check out a pull request on this computer: a button among the pull request's header actions
 * (every tab) that fetches its source branch into the local clone (from the fork when it comes
 * from one) and switches to it, or checks out the merge preview; clones first when needed, and
 * offers a new worktree when the clone has uncommitted changes, which it never touches.
 */

type Mode = 'branch' | 'merge';
type CheckoutTask = GitTask<'pullRequest.checkout'>;
type ProgressBar = ReturnType<typeof progressBar>;

/** What the panel shows. `view` draws it; `attach` only moves from one state to the next. */
type State =
  /** Nothing asked yet: the panel loads when first opened. */
  | { kind: 'idle' }
  | { kind: 'loading' }
  | ({ kind: 'problem' } & Problem)
  | { kind: 'noCompanion'; setup: CompanionSetup }
  /** `branches`: the header's source and target, as the page shows them. */
  | { kind: 'ready'; plan: ClonePlan; branches: string[] }
  | { kind: 'running'; task: CheckoutTask }
  | { kind: 'done'; result: PullRequestCheckout }
  /** The clone has uncommitted changes: nothing was touched, a worktree is offered. */
  | { kind: 'dirty'; message: string; mode: Mode }
  | { kind: 'cancelled' }
  | { kind: 'failed'; error: ReplyError; mode: Mode; worktree: boolean };

type Loaded = Extract<State, { kind: 'problem' | 'noCompanion' | 'ready' }>;

/** The pull request's source and target branch links in the header (`.pr-header-branches`). */
const headerBranches = () => [...document.querySelectorAll(PR_BRANCH_LINKS)].map((a) => a.textContent?.trim() ?? '');

async function load(page: AdoPage, saying: AskSaying): Promise<Loaded> {
  try {
    const [context, status] = await Promise.all([pageContext.get(), companionStatus.get()]);
    if (status.state !== 'ready') return { kind: 'noCompanion', setup: await companionSetup(status) };
    if (!context.profile) return { kind: 'problem', message: `No profile is connected for ${page.organization}: add an account for it to check pull requests out.`, next: ['Add an account', 'accounts'] };
    return { kind: 'ready', plan: await saying({ type: 'clone.plan', repo: repoKeyOf(page)!, inTheWay: true }), branches: headerBranches() };
  } catch (e) {
    return { kind: 'problem', ...problemOf(e) };
  }
}

/** The button's words for a state. */
function labelOf(state: State): string {
  if (state.kind === 'running') return `Checking… ${Math.round(state.task.progress?.percent ?? 0)}%`;
  return state.kind === 'done' ? 'Checked out' : 'Check out';
}

interface Actions {
  run(mode: Mode, worktree: boolean): void;
  reload(): void;
  close(): void;
}

const title = (text: string) => h('h2', { class: 'adoc-title' }, text);

/** The panel's content for a state, and its progress bar while running (progress moves it without a redraw). */
function view(state: State, id: number, act: Actions, signal: AbortSignal): { nodes: (Node | false)[]; bar?: ProgressBar } {
  switch (state.kind) {
    case 'idle':
    case 'loading':
      return { nodes: [h('p', { class: 'adoc-muted', role: 'status' }, 'Looking for your clone…')] };
    case 'problem':
      return { nodes: [title(`Check out pull request ${id}`), ...problemView(state, act.reload, signal, act.close)] };
    case 'noCompanion':
      return { nodes: companionNeeded(state.setup.status, 'Checking out a pull request runs git through it.', signal, state.setup) };
    case 'running': {
      const { task } = state;
      const bar = progressBar(`Checking out pull request ${id}`);
      bar.set(task.progress?.percent ?? 0, progressText(task.progress));
      return { nodes: [title(`Checking out pull request ${id}…`), bar.el, actions(cancelButton(() => task.cancel(), signal))], bar };
    }
    case 'done':
      return { nodes: done(state.result, id, act, signal) };
    case 'dirty': {
      const { mode } = state;
      return {
        nodes: [
          title(`Pull request ${id}`),
          alertBox(`${state.message.replace(/;.*$/, '')}: nothing was touched.`),
          h('p', null, 'Check the pull request out into a new worktree next to your clone instead; your changes stay where they are.'),
          actions(button('Check out into a new worktree', () => act.run(mode, true), signal, { primary: true }), button('Close', act.close, signal)),
        ],
      };
    }
    case 'cancelled':
      return { nodes: [title(`Pull request ${id}`), h('p', { class: 'adoc-muted', role: 'status' }, 'Cancelled: nothing was made, and your clone is as it was.'), actions(button('Check it out', act.reload, signal, { primary: true }), button('Close', act.close, signal))] };
    case 'failed':
      return { nodes: [title(`Pull request ${id}`), gitFailure(state.error, { profile: true, task: 'checkout', retry: () => act.run(state.mode, state.worktree), close: act.close }, signal)] };
    case 'ready': {
      const { plan } = state;
      const [source, target] = state.branches;
      const existing = plan.existing;
      const worktree = !!existing?.dirty;
      // Checked out into a worktree before: the checkout updates it (the companion recognises its own).
      const earlier = existing && existing.worktrees?.includes(worktreePath(existing.path, id, 'branch')) ? worktreePath(existing.path, id, 'branch') : undefined;
      if (plan.cloning) {
        return {
          nodes: [
            title(`Check out pull request ${id}`),
            h('p', { role: 'status' }, 'The repository is still being cloned', ...(plan.cloning.path ? [' into ', pathText(plan.cloning.path)] : []), '. Check the pull request out once the clone is done.'),
            actions(button('Check again', act.reload, signal, { primary: true }), button('Close', act.close, signal)),
          ],
        };
      }
      return {
        nodes: [
          title(`Check out pull request ${id}`),
          facts([
            ['Branch', source ? `${source}${target ? ` into ${target}` : ''}` : 'its source branch'],
            existing
              ? ['Clone', h('span', null, h('span', { class: 'adoc-mono' }, existing.path), ` (on ${existing.branch ?? 'a detached HEAD'}${existing.dirty ? ', uncommitted changes' : ''})`)]
              : ['Clone', h('span', null, 'none yet: cloned first into ', h('span', { class: 'adoc-mono' }, plan.path))],
          ]),
          worktree
            ? h(
                'p',
                { class: 'adoc-muted' },
                'Your clone has uncommitted changes: it will not be touched. ',
                ...(earlier ? ['The pull request goes into its worktree, made by an earlier checkout: ', pathText(earlier), '.'] : ['The pull request goes into a new worktree next to it.']),
              )
            : false,
          // With no clone, the checkout clones first: a folder in the way would stop it at once.
          ...(plan.inTheWay
            ? [folderInTheWay(plan.inTheWay, act, signal)]
            : [
                actions(
                  button(worktree ? (earlier ? 'Check out in its worktree' : 'Check out in a new worktree') : 'Check out branch', () => act.run('branch', worktree), signal, { primary: true }),
                  button('Merge preview', () => act.run('merge', worktree), signal, { ariaLabel: 'Check out the merge preview (read-only, detached)' }),
                  button('Close', act.close, signal),
                ),
                h('p', { class: 'adoc-muted' }, 'The merge preview is the result of merging the pull request, as Azure DevOps keeps it: read-only, checked out detached.'),
              ]),
        ],
      };
    }
  }
}

function done(result: PullRequestCheckout, id: number, act: Actions, signal: AbortSignal): (Node | false)[] {
  const what = result.branch ? `the branch ${result.branch}` : 'the merge preview (detached, read-only)';
  const where = result.worktree ? (result.reused ? 'the worktree at ' : 'a new worktree at ') : result.cloned ? 'a new clone at ' : '';
  return [
    title(`Checked out pull request ${id}`),
    h('p', { class: 'adoc-good', role: 'status' }, `Checked out ${what}${result.upstream ? `, tracking ${result.upstream}` : ''}, in ${where}`, h('span', { class: 'adoc-mono' }, result.path), '.'),
    keptOwnCommits(result) !== undefined && h('p', { class: 'adoc-muted' }, keptOwnCommits(result)!),
    localCloneActions(result.path, signal),
    // Pushed to since: the panel keeps this outcome a while, and the author's new commits are one click away.
    actions(button('Check out again', act.reload, signal)),
  ];
}

/** Takes over the button features.ts drew. */
export const attach: Attach = ({ host, trigger: drawnTrigger, label: drawnLabel }, { signal, page, onWork }) => {
  const trigger = drawnTrigger!;
  const label = drawnLabel!;
  const repo = repoKeyOf(page)!;
  const id = page.pullRequestId!;
  const key = `${page.orgBaseUrl}|${repo.project}|${repo.name}|${id}`.toLowerCase();

  let state: State = { kind: 'idle' };
  let bar: ProgressBar | undefined;
  const waits = waitLine(signal);
  const act: Actions = {
    run: (mode, worktree) => follow(startTask({ type: 'pullRequest.checkout', repo, pullRequestId: id, mode, ...(worktree ? { worktree: true } : {}) }, key, onWork)),
    reload: () => void reload(),
    close: () => panel.close(),
  };
  const draw = () => {
    const shown = view(state, id, act, signal);
    bar = shown.bar;
    return [...shown.nodes, waits.line];
  };
  const panel = popoverToggle({
    trigger,
    owner: host,
    label: 'Check out pull request',
    signal,
    draw: (body) => fill(body, draw()),
    onOpen: () => {
      if (state.kind === 'idle') void reload();
      watchCompanion();
    },
    onClose: () => watchCompanion(),
  });
  // The panel moves on by itself once the companion is installed.
  const watchCompanion = watchForCompanion(() => !!panel.current && state.kind === 'noCompanion', () => void reload(), signal);

  /** Moves to `next`: the label follows and an open panel is redrawn. */
  function set(next: State): void {
    state = next;
    label.set(labelOf(next));
    watchCompanion();
    if (panel.current) panel.redraw(draw());
  }

  async function reload(): Promise<void> {
    set({ kind: 'loading' });
    const [loaded, elsewhere] = await Promise.all([load(page, waits.ask), runningElsewhere()]);
    if (signal.aborted) return;
    if (elsewhere) follow(elsewhere);
    else set(loaded);
  }

  /** This pull request's checkout the background runs already: started before the page was (re)loaded, or from the popup. */
  async function runningElsewhere(): Promise<CheckoutTask | undefined> {
    for (const { taskId, repo: of, checkout: c } of await runningCheckouts().catch(() => [])) {
      if ('pullRequestId' in c && c.pullRequestId === id && sameRepo(of, repo)) {
        return runningTask('pullRequest.checkout', key) ?? followTask(taskId, { type: 'pullRequest.checkout', repo, pullRequestId: id, mode: c.mode, ...(c.worktree ? { worktree: true } : {}) }, key);
      }
    }
    return undefined;
  }

  function follow(task: CheckoutTask): void {
    set({ kind: 'running', task });
    task.onProgress((p) => {
      label.set(labelOf(state));
      bar?.set(p.percent, progressText(p));
    }, signal);
    void outcomeOf(task).then((outcome) => {
      // A worktree is offered in the same mode; Try again runs the same checkout.
      const { mode } = task.request;
      if (signal.aborted) return;
      // A checkout followed from the board that has gone meanwhile (the worker restarted): look again.
      if (outcome.kind === 'failed' && outcome.error.code === 'TASK_GONE') return void (panel.current ? reload() : set({ kind: 'idle' }));
      set(outcome.kind === 'dirty' ? { ...outcome, mode } : outcome.kind === 'failed' ? { ...outcome, mode, worktree: task.request.worktree === true } : outcome);
    });
  }

  const running = runningTask('pullRequest.checkout', key);
  if (running) follow(running);
  else {
    label.set(labelOf(state));
    void runningElsewhere().then((task) => task && !signal.aborted && state.kind === 'idle' && follow(task));
  }
  return panel;
};
