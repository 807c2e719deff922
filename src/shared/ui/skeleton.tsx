/** Placeholder rows with the height of real ones, so nothing jumps when data arrives. */
export function SkeletonRows(props: { count: number; label: string }) {
  return (
    <ul class="list" aria-busy="true" aria-label={props.label}>
      {Array.from({ length: props.count }, (_, i) => (
        <li key={i} aria-hidden="true">
          <span class="avatar skeleton" />
          <span class="main">
            <span class="skeleton line" style={{ display: 'block', width: `${55 + ((i * 17) % 35)}%` }} />
            <span class="skeleton line" style={{ display: 'block', width: `${30 + ((i * 11) % 25)}%` }} />
          </span>
        </li>
      ))}
    </ul>
  );
}
