import { ask } from './ask';
import type { AdoPage } from '../shared/ado/urls';
import { AskError } from '../shared/ask';
import { companionOs, installInstructions, type InstallInstructions } from '../shared/companion-install';
import { COMPANION_POLL_MS } from '../shared/companion-poll';
import { explainCloneFailure } from '../shared/clone-failure';
import { GCM_INSTALL_URL } from '../shared/git-help';
import type { ClonePlan, CompanionStatus, ReplyError } from '../shared/messages';
import { runningClone, startClone, progressText, type CloneTask } from './clone-task';
import type { Attach } from './feature';
import { localCloneActions } from './local-actions';
import { platformInfo } from './platform';
import { readRemoteUrls, repoKeyOf, viewedBranch, type RemoteUrls } from './repo-on-page';
import { companionStatus, pageContext, problemText } from './session';
import { fill, h } from './ui/dom';
import { actions, alertBox, button, cancelButton, copyBlock, copyField, facts, optionsButton, pathText, progressBar } from './ui/parts';
import { popoverToggle } from './ui/popover';

/**
 * Clone to desktop: a button beside the Files page's command bar (and in the empty repository's
 * "Clone in VS Code" area, and beside the Branches page's command bar) that clones the branch being viewed
 * through the companion, into the profile's folder layout, showing where before it starts and
 * progress while it runs; "Open" and "Fetch" once the repository is on this computer.
 */

type Loaded =
  | { kind: 'noCompanion'; status: CompanionStatus; install: InstallInstructions; urls: RemoteUrls | undefined }
  | { kind: 'problem'; message: string }
  | { kind: 'ready'; plan: ClonePlan; hasProfile: boolean };

async function load(page: AdoPage): Promise<Loaded> {
  const repo = repoKeyOf(page)!;
  try {
    const [context, status] = await Promise.all([pageContext.get(), companionStatus.get()]);
    if (status.state !== 'ready') {
      const { os, arch } = await platformInfo();
      return { kind: 'noCompanion', status, install: installInstructions(companionOs(os), arch), urls: await readRemoteUrls(page) };
    }
    // Without a profile the background reads the clone URL with the page's own session, and git
    // signs in by itself.
    const hasProfile = !!context.profile;
    const branch = viewedBranch(page);
    const plan = await ask({ type: 'clone.plan', repo, ...(branch ? { branch } : {}) });
    return { kind: 'ready', plan, hasProfile };
  } catch (e) {
    return { kind: 'problem', message: problemText(e) };
  }
}

const title = (text: string) => h('h2', { class: 'adoc-title' }, text);

