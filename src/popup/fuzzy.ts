/**
 * A small fuzzy matcher for names: the query's letters must appear in order (a subsequence), and
 * matches score higher at word starts (after a space, `-`, `_`, `.`, `/` or a lower→upper case
 * change), at the very start, and in runs of consecutive letters; gaps cost a little. Scoring is
 * dynamic programming over query × name. Names are prepared once (lower case, word starts) and
 * searched many times, laid out in flat columns (`nameColumns`) which a search over thousands of
 * names reads in order instead of chasing objects.
 */

/** A name and its lower case, which matching reads (positions are indexes into `lower`). */
export interface Prepared {
  text: string;
  lower: string;
}

export interface Match {
  score: number;
  /** Indexes into `text` of the matched letters, for highlighting. */
  positions: number[];
}

/**
 * What `scoreAt` returns for no match: lower than any score, and a small integer to V8 (-Infinity
 * would be a new heap number each time a score crosses a call).
 */
export const NO_MATCH = -(2 ** 30);

const SCORE_MATCH = 16;
const BONUS_START = 10;
const BONUS_BOUNDARY = 8;
const BONUS_CAMEL = 7;
const BONUS_CONSECUTIVE = 5;
/** The first query letter counts its position bonus twice: where a match begins matters most. */
const FIRST_LETTER_MULTIPLIER = 2;
const GAP_START = -3;
/** Cost of each further letter skipped (kept positive: multiplying 0 by a negative makes -0, which V8 deoptimises on). */
const GAP_EXTEND_COST = 1;
const BONUS_EXACT = 40;
const BONUS_PREFIX = 20;
const NONE = -1e9;

const OTHER = 0;
const SEPARATOR = 1;
const LOWER = 2;
const UPPER = 3;
const DIGIT = 4;

/** Whether a code is one of the separators `charClass` knows (space - . / : \ _). */
const isSeparatorCode = (c: number) => c === 32 || c === 45 || c === 46 || c === 47 || c === 58 || c === 92 || c === 95;

/** The class of `text[at]` for word starts: ASCII by code, the rest by case mapping. */
function charClass(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c < 128) {
    if (c >= 97 && c <= 122) return LOWER;
    if (c >= 65 && c <= 90) return UPPER;
    if (c >= 48 && c <= 57) return DIGIT;
    return isSeparatorCode(c) ? SEPARATOR : OTHER;
  }
  const ch = text[at]!;
  if (ch !== ch.toUpperCase() && ch === ch.toLowerCase()) return LOWER;
  if (ch !== ch.toLowerCase() && ch === ch.toUpperCase()) return UPPER;
  return OTHER;
}

export function prepare(text: string): Prepared {
  return { text, lower: text.toLowerCase() };
}

/** The `charMask` bit of a letter a–z (which has a bit of its own), or 0. */
const letterBit = (c: number) => (c >= 97 && c <= 122 ? 1 << (c - 97) : 0);

/**
 * One bit per letter a–z, three bits shared by the digits, one bit for everything else: a name can
 * only contain a query whose bits it has all of. A necessary test, never a sufficient one. Thirty
 * bits, so that V8 keeps masks as small integers.
 */
function charBit(c: number): number {
  if (c >= 97 && c <= 122) return 1 << (c - 97);
  if (c >= 48 && c <= 57) return 1 << (26 + ((c - 48) % 3));
  return 1 << 29;
}

