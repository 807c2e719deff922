import { ask } from './ask';
import { AskError } from '../shared/ask';
import type { CloneRemote, ForkList, ProjectSummary, ReplyError, RepoKey, RepoSummary } from '../shared/messages';
import { companionNeeded, companionSetup, watchForCompanion, type CompanionSetup } from './companion-setup';
import { outcomeOf, progressText, startTask, type CloneTask } from './git-task';
import { waitLine, type AskSaying } from './ui/waiting';
import type { Attach } from './feature';
import { localCloneActions } from './local-actions';
import { offeredNames, remoteNamed } from './fork-remotes';
import { remoteNameFor } from '../shared/remote-name';
import { featureOpener } from './open-feature';
import { repoKeyOf } from './repo-on-page';
import { companionStatus, pageContext, problemOf, type Problem } from './session';
import { fill, h } from './ui/dom';
import { gitFailure } from './ui/git-failure';
import { actions, button, cancelButton, coin, optionsButton, pathText, problemBox, problemView, progressBar } from './ui/parts';
import { popoverToggle } from './ui/popover';

/**
 * Forks as remotes: "Add remote…" lists the repository's parent and forks (owner project, avatar)
 * and adds the chosen one as a remote of the local clone, then fetches it; "Fork and clone"
 * creates a fork in a project the user picks and clones it with `upstream` set to the original.
 */

interface Loaded {
  forks: ForkList;
  projects: ProjectSummary[];
  /** The local clone of this repository, if there is one (and the companion runs). */
  clonePath: string | undefined;
  /** That clone's remotes when the panel loaded: a fork among them is fetched, not added again, and their names are not offered. */
  remotes: readonly CloneRemote[];
  /** Where the repository is still being cloned, when it is: remotes wait for that clone. */
  cloning: { path?: string } | undefined;
  /** How to install the companion, when it does not run: nothing can be added or cloned then. */
  setup: CompanionSetup | undefined;
  /** The page's organization has a profile: a refused sign-in is its token's, not git's credential helper's. */
  profile: boolean;
}

/** One remote being added and fetched; `added` says the remote exists even when its fetch failed. */
type RemoteStep = { kind: 'adding' } | { kind: 'fetching' } | { kind: 'done' } | { kind: 'failed'; error: unknown; added: boolean };

/** Fork and clone, kept in the state so closing the panel loses nothing; a fork made stays made. */
type ForkJob =
  | { kind: 'creating' }
  | { kind: 'cloning'; fork: RepoSummary; task: CloneTask }
  | { kind: 'done'; fork: RepoSummary; path: string }
  /** The fork exists but its clone was cancelled (no `error`) or failed: Clone it clones it, it does not fork twice. */
  | { kind: 'notCloned'; fork: RepoSummary; error?: ReplyError }
  /** Cloned, but adding `upstream` failed: trying again adds only that, it does not clone twice. */
  | { kind: 'noUpstream'; fork: RepoSummary; path: string; error: unknown }
  | { kind: 'failed'; error: unknown };

/** What the panel shows. `view` draws it; `attach` only moves from one state to the next. */
type State =
  /** Nothing asked yet: listing forks costs REST calls the page may never need, so it waits for the first opening. */
  | { kind: 'idle' }
  | { kind: 'loading' }
  | ({ kind: 'problem' } & Problem)
  | { kind: 'ready'; data: Loaded; remotes: ReadonlyMap<string, { name: string; step: RemoteStep }>; job?: ForkJob };

type Ready = Extract<State, { kind: 'ready' }>;

/** What was typed, kept across redraws and reloads: the fork form's fields and each row's remote name. */
interface Typed {
  fork?: ForkDraft;
  names: ReadonlyMap<string, string>;
}
type ForkDraft = { projectId: string; name: string; edited: boolean };

