import type { RepoSummary } from '../shared/messages';
import { queryTokens } from './query';
import { boundNames, fuzzyQuery, isSubsequence, matchAt, nameColumns, NO_MATCH, prepare, scoreAt, scoreBound, type FuzzyQuery, type Match, type NameColumns, type Prepared } from './fuzzy';

/**
 * Searching organizations' repositories by repository and project name. The index is built once
 * per list (one per organization); a search can cover several at once (`searchLists`). A search
 * starts from the matches of a recent shorter query (kept per index) when typing on, or from the
 * entries holding the query's rarest letter; one word is searched by distinct name and project
 * rather than entry by entry. Each project and each distinct name is scored once, exactly only
 * where a cheap upper bound could still make the best `limit`, and those are kept in a bounded
 * heap without sorting every match: typing stays around a millisecond a keystroke with fifty
 * thousand repositories.
 */

export { queryTokens };

export interface RepoEntry {
  repo: RepoSummary;
  name: Prepared;
  project: Prepared;
  /** Position in the index's project/name order, for stable ties. */
  rank: number;
}

export interface RepoHit {
  entry: RepoEntry;
  /** Which of `searchLists`' indexes it is from (0 for `searchRepos`). */
  list: number;
  score: number;
  /** Matched letters in the repository name and in the project name. */
  namePositions: number[];
  projectPositions: number[];
}

export interface RepoResults {
  hits: RepoHit[];
  /** How many repositories matched (more than `hits` when the list was cut at `limit`). */
  total: number;
}

/** A project-name match counts a little less than a repository-name match. */
const PROJECT_WEIGHT = 0.75;
/** Recent queries remembered per index, to narrow from: enough to type and backspace a few words. */
const RECENT_QUERIES = 8;

/** Made on first use: creating a collator costs milliseconds, which the popup's first frame should not pay. */
let collatorMade: Intl.Collator | undefined;
const collator = () => (collatorMade ??= new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }));

/**
 * Entries sorted by project, then name (collator order, ties in list order). Projects are few: they
 * are sorted once, and names only within their project, which costs far fewer comparisons than
 * sorting all entries by both.
 */
export function indexRepos(repos: readonly RepoSummary[]): RepoEntry[] {
  const order = collator();
  // One prepared name per project: a search scores each project once, not once per repository.
  const byProject = new Map<string, { project: Prepared; entries: RepoEntry[] }>();
  repos.forEach((repo, position) => {
    let group = byProject.get(repo.project.name);
    if (!group) byProject.set(repo.project.name, (group = { project: prepare(repo.project.name), entries: [] }));
    // `rank` holds the list position until the entries are sorted.
    group.entries.push({ repo, name: prepare(repo.name), project: group.project, rank: position });
  });
  // A cached list comes in this order already (list-cache.ts sorts it so): checked in one pass, not sorted again.
  if (inOrder(repos, order)) {
    const entries: RepoEntry[] = Array.from({ length: repos.length });
    for (const group of byProject.values()) for (const e of group.entries) entries[e.rank] = e;
    tableOf(entries);
    return entries;
  }
  const groups = [...byProject.values()].toSorted((a, b) => order.compare(a.project.text, b.project.text));
  const entries: RepoEntry[] = [];
  for (let g = 0; g < groups.length; ) {
    // Project names equal to the collator (`Web` and `web`) sort as one project, their repositories interleaved by name.
    let end = g + 1;
    while (end < groups.length && order.compare(groups[g]!.project.text, groups[end]!.project.text) === 0) end++;
    const members = end - g === 1 ? groups[g]!.entries : groups.slice(g, end).flatMap((group) => group.entries).toSorted((a, b) => a.rank - b.rank);
    entries.push(...members.toSorted((a, b) => order.compare(a.name.text, b.name.text)));
    g = end;
  }
  entries.forEach((e, rank) => (e.rank = rank));
  tableOf(entries);
  return entries;
}

/** Whether the list is sorted by project, then name, in the index's order (equal projects as one). */
function inOrder(repos: readonly RepoSummary[], order: Intl.Collator): boolean {
  for (let i = 1; i < repos.length; i++) {
    const a = repos[i - 1]!;
    const b = repos[i]!;
    const byProject = a.project.name === b.project.name ? 0 : order.compare(a.project.name, b.project.name);
    if (byProject > 0 || (byProject === 0 && a.name !== b.name && order.compare(a.name, b.name) > 0)) return false;
  }
  return true;
}

/** A past query and what matched it. */
interface Narrowed {
  tokens: string[];
  /** How many entries matched. */
  total: number;
  /** Every entry that matched (index positions); a one-word search's, made from `names` and `projects` when first asked for. */
  matches?: Int32Array;
  /** A one-word search's: the distinct names and the projects it matched (an entry matches when either does). */
  names?: Int32Array;
  projects?: Int32Array;
}

/** Entries grouped by some key: group `k`'s are `entries[start[k] .. start[k + 1]]`. */
interface Groups {
  start: Int32Array;
  entries: Int32Array;
}