function charMask(lower: string): number {
  let mask = 0;
  for (let i = 0; i < lower.length; i++) mask |= charBit(lower.charCodeAt(i));
  return mask;
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Whether `query` (lower case) is a subsequence of `lower`, character by character (a surrogate
 * pair is one character): what matching means. A subsequence of a subsequence is one too, which
 * lets a search narrow from an earlier query's matches.
 */
export function isSubsequence(query: string, lower: string): boolean {
  let at = 0;
  for (let i = 0; i < query.length; i++) {
    const pair = isHighSurrogate(query.charCodeAt(i)) && i + 1 < query.length && isLowSurrogate(query.charCodeAt(i + 1));
    const ch = pair ? query.slice(i, i + 2) : query[i]!;
    at = lower.indexOf(ch, at);
    if (at < 0) return false;
    at += ch.length;
    if (pair) i++;
  }
  return true;
}

/** Many prepared names in flat arrays, name `i` at `codes[start[i] .. start[i] + length[i]]`. */
export interface NameColumns {
  names: readonly Prepared[];
  /** Lower-case letters (UTF-16 code units), all names end to end. */
  codes: Uint16Array;
  /** Bonus for a match at each letter: start of name, start of a word, camel-case hump, or none. */
  bonus: Int8Array;
  start: Int32Array;
  length: Int32Array;
  /** Per name: `charMask(lower)`, and the letters a–z (as mask bits) found at a word start / at a hump. */
  mask: Int32Array;
  wordStarts: Int32Array;
  humps: Int32Array;
  /**
   * Where each letter a–z first and last occurs in name `i`: `spans[i * 52 + 2 * letter]` and the
   * next byte (empty, 255..0, when absent), so scoring reads only that stretch. Names longer than
   * MAX_SPAN are read whole.
   */
  spans: Uint8Array;
  /**
   * The same first places letter by letter, for every name: `firsts[letter * count + i]` (and
   * `lasts`), and each name's first letter (0 when empty). A two-letter test over thousands of
   * names then reads a few bytes a name, front to back, instead of a stretch of `spans` each.
   */
  firsts: Uint8Array;
  lasts: Uint8Array;
  heads: Uint16Array;
}

const MAX_SPAN = 254;

export function nameColumns(names: readonly Prepared[]): NameColumns {
  let total = 0;
  for (const name of names) total += name.lower.length;
  const count = names.length;
  const cols: NameColumns = {
    names,
    codes: new Uint16Array(total),
    bonus: new Int8Array(total),
    start: new Int32Array(count),
    length: new Int32Array(count),
    mask: new Int32Array(count),
    wordStarts: new Int32Array(count),
    humps: new Int32Array(count),
    spans: new Uint8Array(count * 52),
    firsts: new Uint8Array(count * 26).fill(255),
    lasts: new Uint8Array(count * 26),
    heads: new Uint16Array(count),
  };
  let at = 0;
  names.forEach(({ text, lower }, i) => {
    // Lower-casing can change the length of some letters (İ → i̇); word starts then follow the lower form.
    const chars = lower.length === text.length ? text : lower;
    let mask = 0;
    let wordStarts = 0;
    let humps = 0;
    let prev = OTHER;
    const spans = i * 52;
    for (let letter = 0; letter < 26; letter++) cols.spans[spans + 2 * letter] = 255;
    for (let j = 0; j < lower.length; j++) {
      const c = lower.charCodeAt(j);
      const cls = charClass(chars, j);
      cols.codes[at + j] = c;
      if (c >= 97 && c <= 122 && j <= MAX_SPAN) {
        const span = spans + 2 * (c - 97);
        if (cols.spans[span] === 255) cols.spans[span] = cols.firsts[(c - 97) * count + i] = j;
        cols.spans[span + 1] = cols.lasts[(c - 97) * count + i] = j;
      }
      mask |= charBit(c);
      if (j === 0) cols.bonus[at] = BONUS_START;
      else if (prev === SEPARATOR && cls !== SEPARATOR) {
        cols.bonus[at + j] = BONUS_BOUNDARY;
        wordStarts |= letterBit(c);
      } else if ((prev === LOWER && cls === UPPER) || (prev !== DIGIT && cls === DIGIT)) {
        cols.bonus[at + j] = BONUS_CAMEL;
        humps |= letterBit(c);
      }
      prev = cls;
    }
    cols.start[i] = at;
    cols.length[i] = lower.length;
    cols.heads[i] = lower.length > 0 ? lower.charCodeAt(0) : 0;
    cols.mask[i] = mask;
    cols.wordStarts[i] = wordStarts;
    cols.humps[i] = humps;
    at += lower.length;
  });
  return cols;
}

/** A query word (lower case), looked at once for all the names it is scored against. */
export interface FuzzyQuery {
  text: string;
  mask: number;
  /** The letter's code when the query is one letter a–z, else -1. */
  letter: number;
  /** Surrogate pairs must match whole, which the letter-by-letter programme does not check. */
  surrogates: boolean;
}

export function fuzzyQuery(text: string): FuzzyQuery {
  let surrogates = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) surrogates = true;
  }
  return { text, mask: charMask(text), letter: text.length === 1 && letterBit(text.charCodeAt(0)) ? text.charCodeAt(0) : -1, surrogates };
}

// The programme's cells, row after row, reused across calls: scoring thousands of names allocates nothing.
let cellAt = new Int32Array(256);
let cellScore = new Float64Array(256);
let cellFrom = new Int32Array(256);

