import type { RepoSummary } from '../shared/messages';
import { fuzzyMatch, prepare, type Match, type Prepared } from './fuzzy';

/**
 * Searching an organization's repositories by repository and project name. The index is built
 * once per list; a search scores every entry with cheap rejection first and keeps only the best
 * `limit`, so typing stays instant with ten thousand repositories.
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

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export function indexRepos(repos: readonly RepoSummary[]): RepoEntry[] {
  // One prepared name per project: a search scores each project once, not once per repository.
  const projects = new Map<string, Prepared>();
  const projectOf = (name: string) => projects.get(name) ?? projects.set(name, prepare(name)).get(name)!;
  const entries = repos.map((repo) => ({ repo, name: prepare(repo.name), project: projectOf(repo.project.name), rank: 0 }));
  entries.sort((a, b) => collator.compare(a.project.text, b.project.text) || collator.compare(a.name.text, b.name.text));
  entries.forEach((e, rank) => (e.rank = rank));
  return entries;
}

/** Query words: split on spaces and `/` (which no project or repository name contains), lower case. */
export function queryTokens(query: string): string[] {
  return query
    .toLowerCase()
    .split(/[\s/]+/u)
    .filter((t) => t !== '');
}

/** Each query word must match the repository or its project name; scores add up. */
function scoreEntry(tokens: string[], e: RepoEntry, projectScores: Map<Prepared, Match | undefined>[]): number | undefined {
  let total = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const seen = projectScores[i]!;
    const inProject = seen.has(e.project) ? seen.get(e.project) : seen.set(e.project, fuzzyMatch(t, e.project)).get(e.project);
    const inName = fuzzyMatch(t, e.name);
    if (!inName && !inProject) return undefined;
    total += Math.max(inName?.score ?? -Infinity, (inProject?.score ?? -Infinity) * PROJECT_WEIGHT);
  }
  return total;
}

/** Highlight positions for one shown hit (computed only for what is drawn). */
function positionsFor(tokens: string[], e: RepoEntry): Pick<RepoHit, 'namePositions' | 'projectPositions'> {
  const name = new Set<number>();
  const project = new Set<number>();
  for (const t of tokens) {
    const inName = fuzzyMatch(t, e.name, true);
    const inProject = fuzzyMatch(t, e.project, true);
    const useName = (inName?.score ?? -Infinity) >= (inProject?.score ?? -Infinity) * PROJECT_WEIGHT;
    for (const p of (useName ? inName : inProject)?.positions ?? []) (useName ? name : project).add(p);
  }
  return { namePositions: [...name].toSorted((a, b) => a - b), projectPositions: [...project].toSorted((a, b) => a - b) };
}

export function searchRepos(index: readonly RepoEntry[], query: string, limit = 100): RepoResults {
  const tokens = queryTokens(query);
  if (tokens.length === 0) {
    return { hits: index.slice(0, limit).map((entry) => ({ entry, score: 0, namePositions: [], projectPositions: [] })), total: index.length };
  }
  const scored: { entry: RepoEntry; score: number }[] = [];
  const projectScores = tokens.map(() => new Map<Prepared, Match | undefined>());
  for (const entry of index) {
    const score = scoreEntry(tokens, entry, projectScores);
    if (score !== undefined) scored.push({ entry, score });
  }
  // Ties: shorter names first (closer to what was typed), then the index's project/name order.
  scored.sort((a, b) => b.score - a.score || a.entry.name.lower.length - b.entry.name.lower.length || a.entry.rank - b.entry.rank);
  const hits = scored.slice(0, limit).map(({ entry, score }) => ({ entry, score, ...positionsFor(tokens, entry) }));
  return { hits, total: scored.length };
}
