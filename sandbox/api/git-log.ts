import { git } from './git-plumbing';

/** Reading commit history with what the commits REST answer needs (change counts, changed paths). */

export interface LogEntry {
  commitId: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
  /** Changed files (first parent; none for merges), with Azure DevOps' change names. */
  changes: { changeType: 'add' | 'edit' | 'delete'; path: string }[];
}

export interface LogQuery {
  /** A revision (commit id or full ref name). */
  from: string;
  /** Repository path with or without a leading slash; limits to commits touching it. */
  path?: string;
  author?: string;
  top: number;
  skip: number;
}

const FIELD = '\x1f';
const RECORD = '\x1e';

/** Newest first; empty when `from` resolves to nothing. */
export async function logCommits(gitDir: string, q: LogQuery): Promise<LogEntry[]> {
  const format = `${RECORD}${['%H', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'].join('%x1f')}%x1f`;
  const args = [
    '-c',
    'core.quotePath=false',
    'log',
    `--format=${format}`,
    '--name-status',
    '--no-renames',
    `--max-count=${q.top}`,
    `--skip=${q.skip}`,
    ...(q.author ? [`--author=${q.author}`, '--regexp-ignore-case', '--fixed-strings'] : []),
    '--end-of-options',
    q.from,
    '--',
  ];
  const itemPath = q.path?.replace(/^\/+/, '').replace(/\/+$/, '');
  if (itemPath) args.push(itemPath);
  const r = await git(gitDir, args);
  if (r.code !== 0) return [];
  return r.stdout
    .toString('utf8')
    .split(RECORD)
    .filter((rec) => rec.includes(FIELD))
    .map(parseRecord);
}

function parseRecord(rec: string): LogEntry {
  const [commitId, parents, an, ae, ad, cn, ce, cd, message, statusText] = rec.split(FIELD);
  const changes: LogEntry['changes'] = [];
  for (const line of (statusText ?? '').split('\n')) {
    const m = /^([AMDT])\t(.+)$/.exec(line);
    if (!m) continue;
    changes.push({ changeType: m[1] === 'A' ? 'add' : m[1] === 'D' ? 'delete' : 'edit', path: `/${m[2]}` });
  }
  return {
    commitId: commitId!,
    parents: parents ? parents.split(' ') : [],
    author: { name: an!, email: ae!, date: isoSeconds(ad!) },
    committer: { name: cn!, email: ce!, date: isoSeconds(cd!) },
    message: message ?? '',
    changes,
  };
}

/** `2018-06-15T17:05:18Z`, the form Azure DevOps writes commit dates in. */
function isoSeconds(date: string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
