import { AdoError, branchLinkOperation, MY_WORK_ITEMS_WIQL, parseBranchArtifactUri, WORK_ITEM_LIST_FIELDS, type AdoClient, type WorkItem } from '../../shared/ado/client';
import { repoWebUrl, workItemWebUrl } from '../../shared/ado/urls';
import { aliasOf, branchTemplateProblem, DEFAULT_BRANCH_TEMPLATE, expandBranchTemplate, gitBranchNameProblem } from '../../shared/branch-name';
import { BRANCH_TEMPLATE_SETTING, START_WORK_REPO } from '../../shared/storage-keys';
import type { BranchTemplateSetting, LinkedBranch, ReplyError, RepoKey, StartWorkPlan, StartWorkResult, WorkItemSummary } from '../../shared/messages';
import { orgBaseUrl, type Profile } from '../../shared/profile';
import { clientOf } from '../connections';
import { toReplyError } from '../errors';
import { listing } from '../lists';
import { profileOrThrow, type GatewayDeps, type HandlerContext, type Handlers } from './types';

/**
 * Start work on a work item (issue 14): the user's active work items (WIQL), what starting would
 * do, and its server side: a branch from the base, linked to the item (the `ArtifactLink` its
 * Development section shows), the item set to its in-progress state. The local checkout is
 * `local.checkoutBranch` (handlers/companion.ts), which `workItem.startWork` starts itself when
 * asked to (`checkoutTaskId`).
 */
type WorkItemRequests = 'workItems.mine' | 'workItem.plan' | 'workItem.startWork' | 'workItem.linkBranch' | 'settings.branchTemplate' | 'settings.setBranchTemplate';

/** Input this code refuses before asking Azure DevOps anything (answered as `badRequest`). */
const refused = (message: string) => new AdoError({ kind: 'badRequest', what: 'start work', userMessage: message, adoMessage: message });
/** Enough for a popup list; the web UI has the rest. */
const MAX_MINE = 100;
const text = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

export function summarizeWorkItem(w: WorkItem, profile: Profile, project?: string): WorkItemSummary {
  const p = project ?? text(w.fields['System.TeamProject']);
  const changed = text(w.fields['System.ChangedDate']);
  return {
    id: w.id,
    title: text(w.fields['System.Title']),
    state: text(w.fields['System.State']),
    type: text(w.fields['System.WorkItemType']),
    project: p,
    ...(changed ? { changedDate: changed } : {}),
    webUrl: workItemWebUrl(orgBaseUrl(profile), p, w.id),
  };
}

/** The in-progress state of the item's type, and whether the item is there or later already. */
async function activeState(api: AdoClient, project: string, w: WorkItem): Promise<{ activeState?: string; alreadyActive: boolean }> {
  const states = await api.workItemTypeStates(project, text(w.fields['System.WorkItemType']));
  const active = states.find((s) => s.category === 'InProgress');
  const current = states.find((s) => s.name === text(w.fields['System.State']));
  const later = ['InProgress', 'Resolved', 'Completed', 'Removed'].includes(current?.category ?? '');
  return { ...(active ? { activeState: active.name } : {}), alreadyActive: later };
}

/** Sets the item to its type's in-progress state unless it is there or later; says how it went. */
async function setInProgress(api: AdoClient, p: Profile, project: string, id: number): Promise<{ state?: string; stateError?: ReplyError }> {
  try {
    const w = await api.workItem(project, id);
    const { activeState: state, alreadyActive } = await activeState(api, project, w);
    if (!state || alreadyActive) return { state: text(w.fields['System.State']) };
    const updated = await api.updateWorkItem(project, id, [{ op: 'add', path: '/fields/System.State', value: state }], 'set the work item to active');
    return { state: text(updated.fields['System.State']) };
  } catch (e) {
    return { stateError: toReplyError(e, p) };
  }
}

async function link(api: AdoClient, project: string, id: number, repo: { id: string; projectId: string }, branch: string): Promise<void> {
  const w = await api.workItem(project, id);
  const already = (w.relations ?? []).some((r) => {
    const l = r.rel === 'ArtifactLink' ? parseBranchArtifactUri(r.url) : undefined;
    return l?.repositoryId.toLowerCase() === repo.id.toLowerCase() && l.branch === branch;
  });
  if (already) return;
  // `test /rev` makes the update fail instead of overwriting a change made in between.
  await api.updateWorkItem(project, id, [{ op: 'test', path: '/rev', value: w.rev }, branchLinkOperation(repo.projectId, repo.id, branch)], 'link the branch to the work item');
}

