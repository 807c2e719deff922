/**
 * Plain DOM building for the injected UI (no framework: the content script must stay small), and
 * the widget host every feature draws into: a closed shadow root, so the page's scripts cannot read
 * what we show (local paths, clone URLs) or reach our buttons, and the page's CSS cannot bend it.
 */
export type Child = Node | string | number | null | undefined | false;
type Props = Record<string, string | number | boolean | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = String(value);
    else if (key === 'value' || key === 'textContent') (el as unknown as Record<string, unknown>)[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element | ShadowRoot, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

/** Replaces an element's content. */
export function fill(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

/**
 * Runs `action` for clicks a person made (mouse, touch, Enter or Space on the focused button).
 * Clicks a script synthesised are ignored, so a page cannot start a clone or add a reviewer by itself.
 */
export function onActivate(el: Element, action: (e: MouseEvent) => void, signal: AbortSignal): void {
  el.addEventListener(
    'click',
    (e) => {
      if (!(e as MouseEvent).isTrusted) return;
      action(e as MouseEvent);
    },
    { signal },
  );
}

const hosts = new Set<HTMLElement>();
/**
 * Each widget's closed root, for our own code only (the popover moves the focus into the next
 * widget). Kept on the content scripts' global (their own world: pages cannot see it) because the
 * buttons are drawn by the script every page loads and the panels by the one loaded on first use.
 */
const ROOTS = Symbol.for('azure-devops-companion.roots');
const roots = (): WeakMap<Element, ShadowRoot> => ((globalThis as Record<symbol, WeakMap<Element, ShadowRoot> | undefined>)[ROOTS] ??= new WeakMap());
export const widgetRoot = (host: Element): ShadowRoot | undefined => roots().get(host);
let themeWatch: MutationObserver | undefined;

const isDark = () => {
  const body = document.body;
  return !!body && (body.classList.contains('ms-vss-web-vsts-theme-dark') || /dark/i.test(body.dataset.theme ?? ''));
};

function applyTheme(): void {
  const dark = isDark();
  for (const host of hosts) {
    if (!host.isConnected) hosts.delete(host);
    else host.classList.toggle('adoc-dark', dark);
  }
  if (hosts.size === 0) {
    themeWatch?.disconnect();
    themeWatch = undefined;
  }
}

/**
 * Our stylesheet's text (styles.ts), on the content scripts' global like ROOTS: the script every
 * page loads puts it there (shareStyles, index.ts) and the panels, run in the same world on first
 * use, take it from there rather than carry those 6 KB again.
 */
const SHARED_STYLES = Symbol.for('azure-devops-companion.styles');
export const shareStyles = (css: string) => ((globalThis as Record<symbol, string>)[SHARED_STYLES] = css);
const styles = () => (globalThis as Record<symbol, string | undefined>)[SHARED_STYLES] ?? '';

let sheet: CSSStyleSheet | false | undefined;

/**
 * Our styles in a widget's root: one constructed sheet that every root adopts (parsed once, not
 * once per button), or a `<style>` where a browser refuses a sheet made by a content script.
 */
function styleRoot(root: ShadowRoot): void {
  if (sheet === undefined) {
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(styles());
      root.adoptedStyleSheets = [sheet];
      if (root.adoptedStyleSheets.length === 1) return;
    } catch {
      // Below.
    }
    sheet = false;
  } else if (sheet) {
    root.adoptedStyleSheets = [sheet];
    return;
  }
  root.append(h('style', null, styles()));
}

export interface Widget {
  /** The element to place in the page. */
  host: HTMLElement;
  /** Where the widget draws; closed to the page. */
  root: ShadowRoot;
}

/** A host element with a closed shadow root carrying our styles; follows the page's light/dark theme. */
export function widget(name: string, tag: 'span' | 'div' = 'span'): Widget {
  const host = document.createElement(tag);
  host.className = `adoc-host adoc-${name}`;
  // Marks our nodes so anchors are never looked for inside them.
  host.dataset.adoc = name;
  const root = host.attachShadow({ mode: 'closed' });
  roots().set(host, root);
  styleRoot(root);
  for (const old of hosts) if (!old.isConnected) hosts.delete(old);
  hosts.add(host);
  host.classList.toggle('adoc-dark', isDark());
  if (!themeWatch && document.body) {
    themeWatch = new MutationObserver(applyTheme);
    themeWatch.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-theme'] });
  }
  return { host, root };
}

/**
 * Gives our button the shape of the page's button next to it (weight, size, padding, corners), so
 * it fits whatever markup Azure DevOps has today; colours still follow the theme variables. Read
 * once the browser has laid the page out anyway (before it paints): reading a size right after the
 * page changed would make it lay out the whole page just for us.
 */
export function shapeLike(host: HTMLElement, neighbour: Element | null): void {
  if (!neighbour) return;
  const set = (name: string, value: string) => value && host.style.setProperty(name, value);
  afterLayout(neighbour, (size) => {
    // Only properties that need no layout (the height is the one the browser just reported), read
    // once per neighbour: the buttons beside the same bar share it, and each one's writes would
    // make the next read recompute the page's styles.
    let shape = shapes.get(neighbour);
    if (!shape) {
      const s = getComputedStyle(neighbour);
      shape = { weight: s.fontWeight, size: s.fontSize, pad: s.padding, radius: s.borderRadius, height: `${size.height}px` };
      shapes.set(neighbour, shape);
    }
    set('--adoc-b-weight', shape.weight);
    set('--adoc-b-size', shape.size);
    set('--adoc-b-pad', shape.pad);
    set('--adoc-b-radius', shape.radius);
    set('--adoc-b-height', shape.height);
  });
}

const shapes = new WeakMap<Element, { weight: string; size: string; pad: string; radius: string; height: string }>();

/** An element's border-box size as a ResizeObserver reports it (no layout of its own). */
const borderBox = (entry: ResizeObserverEntry) => ({
  width: entry.borderBoxSize?.[0]?.inlineSize ?? entry.contentRect.width,
  height: entry.borderBoxSize?.[0]?.blockSize ?? entry.contentRect.height,
});

/**
 * Runs `work` once, right after the browser's next layout and before that frame is painted (a
 * ResizeObserver reports there), so sizes read in it cost no layout of their own. Not at all for
 * an element that is not rendered.
 */
export function afterLayout(el: Element, work: (size: { width: number; height: number }) => void): void {
  const once = new ResizeObserver(([entry]) => {
    once.disconnect();
    if (entry) work(borderBox(entry));
  });
  once.observe(el);
}

/**
 * A button label that changes without changing the button's width (so nothing next to it moves):
 * every text it can show takes the same cell, only the current one visible.
 */
export function steadyLabel(texts: readonly string[]): { el: HTMLElement; set(text: string): void } {
  const spans = texts.map((t, i) => h('span', { 'aria-hidden': i === 0 ? null : 'true', style: i === 0 ? null : 'visibility:hidden' }, t));
  const el = h('span', { class: 'adoc-steady' }, spans);
  return {
    el,
    set(text) {
      // The first text that starts like `text` takes it (`Cloning… 45%` uses the `Cloning… 100%` cell).
      const at = Math.max(0, texts.findIndex((t) => t === text || t.split(' ')[0] === text.split(' ')[0]));
      spans.forEach((s, i) => {
        const shown = i === at;
        s.style.visibility = shown ? '' : 'hidden';
        if (shown) {
          s.textContent = text;
          s.removeAttribute('aria-hidden');
        } else s.setAttribute('aria-hidden', 'true');
      });
    },
  };
}

/** Below this header width our header buttons show their icon only. */
export const COMPACT_BELOW_PX = 1000;
/** How much wider the header must grow before a button made compact by a crowded bar shows its label again. */
const REGROW_PX = 240;

/**
 * A header button that shows only its icon while the page header is narrower than
 * `COMPACT_BELOW_PX`, or once Azure DevOps' command bar beside it had to move a command into ⋮
 * (azure-devops-ui leaves a `.responsive-placeholder` where it was), so ours never crowd theirs.
 * It shows its label again only when the header has grown well past that width (no flip-flop).
 * The label stays in the button for screen readers, and as a tooltip.
 */
export function compactWhenNarrow(host: HTMLElement, button: HTMLElement, label: () => string, signal: AbortSignal): void {
  const header = host.closest('.bolt-header') ?? host.parentElement;
  if (!header || signal.aborted) return;
  let crowdedAt: number | undefined;
  // The header's width as the browser last reported it: never read here, which would lay the page out.
  let width = 0;
  const apply = () => {
    // Not before the browser has reported the header once.
    if (!width) return;
    if (crowdedAt !== undefined && width > crowdedAt + REGROW_PX) crowdedAt = undefined;
    if (crowdedAt === undefined && header.querySelector('.responsive-placeholder') && !button.classList.contains('adoc-compact')) crowdedAt = width;
    const compact = width < COMPACT_BELOW_PX || crowdedAt !== undefined;
    if (compact === button.classList.contains('adoc-compact')) return;
    button.classList.toggle('adoc-compact', compact);
    if (compact) button.title = label();
    else button.removeAttribute('title');
  };
  // Sizes are read where the browser reports them (after its layout, and first right after the
  // button went in, before it is painted), never right after a change: that would lay the page out
  // again just for us. The header's changes (a command moved into ⋮) are looked at once a frame.
  const sized = new ResizeObserver(([entry]) => {
    if (entry) width = borderBox(entry).width;
    apply();
  });
  sized.observe(header);
  let frame = 0;
  const changed = new MutationObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(apply);
  });
  changed.observe(header, { childList: true, subtree: true });
  signal.addEventListener('abort', () => (sized.disconnect(), changed.disconnect(), cancelAnimationFrame(frame)), { once: true });
}

