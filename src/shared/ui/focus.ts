import { useLayoutEffect, useRef } from 'preact/hooks';

const MAIN = '[data-main]:not(:disabled)';
const FOCUSABLE = 'button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), a[href], [tabindex="-1"], [tabindex="0"]';

/** The element a state's main action is: marked `data-main`, else the first thing that takes focus. */
export function mainActionIn(root: ParentNode): HTMLElement | null {
  return root.querySelector<HTMLElement>(MAIN) ?? root.querySelector<HTMLElement>(FOCUSABLE);
}

/**
 * After each change of `state`, the focus moves to the new state's main action inside the returned
 * ref's element, so keyboard and screen-reader users land where the next step is instead of on a
 * button that just went away. `undefined` means "still loading": the changes into and out of it
 * move nothing, so data arriving never takes the focus. And only when the focus was inside, or
 * nowhere, or inside `alsoFrom` (where the action that changed the state lives), so a change
 * elsewhere on the page never takes the focus from where the user is.
 */
export function useFocusOnChange<T extends HTMLElement>(state: string | undefined, opts: { alsoFrom?: string } = {}) {
  const ref = useRef<T>(null);
  const previous = useRef(state);
  // A layout effect, so the focus moves as the new state is drawn: an effect runs a frame later,
  // and a key pressed in that frame would land on whatever the redraw left focused.
  useLayoutEffect(() => {
    const before = previous.current;
    previous.current = state;
    if (before === undefined || state === undefined || before === state) return;
    const root = ref.current;
    if (!root) return;
    const active = document.activeElement;
    const here = !active || active === document.body || root.contains(active) || (!!opts.alsoFrom && !!active.closest(opts.alsoFrom));
    // A state with nothing to act on (a result, a wait) takes the focus itself when it can (tabindex="-1").
    if (here) (mainActionIn(root) ?? (root.hasAttribute('tabindex') ? root : null))?.focus();
  }, [state]);
  return ref;
}

/**
 * A keydown handler for an inline editor or form: Escape does what its Cancel does, unless
 * something inside took the key first (a picker closing its list). The default is prevented, as
 * Chromium closes an extension popup on an Escape its page leaves alone (ExtensionViewHost), and
 * the key goes no further, as it closed something: one press, one thing closed.
 */
export const cancelOnEscape = (cancel: () => void) => (e: KeyboardEvent) => {
  if (e.key !== 'Escape' || e.defaultPrevented) return;
  e.preventDefault();
  e.stopPropagation();
  cancel();
};

/**
 * A Try again that goes away with its note while the thing is asked again: after `retry`, the
 * focus waits on `home` (the tab, the search field, the section's heading), one Tab from what
 * comes back, instead of falling to the page.
 */
export const focusAfter = (retry: () => void, home: string) => () => {
  retry();
  document.getElementById(home)?.focus();
};
