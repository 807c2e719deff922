import type { Person, ReviewerSuggestion } from '../shared/messages';
import { relativeTime } from '../shared/ui/relative-time';

/**
 * Reviewer suggestions: the people who most recently changed the files a pull request touches.
 * Commits name authors by name and e-mail only, so each candidate is then looked up as an
 * identity (a reviewer needs its id); people who cannot be found are left out.
 */

export interface FileChange {
  path: string;
  author: { name: string; email?: string | undefined };
  /** ISO date of the commit. */
  date: string;
}

export interface Candidate {
  name: string;
  email?: string | undefined;
  /** Changed files this person touched. */
  files: number;
  /** Their most recent change among those files. */
  latest: { path: string; date: string };
}

const authorKey = (a: FileChange['author']) => (a.email ? a.email.toLowerCase() : `name:${a.name.toLowerCase()}`);

/** Ranks authors: more of the changed files first, then the most recent change. */
export function rankAuthors(changes: FileChange[]): Candidate[] {
  const byAuthor = new Map<string, { name: string; email?: string | undefined; paths: Set<string>; latest: { path: string; date: string } }>();
  for (const c of changes) {
    const key = authorKey(c.author);
    const seen = byAuthor.get(key);
    if (!seen) {
      byAuthor.set(key, { name: c.author.name, email: c.author.email, paths: new Set([c.path]), latest: { path: c.path, date: c.date } });
      continue;
    }
    seen.paths.add(c.path);
    if (Date.parse(c.date) > Date.parse(seen.latest.date)) seen.latest = { path: c.path, date: c.date };
  }
  return [...byAuthor.values()]
    .map((a) => ({ name: a.name, ...(a.email ? { email: a.email } : {}), files: a.paths.size, latest: a.latest }))
    .toSorted((a, b) => b.files - a.files || Date.parse(b.latest.date) - Date.parse(a.latest.date));
}

/** "changed src/api.ts 3 days ago" (+ "and 2 other changed files"). */
export function reasonFor(c: Candidate, now: number): string {
  const path = c.latest.path.replace(/^\//, '');
  const others = c.files - 1;
  const more = others > 0 ? `, and ${others} other changed file${others === 1 ? '' : 's'}` : '';
  return `changed ${path} ${relativeTime(c.latest.date, now)}${more}`;
}

export interface SuggestDeps {
  /** Recent commits touching one path (on the target branch). */
  commitsOf: (path: string) => Promise<FileChange[]>;
  /** The identity for a commit author, if the organization knows one. */
  identityOf: (author: { name: string; email?: string | undefined }) => Promise<Person | undefined>;
  now: number;
}

export async function suggestReviewers(
  paths: string[],
  author: { id: string; email?: string | undefined },
  deps: SuggestDeps,
  opts: { maxPaths?: number; limit?: number } = {},
): Promise<ReviewerSuggestion[]> {
  const limit = opts.limit ?? 5;
  const changes = (await Promise.all(paths.slice(0, opts.maxPaths ?? 25).map((p) => deps.commitsOf(p)))).flat();
  const mine = author.email?.toLowerCase();
  const candidates = rankAuthors(changes).filter((c) => !mine || c.email?.toLowerCase() !== mine);
  const found: ReviewerSuggestion[] = [];
  // Looked up in rank order, a few more than needed, so unknown people do not shorten the list much.
  for (const c of candidates.slice(0, limit * 3)) {
    if (found.length >= limit) break;
    const person = await deps.identityOf(c);
    if (!person || person.isGroup || person.id === author.id || found.some((f) => f.id === person.id)) continue;
    found.push({ ...person, reason: reasonFor(c, deps.now) });
  }
  return found;
}
