import { useEffect } from 'preact/hooks';

/** What a reader does to scroll, or to go elsewhere on the page, by themselves. */
const OWN_MOVES = ['wheel', 'touchstart', 'pointerdown', 'keydown'] as const;
/**
 * Long enough for every section to draw (the companion's status included, which may start it);
 * after that a change of size is the page answering the reader (a poll, a note), and a reader whose
 * moves send none of the events above (a screen reader's own cursor) must not be pulled back.
 */
export const KEEP_MS = 8000;

/**
 * Keeps the section `id` names where it was brought into view (at the top, or as far up as the page
 * goes) while sections drawn later grow the page around it: the browser's scroll anchoring keeps
 * what is in view, which near the end of the page is not the section. Until the reader scrolls,
 * clicks or types (from then on the page stays where they put it), or `KEEP_MS` at most.
 */
export function useKeptInView(id: string | undefined): void {
  useEffect(() => {
    const content = document.querySelector('.options-content');
    if (!id || !content) return;
    const keep = new ResizeObserver(() => document.getElementById(id)?.scrollIntoView({ block: 'start' }));
    const stop = () => {
      clearTimeout(timer);
      keep.disconnect();
      for (const type of OWN_MOVES) removeEventListener(type, stop, true);
    };
    const timer = setTimeout(stop, KEEP_MS);
    keep.observe(content);
    for (const type of OWN_MOVES) addEventListener(type, stop, { capture: true, passive: true });
    return stop;
  }, [id]);
}
