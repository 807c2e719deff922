import { isBoardWorkItem, isBranches, isPullRequest, isPullRequestCreate, isRepoFiles, isRepoHome, isWorkItem, type AdoPage } from '../shared/ado/urls';
import type { BoardCheckout, FeatureId } from '../shared/messages';
import { ask } from './ask';
import { anchorOf, FEATURE_ANCHORS, placeAt, placeInHeader, PR_CREATE_HEADER, PR_HEADER_ANCHORS, PR_RIGHT_PANE, REVIEWERS_SECTIONS, type Anchor } from './anchors';
import type { Drawn, Feature, MountContext } from './feature';
import { lazyFeature, loadedPanels, loadPanels } from './lazy';
import { pullRequestFork, repoKeyOf, viewedBranch } from './repo-on-page';
import { companionStatus } from './session';
import { h, icon, placeFloating, steadyLabel, widget } from './ui/dom';

/**
 * Every injected feature as every Azure DevOps page loads it: where it applies, where it goes, and
 * the button (or card) it draws there, in plain DOM. What a feature does when used, its panel
 * included, is in its own file (clone-to-desktop.ts, …) and loads on first use (lazy.ts).
 */

type IconName = Parameters<typeof icon>[0];

/** A button opening the feature's panel, placed beside a header's commands (or in the dock). */
function headerButton(id: FeatureId, anchor: Element, ctx: MountContext, opts: { icon: IconName; text: Node | string; anchors: readonly Anchor[]; tooltip: () => string }): Drawn {
  const { host, root } = widget(id);
  const trigger = h('button', { class: 'adoc-button', type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false' }, icon(opts.icon), h('span', { class: 'adoc-label' }, opts.text));
  root.append(trigger);
  if (ctx.floating) placeFloating(anchor, host);
  else placeInHeader(opts.anchors, anchor, host, trigger, opts.tooltip, ctx.signal);
  return { host, root, anchor, trigger };
}

/** Whether this repository (at the branch viewed) is cloned here, or being cloned: the button says so before it is opened. */
async function cloneState(page: AdoPage): Promise<'cloned' | 'cloning' | undefined> {
  const repo = repoKeyOf(page);
  if (!repo || (await companionStatus.get()).state !== 'ready') return undefined;
  const branch = viewedBranch(page);
  const plan = await ask({ type: 'clone.plan', repo, ...(branch ? { branch } : {}) });
  return plan.existing ? 'cloned' : plan.cloning ? 'cloning' : undefined;
}

/**
 * A checkout of this page's the background runs already (the page was reloaded during it), or that
 * ended unheard as the page reloaded: the feature's code is loaded at once, so its button follows
 * the checkout, or says how it ended, before it is clicked.
 */
function loadIfCheckingOut(ctx: MountContext, ours: (c: BoardCheckout) => boolean): void {
  if (loadedPanels()) return;
  const idle = requestIdleCallback(
    () =>
      void ask({ type: 'clone.tasks' }).then(
        ({ tasks }) => !ctx.signal.aborted && tasks.some((t) => t.checkout && ours(t.checkout)) && void loadPanels().catch(() => undefined),
        () => undefined,
      ),
    { timeout: 300 },
  );
  ctx.signal.addEventListener('abort', () => cancelIdleCallback(idle), { once: true });
}

const cloneToDesktop: Feature = {
  id: 'clone-to-desktop',
  title: 'Clone to desktop',
  include: [(p) => isRepoFiles(p), (p) => isRepoHome(p), (p) => isBranches(p)],
  anchors: FEATURE_ANCHORS['clone-to-desktop'],
  mount(anchor, ctx) {
    const label = steadyLabel(['Clone to desktop', 'Cloned locally', 'Cloning… 100%']);
    const drawn = headerButton('clone-to-desktop', anchor, ctx, { icon: 'download', text: label.el, anchors: this.anchors, tooltip: () => 'Clone to desktop' });
    drawn.label = label;
    drawn.trigger!.setAttribute('aria-busy', 'true');
    if (!loadedPanels()) {
      // Asked once the page is idle: two messages to the background are not part of drawing.
      const idle = requestIdleCallback(
        () =>
          void cloneState(ctx.page).then(
            (state) => {
              // Once its code has taken over, the label is its business.
              if (ctx.signal.aborted || loadedPanels()) return;
              drawn.trigger!.removeAttribute('aria-busy');
              if (state === 'cloned') label.set('Cloned locally');
              if (state === 'cloning') {
                label.set('Cloning…');
                // Its code follows the clone (progress, then how it ended), which the label shows.
                void loadPanels().catch(() => label.set('Clone to desktop'));
              }
            },
            () => drawn.trigger!.removeAttribute('aria-busy'),
          ),
        { timeout: 300 },
      );
      ctx.signal.addEventListener('abort', () => cancelIdleCallback(idle), { once: true });
    }
    lazyFeature('clone-to-desktop', 'Clone to desktop', drawn, ctx);
    return drawn.host;
  },
};

const forksAsRemotes: Feature = {
  id: 'forks-as-remotes',
  title: 'Forks as remotes',
  // Where forks are for a user: the repository's Files page (Azure DevOps forks from its ⋮ menu)
  // and the pull request page when the pull request comes from a fork. No public source shows a
  // web page listing forks.
  include: [(p) => isRepoFiles(p), (p) => isRepoHome(p), (p) => isPullRequest(p)],
  anchors: FEATURE_ANCHORS['forks-as-remotes'],
  mount(anchor, ctx) {
    const fork = ctx.page.page === 'pullRequest' ? pullRequestFork(ctx.page) : undefined;
    // A pull request that does not come from a fork: nothing to add here.
    if (ctx.page.page === 'pullRequest' && !fork) return undefined;
    const drawn = headerButton('forks-as-remotes', anchor, ctx, {
      icon: 'fork',
      text: fork ? 'Fork remote…' : 'Add remote…',
      anchors: this.anchors,
      tooltip: () => (fork ? `Add the fork ${fork.project}/${fork.name} as a remote` : 'Forks: add as remote, fork and clone'),
    });
    lazyFeature('forks-as-remotes', 'Forks as remotes', fork ? { ...drawn, fork } : drawn, ctx);
    return drawn.host;
  },
};

/** The card on the Overview tab; a "Reviewers…" entry in the header's actions on the other tabs. */
const pullRequestReviewers: Feature = {
  id: 'pull-request-reviewers',
  title: 'Reviewer helpers',
  include: [(p) => isPullRequest(p), (p) => isPullRequestCreate(p)],
  anchors: FEATURE_ANCHORS['pull-request-reviewers'],
  mount(anchor, ctx) {
    const header = PR_HEADER_ANCHORS.find((a) => anchor.matches(a.selector));
    if (ctx.floating || header) {
      // In the dock or the header: a button opens the card.
      const drawn = headerButton('pull-request-reviewers', anchor, ctx, { icon: 'people', text: 'Reviewers…', anchors: PR_HEADER_ANCHORS, tooltip: () => 'Reviewers…' });
      lazyFeature('pull-request-reviewers', 'Reviewer helpers', drawn, ctx);
      return drawn.host;
    }
    const { host, root } = widget('pull-request-reviewers', 'div');
    const card = h('section', { class: 'adoc-card', 'aria-label': 'Reviewer helpers' }, h('div', { class: 'adoc-row' }, icon('people'), h('h2', { class: 'adoc-title adoc-grow' }, 'Reviewer helpers')), h('p', { class: 'adoc-muted', role: 'status' }, 'Loading…'));
    root.append(card);
    if (anchor.matches(PR_RIGHT_PANE.selector)) besideReviewers(anchor, host, ctx.signal);
    else placeAt(anchorOf([PR_CREATE_HEADER], anchor), anchor, host);
    lazyFeature('pull-request-reviewers', 'Reviewer helpers', { host, root, anchor, card }, ctx);
    return host;
  },
};

/** The card goes right after the section holding the Reviewers lists (the page draws it late), else last in the column. */
function besideReviewers(pane: Element, host: Element, signal: AbortSignal): void {
  const settle = () => {
    const section = [...pane.children].find((c) => c !== host && c.querySelector(REVIEWERS_SECTIONS));
    if (section && section.nextElementSibling !== host) section.after(host);
    else if (!section && host.parentElement !== pane) pane.append(host);
  };
  settle();
  const watch = new MutationObserver(settle);
  watch.observe(pane, { childList: true });
  signal.addEventListener('abort', () => watch.disconnect(), { once: true });
}

const pullRequestCheckout: Feature = {
  id: 'pull-request-checkout',
  title: 'Check out locally',
  include: [(p) => isPullRequest(p)],
  anchors: FEATURE_ANCHORS['pull-request-checkout'],
  mount(anchor, ctx) {
    const label = steadyLabel(['Check out', 'Checked out', 'Checking… 100%']);
    const id = ctx.page.pullRequestId;
    const drawn = headerButton('pull-request-checkout', anchor, ctx, { icon: 'branch', text: label.el, anchors: this.anchors, tooltip: () => `Check out pull request ${id} locally` });
    drawn.label = label;
    loadIfCheckingOut(ctx, (c) => 'pullRequestId' in c && c.pullRequestId === id);
    lazyFeature('pull-request-checkout', 'Check out locally', drawn, ctx);
    return drawn.host;
  },
};

const openInEditor: Feature = {
  id: 'open-in-editor',
  title: 'Open in editor',
  include: [(p) => isRepoFiles(p) && !!p.path && p.path !== '/'],
  anchors: FEATURE_ANCHORS['open-in-editor'],
  mount(anchor, ctx) {
    const drawn = headerButton('open-in-editor', anchor, ctx, { icon: 'open', text: 'Open in editor', anchors: this.anchors, tooltip: () => 'Open in editor' });
    lazyFeature('open-in-editor', 'Open in editor', drawn, ctx);
    return drawn.host;
  },
};

const startWork: Feature = {
  id: 'start-work',
  title: 'Start work',
  include: [(p) => isWorkItem(p), (p) => isBoardWorkItem(p)],
  anchors: FEATURE_ANCHORS['start-work'],
  mount(anchor, ctx) {
    const { host, root } = widget('start-work');
    const label = steadyLabel(['Start work', 'Working on it…', 'Branch created', 'Needs attention']);
    const trigger = h('button', { class: 'adoc-button', type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false' }, icon('branch'), label.el);
    root.append(trigger);
    if (ctx.floating) placeFloating(anchor, host);
    // At the end of the header's controls, where public userscripts add theirs.
    else placeAt(anchorOf(this.anchors, anchor), anchor, host);
    // Only a checkout started for this item: another's would load the code only to find it is not this page's.
    loadIfCheckingOut(ctx, (c) => 'branch' in c && c.workItem === ctx.page.workItemId);
    lazyFeature('start-work', 'Start work', { host, root, anchor, trigger, label }, ctx);
    return host;
  },
};

/** Every injected feature, in the order they are mounted. */
export const FEATURES: readonly Feature[] = [cloneToDesktop, forksAsRemotes, pullRequestReviewers, pullRequestCheckout, openInEditor, startWork];
