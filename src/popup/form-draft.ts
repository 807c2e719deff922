import { useLayoutEffect, useRef } from 'preact/hooks';

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
  // Written as the change is drawn, not a frame later: a popup closed in between (a click elsewhere
  // right after choosing) would lose the last change.
  useLayoutEffect(() => {
    if (json !== undefined) localStorage.setItem(key, `{"at":${Date.now()},"draft":${json}}`);
    else if (mine.current) localStorage.removeItem(key);
    mine.current = json !== undefined;
  }, [key, json]);
}

/**
 * Forgets what the popup keeps for a profile in its localStorage: every entry whose key or value
 * names the profile's id (a UUID): its forms' drafts and New repository project, the last profile
 * shown, and the first screen of the last list (which names every profile, and may show this
 * one's rows). Called by Options as it removes the profile, since the worker cannot reach the
 * popup's localStorage (Options shares it: one origin); else a removed account's repositories
 * would flash in the next popup's first frame, and a profile imported again, under the same id,
 * would find its drafts. By the id rather than by the keys in storage-keys.ts: Options would then
 * share that module with the popup's first frame, which would load it as a second script.
 */
export function forgetProfileInPopup(profileId: string, storage: Storage = localStorage): void {
  for (let i = storage.length - 1; i >= 0; i--) {
    const key = storage.key(i);
    if (key !== null && (key.includes(profileId) || storage.getItem(key)?.includes(profileId))) storage.removeItem(key);
  }
}
