import { ask } from './ask';
import { AskError } from '../shared/ask';
import { gitBranchNameProblem, keptOwnCommits, startWorkFailedTitle } from '../shared/branch-name';
import type { CompanionStatus, LinkedBranch, RepoKey, StartWorkPlan, StartWorkResult } from '../shared/messages';
import { companionNeeded } from './companion-setup';
import { followTask, outcomeOf, progressText, runningCheckouts, runningTask, sameRepo, startTask, type GitTask, type TaskOutcome } from './git-task';
import type { Attach } from './feature';
import { localCloneActions } from './local-actions';
import { companionStatus, pageContext, problemOf, taskId as newTaskId, type Problem } from './session';
import { fill, h } from './ui/dom';
import { gitFailure } from './ui/git-failure';
import { actions, alertBox, button, cancelButton, helpLink, optionsButton, pathText, problemBox, problemView, progressBar } from './ui/parts';
import { popoverToggle } from './ui/popover';
import { waitLine } from './ui/waiting';

/**
 * Start work on a work item, from its form (the full page and the dialog over boards and
 * backlogs): a new branch on the server, from the repository's default branch, named by the
 * template in Options, linked to the item (its Development section shows it), the item set to
 * its in-progress state, then fetched and checked out on this computer (cloned first when there
 * is no clone). Each step says how it went; a branch that was made but not linked gets a retry.
 * A branch the item links to already (started before, here or elsewhere) is offered to check out.
 */

type Repo = StartWorkPlan['repos'][number];

/** What the person chose in the form, kept when creating fails so they change one thing and go again. */
type Draft = { repoId: string; branch: string; base: string; setActive: boolean };

/** What the panel shows. `view` draws it; `attach` only moves from one state to the next. */
type State =
  /** Not read yet: opening the panel reads it, as does a checkout started for this item (the page reloaded during it). */
  | { kind: 'unread' }
  | { kind: 'loading' }
  | ({ kind: 'problem' } & Problem)
  /** `failed.code`: the reply's, which says what the failure leaves (startWorkFailedTitle) and whether the name is taken. */
  | { kind: 'ready'; plan: StartWorkPlan; companion: CompanionStatus['state']; draft?: Draft; failed?: Problem & { code: string | undefined }; linked?: { target: LinkedBranch; checkout: Checkout } }
  | { kind: 'creating' }
  /** `linkRetry`: Link the branch again, running or failed (with what it threw). */
  | { kind: 'created'; result: StartWorkResult; setActive: boolean; checkout?: Checkout; linkRetry?: 'running' | { error: unknown } };

type Ready = Extract<State, { kind: 'ready' }>;
type Created = Extract<State, { kind: 'created' }>;

/** The new branch's checkout on this computer; a failed one remembers whether it was into a worktree, for Try again. */
type Checkout = { kind: 'running'; task: GitTask<'local.checkoutBranch'> } | Exclude<TaskOutcome<'local.checkoutBranch'>, { kind: 'failed' }> | (Extract<TaskOutcome<'local.checkoutBranch'>, { kind: 'failed' }> & { worktree: boolean });

/** What the panel's buttons and fields ask of `attach`. */
interface Actions {
  reload(): void;
  close(): void;
  /** Keeps what is typed in the form, without a redraw: one that comes (a linked branch's checkout ending) keeps it. */
  keep(draft: Draft): void;
  /** `existing`: work on the branch as it is if it exists (else it is made as asked). */
  create(plan: StartWorkPlan, repo: RepoKey, draft: Draft, companion: CompanionStatus['state'], existing?: boolean): void;
  retryLink(result: StartWorkResult): void;
  /** Checks the branch just created out (again). */
  checkOut(result: StartWorkResult, worktree: boolean): void;
  /** Checks out a branch the item links to already. */
  checkOutLinked(target: LinkedBranch, worktree: boolean): void;
}

/** The panel's content, and its progress bar while a checkout runs (progress moves it without a redraw). */
type Shown = { nodes: (Node | false)[]; bar?: ProgressBar };
type ProgressBar = ReturnType<typeof progressBar>;

const title = (text: string) => h('h2', { class: 'adoc-title' }, text);
const good = (...children: (Node | string)[]) => h('p', { class: 'adoc-good', role: 'status' }, ...children);

