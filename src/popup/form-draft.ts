import { useEffect, useRef } from 'preact/hooks';
import { NEW_PR_DRAFT, NEW_REPO_DRAFT, NEW_REPO_PROJECT, POPUP_PROFILE } from '../shared/storage-keys';
import { forgetSnapshot, readSnapshot } from './snapshot';

/** Long enough to update a token in Options and come back; short enough that a forgotten draft does not greet a later form. */
const KEPT_MS = 24 * 60 * 60_000;

/** The draft kept under `key` (popup localStorage), unless it is older than a day. */
export function readDraft<T>(key: string): T | undefined {
  try {
    const kept = JSON.parse(localStorage.getItem(key) ?? 'null') as { at: number; draft: T } | null;
    if (kept && Date.now() - kept.at < KEPT_MS) return kept.draft;
  } catch {
    // Not ours to read: no draft.
  }
  localStorage.removeItem(key);
  return undefined;
}

/**
 * Keeps `draft` under `key` while it is defined (something typed and not yet created), so that a
 * popup closed before Create finds it again: the popup closes whenever the focus leaves it, and a
 * failed create's Update the token opens Options, which takes it. Undefined removes the draft
 * this form wrote or restored; another one (of a repository this form did not open on) is left.
 */
export function useKeptDraft<T>(key: string, draft: T | undefined, restored: boolean): void {
  const mine = useRef(restored);
  const json = draft === undefined ? undefined : JSON.stringify(draft);
  useEffect(() => {
    if (json !== undefined) localStorage.setItem(key, `{"at":${Date.now()},"draft":${json}}`);
    else if (mine.current) localStorage.removeItem(key);
    mine.current = json !== undefined;
  }, [key, json]);
}

/**
 * Forgets what the popup keeps for a profile: its forms' drafts, its New repository project, and
 * the first screen of the last list (which names every profile, and may show this one's rows) and
 * the last profile shown, when they are this one's. Called by Options as it removes the profile,
 * since the worker cannot reach the popup's localStorage (Options shares it: one origin); else a
 * removed account's repositories would flash in the next popup's first frame, and a profile
 * imported again, under the same id, would find its drafts.
 */
export function forgetProfileInPopup(profileId: string, storage: Storage = localStorage): void {
  for (const key of [NEW_PR_DRAFT.key(profileId), NEW_REPO_DRAFT.key(profileId), NEW_REPO_PROJECT.key(profileId)]) storage.removeItem(key);
  if (storage.getItem(POPUP_PROFILE.key) === profileId) storage.removeItem(POPUP_PROFILE.key);
  if (readSnapshot(storage)?.profiles.some((p) => p.id === profileId)) forgetSnapshot(storage);
}