/** What a search reads per entry, in flat arrays, plus the recent queries to narrow from. */
interface Table {
  size: number;
  /** The distinct repository names (several projects and organizations reuse names), shortest first: each is scored once per search. */
  names: NameColumns;
  /** Each entry's name, as an index into `names`. */
  nameOf: Int32Array;
  rank: Int32Array;
  /** Each entry's project, as an index into `projects`. */
  projectOf: Int32Array;
  projects: NameColumns;
  /** 0, 1, … for every distinct name, and for every project. */
  allNames: Int32Array;
  allProjects: Int32Array;
  /**
   * The entries of each distinct name, and of each project (shortest name first), each by rank
   * (an index's rank is its position): a one-word search walks matching names and projects, not
   * entries, and what `best` turns down tells it to skip the rest of a name's or project's.
   */
  byName: Groups;
  byProject: Groups;
  /**
   * Per letter a–z, the entries (ascending) whose name or project contains it: a query with that
   * letter, in any word, can only match among them.
   */
  withLetter: Int32Array[];
  /** Per entry, the letter mask (`charMask`) of its name and project together: a word needs all its bits to match either. */
  letters: Int32Array;
  /** Per letter a–z, the distinct names starting with it (shortest first) and how many entries have them (made when first asked for). */
  starting: ({ names: Int32Array; entries: number } | undefined)[];
  /** Per letter a–z, the distinct names and the projects that contain it (made when first asked for). */
  containing: ({ names: Int32Array; projects: Int32Array } | undefined)[];
  recent: Narrowed[];
  /** Per query word: each project's score, each name's upper bound, each name's exact score (kept while typing on). */
  projectScores: Memo;
  nameBounds: Memo;
  nameScores: Memo;
}

/** One table per index. An index is read-only once built; a different list is a new index. */
const tableCache = new WeakMap<readonly RepoEntry[], Table>();

function tableOf(index: readonly RepoEntry[]): Table {
  const known = tableCache.get(index);
  if (known && known.size === index.length) return known;
  const size = index.length;
  const rank = new Int32Array(size);
  const projectOf = new Int32Array(size);
  const nameOf = new Int32Array(size);
  const projects: Prepared[] = [];
  const projectIds = new Map<Prepared, number>();
  const firstSeen: Prepared[] = [];
  const nameIds = new Map<string, number>();
  index.forEach((e, i) => {
    rank[i] = e.rank;
    let id = projectIds.get(e.project);
    if (id === undefined) {
      id = projects.push(e.project) - 1;
      projectIds.set(e.project, id);
    }
    projectOf[i] = id;
    let name = nameIds.get(e.name.text);
    if (name === undefined) {
      name = firstSeen.push(e.name) - 1;
      nameIds.set(e.name.text, name);
    }
    nameOf[i] = name;
  });
  // Distinct names numbered shortest first: of equal scores the shorter ranks first, so a search
  // that walks names in this order fills the best few early, reading every array front to back.
  const byLength = Array.from(firstSeen.keys()).toSorted((a, b) => firstSeen[a]!.lower.length - firstSeen[b]!.lower.length || a - b);
  const names = byLength.map((id) => firstSeen[id]!);
  const renumbered = new Int32Array(names.length);
  byLength.forEach((id, n) => (renumbered[id] = n));
  for (let i = 0; i < size; i++) nameOf[i] = renumbered[nameOf[i]!]!;
  const byName = groupBy(nameOf, names.length);
  const nameColumnsOf = nameColumns(names);
  const projectColumns = nameColumns(projects);
  const table: Table = {
    size,
    names: nameColumnsOf,
    nameOf,
    rank,
    projectOf,
    projects: projectColumns,
    allNames: Int32Array.from(names.keys()),
    allProjects: Int32Array.from(projects.keys()),
    byName,
    byProject: groupBy(projectOf, projects.length, byNameLength(nameColumnsOf.length, nameOf)),
    ...postings(nameColumnsOf, nameOf, projectColumns, projectOf),
    starting: [],
    containing: [],
    recent: [],
    projectScores: new Memo(projects.length),
    nameBounds: new Memo(names.length),
    nameScores: new Memo(names.length),
  };
  tableCache.set(index, table);
  return table;
}

/** The entries by the length of their names, then by position (a counting sort). */
function byNameLength(lengths: Int32Array, nameOf: Int32Array): Int32Array {
  let longest = 0;
  for (const length of lengths) longest = Math.max(longest, length);
  const start = new Int32Array(longest + 2);
  for (let i = 0; i < nameOf.length; i++) start[lengths[nameOf[i]!]! + 1]!++;
  for (let l = 0; l <= longest; l++) start[l + 1]! += start[l]!;
  const order = new Int32Array(nameOf.length);
  for (let i = 0; i < nameOf.length; i++) order[start[lengths[nameOf[i]!]!]!++] = i;
  return order;
}

/** The entries grouped by `keyOf`, each group in the order `visit` lists them (else ascending). */
function groupBy(keyOf: Int32Array, keys: number, visit?: Int32Array): Groups {
  const start = new Int32Array(keys + 1);
  for (let i = 0; i < keyOf.length; i++) start[keyOf[i]! + 1]!++;
  for (let k = 0; k < keys; k++) start[k + 1]! += start[k]!;
  const filled = start.slice(0, keys);
  const entries = new Int32Array(keyOf.length);
  for (let k = 0; k < keyOf.length; k++) {
    const i = visit ? visit[k]! : k;
    entries[filled[keyOf[i]!]!++] = i;
  }
  return { start, entries };
}