/**
 * Dynamic programming over `query` (length 1..m) and the name at `codes[start .. start + m]`,
 * visiting only where the query's letters occur. Row i holds each position j where query[i] can
 * be matched after query[0..i-1], with the best score of such a match and the cell of query[i-1]
 * it came from. Matching query[i] at j scores SCORE_MATCH + bonus[j], plus BONUS_CONSECUTIVE
 * right after the previous letter, or GAP_START − (j − k − 2) · GAP_EXTEND_COST after a gap from
 * k; so the best gap into j is max(score[k] + k · GAP_EXTEND_COST) + GAP_START − (j − 2) ·
 * GAP_EXTEND_COST over k ≤ j − 2, the maximum kept running while both rows are walked in step.
 * Ties go to the consecutive letter, then to the latest gap.
 * Returns the cell of the best last letter (the first of equals), or -1 when there is no match.
 */
function bestEnd(query: string, cols: NameColumns, i: number): number {
  const n = query.length;
  const m = cols.length[i]!;
  const start = cols.start[i]!;
  const { codes, bonus, spans } = cols;
  const spanned = m <= MAX_SPAN;
  if (cellAt.length < n * m) {
    cellAt = new Int32Array(n * m * 2);
    cellScore = new Float64Array(n * m * 2);
    cellFrom = new Int32Array(n * m * 2);
  }
  const at = cellAt;
  const score = cellScore;
  const from = cellFrom;
  let rowStart = 0;
  let rowEnd = 0;
  for (let letter = 0; letter < n && (letter === 0 || rowEnd > rowStart); letter++) {
    const q = query.charCodeAt(letter);
    // The stretch of the name where q occurs at all.
    let lo = 0;
    let hi = m - 1;
    if (spanned && q >= 97 && q <= 122) {
      lo = spans[i * 52 + 2 * (q - 97)]!;
      hi = spans[i * 52 + 2 * (q - 97) + 1]!;
    }
    if (letter === 0) {
      for (let j = lo; j <= hi; j++) {
        if (codes[start + j] !== q) continue;
        at[rowEnd] = j;
        score[rowEnd] = SCORE_MATCH + bonus[start + j]! * FIRST_LETTER_MULTIPLIER;
        from[rowEnd++] = -1;
      }
      continue;
    }
    const prevEnd = rowEnd;
    let k = rowStart;
    let reach = NONE;
    let reachFrom = -1;
    for (let j = Math.max(lo, at[rowStart]! + 1); j <= hi; j++) {
      if (codes[start + j] !== q) continue;
      while (k < prevEnd && at[k]! <= j - 2) {
        const gapFromK = score[k]! + at[k]! * GAP_EXTEND_COST;
        if (gapFromK >= reach) {
          reach = gapFromK;
          reachFrom = k;
        }
        k++;
      }
      let via = reachFrom >= 0 ? reach + GAP_START - (j - 2) * GAP_EXTEND_COST : NONE;
      let viaFrom = reachFrom;
      if (k < prevEnd && at[k] === j - 1 && score[k]! + BONUS_CONSECUTIVE >= via) {
        via = score[k]! + BONUS_CONSECUTIVE;
        viaFrom = k;
      }
      if (viaFrom < 0) continue;
      at[rowEnd] = j;
      score[rowEnd] = SCORE_MATCH + bonus[start + j]! + via;
      from[rowEnd++] = viaFrom;
    }
    rowStart = prevEnd;
  }
  let best = -1;
  for (let x = rowStart; x < rowEnd; x++) if (best < 0 || score[x]! > score[best]!) best = x;
  return best;
}

/** The bonus for matching the whole name, or its start. */
function wholeBonus(query: string, codes: Uint16Array, start: number, m: number): number {
  const n = query.length;
  for (let k = 0; k < n; k++) if (codes[start + k] !== query.charCodeAt(k)) return 0;
  return n === m ? BONUS_EXACT : BONUS_PREFIX;
}

/** Whether name `i` cannot contain `query` at all: too short, missing letters, or a split surrogate pair. */
function ruledOut(query: FuzzyQuery, cols: NameColumns, i: number): boolean {
  const n = query.text.length;
  return n === 0 || n > cols.length[i]! || (cols.mask[i]! & query.mask) !== query.mask || (query.surrogates && !isSubsequence(query.text, cols.names[i]!.lower));
}

/** One letter a–z, which the mask says occurs: its best place is the start, else a word start, else a hump, else anywhere. */
function letterScore(letter: number, cols: NameColumns, i: number): number {
  const bit = 1 << (letter - 97);
  // `heads`, not `codes`: two bytes a name, close together, where a scan over scattered names reads it.
  if (cols.heads[i] === letter) return SCORE_MATCH + BONUS_START * FIRST_LETTER_MULTIPLIER + (cols.length[i] === 1 ? BONUS_EXACT : BONUS_PREFIX);
  const bonus = cols.wordStarts[i]! & bit ? BONUS_BOUNDARY : cols.humps[i]! & bit ? BONUS_CAMEL : 0;
  return SCORE_MATCH + bonus * FIRST_LETTER_MULTIPLIER;
}

