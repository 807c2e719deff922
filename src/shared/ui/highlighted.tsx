/** Text with the given letter positions marked (fuzzy-search matches). */
export function Highlighted(props: { text: string; positions: readonly number[] }) {
  if (props.positions.length === 0) return <>{props.text}</>;
  const marked = new Set(props.positions);
  const parts: { text: string; mark: boolean }[] = [];
  for (let i = 0; i < props.text.length; i++) {
    const mark = marked.has(i);
    const last = parts[parts.length - 1];
    if (last && last.mark === mark) last.text += props.text[i];
    else parts.push({ text: props.text[i]!, mark });
  }
  return <>{parts.map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : p.text))}</>;
}
