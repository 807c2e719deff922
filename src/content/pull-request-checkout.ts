import { ask, askWithProgress } from './ask';
import type { CloneProgress, ClonePlan, PageRequest, PullRequestCheckout } from '../shared/messages';
import { AskError } from '../shared/ask';
import { progressText } from './clone-task';
import type { Attach } from './feature';
import { localCloneActions } from './local-actions';
import { repoKeyOf } from './repo-on-page';
import { companionStatus, pageContext, problemText, taskId } from './session';
import { PR_BRANCH_LINKS } from './anchors';
import { fill, h } from './ui/dom';
import { actions, alertBox, button, cancelButton, copyField, facts, progressBar } from './ui/parts';
import { popoverToggle } from './ui/popover';

/**
 * Check out a pull request on this computer: a button among the pull request's header actions
 * (every tab) that fetches its source branch into the local clone (from the fork when it comes
 * from one) and switches to it, or checks out the merge preview; clones first when needed, and
 * offers a new worktree when the clone has uncommitted changes, which it never touches.
 */

type Mode = 'branch' | 'merge';

interface Task {
  mode: Mode;
  progress: CloneProgress | undefined;
  result: Promise<PullRequestCheckout>;
  listeners: Set<(p: CloneProgress) => void>;
  cancel(): Promise<void>;
}

/** Running checkouts by pull request: they outlive the view (in-app navigation does not stop git). */
const running = new Map<string, Task>();

type CheckoutRequest = Omit<Extract<PageRequest, { type: 'pullRequest.checkout' }>, 'type' | 'taskId'>;

function start(key: string, request: CheckoutRequest): Task {
  const id = taskId();
  const listeners = new Set<(p: CloneProgress) => void>();
  const task: Task = {
    mode: request.mode,
    progress: undefined,
    listeners,
    result: askWithProgress({ type: 'pullRequest.checkout', ...request, taskId: id }, (e) => {
      const p = e as CloneProgress;
      if (typeof p?.percent !== 'number') return;
      task.progress = p;
      for (const l of listeners) l(p);
    }),
    async cancel() {
      // Between two steps (clone, then checkout) nothing runs for a moment: repeat until it lands.
      for (let attempt = 0; attempt < 40 && running.get(key) === task; attempt++) {
        if ((await ask({ type: 'clone.cancel', taskId: id })).cancelled) return;
        await new Promise((r) => setTimeout(r, 250));
      }
    },
  };
  running.set(key, task);
  const forget = () => running.get(key) === task && running.delete(key);
  task.result.then(forget, forget);
  return task;
}

type Loaded =
  | { kind: 'noCompanion'; installCommand: string; outdated: boolean }
  | { kind: 'problem'; message: string }
  | { kind: 'ready'; plan: ClonePlan };

/** The pull request's source and target branch links in the header (`.pr-header-branches`). */
const headerBranches = () => [...document.querySelectorAll(PR_BRANCH_LINKS)].map((a) => a.textContent?.trim() ?? '');

const title = (text: string) => h('h2', { class: 'adoc-title' }, text);