/**
 * The button's words for a state. The panel may have been closed while the work went on: a step that
 * failed or waits for a choice (the link, the state, the checkout) is not hidden behind "Branch created".
 */
function labelOf(state: State): string {
  const running = state.kind === 'creating' || (state.kind === 'created' && state.checkout?.kind === 'running') || (state.kind === 'ready' && state.linked?.checkout.kind === 'running');
  if (running) return 'Working on it…';
  if (state.kind !== 'created') return 'Start work';
  const stuck = !state.result.linked || !!state.result.stateError || state.checkout?.kind === 'failed' || state.checkout?.kind === 'dirty';
  return stuck ? 'Needs attention' : 'Branch created';
}

/** `project`: the page's, which the new branch's repository is named against; `onForm`: the page shows the item's form. */
function view(state: State, project: string, onForm: boolean, act: Actions, signal: AbortSignal): Shown {
  switch (state.kind) {
    case 'unread':
    case 'loading':
      return { nodes: [h('p', { class: 'adoc-muted', role: 'status' }, 'Reading the work item…')] };
    case 'problem':
      return { nodes: [title('Start work'), ...problemView(state, act.reload, signal, act.close)] };
    case 'ready':
      return form(state, act, signal);
    case 'creating':
      // Holds the focus Create branch had, so what comes next (the result, or the form again) gets it.
      return {
        nodes: [
          title('Start work'),
          h('p', { class: 'adoc-muted', role: 'status', tabindex: -1, 'data-focus': true }, 'Creating the branch and linking it… This goes on if you close the panel.'),
          actions(button('Close', act.close, signal)),
        ],
      };
    case 'created':
      return created(state, project, onForm, act, signal);
  }
}

