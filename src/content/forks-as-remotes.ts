import { ask } from './ask';
import type { ForkList, ProjectSummary, RepoKey, RepoSummary } from '../shared/messages';
import { progressText, startTask } from './git-task';
import type { Attach } from './feature';
import { localCloneActions } from './local-actions';
import { pullRequestFork, repoKeyOf } from './repo-on-page';
import { companionStatus, problemText } from './session';
import { fill, h } from './ui/dom';
import { actions, alertBox, button, coin, pathText, problemBox, progressBar } from './ui/parts';
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
  companionReady: boolean;
}

/** What the panel shows: `content` draws it. */
type State =
  /** Nothing asked yet: listing forks costs REST calls the page may never need, so it waits for the first opening. */
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'problem'; message: string }
  | { kind: 'ready'; data: Loaded };

async function load(repo: RepoKey): Promise<Loaded | string> {
  try {
    // Without a profile for the page's organization, the page's own session answers (through the background).
    const status = await companionStatus.get();
    const [forks, projects] = await Promise.all([ask({ type: 'forks.list', repo }), ask({ type: 'projects.list' })]);
    const plan = status.state === 'ready' ? await ask({ type: 'clone.plan', repo }) : undefined;
    return { forks, projects: projects.items, clonePath: plan?.existing?.path, companionReady: status.state === 'ready' };
  } catch (e) {
    return problemText(e);
  }
}

const keyOf = (r: RepoSummary): RepoKey => ({ id: r.id, name: r.name, project: r.project.name });
/** A remote name from a project name: `Security Team` → `security-team`. */
const remoteName = (project: string) => project.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'fork';
const sub = (text: string) => h('h3', { class: 'adoc-sub' }, text);

