import type { Handoff } from '../../src/shared/ado-extension';

/**
 * Reads what a menu passes to `execute(context)`. Each Azure DevOps menu passes its own shape
 * (the repository of a Files item, a branch row, a pull request, one or several work items) and
 * the shapes differ between Services and Server versions, so every field is looked for where any
 * of them puts it, and nothing found is a clear error, never a guess.
 */

export type ActionKind = Handoff['action'];

export interface ActionChoice {
  action: ActionKind;
  project: string;
  repository?: string;
  branch?: string;
  pullRequestId?: number;
  workItemId?: number;
  /** Clone URLs the menu gave, for the dialog shown without the browser extension. */
  httpsUrl?: string;
  sshUrl?: string;
}

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Loose) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const int = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
};

/**
 * What git refuses in a branch name (git check-ref-format). The Files list and tree pass their
 * version as display text: a branch's is its name, but a commit's or a tag's is a resource text
 * around the short id or the tag's name ("Commit 1a2b3c4d"), which must not pass for a branch.
 */
const NOT_A_BRANCH = /[\s~^:?*[\\]|\.\.|@\{|^-/;

/** `refs/heads/x`, `GBx` (a Files view's version) or a plain name → `x`. */
export function branchName(ref: unknown): string | undefined {
  const s = str(ref);
  if (!s) return undefined;
  let name = s;
  if (s.startsWith('refs/heads/')) name = s.slice('refs/heads/'.length);
  else if (s.startsWith('GB')) name = s.slice(2);
  else if (s.startsWith('refs/') || /^G[CT]/.test(s)) return undefined;
  return name && !NOT_A_BRANCH.test(name) ? name : undefined;
}

function repositoryOf(c: Loose): Loose | undefined {
  const pr = obj(c.pullRequest);
  const item = obj(c.item);
  return obj(c.gitRepository) ?? obj(c.repository) ?? obj(pr?.repository) ?? obj(item?.repository) ?? obj(item?.gitRepository);
}

export function readChoice(action: ActionKind, context: unknown, fallbackProject: string | undefined): ActionChoice {
  const c = obj(context) ?? {};
  const repo = repositoryOf(c);
  const project = str(obj(repo?.project)?.name) ?? str(obj(c.project)?.name) ?? str(c.projectName) ?? fallbackProject;
  if (!project) throw new Error('This menu did not say which project it is in.');
  const urls = { ...(str(repo?.remoteUrl) ? { httpsUrl: str(repo?.remoteUrl) } : {}), ...(str(repo?.sshUrl) ? { sshUrl: str(repo?.sshUrl) } : {}) };

  if (action === 'startWork') {
    const ids = Array.isArray(c.workItemIds) ? c.workItemIds : Array.isArray(c.ids) ? c.ids : [];
    const workItemId = int(c.workItemId) ?? int(c.id) ?? int(obj(c.workItem)?.id) ?? int(ids[0]);
    if (!workItemId) throw new Error('This menu did not say which work item it is for.');
    return { action, project, workItemId };
  }
  // The pull request's ⋮ menu passes Azure DevOps' view model of the pull request, which names the
  // repository in `repositoryName` instead of a `repository` object (MARKUP.md, "Extension menus").
  const repository = str(repo?.name) ?? str(obj(c.pullRequest)?.repositoryName);
  if (!repository) throw new Error('This menu did not say which repository it is for.');
  if (action === 'checkout') {
    const pr = obj(c.pullRequest) ?? c;
    const pullRequestId = int(pr.pullRequestId) ?? int(pr.codeReviewId);
    if (!pullRequestId) throw new Error('This menu did not say which pull request it is for.');
    return { action, project, repository, pullRequestId, ...urls };
  }
  const item = obj(c.item) ?? obj(c.ref);
  const branch = branchName(item?.fullName) ?? branchName(item?.name) ?? branchName(c.version) ?? branchName(c.branch);
  return { action, project, repository, ...(branch ? { branch } : {}), ...urls };
}
