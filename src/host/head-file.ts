/**
 * The branch a clone the companion just made has checked out, read from its `.git/HEAD` instead of
 * starting git once more after every clone. Only the plain forms are trusted: `ref: refs/heads/B`
 * is branch B, an object id alone is a detached HEAD. Anything else (the reftable format's
 * `refs/heads/.invalid` stub, a `.git` file pointing elsewhere, an unreadable file) is undefined:
 * ask git then.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SYMBOLIC = /^ref: refs\/heads\/(\S+)\n?$/;
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})\n?$/;
const REFTABLE_STUB = '.invalid';

/** The checked-out branch, null for a detached HEAD, undefined when the file does not tell plainly. */
export function parseHeadFile(text: string): string | null | undefined {
  const symbolic = SYMBOLIC.exec(text);
  if (symbolic) return symbolic[1] === REFTABLE_STUB ? undefined : symbolic[1];
  return OBJECT_ID.test(text) ? null : undefined;
}

export function branchFromHeadFile(workTree: string): string | null | undefined {
  let text: string;
  try {
    text = readFileSync(join(workTree, '.git', 'HEAD'), 'utf8');
  } catch {
    return undefined;
  }
  return parseHeadFile(text);
}
