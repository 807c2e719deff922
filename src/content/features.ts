import { cloneToDesktop } from './clone-to-desktop';
import type { Feature } from './feature';
import { forksAsRemotes } from './forks-as-remotes';
import { openInEditor } from './open-in-editor';
import { pullRequestCheckout } from './pull-request-checkout';
import { pullRequestReviewers } from './pull-request-reviewers';
import { startWork } from './start-work';

/** Every injected feature, in the order they are mounted. */
export const FEATURES: readonly Feature[] = [cloneToDesktop, forksAsRemotes, pullRequestReviewers, pullRequestCheckout, openInEditor, startWork];