function postings(names: NameColumns, nameOf: Int32Array, projects: NameColumns, projectOf: Int32Array): Pick<Table, 'withLetter' | 'letters'> {
  const size = projectOf.length;
  const counts = new Int32Array(26);
  const both = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const mask = names.mask[nameOf[i]!]! | projects.mask[projectOf[i]!]!;
    both[i] = mask;
    for (let letter = 0; letter < 26; letter++) if (mask & (1 << letter)) counts[letter] = counts[letter]! + 1;
  }
  const lists = Array.from(counts, (n) => new Int32Array(n));
  const filled = new Int32Array(26);
  for (let i = 0; i < size; i++) {
    const mask = both[i]!;
    for (let letter = 0; letter < 26; letter++) if (mask & (1 << letter)) lists[letter]![filled[letter]!++] = i;
  }
  return { withLetter: lists, letters: both };
}

/**
 * Whether every entry matching `narrower` also matches `wider`: each word of `wider` is a
 * subsequence of some word of `narrower` (so of whichever name that word matched).
 */
function narrows(narrower: readonly string[], wider: readonly string[]): boolean {
  return wider.every((w) => narrower.some((n) => w.length <= n.length && isSubsequence(w, n)));
}

const sameTokens = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * The fewest entries known to contain every match of `tokens`: a recent query's matches, or the
 * entries with the query's rarest letter. Undefined: search everything.
 */
function candidatesFor(table: Table, tokens: readonly string[]): Int32Array | undefined {
  let best: Int32Array | undefined;
  for (const token of tokens) {
    for (let k = 0; k < token.length; k++) {
      const letter = token.charCodeAt(k) - 97;
      if (letter < 0 || letter >= 26) continue;
      const list = table.withLetter[letter]!;
      if (!best || list.length < best.length) best = list;
    }
  }
  let narrowest: Narrowed | undefined;
  for (const past of table.recent) {
    if (past.total < (narrowest?.total ?? best?.length ?? Infinity) && narrows(tokens, past.tokens)) narrowest = past;
  }
  return narrowest ? matchesOf(table, narrowest) : best;
}

/** A recent one-word query's matching names and projects, the fewest names, that contain every match of one word. */
function namesFor(table: Table, word: string): Narrowed | undefined {
  let narrowest: Narrowed | undefined;
  for (const past of table.recent) {
    if (past.names && (!narrowest || past.names.length < narrowest.names!.length) && narrows([word], past.tokens)) narrowest = past;
  }
  return narrowest;
}

/**
 * The entries a past query matched: those of its names, shortest name first (their order makes
 * the best few fill early), then those matched only by their project.
 */
function matchesOf(table: Table, past: Narrowed): Int32Array {
  if (past.matches) return past.matches;
  const { byName, byProject, nameOf } = table;
  const named = new Uint8Array(byName.start.length - 1);
  const matches = new Int32Array(past.total);
  let found = 0;
  for (const n of past.names!) {
    named[n] = 1;
    for (let k = byName.start[n]!; k < byName.start[n + 1]!; k++) matches[found++] = byName.entries[k]!;
  }
  for (const p of past.projects!) {
    for (let k = byProject.start[p]!; k < byProject.start[p + 1]!; k++) {
      const i = byProject.entries[k]!;
      if (!named[nameOf[i]!]) matches[found++] = i;
    }
  }
  return (past.matches = matches);
}

function remember(table: Table, tokens: string[], found: Omit<Narrowed, 'tokens'>): void {
  const recent = table.recent.filter((past) => !sameTokens(past.tokens, tokens));
  recent.unshift({ tokens, ...found });
  table.recent = recent.slice(0, RECENT_QUERIES);
}

/**
 * The best `keep` hits so far, over several tables, its worst on top: most matches cost one
 * comparison with the worst, and only `keep` are ever sorted. Ties: shorter names first (closer
 * to what was typed), then the tables' order, then each index's project/name order.
 */
class Best {
  readonly score: Float64Array;
  readonly length: Int32Array;
  readonly from: Int32Array;
  readonly rank: Int32Array;
  readonly at: Int32Array;
  size = 0;

  constructor(readonly keep: number) {
    this.score = new Float64Array(keep);
    this.length = new Int32Array(keep);
    this.from = new Int32Array(keep);
    this.rank = new Int32Array(keep);
    this.at = new Int32Array(keep);
  }

  /** Whether a hit with this score (or, given an upper bound, any lower score) is worse than slot `x`. */
  worse(score: number, length: number, from: number, rank: number, x: number): boolean {
    const s = this.score[x]!;
    if (score !== s) return score < s;
    const l = this.length[x]!;
    if (length !== l) return length > l;
    const f = this.from[x]!;
    return from !== f ? from > f : rank > this.rank[x]!;
  }

