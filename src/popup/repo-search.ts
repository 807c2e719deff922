import type { RepoSummary } from '../shared/messages';
import { fuzzyQuery, isSubsequence, matchAt, nameColumns, NO_MATCH, prepare, scoreAt, type FuzzyQuery, type NameColumns, type Prepared } from './fuzzy';

/**
 * Searching an organization's repositories by repository and project name. The index is built
 * once per list. A search rejects most entries by a letter mask before scoring them, scores each
 * project once, and keeps only the best `limit` without sorting every match. Typing keystroke by
 * keystroke, a longer query only searches among the matches of a recent shorter one (kept per
 * index), so typing stays instant with ten thousand repositories.
 */

export interface RepoEntry {
  repo: RepoSummary;
  name: Prepared;
  project: Prepared;
  /** Position in the index's project/name order, for stable ties. */
  rank: number;
}

export interface RepoHit {
  entry: RepoEntry;
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

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * Entries sorted by project, then name (collator order, ties in list order). Projects are few: they
 * are sorted once, and names only within their project, which costs far fewer comparisons than
 * sorting all entries by both.
 */
export function indexRepos(repos: readonly RepoSummary[]): RepoEntry[] {
  // One prepared name per project: a search scores each project once, not once per repository.
  const byProject = new Map<string, { project: Prepared; entries: RepoEntry[] }>();
  repos.forEach((repo, position) => {
    let group = byProject.get(repo.project.name);
    if (!group) byProject.set(repo.project.name, (group = { project: prepare(repo.project.name), entries: [] }));
    // `rank` holds the list position until the entries are sorted.
    group.entries.push({ repo, name: prepare(repo.name), project: group.project, rank: position });
  });
  const groups = [...byProject.values()].toSorted((a, b) => collator.compare(a.project.text, b.project.text));
  const entries: RepoEntry[] = [];
  for (let g = 0; g < groups.length; ) {
    // Project names equal to the collator (`Web` and `web`) sort as one project, their repositories interleaved by name.
    let end = g + 1;
    while (end < groups.length && collator.compare(groups[g]!.project.text, groups[end]!.project.text) === 0) end++;
    const members = end - g === 1 ? groups[g]!.entries : groups.slice(g, end).flatMap((group) => group.entries).toSorted((a, b) => a.rank - b.rank);
    entries.push(...members.toSorted((a, b) => collator.compare(a.name.text, b.name.text)));
    g = end;
  }
  entries.forEach((e, rank) => (e.rank = rank));
  tableOf(entries);
  return entries;
}

/** Query words: split on spaces and `/` (which no project or repository name contains), lower case. */
export function queryTokens(query: string): string[] {
  return query
    .toLowerCase()
    .split(/[\s/]+/u)
    .filter((t) => t !== '');
}

/** A past query and every entry (index position, ascending) that matched it. */
interface Narrowed {
  tokens: string[];
  matches: Int32Array;
}

/** What a search reads per entry, in flat arrays, plus the recent queries to narrow from. */
interface Table {
  size: number;
  names: NameColumns;
  rank: Float64Array;
  /** Each entry's project, as an index into `projects`. */
  projectOf: Int32Array;
  projects: NameColumns;
  recent: Narrowed[];
}

/** One table per index. An index is read-only once built; a different list is a new index. */
const tables = new WeakMap<readonly RepoEntry[], Table>();

function tableOf(index: readonly RepoEntry[]): Table {
  const known = tables.get(index);
  if (known && known.size === index.length) return known;
  const size = index.length;
  const rank = new Float64Array(size);
  const projectOf = new Int32Array(size);
  const projects: Prepared[] = [];
  const projectIds = new Map<Prepared, number>();
  index.forEach((e, i) => {
    rank[i] = e.rank;
    let id = projectIds.get(e.project);
    if (id === undefined) {
      id = projects.push(e.project) - 1;
      projectIds.set(e.project, id);
    }
    projectOf[i] = id;
  });
  const table: Table = { size, names: nameColumns(index.map((e) => e.name)), rank, projectOf, projects: nameColumns(projects), recent: [] };
  tables.set(index, table);
  return table;
}

/**
 * Whether every entry matching `narrower` also matches `wider`: each word of `wider` is a
 * subsequence of some word of `narrower` (so of whichever name that word matched).
 */
function narrows(narrower: readonly string[], wider: readonly string[]): boolean {
  return wider.every((w) => narrower.some((n) => w.length <= n.length && isSubsequence(w, n)));
}

const sameTokens = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/** The smallest remembered match set that contains every match of `tokens`; undefined: search everything. */
function candidatesFor(table: Table, tokens: readonly string[]): Int32Array | undefined {
  let best: Int32Array | undefined;
  for (const past of table.recent) {
    if ((!best || past.matches.length < best.length) && narrows(tokens, past.tokens)) best = past.matches;
  }
  return best;
}

function remember(table: Table, tokens: string[], matches: Int32Array): void {
  const recent = table.recent.filter((past) => !sameTokens(past.tokens, tokens));
  recent.unshift({ tokens, matches });
  table.recent = recent.slice(0, RECENT_QUERIES);
}

// Scratch for one search's matches and their scores, reused: a keystroke allocates little.
let matchScratch = new Int32Array(1024);
let scoreScratch = new Float64Array(1024);

/** Each query word must match the repository or its project name; scores add up. */
function scoreAll(table: Table, queries: FuzzyQuery[], candidates: Int32Array | undefined) {
  const count = candidates ? candidates.length : table.size;
  if (matchScratch.length < count) {
    matchScratch = new Int32Array(count);
    scoreScratch = new Float64Array(count);
  }
  const ids = matchScratch;
  const scores = scoreScratch;
  // Per word, each project's score, computed the first time an entry of that project needs it (NaN: not yet).
  const projectScores = queries.map(() => new Float64Array(table.projects.names.length).fill(Number.NaN));
  const { names, projectOf, projects } = table;
  let found = 0;
  for (let c = 0; c < count; c++) {
    const i = candidates ? candidates[c]! : c;
    const p = projectOf[i]!;
    let total = 0;
    let t = 0;
    for (; t < queries.length; t++) {
      const query = queries[t]!;
      const seen = projectScores[t]!;
      let inProject = seen[p]!;
      if (Number.isNaN(inProject)) inProject = seen[p] = scoreAt(query, projects, p);
      const inName = scoreAt(query, names, i);
      if (inProject === NO_MATCH) {
        if (inName === NO_MATCH) break;
        total += inName;
      } else {
        total += inName === NO_MATCH ? inProject * PROJECT_WEIGHT : Math.max(inName, inProject * PROJECT_WEIGHT);
      }
    }
    if (t < queries.length) continue;
    ids[found] = i;
    scores[found] = total;
    found++;
  }
  // Every candidate matched (the same words again, or a space typed): the candidates are the matches.
  const matches = candidates && found === count ? candidates : ids.slice(0, found);
  return { matches, scores: scores.subarray(0, found), projectScores };
}

/**
 * Positions (into `matches`) of the best `keep` matches, best first. Ties: shorter names first
 * (closer to what was typed), then the index's project/name order. Only `keep` are ever sorted: a
 * heap holds the best so far, its worst on top, so most matches cost one comparison.
 */
function topHits(table: Table, matches: Int32Array, scores: Float64Array, keep: number): number[] {
  const { rank } = table;
  const nameLength = table.names.length;
  const before = (a: number, b: number) => {
    const ia = matches[a]!;
    const ib = matches[b]!;
    return scores[a]! !== scores[b]! ? scores[a]! > scores[b]! : nameLength[ia] !== nameLength[ib] ? nameLength[ia]! < nameLength[ib]! : rank[ia]! < rank[ib]!;
  };
  const byRank = (a: number, b: number) => (before(a, b) ? -1 : before(b, a) ? 1 : 0);
  const count = matches.length;
  const kept: number[] = [];
  if (count <= keep) {
    for (let x = 0; x < count; x++) kept.push(x);
    return kept.toSorted(byRank);
  }
  if (keep <= 0) return kept;
  const heap = new Int32Array(keep);
  let size = 0;
  for (let x = 0; x < count; x++) {
    if (size < keep) {
      // Sift up: a worse match rises to the top.
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!before(heap[parent]!, x)) break;
        heap[at] = heap[parent]!;
        at = parent;
      }
      heap[at] = x;
    } else if (before(x, heap[0]!)) {
      // Replace the worst kept, then sift it down below any worse child.
      let at = 0;
      for (;;) {
        const left = at * 2 + 1;
        const right = left + 1;
        let worst = x;
        let to = at;
        if (left < size && before(worst, heap[left]!)) {
          worst = heap[left]!;
          to = left;
        }
        if (right < size && before(worst, heap[right]!)) {
          worst = heap[right]!;
          to = right;
        }
        if (to === at) break;
        heap[at] = worst;
        at = to;
      }
      heap[at] = x;
    }
  }
  for (const x of heap) kept.push(x);
  return kept.toSorted(byRank);
}