/** Takes over the button features.ts drew. */
export const attach: Attach = (drawn, { signal, page }) => {
  const trigger = drawn.trigger!;
  const label = drawn.label!;
  const host = drawn.host;
  const repo = repoKeyOf(page)!;
  const key = `${page.orgBaseUrl}|${repo.project}|${repo.name}`.toLowerCase();

  let loaded: Loaded | undefined;
  let task: CloneTask | undefined = runningClone(key);
  let outcome: { path: string; branch: string | null } | { failed: ReplyError; profile: boolean } | undefined;
  const panel = popoverToggle({
    trigger,
    owner: host,
    label: 'Clone to desktop',
    signal,
    draw: (body) => fill(body, content()),
    onOpen: () => watchCompanion(),
    onClose: () => watchCompanion(),
  });
  let bar: ReturnType<typeof progressBar> | undefined;

  const cloned = () => (loaded?.kind === 'ready' ? loaded.plan.existing : undefined);
  const showLabel = () => {
    trigger.removeAttribute('aria-busy');
    if (task) label.set(`Cloning… ${Math.round(task.progress?.percent ?? 0)}%`);
    else if (cloned() || (outcome && 'path' in outcome)) label.set('Cloned locally');
    else label.set('Clone to desktop');
  };

  const reload = async () => {
    loaded = undefined;
    outcome = undefined;
    render();
    loaded = await load(page);
    if (signal.aborted) return;
    showLabel();
    render();
  };

  function follow(t: CloneTask): void {
    task = t;
    showLabel();
    t.onProgress((p) => {
      showLabel();
      bar?.set(p.percent, progressText(p));
    }, signal);
    t.result.then(
      (data) => (outcome = { path: data.path, branch: data.branch }),
      (e: unknown) => (outcome = { failed: e instanceof AskError ? e.reply : { code: 'FAILED', message: problemText(e) }, profile: loaded?.kind === 'ready' ? loaded.hasProfile : true }),
    ).finally(() => {
      if (signal.aborted) return;
      task = undefined;
      showLabel();
      render();
    });
  }

  function clone(plan: ClonePlan): void {
    follow(startClone(key, {
      repo,
      ...(plan.branch ? { branch: plan.branch } : {}),
      protocol: plan.protocol,
    }));
    render();
  }

  function content(): (Node | false)[] {
    if (task) {
      bar = progressBar(`Cloning ${repo.name}`);
      bar.set(task.progress?.percent ?? 0, progressText(task.progress));
      const t = task;
      return [title(`Cloning ${repo.name}…`), bar.el, actions(cancelButton(() => t.cancel(), signal))];
    }
    if (outcome && 'path' in outcome) {
      return [title(`Cloned ${repo.name}`), h('p', { class: 'adoc-good', role: 'status' }, `Cloned ${outcome.branch ?? 'the default branch'} into `, pathText(outcome.path)), localCloneActions(outcome.path, signal)];
    }
    if (outcome) return [title(`Clone ${repo.name}`), failure(outcome.failed, outcome.profile)];
    if (!loaded) return [h('p', { class: 'adoc-muted', role: 'status' }, 'Looking for your clone folder…')];
    if (loaded.kind === 'problem') return [title(`Clone ${repo.name}`), alertBox(loaded.message), actions(button('Try again', () => void reload(), signal))];
    if (loaded.kind === 'noCompanion') {
      const { status, install, urls } = loaded;
      return [
        title(status.state === 'outdated' ? 'Please update the companion' : 'Clone to desktop needs the companion'),
        h('p', null, 'A small program on this computer runs git for the extension.', install.download ? ' Download ' : ' Run this in a terminal:', install.download ? h('span', { class: 'adoc-mono' }, install.download) : false, install.download ? ' from its release page into your Downloads folder, then run this in a terminal:' : false),
        copyBlock('Install command', install.commands.join('\n'), signal),
        h('p', { class: 'adoc-muted' }, install.explanation),
        status.state !== 'missing' && status.message ? h('p', { class: 'adoc-muted' }, status.message) : false,
        h('p', { class: 'adoc-muted', role: 'status' }, 'This panel notices the companion by itself once it is installed.'),
        urls ? h('h3', { class: 'adoc-sub' }, 'Or clone it yourself') : false,
        urls ? copyField('HTTPS clone URL', urls.https, signal) : false,
        urls?.ssh ? copyField('SSH clone URL', urls.ssh, signal) : false,
        actions(optionsButton('Open the setup steps', 'companion', signal)),
      ];
    }
    const { plan, hasProfile } = loaded;
    if (plan.existing) {
      const state = plan.existing.dirty ? ' (uncommitted changes)' : '';
      return [
        title(`${repo.name} is on this computer`),
        facts([
          ['Folder', pathText(plan.existing.path)],
          ['Branch', `${plan.existing.branch ?? 'detached'}${state}`],
        ]),
        localCloneActions(plan.existing.path, signal, { canFetch: true }),
      ];
    }
    return [
      title(`Clone ${repo.name}`),
      facts([
        ['Branch', plan.branch ?? 'the default branch'],
        ['Into', pathText(plan.path)],
        ['Over', plan.protocol.toUpperCase()],
      ]),
      h('div', { class: 'adoc-mono adoc-muted' }, plan.url),
      !hasProfile ? h('p', { class: 'adoc-muted' }, `No profile is connected for ${page.organization}: git's own credential helper will sign you in.`) : false,
      actions(button('Clone', () => clone(plan), signal, { primary: true }), button('Close', () => panel.close(), signal)),
    ];
  }

  /** A failed clone: the cause, the next step with its button, and git's own line under "Details". */
  function failure(error: ReplyError, profile: boolean): HTMLElement {
    const help = explainCloneFailure(error, { profile });
    const retry = button('Try again', () => void reload(), signal, { primary: help.action === 'retry' || help.action === 'none' });
    const fix =
      help.action === 'token' ? optionsButton(profile ? 'Update the token' : 'Add a token', 'accounts', signal, { primary: true })
      : help.action === 'companion' ? optionsButton('Set up the companion', 'companion', signal, { primary: true })
      : help.action === 'ssh' ? optionsButton('Open the SSH key settings', 'ssh', signal, { primary: true })
      : false;
    return alertBox(
      help.cause,
      h('p', null, help.next),
      error.code === 'companion.NO_CREDENTIAL_HELPER' && h('p', null, h('a', { href: GCM_INSTALL_URL, target: '_blank', rel: 'noopener noreferrer' }, 'How to install Git Credential Manager')),
      !!help.details && h('details', null, h('summary', null, 'Details'), h('div', { class: 'adoc-mono' }, help.details)),
      actions(fix, help.action !== 'companion' && retry),
    );
  }

  // While the companion is missing and the panel shows it, ask again every few seconds: the
  // panel moves on by itself once it is installed.
  let watching: ReturnType<typeof setInterval> | undefined;
  const watchCompanion = () => {
    const wanted = !!panel.current && loaded?.kind === 'noCompanion' && !signal.aborted;
    if (!wanted) {
      clearInterval(watching);
      watching = undefined;
    } else if (!watching) {
      watching = setInterval(() => {
        companionStatus.forget();
        void companionStatus.get().then((s) => {
          if (s.state === 'ready' && loaded?.kind === 'noCompanion') void reload();
        }, () => undefined);
      }, COMPANION_POLL_MS);
    }
  };
  signal.addEventListener('abort', () => clearInterval(watching), { once: true });

  function render(): void {
    watchCompanion();
    if (!panel.current) return;
    bar = undefined;
    // What was focused is gone: the new state's first action takes the focus.
    panel.redraw(content());
  }

  if (task) follow(task);
  void load(page).then((l) => {
    if (signal.aborted) return;
    loaded = l;
    showLabel();
    render();
  });
  return panel;
};
