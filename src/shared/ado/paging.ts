import type { Answer } from './request';
import { AdoError } from './errors';

const MAX_PAGES = 1000;

/**
 * Follows `x-ms-continuationtoken` answer headers (projects, refs) until Azure DevOps stops sending
 * one. A token seen twice ends the walk rather than looping forever.
 */
export async function collectByContinuation<T>(
  what: string,
  fetchPage: (continuationToken: string | undefined) => Promise<Answer<T[]>>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await fetchPage(token);
    items.push(...answer.data);
    const next = answer.headers.get('x-ms-continuationtoken');
    if (!next || seen.has(next)) return items;
    seen.add(next);
    token = next;
  }
  throw new AdoError({ kind: 'invalidResponse', what, field: `more than ${MAX_PAGES} pages` });
}

/** Pages through `$top`/`$skip` lists until a short page, or until `limit` items are collected. */
export async function collectBySkip<T>(
  what: string,
  fetchPage: (skip: number, top: number) => Promise<T[]>,
  pageSize: number,
  limit = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  const items: T[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const found = await fetchPage(page * pageSize, pageSize);
    items.push(...found);
    if (found.length < pageSize || items.length >= limit) return items.slice(0, limit);
  }
  throw new AdoError({ kind: 'invalidResponse', what, field: `more than ${MAX_PAGES} pages` });
}