/** The score of `query` against name `i` of `cols`, or NO_MATCH; allocates nothing. */
export function scoreAt(query: FuzzyQuery, cols: NameColumns, i: number): number {
  if (ruledOut(query, cols, i)) return NO_MATCH;
  const m = cols.length[i]!;
  const start = cols.start[i]!;
  if (query.letter >= 0) return letterScore(query.letter, cols, i);
  const end = bestEnd(query.text, cols, i);
  return end < 0 ? NO_MATCH : cellScore[end]! + wholeBonus(query.text, cols.codes, start, m);
}

/**
 * At least `scoreAt`'s score (an upper bound, cheap to compute), or NO_MATCH exactly when
 * `scoreAt` has none. A search computes this for every candidate and the exact score only for
 * those that could still make the best few. One letter a–z: the exact score.
 */
export function scoreBound(query: FuzzyQuery, cols: NameColumns, i: number): number {
  if (ruledOut(query, cols, i)) return NO_MATCH;
  if (query.letter >= 0) return letterScore(query.letter, cols, i);
  const { codes } = cols;
  const m = cols.length[i]!;
  const start = cols.start[i]!;
  const text = query.text;
  const head = codes[start]!;
  const wordStarts = cols.wordStarts[i]!;
  const humps = cols.humps[i]!;
  const spanned = m <= MAX_SPAN;
  const spans = i * 52;
  let j = 0;
  let bound = 0;
  for (let k = 0; k < text.length; k++) {
    const q = text.charCodeAt(k);
    // Matching is a subsequence of code units (bestEnd finds a placement exactly when there is one):
    // the earliest place for each letter, read from the letter's span where it has one.
    if (spanned && q >= 97 && q <= 122) {
      const first = cols.spans[spans + 2 * (q - 97)]!;
      const last = cols.spans[spans + 2 * (q - 97) + 1]!;
      if (first === 255 || last < j) return NO_MATCH;
      if (first >= j) j = first;
      else while (codes[start + j] !== q) j++;
    } else {
      while (j < m && codes[start + j] !== q) j++;
      if (j === m) return NO_MATCH;
    }
    j++;
    const bit = letterBit(q);
    if (k === 0) {
      // The best bonus this letter can have anywhere in the name; digits and other characters: the highest there is.
      const best = head === q || bit === 0 ? BONUS_START : wordStarts & bit ? BONUS_BOUNDARY : humps & bit ? BONUS_CAMEL : 0;
      bound += SCORE_MATCH + best * FIRST_LETTER_MULTIPLIER;
    } else if (bit !== 0 && !isSeparatorCode(text.charCodeAt(k - 1))) {
      // A later letter is never at the name's start, and is at a word start right after the letter
      // before it only if that one is the separator: otherwise a word start comes after a gap
      // (BONUS_BOUNDARY + GAP_START, no more than BONUS_CONSECUTIVE alone), and only a camel hump
      // adds to the run. So most names that start with the query are bounded at their exact score.
      bound += SCORE_MATCH + (humps & bit ? BONUS_CAMEL : 0) + BONUS_CONSECUTIVE;
    } else {
      const best = bit === 0 ? BONUS_START : wordStarts & bit ? BONUS_BOUNDARY : humps & bit ? BONUS_CAMEL : 0;
      bound += SCORE_MATCH + best + BONUS_CONSECUTIVE;
    }
  }
  return bound + wholeBonus(text, codes, start, m);
}

/** The most a name not starting with a two-letter query's first letter can score (`scoreBound`'s terms at their highest). */
const HEADLESS_PAIR = SCORE_MATCH + BONUS_BOUNDARY * FIRST_LETTER_MULTIPLIER + SCORE_MATCH + BONUS_START + BONUS_CONSECUTIVE;
/** `scoreBound` of two letters a–z against a name starting with the first, before its hump and whole-name terms. */
const HEADED_PAIR = SCORE_MATCH + BONUS_START * FIRST_LETTER_MULTIPLIER + SCORE_MATCH + BONUS_CONSECUTIVE;

/**
 * `scoreBound`, or looser where that is cheaper: two letters a–z against a name not starting with
 * the first only need a match test, and then bound at HEADLESS_PAIR, below the score of any name
 * starting with both, which fill the best few when typing a word's start. NO_MATCH exactly when
 * `scoreAt` has none.
 */
