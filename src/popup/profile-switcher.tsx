import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Profile } from '../shared/profile';

/**
 * Which profile (identity and organization) the popup works with; the first frame's snapshot has only names.
 *
 * Chrome changes a closed select on every arrow key (and letter): a switch reloads every list and
 * is kept for every page, so a profile reached with the keys is only chosen, and switched to on
 * Enter or when the focus leaves. A choice from the open list (a click, or Enter in it) switches at once.
 */
export function ProfileSwitcher(props: { profiles: (Pick<Profile, 'id' | 'name'> & Partial<Pick<Profile, 'identity'>>)[]; activeId: string; onChange: (id: string) => void; busy: boolean }) {
  const select = useRef<HTMLSelectElement>(null);
  // Disabled while a switch runs, it loses the focus: a switch made from the keyboard gives it back
  // once done, as it is drawn enabled (a layout effect, as in useFocusOnChange: not a frame later).
  const refocus = useRef(false);
  useLayoutEffect(() => {
    if (props.busy || !refocus.current) return;
    refocus.current = false;
    select.current?.focus();
  }, [props.busy]);
  // The change a key makes comes while its keydown is handled, before any timer.
  const keyed = useRef(false);
  // Read by the handlers, not from a render: the blur of the select disabled for the switch
  // comes before it is drawn again, and would switch a second time.
  const chosen = useRef<string | undefined>(undefined);
  const [, redraw] = useState(0);
  const choose = (id: string | undefined) => {
    chosen.current = id === props.activeId ? undefined : id;
    redraw((n) => n + 1);
  };
  const commit = (keepFocus: boolean) => {
    const id = chosen.current;
    if (id === undefined) return;
    choose(undefined);
    refocus.current = keepFocus;
    props.onChange(id);
  };
  if (props.profiles.length === 1) return <span title={props.profiles[0]!.identity?.displayName}>{props.profiles[0]!.name}</span>;
  return (
    <select
      id="profile-switcher"
      class="profile-switcher"
      aria-label="Profile"
      ref={select}
      value={chosen.current ?? props.activeId}
      disabled={props.busy}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && chosen.current !== undefined) {
          e.preventDefault();
          commit(true);
        } else if (e.key === 'Escape' && chosen.current !== undefined) {
          e.preventDefault();
          choose(undefined);
        } else {
          keyed.current = true;
          setTimeout(() => (keyed.current = false));
        }
      }}
      onChange={(e) => {
        choose(e.currentTarget.value);
        if (!keyed.current) commit(document.activeElement === e.currentTarget);
      }}
      onBlur={() => commit(false)}
    >
      {props.profiles.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </select>
  );
}
