import type { ApiContext } from './api-context';
import * as core from './api-core';
import * as push from './api-initial-push';
import * as people from './api-people';
import * as prs from './api-pull-requests';
import * as repos from './api-repos';
import * as reviewers from './api-reviewers';
import * as ssh from './api-ssh-keys';
import * as wit from './api-work-items';
import type { AuthHeader } from './auth-header';
import { abortableSleep, type Sleep } from './backoff';
import { createRequester, type Wait } from './request';

export type { AuthHeader } from './auth-header';
export type { Wait } from './request';
export { basicAuthHeader } from './auth-header';
export { AdoError, isAdoError, pullRequestAlreadyOpen, SCOPE_LABELS, type AdoErrorKind, type Scope } from './errors';
export type {
  Account,
  Commit,
  ConnectionData,
  GitRef,
  Identity,
  IdentityRef,
  PickerIdentity,
  Profile,
  ProjectRef,
  PullRequest,
  PullRequestChange,
  Push,
  Repository,
  RepositoryRef,
  Reviewer,
  SshKey,
  Team,
  TeamMember,
  WorkItem,
  WorkItemState,
} from './schemas';
export { branchArtifactUri, branchLinkOperation, MY_WORK_ITEMS_WIQL, parseBranchArtifactUri, WORK_ITEM_LIST_FIELDS, type PatchOperation } from './api-work-items';
export { repoNameProblem } from './repo-name';
export { branchNameProblem, type InitialPushInput } from './api-initial-push';
export { identityMail } from './api-people';
export { sshPublicKeyProblem, type AddSshKeyInput } from './api-ssh-keys';
export type { CreateForkInput } from './api-repos';
export type { RepoRef } from './rest-url';
export type { CallOptions } from './api-context';
export type {
  CreatePullRequestInput,
  PullRequestRef,
  PullRequestScope,
  PullRequestSearch,
  PullRequestUpdate,
} from './api-pull-requests';

export interface AdoClientOptions {
  /** https://dev.azure.com/{org}, https://{org}.visualstudio.com, or an on-prem collection URL. */
  orgBaseUrl: string;
  /** Default: https://vssps.dev.azure.com/{org} (cloud), https://{org}.vssps.visualstudio.com (legacy), the collection URL (on-prem). */
  vsspsBaseUrl?: string;
  /** Default https://app.vssps.visualstudio.com */
  profileBaseUrl?: string;
  /** Default '7.1'; Azure DevOps Server 2022 → '7.0', 2020 → '6.0', 2019 → '5.0'. */
  apiVersion?: string;
  /** The credential for each attempt (so a refreshed token is picked up). */
  auth: () => Promise<AuthHeader>;
  /** Called once after a 401 or sign-in page, e.g. to refresh an OAuth token; true → try again. */
  onUnauthorized?: () => Promise<boolean>;
  fetch?: typeof fetch;
  /** Requests of this client in flight at once. Default 6. */
  maxConcurrency?: number;
  sleep?: Sleep;
  now?: () => number;
  /** For backoff jitter; tests make it predictable. */
  random?: () => number;
  /** Per attempt. Default 30 000 ms. */
  timeoutMs?: number;
  /** Whether an attempt that got no answer within timeoutMs is tried again. Default true. */
  retryTimeouts?: boolean;
  /** A longer Retry-After, or hold on the organization after a 429, fails at once with the wait in the error. Default 60 s. */
  maxRetryAfterSeconds?: number;
  /** Told when a request waits (a 429's hold, a retry after a failure, a slow answer); undefined when a slow answer is in. */
  onWait?: (wait: Wait | undefined) => void;
  /** Stops every request of this client, waiting or sent (its asker stopped waiting). */
  signal?: AbortSignal;
  /** An attempt still unanswered after this long is told to onWait. Default 5 000 ms. */
  slowAfterMs?: number;
}

/** Where vssps lives for an organization: its cloud identity host, or the collection itself on-prem. */
export function defaultVsspsBaseUrl(orgBaseUrl: string): string {
  const base = orgBaseUrl.replace(/\/+$/, '');
  const u = new URL(base);
  const host = u.hostname.toLowerCase();
  const org = u.pathname.split('/').filter(Boolean)[0];
  if (host === 'dev.azure.com' && org) return `https://vssps.dev.azure.com/${org}`;
  const legacy = /^([a-z0-9][a-z0-9-]*)\.visualstudio\.com$/.exec(host);
  if (legacy && !host.includes('.vssps.')) return `https://${legacy[1]}.vssps.visualstudio.com`;
  return base;
}

