import { repoUrlKeys } from '../shared/ado/repo-url-key';
import type { CloneRemote, RepoSummary } from '../shared/messages';

/**
 * Forks as remotes' naming, apart from the panel: which remote of the clone a repository already
 * is, and which names are still free to offer.
 */

/** The name of the clone's remote that is `r`, by any form of its URL (as the background finds clones). */
export function remoteNamed(remotes: readonly CloneRemote[], r: Pick<RepoSummary, 'remoteUrl' | 'sshUrl'>): string | undefined {
  const keys = repoUrlKeys([r.remoteUrl, r.sshUrl]);
  return remotes.find((x) => x.key !== undefined && keys.has(x.key))?.name;
}

/**
 * `base`, else `base-2`, `base-3`…: the first that is not `taken`. Compared without case: on
 * Windows and macOS `Security` and `security` would share one folder of remote branches.
 */
export function freeName(base: string, taken: Iterable<string>): string {
  const lower = new Set([...taken].map((n) => n.toLowerCase()));
  if (!lower.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) {
    const name = `${base}-${i}`;
    if (!lower.has(name.toLowerCase())) return name;
  }
}

/**
 * The name each row offers, in the rows' order: its `base` unless the clone or an earlier row has
 * it, so two forks from one project are not both offered the same name.
 */
export function offeredNames(rows: readonly { id: string; base: string }[], taken: Iterable<string>): Map<string, string> {
  const used = [...taken];
  const offered = new Map<string, string>();
  for (const { id, base } of rows) {
    const name = freeName(base, used);
    used.push(name);
    offered.set(id, name);
  }
  return offered;
}