/**
 * `workItem.startWork`'s checkout, begun here rather than by the asker once it has the answer: a
 * popup closed or a page reloaded while the branch was being made would never begin it. The
 * asker follows it (`local.followCheckout`); nobody following, it ends as unheard, which a page
 * of the organization learns from `clone.tasks`.
 */
async function beginCheckout(checkOut: Handlers['local.checkoutBranch'], req: { profileId?: string | undefined; checkoutTaskId: string; id: number }, result: { repo: RepoKey; branch: string }, ctx: HandlerContext): Promise<void> {
  const request = { type: 'local.checkoutBranch', ...(req.profileId ? { profileId: req.profileId } : {}), repo: result.repo, branch: result.branch, workItem: req.id, taskId: req.checkoutTaskId } as const;
  await new Promise<void>((onBoard) => {
    // Its failures are the board's to tell; one before it is on the board leaves nothing to follow (TASK_GONE).
    checkOut(request, { ...ctx, progress: undefined, askerGone: AbortSignal.abort(), onBoard }).catch(() => onBoard());
  });
}

/** Makes `branch` from the tip of `base` (the repository's default branch when not named) and answers that commit. */
async function newBranch(api: AdoClient, ref: { project: string; repositoryId: string }, repo: { name: string; defaultBranch?: string | undefined }, branch: string, baseName: string | undefined): Promise<string> {
  const base = (baseName ?? repo.defaultBranch ?? '').replace(/^refs\/heads\//, '');
  if (!base) throw refused(`${repo.name} has no branches yet: push a first commit, then start work.`);
  const tip = await api.branchTip(ref, base);
  if (!tip) throw refused(`${repo.name} has no branch ${base}. Choose another base branch.`);
  await api.createBranch(ref, branch, tip).catch(async (e: unknown) => {
    // No answer (a connection reset, a timeout) is not "not made": Azure DevOps may have made it
    // and the answer been lost, and then trying again would be refused for a name that exists.
    // The branch at the very commit asked for is that one.
    if (!(e instanceof AdoError && e.kind === 'network') || (await api.branchTip(ref, branch).catch(() => undefined)) !== tip) throw e;
  });
  return tip;
}

export function workItemHandlers(deps: GatewayDeps, checkOut: Handlers['local.checkoutBranch']): Pick<Handlers, WorkItemRequests> {

  async function template(): Promise<BranchTemplateSetting> {
    const saved = (await deps.local.get([BRANCH_TEMPLATE_SETTING.key]))[BRANCH_TEMPLATE_SETTING.key];
    return typeof saved === 'string' && !branchTemplateProblem(saved) ? { template: saved, isDefault: false } : { template: DEFAULT_BRANCH_TEMPLATE, isDefault: true };
  }

  /** Links to branches, resolved to repositories the profile can see (others are left out). */
  async function linkedBranches(api: AdoClient, p: Profile, w: WorkItem): Promise<LinkedBranch[]> {
    const links = (w.relations ?? []).map((r) => (r.rel === 'ArtifactLink' ? parseBranchArtifactUri(r.url) : undefined)).filter((l) => l !== undefined);
    if (!links.length) return [];
    const repos = (await listing('repos', p.id, { kv: deps.local, client: () => api, now: deps.now })).items;
    return links.flatMap((l) => {
      const repo = repos.find((r) => r.id.toLowerCase() === l.repositoryId.toLowerCase());
      return repo ? [{ repo: { id: repo.id, name: repo.name, project: repo.project.name }, branch: l.branch }] : [];
    });
  }

  return {
    'workItems.mine': async (req, ctx) => {
      const p = await profileOrThrow(deps, req.profileId, ctx);
      const api = clientOf(deps, p, ctx);
      const ids = await api.queryWorkItemIds(MY_WORK_ITEMS_WIQL, MAX_MINE);
      const items = await api.workItemsByIds(ids, WORK_ITEM_LIST_FIELDS);
      return { items: items.map((w) => summarizeWorkItem(w, p)) };
    },

    'workItem.plan': async (req, ctx) => {
      const p = await profileOrThrow(deps, req.profileId, ctx);
      const api = clientOf(deps, p, ctx);
      const w = await api.workItem(req.project, req.id);
      const project = text(w.fields['System.TeamProject']) || req.project;
      const projects = (await listing('projects', p.id, { kv: deps.local, client: () => api, now: deps.now })).items;
      const projectId = projects.find((x) => x.name.toLowerCase() === project.toLowerCase())?.id ?? project;
      const [linked, state, repos, t, signInName] = await Promise.all([
        linkedBranches(api, p, w),
        activeState(api, project, w),
        api.repositories(project),
        template(),
        // Token profiles do not keep the sign-in name the alias comes from.
        p.identity?.uniqueName ?? api.connectionData().then((c) => c.authenticatedUser.properties?.Account?.$value),
      ]);
      const usable = repos.filter((r) => !r.isDisabled).map((r) => ({ id: r.id, name: r.name, project: r.project.name, ...(r.defaultBranch ? { defaultBranch: r.defaultBranch.replace(/^refs\/heads\//, '') } : {}) }));
      const last = (await deps.local.get([START_WORK_REPO.key(p.id, projectId)]))[START_WORK_REPO.key(p.id, projectId)] as RepoKey | undefined;
      const lastRepo = last && usable.find((r) => r.id === last.id);
      const first = linked[0];
      const suggested = first ? { ...first.repo, reason: 'linked' as const } : lastRepo ? { id: lastRepo.id, name: lastRepo.name, project: lastRepo.project, reason: 'lastUsed' as const } : undefined;
      const branch = expandBranchTemplate(t.template, {
        alias: aliasOf(signInName, p.identity?.displayName),
        id: w.id,
        title: text(w.fields['System.Title']),
        type: text(w.fields['System.WorkItemType']),
      });
      return {
        workItem: { ...summarizeWorkItem(w, p, project), projectId },
        linked,
        ...(suggested ? { suggested } : {}),
        repos: usable,
        branch,
        template: t.template,
        ...state,
      } satisfies StartWorkPlan;
    },

    'workItem.startWork': async (req, ctx) => {
      const p = await profileOrThrow(deps, req.profileId, ctx);
      const branch = req.branch.replace(/^refs\/heads\//, '');
      const problem = gitBranchNameProblem(branch);
      if (problem) throw refused(problem);
      const api = clientOf(deps, p, ctx);
      const repo = await api.repository({ project: req.repo.project, repositoryId: req.repo.id });
      const ref = { project: repo.project.name, repositoryId: repo.id };
      // The person chose to work on the branch that exists (offered after "exists already"): taken
      // as it is, at whatever commit, and carried on with like a new one.
      const existing = req.existing ? await api.branchTip(ref, branch) : undefined;
      const tip = existing ?? (await newBranch(api, ref, repo, branch, req.base));
      await deps.local.set({ [START_WORK_REPO.key(p.id, repo.project.id)]: { id: repo.id, name: repo.name, project: repo.project.name } });
      const result = {
        branch,
        commitId: tip,
        ...(existing ? { existing: true as const } : {}),
        repo: { id: repo.id, name: repo.name, project: repo.project.name },
        branchWebUrl: `${repoWebUrl(orgBaseUrl(p), repo.project.name, repo.name)}?version=GB${encodeURIComponent(branch)}`,
      };
      let done: StartWorkResult;
      try {
        await link(api, req.workItemProject, req.id, { id: repo.id, projectId: repo.project.id }, branch);
        done = { ...result, linked: true, ...(req.setActive ? await setInProgress(api, p, req.workItemProject, req.id) : {}) };
      } catch (e) {
        done = { ...result, linked: false, linkError: toReplyError(e, p) };
      }
      if (req.checkoutTaskId) await beginCheckout(checkOut, { profileId: req.profileId, checkoutTaskId: req.checkoutTaskId, id: req.id }, done, ctx);
      return done;
    },

    'workItem.linkBranch': async (req, ctx) => {
      const p = await profileOrThrow(deps, req.profileId, ctx);
      const api = clientOf(deps, p, ctx);
      const repo = await api.repository({ project: req.repo.project, repositoryId: req.repo.id });
      const branch = req.branch.replace(/^refs\/heads\//, '');
      if (!(await api.branchTip({ project: repo.project.name, repositoryId: repo.id }, branch))) {
        throw refused(`${repo.name} has no branch ${branch} to link.`);
      }
      await link(api, req.workItemProject, req.id, { id: repo.id, projectId: repo.project.id }, branch);
      // The state change waits for the link: after a retry it is made here.
      return { linked: true, ...(req.setActive ? await setInProgress(api, p, req.workItemProject, req.id) : {}) };
    },

    'settings.branchTemplate': () => template(),
    'settings.setBranchTemplate': async (req) => {
      const value = req.template.trim();
      if (value === '' || value === DEFAULT_BRANCH_TEMPLATE) {
        await deps.local.remove([BRANCH_TEMPLATE_SETTING.key]);
        return { template: DEFAULT_BRANCH_TEMPLATE, isDefault: true };
      }
      const problem = branchTemplateProblem(value);
      if (problem) throw refused(problem);
      await deps.local.set({ [BRANCH_TEMPLATE_SETTING.key]: value });
      return { template: value, isDefault: false };
    },
  };
}
