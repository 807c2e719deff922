import { ask } from './ask';
import { h } from './ui/dom';
import { actions, button } from './ui/parts';
import { problemText } from './session';

/**
 * "Open folder", "Open in editor" and "Fetch" for a clone on this computer, with
 * one status line for what happened.
 */
export function localCloneActions(path: string, signal: AbortSignal, opts: { canFetch?: boolean; fetchRemote?: string } = {}): HTMLElement {
  const status = h('div', { class: 'adoc-muted', role: 'status' });
  // One at a time: a second press while one runs would send the request twice.
  let busy = false;
  const run = async (what: string, work: () => Promise<string>) => {
    if (busy) return;
    busy = true;
    status.className = 'adoc-muted';
    status.textContent = `${what}…`;
    try {
      status.textContent = await work();
    } catch (e) {
      status.className = 'adoc-bad';
      status.textContent = problemText(e);
    } finally {
      busy = false;
    }
  };
  const open = (target: 'folder' | 'editor') => () =>
    void run('Opening', async () => `Opened with ${(await ask({ type: 'local.open', path, target })).with}.`);
  const remote = opts.fetchRemote ?? 'origin';
  return h(
    'div',
    { class: 'adoc-col' },
    actions(
      button('Open folder', open('folder'), signal, { primary: true }),
      button('Open in editor', open('editor'), signal),
      // Fetching signs in with the page's profile; without one, with git's own credential helper.
      opts.canFetch === true &&
        button(`Fetch ${remote}`, () => void run(`Fetching ${remote}`, async () => {
          await ask({ type: 'local.fetch', path, remote });
          return `Fetched ${remote}.`;
        }), signal),
    ),
    status,
  );
}