/** Puts a widget into the floating dock's slot. */
export function placeFloating(slot: Element, host: HTMLElement): void {
  host.classList.add('adoc-floating');
  slot.append(host);
}

/** Small inline icons (Fluent-like strokes), so nothing is fetched from anywhere. */
const ICONS = {
  download: 'M8 2v8m0 0L5 7m3 3 3-3M3 13h10',
  branch: 'M5 3v10M5 13a1.5 1.5 0 1 0 0-.01M11 3a1.5 1.5 0 1 0 0 .01M11 4.5c0 3-6 2.5-6 6',
  // Forks: two branches joining, apart from a branch's own icon (a pull request page can show both).
  fork: 'M2.5 3a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0-3 0M10.5 3a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0-3 0M6.5 13a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0-3 0M4 4.5v1c0 2.5 4 2 4 4.5v1.5M12 4.5v1c0 2.5-4 2-4 4.5',
  people: 'M6 7a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Zm-4 7c0-2.5 2-4 4-4s4 1.5 4 4M11 3.5a2 2 0 0 1 0 4M12 10c1.5.5 2.5 1.8 2.5 4',
  check: 'M3 8.5 6.5 12 13 4.5',
  open: 'M9 3h4v4M13 3 7 9M11 9v4H3V5h4',
} as const;

export function icon(name: keyof typeof ICONS): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'adoc-icon');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}
