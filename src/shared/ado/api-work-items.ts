import type { ApiContext, CallOptions } from './api-context';
import { AdoError } from './errors';
import { headRef, path, projectBase, repoPath, restUrl, type RepoRef } from './rest-url';
import { GitRef, listOf, RefUpdateResult, WiqlResult, WorkItem, WorkItemState } from './schemas';

/** Work items (wit 7.1): "assigned to me", one item with its links, updates, states; and new branches (refs). */

const NO_COMMIT = '0'.repeat(40);
/** The service answers at most 200 work items per call. */
const IDS_PER_CALL = 200;

/**
 * Active and assigned to the caller, across the organization's projects. States that end work
 * differ per process (Closed, Done, Removed, Completed, Cut); none of them counts as active.
 */
export const MY_WORK_ITEMS_WIQL =
  "SELECT [System.Id] FROM WorkItems WHERE [System.AssignedTo] = @Me AND [System.State] NOT IN ('Closed', 'Done', 'Removed', 'Completed', 'Cut') ORDER BY [System.ChangedDate] DESC";

export const WORK_ITEM_LIST_FIELDS = ['System.Id', 'System.Title', 'System.State', 'System.WorkItemType', 'System.TeamProject', 'System.ChangedDate'];

/** Ids a WIQL query finds (organization-wide unless it names a project), at most `top`. */
export async function queryWorkItemIds(ctx: ApiContext, wiql: string, top: number, o: CallOptions = {}): Promise<number[]> {
  const url = restUrl(ctx.orgBaseUrl, '/_apis/wit/wiql', { $top: top, 'api-version': ctx.apiVersion });
  const { data } = await ctx.request({ method: 'POST', url, body: { query: wiql }, what: 'query work items', schema: WiqlResult, scope: 'vso.work', signal: o.signal });
  return data.workItems.map((w) => w.id);
}

/** Work items by id, in the order asked, with only `fields`; 200 per call. */
export async function workItemsByIds(ctx: ApiContext, ids: number[], fields: string[], o: CallOptions = {}): Promise<WorkItem[]> {
  const out: WorkItem[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_CALL) {
    const chunk = ids.slice(i, i + IDS_PER_CALL);
    const url = restUrl(ctx.orgBaseUrl, '/_apis/wit/workitems', { ids: chunk.join(','), fields: fields.join(','), errorPolicy: 'omit', 'api-version': ctx.apiVersion });
    const { data } = await ctx.request({ method: 'GET', url, what: 'read work items', schema: listOf(WorkItem.nullable()), scope: 'vso.work', signal: o.signal });
    out.push(...data.filter((w): w is WorkItem => w !== null));
  }
  return out;
}

/** One work item with every field and its links (`$expand=relations`). */
export async function workItem(ctx: ApiContext, project: string, id: number, o: CallOptions = {}): Promise<WorkItem> {
  const url = restUrl(projectBase(ctx.orgBaseUrl, project), path`/_apis/wit/workitems/${id}`, { $expand: 'relations', 'api-version': ctx.apiVersion });
  return (await ctx.request({ method: 'GET', url, what: 'read the work item', schema: WorkItem, scope: 'vso.work', signal: o.signal })).data;
}

export type PatchOperation = { op: 'add' | 'replace' | 'remove' | 'test'; path: string; value?: unknown };

/** Applies JSON Patch operations to a work item, all or nothing. */
export async function updateWorkItem(ctx: ApiContext, project: string, id: number, ops: PatchOperation[], what = 'update the work item', o: CallOptions = {}): Promise<WorkItem> {
  const url = restUrl(projectBase(ctx.orgBaseUrl, project), path`/_apis/wit/workitems/${id}`, { 'api-version': ctx.apiVersion });
  return (await ctx.request({ method: 'PATCH', url, body: ops, contentType: 'application/json-patch+json', what, schema: WorkItem, scope: 'vso.work_write', signal: o.signal })).data;
}

