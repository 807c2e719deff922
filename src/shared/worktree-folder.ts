/** The folder name of a pull request's worktree, next to the clone: `api-pr-42` (`api-pr-42-merge`). */
export function worktreeFolder(clonePath: string, pullRequestId: number, mode: 'branch' | 'merge'): string {
  const base = clonePath.split(/[\\/]/).filter(Boolean).pop() ?? 'repo';
  return `${base}-pr-${pullRequestId}${mode === 'merge' ? '-merge' : ''}`;
}

/** Where the companion makes that worktree: the clone's folder's sibling, written with the clone path's own separators. */
export function worktreePath(clonePath: string, pullRequestId: number, mode: 'branch' | 'merge'): string {
  const trimmed = clonePath.replace(/[\\/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return `${trimmed.slice(0, cut + 1)}${worktreeFolder(trimmed, pullRequestId, mode)}`;
}