  /** A score below this cannot be kept. */
  worstScore(): number {
    return this.size < this.keep ? -Infinity : this.keep === 0 ? Infinity : this.score[0]!;
  }

  /** Whether a hit scoring at most `bound` could still be kept: worth computing its exact score. */
  mightTake(bound: number, length: number, from: number, rank: number): boolean {
    return this.size < this.keep || (this.keep > 0 && !this.worse(bound, length, from, rank, 0));
  }

  offer(score: number, length: number, from: number, rank: number, at: number): void {
    if (!this.mightTake(score, length, from, rank)) return;
    let x: number;
    if (this.size < this.keep) {
      // Sift up: a worse hit rises to the top.
      x = this.size++;
      while (x > 0) {
        const parent = (x - 1) >> 1;
        if (!this.worse(score, length, from, rank, parent)) break;
        this.move(parent, x);
        x = parent;
      }
    } else {
      // Replace the worst kept, then sift it down: the worst of it and its two children goes up.
      x = 0;
      for (;;) {
        const left = x * 2 + 1;
        const right = left + 1;
        let worst = -1;
        if (left < this.size && !this.worse(score, length, from, rank, left)) worst = left;
        if (right < this.size && (worst < 0 ? !this.worse(score, length, from, rank, right) : this.worse(this.score[right]!, this.length[right]!, this.from[right]!, this.rank[right]!, worst))) worst = right;
        if (worst < 0) break;
        this.move(worst, x);
        x = worst;
      }
    }
    this.score[x] = score;
    this.length[x] = length;
    this.from[x] = from;
    this.rank[x] = rank;
    this.at[x] = at;
  }

  private move(source: number, target: number): void {
    this.score[target] = this.score[source]!;
    this.length[target] = this.length[source]!;
    this.from[target] = this.from[source]!;
    this.rank[target] = this.rank[source]!;
    this.at[target] = this.at[source]!;
  }

  /** Slots, best first. */
  sorted(): number[] {
    const slots: number[] = [];
    for (let x = 0; x < this.size; x++) slots.push(x);
    return slots.toSorted((a, b) => (a === b ? 0 : this.worse(this.score[a]!, this.length[a]!, this.from[a]!, this.rank[a]!, b) ? 1 : -1));
  }
}

// Scratch for one table's matching entries, and a one-word search's matching names, reused: a keystroke allocates little.
let matchScratch = new Int32Array(1024);
let nameScratch = new Int32Array(1024);

// Scratch for a one-word search's bounds per project, reused.
let projectScratch = new Float64Array(1024);

/**
 * Scores in one table, per query word and project or distinct name (slot `word × count + item`),
 * each computed the first time an entry needs it. A slot holds a score of the word in that place
 * only when its stamp is the word's (`stampOf`): nothing is cleared or allocated between
 * keystrokes, and typing on after a word keeps its scores.
 */
class Memo {
  value = new Float64Array(0);
  stamp = new Int32Array(0);

  constructor(readonly count: number) {}

  /** Room for `words` words. */
  ready(words: number): this {
    if (this.value.length < words * this.count) {
      this.value = new Float64Array(words * this.count);
      this.stamp = new Int32Array(words * this.count);
    }
    return this;
  }
}

/** Each word's stamp, the same for the same word in later searches (until there are too many to keep). */
const wordStamps = new Map<string, number>();
let lastStamp = 0;
const KEPT_STAMPS = 1000;

/** A slot's stamp names the word that wrote it, so a stamp is never given to another word, also after forgetting. */
export function stampOf(word: string): number {
  let stamp = wordStamps.get(word);
  if (stamp === undefined) {
    if (wordStamps.size >= KEPT_STAMPS) wordStamps.clear();
    wordStamps.set(word, (stamp = ++lastStamp));
  }
  return stamp;
}

/**
 * Every entry of `table` (among `candidates`) where each query word matches the repository or its
 * project name, offered to `best` by score (scores add up over the words). An entry is scored
 * exactly only when an upper bound of its score could still make `best`. Answers the matches.
 */
function scan(table: Table, from: number, queries: FuzzyQuery[], stamps: readonly number[], candidates: Int32Array | undefined, best: Best): Int32Array {
  const count = candidates ? candidates.length : table.size;
  if (matchScratch.length < count) matchScratch = new Int32Array(count);
  table.projectScores.ready(queries.length);
  table.nameBounds.ready(queries.length);
  table.nameScores.ready(queries.length);
  // Each kind of query has a function of its own: V8 optimises a function for the paths it has
  // seen run, and one function for all of them was sent back to slow code whenever a keystroke took
  // a path the last ones had not (dozens of times in the bench's first passes).
  const found = queries.length > 1 ? scanWords(table, from, queries, stamps, candidates, count, best) : scanLetter(table, from, queries, stamps, candidates, count, best);
  // Every candidate matched (the same words again, or a space typed): the candidates are the matches.
  return candidates && found === count ? candidates : matchScratch.slice(0, found);
}

