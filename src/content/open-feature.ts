import type { FeatureId } from '../shared/messages';

/**
 * One feature's panel opened from another's (Open in editor's "Clone to desktop"). The openers are
 * kept on the content scripts' global (their own world: pages cannot see it), as the widget roots
 * are, because the buttons are drawn by the script every page loads and the panels by the one
 * loaded on first use.
 */
const OPENERS = Symbol.for('azure-devops-companion.openers');
const openers = (): Map<HTMLElement, () => void> => ((globalThis as Record<symbol, Map<HTMLElement, () => void> | undefined>)[OPENERS] ??= new Map());

/** Registers how the feature drawn at `host` opens its panel, until `signal` aborts. */
export function setOpener(host: HTMLElement, open: () => void, signal: AbortSignal): void {
  openers().set(host, open);
  signal.addEventListener('abort', () => openers().delete(host), { once: true });
}

/** Opens the panel of feature `id` as a click on its button would, if the page shows that button. */
export function featureOpener(id: FeatureId): (() => void) | undefined {
  for (const [host, open] of openers()) if (host.dataset.adoc === id && host.getClientRects().length > 0) return open;
  return undefined;
}
