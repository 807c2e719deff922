/**
 * Starting values for a new pull request, so the common case needs no typing: the branch being
 * worked on into the default branch, with a title made from the branch name.
 */

/** `feature/add-retry_policy` → `Add retry policy`. */
export function titleFromBranch(branch: string): string {
  const last = branch.replace(/^refs\/heads\//, '').split('/').pop() ?? '';
  const words = last.replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : '';
}

/**
 * Target: the default branch (else `main`/`master`/the first). Source: the local clone's current
 * branch when it exists in the repository and is not the target, else the first other branch.
 */
export function defaultBranches(
  branches: readonly string[],
  defaultBranch: string | undefined,
  localBranch: string | null | undefined,
): { source: string | undefined; target: string | undefined } {
  const has = (b: string | null | undefined): b is string => !!b && branches.includes(b);
  const target = has(defaultBranch) ? defaultBranch : ['main', 'master'].find(has) ?? branches[0];
  const source = has(localBranch) && localBranch !== target ? localBranch : branches.find((b) => b !== target);
  return { source, target };
}