/**
 * One word (not one letter a–z): every distinct name and project it could match is
 * bounded, then only the entries of matching names and projects are visited, a name's at all only
 * when its bound could still make `best`. A short word matches most entries, and a pass over them
 * all cost more than the rest of the search; walking names instead, the count is their sizes added
 * up. Answers the matching names and projects.
 */
function searchWord(table: Table, from: number, queries: FuzzyQuery[], stamps: readonly number[], best: Best): Omit<Narrowed, 'tokens'> {
  const query = queries[0]!;
  const { names, byName } = table;
  table.nameScores.ready(1);
  const projectCount = table.projectScores.ready(1).count;
  const nameCount = names.start.length;
  // A recent shorter word's matches hold every match of this one.
  const past = namesFor(table, query.text);
  if (projectScratch.length < projectCount) projectScratch = new Float64Array(projectCount);
  const projectBound = projectScratch.subarray(0, projectCount).fill(NO_MATCH);
  const matchedProjects = scoreProjects(table, query, stamps[0]!, past ? past.projects! : table.allProjects, projectBound);
  // Into the several-word search's memo, for every name (those not among the candidates cannot
  // match): typing a space and a second word, the scan after this finds the first word's bounds.
  const memo = table.nameBounds.ready(1);
  const nameBound = memo.value.fill(NO_MATCH, 0, nameCount);
  if (nameScratch.length < nameCount) nameScratch = new Int32Array(nameCount);
  const matchedNames = nameScratch;
  const candidates = past ? past.names! : table.allNames;
  const matched = boundNames(query, names, candidates, candidates.length, nameBound, matchedNames);
  memo.stamp.fill(stamps[0]!, 0, nameCount);
  const head = query.text.charCodeAt(0);
  const heads = names.heads;
  let total = 0;
  // The highest bound of the names starting with the word's first letter, and of the others.
  let headTop = NO_MATCH;
  let restTop = NO_MATCH;
  for (let k = 0; k < matched; k++) {
    const n = matchedNames[k]!;
    total += byName.start[n + 1]! - byName.start[n]!;
    const bound = nameBound[n]!;
    if (heads[n] === head) headTop = bound > headTop ? bound : headTop;
    else restTop = bound > restTop ? bound : restTop;
  }
  // Names starting with the word's first letter usually score highest, and those with the top bound
  // (most often the names the word begins) highest of all: offered first, they fill the best few
  // with hits that stay (shorter names with a lower bound would be taken, each scored exactly, and
  // then pushed out), and most other names then stop at the worst kept. The top ones share their
  // bound and come shortest first (names are numbered so, and every list of them keeps that order):
  // once one is turned down, so would the rest be, whatever is offered after.
  for (let k = 0; k < matched; k++) {
    const n = matchedNames[k]!;
    if (heads[n] === head && nameBound[n] === headTop && !offerName(table, from, query, stamps[0]!, n, nameBound, projectBound, best)) break;
  }
  let worst = best.worstScore();
  for (let k = 0; k < matched; k++) {
    const n = matchedNames[k]!;
    if (heads[n] !== head || nameBound[n] === headTop || nameBound[n]! < worst) continue;
    offerName(table, from, query, stamps[0]!, n, nameBound, projectBound, best);
    worst = best.worstScore();
  }
  total += offerProjects(table, from, queries, stamps, matchedProjects, nameBound, projectBound, best);
  // Typing a word's start, the best few are full by now of scores above every other name's bound:
  // a pass over them would turn each down.
  worst = best.worstScore();
  if (restTop >= worst) {
    for (let k = 0; k < matched; k++) {
      const n = matchedNames[k]!;
      if (heads[n] === head || nameBound[n]! < worst) continue;
      offerName(table, from, query, stamps[0]!, n, nameBound, projectBound, best);
      worst = best.worstScore();
    }
  }
  return { total, names: matchedNames.slice(0, matched), projects: matchedProjects };
}

/** Scores the word against projects `ids` (their bounds into `projectBound`); answers those it matches. */
function scoreProjects(table: Table, query: FuzzyQuery, stamp: number, ids: Int32Array, projectBound: Float64Array): Int32Array {
  const none = NO_MATCH;
  const exactOf = scoreAt;
  const { projects } = table;
  const { value: projectScore, stamp: projectStamp } = table.projectScores;
  const matched: number[] = [];
  for (const p of ids) {
    const score = (projects.mask[p]! & query.mask) === query.mask ? exactOf(query, projects, p) : none;
    projectScore[p] = score;
    projectStamp[p] = stamp;
    if (score === none) continue;
    projectBound[p] = score * PROJECT_WEIGHT;
    matched.push(p);
  }
  return Int32Array.from(matched);
}

/**
 * Offers the entries of the matching projects, by the better of their names' and their project's
 * bounds; answers how many of them only the project matches (the names' sizes count the others).
 */
