import type { RepoSummary } from '../shared/messages';
import type { Profile } from '../shared/profile';
import { POPUP_SNAPSHOT } from '../shared/storage-keys';

/**
 * The first screen of the popup's list, kept in the popup's own localStorage: the next popup reads
 * it synchronously as its script starts and draws it in its first frame, before the app's code,
 * IndexedDB or the worker answer; the full lists replace it as they come, row for row (the same
 * first rows, the same status line), so nothing on screen moves. Written whenever the list is drawn
 * from fresh data; rid of removed profiles as the popup reads the profiles (prune-snapshot.ts). It
 * holds what a row shows and what opening the popup on it needs: profile and organization names,
 * project and repository names, their URLs, and the markup the app draws for exactly that
 * (`html`). Never a token (profiles hold none).
 */

/** Bumped when what `Snapshot` holds changes: another format reads as none. */
export const SNAPSHOT_FORMAT = 3;
/** Rows kept: more than the list shows before scrolling. */
export const SNAPSHOT_ROWS = 12;

/** What the first frame needs of a profile: its name in the switcher, its organization per row. */
export type SnapshotProfile = Pick<Profile, 'id' | 'name' | 'organization'>;

export type SnapshotRepo = Pick<RepoSummary, 'id' | 'name' | 'project' | 'webUrl' | 'isFork' | 'isDisabled'>;

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** Every profile, in the switcher's order, and the active one. */
  profiles: SnapshotProfile[];
  activeId: string;
  /**
   * The profiles whose organizations the list covers, in the list's order, and how many
   * repositories each list has: a list whose profile is removed by the next popup leaves the count
   * with its rows.
   */
  listed: { id: string; total: number }[];
  /** The first rows of the list with nothing typed, each with its profile (index into `listed`). */
  rows: { list: number; repo: SnapshotRepo }[];
  /**
   * The app's own markup for this snapshot (first-screen.tsx), drawn before the app's code has
   * loaded, and the extension version that drew it: another version's markup is not drawn.
   */
  html?: string;
  version?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isString = (v: unknown): v is string => typeof v === 'string';

/** Only what a snapshot may hold: a row's fields are copied one by one, so nothing else is ever kept. */
export function snapshotRepo(repo: RepoSummary): SnapshotRepo {
  const kept: SnapshotRepo = { id: repo.id, name: repo.name, project: { id: repo.project.id, name: repo.project.name } };
  if (repo.webUrl) kept.webUrl = repo.webUrl;
  if (repo.isFork) kept.isFork = true;
  if (repo.isDisabled) kept.isDisabled = true;
  return kept;
}

export function snapshotProfile(p: SnapshotProfile): SnapshotProfile {
  return { id: p.id, name: p.name, organization: p.organization };
}

/** The snapshot in `storage`, or undefined when there is none or it cannot be read. */
export function readSnapshot(storage: Pick<Storage, 'getItem'>): Snapshot | undefined {
  let parsed: unknown;
  try {
    const text = storage.getItem(POPUP_SNAPSHOT.key);
    if (!text) return undefined;
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isSnapshot(parsed) ? parsed : undefined;
}

function isSnapshot(v: unknown): v is Snapshot {
  if (!isObject(v) || v.format !== SNAPSHOT_FORMAT || !isString(v.activeId)) return false;
  if ((v.html !== undefined && !isString(v.html)) || (v.version !== undefined && !isString(v.version))) return false;
  const { profiles, listed, rows } = v;
  if (!Array.isArray(profiles) || !Array.isArray(listed) || !Array.isArray(rows)) return false;
  if (!profiles.every((p) => isObject(p) && isString(p.id) && isString(p.name) && isString(p.organization))) return false;
  const ids = new Set(profiles.map((p: SnapshotProfile) => p.id));
  if (!ids.has(v.activeId) || !listed.every((l) => isObject(l) && isString(l.id) && ids.has(l.id) && Number.isInteger(l.total) && (l.total as number) >= 0)) return false;
  return rows.every(
    (r) =>
      isObject(r) &&
      Number.isInteger(r.list) &&
      (r.list as number) >= 0 &&
      (r.list as number) < listed.length &&
      isObject(r.repo) &&
      isString(r.repo.id) &&
      isString(r.repo.name) &&
      isObject(r.repo.project) &&
      isString(r.repo.project.id) &&
      isString(r.repo.project.name),
  );
}

/** The snapshot's markup, if this version of the extension drew it. */
export function firstScreenHtml(snapshot: Snapshot | undefined, version: string): string | undefined {
  return snapshot?.version === version ? snapshot.html : undefined;
}

/** Keeps `snapshot` for the next popup; a full or refused storage only loses the head start. */
export function writeSnapshot(storage: Pick<Storage, 'setItem'>, snapshot: Snapshot): void {
  try {
    storage.setItem(POPUP_SNAPSHOT.key, JSON.stringify(snapshot));
  } catch {
    // The next popup draws from IndexedDB instead.
  }
}