/** Takes over the button features.ts drew. */
export const attach: Attach = ({ host, trigger: drawnTrigger }, { signal, page }) => {
  const trigger = drawnTrigger!;
  const repo = repoKeyOf(page)!;
  const fork = page.page === 'pullRequest' ? pullRequestFork(page) : undefined;

  const isSource = (r: RepoSummary) => !!fork && r.name.toLowerCase() === fork.name.toLowerCase() && r.project.name.toLowerCase() === fork.project.toLowerCase();

  function remoteRow(data: Loaded, r: RepoSummary, isParent: boolean): HTMLElement {
    const name = h('input', { class: 'adoc-input adoc-mono', value: isParent ? 'upstream' : remoteName(r.project.name), 'aria-label': `Remote name for ${r.project.name}/${r.name}`, size: 12 });
    const status = h('span', { class: 'adoc-muted', role: 'status' });
    const add = button('Add', () => {
      const path = data.clonePath;
      const remote = name.value.trim();
      if (!path || !remote) return;
      add.disabled = true;
      status.className = 'adoc-muted';
      status.textContent = 'Adding…';
      ask({ type: 'local.addRemote', path, name: remote, repo: keyOf(r) })
        .then(() => {
          status.textContent = `Added; fetching ${remote}…`;
          return ask({ type: 'local.fetch', path, remote });
        })
        .then(() => {
          status.className = 'adoc-good';
          status.textContent = `Added ${remote} and fetched it.`;
          add.textContent = 'Added';
        })
        .catch((e: unknown) => {
          add.disabled = false;
          status.className = 'adoc-bad';
          status.textContent = problemText(e);
        });
    }, signal, { small: true, ariaLabel: `Add ${r.project.name}/${r.name} as a remote`, disabled: !data.clonePath });
    return h(
      'li',
      { 'data-repo': r.id },
      coin(r.project.name),
      h(
        'div',
        { class: 'adoc-grow' },
        h('div', { class: 'adoc-ellipsis', title: `${r.project.name} / ${r.name}` }, `${r.project.name} / ${r.name}`, isParent ? h('span', { class: 'adoc-pill' }, 'parent') : false, isSource(r) ? h('span', { class: 'adoc-pill' }, 'this pull request') : false),
        status,
      ),
      name,
      add,
    );
  }

  function forkAndClone(data: Loaded): HTMLElement {
    const original = data.forks.repo;
    const projects = h('select', { class: 'adoc-input', 'aria-label': 'Project for the fork' }, data.projects.map((p) => h('option', { value: p.id }, p.name)));
    projects.value = original.project.id;
    const suggested = () => (projects.value === original.project.id ? `${original.name}-fork` : original.name);
    const name = h('input', { class: 'adoc-input adoc-grow', value: suggested(), 'aria-label': 'Name of the fork' });
    let edited = false;
    name.addEventListener('input', () => (edited = true), { signal });
    projects.addEventListener('change', () => !edited && (name.value = suggested()), { signal });
    const out = h('div', { class: 'adoc-col' });
    const go = button('Fork and clone', () => {
      go.disabled = true;
      const bar = progressBar('Fork and clone');
      fill(out, h('div', { class: 'adoc-muted', role: 'status' }, 'Creating the fork…'));
      void (async () => {
        try {
          const created = await ask({ type: 'forks.create', repo: keyOf(original), projectId: projects.value, name: name.value.trim() });
          fill(out, bar.el);
          const task = startTask({ type: 'clone.start', repo: keyOf(created) }, `${page.orgBaseUrl}|${created.project.name}|${created.name}`.toLowerCase());
          task.onProgress((p) => bar.set(p.percent, progressText(p)), signal);
          const cloned = await task.result;
          await ask({ type: 'local.addRemote', path: cloned.path, name: 'upstream', repo: keyOf(original) });
          fill(out, h('p', { class: 'adoc-good', role: 'status' }, `Forked into ${created.project.name} / ${created.name}, cloned to `, pathText(cloned.path), ' with upstream pointing at the original.'), localCloneActions(cloned.path, signal, { canFetch: true }));
        } catch (e) {
          go.disabled = false;
          fill(out, problemBox(e, signal));
        }
      })();
    }, signal, { primary: true, disabled: !data.companionReady });
    return h('div', { class: 'adoc-col' }, sub('Fork and clone'), h('div', { class: 'adoc-row' }, projects, name), actions(go), out);
  }

  function content(state: State): (Node | false)[] {
    const title = h('h2', { class: 'adoc-title' }, `Remotes for ${repo.name}`);
    if (state.kind === 'problem') return [title, alertBox(state.message), actions(button('Try again', () => void reload(), signal, { primary: true }))];
    if (state.kind !== 'ready') return [title, h('p', { class: 'adoc-muted', role: 'status' }, 'Looking for forks…')];
    const { data } = state;
    // The pull request's own fork first.
    const forks = data.forks.forks.toSorted((a, b) => Number(isSource(b)) - Number(isSource(a)));
    const rows = [...(data.forks.parent ? [remoteRow(data, data.forks.parent, true)] : []), ...forks.map((f) => remoteRow(data, f, false))];
    return [
      title,
      sub('Add as a remote of your clone'),
      !data.companionReady
        ? h('p', { class: 'adoc-muted' }, 'Install the companion (see Clone to desktop) to add remotes on this computer.')
        : !data.clonePath && h('p', { class: 'adoc-muted' }, `Clone ${repo.name} to this computer first (Clone to desktop) to add remotes to it.`),
      data.clonePath ? h('div', { class: 'adoc-muted' }, 'Clone: ', pathText(data.clonePath)) : false,
      rows.length ? h('ul', { class: 'adoc-list', 'aria-label': 'Parent and forks' }, rows) : h('p', { class: 'adoc-muted' }, `${repo.name} has no parent and no forks yet.`),
      forkAndClone(data),
    ];
  }

  let state: State = { kind: 'idle' };
  const panel = popoverToggle({
    trigger,
    owner: host,
    label: `Remotes for ${repo.name}`,
    signal,
    draw: (body) => fill(body, content(state)),
    // A failure is not kept: opening again tries again.
    onOpen: () => {
      if (state.kind === 'idle' || state.kind === 'problem') void reload();
    },
  });

  async function reload(): Promise<void> {
    state = { kind: 'loading' };
    if (panel.current) panel.redraw(content(state));
    const data = await load(repo);
    if (signal.aborted) return;
    state = typeof data === 'string' ? { kind: 'problem', message: data } : { kind: 'ready', data };
    if (panel.current) panel.redraw(content(state));
  }
  return panel;
};