/** What the panel's buttons and fields ask of `attach`. */
interface Actions {
  reload(): void;
  close(): void;
  /** Adds `remote` to the clone at `path` unless it is there already (`added`: a fetch that failed before), then fetches it. */
  addRemote(path: string, r: RepoSummary, remote: string, added: boolean): void;
  typeName(id: string, name: string): void;
  typeFork(draft: ForkDraft): void;
  forkAndClone(original: RepoSummary, projectId: string, name: string): void;
  cloneFork(original: RepoSummary, fork: RepoSummary): void;
  addUpstream(original: RepoSummary, fork: RepoSummary, path: string): void;
  /** Opens Clone to desktop's own panel, when the page shows its button (not on a pull request, or switched off). */
  cloneToDesktop(): (() => void) | undefined;
}

/** The repository's name, and the fork the pull request on the page comes from. */
type Where = { repo: string; source: { project: string; name: string } | undefined };
type ProgressBar = ReturnType<typeof progressBar>;

async function load(repo: RepoKey, saying: AskSaying): Promise<{ data: Loaded } | { problem: Problem }> {
  try {
    // Without a profile for the page's organization, the page's own session answers (through the background).
    const [status, context] = await Promise.all([companionStatus.get(), pageContext.get()]);
    const [forks, projects] = await Promise.all([saying({ type: 'forks.list', repo }), saying({ type: 'projects.list' })]);
    const ready = status.state === 'ready';
    const [plan, setup] = await Promise.all([ready ? saying({ type: 'clone.plan', repo }) : undefined, ready ? undefined : companionSetup(status)]);
    return { data: { forks, projects: projects.items, clonePath: plan?.existing?.path, remotes: plan?.existing?.remotes ?? [], cloning: plan?.existing ? undefined : plan?.cloning, setup, profile: !!context.profile } };
  } catch (e) {
    return { problem: problemOf(e) };
  }
}

const keyOf = (r: RepoSummary): RepoKey => ({ id: r.id, name: r.name, project: r.project.name });
const sub = (text: string) => h('h3', { class: 'adoc-sub' }, text);
const isSource = (r: RepoSummary, where: Where) => !!where.source && r.name.toLowerCase() === where.source.name.toLowerCase() && r.project.name.toLowerCase() === where.source.project.toLowerCase();

/** The panel's content, and its progress bar while a fork is cloned (progress moves it without a redraw). */
function view(state: State, where: Where, typed: Typed, act: Actions, signal: AbortSignal): { nodes: (Node | false)[]; bar?: ProgressBar } {
  const title = h('h2', { class: 'adoc-title' }, `Remotes for ${where.repo}`);
  if (state.kind === 'problem') return { nodes: [title, ...problemView(state, act.reload, signal, act.close)] };
  if (state.kind !== 'ready') return { nodes: [title, h('p', { class: 'adoc-muted', role: 'status' }, 'Looking for forks…')] };
  const { data } = state;
  // The pull request's own fork first.
  const forks = data.forks.forks.toSorted((a, b) => Number(isSource(b, where)) - Number(isSource(a, where)));
  const listed = [...(data.forks.parent ? [{ r: data.forks.parent, isParent: true }] : []), ...forks.map((r) => ({ r, isParent: false }))];
  const had = new Map(listed.map(({ r }) => [r.id, remoteNamed(data.remotes, r)]));
  // Names the clone has, or has had added since, are not offered again: Add works as offered.
  const taken = [...data.remotes.map((x) => x.name), ...[...state.remotes.values()].filter((x) => x.step.kind !== 'failed' || x.step.added).map((x) => x.name)];
  const offered = offeredNames(listed.filter(({ r }) => !had.get(r.id) && !state.remotes.has(r.id)).map(({ r, isParent }) => ({ id: r.id, base: isParent ? 'upstream' : remoteNameFor(r.project.name) })), taken);
  const rows = listed.map(({ r, isParent }) => remoteRow(state, r, isParent, { had: had.get(r.id), offered: offered.get(r.id) }, where, typed, act, signal));
  const list = rows.length ? h('ul', { class: 'adoc-list', 'aria-label': 'Parent and forks' }, rows) : h('p', { class: 'adoc-muted' }, `${where.repo} has no parent and no forks yet.`);
  // Without the companion nothing here can be used: how to install it (as Clone to desktop shows it), then the forks it would offer.
  if (data.setup) return { nodes: [...companionNeeded(data.setup.status, 'Remotes are added to your clone, and forks cloned, through it.', signal, data.setup), sub('Parent and forks'), list] };
  const fork = forkView(state, typed, act, signal);
  return {
    nodes: [
      title,
      sub('Add as a remote of your clone'),
      data.cloning
        ? h('div', null, h('p', { class: 'adoc-muted', role: 'status' }, `${where.repo} is still being cloned`, ...(data.cloning.path ? [' into ', pathText(data.cloning.path)] : []), '. Add remotes once the clone is done.'), actions(button('Check again', act.reload, signal)))
        : !data.clonePath && cloneFirst(where.repo, act, signal),
      data.clonePath ? h('div', { class: 'adoc-muted' }, 'Clone: ', pathText(data.clonePath)) : false,
      list,
      fork.node,
    ],
    ...(fork.bar ? { bar: fork.bar } : {}),
  };
}