function offerProjects(table: Table, from: number, queries: FuzzyQuery[], stamps: readonly number[], matchedProjects: Int32Array, nameBound: Float64Array, projectBound: Float64Array, best: Best): number {
  const none = NO_MATCH;
  const { byProject, nameOf, rank } = table;
  const lengths = table.names.length;
  let worst = best.worstScore();
  let projectOnly = 0;
  for (const p of matchedProjects) {
    const inProject = projectBound[p]!;
    // Entries matched by the project alone score the project's score; once one is turned down, the
    // later ones (no shorter names, later ranks) would be too.
    let offering = inProject >= worst;
    for (let k = byProject.start[p]!; k < byProject.start[p + 1]!; k++) {
      const i = byProject.entries[k]!;
      const n = nameOf[i]!;
      const inName = nameBound[n]!;
      if (inName === none) {
        projectOnly++;
        if (!offering) continue;
        if (!best.mightTake(inProject, lengths[n]!, from, rank[i]!)) {
          offering = false;
          continue;
        }
        best.offer(inProject, lengths[n]!, from, rank[i]!, i);
      } else {
        const bound = inName > inProject ? inName : inProject;
        if (bound < worst || !best.mightTake(bound, lengths[n]!, from, rank[i]!)) continue;
        best.offer(scoreOf(table, queries, stamps, i), lengths[n]!, from, rank[i]!, i);
      }
      worst = best.worstScore();
    }
  }
  return projectOnly;
}

/**
 * Offers the entries of name `n` whose project does not match (the project pass offers the
 * others): their score is the name's, computed once and only if one of them could make `best`.
 * They come by rank (an index's rank is its position), so the first one turned down says the rest
 * would be too. Answers false when the name's bound alone is turned down.
 */
function offerName(table: Table, from: number, query: FuzzyQuery, stamp: number, n: number, nameBound: Float64Array, projectBound: Float64Array, best: Best): boolean {
  const bound = nameBound[n]!;
  const length = table.names.length[n]!;
  // Whether any of them could be kept (rank -1: before every entry), without reading them.
  if (!best.mightTake(bound, length, from, -1)) return false;
  const none = NO_MATCH;
  const { byName, projectOf, rank } = table;
  let score: number | undefined;
  for (let k = byName.start[n]!; k < byName.start[n + 1]!; k++) {
    const i = byName.entries[k]!;
    if (projectBound[projectOf[i]!] !== none) continue;
    if (!best.mightTake(score ?? bound, length, from, rank[i]!)) break;
    score ??= nameScoreOf(table, query, stamp, n);
    best.offer(score, length, from, rank[i]!, i);
  }
  return true;
}

/** Name `n`'s exact score for a one-word search. */
function nameScoreOf(table: Table, query: FuzzyQuery, stamp: number, n: number): number {
  const memo = table.nameScores;
  if (memo.stamp[n] !== stamp) {
    memo.value[n] = scoreAt(query, table.names, n);
    memo.stamp[n] = stamp;
  }
  return memo.value[n]!;
}

/**
 * One letter, when `oneLetter` cannot answer it: entry by entry, each project once; a name's
 * bound is its exact score.
 */
function scanLetter(table: Table, from: number, queries: FuzzyQuery[], stamps: readonly number[], candidates: Int32Array | undefined, count: number, best: Best): number {
  const none = NO_MATCH;
  const boundOf = scoreBound;
  const exactOf = scoreAt;
  const ids = matchScratch;
  const query = queries[0]!;
  const need = query.mask;
  const { letters, names, nameOf, projectOf, projects, rank } = table;
  const lengths = names.length;
  const { value: projectScore, stamp: projectStamp } = table.projectScores;
  const stamp = stamps[0]!;
  let worst = best.worstScore();
  let found = 0;
  for (let c = 0; c < count; c++) {
    const i = candidates ? candidates[c]! : c;
    // Most entries that cannot match stop here, on one number.
    if ((letters[i]! & need) !== need) continue;
    const p = projectOf[i]!;
    const n = nameOf[i]!;
    let inProject: number;
    if (projectStamp[p] === stamp) inProject = projectScore[p]!;
    else {
      inProject = projectScore[p] = exactOf(query, projects, p);
      projectStamp[p] = stamp;
    }
    const inName = boundOf(query, names, n);
    let score: number;
    if (inProject === none) {
      if (inName === none) continue;
      score = inName;
    } else {
      score = inName === none ? inProject * PROJECT_WEIGHT : Math.max(inName, inProject * PROJECT_WEIGHT);
    }
    ids[found++] = i;
    if (score < worst) continue;
    best.offer(score, lengths[n]!, from, rank[i]!, i);
    worst = best.worstScore();
  }
  return found;
}

