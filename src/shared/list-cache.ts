import { idbKeyValue, type IdbKeyValue } from './idb-store';
import type { Listing, RepoSummary } from './messages';

/**
 * The background's cached lists, kept in the extension's IndexedDB (`listStore()`), one JSON string
 * per list under `CACHED_LIST`'s keys (storage-keys.ts): for a large organization IndexedDB reads it
 * in a fraction of the time `storage.local` took (see BENCHMARKS.md, popup). The popup reads the
 * repository list straight from here, so it draws without a round trip through the worker. Lists
 * never hold secrets.
 *
 * Repository lists are stored packed (`packRepos`: a fifth of the size), in the order the popup
 * shows them (project, then name): the popup draws the first rows without sorting or indexing.
 */
export type CachedKind = 'projects' | 'repos';

/**
 * Bumped whenever what `json` holds changes. An entry of another format (or of none: the first
 * format had no number) reads as nothing cached, and the next fetch replaces it.
 */
export const CACHE_FORMAT = 2;

export interface CacheEntry {
  format: number;
  json: string;
  fetchedAt: number;
}

/** A list older than this is drawn, then refreshed. */
export const FRESH_MS = 5 * 60_000;

export function toCacheEntry(kind: CachedKind, items: readonly unknown[], fetchedAt: number): CacheEntry {
  const json = JSON.stringify(kind === 'repos' ? packRepos(items as RepoSummary[]) : items);
  return { format: CACHE_FORMAT, json, fetchedAt };
}

/** The list an entry holds; nothing for an entry of another format or one that cannot be read. */
export function fromCacheEntry<T>(kind: CachedKind, entry: unknown, profileId: string, now: number): Listing<T> | undefined {
  const e = entry as Partial<CacheEntry> | undefined;
  if (e?.format !== CACHE_FORMAT || typeof e.json !== 'string' || typeof e.fetchedAt !== 'number') return undefined;
  let items: T[];
  try {
    const parsed: unknown = JSON.parse(e.json);
    items = (kind === 'repos' ? unpackRepos(parsed as PackedRepos) : parsed) as T[];
  } catch {
    return undefined;
  }
  return Array.isArray(items) ? { items, fetchedAt: e.fetchedAt, profileId, stale: now - e.fetchedAt > FRESH_MS } : undefined;
}

/** The order the popup lists repositories in: by project, then name, as people read them. */
export function sortRepos<T extends Pick<RepoSummary, 'name' | 'project'>>(repos: readonly T[]): T[] {
  const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  return repos.toSorted((a, b) => collator.compare(a.project.name, b.project.name) || collator.compare(a.name, b.name));
}

// ---------------------------------------------------------------------------------------------
// Where the lists live.

/** The shape of the worker's `KeyValue`, so the worker can keep its cached lists here. */
export type ListStore = IdbKeyValue;

/**
 * The extension's IndexedDB of cached lists (shared by the worker and the extension's pages). A
 * browser that refuses IndexedDB reads as an empty cache and keeps nothing: lists are then
 * fetched each time, which is slower but correct.
 */
export function listStore(idb: IDBFactory | undefined = globalThis.indexedDB): ListStore {
  const lists = idbKeyValue('cached-lists', 'lists', idb);
  return {
    get: (keys) => lists.get(keys).catch(() => ({})),
    set: (items) => lists.set(items).catch(warn),
    remove: (keys) => lists.remove(keys).catch(warn),
  };
}

const warn = (e: unknown) => console.warn('The cached lists could not be written:', e);

// ---------------------------------------------------------------------------------------------
// Packed repository lists.

/**
 * A URL written as literal text and names: `0` stands for the project name, `1` for the repository
 * name, each percent-encoded. `https://fabrikam@dev.azure.com/fabrikam/Web%20Apps/_git/site` is
 * `['https://fabrikam@dev.azure.com/fabrikam/', 0, '/_git/', 1]`, which every repository shares.
 */
export type UrlShape = (string | 0 | 1)[];

/** [id, name, index into `projects`, index into `urls`, default branch or '', FLAG_* bits, size or -1] */
export type PackedRepo = [id: string, name: string, project: number, urls: number, defaultBranch: string, flags: number, size: number];