/** No clone yet: Clone to desktop's own panel, when the page shows its button. */
function cloneFirst(repo: string, act: Actions, signal: AbortSignal): HTMLElement {
  const cloneIt = act.cloneToDesktop();
  if (!cloneIt) return h('p', { class: 'adoc-muted' }, `Clone ${repo} to this computer first (Clone to desktop) to add remotes to it.`);
  return h('div', null, h('p', { class: 'adoc-muted' }, `Clone ${repo} to this computer first to add remotes to it.`), actions(button('Clone to desktop', () => (act.close(), cloneIt()), signal)));
}

/** A row's failure, with the Options button where trying again cannot fix it (a refused token). */
function failedStatus(before: string, error: unknown, signal: AbortSignal): HTMLElement {
  const { message, next } = problemOf(error);
  return h('span', { class: 'adoc-bad', role: 'status' }, `${before}${message}`, next ? h('span', null, ' ', optionsButton(...next, signal, { small: true })) : false);
}

/**
 * One repository's row: `had` is its remote's name when the clone had it as a remote already (it is
 * fetched, not added), `offered` the name Add offers when it had not.
 */
function remoteRow(s: Ready, r: RepoSummary, isParent: boolean, names: { had: string | undefined; offered: string | undefined }, where: Where, typed: Typed, act: Actions, signal: AbortSignal): HTMLElement {
  const path = s.data.clonePath;
  const who = h('div', { class: 'adoc-ellipsis', title: `${r.project.name} / ${r.name}` }, `${r.project.name} / ${r.name}`, isParent ? h('span', { class: 'adoc-pill' }, 'parent') : false, isSource(r, where) ? h('span', { class: 'adoc-pill' }, 'this pull request') : false);
  // No clone (or no companion) to add it to: the panel says why above, and the row only names the fork.
  if (!path) return h('li', { 'data-repo': r.id }, coin(r.project.name), h('div', { class: 'adoc-grow' }, who));
  const current = s.remotes.get(r.id);
  const step = current?.step;
  const { had } = names;
  const name = h('input', { class: 'adoc-input adoc-mono', value: current?.name ?? typed.names.get(r.id) ?? names.offered ?? '', 'aria-label': `Remote name for ${r.project.name}/${r.name}`, size: 12, disabled: !!step && step.kind !== 'failed', 'data-focus': step?.kind === 'failed' && !current?.name });
  const status =
    !step ? h('span', { class: 'adoc-muted', role: 'status' }, had ? `Already added as ${had}.` : '')
    : step.kind === 'adding' ? h('span', { class: 'adoc-muted', role: 'status' }, 'Adding…')
    : step.kind === 'fetching' ? h('span', { class: 'adoc-muted', role: 'status' }, had ? `Fetching ${had}…` : `Added; fetching ${current.name}…`)
    : step.kind === 'done' ? h('span', { class: 'adoc-good', role: 'status' }, had ? `Fetched ${had}.` : `Added ${current.name} and fetched it.`)
    : failedStatus(had ? `Fetching ${had} failed: ` : step.added ? `Added ${current.name}, but fetching it failed: ` : '', step.error, signal);
  name.addEventListener('input', () => act.typeName(r.id, name.value), { signal });
  const again = step?.kind === 'failed' && step.added;
  // A remote the clone has is only fetched: under its own name, never added again beside it.
  const fetched = had ?? (again ? current!.name : undefined);
  const label = step?.kind === 'done' ? (had ? 'Fetched' : 'Added') : again ? 'Fetch again' : had ? 'Fetch' : 'Add';
  const add = button(label, () => act.addRemote(path, r, fetched ?? name.value.trim(), !!fetched), signal, {
    small: true,
    ariaLabel: fetched ? `Fetch ${fetched}${again ? ' again' : ''}` : `Add ${r.project.name}/${r.name} as a remote`,
    disabled: !!step && step.kind !== 'failed',
  });
  // After a failure the row's own button is its next step (Fetch again, or Add again), not its name or the Options button beside the failure.
  if (step?.kind === 'failed' && current?.name) add.dataset.focus = '';
  // The focus stays in the row that was acted on while it is redrawn (refill): on the row itself while it has no control.
  return h('li', { 'data-repo': r.id, 'data-key': r.id, tabindex: -1 }, coin(r.project.name), h('div', { class: 'adoc-grow' }, who, status), !had && name, add);
}

