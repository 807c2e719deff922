import { avatarColor, initials } from './avatar';

export function ProjectAvatar(props: { name: string }) {
  return (
    <span class="avatar" style={{ background: avatarColor(props.name) }} aria-hidden="true">
      {initials(props.name)}
    </span>
  );
}
