import { pathParts } from './path-parts';

/** A file path that wraps at its separators (a line break opportunity after each), in code type. */
export function Path(props: { value: string }) {
  return (
    <code class="path" title={props.value}>
      {pathParts(props.value).map((part, i) => (
        <span key={i}>
          {part}
          <wbr />
        </span>
      ))}
    </code>
  );
}
