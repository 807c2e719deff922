import { cloneToDesktop } from './clone-to-desktop';
import type { Feature } from './feature';
import { forksAsRemotes } from './forks-as-remotes';
import { pullRequestReviewers } from './pull-request-reviewers';

/** Every injected feature, in the order they are mounted. */
export const FEATURES: readonly Feature[] = [cloneToDesktop, forksAsRemotes, pullRequestReviewers];
