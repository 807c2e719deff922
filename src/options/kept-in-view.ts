import { useEffect, useRef } from 'preact/hooks';

/** What a reader does to scroll, or to go elsewhere on the page, by themselves. */
const OWN_MOVES = ['wheel', 'touchstart', 'pointerdown', 'keydown'] as const;
/**
 * Long enough for every section to draw (the companion's status included, which may start it);
 * after that a change of size is the page answering the reader (a poll, a note), and a reader whose
 * moves send none of the events above (a screen reader's own cursor) must not be pulled back.
 */
export const KEEP_MS = 8000;

/** Where the page is scrolled to, and how tall it is then. */
export type Spot = { y: number; height: number };

/**
 * `loading`: the page was opened at its address, and the browser may still move it as it draws (to
 * where it was before a reload, to the #hash): the section is brought into view once drawn, whatever
 * the reader did meanwhile (they may have begun typing in a field). `followed`: the address has changed (a link was
 * followed), and since then only the browser and the page have moved the page, last to `at`; the
 * section is kept once drawn. `kept`: the section `id` is kept in place, the page last at `at`, until
 * the time `until` (performance.now()). `left`: the reader has moved the page by themselves, or the
 * keeping is over: it stays where it is.
 */
export type Keeping = { kind: 'loading' } | { kind: 'followed'; at: Spot } | { kind: 'kept'; id: string; at: Spot; until: number } | { kind: 'left' };

/**
 * After a scroll to `now`: a move of the reader's own (whatever they moved the page with: the wheel,
 * keys, a touch, the scrollbar, assistive technology), unless the page changed height meanwhile,
 * which moves it too (scroll anchoring keeping what is in view, the end of the page coming closer).
 */
export function afterScroll(keeping: Keeping, now: Spot): Keeping {
  if (keeping.kind !== 'followed' && keeping.kind !== 'kept') return keeping;
  return now.height === keeping.at.height && Math.abs(now.y - keeping.at.y) >= 1 ? { kind: 'left' } : { ...keeping, at: now };
}

/**
 * Keeps the section `id` names where it was brought into view (at the top, or as far up as the page
 * goes) while sections drawn later grow the page around it: the browser's scroll anchoring keeps
 * what is in view, which near the end of the page is not the section. Until the reader scrolls
 * (however: see afterScroll), clicks or types (from then on the page stays where they put it), or
 * `KEEP_MS` at most. When a link is followed, that counts from the change of address on, not from
 * when the section is drawn, frames later: the reader may have scrolled on already.
 */
export function useKeptInView(id: string | undefined): void {
  const keeping = useRef<Keeping>({ kind: 'loading' });
  useEffect(() => {
    const content = document.querySelector('.options-content');
    if (!content) return;
    const followed = () => (keeping.current = jumpedTo(location.hash.slice(1)) ? { kind: 'followed', at: spot() } : { kind: 'left' });
    const moved = () => {
      if (keeping.current.kind !== 'loading') keeping.current = { kind: 'left' };
    };
    const scrolled = () => (keeping.current = afterScroll(keeping.current, spot()));
    const grown = new ResizeObserver(() => {
      const now = keeping.current;
      if (now.kind === 'kept') keeping.current = performance.now() < now.until ? keep(now.id, now.until) : { kind: 'left' };
    });
    grown.observe(content);
    addEventListener('hashchange', followed);
    addEventListener('scroll', scrolled, { passive: true });
    for (const type of OWN_MOVES) addEventListener(type, moved, { capture: true, passive: true });
    return () => {
      grown.disconnect();
      removeEventListener('hashchange', followed);
      removeEventListener('scroll', scrolled);
      for (const type of OWN_MOVES) removeEventListener(type, moved, true);
    };
  }, []);
  useEffect(() => {
    if (!id) return;
    // In a frame, as the focus is put there (options.tsx): drawn behind another tab, the page has
    // none until it is in front, and brings the section into view then.
    const frame = requestAnimationFrame(() => {
      const { kind } = keeping.current;
      if (kind === 'loading' || kind === 'followed') keeping.current = keep(id, performance.now() + KEEP_MS);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (keeping.current.kind === 'kept') keeping.current = { kind: 'left' };
    };
  }, [id]);
}

const spot = (): Spot => ({ y: scrollY, height: document.documentElement.scrollHeight });

/** Brings the section to the top, or as far up as the page goes, and says where that left the page. */
function keep(id: string, until: number): Keeping {
  document.getElementById(id)?.scrollIntoView({ block: 'start' });
  return { kind: 'kept', id, at: spot(), until };
}

/**
 * Whether the page is still where the browser's jump to `#target` left it: the element at the top,
 * or below it at the end of the page (a target no element has is not jumped to). The reader's input
 * can come in before the page hears of the change of address.
 */
function jumpedTo(target: string): boolean {
  const top = document.getElementById(target)?.getBoundingClientRect().top;
  if (top === undefined || Math.abs(top) < 1) return true;
  return top > 0 && Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight - 1;
}
