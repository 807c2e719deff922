import type { AdoPage } from '../shared/ado/urls';
import { AskError } from '../shared/ask';
import type { ClonePlan, ReplyError } from '../shared/messages';
import { followTask, progressText, runningTask, startTask, type CloneTask } from './git-task';
import { companionNeeded, companionSetup, watchForCompanion, type CompanionSetup } from './companion-setup';
import type { Attach } from './feature';
import { localCloneActions } from './local-actions';
import { readRemoteUrls, repoKeyOf, viewedBranch, type RemoteUrls } from './repo-on-page';
import { companionStatus, pageContext, problemOf, problemText, type Problem } from './session';
import { fill, h } from './ui/dom';
import { folderInTheWay, gitFailure } from './ui/git-failure';
import { actions, button, cancelButton, copyField, facts, pathText, problemView, progressBar } from './ui/parts';

type ProgressBar = ReturnType<typeof progressBar>;
import { popoverToggle } from './ui/popover';
import { waitLine, type AskSaying } from './ui/waiting';

/**
 * Clone to desktop: a button beside the Files page's command bar (and in the empty repository's
 * "Clone in VS Code" area, and beside the Branches page's command bar) that clones the branch being viewed
 * through the companion, into the profile's folder layout, showing where before it starts and
 * progress while it runs; "Open" and "Fetch" once the repository is on this computer.
 */

/** What the panel shows. `view` draws it; `attach` only moves from one state to the next. */
type State =
  | { kind: 'loading' }
  | ({ kind: 'problem' } & Problem)
  | { kind: 'noCompanion'; setup: CompanionSetup; urls: RemoteUrls | undefined }
  | { kind: 'ready'; plan: ClonePlan; hasProfile: boolean }
  /** `hasProfile`: known once the plan is (a clone from an earlier view may run before it is). */
  | { kind: 'cloning'; task: CloneTask; hasProfile?: boolean }
  | { kind: 'cloned'; path: string; branch: string | null }
  /** The person's own Cancel: not a failure. */
  | { kind: 'cancelled' }
  | { kind: 'failed'; error: ReplyError; hasProfile: boolean };

type Loaded = Extract<State, { kind: 'problem' | 'noCompanion' | 'ready' }>;

async function load(page: AdoPage, saying: AskSaying): Promise<Loaded> {
  const repo = repoKeyOf(page)!;
  try {
    const [context, status] = await Promise.all([pageContext.get(), companionStatus.get()]);
    if (status.state !== 'ready') return { kind: 'noCompanion', setup: await companionSetup(status), urls: await readRemoteUrls(page) };
    // Without a profile the background reads the clone URL with the page's own session, and git
    // signs in by itself.
    const hasProfile = !!context.profile;
    const branch = viewedBranch(page);
    const plan = await saying({ type: 'clone.plan', repo, ...(branch ? { branch } : {}), inTheWay: true });
    return { kind: 'ready', plan, hasProfile };
  } catch (e) {
    return { kind: 'problem', ...problemOf(e) };
  }
}

/** The button's words for a state. */
function labelOf(state: State): string {
  if (state.kind === 'cloning') return `Cloning… ${Math.round(state.task.progress?.percent ?? 0)}%`;
  if (state.kind === 'ready' && state.plan.cloning) return 'Cloning…';
  if (state.kind === 'cloned' || (state.kind === 'ready' && state.plan.existing)) return 'Cloned locally';
  return 'Clone to desktop';
}

interface Actions {
  clone(plan: ClonePlan): void;
  reload(): void;
  close(): void;
}

const title = (text: string) => h('h2', { class: 'adoc-title' }, text);

