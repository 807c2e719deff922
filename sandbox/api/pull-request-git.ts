import path from 'node:path';
import type { GitRepos } from '../git-repos';
import type { PullRequest, PullRequestIteration, Repository, Store, User } from '../store';
import { commitTree, diffTrees, git, isAncestor, mergeBase, mergeTree, refTips, resolveCommit, type GitOptions, type Person, type TreeChange } from './git-plumbing';
import { logCommits } from './git-log';

/**
 * What a pull request is in git terms, always computed from the real repositories: the source
 * and target tips, its iterations (a new one whenever the source branch moved), a test merge of
 * source into target, the files it changes, and completing it with a real merge commit.
 */

export interface PullRequestRepos {
  target: Repository;
  source: Repository;
  /** Lets git in the target repository see a fork's objects. */
  opts: GitOptions;
}

export function reposOf(store: Store, pr: PullRequest): PullRequestRepos | undefined {
  const target = store.repositories.get(pr.repositoryId);
  const source = pr.forkSourceRepositoryId ? store.repositories.get(pr.forkSourceRepositoryId) : target;
  if (!target || !source) return undefined;
  const opts = source.id === target.id ? {} : { alternates: [path.join(source.gitDir, 'objects')] };
  return { target, source, opts };
}

export interface Tips {
  source?: string;
  target?: string;
}

export async function currentTips(repositories: GitRepos, repos: PullRequestRepos, pr: PullRequest): Promise<Tips> {
  await Promise.all([repositories.ensure(repos.target), repositories.ensure(repos.source)]);
  if (repos.source.id === repos.target.id) {
    // One git for both branches; tips are commits (branches hold nothing else).
    const tips = await refTips(repos.target.gitDir, [pr.sourceRefName, pr.targetRefName]);
    return { source: tips.get(pr.sourceRefName), target: tips.get(pr.targetRefName) };
  }
  const [source, target] = await Promise.all([resolveCommit(repos.source.gitDir, pr.sourceRefName), resolveCommit(repos.target.gitDir, pr.targetRefName)]);
  return { source, target };
}

/**
 * Brings `pr.iterations` up to date: the first one when missing (seeded pull requests), and a new
 * one when an active pull request's source branch points somewhere else than the last one saw.
 */
export async function refreshIterations(repos: PullRequestRepos, pr: PullRequest, tips: Tips, now: string): Promise<PullRequestIteration[]> {
  const list = (pr.iterations ??= []);
  const last = list.at(-1);
  if (!tips.source || !tips.target) return list;
  if (!last) {
    list.push({ id: 1, sourceCommitId: tips.source, targetCommitId: tips.target, createdDate: pr.creationDate, reason: 'create' });
  } else if (pr.status === 'active' && last.sourceCommitId !== tips.source) {
    const forward = await isAncestor(repos.target.gitDir, last.sourceCommitId, tips.source, repos.opts);
    // Another request may have recorded this version while git answered.
    if (list.at(-1) !== last) return list;
    list.push({ id: last.id + 1, sourceCommitId: tips.source, targetCommitId: tips.target, createdDate: now, reason: forward ? 'push' : 'forcePush' });
  }
  return list;
}

export interface MergeCommitInfo {
  commitId: string;
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  comment: string;
}

export type TestMerge = { status: 'succeeded'; commit: MergeCommitInfo } | { status: 'conflicts' } | { status: 'failure' };