export function looseBound(query: FuzzyQuery, cols: NameColumns, i: number): number {
  const text = query.text;
  if (text.length !== 2 || query.letter >= 0) return scoreBound(query, cols, i);
  const a = text.charCodeAt(0);
  const b = text.charCodeAt(1);
  const start = cols.start[i]!;
  if (a < 97 || a > 122 || b < 97 || b > 122 || cols.codes[start] === a || cols.length[i]! > MAX_SPAN) return scoreBound(query, cols, i);
  if ((cols.mask[i]! & query.mask) !== query.mask) return NO_MATCH;
  const spans = i * 52;
  // The first `a` before the last `b`.
  return cols.spans[spans + 2 * (a - 97)]! < cols.spans[spans + 2 * (b - 97) + 1]! ? HEADLESS_PAIR : NO_MATCH;
}

/**
 * `looseBound` for many names at once, in one loop: each name `ids[0 .. count]` that `query` can
 * match gets its bound in `out[name]` and is listed in `matched` (in `ids`' order); answers how
 * many. Names it cannot match are skipped, `out` left as it was. A search over tens of thousands
 * of names spends most of its time here, on names a call per name made slower than their test.
 */
export function boundNames(query: FuzzyQuery, cols: NameColumns, ids: Int32Array, count: number, out: Float64Array, matched: Int32Array): number {
  const need = query.mask;
  const { mask, firsts, lasts, heads, length, humps, codes, start } = cols;
  const text = query.text;
  const a = text.charCodeAt(0);
  const b = text.charCodeAt(1);
  const pair = text.length === 2 && a >= 97 && a <= 122 && b >= 97 && b <= 122;
  const first = (a - 97) * length.length;
  const last = (b - 97) * length.length;
  const bBit = letterBit(b);
  let found = 0;
  for (let k = 0; k < count; k++) {
    const n = ids[k]!;
    if ((mask[n]! & need) !== need) continue;
    let bound: number;
    // One letter a–z that the mask says is there: its score, as scoreBound gives it.
    if (query.letter >= 0) bound = letterScore(query.letter, cols, n);
    else if (pair && length[n]! <= MAX_SPAN) {
      // As looseBound: two letters a–z against a name not starting with the first need the first `a` before the last `b`.
      if (heads[n] !== a) bound = firsts[first + n]! < lasts[last + n]! ? HEADLESS_PAIR : NO_MATCH;
      // Starting with `a`: scoreBound's terms written out for two letters (reading the same few
      // bytes as the test above rather than a name's whole row of spans), as these names are the
      // ones a two-letter word mostly matches. `b` must come after position 0 (`lasts` is 0 when absent).
      else if (lasts[last + n] === 0) bound = NO_MATCH;
      else bound = HEADED_PAIR + (humps[n]! & bBit ? BONUS_CAMEL : 0) + (codes[start[n]! + 1] === b ? (length[n] === 2 ? BONUS_EXACT : BONUS_PREFIX) : 0);
    } else bound = scoreBound(query, cols, n);
    if (bound === NO_MATCH) continue;
    out[n] = bound;
    matched[found++] = n;
  }
  return found;
}

/** `scoreAt` with the matched letters' positions in the name (for highlighting), or undefined. */
export function matchAt(query: FuzzyQuery, cols: NameColumns, i: number): Match | undefined {
  if (ruledOut(query, cols, i)) return undefined;
  const m = cols.length[i]!;
  const start = cols.start[i]!;
  const end = bestEnd(query.text, cols, i);
  if (end < 0) return undefined;
  // One cell per query letter, walked back from the last.
  const positions: number[] = [];
  for (let cell = end; cell >= 0; cell = cellFrom[cell]!) positions.push(cellAt[cell]!);
  positions.reverse();
  return { score: cellScore[end]! + wholeBonus(query.text, cols.codes, start, m), positions };
}

/**
 * Scores `query` against one prepared name; undefined when it does not match. `query` must be
 * lower case and non-empty. To score a whole list, use `nameColumns` with `scoreAt`/`matchAt`.
 */
export function fuzzyMatch(query: string, target: Prepared, withPositions = false): Match | undefined {
  const cols = nameColumns([target]);
  if (withPositions) return matchAt(fuzzyQuery(query), cols, 0);
  const score = scoreAt(fuzzyQuery(query), cols, 0);
  return score === NO_MATCH ? undefined : { score, positions: [] };
}
