import { createHash } from 'node:crypto';

/**
 * The same pages in three markups, so content scripts can be tested against Azure DevOps UI
 * changes: `modern` (today's bolt-/repos- vocabulary, see MARKUP.md), `legacy` (older class
 * names, same structure) and `broken` (no recognisable anchor at all). Pages are always written
 * in the modern vocabulary; the other variants are derived by renaming class tokens and ids in
 * the finished HTML and CSS, so all three stay structurally identical.
 */
export type MarkupVariant = 'modern' | 'legacy' | 'broken';

export const MARKUP_VARIANTS: readonly MarkupVariant[] = ['modern', 'legacy', 'broken'];
export const MARKUP_COOKIE = 'sandbox-markup';

export function isMarkupVariant(v: string | undefined | null): v is MarkupVariant {
  return !!v && (MARKUP_VARIANTS as readonly string[]).includes(v);
}

/** Old (pre-"New Navigation") names. Only the vote button ones are documented; see MARKUP.md. */
const LEGACY_CLASSES: Record<string, string> = {
  'bolt-page': 'hub-content',
  'bolt-header': 'vss-HubHeader',
  'bolt-header-title-area': 'vss-HubHeader-titleArea',
  'bolt-header-title': 'vss-HubTitle',
  'bolt-header-commandbar': 'ms-CommandBar',
  'bolt-header-commandbar-button-group': 'ms-CommandBar-primaryCommands',
  'bolt-header-command-item-button': 'ms-CommandBarItem',
  'bolt-button': 'ms-Button',
  'bolt-button-text': 'ms-Button-label',
  'bolt-split-button': 'ms-SplitButton',
  'bolt-split-button-main': 'ms-SplitButton-main',
  'bolt-split-button-option': 'ms-SplitButton-menuButton',
  'bolt-tabbar': 'vss-PivotBar',
  'bolt-tab': 'vss-PivotBar-item',
  'bolt-link': 'vss-Link',
  'version-dropdown': 'vc-branch-selector',
  'bolt-dropdown-expandable-button-label': 'vc-branch-selector-label',
  'repos-files-hub-page': 'vc-explorer-view',
  'repos-files-header': 'vc-explorer-header',
  'repos-files-header-commandbar': 'vc-explorer-toolbar',
  'clone-with-application': 'vc-clone-in-ide',
  'repos-clone-panel': 'vc-clone-popup',
  'repos-clone-url': 'vc-clone-url',
  'repos-pr-list-page': 'vc-pullrequests-view',
  'repos-pr-create-page': 'vc-pullrequest-create-view',
  'repos-pr-create-header': 'vc-pullrequest-create-header',
  'repos-pr-details-page': 'vc-pullrequest-details-view',
  'repos-pr-header': 'vc-pullrequest-header',
  'repos-pr-title-row': 'vc-pullrequest-title',
  'repos-pr-header-vote-button': 'vote-control-container',
  'repos-pr-header-complete-button': 'vc-pullrequest-complete',
  'pr-header-branches': 'vc-pullrequest-branches',
  'repos-pr-details-page-tabbar': 'vc-pullrequest-tabs',
  'repos-overview-right-pane': 'vc-pullrequest-sidebar',
  'pr-required-reviewers-section': 'vc-pullrequest-required-reviewers',
  'pr-optional-reviewers-section': 'vc-pullrequest-optional-reviewers',
  'repos-reviewer': 'vc-pullrequest-reviewer',
  'repos-pr-no-items-well': 'vc-pullrequest-no-reviewers',
};

const LEGACY_IDS: Record<string, string> = {};

/** Class prefixes a content script could anchor on; `broken` hides all of them. */
const ANCHOR_PREFIX = /^(bolt|repos|pr|vc|vss|ms|version|clone|region|page|hub|vote|reviewer)-/;
/** The theme classes stay in every variant: themes are not anchors, and the page script switches them. */
const THEME_CLASS = /^ms-vss-web-vsts-theme(-dark)?$/;

function hashed(token: string): string {
  return 'x' + createHash('sha1').update(token).digest('hex').slice(0, 6);
}

function renameClass(token: string, variant: MarkupVariant): string {
  if (variant === 'legacy') return LEGACY_CLASSES[token] ?? token;
  if (variant === 'broken') return ANCHOR_PREFIX.test(token) && !THEME_CLASS.test(token) ? hashed(token) : token;
  return token;
}

/** Rewrites `class="..."` and `id="..."` attributes (the pages always write them double-quoted). */
export function applyVariantToHtml(text: string, variant: MarkupVariant): string {
  if (variant === 'modern') return text;
  let out = text
    .replace(/ class="([^"]*)"/g, (_m, list: string) => ` class="${list.split(/\s+/).filter(Boolean).map((t) => renameClass(t, variant)).join(' ')}"`)
    .replace(/ id="(__bolt-[^"]*)"/g, (_m, id: string) => (variant === 'broken' ? '' : ` id="${LEGACY_IDS[id] ?? id.slice('__bolt-'.length)}"`));
  // The command bar's role is an anchor too; text and aria-labels stay (people still need them).
  if (variant === 'broken') out = out.replace(/ role="menubar"/g, '');
  return out;
}

/** Renames class selectors in a stylesheet the same way. */
export function applyVariantToCss(css: string, variant: MarkupVariant): string {
  if (variant === 'modern') return css;
  return css.replace(/\.([A-Za-z_][\w-]*)/g, (_m, token: string) => `.${renameClass(token, variant)}`);
}
