import { ask } from './ask';
import type { ClonePlan } from '../shared/messages';
import type { Attach } from './feature';
import { repoKeyOf, viewedBranch } from './repo-on-page';
import { companionStatus, problemOf } from './session';
import { FILE_EDIT_COMMAND } from './anchors';
import { companionNeeded, companionSetup, watchForCompanion } from './companion-setup';
import { featureOpener } from './open-feature';
import { fill, h } from './ui/dom';
import { actions, alertBox, button, problemView } from './ui/parts';
import { popoverToggle } from './ui/popover';
import { waitLine } from './ui/waiting';

/**
 * Open in editor: on a file view (`?path=…&line=…`), opens that file at that line in the local
 * clone, in the editor chosen in Options; warns first when the clone has another branch checked
 * out than the one viewed. On a folder view it opens the clone.
 */

const title = (text: string) => h('h2', { class: 'adoc-title' }, text);

/** Takes over the button features.ts drew. */
export const attach: Attach = ({ host, trigger, anchor }, { signal, page, floating }) => {
  const repo = repoKeyOf(page)!;
  // The command bar holds Edit while a file is shown; a folder opens as the clone.
  const isFile = !floating && anchor.querySelector(FILE_EDIT_COMMAND) !== null;
  const line = Number.parseInt(new URL(location.href).searchParams.get('line') ?? '', 10);
  const file = isFile ? page.path : undefined;

  let body: (Node | false)[] = [];
  /** The panel shows the companion's install steps. */
  let needsCompanion = false;
  const waits = waitLine(signal);
  const panel = popoverToggle({
    trigger: trigger!,
    owner: host,
    label: 'Open in editor',
    signal,
    draw: (b) => fill(b, body),
    onOpen: () => void start(),
    onClose: () => watchCompanion(),
  });
  // The panel moves on by itself once the companion is installed, as Clone to desktop's does.
  const watchCompanion = watchForCompanion(() => !!panel.current && needsCompanion, () => void start(), signal);
  // Through redraw, so the focus moves to the panel's buttons as in the other features.
  const show = (content: (Node | false)[], waiting = false) => {
    body = [...content, waits.line];
    needsCompanion = waiting;
    watchCompanion();
    panel.redraw(body);
  };
  /** A failure, with the Options button that fixes it where trying again cannot, and Try again. */
  const failed = (e: unknown, retry: () => void) => show([title('Open in editor'), ...problemView(problemOf(e), retry, signal)]);

  const what = file ? `${file.split('/').pop()}${Number.isInteger(line) && line > 0 ? ` at line ${line}` : ''}` : repo.name;

  async function open(path: string): Promise<void> {
    show([h('p', { class: 'adoc-muted', role: 'status' }, `Opening ${what}…`)]);
    try {
      const opened = await ask({ type: 'local.open', path, target: 'editor', ...(file ? { file } : {}), ...(file && Number.isInteger(line) && line > 0 ? { line } : {}) });
      show([h('p', { class: 'adoc-good', role: 'status' }, `Opened ${what} with ${opened.with}.`)]);
    } catch (e) {
      failed(e, () => void open(path));
    }
  }

  async function start(): Promise<void> {
    show([h('p', { class: 'adoc-muted', role: 'status' }, 'Looking for your clone…')]);
    let plan: ClonePlan;
    try {
      const status = await companionStatus.get();
      if (status.state !== 'ready') {
        const setup = await companionSetup(status);
        return show(companionNeeded(status, 'Open in editor opens your clone’s files through it.', signal, setup), true);
      }
      // Without a profile, the background reads which repository this is through the page's session.
      const branch = viewedBranch(page);
      plan = await waits.ask({ type: 'clone.plan', repo, ...(branch ? { branch } : {}) });
    } catch (e) {
      return failed(e, () => void start());
    }
    const existing = plan.existing;
    if (!existing) {
      // Clone to desktop's own panel, when the page shows its button (it may be switched off).
      const cloneIt = plan.cloning ? undefined : featureOpener('clone-to-desktop', page);
      const said = plan.cloning ? `${repo.name} is still being cloned. Open the file once the clone is done.` : `${repo.name} is not cloned on this computer yet. Clone it first${cloneIt ? '' : ' (Clone to desktop)'}, then open the file.`;
      return show([
        title('Open in editor'),
        h('p', null, said),
        actions(cloneIt && button('Clone to desktop', () => (panel.close(), cloneIt()), signal, { primary: true }), button('Try again', () => void start(), signal, { primary: !!plan.cloning }), button('Close', () => panel.close(), signal)),
      ]);
    }
    if (plan.branch && existing.branch !== plan.branch) {
      return show([
        title('Open in editor'),
        alertBox(`You are viewing ${plan.branch}, but your clone has ${existing.branch ?? 'a detached HEAD'} checked out: the file may differ.`),
        actions(button('Open anyway', () => void open(existing.path), signal, { primary: true }), button('Close', () => panel.close(), signal)),
      ]);
    }
    await open(existing.path);
  }

  return panel;
};
