import type { AdoPageKind } from '../shared/ado/urls';
import type { FeatureId } from '../shared/messages';
import { compactWhenNarrow, shapeLike } from './ui/dom';

/**
 * Every place on an Azure DevOps page a feature anchors to, in one list, each with the public
 * evidence for it (keys as in `sandbox/web/MARKUP.md`: G Gitpod's extension, A azdo-userscripts,
 * U unfuck-ado (checked live 2026-08), UI the azure-devops-ui library, D Microsoft's docs).
 * Newest markup first. Only class names and structure: no place is found by its (translated) text.
 * A name no public source shows does not belong here; when none of a feature's anchors appears,
 * the feature shows in the floating dock and the miss is logged (Options shows it).
 */
export type Confidence = 'high' | 'medium-high' | 'medium';

export interface Anchor {
  selector: string;
  /** The page kinds the anchor is looked for on. */
  pages: readonly AdoPageKind[];
  /** How a feature sits there. */
  place: Placement;
  source: string;
  confidence: Confidence;
}

/**
 * - `beside`: before the element, in its parent (for a header command bar: outside the
 *   ResponsiveLayout whose children azure-devops-ui measures by DOM index, so none of Azure
 *   DevOps' own commands changes index or overflow order);
 * - `inside`: appended to the element;
 * - `after`: after the element, in its parent, behind those of ours placed there before (so they
 *   keep the order they were mounted in). The page's own children keep their positions: other
 *   extensions find the pull request header's actions as its second child (G).
 */
export type Placement = 'beside' | 'inside' | 'after';

const REPO: readonly AdoPageKind[] = ['repoFiles', 'repoHome'];

/** The Files page's header command bar (its outer `[role=menubar]` element carries both classes). */
export const FILES_COMMANDBAR: Anchor = {
  selector: '.repos-files-header-commandbar.bolt-header-commandbar',
  pages: REPO,
  place: 'beside',
  source: 'G + UI (class on the outer menubar and the inner button group)',
  confidence: 'high',
};
/** The same bar found through the header (before the class reached the outer element). */
export const FILES_HEADER_COMMANDBAR: Anchor = {
  selector: '.repos-files-header .bolt-header-commandbar',
  pages: REPO,
  place: 'beside',
  source: 'A (.repos-files-header since 2021-11) + UI (.bolt-header-commandbar)',
  confidence: 'medium',
};
/** The Files page's command bars while a file or a folder below the top is shown (`?path=…`). */
export const FILE_VIEW_COMMANDBAR: Anchor = { ...FILES_COMMANDBAR, pages: ['repoFiles'] };
export const FILE_VIEW_HEADER_COMMANDBAR: Anchor = { ...FILES_HEADER_COMMANDBAR, pages: ['repoFiles'] };
/** The empty repository's "Clone in VS Code" area, served at the repository's own URL. */
export const EMPTY_REPO_CLONE: Anchor = {
  selector: 'div.clone-with-application',
  pages: REPO,
  place: 'inside',
  source: 'G (Gitpod appends its button here)',
  confidence: 'medium-high',
};
/**
 * The Branches page's header command bar ("New branch"; the page has no Clone): any page header's
 * command bar, the URL says it is the Branches page.
 */
export const BRANCHES_COMMANDBAR: Anchor = {
  selector: '.bolt-header .bolt-header-commandbar',
  pages: ['branches'],
  place: 'beside',
  source: 'D create-branch.md ("New branch" in the command bar) + UI (.bolt-header-commandbar)',
  confidence: 'medium',
};
/** The pull request's right column; its direct children are the sections (Reviewers, Tags, Work items). */
export const PR_RIGHT_PANE: Anchor = {
  selector: '.repos-overview-right-pane',
  pages: ['pullRequest'],
  place: 'inside',
  source: 'A, U (checked live 2026-08)',
  confidence: 'high',
};
/**
 * The pull request header's actions (vote, complete, ⋮), on every tab: our entries go after the
 * header's child that holds them, outside anything that lays the actions out, so that child stays
 * `.repos-pr-header > div:nth-child(2)`, where Gitpod's extension (G) looks for it.
 */
export const PR_HEADER_ACTIONS: Anchor = {
  selector: '.repos-pr-header > :has(.repos-pr-header-vote-button)',
  pages: ['pullRequest'],
  place: 'after',
  source: 'A, U (checked live), G (.repos-pr-header-vote-button; G inserts into the actions container)',
  confidence: 'high',
};
/**
 * The same place on a pull request whose header has no vote button (the sandbox draws none once
 * it is completed or abandoned): the header's child holding its command bar. Without it the
 * features of such a pull request sat in the floating dock.
 */
export const PR_HEADER_COMMANDBAR: Anchor = {
  selector: '.repos-pr-header > :is(.bolt-header-commandbar, :has(.bolt-header-commandbar))',
  pages: ['pullRequest'],
  place: 'after',
  source: 'UI (.bolt-header-commandbar, a bolt header\'s commands) + G (the actions are the header\'s second child); for a header without a vote button',
  confidence: 'medium',
};
/** The pull request header's actions, with and without a vote button. */
export const PR_HEADER_ANCHORS: readonly Anchor[] = [PR_HEADER_ACTIONS, PR_HEADER_COMMANDBAR];
/** The pull request create page's header with its two branch pickers. */
export const PR_CREATE_HEADER: Anchor = {
  selector: '.repos-pr-create-header',
  pages: ['pullRequestCreate'],
  place: 'after',
  source: 'idx 2458466425, 26267680582, 9014991163 (PR-create helpers)',
  confidence: 'medium-high',
};

