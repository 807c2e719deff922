import { useRef } from 'preact/hooks';

export interface TabDef<K extends string> {
  id: K;
  label: string;
}

/** A tab strip: arrow keys, Home and End move between tabs (and select them), Tab leaves the strip. */
export function Tabs<K extends string>(props: { tabs: TabDef<K>[]; selected: K; onSelect: (id: K) => void; label: string }) {
  const strip = useRef<HTMLDivElement>(null);
  const focusTab = (index: number) => {
    const tab = props.tabs[(index + props.tabs.length) % props.tabs.length]!;
    props.onSelect(tab.id);
    strip.current?.querySelector<HTMLElement>(`#tab-${tab.id}`)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const at = props.tabs.findIndex((t) => t.id === props.selected);
    const moves: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: props.tabs.length - 1 };
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    focusTab(next);
  };
  return (
    <div class="tabs" role="tablist" aria-label={props.label} ref={strip} onKeyDown={onKeyDown}>
      {props.tabs.map((t) => (
        <button
          key={t.id}
          id={`tab-${t.id}`}
          type="button"
          role="tab"
          aria-selected={t.id === props.selected}
          aria-controls={`panel-${t.id}`}
          data-label={t.label}
          tabIndex={t.id === props.selected ? 0 : -1}
          onClick={() => props.onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
