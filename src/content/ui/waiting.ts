import type { Answers, PageRequest, PageRequestType, Waiting } from '../../shared/messages';
import { askTellingWaits, secondsLeft, waitHeard, waitSeen, type Wait } from '../../shared/waiting';
import { fill, h } from './dom';
import { button } from './parts';

/**
 * A line that says one wait as the popup's does (shared/ui/waiting.tsx): why, seen counting down
 * and heard once, with Stop waiting doing `stop`; empty without a wait, or once `signal` aborts.
 */
export function waitSaying(signal: AbortSignal) {
  const line = h('p', { class: 'adoc-muted', role: 'status' });
  let timer: ReturnType<typeof setInterval> | undefined;
  const say = (wait: Waiting | undefined, stop: () => void = () => undefined) => {
    clearInterval(timer);
    if (!wait || signal.aborted) return void fill(line);
    const seen = h('span', { 'aria-hidden': 'true' }, waitSeen(wait));
    timer = setInterval(() => (seen.textContent = waitSeen(wait)), 1000);
    fill(line, seen, h('span', { class: 'adoc-sr' }, waitHeard(wait, secondsLeft(wait.until))), ' ', button('Stop waiting', stop, signal, { small: true }));
  };
  signal.addEventListener('abort', () => say(undefined), { once: true });
  return { line, say };
}

/**
 * A panel's line for the asks that fill it. A 429 holds the whole organization, so the panel's
 * asks wait together: the line says the longest wait, and Stop waiting ends them all; their
 * failures show at once, and the focus goes to the first one's Try again (the panel's own, not the
 * page under it).
 */
export function waitLine(signal: AbortSignal) {
  const { line, say } = waitSaying(signal);
  const waits = new Set<Wait>();
  const show = () =>
    say([...waits].toSorted((a, b) => b.until - a.until)[0], () => {
      const root = line.getRootNode() as ShadowRoot;
      for (const w of waits) w.stop();
      // The failures replace what waited over the next tasks, and a section may be drawn again
      // after that: for a second, while the focus is nowhere (it left with Stop waiting), it goes
      // to the first Try again.
      const until = Date.now() + 1000;
      const settle = () => {
        if (signal.aborted || Date.now() > until) return;
        if (!root.activeElement && document.activeElement === document.body) [...root.querySelectorAll('button')].find((b) => b.textContent === 'Try again')?.focus();
        setTimeout(settle, 50);
      };
      setTimeout(settle);
    });
  /** `ask` for what fills the panel, its waits said on the line. */
  const ask = <T extends PageRequestType>(request: PageRequest & { type: T }): Promise<Answers[T]> => {
    let mine: Wait | undefined;
    return askTellingWaits(request, (wait) => {
      if (mine) waits.delete(mine);
      if ((mine = wait)) waits.add(wait);
      show();
    });
  };
  return { line, ask };
}

/** A panel's `ask` that says its waits on the panel's line. */
export type AskSaying = ReturnType<typeof waitLine>['ask'];
