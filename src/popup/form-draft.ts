import { useLayoutEffect, useRef } from 'preact/hooks';

/** Long enough to update a token in Options and come back; short enough that a forgotten draft does not greet a later form. */
const KEPT_MS = 24 * 60 * 60_000;

interface Kept<T> {
  at: number;
  draft: T;
}

function readKept<T>(key: string): Kept<T> | undefined {
  try {
    const kept = JSON.parse(localStorage.getItem(key) ?? 'null') as Kept<T> | null;
    if (kept && Date.now() - kept.at < KEPT_MS) return kept;
  } catch {
    // Not ours to read: no draft.
  }
  localStorage.removeItem(key);
  return undefined;
}

/** The draft kept under `key` (popup localStorage), unless it is older than a day. */
export const readDraft = <T>(key: string): T | undefined => readKept<T>(key)?.draft;

/** The drafts kept under keys starting with `prefix`; those older than a day are dropped on the way, or nothing else would. */
function keptUnder<T>(prefix: string): Kept<T>[] {
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  return keys.flatMap((key) => readKept<T>(key) ?? []);
}

/** The latest of the drafts kept under keys starting with `prefix` (a form keeps one per thing it is of). */
export function latestDraft<T>(prefix: string): T | undefined {
  let latest: Kept<T> | undefined;
  for (const kept of keptUnder<T>(prefix)) if (!latest || kept.at > latest.at) latest = kept;
  return latest?.draft;
}

/** Drops the drafts under `prefix` older than a day: those of things no longer shown are read by nothing else. */
export const dropStaleDrafts = (prefix: string) => void keptUnder(prefix);

/** Drops the draft under `key`: what it held has gone on with the form, under another key. */
export const dropDraft = (key: string) => localStorage.removeItem(key);

/**
 * Keeps `draft` under `key` while it is defined (something typed and not yet created), so that a
 * popup closed before Create finds it again: the popup closes whenever the focus leaves it, and a
 * failed create's Update the token opens Options, which takes it. Undefined removes the draft
 * this form wrote or restored under `key`; another one (of a repository this form did not open on) is left.
 */
export function useKeptDraft<T>(key: string | undefined, draft: T | undefined, restored: boolean): void {
  // The key this form's draft is under.
  const mine = useRef(restored ? key : undefined);
  const json = draft === undefined ? undefined : JSON.stringify(draft);
  // Written as the change is drawn, not a frame later: a popup closed in between (a click elsewhere
  // right after choosing) would lose the last change.
  useLayoutEffect(() => {
    if (key === undefined) return;
    if (json !== undefined) localStorage.setItem(key, `{"at":${Date.now()},"draft":${json}}`);
    else if (mine.current === key) localStorage.removeItem(key);
    mine.current = json === undefined ? undefined : key;
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
