import type { AdoPage } from '../shared/ado/urls';
import { HANDOFF_CHANNEL, isContributionMessage, parseHandoff, type Handoff, type HandoffAck } from '../shared/ado-extension';
import type { Feature } from './feature';
import { h, onActivate, widget, widgetRoot } from './ui/dom';

/**
 * The browser extension's end of the Azure DevOps extension's menus (ado-extension/). A menu item's
 * hidden iframe posts what the user chose; this script accepts it only from a frame of this page
 * served by our contribution's origin, for this page's organization (src/shared/ado-extension.ts),
 * answers so the iframe does not open its fallback dialog, and shows the matching feature's own
 * button in a small panel. Nothing starts until the user clicks there (trusted clicks only, as
 * everywhere), so a forged message can at most show a panel for the page's own organization.
 */

/** The feature that does each action (those of other branches join by id when they land). */
const FEATURE_OF: Record<Handoff['action'], string> = { clone: 'clone-to-desktop', checkout: 'pull-request-checkout', startWork: 'start-work' };

const VERB: Record<Handoff['action'], string> = { clone: 'Clone to desktop', checkout: 'Check out locally', startWork: 'Start work' };

/** The page the feature would be mounted on had the user opened it: what the menu named, in this page's organization. */
function pageFor(page: AdoPage, m: Handoff): AdoPage {
  const base = { ...page, project: m.project, repository: m.repository, branch: m.branch };
  if (m.action === 'checkout') return { ...base, page: 'pullRequest', pullRequestId: m.pullRequestId };
  if (m.action === 'startWork') return { ...base, page: 'other', workItemId: m.workItemId } as AdoPage;
  return { ...base, page: 'repoFiles' };
}

function describe(m: Handoff): string {
  if (m.action === 'startWork') return `Work item ${m.workItemId} in ${m.project}`;
  if (m.action === 'checkout') return `Pull request ${m.pullRequestId} of ${m.repository}`;
  return `${m.repository}${m.branch ? `, branch ${m.branch}` : ''}`;
}

export interface HandoffOptions {
  page: () => AdoPage | undefined;
  /** Azure DevOps Server origins the user granted: a Server serves our contribution from itself. */
  serverOrigins: () => readonly string[];
  features: readonly Feature[];
}

/** Listens for hand-offs until `signal` aborts. */
export function listenForHandoffs({ page, serverOrigins, features }: HandoffOptions, signal: AbortSignal): void {
  let shown: AbortController | undefined;

  function show(current: AdoPage, m: Handoff): void {
    shown?.abort();
    const life = new AbortController();
    shown = life;
    signal.addEventListener('abort', () => life.abort(), { once: true, signal: life.signal });
    // Where the person was (Azure DevOps' menu gives it back to its ⋮ button): the focus returns there.
    const before = document.activeElement;
    const back = () => before instanceof HTMLElement && before.isConnected && before.focus();
    /** Work this dialog's feature started at the person's click, still going: Dismiss does not drop it. */
    const mine = new Set<Promise<unknown>>();
    const onWork = (work: Promise<unknown>) => {
      mine.add(work);
      const done = () => void mine.delete(work);
      work.then(done, done);
    };
    const { host, root } = widget('handoff', 'div');
    host.style.cssText = 'position:fixed;z-index:2147483000;right:16px;bottom:16px';
    const feature = features.find((f) => (f.id as string) === FEATURE_OF[m.action]);
    const slot = h('div', { class: 'adoc-row' });
    const dismiss = h('button', { class: 'adoc-button', type: 'button' }, 'Dismiss');
    const ended = h('p', { class: 'adoc-muted', role: 'status' });
    /**
     * Dismiss, or Escape. A task started here (a clone, with its progress and Cancel) goes on, and
     * dismissing the dialog must not lose it: the dialog steps aside without ending the feature,
     * and comes back once the task has ended, its button saying how (its panel has the outcome).
     */
    const close = () => {
      back();
      if (mine.size === 0) return life.abort();
      host.style.display = 'none';
      // Until all of it has ended, including what one part starts when it ends (creating a branch, then its checkout).
      void (async () => {
        while (mine.size > 0) await Promise.allSettled(mine);
      })().then(() => {
        if (life.signal.aborted) return;
        host.style.display = '';
        ended.textContent = 'It has ended: open it to see how it went.';
      });
    };
    onActivate(dismiss, close, life.signal);
    const panel = h(
      'div',
      { class: 'adoc-panel', role: 'dialog', tabindex: -1, 'aria-label': `Azure DevOps Companion: ${VERB[m.action]}` },
      h('h2', { class: 'adoc-title' }, VERB[m.action]),
      h('p', null, describe(m)),
      feature ? slot : h('p', { class: 'adoc-muted' }, 'This version of the browser extension cannot do that yet.'),
      ended,
      h('div', { class: 'adoc-row adoc-wrap' }, dismiss),
    );
    root.append(panel);
    document.body.append(host);
    life.signal.addEventListener('abort', () => host.remove(), { once: true });
    // The feature draws its own button, which opens its own panel (plan, companion checks, progress).
    const drawn = feature?.mount(slot, { signal: life.signal, page: pageFor(current, m), floating: true, onWork });
    if (drawn) slot.append(drawn);
    // The person chose this in Azure DevOps' menu: the focus comes along, to the first button (the
    // feature's, in a closed root of its own), and Escape dismisses the dialog; while the feature's
    // panel is open, Escape closes that panel first (its own handler, which runs after this one).
    const trigger = drawn && widgetRoot(drawn)?.querySelector('button');
    addEventListener(
      'keydown',
      (e) => e.key === 'Escape' && e.isTrusted && e.composedPath().includes(host) && trigger?.getAttribute('aria-expanded') !== 'true' && close(),
      { capture: true, signal: life.signal },
    );
    (trigger ?? dismiss).focus();
  }

  window.addEventListener(
    'message',
    (event) => {
      const current = page();
      if (!current) return;
      const frames = Array.from(document.querySelectorAll('iframe'), (f) => f.contentWindow);
      if (!isContributionMessage(event, frames, serverOrigins())) return;
      const m = parseHandoff(event.data, current.organization);
      if (!m) return;
      const ack: HandoffAck = { channel: HANDOFF_CHANNEL, ack: m.id };
      (event.source as Window).postMessage(ack, event.origin);
      show(current, m);
    },
    { signal },
  );
}
