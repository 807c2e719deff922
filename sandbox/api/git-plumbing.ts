import { spawnGit } from '../git-exec';

/**
 * Small git plumbing helpers for the REST routes that read and write real repositories
 * (pushes, refs, commits, pull requests). Every call is one `git` process with an argument
 * vector; binary input goes through stdin untouched.
 */

export const ZERO_ID = '0'.repeat(40);
const OBJECT_ID = /^[0-9a-f]{40}$/;

export function isObjectId(s: unknown): s is string {
  return typeof s === 'string' && OBJECT_ID.test(s);
}

export interface GitRun {
  stdout: Buffer;
  stderr: string;
  code: number;
}

export interface GitOptions {
  input?: Buffer | string;
  env?: Record<string, string>;
  /** Object directories to read from besides the repository's own (a fork's objects for its parent). */
  alternates?: string[];
}

/** Runs git in `gitDir`; resolves with the exit code instead of throwing. */
export function git(gitDir: string, args: string[], opts: GitOptions = {}): Promise<GitRun> {
  const alternates: Record<string, string> = opts.alternates?.length ? { GIT_ALTERNATE_OBJECT_DIRECTORIES: opts.alternates.join(':') } : {};
  return spawnGit(args, { gitDir, ...(opts.input !== undefined ? { input: opts.input } : {}), env: { ...alternates, ...opts.env } });
}

/** Like git(), but a failure is an Error (a sandbox fault, answered as 500) and stdout is text. */
export async function gitText(gitDir: string, args: string[], opts: GitOptions = {}): Promise<string> {
  const r = await git(gitDir, args, opts);
  if (r.code !== 0) throw new Error(`git ${args[0]} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout.toString('utf8');
}

/** The commit a revision names, or undefined when it names none. */
export async function resolveCommit(gitDir: string, rev: string, opts: GitOptions = {}): Promise<string | undefined> {
  const r = await git(gitDir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], opts);
  const id = r.stdout.toString('utf8').trim();
  return r.code === 0 && isObjectId(id) ? id : undefined;
}

/** Tips of refs by full name (`refs/heads/main` → id), for the refs below or named by `patterns`. */
export async function refTips(gitDir: string, patterns: string[] = ['refs/']): Promise<Map<string, string>> {
  const out = await gitText(gitDir, ['for-each-ref', '--format=%(objectname) %(refname)', '--end-of-options', ...patterns]);
  const tips = new Map<string, string>();
  for (const line of out.split('\n')) {
    const i = line.indexOf(' ');
    if (i > 0) tips.set(line.slice(i + 1), line.slice(0, i));
  }
  return tips;
}

/**
 * Moves `ref` from `oldId` (ZERO_ID: must not exist yet) to `newId`, atomically; false when the
 * ref was not at `oldId` any more (someone else updated it first).
 */
export async function updateRef(gitDir: string, ref: string, newId: string, oldId: string): Promise<boolean> {
  const r = await git(gitDir, ['update-ref', '--end-of-options', ref, newId, oldId]);
  return r.code === 0;
}

/** git's ref-name rules (`git check-ref-format`). */
export function isValidRefName(ref: string): boolean {
  if (ref === '@' || ref.startsWith('/') || ref.endsWith('/') || ref.endsWith('.') || !ref.includes('/')) return false;
  if (ref.includes('..') || ref.includes('//') || ref.includes('@{') || /[\p{Cc} ~^:?*[\\]/u.test(ref)) return false;
  return ref.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

export async function mergeBase(gitDir: string, a: string, b: string, opts: GitOptions = {}): Promise<string | undefined> {
  const r = await git(gitDir, ['merge-base', a, b], opts);
  const id = r.stdout.toString('utf8').trim();
  return r.code === 0 && isObjectId(id) ? id : undefined;
}

export async function isAncestor(gitDir: string, ancestor: string, of: string, opts: GitOptions = {}): Promise<boolean> {
  return (await git(gitDir, ['merge-base', '--is-ancestor', ancestor, of], opts)).code === 0;
}

export interface Person {
  name: string;
  email: string;
  /** ISO date. */
  date: string;
}

/** git's environment for author and committer. */
function identityEnv(author: Person, committer: Person = author): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_AUTHOR_DATE: author.date,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
    GIT_COMMITTER_DATE: committer.date,
  };
}

/** Writes a commit object (no ref moves). */
export async function commitTree(gitDir: string, tree: string, parents: string[], message: string, who: Person, opts: GitOptions = {}): Promise<string> {
  const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-F', '-'];
  const id = (await gitText(gitDir, args, { ...opts, input: message, env: { ...opts.env, ...identityEnv(who) } })).trim();
  if (!isObjectId(id)) throw new Error(`git commit-tree answered '${id}'`);
  return id;
}

/** The tree a three-way merge of two commits gives, or `conflicts`. */
export async function mergeTree(gitDir: string, ours: string, theirs: string, opts: GitOptions = {}): Promise<{ tree: string } | 'conflicts'> {
  const r = await git(gitDir, ['merge-tree', '--write-tree', '--no-messages', ours, theirs], opts);
  const tree = r.stdout.toString('utf8').split('\n')[0]?.trim();
  if (r.code === 1) return 'conflicts';
  if (r.code !== 0 || !isObjectId(tree)) throw new Error(`git merge-tree failed (${r.code}): ${r.stderr.trim()}`);
  return { tree };
}

export interface TreeChange {
  /** add, edit, delete or rename (Azure DevOps' names for git's A, M/T, D, R). */
  changeType: 'add' | 'edit' | 'delete' | 'rename';
  /** Repository path with a leading slash. */
  path: string;
  originalPath?: string;
  objectId?: string;
  originalObjectId?: string;
}

/** Files that differ between two commits (renames detected), in path order. */
export async function diffTrees(gitDir: string, from: string | undefined, to: string, opts: GitOptions = {}): Promise<TreeChange[]> {
  const args = from ? ['diff-tree', '-r', '-z', '-M', '--raw', from, to] : ['diff-tree', '-r', '-z', '--root', '--raw', to];
  const fields = (await gitText(gitDir, args, opts)).split('\0');
  // A root diff starts with the commit id; skip anything that is not a ':' status record.
  const changes: TreeChange[] = [];
  for (let i = 0; i < fields.length; i++) {
    const meta = fields[i]!;
    if (!meta.startsWith(':')) continue;
    const [, , oldId, newId, status] = meta.slice(1).split(' ');
    const kind = status?.[0];
    if (kind === 'R' || kind === 'C') {
      const source = fields[++i]!;
      const target = fields[++i]!;
      changes.push({ changeType: kind === 'R' ? 'rename' : 'add', path: `/${target}`, originalPath: `/${source}`, objectId: newId, originalObjectId: oldId });
      continue;
    }
    const file = fields[++i]!;
    if (kind === 'A') changes.push({ changeType: 'add', path: `/${file}`, objectId: newId });
    else if (kind === 'D') changes.push({ changeType: 'delete', path: `/${file}`, originalObjectId: oldId });
    else changes.push({ changeType: 'edit', path: `/${file}`, objectId: newId, originalObjectId: oldId });
  }
  return changes;
}
