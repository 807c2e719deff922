import { adoptCommandBars } from './responsive-layout';
import { currentGeneration, fetchPart, sleep } from './state';

/**
 * Fills every late part (`[data-sandbox-slot]`) under `root`: each is fetched at once but shown
 * no earlier than its random delay, replacing its placeholder; parts of a view the user has left
 * are dropped.
 */
export function fillSlots(root: ParentNode, pageUrl: string, generation = currentGeneration()): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-sandbox-slot]')) void fillSlot(el, pageUrl, generation);
}

async function fillSlot(el: HTMLElement, pageUrl: string, generation: number): Promise<void> {
  const [min = 0, max = min] = (el.dataset.sandboxDelay ?? '0-0').split('-').map(Number);
  const started = performance.now();
  const name = el.dataset.sandboxSlot ?? '';
  const html = await fetchPart(name, pageUrl).catch(() => undefined);
  const wait = min + Math.random() * (max - min) - (performance.now() - started);
  if (wait > 0) await sleep(wait);
  if (generation !== currentGeneration() || !el.isConnected) return;
  if (html === undefined) return el.remove();
  const parent = el.parentElement;
  el.outerHTML = html;
  // In the same task: the layout knows its items before any other script sees them.
  if (parent) adoptCommandBars(parent);
}

/** Renders one named part again (after an action changed its data), keeping its place. */
export async function refreshPart(current: Element, name: string, pageUrl: string): Promise<void> {
  const generation = currentGeneration();
  const html = await fetchPart(name, pageUrl).catch(() => undefined);
  if (html === undefined || generation !== currentGeneration() || !current.isConnected) return;
  const parent = current.parentElement;
  current.outerHTML = html;
  if (parent) adoptCommandBars(parent);
}
