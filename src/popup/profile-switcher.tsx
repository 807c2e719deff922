import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Profile } from '../shared/profile';

/** Which profile (identity and organization) the popup works with; the first frame's snapshot has only names. */
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
  if (props.profiles.length === 1) return <span title={props.profiles[0]!.identity?.displayName}>{props.profiles[0]!.name}</span>;
  return (
    <select
      id="profile-switcher"
      class="profile-switcher"
      aria-label="Profile"
      ref={select}
      value={props.activeId}
      disabled={props.busy}
      onChange={(e) => {
        refocus.current = document.activeElement === e.currentTarget;
        props.onChange(e.currentTarget.value);
      }}
    >
      {props.profiles.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </select>
  );
}