function form(s: Ready, act: Actions, signal: AbortSignal): Shown {
  const { plan, companion, draft, failed } = s;
  const ordered = plan.suggested ? [plan.repos.find((r) => r.id === plan.suggested!.id) ?? plan.suggested, ...plan.repos.filter((r) => r.id !== plan.suggested!.id)] : plan.repos;
  const select = h('select', { class: 'adoc-input adoc-grow', 'aria-label': 'Repository' }, ordered.map((r) => h('option', { value: r.id }, r.name)));
  const search = h('input', { class: 'adoc-input', type: 'search', placeholder: 'Find a repository', 'aria-label': 'Find a repository', size: 16 });
  // After a failure the person's own choices come back, and the branch name takes the focus: most
  // failures are a name that exists already.
  const branch = h('input', { class: 'adoc-input adoc-mono adoc-grow', value: draft?.branch ?? plan.branch, 'aria-label': 'Branch name', spellcheck: false, 'data-focus': !!failed });
  const base = h('input', { class: 'adoc-input adoc-mono', 'aria-label': 'Base branch', size: 14 });
  const active = h('input', { type: 'checkbox', checked: draft ? draft.setActive : !!plan.activeState && !plan.alreadyActive, disabled: !plan.activeState || plan.alreadyActive });
  const problem = h('div', { class: 'adoc-bad', role: 'alert', id: 'adoc-start-work-problem' }, failed ? `${startWorkFailedTitle(failed.code)}: ${failed.message}` : '');
  /** Marks the field the problem is about (none: the form is fine) and takes the focus there. */
  const blame = (field: HTMLElement | undefined) => {
    for (const f of [search, branch, base]) {
      f.setAttribute('aria-invalid', String(f === field));
      if (f === field) f.setAttribute('aria-describedby', problem.id);
      else f.removeAttribute('aria-describedby');
    }
    field?.focus();
  };
  const chosen = () => ordered.find((r) => r.id === select.value);
  const showBase = () => (base.value = chosen() && 'defaultBranch' in chosen()! ? ((chosen() as Repo).defaultBranch ?? '') : '');
  if (draft && ordered.some((r) => r.id === draft.repoId)) select.value = draft.repoId;
  showBase();
  if (draft) base.value = draft.base;
  select.addEventListener('change', showBase, { signal });
  search.addEventListener('input', () => {
    const q = search.value.trim().toLowerCase();
    for (const o of select.options) o.hidden = !!q && !o.text.toLowerCase().includes(q);
    const first = [...select.options].find((o) => !o.hidden);
    // Nothing chosen (an earlier filter matched nothing) counts as hidden.
    if (first && (select.selectedOptions[0]?.hidden ?? true)) {
      select.value = first.value;
      showBase();
    } else if (!first) {
      // Nothing matches: no hidden repository may be the one Create branch uses.
      select.value = '';
      showBase();
    }
  }, { signal });
  const keep = () => act.keep({ repoId: select.value, branch: branch.value, base: base.value, setActive: active.checked });
  for (const field of [select, branch, base, active]) field.addEventListener('change', keep, { signal });
  for (const field of [branch, base]) field.addEventListener('input', keep, { signal });
  if (failed) blame(branch);
  const submit = (existing: boolean) => {
    const repo = chosen();
    const name = branch.value.trim();
    const checks: [string | undefined, HTMLElement][] = [
      [repo ? undefined : 'Choose a repository.', search],
      [gitBranchNameProblem(name), branch],
      [base.value.trim() ? gitBranchNameProblem(base.value.trim()) : undefined, base],
    ];
    const [why, field] = checks.find(([w]) => w) ?? [];
    problem.textContent = why ?? '';
    blame(field);
    if (why || !repo) return;
    act.create(plan, { id: repo.id, name: repo.name, project: repo.project }, { repoId: repo.id, branch: name, base: base.value.trim(), setActive: active.checked }, companion, existing);
  };
  const go = button('Create branch', () => submit(false), signal, { primary: true });
  const why = plan.suggested?.reason === 'linked' ? ' (linked to this item)' : plan.suggested?.reason === 'lastUsed' ? ' (last used in this project)' : '';
  const linked = linkedBranches(s, act, signal);
  return {
    nodes: [
      title(`Start work on ${plan.workItem.type} ${plan.workItem.id}`),
      h('p', { class: 'adoc-muted' }, plan.workItem.title),
      linked?.node ?? false,
      plan.linked.length > 0 && companion === 'ready' && h('h3', { class: 'adoc-sub' }, 'Or a new branch'),
      plan.repos.length === 0
        ? alertBox(`${plan.workItem.project} has no repository to make a branch in.`)
        : h('div', { class: 'adoc-col' },
            h('label', { class: 'adoc-col' }, `Repository${why}`, h('div', { class: 'adoc-row' }, select, search)),
            h('label', { class: 'adoc-col' }, 'Branch name', branch),
            h('label', { class: 'adoc-col' }, 'Based on', base),
            plan.activeState ? h('label', { class: 'adoc-row' }, active, plan.alreadyActive ? `It is ${plan.workItem.state} already` : `Set the ${plan.workItem.type.toLowerCase()} to ${plan.activeState}`) : false,
            problem,
            !!failed && helpLink(failed.helpUrl),
            !!failed?.next && actions(optionsButton(...failed.next, signal)),
            failed?.code === 'conflict' && actions(button('Work on the existing branch', () => submit(true), signal)),
          ),
      actions(plan.repos.length ? go : false, button('Close', act.close, signal)),
      ...(companion !== 'ready' ? companionNeeded({ state: companion }, 'Start work still makes the branch on Azure DevOps and links it; you check it out yourself.', signal, { sub: true }) : []),
    ],
    ...(linked?.bar ? { bar: linked.bar } : {}),
  };
}

/** The branches the item links to already, each to check out here (one at a time), and the one being checked out. */
function linkedBranches(s: Ready, act: Actions, signal: AbortSignal): { node: HTMLElement; bar?: ProgressBar } | undefined {
  if (s.plan.linked.length === 0 || s.companion !== 'ready') return undefined;
  const shown = s.linked;
  const busy = shown?.checkout.kind === 'running';
  const steps = shown ? checkoutSteps(shown.checkout, shown.target.branch, (worktree) => act.checkOutLinked(shown.target, worktree), signal) : { nodes: [] };
  // The branch being checked out shows how it goes in its own row, in place of its Check out (the
  // steps say what can be done next), so the focus stays in that row as it is redrawn (refill).
  const rows = s.plan.linked.map((l) => {
    const mine = shown && shown.target.branch === l.branch && sameRepo(shown.target.repo, l.repo);
    return h('li', { class: 'adoc-wrap', 'data-key': `${l.repo.id}|${l.branch}`, tabindex: -1 },
      h('div', { class: 'adoc-grow adoc-mono adoc-ellipsis', title: `${l.repo.project}/${l.repo.name}: ${l.branch}` }, `${l.repo.name} / ${l.branch}`),
      mine ? h('div', { class: 'adoc-col', style: 'flex-basis:100%' }, steps.nodes) : button('Check out', () => act.checkOutLinked(l, false), signal, { small: true, disabled: busy, ariaLabel: `Check out ${l.branch} of ${l.repo.name}` }),
    );
  });
  return {
    node: h('div', { class: 'adoc-col' }, h('h3', { class: 'adoc-sub' }, 'Linked to this item already'), h('ul', { class: 'adoc-list', 'aria-label': 'Branches linked to this item' }, rows)),
    ...(steps.bar ? { bar: steps.bar } : {}),
  };
}

