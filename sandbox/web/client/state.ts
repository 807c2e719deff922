/**
 * The page script's one piece of shared state: which view is current. Every in-app navigation
 * starts a new generation; late parts and fetches of an older generation are dropped, the way a
 * single-page app discards work for a view the user already left.
 */
let generation = 0;

export function currentGeneration(): number {
  return generation;
}

export function nextGeneration(): number {
  generation += 1;
  return generation;
}

export const WEB_ENDPOINT = '/_sandbox/web';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The path and query of a page, as the view and part endpoints take them. */
export function pageUrlOf(href: string): string {
  const u = new URL(href, location.href);
  return u.pathname + u.search;
}

/** A late part or callout of the page at `pageUrl`; undefined when the page has none. */
export async function fetchPart(name: string, pageUrl: string, extra: Record<string, string> = {}): Promise<string | undefined> {
  const q = new URLSearchParams({ slot: name, url: pageUrl, ...extra });
  const res = await fetch(`${WEB_ENDPOINT}/part?${q.toString()}`, { credentials: 'same-origin', headers: { accept: 'text/html' } });
  if (res.status === 401) {
    location.reload();
    return undefined;
  }
  return res.ok ? res.text() : undefined;
}

export function region(name: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-sandbox-region="${name}"]`);
}