/** Several words: an entry's bound adds up each word's, stopping at the first word it lacks. */
function scanWords(table: Table, from: number, queries: FuzzyQuery[], stamps: readonly number[], candidates: Int32Array | undefined, count: number, best: Best): number {
  const none = NO_MATCH;
  const boundOf = scoreBound;
  const exactOf = scoreAt;
  const ids = matchScratch;
  const { letters, names, nameOf, projectOf, projects, rank } = table;
  const lengths = names.length;
  const words = queries.length;
  let need = 0;
  for (const query of queries) need |= query.mask;
  const { value: projectScore, stamp: projectStamp, count: projectCount } = table.projectScores;
  const { value: nameBound, stamp: boundStamp, count: nameCount } = table.nameBounds;
  // Single letters are scored exactly by their bound.
  const exact = queries.every((q) => q.letter >= 0);
  let worst = best.worstScore();
  let found = 0;
  for (let c = 0; c < count; c++) {
    const i = candidates ? candidates[c]! : c;
    // Most entries without every word's letters stop here, on one number, before any word's scores.
    if ((letters[i]! & need) !== need) continue;
    const p = projectOf[i]!;
    const n = nameOf[i]!;
    let bound = 0;
    let t = 0;
    for (; t < words; t++) {
      const stamp = stamps[t]!;
      const ps = t * projectCount + p;
      let inProject: number;
      if (projectStamp[ps] === stamp) inProject = projectScore[ps]!;
      else {
        inProject = projectScore[ps] = exactOf(queries[t]!, projects, p);
        projectStamp[ps] = stamp;
      }
      const ns = t * nameCount + n;
      let inName: number;
      if (boundStamp[ns] === stamp) inName = nameBound[ns]!;
      else {
        inName = nameBound[ns] = boundOf(queries[t]!, names, n);
        boundStamp[ns] = stamp;
      }
      if (inProject === none) {
        if (inName === none) break;
        bound += inName;
      } else {
        bound += inName === none ? inProject * PROJECT_WEIGHT : Math.max(inName, inProject * PROJECT_WEIGHT);
      }
    }
    if (t < words) continue;
    ids[found++] = i;
    // Most matches stop here, below the worst kept (the start of `best.mightTake`, spelled out for speed).
    if (bound < worst) continue;
    const length = lengths[n]!;
    if (!best.mightTake(bound, length, from, rank[i]!)) continue;
    best.offer(exact ? bound : scoreOf(table, queries, stamps, i), length, from, rank[i]!, i);
    worst = best.worstScore();
  }
  return found;
}

/** The project's score for word `t` in this search, computed if the scan did not need it. */
function projectScoreOf(table: Table, queries: FuzzyQuery[], stamps: readonly number[], t: number, p: number): number {
  const memo = table.projectScores.ready(queries.length);
  const slot = t * memo.count + p;
  if (memo.stamp[slot] !== stamps[t]) {
    memo.value[slot] = scoreAt(queries[t]!, table.projects, p);
    memo.stamp[slot] = stamps[t]!;
  }
  return memo.value[slot]!;
}

/** The exact score of entry `i`, which matches every word. */
function scoreOf(table: Table, queries: FuzzyQuery[], stamps: readonly number[], i: number): number {
  const p = table.projectOf[i]!;
  const n = table.nameOf[i]!;
  const memo = table.nameScores;
  let total = 0;
  for (let t = 0; t < queries.length; t++) {
    const inProject = projectScoreOf(table, queries, stamps, t, p);
    const ns = t * memo.count + n;
    let inName: number;
    if (memo.stamp[ns] === stamps[t]) inName = memo.value[ns]!;
    else {
      inName = memo.value[ns] = scoreAt(queries[t]!, table.names, n);
      memo.stamp[ns] = stamps[t]!;
    }
    if (inProject === NO_MATCH) total += inName;
    else total += inName === NO_MATCH ? inProject * PROJECT_WEIGHT : Math.max(inName, inProject * PROJECT_WEIGHT);
  }
  return total;
}

/** Highlight positions for one shown hit (computed only for what is drawn): each word where it scored best. */
function positionsFor(table: Table, queries: FuzzyQuery[], stamps: readonly number[], i: number, matched: Map<number, Match | undefined>): Pick<RepoHit, 'namePositions' | 'projectPositions'> {
  const n = table.nameOf[i]!;
  let name: number[] = [];
  let project: number[] = [];
  const p = table.projectOf[i]!;
  for (let t = 0; t < queries.length; t++) {
    // The best few often share a name (in several projects): matched once.
    const key = t * table.names.start.length + n;
    if (!matched.has(key)) matched.set(key, matchAt(queries[t]!, table.names, n));
    const inName = matched.get(key);
    const inProject = projectScoreOf(table, queries, stamps, t, p);
    if (inName && (inProject === NO_MATCH || inName.score >= inProject * PROJECT_WEIGHT)) name = union(name, inName.positions);
    else {
      // And a project (keys below zero): when a word matched only projects, every hit is highlighted there.
      const projectKey = -1 - (t * table.projects.start.length + p);
      if (!matched.has(projectKey)) matched.set(projectKey, matchAt(queries[t]!, table.projects, p));
      project = union(project, matched.get(projectKey)?.positions ?? []);
    }
  }
  // Copies: a match's positions are shared by every hit with its name or project.
  return { namePositions: [...name], projectPositions: [...project] };
}

/** Two ascending lists of positions as one, without repeats (two words can match the same letter). */
function union(a: number[], b: number[]): number[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: number[] = [];
  let x = 0;
  let y = 0;
  while (x < a.length || y < b.length) {
    const next = y >= b.length || (x < a.length && a[x]! <= b[y]!) ? a[x++]! : b[y++]!;
    if (out.length === 0 || out[out.length - 1] !== next) out.push(next);
  }
  return out;
}