/** The panel's content for a state, and its progress bar while cloning (progress moves it without a redraw). */
function view(state: State, where: { repo: string; organization: string }, act: Actions, signal: AbortSignal): { nodes: (Node | false)[]; bar?: ProgressBar } {
  const { repo } = where;
  switch (state.kind) {
    case 'loading':
      return { nodes: [h('p', { class: 'adoc-muted', role: 'status' }, 'Looking for your clone folder…')] };
    case 'problem':
      return { nodes: [title(`Clone ${repo}`), ...problemView(state, act.reload, signal, act.close)] };
    case 'cloning': {
      const { task } = state;
      const bar = progressBar(`Cloning ${repo}`);
      bar.set(task.progress?.percent ?? 0, progressText(task.progress));
      return { nodes: [title(`Cloning ${repo}…`), bar.el, actions(cancelButton(() => task.cancel(), signal))], bar };
    }
    case 'cloned':
      return { nodes: [title(`Cloned ${repo}`), h('p', { class: 'adoc-good', role: 'status' }, `Cloned ${state.branch ?? 'the default branch'} into `, pathText(state.path)), localCloneActions(state.path, signal)] };
    case 'cancelled':
      return { nodes: [title(`Clone ${repo}`), h('p', { class: 'adoc-muted', role: 'status' }, 'Cancelled: nothing was left behind.'), actions(button('Clone again', act.reload, signal, { primary: true }), button('Close', act.close, signal))] };
    case 'failed':
      return { nodes: [title(`Clone ${repo}`), gitFailure(state.error, { profile: state.hasProfile, task: 'clone', retry: act.reload, close: act.close }, signal)] };
    case 'noCompanion': {
      const { setup, urls } = state;
      return {
        nodes: [
          ...companionNeeded(setup.status, 'Clone to desktop clones through it.', signal, setup),
          urls ? h('h3', { class: 'adoc-sub' }, 'Or clone it yourself') : false,
          urls ? copyField('HTTPS clone URL', urls.https, signal) : false,
          urls?.ssh ? copyField('SSH clone URL', urls.ssh, signal) : false,
        ],
      };
    }
    case 'ready': {
      const { plan, hasProfile } = state;
      if (plan.cloning) {
        // Not one this panel can follow (another browser's, a checkout's): nothing to show but where.
        return {
          nodes: [
            title(`${repo} is being cloned`),
            h('p', { role: 'status' }, 'It is being cloned elsewhere (another window, a checkout, or another program)', ...(plan.cloning.path ? [' into ', pathText(plan.cloning.path)] : []), '. Check again once it is done.'),
            actions(button('Check again', act.reload, signal, { primary: true }), button('Close', act.close, signal)),
          ],
        };
      }
      if (plan.existing) {
        const dirty = plan.existing.dirty ? ' (uncommitted changes)' : '';
        return {
          nodes: [
            title(`${repo} is on this computer`),
            facts([
              ['Folder', pathText(plan.existing.path)],
              ['Branch', `${plan.existing.branch ?? 'detached'}${dirty}`],
            ]),
            localCloneActions(plan.existing.path, signal, { canFetch: true }),
          ],
        };
      }
      return {
        nodes: [
          title(`Clone ${repo}`),
          facts([
            ['Branch', plan.branch ?? 'the default branch'],
            ['Into', pathText(plan.path)],
            ['Over', plan.protocol.toUpperCase()],
          ]),
          h('div', { class: 'adoc-mono adoc-muted' }, plan.url),
          !hasProfile ? h('p', { class: 'adoc-muted' }, `No profile is connected for ${where.organization}: git's own credential helper will sign you in.`) : false,
          // A clone that would stop at once is not offered: what is in the way is said, with the ways past it.
          plan.inTheWay
            ? folderInTheWay(plan.inTheWay, act, signal)
            : actions(button('Clone', () => act.clone(plan), signal, { primary: true }), button('Close', act.close, signal)),
        ],
      };
    }
  }
}

