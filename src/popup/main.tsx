import { render } from 'preact';
import { Popup } from './popup';
import type { Snapshot } from './snapshot';
import { startLoading } from './startup';

/**
 * Draws the popup into `app`. When the first frame already shows the snapshot's markup, preact takes
 * those elements over rather than drawing new ones: the search field is the one the user may have
 * typed in, and nothing on screen moves.
 */
export function start(app: HTMLElement, snapshot: Snapshot | undefined): void {
  const typed = app.querySelector<HTMLInputElement>('#repo-search')?.value ?? '';
  render(<Popup start={startLoading(snapshot, typed)} />, app);
}
