/**
 * A small fuzzy matcher for names: the query's letters must appear in order (a subsequence), and
 * matches score higher at word starts (after a space, `-`, `_`, `.`, `/` or a lower→upper case
 * change), at the very start, and in runs of consecutive letters; gaps cost a little. Scoring is
 * one pass of dynamic programming over query × name, so it stays fast for thousands of names.
 * Names are prepared once (lower case, word starts) and searched many times.
 */

export interface Prepared {
  text: string;
  lower: string;
  /** Bonus for a match at each position: start of name, start of a word, or neither. */
  bonus: Int8Array;
}

export interface Match {
  score: number;
  /** Indexes into `text` of the matched letters, for highlighting. */
  positions: number[];
}

const SCORE_MATCH = 16;
const BONUS_START = 10;
const BONUS_BOUNDARY = 8;
const BONUS_CAMEL = 7;
const BONUS_CONSECUTIVE = 5;
/** The first query letter counts its position bonus twice: where a match begins matters most. */
const FIRST_LETTER_MULTIPLIER = 2;
const GAP_START = -3;
const GAP_EXTEND = -1;
const BONUS_EXACT = 40;
const BONUS_PREFIX = 20;
const NONE = -1e9;

const isSeparator = (ch: string) => ch === ' ' || ch === '-' || ch === '_' || ch === '.' || ch === '/' || ch === '\\' || ch === ':';
const isLowerLetter = (ch: string) => ch !== ch.toUpperCase() && ch === ch.toLowerCase();
const isUpperLetter = (ch: string) => ch !== ch.toLowerCase() && ch === ch.toUpperCase();
const isDigit = (ch: string) => ch >= '0' && ch <= '9';

// Two rows reused across calls: searching thousands of names allocates nothing per name.
let rows: [Float64Array, Float64Array] = [new Float64Array(64), new Float64Array(64)];
function scratchRows(m: number): [Float64Array, Float64Array] {
  if (rows[0].length < m) rows = [new Float64Array(m * 2), new Float64Array(m * 2)];
  return [rows[0], rows[1]];
}

export function prepare(text: string): Prepared {
  const lower = text.toLowerCase();
  // Lower-casing can change the length of some letters (İ → i̇); positions then follow the lower form.
  const chars = lower.length === text.length ? text : lower;
  const bonus = new Int8Array(lower.length);
  for (let i = 0; i < lower.length; i++) {
    const ch = chars[i]!;
    const prev = i > 0 ? chars[i - 1]! : '';
    if (i === 0) bonus[i] = BONUS_START;
    else if (isSeparator(prev) && !isSeparator(ch)) bonus[i] = BONUS_BOUNDARY;
    else if ((isLowerLetter(prev) && isUpperLetter(ch)) || (!isDigit(prev) && isDigit(ch))) bonus[i] = BONUS_CAMEL;
  }
  return { text, lower, bonus };
}

/** Whether `query` (lower case) is a subsequence of `lower`: a cheap test before scoring. */
export function isSubsequence(query: string, lower: string): boolean {
  let at = 0;
  for (const ch of query) {
    at = lower.indexOf(ch, at);
    if (at < 0) return false;
    at += 1;
  }
  return true;
}

/**
 * Scores `query` against a prepared name; undefined when it does not match. `query` must be lower
 * case and non-empty. Ask for `positions` only for what is shown: it keeps the whole table.
 */
export function fuzzyMatch(query: string, target: Prepared, withPositions = false): Match | undefined {
  const n = query.length;
  const m = target.lower.length;
  if (n === 0 || n > m || !isSubsequence(query, target.lower)) return undefined;
  const { lower, bonus } = target;

  // row[j]: best score with query[0..i] matched and query[i] at j (NONE when impossible).
  let [prev, row] = scratchRows(m);
  prev.fill(NONE, 0, m);
  // from[i*m + j]: where query[i-1] was matched for the best score at (i, j).
  const from = withPositions ? new Int32Array(n * m).fill(-1) : undefined;

  for (let j = 0; j < m; j++) {
    if (lower[j] === query[0]) prev[j] = SCORE_MATCH + bonus[j]! * FIRST_LETTER_MULTIPLIER;
  }
  for (let i = 1; i < n; i++) {
    row.fill(NONE, 0, m);
    const q = query[i];
    // Best score of query[i-1] matched at some k ≤ j-2, minus the cost of the gap up to j.
    let gapBest = NONE;
    let gapFrom = -1;
    for (let j = i; j < m; j++) {
      if (j >= 2) {
        const extended = gapBest + GAP_EXTEND;
        const started = prev[j - 2]! + GAP_START;
        if (started >= extended) {
          gapBest = started;
          gapFrom = j - 2;
        } else {
          gapBest = extended;
        }
      }
      if (lower[j] !== q) continue;
      const consecutive = prev[j - 1]! + BONUS_CONSECUTIVE;
      const base = SCORE_MATCH + bonus[j]!;
      if (consecutive >= gapBest && prev[j - 1]! > NONE) {
        row[j] = base + consecutive;
        if (from) from[i * m + j] = j - 1;
      } else if (gapBest > NONE / 2) {
        row[j] = base + gapBest;
        if (from) from[i * m + j] = gapFrom;
      }
    }
    [prev, row] = [row, prev];
  }

  let best = NONE;
  let end = -1;
  for (let j = 0; j < m; j++) {
    if (prev[j]! > best) {
      best = prev[j]!;
      end = j;
    }
  }
  if (end < 0) return undefined;
  let score = best;
  if (lower === query) score += BONUS_EXACT;
  else if (lower.startsWith(query)) score += BONUS_PREFIX;

  const positions: number[] = [];
  if (from) {
    for (let i = n - 1, j = end; i >= 0 && j >= 0; i--) {
      positions.push(j);
      j = i > 0 ? from[i * m + j]! : -1;
    }
    positions.reverse();
  }
  return { score, positions };
}
