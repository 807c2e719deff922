import { parseAdoUrl, type AdoPage } from '../shared/ado/urls';
import type { FeatureId } from '../shared/messages';
import { selectorsFor } from './anchors';
import type { Feature } from './feature';
import { waitForAnchor, type AnchorSource } from './observe';

/** What the registry needs from the page and the extension; the content script passes the real ones, tests fakes. */
export interface RegistryHost extends AnchorSource {
  url(): string;
  /** The feature switches, asked only when a view has a feature that applies. */
  enabled(): Promise<(id: FeatureId) => boolean>;
  /** A place in the floating dock, removed when `signal` aborts. */
  floatingSlot(feature: Feature, signal: AbortSignal): Element;
  /** Tells the background which anchors were missing: the page kind and the selectors tried there. */
  reportMissing(feature: Feature, page: AdoPage, selectors: string[]): void;
  /** Each new view, with its page (undefined: not an Azure DevOps page we know). */
  onView?(page: AdoPage | undefined): void;
}

export interface RegistryOptions {
  /** How long to wait for an anchor before the feature shows itself floating. */
  anchorTimeoutMs?: number;
  /** A page that re-renders our anchor this many times within two seconds is left alone (it would loop). */
  maxMountsPerView?: number;
  /** Reads a page URL; on Azure DevOps Server it must know the user's servers. */
  parse?: (url: string) => AdoPage | undefined;
}

interface Running {
  feature: Feature;
  /** Ends this feature's whole life in the view. */
  control: AbortController;
  /** The node of the current mount, anchored or floating. */
  root?: Element;
  /**
   * The anchor a mount that drew nothing was given. After Back or Forward the view starts before the
   * page replaces its parts, so that anchor may be the previous page's: once it goes, the feature
   * is tried again on what replaced it.
   */
  idle?: Element;
  /** When it was mounted, latest last. */
  mounts: number[];
}

/** Views are URLs; the fragment is not a view of its own. */
const viewKey = (href: string) => href.split('#')[0] ?? href;

const child = (parent: AbortSignal): AbortController => {
  const c = new AbortController();
  if (parent.aborted) c.abort();
  else parent.addEventListener('abort', () => c.abort(), { once: true, signal: c.signal });
  return c;
};

/**
 * Mounts features once per view. A view starts when the URL changes (in-app navigation included)
 * and ends at the next change, aborting every mount. A mount whose node the page removed (it
 * re-rendered the anchor) starts again in the same view, as does one that drew nothing once the
 * page removed the anchor it was given. Pages where no feature applies cost one
 * string comparison per DOM change.
 */
export function startRegistry(features: readonly Feature[], host: RegistryHost, opts: RegistryOptions = {}): { stop(): void } {
  const timeoutMs = opts.anchorTimeoutMs ?? 5000;
  const maxMounts = opts.maxMountsPerView ?? 20;
  const parse = opts.parse ?? ((url: string) => parseAdoUrl(url));
  const life = new AbortController();
  let view: { key: string; control: AbortController; running: Running[] } | undefined;

  /** False when the feature drew nothing (it has nothing for this page, or failed). */
  function mount(item: Running, anchor: Element, page: AdoPage, floating: boolean, signal: AbortSignal): boolean {
    try {
      // Nothing drawn: not mounted again in this view while its anchor stays (`check`).
      const root = item.feature.mount(anchor, { signal, page, floating });
      item.root = root;
      // The dock's place goes with its mount: only a page's anchor is worth watching.
      item.idle = root || floating ? undefined : anchor;
      if (!root) return false;
      signal.addEventListener('abort', () => root.remove(), { once: true });
      return true;
    } catch (e) {
      console.warn(`Azure DevOps Companion: ${item.feature.id} failed to start`, e);
      return false;
    }
  }

  async function run(item: Running, page: AdoPage): Promise<void> {
    item.mounts.push(Date.now());
    if (item.mounts.length > maxMounts) item.mounts.shift();
    const control = child(item.control.signal);
    const selectors = selectorsFor(item.feature.anchors, page.page);
    let floating: AbortController | undefined;
    const timer = setTimeout(() => {
      host.reportMissing(item.feature, page, selectors);
      floating = child(control.signal);
      if (!mount(item, host.floatingSlot(item.feature, floating.signal), page, true, floating.signal)) floating.abort();
    }, timeoutMs);
    control.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    const anchor = await waitForAnchor(host, selectors, control.signal);
    clearTimeout(timer);
    if (!anchor) return;
    // A late anchor is better than the dock.
    floating?.abort();
    mount(item, anchor, page, false, control.signal);
  }

  async function enter(key: string): Promise<void> {
    const control = child(life.signal);
    const running: Running[] = [];
    view = { key, control, running };
    const page = parse(key);
    host.onView?.(page);
    if (!page) return;
    const url = new URL(key);
    const wanted = features.filter((f) => f.include.some((applies) => applies(page, url)));
    if (wanted.length === 0) return;
    let enabled: (id: FeatureId) => boolean;
    try {
      enabled = await host.enabled();
    } catch {
      // Without an answer (the extension was reloaded), features stay on: off is the user's choice only.
      enabled = () => true;
    }
    if (control.signal.aborted) return;
    for (const feature of wanted) {
      if (!enabled(feature.id)) continue;
      const item: Running = { feature, control: child(control.signal), mounts: [] };
      running.push(item);
      void run(item, page);
    }
  }

  function check(): void {
    const key = viewKey(host.url());
    if (view?.key !== key) {
      view?.control.abort();
      void enter(key);
      return;
    }
    for (const item of view.running) {
      const left = item.root ?? item.idle;
      if (!left || left.isConnected) continue;
      if (item.mounts.length >= maxMounts && Date.now() - item.mounts[0]! < 2000) continue;
      // The page replaced the part we sat in (or the one we were shown and had nothing for): wait for the anchor again, in the same view.
      item.control.abort();
      item.control = child(view.control.signal);
      item.root = undefined;
      item.idle = undefined;
      const page = parse(key);
      if (page) void run(item, page);
    }
  }

  host.watch(check, life.signal);
  check();
  return { stop: () => life.abort() };
}