const branch = (ref: string) => ref.replace(/^refs\/heads\//, '');

/**
 * The merge Azure DevOps keeps ready for a pull request. Dated at the iteration, so the same
 * source and target always give the same merge commit.
 */
export async function testMerge(repos: PullRequestRepos, pr: PullRequest, sourceCommit: string, targetCommit: string, creator: User, date: string): Promise<TestMerge> {
  // The answer depends only on these inputs, so it is computed once per repository set.
  const key = [repos.target.gitDir, pr.pullRequestId, sourceCommit, targetCommit, creator.id, date].join('\n');
  const cache = mergeCache.get(repos.target) ?? new Map<string, Promise<TestMerge>>();
  mergeCache.set(repos.target, cache);
  let result = cache.get(key);
  if (!result) {
    result = computeTestMerge(repos, pr, sourceCommit, targetCommit, creator, date);
    cache.set(key, result);
    result.catch(() => cache.delete(key));
  }
  return result;
}

const mergeCache = new WeakMap<Repository, Map<string, Promise<TestMerge>>>();

async function computeTestMerge(repos: PullRequestRepos, pr: PullRequest, sourceCommit: string, targetCommit: string, creator: User, date: string): Promise<TestMerge> {
  const merged = await mergeTree(repos.target.gitDir, targetCommit, sourceCommit, repos.opts).catch(() => undefined);
  if (merged === undefined) return { status: 'failure' };
  if (merged === 'conflicts') return { status: 'conflicts' };
  const who: Person = { name: creator.displayName, email: creator.mail, date };
  const comment = `Merge pull request ${pr.pullRequestId} from ${branch(pr.sourceRefName)} into ${branch(pr.targetRefName)}`;
  const commitId = await commitTree(repos.target.gitDir, merged.tree, [targetCommit, sourceCommit], comment, who, repos.opts);
  const signature = { name: who.name, email: who.email, date: date.replace(/\.\d{3}Z$/, 'Z') };
  return { status: 'succeeded', commit: { commitId, author: signature, committer: signature, comment } };
}

/** A commit's author, committer and message, for `lastMergeCommit` of completed pull requests. */
export async function commitInfo(gitDir: string, commitId: string): Promise<MergeCommitInfo | undefined> {
  const [entry] = await logCommits(gitDir, { from: commitId, top: 1, skip: 0 });
  return entry && { commitId: entry.commitId, author: entry.author, committer: entry.committer, comment: entry.message.trimEnd() };
}

/** Files the iteration changes relative to where its source left the target (the merge base). */
export async function iterationChanges(repos: PullRequestRepos, iteration: PullRequestIteration): Promise<TreeChange[]> {
  const base = await mergeBase(repos.target.gitDir, iteration.targetCommitId, iteration.sourceCommitId, repos.opts);
  return diffTrees(repos.target.gitDir, base, iteration.sourceCommitId, repos.opts);
}

export type CompleteResult = { mergeCommitId: string } | 'conflicts' | 'stale';

/**
 * Completes a pull request like Azure DevOps: a merge commit (or a squash commit) on the target
 * branch, moved with an old-value check; a fork's source objects are fetched into the target first.
 */
export async function completeMerge(
  repos: PullRequestRepos,
  pr: PullRequest,
  tips: Required<Tips>,
  who: Person,
  opts: { squash: boolean; message: string },
): Promise<CompleteResult> {
  if (repos.source.id !== repos.target.id) {
    const fetched = await git(repos.target.gitDir, ['fetch', '--no-tags', '--no-write-fetch-head', '--quiet', repos.source.gitDir, pr.sourceRefName]);
    if (fetched.code !== 0) throw new Error(`fetching the fork's source failed: ${fetched.stderr.trim()}`);
  }
  const merged = await mergeTree(repos.target.gitDir, tips.target, tips.source);
  if (merged === 'conflicts') return 'conflicts';
  const parents = opts.squash ? [tips.target] : [tips.target, tips.source];
  const mergeCommitId = await commitTree(repos.target.gitDir, merged.tree, parents, opts.message, who);
  const moved = await git(repos.target.gitDir, ['update-ref', '--end-of-options', pr.targetRefName, mergeCommitId, tips.target]);
  return moved.code === 0 ? { mergeCommitId } : 'stale';
}

export async function deleteBranch(repo: Repository, ref: string, expected: string): Promise<void> {
  await git(repo.gitDir, ['update-ref', '-d', '--end-of-options', ref, expected]);
}

/**
 * The refs Azure DevOps keeps in a target repository for its pull requests: `refs/pull/{id}/merge`,
 * the merge preview, while the pull request is active and merges cleanly; gone otherwise. Brought
 * up to date before git reads the repository's refs. A fork's source objects are fetched into the
 * target first, so the merge commit can be served whole.
 */
export async function syncPullRequestRefs(store: Store, repositories: GitRepos, repo: Repository): Promise<void> {
  const existing = await refTips(repo.gitDir, ['refs/pull/']);
  const wanted = new Map<string, string>();
  for (const pr of store.pullRequests.values()) {
    if (pr.repositoryId !== repo.id || pr.status !== 'active') continue;
    const repos = reposOf(store, pr);
    const creator = store.user(pr.createdById);
    if (!repos || !creator) continue;
    const tips = await currentTips(repositories, repos, pr);
    if (!tips.source || !tips.target) continue;
    const iterations = await refreshIterations(repos, pr, tips, new Date().toISOString());
    const merge = await testMerge(repos, pr, tips.source, tips.target, creator, iterations.at(-1)?.createdDate ?? pr.creationDate);
    if (merge.status !== 'succeeded') continue;
    if (repos.source.id !== repo.id && !(await resolveCommit(repo.gitDir, tips.source))) {
      const fetched = await git(repo.gitDir, ['fetch', '--no-tags', '--no-write-fetch-head', '--quiet', repos.source.gitDir, pr.sourceRefName]);
      if (fetched.code !== 0) throw new Error(`fetching the fork's source failed: ${fetched.stderr.trim()}`);
    }
    wanted.set(`refs/pull/${pr.pullRequestId}/merge`, merge.commit.commitId);
  }
  for (const [ref, id] of existing) if (!wanted.has(ref)) await git(repo.gitDir, ['update-ref', '-d', '--end-of-options', ref, id]);
  for (const [ref, id] of wanted) if (existing.get(ref) !== id) await git(repo.gitDir, ['update-ref', '--end-of-options', ref, id]);
}