/** Its own part of the panel for the focus (refill): Fork and clone, then Cancel, then Clone it or Open folder, each takes it in turn. */
const forkColumn = (...children: (Node | false | (Node | false)[])[]) => h('div', { class: 'adoc-col', 'data-key': 'fork', tabindex: -1 }, sub('Fork and clone'), ...children);

/** Fork and clone: its form, or how the fork and its clone are going. */
function forkView(s: Ready, typed: Typed, act: Actions, signal: AbortSignal): { node: HTMLElement; bar?: ProgressBar } {
  const { data, job } = s;
  const original = data.forks.repo;
  if (job?.kind === 'creating') return { node: forkColumn(h('div', { class: 'adoc-muted', role: 'status' }, 'Creating the fork…')) };
  if (job?.kind === 'cloning') {
    const bar = progressBar('Fork and clone');
    bar.set(job.task.progress?.percent ?? 0, progressText(job.task.progress));
    return { node: forkColumn(h('div', { class: 'adoc-muted' }, `Forked into ${job.fork.project.name} / ${job.fork.name}; cloning it…`), bar.el, actions(cancelButton(() => job.task.cancel(), signal))), bar };
  }
  if (job?.kind === 'done') {
    return { node: forkColumn(h('p', { class: 'adoc-good', role: 'status' }, `Forked into ${job.fork.project.name} / ${job.fork.name}, cloned to `, pathText(job.path), ' with upstream pointing at the original.'), localCloneActions(job.path, signal, { canFetch: true })) };
  }
  if (job?.kind === 'notCloned') {
    const made = job.fork;
    const cloneIt = () => act.cloneFork(original, made);
    return {
      node: forkColumn(
        h('p', { class: 'adoc-good' }, `Forked into ${made.project.name} / ${made.name}.`),
        job.error
          ? gitFailure(job.error, { profile: data.profile, task: 'clone', retry: cloneIt, retryLabel: 'Clone it' }, signal)
          : [h('p', { class: 'adoc-muted', role: 'status' }, 'Cancelled the clone: nothing was left behind.'), actions(button('Clone it', cloneIt, signal, { primary: true }))],
      ),
    };
  }
  if (job?.kind === 'noUpstream') {
    const { fork, path } = job;
    return {
      node: forkColumn(
        h('p', { class: 'adoc-good' }, `Forked into ${fork.project.name} / ${fork.name}, cloned to `, pathText(path), '.'),
        h('p', null, 'Adding upstream (the original) as a remote of the clone failed:'),
        problemBox(job.error, signal),
        actions(button('Add upstream again', () => act.addUpstream(original, fork, path), signal, { primary: true })),
      ),
    };
  }
  const draft = { ...(typed.fork ?? { projectId: original.project.id, name: `${original.name}-fork`, edited: false }) };
  const suggested = () => (draft.projectId === original.project.id ? `${original.name}-fork` : original.name);
  const projects = h('select', { class: 'adoc-input', 'aria-label': 'Project for the fork' }, data.projects.map((p) => h('option', { value: p.id }, p.name)));
  projects.value = draft.projectId;
  const name = h('input', { class: 'adoc-input adoc-grow', value: draft.name, 'aria-label': 'Name of the fork' });
  name.addEventListener('input', () => act.typeFork(Object.assign(draft, { name: name.value, edited: true })), { signal });
  projects.addEventListener('change', () => {
    draft.projectId = projects.value;
    if (!draft.edited) name.value = draft.name = suggested();
    act.typeFork(draft);
  }, { signal });
  const go = button('Fork and clone', () => act.forkAndClone(original, draft.projectId, draft.name.trim()), signal, { primary: true });
  return { node: forkColumn(h('div', { class: 'adoc-row' }, projects, name), actions(go), job?.kind === 'failed' ? problemBox(job.error, signal) : false) };
}

