/**
 * Project avatars: initials on a colour picked from the name, so a project keeps its colour
 * wherever it appears. Every colour keeps white initials readable (contrast ≥ 4.5:1).
 */
const PALETTE = ['#005a9e', '#5c2e91', '#005b70', '#8e4a12', '#881798', '#0b6a0b', '#3b3a9c', '#6b5300', '#a4262c', '#4a5459'] as const;

const first = (w: string | undefined) => (w ? [...w][0]!.toLocaleUpperCase() : '');

/** Up to two letters: the first letters of the first two words, or the first letter of a single word. */
export function initials(name: string): string {
  const words = name.split(/[\s\-_.]+/u).filter((w) => w !== '');
  return (words.length >= 2 ? first(words[0]) + first(words[1]) : first(words[0])) || '?';
}

/** A stable colour for a name (FNV-1a over its lower-case form). */
export function avatarColor(name: string): string {
  let hash = 0x811c9dc5;
  for (const ch of name.toLowerCase()) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return PALETTE[hash % PALETTE.length]!;
}