/** How starting work went: the branch, its link (with one-click Link the branch again), the item's state, then its checkout. */
function created(s: Created, project: string, onForm: boolean, act: Actions, signal: AbortSignal): Shown {
  const { result, checkout: co } = s;
  const steps: (Node | false)[] = [
    title(`Working on ${project === result.repo.project ? '' : `${result.repo.project}/`}${result.repo.name}`),
    good(result.existing ? 'Working on the existing branch ' : 'Created the branch ', h('a', { href: result.branchWebUrl, class: 'adoc-mono' }, result.branch), ` ${result.existing ? 'at' : 'from'} ${result.commitId.slice(0, 8)}.`),
  ];
  // The link's line and its Link the branch again are one part for the focus (refill): Link the
  // branch again keeps it while it links, and passes it to what that did.
  const link = { 'data-key': 'link', tabindex: -1 };
  if (result.linked) steps.push(h('p', { class: 'adoc-good', role: 'status', ...link }, 'Linked it to the work item.'));
  else {
    const failure = s.linkRetry && s.linkRetry !== 'running' ? s.linkRetry.error : result.linkError ? new AskError(result.linkError) : new Error('unknown reason');
    steps.push(
      problemBox(failure, signal, 'The branch exists, but linking it to the work item failed: '),
      h('div', { class: 'adoc-row adoc-wrap', ...link }, button(s.linkRetry === 'running' ? 'Linking…' : 'Link the branch again', () => act.retryLink(result), signal, { primary: true, disabled: s.linkRetry === 'running' })),
    );
  }
  if (result.stateError) steps.push(problemBox(new AskError(result.stateError), signal, 'The state was not changed: '));
  else if (result.state) steps.push(good(`The work item is ${result.state}.`));
  const close = button('Close', act.close, signal);
  // The form on the page drew the item before: it shows the link and the state once reloaded (after
  // the checkout, which a reload would leave to the list of linked branches).
  const stale = onForm && (result.linked || !!result.state) && co?.kind !== 'running';
  const refresh = stale && h('div', { class: 'adoc-row adoc-wrap' },
    h('span', { class: 'adoc-muted adoc-grow' }, 'The work item form shows the branch and the state when the page reloads.'),
    button('Refresh the page', () => location.reload(), signal, { small: true, ariaLabel: 'Reload the page to update the work item form' }),
  );
  if (!co) return { nodes: [...steps, h('p', { class: 'adoc-muted' }, 'Fetch it and check it out in your clone: ', h('span', { class: 'adoc-mono' }, `git fetch && git switch ${result.branch}`)), actions(close), refresh] };
  const checkout = checkoutSteps(co, result.branch, (worktree) => act.checkOut(result, worktree), signal, close);
  // One part for the focus too (refill): Cancel passes it to Check it out, not to the panel's first control.
  return { ...checkout, nodes: [...steps, h('div', { class: 'adoc-col', 'data-key': 'checkout', tabindex: -1 }, checkout.nodes), refresh] };
}