/** Takes over the button features.ts drew. */
export const attach: Attach = ({ host, trigger, label }, { signal, page }) => {
  const repo = repoKeyOf(page)!;
  const id = page.pullRequestId!;
  const key = `${page.orgBaseUrl}|${repo.project}|${repo.name}|${id}`.toLowerCase();

  let loaded: Loaded | undefined;
  let task = running.get(key);
  let outcome: { done: PullRequestCheckout } | { dirty: string; mode: Mode } | { failed: string } | undefined;
  const panel = popoverToggle({
    trigger: trigger!,
    owner: host,
    label: 'Check out pull request',
    signal,
    draw: (body) => fill(body, content()),
    onOpen: () => {
      if (!loaded && !task) void reload();
    },
  });
  let bar: ReturnType<typeof progressBar> | undefined;

  const showLabel = () => {
    if (task) label!.set(`Checking… ${Math.round(task.progress?.percent ?? 0)}%`);
    else if (outcome && 'done' in outcome) label!.set('Checked out');
    else label!.set('Check out');
  };

  async function load(): Promise<Loaded> {
    try {
      const [context, status] = await Promise.all([pageContext.get(), companionStatus.get()]);
      if (status.state !== 'ready') return { kind: 'noCompanion', installCommand: status.installCommand, outdated: status.state === 'outdated' };
      if (!context.profile) return { kind: 'problem', message: `No profile is connected for ${page.organization}: add one in the extension's Options to check pull requests out.` };
      return { kind: 'ready', plan: await ask({ type: 'clone.plan', repo }) };
    } catch (e) {
      return { kind: 'problem', message: problemText(e) };
    }
  }

  function follow(t: Task): void {
    task = t;
    showLabel();
    const listener = (p: CloneProgress) => {
      showLabel();
      bar?.set(p.percent, progressText(p));
    };
    t.listeners.add(listener);
    signal.addEventListener('abort', () => t.listeners.delete(listener), { once: true });
    t.result
      .then(
        (result) => (outcome = { done: result }),
        (e: unknown) => {
          const code = e instanceof AskError ? e.code : '';
          outcome = code === 'companion.WORKTREE_DIRTY' ? { dirty: problemText(e), mode: t.mode } : { failed: problemText(e) };
        },
      )
      .finally(() => {
        if (signal.aborted) return;
        task = undefined;
        showLabel();
        render();
      });
  }

  function run(mode: Mode, worktree = false): void {
    outcome = undefined;
    follow(start(key, { repo, pullRequestId: id, mode, ...(worktree ? { worktree: true } : {}) }));
    render();
  }

  function done(result: PullRequestCheckout): (Node | false)[] {
    const what = result.branch ? `the branch ${result.branch}` : 'the merge preview (detached, read-only)';
    const where = result.worktree ? `a new worktree at ` : result.cloned ? 'a new clone at ' : '';
    const extra =
      result.result === 'diverged'
        ? h('p', { class: 'adoc-muted' }, `Your local ${result.branch} has commits of its own, so it was left where it is; pull or rebase it yourself.`)
        : false;
    return [
      title(`Checked out pull request ${id}`),
      h('p', { class: 'adoc-good', role: 'status' }, `Checked out ${what}${result.upstream ? `, tracking ${result.upstream}` : ''}, in ${where}`, h('span', { class: 'adoc-mono' }, result.path), '.'),
      extra,
      localCloneActions(result.path, signal),
    ];
  }

  function content(): (Node | false)[] {
    if (task) {
      bar = progressBar(`Checking out pull request ${id}`);
      bar.set(task.progress?.percent ?? 0, progressText(task.progress));
      const t = task;
      return [title(`Checking out pull request ${id}…`), bar.el, actions(cancelButton(() => t.cancel(), signal))];
    }
    if (outcome && 'done' in outcome) return done(outcome.done);
    if (outcome && 'dirty' in outcome) {
      const mode = outcome.mode;
      return [
        title(`Pull request ${id}`),
        alertBox(`${outcome.dirty.replace(/;.*$/, '')}: nothing was touched.`),
        h('p', null, 'Check the pull request out into a new worktree next to your clone instead; your changes stay where they are.'),
        actions(button('Check out into a new worktree', () => run(mode, true), signal, { primary: true }), button('Close', () => panel.close(), signal)),
      ];
    }
    if (outcome) return [title(`Pull request ${id}`), alertBox(outcome.failed), actions(button('Try again', () => void reload(), signal, { primary: true }))];
    if (!loaded) return [h('p', { class: 'adoc-muted', role: 'status' }, 'Looking for your clone…')];
    if (loaded.kind === 'problem') return [title(`Check out pull request ${id}`), alertBox(loaded.message), actions(button('Try again', () => void reload(), signal))];
    if (loaded.kind === 'noCompanion') {
      return [
        title(loaded.outdated ? 'Please update the companion' : 'Checking out needs the companion'),
        h('p', null, 'A small program on this computer runs git for the extension. Run this in a terminal, then check again:'),
        copyField('Install command', loaded.installCommand, signal),
        actions(button('Check again', () => {
          companionStatus.forget();
          void reload();
        }, signal, { primary: true })),
      ];
    }
    const { plan } = loaded;
    const [source, target] = headerBranches();
    const existing = plan.existing;
    return [
      title(`Check out pull request ${id}`),
      facts([
        ['Branch', source ? `${source}${target ? ` into ${target}` : ''}` : 'its source branch'],
        existing
          ? ['Clone', h('span', null, h('span', { class: 'adoc-mono' }, existing.path), ` (on ${existing.branch ?? 'a detached HEAD'}${existing.dirty ? ', uncommitted changes' : ''})`)]
          : ['Clone', h('span', null, 'none yet: cloned first into ', h('span', { class: 'adoc-mono' }, plan.path))],
      ]),
      existing?.dirty ? h('p', { class: 'adoc-muted' }, 'Your clone has uncommitted changes: it will not be touched. The pull request goes into a new worktree next to it.') : false,
      actions(
        button(existing?.dirty ? 'Check out in a new worktree' : 'Check out branch', () => run('branch', !!existing?.dirty), signal, { primary: true }),
        button('Merge preview', () => run('merge', !!existing?.dirty), signal, { ariaLabel: 'Check out the merge preview (read-only, detached)' }),
        button('Close', () => panel.close(), signal),
      ),
      h('p', { class: 'adoc-muted' }, 'The merge preview is the result of merging the pull request, as Azure DevOps keeps it: read-only, checked out detached.'),
    ];
  }

  function render(): void {
    if (!panel.current) return;
    bar = undefined;
    panel.redraw(content());
  }

  async function reload(): Promise<void> {
    loaded = undefined;
    outcome = undefined;
    render();
    loaded = await load();
    if (!signal.aborted) render();
  }


  if (task) follow(task);
  showLabel();
  return panel;
};
