/**
 * The page session's wire: the background asks the content script of the tab whose page sent a
 * request to make one REST call with the page's own signed-in session (same origin, its cookies),
 * and gets the answer back whole. Used only for a page of an organization without a profile.
 */
export const PAGE_FETCH = 'adoc.pageFetch';

export interface PageFetchRequest {
  type: typeof PAGE_FETCH;
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** `status` 302 stands for any redirect (a browser hides where a manual redirect goes). */
export type PageFetchAnswer = { status: number; headers: [string, string][]; text: string } | { error: string };