/**
 * The work item form's header controls (Assigned To, discussion, tags), on the full page and in the
 * dialog over boards and backlogs: userscripts append their buttons here. The evidence is the
 * 2017–2023 form (MARKUP.md W1–W3); the newer React form may have renamed it, hence the fallbacks.
 */
export const WORK_ITEM_HEADER_CONTROLS: Anchor = {
  selector: '.work-item-form-header-controls-container',
  pages: ['workItem', 'boards'],
  place: 'inside',
  source: 'W1 (the form renderer builds it), W2, W3 (userscripts and time trackers append here)',
  confidence: 'medium',
};
/** The form's whole header (id, title, controls). */
export const WORK_ITEM_MAIN_HEADER: Anchor = {
  selector: '.work-item-form-main-header',
  pages: ['workItem', 'boards'],
  place: 'inside',
  source: 'W1, W3',
  confidence: 'medium',
};
/** One of the header's two rows (id and title; controls and toolbar). */
export const WORK_ITEM_HEADER_CONTENT: Anchor = {
  selector: '.work-item-form-headerContent',
  pages: ['workItem', 'boards'],
  place: 'inside',
  source: 'W1, W3, W4',
  confidence: 'medium',
};

/** Each feature's places, in the order they are looked for (the live check reports on each). */
export const FEATURE_ANCHORS: Record<FeatureId, readonly Anchor[]> = {
  'clone-to-desktop': [FILES_COMMANDBAR, FILES_HEADER_COMMANDBAR, EMPTY_REPO_CLONE, BRANCHES_COMMANDBAR],
  'forks-as-remotes': [FILES_COMMANDBAR, FILES_HEADER_COMMANDBAR, EMPTY_REPO_CLONE, ...PR_HEADER_ANCHORS],
  'pull-request-reviewers': [PR_RIGHT_PANE, ...PR_HEADER_ANCHORS, PR_CREATE_HEADER],
  'pull-request-checkout': PR_HEADER_ANCHORS,
  'open-in-editor': [FILE_VIEW_COMMANDBAR, FILE_VIEW_HEADER_COMMANDBAR],
  'start-work': [WORK_ITEM_HEADER_CONTROLS, WORK_ITEM_MAIN_HEADER, WORK_ITEM_HEADER_CONTENT],
};

/** The Reviewers sections inside the right pane; the helper card goes right after the section holding them. */
export const REVIEWERS_SECTIONS = '.pr-required-reviewers-section, .pr-optional-reviewers-section, .repos-pr-no-items-well';
/** The pull request's source and target branch links (source first); their `href` names the repository, a fork's for a PR from a fork. */
export const PR_BRANCH_LINKS = '.pr-header-branches a.bolt-link';
/** The create page's branch labels, source first (a div with the branch in an inner `.text-ellipsis`). */
export const CREATE_BRANCH_LABELS = '.repos-pr-create-header .version-dropdown .bolt-dropdown-expandable-button-label';
/** Edit in the Files page's command bar: there while a file (not a folder) is shown. U, X, UI (`__bolt-` + the item's id). */
export const FILE_EDIT_COMMAND = '#__bolt-edit';
/** The Files page's branch picker label. */
export const BRANCH_LABELS = ['.version-dropdown .bolt-dropdown-expandable-button-label', '.version-dropdown .text-ellipsis'];

/** The selectors of `anchors` that apply to a page kind, in order. */
export const selectorsFor = (anchors: readonly Anchor[], page: AdoPageKind): string[] => anchors.filter((a) => a.pages.includes(page)).map((a) => a.selector);

/** The anchor an element was found by (the first whose selector it matches). */
export const anchorOf = (anchors: readonly Anchor[], el: Element): Anchor | undefined => anchors.find((a) => el.matches(a.selector));

/** Puts `host` at `el` the way its anchor says. */
export function placeAt(anchor: Anchor | undefined, el: Element, host: Element): void {
  if (anchor?.place === 'beside') el.before(host);
  else if (anchor?.place === 'after') {
    let last = el;
    while (last.nextElementSibling?.matches('[data-adoc]')) last = last.nextElementSibling;
    last.after(host);
  } else el.append(host);
}

/**
 * Puts a header feature at the anchor it was found by: beside or after a command bar (shaped like
 * its commands, icon-only while the header is narrow), or inside the empty repository's clone area.
 */
export function placeInHeader(anchors: readonly Anchor[], el: Element, host: HTMLElement, button: HTMLElement, label: () => string, signal: AbortSignal): void {
  const anchor = anchorOf(anchors, el);
  placeAt(anchor, el, host);
  if (anchor?.place !== 'beside' && anchor?.place !== 'after') return shapeLike(host, el.querySelector('button, a'));
  host.classList.add('adoc-beside');
  // Level with the bar's commands: Azure DevOps' bar keeps to the top of a header whose title
  // runs to two lines (a pull request's), where the header's middle would be lower.
  if (el.classList.contains('flex-self-start')) host.classList.add('adoc-top');
  shapeLike(host, el.querySelector('button.bolt-header-command-item-button'));
  compactWhenNarrow(host, button, label, signal);
}
