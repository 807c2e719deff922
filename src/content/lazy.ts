import type { FeatureId } from '../shared/messages';
import { ask } from './ask';
import type { Attach, Drawn, MountContext } from './feature';
import { setOpener } from './open-feature';
import { AskError } from '../shared/ask';
import { problemText } from './session';
import { fill, h, onActivate, widget } from './ui/dom';

/**
 * The features' own code (panels and what they do) loads on first use, so the script every Azure
 * DevOps page loads holds only what draws the buttons. The background injects `panels.js` into the
 * asking frame (`features.load`): unlike an `import()` of a web-accessible file, that works on the
 * Azure DevOps Server origins the user added, exposes no file to pages, and behaves the same in
 * Chrome and Firefox. The script runs in the content scripts' own world and leaves its features
 * under `PANELS_KEY` there (pages cannot see it).
 */
export type Panels = Record<FeatureId, Attach>;

export const PANELS_KEY = Symbol.for('azure-devops-companion.panels');

type Global = Record<symbol, Panels | undefined>;

export const loadedPanels = (): Panels | undefined => (globalThis as Global)[PANELS_KEY];

let loading: Promise<Panels> | undefined;
/** Features drawn before the code arrived, taken over all at once when it does (their labels follow their state from then on). */
const waiting = new Set<() => void>();

/** Loads the features' code once; a failure is not kept (the next click tries again). */
export function loadPanels(): Promise<Panels> {
  const have = loadedPanels();
  if (have) return Promise.resolve(have);
  if (!loading) {
    const attempt = ask({ type: 'features.load' }).then(() => {
      const panels = loadedPanels();
      if (!panels) throw new Error("The extension's features did not load.");
      // Each removes itself from the set as it runs (fine while iterating a Set); one that fails
      // to start does not keep the others from theirs.
      for (const take of waiting) {
        try {
          take();
        } catch (e) {
          console.warn('Azure DevOps Companion: a feature failed to start', e);
        }
      }
      return panels;
    });
    loading = attempt;
    attempt.catch(() => {
      if (loading === attempt) loading = undefined;
    });
  }
  return loading;
}

/** Starts loading when a person comes near a button (not for events a script made). */
const preload = (e: Event) => e.isTrusted && void loadPanels().catch(() => undefined);

/** An Azure DevOps Server whose access the person took back while its page was open: allowed again in Options. */
const noAccess = (e: unknown) => e instanceof AskError && e.code === 'hostAccess';

/** What to tell a person when the code did not load, with the next step. */
export function loadProblem(e: unknown, what: string): string {
  const text = problemText(e);
  if (/reload the page/i.test(text)) return `${what} could not open: ${text}`;
  // The fix is in Options: the reload comes after it.
  if (noAccess(e)) return `${what} could not open: ${text} Then reload the page.`;
  return `${what} could not open: ${text.replace(/\.?$/, '.')} Reload the page to try again (the extension may have been updated since it opened).`;
}

/** The one failure panel shown (a second click replaces it). */
let shownFailure: AbortController | undefined;

/** The message, Options' Allow access where that is the fix, and "Reload the page", in the card or in a small panel under the button. */
function failure(drawn: Drawn, e: unknown, what: string, signal: AbortSignal): void {
  const fix = noAccess(e) && h('button', { class: 'adoc-button primary', type: 'button' }, 'Allow access');
  if (fix) onActivate(fix, () => void ask({ type: 'options.open', section: 'profiles' }).catch(() => undefined), signal);
  const reload = h('button', { class: `adoc-button${fix ? '' : ' primary'}`, type: 'button' }, 'Reload the page');
  onActivate(reload, () => location.reload(), signal);
  const text = h('p', null, loadProblem(e, what));
  if (drawn.card) return fill(drawn.card, h('div', { class: 'adoc-alert', role: 'alert' }, text), h('div', { class: 'adoc-row' }, fix, reload));
  shownFailure?.abort();
  const { host, root } = widget('load-failed', 'div');
  const r = drawn.trigger!.getBoundingClientRect();
  host.style.cssText = `position:fixed;z-index:2147483000;left:${Math.max(8, Math.min(r.left, innerWidth - 460))}px;top:${Math.min(r.bottom + 4, innerHeight - 160)}px`;
  const close = h('button', { class: 'adoc-button', type: 'button' }, 'Close');
  const life = new AbortController();
  shownFailure = life;
  // Its Close goes with it: the focus goes back to the button, not to the page.
  const remove = () => (root.activeElement && drawn.trigger!.focus(), life.abort());
  life.signal.addEventListener('abort', () => host.remove(), { once: true });
  onActivate(close, remove, life.signal);
  signal.addEventListener('abort', remove, { once: true, signal: life.signal });
  document.addEventListener('keydown', (k) => k.key === 'Escape' && remove(), { signal: life.signal });
  root.append(h('div', { class: 'adoc-panel', role: 'alertdialog', 'aria-label': what }, h('div', { class: 'adoc-alert' }, text), h('div', { class: 'adoc-row' }, fix, reload, close)));
  document.body.append(host);
  (fix || reload).focus();
}

/**
 * Hands what a feature drew to its own code. Never while drawing: a card asks for it once the page
 * is idle, and a button when the pointer or the focus comes to it (so the first click rarely
 * waits) and at the latest on its first click, which then opens the panel; once the code is there,
 * features drawn later are handed over when the page is idle (their first draw stays as cheap as
 * the button).
 */
export function lazyFeature(id: FeatureId, what: string, drawn: Drawn, ctx: MountContext): void {
  const { signal } = ctx;
  let attached: { open(): void } | undefined;
  const take = () => {
    const panels = loadedPanels();
    waiting.delete(take);
    if (!attached && panels && !signal.aborted) attached = panels[id](drawn, ctx);
    return attached;
  };
  waiting.add(take);
  signal.addEventListener('abort', () => waiting.delete(take), { once: true });
  const { trigger } = drawn;
  // Once the page is idle: running the features' code competes with the page drawing itself.
  const later = (work: () => void) => {
    const idle = requestIdleCallback(work, { timeout: 300 });
    signal.addEventListener('abort', () => cancelIdleCallback(idle), { once: true });
  };
  if (loadedPanels()) later(take);
  if (!trigger) {
    if (!loadedPanels()) later(() => void loadPanels().then(take, (e: unknown) => !signal.aborted && failure(drawn, e, what, signal)));
    return;
  }
  for (const type of ['pointerenter', 'focus', 'touchstart']) trigger.addEventListener(type, preload, { once: true, passive: true, signal });
  const open = () => {
    trigger.setAttribute('aria-busy', 'true');
    loadPanels().then(
      () => {
        trigger.removeAttribute('aria-busy');
        take()?.open();
      },
      (e: unknown) => {
        trigger.removeAttribute('aria-busy');
        if (!signal.aborted) failure(drawn, e, what, signal);
      },
    );
  };
  // Once taken over, the feature's own handler opens and closes its panel.
  onActivate(trigger, () => !attached && open(), signal);
  // Another feature's panel may send the person here: the focus comes to this button, as after a click on it.
  setOpener(drawn.host, ctx.page, () => (trigger.focus(), open()), signal);
}