/** A checkout's progress or outcome, and what can be done next (`again`: check it out again; `close`: the panel's Close, if it has none). */
function checkoutSteps(co: Checkout, branch: string, again: (worktree: boolean) => void, signal: AbortSignal, close?: HTMLElement): Shown {
  switch (co.kind) {
    case 'running': {
      const { task } = co;
      const bar = progressBar(`Checking out ${branch}`);
      bar.set(task.progress?.percent ?? 0, progressText(task.progress));
      return { nodes: [bar.el, actions(cancelButton(() => task.cancel(), signal))], bar };
    }
    case 'done': {
      const done = co.result;
      const where = done.worktree ? (done.reused ? 'the worktree at ' : 'a new worktree at ') : done.cloned ? 'a new clone at ' : '';
      const own = keptOwnCommits(done);
      return { nodes: [good(`Checked out ${done.branch ?? branch} in ${where}`, pathText(done.path), '.'), own !== undefined && h('p', { class: 'adoc-muted' }, own), localCloneActions(done.path, signal)] };
    }
    case 'dirty':
      return { nodes: [alertBox(`${co.message.replace(/;.*$/, '')}: nothing was touched.`), actions(button('Check out into a new worktree', () => again(true), signal, { primary: true }), close ?? false)] };
    case 'cancelled':
      return { nodes: [h('p', { class: 'adoc-muted', role: 'status' }, 'You cancelled the checkout: your clone is as it was.'), actions(button('Check it out', () => again(false), signal, { primary: true }), close ?? false)] };
    case 'failed':
      return { nodes: [gitFailure(co.error, { profile: true, task: 'checkout', retry: () => again(co.worktree) }, signal)] };
  }
}

