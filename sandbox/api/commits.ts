import type { RequestContext } from '../context';
import { azdoErrors } from '../errors';
import type { Router } from '../router';
import { isObjectId, resolveCommit } from './git-plumbing';
import { logCommits, type LogEntry } from './git-log';
import { atProjectAndOrg, gitRepository, intQuery } from './route-helpers';

/**
 * `GET .../repositories/{id}/commits` with `searchCriteria.*`: read from the real repository with
 * `git log` (author, committer, comment, change counts; `changes` for the path asked about).
 */
export function registerCommits(router: Router): void {
  atProjectAndOrg(router, 'GET', '/_apis/git/repositories/{repositoryId}/commits', list, { scope: 'vso.code' });
}

/** The list shows a commit message's first line; longer ones are flagged as truncated. */
const MAX_COMMENT = 200;

async function list(ctx: RequestContext): Promise<void> {
  const repo = await gitRepository(ctx);
  const q = ctx.query;
  const version = q.get('searchCriteria.itemVersion.version');
  const versionType = (q.get('searchCriteria.itemVersion.versionType') ?? 'branch').toLowerCase();
  let from = 'HEAD';
  if (version) {
    const rev = versionType === 'commit' ? version : versionType === 'tag' ? `refs/tags/${version}` : versionType === 'branch' ? `refs/heads/${version}` : undefined;
    if (!rev) throw azdoErrors.badRequest(`The value '${versionType}' is not valid for searchCriteria.itemVersion.versionType.`, 'InvalidArgumentValueException');
    const commit = (versionType !== 'commit' || isObjectId(version)) && (await resolveCommit(repo.gitDir, rev));
    if (!commit) throw azdoErrors.unresolvableVersion(versionType as 'branch' | 'tag' | 'commit', version, repo.name);
    from = commit;
  }
  const itemPath = q.get('searchCriteria.itemPath') ?? undefined;
  const top = intQuery(ctx, 'searchCriteria.$top', '$top', 'top') ?? 100;
  const skip = intQuery(ctx, 'searchCriteria.$skip', '$skip', 'skip') ?? 0;
  const author = q.get('searchCriteria.author') ?? undefined;
  const entries = await logCommits(repo.gitDir, { from, path: itemPath, author, top, skip });

  const project = ctx.projectOf(repo);
  const repoUrl = ctx.urls.repositoryUrl(project, repo);
  const webUrl = ctx.urls.webUrl(project, repo);
  const scope = itemPath && itemPath !== '/' ? itemPath.replace(/\/+$/, '') : undefined;
  ctx.replyList(entries.map((e) => commitJson(e, repoUrl, webUrl, scope)));
}

function commitJson(e: LogEntry, repoUrl: string, webUrl: string, itemPath: string | undefined): Record<string, unknown> {
  const full = e.message.trimEnd();
  const firstLine = full.split('\n')[0] ?? '';
  const truncated = firstLine.length > MAX_COMMENT ? firstLine.slice(0, MAX_COMMENT) : firstLine;
  const count = (t: string) => e.changes.filter((c) => c.changeType === t).length;
  const inScope = itemPath ? e.changes.filter((c) => c.path === itemPath || c.path.startsWith(`${itemPath}/`)) : [];
  return {
    commitId: e.commitId,
    author: e.author,
    committer: e.committer,
    comment: truncated,
    ...(truncated !== full ? { commentTruncated: true } : {}),
    changeCounts: { Add: count('add'), Edit: count('edit'), Delete: count('delete') },
    ...(itemPath ? { changes: inScope.map((c) => ({ sourceServerItem: c.path, changeType: c.changeType })) } : {}),
    url: `${repoUrl}/commits/${e.commitId}`,
    remoteUrl: `${webUrl}/commit/${e.commitId}`,
  };
}