/** Takes over the button features.ts drew. */
export const attach: Attach = ({ host, trigger: drawnTrigger, fork: forkedFrom }, { signal, page }) => {
  const trigger = drawnTrigger!;
  const repo = repoKeyOf(page)!;
  const where: Where = { repo: repo.name, source: forkedFrom };

  let state: State = { kind: 'idle' };
  let bar: ProgressBar | undefined;
  const typed: { fork?: ForkDraft; names: Map<string, string> } = { names: new Map() };
  const act: Actions = {
    reload: () => void reload(),
    close: () => panel.close(),
    addRemote: (path, r, remote, added) => {
      if (remote) void addRemote(path, r, remote, added);
      else setRemote(r.id, '', { kind: 'failed', error: new Error('Enter a remote name.'), added: false });
    },
    typeName: (id, name) => typed.names.set(id, name),
    typeFork: (draft) => (typed.fork = { ...draft }),
    forkAndClone: (original, projectId, name) => void forkAndClone(original, projectId, name),
    cloneFork: (original, fork) => void cloneFork(original, fork),
    addUpstream: (original, fork, path) => void addUpstream(original, fork, path),
    cloneToDesktop: () => featureOpener('clone-to-desktop', page),
  };
  const waits = waitLine(signal);
  const draw = () => {
    const shown = view(state, where, typed, act, signal);
    bar = shown.bar;
    return [...shown.nodes, waits.line];
  };
  const panel = popoverToggle({
    trigger,
    owner: host,
    label: `Remotes for ${repo.name}`,
    signal,
    draw: (body) => fill(body, draw()),
    // A failure is not kept: opening again tries again; nor is "no clone yet" (it may have been cloned since).
    onOpen: () => {
      if (state.kind === 'idle' || state.kind === 'problem' || (state.kind === 'ready' && !state.data.clonePath && !state.job)) void reload();
      watchCompanion();
    },
    onClose: () => watchCompanion(),
  });
  // The panel moves on by itself once the companion is installed.
  const watchCompanion = watchForCompanion(() => !!panel.current && state.kind === 'ready' && !!state.data.setup, () => void reload(), signal);

  const set = (next: State) => {
    state = next;
    watchCompanion();
    if (panel.current) panel.redraw(draw());
  };
  /** Changes the ready state, if the panel is still on it. */
  const update = (change: (s: Ready) => Partial<Ready>) => {
    if (state.kind === 'ready' && !signal.aborted) set({ ...state, ...change(state) });
  };
  const setRemote = (id: string, name: string, step: RemoteStep) => update((s) => ({ remotes: new Map(s.remotes).set(id, { name, step }) }));

  async function reload(): Promise<void> {
    set({ kind: 'loading' });
    const data = await load(repo, waits.ask);
    if (signal.aborted) return;
    set('problem' in data ? { kind: 'problem', ...data.problem } : { kind: 'ready', data: data.data, remotes: new Map() });
  }

  async function addRemote(path: string, r: RepoSummary, remote: string, added: boolean): Promise<void> {
    try {
      if (!added) {
        setRemote(r.id, remote, { kind: 'adding' });
        await ask({ type: 'local.addRemote', path, name: remote, repo: keyOf(r) });
        added = true;
      }
      setRemote(r.id, remote, { kind: 'fetching' });
      await ask({ type: 'local.fetch', path, remote });
      setRemote(r.id, remote, { kind: 'done' });
    } catch (error) {
      // The clone changed since the panel loaded (a pull request's checkout added the fork, or git did): what it has now decides the rows.
      const now = !added && error instanceof AskError && error.code === 'companion.REMOTE_EXISTS' ? await remotesOf(path) : undefined;
      update((s) => {
        const rows = new Map(s.remotes);
        // The clone has this one already, under that name or another: shown as added, with Fetch.
        if (now && remoteNamed(now, r)) rows.delete(r.id);
        else rows.set(r.id, { name: remote, step: { kind: 'failed', error, added } });
        return { remotes: rows, ...(now ? { data: { ...s.data, remotes: now } } : {}) };
      });
    }
  }

  /** The remotes the clone at `path` has now; undefined when it cannot be told. */
  const remotesOf = (path: string) => ask({ type: 'clone.plan', repo }).then((p) => (p.existing?.path === path ? p.existing.remotes : undefined), () => undefined);

  /** Clones the fork (made before, or just now) with `upstream` set to the original. */
  async function cloneFork(original: RepoSummary, fork: RepoSummary): Promise<void> {
    const task = startTask({ type: 'clone.start', repo: keyOf(fork) }, `${page.orgBaseUrl}|${fork.project.name}|${fork.name}`.toLowerCase());
    update(() => ({ job: { kind: 'cloning', fork, task } }));
    task.onProgress((p) => bar?.set(p.percent, progressText(p)), signal);
    const outcome = await outcomeOf(task);
    if (outcome.kind === 'cancelled') return update(() => ({ job: { kind: 'notCloned', fork } }));
    // A fresh clone has no changes: `dirty` cannot happen, but would be said as git said it.
    if (outcome.kind !== 'done') return update(() => ({ job: { kind: 'notCloned', fork, error: outcome.kind === 'failed' ? outcome.error : { code: 'FAILED', message: outcome.message } } }));
    await addUpstream(original, fork, outcome.result.path);
  }

  async function addUpstream(original: RepoSummary, fork: RepoSummary, path: string): Promise<void> {
    try {
      await ask({ type: 'local.addRemote', path, name: 'upstream', repo: keyOf(original) });
      update(() => ({ job: { kind: 'done', fork, path } }));
    } catch (error) {
      update(() => ({ job: { kind: 'noUpstream', fork, path, error } }));
    }
  }

  async function forkAndClone(original: RepoSummary, projectId: string, name: string): Promise<void> {
    update(() => ({ job: { kind: 'creating' } }));
    let fork: RepoSummary;
    try {
      fork = await ask({ type: 'forks.create', repo: keyOf(original), projectId, name });
    } catch (error) {
      return update(() => ({ job: { kind: 'failed', error } }));
    }
    await cloneFork(original, fork);
  }
  return panel;
};
