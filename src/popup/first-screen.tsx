import { renderToString } from 'preact-render-to-string';
import { Popup } from './popup';
import { writeSnapshot, type Snapshot } from './snapshot';

/**
 * The markup the popup draws first for `snapshot`: the app with the snapshot and nothing else known
 * yet, rendered without running any effect. The next popup puts it on screen before its code has
 * loaded (first-frame.ts) and the app then takes those elements over, so this must be exactly what
 * the app draws first: it is the app's own render.
 */
export function firstScreen(snapshot: Snapshot): string {
  const never = new Promise<never>(() => undefined);
  return renderToString(<Popup start={{ snapshot, typed: '', profiles: never, takeCachedRepos: () => undefined }} />);
}

/** Keeps `snapshot` for the next popup, with its markup, which only this version of the extension draws. */
export function keepSnapshot(snapshot: Snapshot, version = chrome.runtime.getManifest().version): void {
  writeSnapshot(localStorage, { ...snapshot, html: firstScreen(snapshot), version });
}
