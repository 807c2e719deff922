import type { AdoPage } from '../shared/ado/urls';
import type { FeatureId } from '../shared/messages';
import { repoKeyOf } from './repo-on-page';

/**
 * One feature's panel opened from another's (Open in editor's "Clone to desktop"). The openers are
 * kept on the content scripts' global (their own world: pages cannot see it), as the widget roots
 * are, because the buttons are drawn by the script every page loads and the panels by the one
 * loaded on first use.
 */
const OPENERS = Symbol.for('azure-devops-companion.openers');
type Opener = { open: () => void; repo: string };
const openers = (): Map<HTMLElement, Opener> => ((globalThis as Record<symbol, Map<HTMLElement, Opener> | undefined>)[OPENERS] ??= new Map());

/** The repository a feature is drawn for: a hand-off dialog's may be another than the page's. */
const repoOf = (page: AdoPage) => {
  const key = repoKeyOf(page);
  return key ? `${page.orgBaseUrl}|${key.project}|${key.name}`.toLowerCase() : '';
};

/** Registers how the feature drawn at `host` for `page` opens its panel, until `signal` aborts. */
export function setOpener(host: HTMLElement, page: AdoPage, open: () => void, signal: AbortSignal): void {
  openers().set(host, { open, repo: repoOf(page) });
  signal.addEventListener('abort', () => openers().delete(host), { once: true });
}

/** Opens the panel of feature `id` for the same repository as a click on its button would, if the page shows that button. */
export function featureOpener(id: FeatureId, page: AdoPage): (() => void) | undefined {
  const repo = repoOf(page);
  for (const [host, opener] of openers()) if (host.dataset.adoc === id && opener.repo === repo && host.getClientRects().length > 0) return opener.open;
  return undefined;
}