/** The states of a work item type, each with its category (`Proposed`, `InProgress`, `Resolved`, `Completed`, `Removed`). */
export async function workItemTypeStates(ctx: ApiContext, project: string, type: string, o: CallOptions = {}): Promise<WorkItemState[]> {
  const url = restUrl(projectBase(ctx.orgBaseUrl, project), path`/_apis/wit/workitemtypes/${type}/states`, { 'api-version': ctx.apiVersion });
  return (await ctx.request({ method: 'GET', url, what: 'read the work item states', schema: listOf(WorkItemState), scope: 'vso.work', signal: o.signal })).data;
}

/** `vstfs:///Git/Ref/{projectId}%2F{repositoryId}%2FGB{branch}`: how a work item links to a branch (its Development section). */
export function branchArtifactUri(projectId: string, repositoryId: string, branch: string): string {
  return `vstfs:///Git/Ref/${encodeURIComponent(`${projectId}/${repositoryId}/GB${branch.replace(/^refs\/heads\//, '')}`)}`;
}

/** The project, repository and branch of a branch link, or undefined for any other link. */
export function parseBranchArtifactUri(uri: string): { projectId: string; repositoryId: string; branch: string } | undefined {
  const m = /^vstfs:\/\/\/Git\/Ref\/(.+)$/i.exec(uri);
  if (!m) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
  const [projectId, repositoryId, ...rest] = decoded.split('/');
  const ref = rest.join('/');
  if (!projectId || !repositoryId || !ref.startsWith('GB') || ref.length < 3) return undefined;
  return { projectId, repositoryId, branch: ref.slice(2) };
}

/** The operation that links a branch to a work item, as the web UI makes it. */
export const branchLinkOperation = (projectId: string, repositoryId: string, branch: string): PatchOperation => ({
  op: 'add',
  path: '/relations/-',
  value: { rel: 'ArtifactLink', url: branchArtifactUri(projectId, repositoryId, branch), attributes: { name: 'Branch' } },
});

/** The commit a branch points at, or undefined when there is no such branch. */
export async function branchTip(ctx: ApiContext, r: RepoRef, branch: string, o: CallOptions = {}): Promise<string | undefined> {
  const name = headRef(branch);
  const url = restUrl(projectBase(ctx.orgBaseUrl, r.project), `${repoPath(r)}/refs`, { filter: name.replace(/^refs\//, ''), 'api-version': ctx.apiVersion });
  const { data } = await ctx.request({ method: 'GET', url, what: 'read the branch', schema: listOf(GitRef), scope: 'vso.code', signal: o.signal });
  // The filter is a prefix: `heads/main` also finds `heads/main-old`.
  return data.find((ref) => ref.name === name)?.objectId;
}

/** Creates `branch` at `commitId` on the server; refuses (conflict) when the branch exists already. */
export async function createBranch(ctx: ApiContext, r: RepoRef, branch: string, commitId: string, o: CallOptions = {}): Promise<void> {
  const what = 'create the branch';
  const name = headRef(branch);
  const url = restUrl(projectBase(ctx.orgBaseUrl, r.project), `${repoPath(r)}/refs`, { 'api-version': ctx.apiVersion });
  const { data } = await ctx.request({
    method: 'POST',
    url,
    body: [{ name, oldObjectId: NO_COMMIT, newObjectId: commitId }],
    what,
    schema: listOf(RefUpdateResult),
    scope: 'vso.code_write',
    signal: o.signal,
  });
  // 200 even when the ref was not made: each result says how it went.
  const result = data.find((x) => x.name === name) ?? data[0];
  if (result?.success) return;
  const status = result?.updateStatus ?? 'unknown';
  const message =
    status === 'staleOldObjectId'
      ? `A branch named ${branch} exists already. Choose another name, or work on that branch.`
      : status === 'invalidRefName'
        ? `Azure DevOps does not accept ${branch} as a branch name.`
        : status === 'createBranchPermissionRequired'
          ? 'You may not create branches in this repository.'
          : `Azure DevOps did not create ${branch} (${status}${result?.customMessage ? `: ${result.customMessage}` : ''}).`;
  throw new AdoError({ kind: status === 'staleOldObjectId' ? 'conflict' : status.endsWith('PermissionRequired') ? 'forbidden' : 'badRequest', what, userMessage: message, adoMessage: status });
}