export interface PackedRepos {
  /** [id, name] of each project. */
  projects: [string, string][];
  /** The distinct [clone URL, SSH URL, web URL] shapes; null: the repository has no such URL. */
  urls: [UrlShape | null, UrlShape | null, UrlShape | null][];
  repos: PackedRepo[];
}

const FLAG_DISABLED = 1;
const FLAG_FORK = 2;

const encoded = (name: string): string => {
  try {
    return encodeURIComponent(name);
  } catch {
    // Not well-formed Unicode: no URL is derived from it (`shapeOf` keeps the URL as written).
    return '\u0000';
  }
};

/** `shape` with the project and repository names put in, both already percent-encoded. */
function fill(shape: UrlShape, project: string, repo: string): string {
  let url = '';
  for (let i = 0; i < shape.length; i++) {
    const part = shape[i];
    url += part === 0 ? project : part === 1 ? repo : part;
  }
  return url;
}

/**
 * The shape of a repository's URL: its encoded name at the end and its encoded project as a path
 * segment before it, the rest literal. Checked by filling it in again, so every URL comes back
 * exactly as Azure DevOps wrote it; one that does not follow the pattern is kept whole.
 */
export function shapeOf(url: string, project: string, repo: string): UrlShape {
  const name = encoded(repo);
  const segment = `/${encoded(project)}/`;
  if (!url.endsWith(name)) return [url];
  const head = url.slice(0, url.length - name.length);
  const at = head.lastIndexOf(segment);
  const shape: UrlShape = at < 0 ? [head, 1] : [head.slice(0, at + 1), 0, head.slice(at + segment.length - 1), 1];
  return fill(shape, encoded(project), name) === url ? shape : [url];
}

/** Projects and URL shapes once, then each repository as one short row. */
export function packRepos(repos: readonly RepoSummary[]): PackedRepos {
  const projects = new Map<string, number>();
  const shapes = new Map<string, number>();
  const packed: PackedRepos = { projects: [], urls: [], repos: [] };
  for (const r of repos) {
    let project = projects.get(r.project.id);
    if (project === undefined) {
      project = packed.projects.push([r.project.id, r.project.name]) - 1;
      projects.set(r.project.id, project);
    }
    const shape = (url: string | undefined) => (url === undefined ? null : shapeOf(url, r.project.name, r.name));
    const urls: PackedRepos['urls'][number] = [shape(r.remoteUrl), shape(r.sshUrl), shape(r.webUrl)];
    const key = JSON.stringify(urls);
    let urlsAt = shapes.get(key);
    if (urlsAt === undefined) {
      urlsAt = packed.urls.push(urls) - 1;
      shapes.set(key, urlsAt);
    }
    const flags = (r.isDisabled ? FLAG_DISABLED : 0) | (r.isFork ? FLAG_FORK : 0);
    packed.repos.push([r.id, r.name, project, urlsAt, r.defaultBranch ?? '', flags, r.size ?? -1]);
  }
  return packed;
}

/**
 * The repositories again, every field as `packRepos` was given it. It runs as the popup opens, in
 * code not yet optimised: reading rows by index (no destructuring, which runs the iterator
 * protocol) keeps it a few milliseconds for thousands of repositories.
 */
export function unpackRepos(packed: PackedRepos): RepoSummary[] {
  const projects = packed.projects.map((p) => ({ id: p[0], name: p[1] }));
  const projectNames = packed.projects.map((p) => encoded(p[1]));
  return packed.repos.map((row) => {
    const name = row[1];
    const urls = packed.urls[row[3]]!;
    const repo: RepoSummary = { id: row[0], name, project: projects[row[2]]! };
    if (row[4]) repo.defaultBranch = row[4];
    if (urls[0] || urls[1] || urls[2]) {
      const projectName = projectNames[row[2]]!;
      const repoName = encoded(name);
      if (urls[0]) repo.remoteUrl = fill(urls[0], projectName, repoName);
      if (urls[1]) repo.sshUrl = fill(urls[1], projectName, repoName);
      if (urls[2]) repo.webUrl = fill(urls[2], projectName, repoName);
    }
    if (row[5] & FLAG_DISABLED) repo.isDisabled = true;
    if (row[5] & FLAG_FORK) repo.isFork = true;
    if (row[6] >= 0) repo.size = row[6];
    return repo;
  });
}
