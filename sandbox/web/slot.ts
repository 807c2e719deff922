import { html, type Html } from './html';

/**
 * A part of a page that Azure DevOps renders late: the page script fetches it from
 * `/_sandbox/web/part?slot=NAME&url=PAGE` after a delay of `min`..`max` ms (random) and replaces
 * this placeholder with it, so nothing of the part exists in the DOM before then.
 */
export function slot(name: string, minMs: number, maxMs: number): Html {
  return html`<div data-sandbox-slot="${name}" data-sandbox-delay="${minMs}-${maxMs}"></div>`;
}