/** Takes over the button features.ts drew. */
export const attach: Attach = (drawn, { signal, page, onWork }) => {
  const trigger = drawn.trigger!;
  const label = drawn.label!;
  const repo = repoKeyOf(page)!;
  const key = `${page.orgBaseUrl}|${repo.project}|${repo.name}`.toLowerCase();
  const where = { repo: repo.name, organization: page.organization };

  let state: State = { kind: 'loading' };
  let bar: ProgressBar | undefined;
  const waits = waitLine(signal);
  const act: Actions = {
    clone: (plan) => follow(startTask({ type: 'clone.start', repo, ...(plan.branch ? { branch: plan.branch } : {}), protocol: plan.protocol }, key, onWork), state.kind === 'ready' ? state.hasProfile : undefined),
    reload: () => void reload(),
    close: () => panel.close(),
  };
  const draw = () => {
    const shown = view(state, where, act, signal);
    bar = shown.bar;
    return [...shown.nodes, waits.line];
  };
  const panel = popoverToggle({
    trigger,
    owner: drawn.host,
    label: 'Clone to desktop',
    signal,
    draw: (body) => fill(body, draw()),
    onOpen: () => {
      // A clone this panel cannot follow may have ended since: look again rather than say it runs.
      if (state.kind === 'ready' && state.plan.cloning) void reload();
      watchCompanion();
    },
    onClose: () => watchCompanion(),
  });
  // The panel moves on by itself once the companion is installed.
  const watchCompanion = watchForCompanion(() => !!panel.current && state.kind === 'noCompanion', () => void reload(), signal);


  /** Moves to `next`: the label follows (not while loading, which keeps the last words) and an open panel is redrawn. */
  function set(next: State): void {
    state = next;
    if (next.kind !== 'loading') {
      trigger.removeAttribute('aria-busy');
      label.set(labelOf(next));
    }
    watchCompanion();
    // What was focused is gone: the new state's first action takes the focus.
    if (panel.current) panel.redraw(draw());
  }

  async function reload(): Promise<void> {
    set({ kind: 'loading' });
    const loaded = await load(page, waits.ask);
    if (!signal.aborted) arrive(loaded);
  }

  /** Shows what was loaded; a clone the background runs for this repository is followed instead. */
  function arrive(loaded: Loaded): void {
    const taskId = loaded.kind === 'ready' ? loaded.plan.cloning?.taskId : undefined;
    if (loaded.kind === 'ready' && taskId) follow(runningTask('clone.start', key) ?? followTask(taskId, { type: 'clone.start', repo }, key), loaded.hasProfile);
    else set(loaded);
  }

  function follow(task: CloneTask, hasProfile: boolean | undefined): void {
    set({ kind: 'cloning', task, hasProfile });
    task.onProgress((p) => {
      label.set(labelOf(state));
      bar?.set(p.percent, progressText(p));
    }, signal);
    task.result.then(
      (data): State => ({ kind: 'cloned', path: data.path, branch: data.branch }),
      (e: unknown): State | 'gone' =>
        e instanceof AskError && e.code === 'companion.CANCELLED'
          ? { kind: 'cancelled' }
          : e instanceof AskError && e.code === 'TASK_GONE'
            ? 'gone'
            : { kind: 'failed', error: e instanceof AskError ? e.reply : { code: 'FAILED', message: problemText(e) }, hasProfile: state.kind === 'cloning' ? (state.hasProfile ?? true) : true },
    ).then((next) => {
      if (signal.aborted) return;
      // The clone its plan named has ended and gone from the board (or the worker restarted): look again.
      if (next === 'gone') void reload();
      else set(next);
    });
  }

  const running = runningTask('clone.start', key);
  if (running) follow(running, undefined);
  void load(page, waits.ask).then((loaded) => {
    if (signal.aborted) return;
    // A clone under way keeps the panel; what it learned (the profile) is kept for its outcome.
    if (state.kind === 'cloning') state = { ...state, hasProfile: loaded.kind === 'ready' ? loaded.hasProfile : state.hasProfile };
    else arrive(loaded);
  });
  return panel;
};
