/**
 * Query words: split on spaces and `/` (which no project or repository name contains), lower case.
 * Apart from the search (repo-search.ts), which loads after the popup's first frame.
 */
export function queryTokens(query: string): string[] {
  return query
    .toLowerCase()
    .split(/[\s/]+/u)
    .filter((t) => t !== '');
}
