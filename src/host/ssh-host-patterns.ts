/**
 * Which `Host` lines of an ssh config apply to a host name, decided as OpenSSH decides it
 * (ssh_config(5), PATTERNS; readconf.c, match.c), so the companion never says ssh uses a key that
 * ssh would not use, nor misses one that it would.
 */

/**
 * The words of a config line after its keyword, as ssh splits them: spaces and tabs separate, `"`
 * and `'` quote, a backslash escapes a quote, a backslash or (unquoted) a space, and a word that
 * starts with `#` ends the line. Undefined for an unterminated quote, which ssh refuses.
 */
export function configWords(text: string): string[] | undefined {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ' || text[i] === '\t') {
      i++;
      continue;
    }
    if (text[i] === '#') break;
    let word = '';
    let quote: string | undefined;
    for (; i < text.length && (quote !== undefined || (text[i] !== ' ' && text[i] !== '\t')); i++) {
      const c = text[i]!;
      const next = text[i + 1];
      if (c === '\\' && next !== undefined && (next === '"' || next === "'" || next === '\\' || (quote === undefined && next === ' '))) word += text[++i];
      else if (quote === undefined && (c === '"' || c === "'")) quote = c;
      else if (c === quote) quote = undefined;
      else word += c;
    }
    if (quote !== undefined) return undefined;
    words.push(word);
  }
  return words;
}

/**
 * A line of an ssh config as ssh reads it: its keyword, in lower case (ssh's keywords ignore case),
 * then spaces, tabs and at most one `=` (`IdentityFile=~/.ssh/a`), then its words (configWords).
 * Undefined for a blank line or a comment.
 */
export function configLine(line: string): { keyword: string; words: string[] | undefined } | undefined {
  // Tried only where a run of blanks starts: from every blank of a long run, to the run's end, is quadratic.
  const parts = /^[ \t]*([^ \t"=]+)[ \t]*=?[ \t]*(.*)$/s.exec(line.replace(/(?<![ \t\r\n\f])[ \t\r\n\f]+$/, ''));
  if (!parts || parts[1]!.startsWith('#')) return undefined;
  return { keyword: parts[1]!.toLowerCase(), words: configWords(parts[2]!) };
}

/** One part of a pattern: `*`, any run of characters, or a test of exactly one character. */
export type PatternPart = '*' | ((c: string) => boolean);

/**
 * Whether all of `name` matches `parts`, in at most (name length × parts) steps. A regular
 * expression of a pattern such as `*a*a*a*a*a*a*a*b` backtracks for minutes, and the companion
 * answers nothing meanwhile. Here a mismatch after a `*` only ever lets the latest `*` take one
 * more character: what earlier ones took can only be shifted into it.
 */
export function matchesParts(name: string, parts: readonly PatternPart[]): boolean {
  let n = 0;
  let p = 0;
  // The latest `*` met, and where in `name` the parts after it are being tried.
  let star = -1;
  let from = 0;
  while (n < name.length) {
    const part = parts[p];
    if (part === '*') {
      star = p++;
      from = n;
    } else if (part?.(name[n]!)) {
      n++;
      p++;
    } else if (star >= 0) {
      p = star + 1;
      n = ++from;
    } else return false;
  }
  while (parts[p] === '*') p++;
  return p === parts.length;
}

/**
 * Whether `name` matches `pattern`: `*` stands for any run of characters, `?` for exactly one,
 * anything else for itself, case and all. ssh compares a `Host` pattern with the host name as it
 * was given (lower case in Azure DevOps clone URLs): `Host SSH.dev.azure.com` does not serve them.
 */
export function matchesPattern(name: string, pattern: string): boolean {
  const parts = pattern.split('').map((c): PatternPart => (c === '*' ? '*' : c === '?' ? () => true : (d) => d === c));
  return matchesParts(name, parts);
}

/**
 * Whether a `Host` line with these patterns applies to `host`: one of its patterns matches, and
 * none of its negated ones (`!pattern`) does; a negated match rules the whole line out, so a line
 * of negated patterns alone applies to no host.
 */
export function hostLineApplies(patterns: readonly string[], host: string): boolean {
  let applies = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (!matchesPattern(host, negated ? pattern.slice(1) : pattern)) continue;
    if (negated) return false;
    applies = true;
  }
  return applies;
}
