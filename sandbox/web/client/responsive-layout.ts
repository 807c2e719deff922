/**
 * azure-devops-ui's ResponsiveLayout as its HeaderCommandBar uses it (MARKUP.md, source UI; U for
 * `display:none`): the layout knows its items by index and measures `group.children[i]` for item i;
 * the items that do not fit, from the first that does not on, are replaced by an empty
 * `div.responsive-placeholder` and listed first in the ⋮ menu, in their order; an item whose style
 * is `display:none` goes into ⋮ too. It lays out again whenever the bar's width changes.
 *
 * A node someone else inserts among the group's children shifts every index after it: the layout
 * then measures the wrong nodes, as the real one does, and says so on the console (the way React
 * warns), so a test can see it.
 */
interface Layout {
  group: HTMLElement;
  /** The commands, then ⋮ last: what React rendered, by index. */
  items: HTMLElement[];
  more: HTMLElement;
  placeholders: Map<number, HTMLElement>;
}

const layouts = new WeakMap<Element, Layout>();

/** Takes over the command bars under `root` that were just drawn (before any other script touched them). */
export function adoptCommandBars(root: ParentNode): void {
  for (const group of root.querySelectorAll<HTMLElement>('[data-sandbox-responsive]')) {
    if (layouts.has(group)) continue;
    const children = [...group.children] as HTMLElement[];
    const more = children.pop();
    if (!more || !group.parentElement) continue;
    const l: Layout = { group, items: children, more, placeholders: new Map() };
    layouts.set(group, l);
    new ResizeObserver(() => layout(l)).observe(group.parentElement);
  }
}

/** The commands of the ⋮ menu's bar that are in ⋮ now, in their order. */
export function overflowed(moreButton: Element): HTMLElement[] {
  const group = moreButton.closest('[data-sandbox-responsive]');
  const l = group && layouts.get(group);
  return l ? [...l.placeholders.keys()].toSorted((a, b) => a - b).map((i) => l.items[i]!) : [];
}

function layout(l: Layout): void {
  const { group } = l;
  if (!group.isConnected) return;
  // React renders every item again, then measures.
  for (const [i, placeholder] of l.placeholders) if (placeholder.isConnected) placeholder.replaceWith(l.items[i]!);
  l.placeholders.clear();
  const kids = [...group.children] as HTMLElement[];
  const expected = [...l.items, l.more];
  const off = expected.findIndex((node, i) => kids[i] !== node);
  if (off >= 0 || kids.length !== expected.length) {
    console.error(`ResponsiveLayout: the command bar's child ${off >= 0 ? off : expected.length} is not its item: a node was inserted among its children, so its items are measured at the wrong indices`);
  }
  // By DOM index, like the real one.
  const width = (i: number) => (kids[i] ? kids[i].getBoundingClientRect().width + 8 : 0);
  const available = group.parentElement!.clientWidth - width(l.items.length);
  let used = 0;
  let fits = true;
  for (let i = 0; i < l.items.length; i++) {
    const node = kids[i];
    const hidden = !!node && getComputedStyle(node).display === 'none';
    if (!hidden) used += width(i);
    if (hidden || !fits || used > available) {
      if (!hidden) fits = false;
      const placeholder = document.createElement('div');
      placeholder.className = 'responsive-placeholder';
      l.items[i]!.replaceWith(placeholder);
      l.placeholders.set(i, placeholder);
    }
  }
}