/** Takes over the button features.ts drew. */
export const attach: Attach = ({ host, trigger, label }, { signal, page, onWork }) => {
  const project = page.project!;
  const id = page.workItemId!;
  // isWorkItem || isBoardWorkItem (urls.ts), on the page parsed already: those take URLs too, and
  // would bring the URL parser into the features' code.
  const onForm = page.page === 'workItem' || (page.page === 'boards' && page.workItemId !== undefined);

  let state: State = { kind: 'unread' };
  let bar: ProgressBar | undefined;
  const waits = waitLine(signal);
  const act: Actions = {
    reload: () => void load(),
    close: () => panel.close(),
    keep: (draft) => {
      if (state.kind === 'ready') state = { ...state, draft };
    },
    create,
    retryLink,
    checkOut: (result, worktree) => {
      if (state.kind === 'created') watchCreated(checkOut(result, worktree));
    },
    checkOutLinked: (target, worktree) => followLinked(target, checkOut(target, worktree)),
  };
  const draw = () => {
    const shown = view(state, project, onForm, act, signal);
    bar = shown.bar;
    return [...shown.nodes, waits.line];
  };
  const panel = popoverToggle({
    trigger: trigger!,
    owner: host,
    label: 'Start work',
    signal,
    draw: (body) => fill(body, draw()),
    onOpen: () => {
      // A read under way (begun as the page loaded) is not begun again: it draws the open panel once done.
      if (state.kind === 'unread' || state.kind === 'problem') void load();
      // Installed since the form was read: ask again, so the form stops saying it is missing, and keeps what was typed.
      else if (state.kind === 'ready' && state.companion !== 'ready') {
        companionStatus.forget();
        void load(state.draft);
      }
    },
  });

  /** Moves to `next`: the label follows and an open panel is redrawn. */
  function set(next: State): void {
    state = next;
    label!.set(labelOf(next));
    if (panel.current) panel.redraw(draw());
  }

  /** Counts loads and what supersedes them (a newer load, Create branch): only the latest load draws. */
  let generation = 0;

  /** `draft`: what was typed in the form read before, shown again in the one read now. */
  async function load(draft?: Draft): Promise<void> {
    const mine = ++generation;
    const current = () => !signal.aborted && mine === generation;
    set({ kind: 'loading' });
    try {
      const [context, status] = await Promise.all([pageContext.get(), companionStatus.get()]);
      if (!current()) return;
      if (!context.profile) return set({ kind: 'problem', message: `No profile is connected for ${page.organization}: add an account for it to start work from here.`, next: ['Add an account', 'accounts'] });
      const [plan, checkouts] = await Promise.all([waits.ask({ type: 'workItem.plan', project, id }), runningCheckouts().catch(() => [])]);
      if (!current()) return;
      set({ kind: 'ready', plan, companion: status.state, ...(draft ? { draft } : {}) });
      // A linked branch's checkout that runs already (started before the page was reloaded, or from the popup) is followed.
      for (const { taskId, repo, checkout: c } of checkouts) {
        const target = 'branch' in c ? plan.linked.find((l) => l.branch === c.branch && sameRepo(l.repo, repo)) : undefined;
        if (!target) continue;
        const request = { type: 'local.checkoutBranch', repo: target.repo, branch: target.branch, ...(c.worktree ? { worktree: true } : {}) } as const;
        return followLinked(target, runningTask('local.checkoutBranch', keyOf(target)) ?? followTask(taskId, request, keyOf(target)));
      }
    } catch (e) {
      if (current()) set({ kind: 'problem', ...problemOf(e) });
    }
  }

  /** A branch's checkout is kept under this key while it runs, so the same task is never followed twice. */
  const keyOf = (target: LinkedBranch) => `${page.orgBaseUrl}|${target.repo.project}|${target.repo.name}|${target.branch}`.toLowerCase();
  /** Checks a branch out on this computer. */
  const checkOut = (target: LinkedBranch, worktree: boolean) => startTask({ type: 'local.checkoutBranch', repo: target.repo, branch: target.branch, ...(worktree ? { worktree: true } : {}), workItem: id }, keyOf(target), onWork);

  /** A branch's checkout on this computer; `put` keeps each step in the state that shows it (`undefined`: a followed task that has gone). */
  function watch(task: GitTask<'local.checkoutBranch'>, put: (co: Checkout | undefined) => void): void {
    put({ kind: 'running', task });
    task.onProgress((p) => bar?.set(p.percent, progressText(p)), signal);
    void outcomeOf(task).then((next) => {
      if (signal.aborted) return;
      if (next.kind !== 'failed') return put(next);
      put(next.error.code === 'TASK_GONE' ? undefined : { ...next, worktree: task.request.worktree === true });
    });
  }

  /** The new branch's checkout, shown under how starting work went. */
  const watchCreated = (task: GitTask<'local.checkoutBranch'>) => watch(task, (co) => state.kind === 'created' && set({ ...state, ...(co ? { checkout: co } : {}) }));

  /** A branch the item links to already, and its checkout (started here, or found running). */
  function followLinked(target: LinkedBranch, task: GitTask<'local.checkoutBranch'>): void {
    watch(task, (co) => state.kind === 'ready' && set({ ...state, linked: co && { target, checkout: co } }));
  }

  function create(plan: StartWorkPlan, repo: RepoKey, draft: Draft, companion: CompanionStatus['state'], existing = false): void {
    generation++;
    set({ kind: 'creating' });
    const { branch, base, setActive } = draft;
    // The background begins the checkout itself once the branch is made, so it happens even when
    // this view, or this page, has gone by then; a button drawn again for the item follows it.
    const checkoutTaskId = companion === 'ready' ? newTaskId() : undefined;
    const creating = ask({ type: 'workItem.startWork', repo, workItemProject: plan.workItem.project, id, branch, ...(base ? { base } : {}), setActive, ...(checkoutTaskId ? { checkoutTaskId } : {}), ...(existing ? { existing } : {}) });
    // The checkout that follows is reported too, as soon as this settles: the hand-off dialog waits for both.
    onWork?.(creating);
    creating.then(
      (result) => {
        const task = checkoutTaskId ? followTask(checkoutTaskId, { type: 'local.checkoutBranch', repo: result.repo, branch: result.branch }, keyOf(result)) : undefined;
        if (task) onWork?.(task.result);
        if (signal.aborted) return;
        set({ kind: 'created', result, setActive });
        if (task) watchCreated(task);
      },
      (e: unknown) => !signal.aborted && set({ kind: 'ready', plan, companion, draft, failed: { ...problemOf(e), code: e instanceof AskError ? e.code : undefined } }),
    );
  }

  function retryLink(result: StartWorkResult): void {
    if (state.kind !== 'created') return;
    set({ ...state, linkRetry: 'running' });
    ask({ type: 'workItem.linkBranch', repo: result.repo, workItemProject: project, id, branch: result.branch, setActive: state.setActive }).then(
      (done) => state.kind === 'created' && set({ ...state, result: { ...state.result, linked: true, ...(done.state ? { state: done.state } : {}), ...(done.stateError ? { stateError: done.stateError } : {}) }, linkRetry: undefined }),
      (error: unknown) => state.kind === 'created' && set({ ...state, linkRetry: { error } }),
    );
  }

  // A checkout started for this item that runs already (the page was reloaded during it) is on the
  // button before the panel is opened. Another item's is no reason to read this one.
  void runningCheckouts().then((tasks) => {
    if (!signal.aborted && !panel.current && tasks.some((t) => 'branch' in t.checkout && t.checkout.workItem === id)) void load();
  }, () => undefined);
  return panel;
};
