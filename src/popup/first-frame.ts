/**
 * The popup page's script. It puts the last popup's first screen on screen at once — the markup the
 * app itself drew for its snapshot (first-screen.tsx) — and only then loads the app, which takes
 * those very elements over (main.tsx). The app's code is most of what the page loads: waiting for
 * it held the first frame back by ~30 ms (BENCHMARKS.md, popup).
 *
 * The markup comes from the popup's own localStorage, which only this extension's pages can write,
 * and was rendered by preact, which escapes every name in it; the extension's pages run no inline
 * script or handler in any case (their content security policy).
 */
import { firstScreenHtml, readSnapshot } from './snapshot';

const snapshot = readSnapshot(localStorage);
const app = document.getElementById('app')!;
const html = firstScreenHtml(snapshot, chrome.runtime.getManifest().version);
// Parsed in a document of its own and moved in: `innerHTML` would be the same, but store reviews flag it.
if (html !== undefined) app.replaceChildren(...new DOMParser().parseFromString(html, 'text/html').body.childNodes);
// The app loads once this frame is on screen: even starting to load its files takes a few ms.
const drawn = html === undefined ? Promise.resolve() : new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
drawn
  .then(() => import('./main'))
  .then((m) => m.start(app, snapshot))
  .catch((error: unknown) => {
    // Its files changed under it (an update) or are damaged: a stale first frame must not stand in for the popup.
    const note = document.createElement('p');
    note.className = 'problem';
    note.setAttribute('role', 'alert');
    note.textContent = `The popup could not start (${String(error)}). Close it and open it again; if this keeps happening, reload the extension on the browser's extensions page.`;
    app.replaceChildren(note);
  });