export function createAdoClient(opts: AdoClientOptions) {
  const orgBaseUrl = opts.orgBaseUrl.replace(/\/+$/, '');
  if (!/^https?:\/\//i.test(orgBaseUrl)) throw new Error(`orgBaseUrl must be an http(s) URL, got “${opts.orgBaseUrl}”`);
  const ctx: ApiContext = {
    orgBaseUrl,
    vsspsBaseUrl: (opts.vsspsBaseUrl ?? defaultVsspsBaseUrl(orgBaseUrl)).replace(/\/+$/, ''),
    profileBaseUrl: (opts.profileBaseUrl ?? 'https://app.vssps.visualstudio.com').replace(/\/+$/, ''),
    apiVersion: opts.apiVersion ?? '7.1',
    request: createRequester({
      auth: opts.auth,
      onUnauthorized: opts.onUnauthorized,
      fetch: opts.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      maxConcurrency: opts.maxConcurrency ?? 6,
      sleep: opts.sleep ?? abortableSleep,
      now: opts.now ?? Date.now,
      random: opts.random ?? Math.random,
      timeoutMs: opts.timeoutMs ?? 30_000,
      maxRetryAfterSeconds: opts.maxRetryAfterSeconds ?? 60,
      maxAttempts: 3,
      retryTimeouts: opts.retryTimeouts ?? true,
      organization: orgBaseUrl.toLowerCase(),
      onWait: opts.onWait,
      slowAfterMs: opts.slowAfterMs ?? 5_000,
      signal: opts.signal,
    }),
  };
  type Rest<F> = F extends (ctx: ApiContext, ...rest: infer A) => infer R ? (...args: A) => R : never;
  const bind = <F extends (ctx: ApiContext, ...rest: never[]) => unknown>(f: F): Rest<F> =>
    ((...args: never[]) => f(ctx, ...args)) as Rest<F>;

  return {
    orgBaseUrl: ctx.orgBaseUrl,
    vsspsBaseUrl: ctx.vsspsBaseUrl,
    apiVersion: ctx.apiVersion,
    // who and where
    connectionData: bind(core.connectionData),
    profile: bind(core.profile),
    accounts: bind(core.accounts),
    projects: bind(core.projects),
    // repositories
    repositories: bind(repos.repositories),
    repository: bind(repos.repository),
    createRepository: bind(repos.createRepository),
    initialPush: bind(push.initialPush),
    gitignoreTemplates: bind(repos.gitignoreTemplates),
    forks: bind(repos.forks),
    createFork: bind(repos.createFork),
    branches: bind(repos.branches),
    commitsByPath: bind(repos.commitsByPath),
    changedPaths: bind(repos.changedPaths),
    // pull requests
    pullRequests: bind(prs.pullRequests),
    allPullRequests: bind(prs.allPullRequests),
    pullRequest: bind(prs.pullRequest),
    pullRequestChanges: bind(prs.pullRequestChanges),
    createPullRequest: bind(prs.createPullRequest),
    updatePullRequest: bind(prs.updatePullRequest),
    listReviewers: bind(reviewers.listReviewers),
    addReviewer: bind(reviewers.addReviewer),
    addReviewers: bind(reviewers.addReviewers),
    removeReviewer: bind(reviewers.removeReviewer),
    // people
    searchPeople: bind(people.searchPeople),
    searchIdentities: bind(people.searchIdentities),
    teams: bind(people.teams),
    teamMembers: bind(people.teamMembers),
    // SSH keys
    sshKeys: bind(ssh.sshKeys),
    addSshKey: bind(ssh.addSshKey),
    // work items and new branches
    queryWorkItemIds: bind(wit.queryWorkItemIds),
    workItemsByIds: bind(wit.workItemsByIds),
    workItem: bind(wit.workItem),
    updateWorkItem: bind(wit.updateWorkItem),
    workItemTypeStates: bind(wit.workItemTypeStates),
    branchTip: bind(wit.branchTip),
    createBranch: bind(wit.createBranch),
  };
}

export type AdoClient = ReturnType<typeof createAdoClient>;