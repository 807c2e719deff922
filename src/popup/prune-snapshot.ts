import { POPUP_SNAPSHOT } from '../shared/storage-keys';
import { SNAPSHOT_FORMAT, writeSnapshot, type Snapshot } from './snapshot';

// Apart from snapshot.ts: the popup's first-frame script loads that, and needs none of this.

/**
 * `snapshot` without the profiles that no longer exist (`ids` are the ones that do), whoever removed
 * them: their rows, their counts, their names in the switcher. The same snapshot when none went;
 * none when its active profile went, as its list came first and the next list starts with another.
 * Its markup, which shows them, goes too: the next popup draws the rest with the app.
 */
export function prunedSnapshot(snapshot: Snapshot, ids: readonly string[]): Snapshot | undefined {
  const profiles = snapshot.profiles.filter((p) => ids.includes(p.id));
  if (profiles.length === snapshot.profiles.length) return snapshot;
  if (!ids.includes(snapshot.activeId)) return undefined;
  const kept = snapshot.listed.map((l) => ids.includes(l.id));
  const listed = snapshot.listed.filter((_, i) => kept[i]);
  return {
    format: SNAPSHOT_FORMAT,
    profiles,
    activeId: snapshot.activeId,
    listed,
    rows: snapshot.rows.flatMap((r) => (kept[r.list] ? [{ list: listed.indexOf(snapshot.listed[r.list]!), repo: r.repo }] : [])),
  };
}

/** Keeps only what `prunedSnapshot` keeps of `snapshot`, for the next popup's first frame. */
export function pruneSnapshot(storage: Pick<Storage, 'setItem' | 'removeItem'>, snapshot: Snapshot, ids: readonly string[]): void {
  const kept = prunedSnapshot(snapshot, ids);
  if (kept === snapshot) return;
  if (kept) writeSnapshot(storage, kept);
  else storage.removeItem(POPUP_SNAPSHOT.key);
}
