import type * as Search from './repo-search';

/**
 * The search code (repo-search.ts, fuzzy.ts), loaded once the popup's first frame is drawn: the
 * list draws without it, and the page has that much less script to load before it can.
 */
let search: typeof Search | undefined;
let loading: Promise<typeof Search> | undefined;

/** The search, if loaded. */
export const loadedSearch = (): typeof Search | undefined => search;

export function loadSearch(): Promise<typeof Search> {
  return (loading ??= import('./repo-search').then((m) => (search = m)));
}
