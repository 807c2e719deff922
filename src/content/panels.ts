import { attach as cloneToDesktop } from './clone-to-desktop';
import { attach as forksAsRemotes } from './forks-as-remotes';
import { PANELS_KEY, type Panels } from './lazy';
import { attach as openInEditor } from './open-in-editor';
import { attach as pullRequestCheckout } from './pull-request-checkout';
import { attach as pullRequestReviewers } from './pull-request-reviewers';
import { attach as startWork } from './start-work';

/**
 * The injected features' own code: their panels and what they do. Not loaded with the page: the
 * background runs this script in the page's frame when a feature is first used (lazy.ts), and it
 * leaves the features where the content script finds them (its own world; pages cannot see it).
 */
const panels: Panels = {
  'clone-to-desktop': cloneToDesktop,
  'forks-as-remotes': forksAsRemotes,
  'pull-request-reviewers': pullRequestReviewers,
  'pull-request-checkout': pullRequestCheckout,
  'open-in-editor': openInEditor,
  'start-work': startWork,
};
(globalThis as Record<symbol, Panels | undefined>)[PANELS_KEY] ??= panels;