/** Highlight positions for one shown hit (computed only for what is drawn): each word where it scored best. */
function positionsFor(table: Table, queries: FuzzyQuery[], i: number, projectScores: Float64Array[]): Pick<RepoHit, 'namePositions' | 'projectPositions'> {
  let name: number[] = [];
  let project: number[] = [];
  const p = table.projectOf[i]!;
  for (let t = 0; t < queries.length; t++) {
    const inName = matchAt(queries[t]!, table.names, i);
    const inProject = projectScores[t]![p]!;
    if (inName && (inProject === NO_MATCH || inName.score >= inProject * PROJECT_WEIGHT)) name = union(name, inName.positions);
    else project = union(project, matchAt(queries[t]!, table.projects, p)?.positions ?? []);
  }
  return { namePositions: name, projectPositions: project };
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
 * The best `limit` repositories for `query`, best first, and how many matched in all. An empty
 * query lists the index in its order. Safe to call with any index and query in any order; typing
 * one letter more (or fewer) than a recent query is what makes it fast.
 */
export function searchRepos(index: readonly RepoEntry[], query: string, limit = 100): RepoResults {
  const keep = limit > 0 ? Math.floor(limit) : 0;
  const tokens = queryTokens(query);
  if (tokens.length === 0) {
    return { hits: index.slice(0, keep).map((entry) => ({ entry, score: 0, namePositions: [], projectPositions: [] })), total: index.length };
  }
  const table = tableOf(index);
  const queries = tokens.map(fuzzyQuery);
  const { matches, scores, projectScores } = scoreAll(table, queries, candidatesFor(table, tokens));
  remember(table, tokens, matches);
  const hits = topHits(table, matches, scores, keep).map((x) => {
    const i = matches[x]!;
    const { namePositions, projectPositions } = positionsFor(table, queries, i, projectScores);
    return { entry: index[i]!, score: scores[x]!, namePositions, projectPositions };
  });
  return { hits, total: matches.length };
}
