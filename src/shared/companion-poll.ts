/** How often a page asks again while the companion is missing, so it notices an install by itself. */
export const COMPANION_POLL_MS = 3000;
