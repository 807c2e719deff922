import type { Feature } from './feature';
import { h, widget, type Widget } from './ui/dom';

/**
 * Where features go when the page's layout was not recognised (none of their anchors appeared):
 * a small panel at the bottom right, so a changed Azure DevOps degrades a feature instead of
 * hiding it. It exists only while some feature sits in it.
 */
export function floatingDock(): (feature: Feature, signal: AbortSignal) => Element {
  let dock: (Widget & { list: HTMLElement }) | undefined;
  return (feature, signal) => {
    if (!dock) {
      const w = widget('dock', 'div');
      const list = h(
        'div',
        { class: 'adoc-dock', role: 'region', 'aria-label': 'Azure DevOps Companion' },
        h('div', { class: 'adoc-muted', title: "This page's layout was not recognised, so the extension's buttons are shown here." }, 'Azure DevOps Companion'),
      );
      w.root.append(list);
      document.body.append(w.host);
      dock = { ...w, list };
    }
    const current = dock;
    const slot = h('div', { class: 'adoc-row', 'data-feature': feature.id });
    current.list.append(slot);
    // Which features float, visible to the page (the live check reads it; nothing private).
    const mark = () => (current.host.dataset.features = [...current.list.querySelectorAll<HTMLElement>('[data-feature]')].map((s) => s.dataset.feature).join(' '));
    mark();
    signal.addEventListener(
      'abort',
      () => {
        slot.remove();
        mark();
        if (!current.list.querySelector('[data-feature]')) {
          current.host.remove();
          if (dock === current) dock = undefined;
        }
      },
      { once: true },
    );
    return slot;
  };
}
