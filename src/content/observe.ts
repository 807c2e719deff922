/**
 * Seeing the page change: one MutationObserver for the whole document (plus history events) that
 * every waiting feature shares, and `waitForAnchor` built on it. No polling: work happens only
 * when the page changes, and stops when nobody listens.
 */
export interface AnchorSource {
  /** Calls `onChange` after the document or the URL changed, until `signal` aborts. */
  watch(onChange: () => void, signal: AbortSignal): void;
  /** The first element matching one of `selectors`, trying them in order. */
  query(selectors: readonly string[]): Element | null;
}

const listeners = new Set<() => void>();
let stopObserving: (() => void) | undefined;
let queued = false;

function notify(): void {
  queued = false;
  for (const listener of listeners) listener();
}

/** Many mutations and events in one task are one change. */
function schedule(): void {
  if (queued) return;
  queued = true;
  queueMicrotask(notify);
}

function startObserving(): () => void {
  const observer = new MutationObserver(schedule);
  observer.observe(document, { childList: true, subtree: true });
  // The page's own pushState is invisible to content scripts; these catch it where they exist, and
  // the DOM changes that follow every in-app navigation catch it everywhere else.
  const nav = (globalThis as { navigation?: EventTarget }).navigation;
  addEventListener('popstate', schedule);
  nav?.addEventListener('currententrychange', schedule);
  return () => {
    observer.disconnect();
    removeEventListener('popstate', schedule);
    nav?.removeEventListener('currententrychange', schedule);
  };
}

/** Our own UI never counts as an anchor. */
const OURS = '[data-adoc]';

export const documentSource: AnchorSource = {
  watch(onChange, signal) {
    if (signal.aborted) return;
    listeners.add(onChange);
    stopObserving ??= startObserving();
    signal.addEventListener(
      'abort',
      () => {
        listeners.delete(onChange);
        if (listeners.size === 0) {
          stopObserving?.();
          stopObserving = undefined;
        }
      },
      { once: true },
    );
  },
  query(selectors) {
    for (const selector of selectors) {
      // The first match is nearly always the page's own (our nodes have closed roots): one
      // querySelector, and the whole list only when the first is ours.
      const first = document.querySelector(selector);
      if (!first) continue;
      if (!first.closest(OURS)) return first;
      for (const el of document.querySelectorAll(selector)) if (!el.closest(OURS)) return el;
    }
    return null;
  },
};

/** Resolves with the first anchor that appears, or undefined when `signal` aborts first. */
export function waitForAnchor(source: AnchorSource, selectors: readonly string[], signal: AbortSignal): Promise<Element | undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(undefined);
    const found = source.query(selectors);
    if (found) return resolve(found);
    const done = new AbortController();
    const finish = (el: Element | undefined) => {
      done.abort();
      resolve(el);
    };
    signal.addEventListener('abort', () => finish(undefined), { once: true, signal: done.signal });
    source.watch(() => {
      const el = source.query(selectors);
      if (el) finish(el);
    }, done.signal);
  });
}
