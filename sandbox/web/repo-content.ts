import type { GitRepos } from '../git-repos';
import type { Repository } from '../store';

/**
 * What the pages show of a repository, read from the real bare repository at render time
 * (never cached: a push or a REST change shows on the next render).
 */

export interface BranchInfo {
  name: string;
  objectId: string;
  author: string;
  date: string;
  subject: string;
}

export interface TreeEntry {
  name: string;
  path: string;
  kind: 'folder' | 'file';
}

export type ItemAt = { kind: 'folder'; entries: TreeEntry[] } | { kind: 'file'; size: number; text: string | undefined } | { kind: 'missing' };

const MAX_SHOWN_FILE = 256 * 1024;

export async function branches(git: GitRepos, repo: Repository): Promise<BranchInfo[]> {
  const out = await git.git(repo, [
    'for-each-ref',
    '--sort=refname',
    '--format=%(refname:strip=2)%00%(objectname)%00%(authorname)%00%(committerdate:iso-strict)%00%(contents:subject)',
    'refs/heads/',
  ]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, objectId, author, date, subject] = line.split('\0');
      return { name: name!, objectId: objectId!, author: author ?? '', date: date ?? '', subject: subject ?? '' };
    });
}

/** The default branch's short name, or undefined when the repository is empty. */
export async function defaultBranch(git: GitRepos, repo: Repository): Promise<string | undefined> {
  await git.ensure(repo);
  return (await git.defaultBranch(repo))?.replace(/^refs\/heads\//, '');
}

/** The folder listing or file text at `path` ("/" = root) of a commit. */
export async function itemAt(git: GitRepos, repo: Repository, commit: string, path: string): Promise<ItemAt> {
  const rel = path.replace(/^\/+|\/+$/g, '');
  const spec = `${commit}:${rel}`;
  const type = (await git.git(repo, ['cat-file', '-t', spec]).catch(() => '')).trim();
  if (type === 'tree') {
    const out = await git.git(repo, ['ls-tree', '-z', spec]);
    const entries = out
      .split('\0')
      .filter(Boolean)
      .map((rec): TreeEntry => {
        const tab = rec.indexOf('\t');
        const [, kind] = rec.slice(0, tab).split(' ');
        const name = rec.slice(tab + 1);
        return { name, path: `/${rel ? `${rel}/` : ''}${name}`, kind: kind === 'tree' ? 'folder' : 'file' };
      });
    entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1));
    return { kind: 'folder', entries };
  }
  if (type === 'blob') {
    const size = Number((await git.git(repo, ['cat-file', '-s', spec])).trim());
    if (size > MAX_SHOWN_FILE) return { kind: 'file', size, text: undefined };
    const text = await git.git(repo, ['cat-file', 'blob', spec]);
    return { kind: 'file', size, text: text.includes('\0') ? undefined : text };
  }
  return { kind: 'missing' };
}

export interface ChangedFile {
  change: 'add' | 'edit' | 'delete' | 'rename';
  path: string;
}

/** Files a pull request changes: the diff from the merge base of target and source to source. */
export async function changedFiles(git: GitRepos, repo: Repository, target: string, source: string): Promise<ChangedFile[]> {
  const out = await git.git(repo, ['diff', '--name-status', '-z', `${target}...${source}`, '--']).catch(() => '');
  const fields = out.split('\0').filter(Boolean);
  const files: ChangedFile[] = [];
  for (let i = 0; i < fields.length; i++) {
    const status = fields[i]!;
    const change = status.startsWith('A') ? 'add' : status.startsWith('D') ? 'delete' : status.startsWith('R') ? 'rename' : 'edit';
    if (change === 'rename') i++;
    files.push({ change, path: `/${fields[++i] ?? ''}` });
  }
  return files;
}

export interface CommitLine {
  commitId: string;
  author: string;
  date: string;
  subject: string;
}

/** Commits on source that target lacks, newest first. */
export async function commitsBetween(git: GitRepos, repo: Repository, target: string, source: string): Promise<CommitLine[]> {
  const out = await git.git(repo, ['log', '--format=%H%x00%an%x00%cI%x00%s', '--max-count=100', `${target}..${source}`, '--']).catch(() => '');
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [commitId, author, date, subject] = line.split('\0');
      return { commitId: commitId!, author: author ?? '', date: date ?? '', subject: subject ?? '' };
    });
}

/** How many commits `branch` is behind and ahead of `base`. */
export async function aheadBehind(git: GitRepos, repo: Repository, base: string, branch: string): Promise<{ behind: number; ahead: number }> {
  const out = await git.git(repo, ['rev-list', '--left-right', '--count', `${base}...${branch}`]).catch(() => '0\t0');
  const [behind, ahead] = out.trim().split(/\s+/).map(Number);
  return { behind: behind ?? 0, ahead: ahead ?? 0 };
}
