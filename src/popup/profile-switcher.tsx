import type { Profile } from '../shared/profile';

/** Which profile (identity and organization) the popup works with; the first frame's snapshot has only names. */
export function ProfileSwitcher(props: { profiles: (Pick<Profile, 'id' | 'name'> & Partial<Pick<Profile, 'identity'>>)[]; activeId: string; onChange: (id: string) => void; busy: boolean }) {
  if (props.profiles.length === 1) return <span title={props.profiles[0]!.identity?.displayName}>{props.profiles[0]!.name}</span>;
  return (
    <select
      id="profile-switcher"
      class="profile-switcher"
      aria-label="Profile"
      value={props.activeId}
      disabled={props.busy}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    >
      {props.profiles.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </select>
  );
}