/**
 * The letter (its code) when the query is one letter a–z that starts at least `keep` names and is
 * no project's whole name; else -1. Then a name starting with it scores at least 56, anything else
 * at most 42 (a project starting with it, × 0.75), so the best `keep` all start with it and need
 * no scan; and the entries with the letter anywhere are exactly the matches.
 */
function oneLetter(tables: Table[], queries: FuzzyQuery[], keep: number): number {
  const letter = queries.length === 1 ? queries[0]!.letter : -1;
  if (letter < 0) return -1;
  let starting = 0;
  for (const table of tables) {
    const { projects } = table;
    for (let p = 0; p < projects.start.length; p++) if (projects.length[p] === 1 && projects.codes[projects.start[p]!] === letter) return -1;
    starting += startingWith(table, letter).entries;
  }
  return starting >= keep ? letter : -1;
}

/** The distinct names starting with the letter a–z `letter` (shortest first), and their entries' count; made once per table and letter. */
function startingWith(table: Table, letter: number): { names: Int32Array; entries: number } {
  const known = table.starting[letter - 97];
  if (known) return known;
  const { names, byName } = table;
  const found: number[] = [];
  let entries = 0;
  // `heads` is 0 for an empty name, never a letter.
  for (let n = 0; n < names.heads.length; n++) {
    if (names.heads[n] !== letter) continue;
    found.push(n);
    entries += byName.start[n + 1]! - byName.start[n]!;
  }
  return (table.starting[letter - 97] = { names: Int32Array.from(found), entries });
}

/** The distinct names and the projects that contain the letter a–z `letter`; made once per table and letter. */
function containing(table: Table, letter: number): { names: Int32Array; projects: Int32Array } {
  const bit = 1 << (letter - 97);
  const having = (cols: NameColumns, ids: Int32Array) => ids.filter((k) => (cols.mask[k]! & bit) !== 0);
  return (table.containing[letter - 97] ??= { names: having(table.names, table.allNames), projects: having(table.projects, table.allProjects) });
}

/**
 * The best `limit` repositories for `query`, best first, and how many matched in all. An empty
 * query lists the index in its order. Safe to call with any index and query in any order; typing
 * one letter more (or fewer) than a recent query is what makes it fast.
 */
export function searchRepos(index: readonly RepoEntry[], query: string, limit = 100): RepoResults {
  return searchLists([index], query, limit);
}

/**
 * `searchRepos` over several indexes at once (one per organization), as if they were one list in
 * this order; each hit says which index it came from (`list`). Each index keeps its own history
 * of recent queries, so one organization's list can be replaced without rebuilding the others'.
 */
export function searchLists(indexes: readonly (readonly RepoEntry[])[], query: string, limit = 100): RepoResults {
  const keep = limit > 0 ? Math.floor(limit) : 0;
  const tokens = queryTokens(query);
  if (tokens.length === 0) {
    const hits: RepoHit[] = [];
    indexes.forEach((index, list) => {
      for (let i = 0; i < index.length && hits.length < keep; i++) hits.push({ entry: index[i]!, list, score: 0, namePositions: [], projectPositions: [] });
    });
    return { hits, total: indexes.reduce((n, index) => n + index.length, 0) };
  }
  const queries = tokens.map(fuzzyQuery);
  const best = new Best(keep);
  let total = 0;
  const stamps = tokens.map(stampOf);
  const tables = indexes.map(tableOf);
  const letter = oneLetter(tables, queries, keep);
  const searched = tables.map((table, list) => {
    if (letter >= 0) {
      // Every entry with the letter matches; the best are among those whose name starts with it.
      // Those are thousands of entries of a few hundred names, which score alike: walked by name,
      // the shortest first, a name's entries by rank, so the first entry `best` turns down ends its
      // name, and most names end at their first entry.
      const { byName, names, rank } = table;
      for (const n of startingWith(table, letter).names) {
        const score = scoreBound(queries[0]!, names, n);
        const length = names.length[n]!;
        for (let k = byName.start[n]!; k < byName.start[n + 1]!; k++) {
          const i = byName.entries[k]!;
          if (!best.mightTake(score, length, list, rank[i]!)) break;
          best.offer(score, length, list, rank[i]!, i);
        }
      }
      const matches = table.withLetter[letter - 97]!;
      remember(table, tokens, { total: matches.length, matches, ...containing(table, letter) });
      total += matches.length;
      return table;
    }
    if (queries.length === 1 && queries[0]!.letter < 0) {
      const found = searchWord(table, list, queries, stamps, best);
      remember(table, tokens, found);
      total += found.total;
      return table;
    }
    const matches = scan(table, list, queries, stamps, candidatesFor(table, tokens), best);
    remember(table, tokens, { total: matches.length, matches });
    total += matches.length;
    return table;
  });
  const matched = tables.map(() => new Map<number, Match | undefined>());
  const hits = best.sorted().map((x): RepoHit => {
    const list = best.from[x]!;
    const i = best.at[x]!;
    const { namePositions, projectPositions } = positionsFor(searched[list]!, queries, stamps, i, matched[list]!);
    return { entry: indexes[list]![i]!, list, score: best.score[x]!, namePositions, projectPositions };
  });
  return { hits, total };
}
