import { useEffect, useState } from 'preact/hooks';

/**
 * The section the reader is at, for the side menu to mark: the one the address names while its top
 * is in view (a menu link followed to a short section near the end cannot bring it to the top),
 * else the last one at the end of the page (it cannot reach the line either), else the last one
 * whose top has passed a line an eighth of the way down the window. `drawn` turns true once the
 * sections that wait for the profiles are there: until then the page is not where the address
 * says yet, and the one it names stays marked.
 */
export function useCurrentSection(named: string | undefined, drawn: boolean): string | undefined {
  const [current, setCurrent] = useState(named);
  useEffect(() => {
    let frame = 0;
    const measure = () => {
      frame = 0;
      setCurrent(drawn || !named ? sectionAt(named) : named);
    };
    const later = () => {
      frame ||= requestAnimationFrame(measure);
    };
    // A frame on: by then the section the address names has been brought into view (useKeptInView).
    later();
    addEventListener('scroll', later, { passive: true });
    addEventListener('resize', later);
    return () => {
      removeEventListener('scroll', later);
      removeEventListener('resize', later);
      cancelAnimationFrame(frame);
    };
  }, [named, drawn]);
  return current;
}

function sectionAt(named: string | undefined): string | undefined {
  const sections = [...document.querySelectorAll<HTMLElement>('.options-content > section[id]')];
  const top = sections.find((s) => s.id === named)?.getBoundingClientRect().top;
  if (top !== undefined && top > -1 && top < innerHeight) return named;
  const end = scrollY > 0 && Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight - 1;
  if (end) return sections.at(-1)?.id;
  const line = innerHeight / 8;
  return (sections.findLast((s) => s.getBoundingClientRect().top <= line) ?? sections[0])?.id;
}
