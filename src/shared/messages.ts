import * as z from 'zod';
import type { CloneData, LocalClonesData, ProgressPhase, SshKeyData, SshTestData } from './host-protocol';
import type { Profile } from './profile';

/**
 * What the popup, the options page and content scripts may ask the background worker. Requests
 * are checked with these schemas on arrival; answers never carry credentials. Requests marked
 * `pagesOnly` are refused from content scripts: a web page must not manage accounts.
 */
const id = z.string().min(1).max(200);
const profileId = id.optional();

/** Names a repository of the profile's organization; the background looks up its URLs itself. */
export const RepoKey = z.object({
  /** The repository id, or its name (Azure DevOps accepts either). */
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  project: z.string().min(1).max(200),
  /**
   * Only for pages without a profile: the clone URL the page read with its own session. It is
   * checked against the page's organization, and git's own credential helper signs in.
   */
  remoteUrl: z.string().url().max(2048).optional(),
});
export type RepoKey = z.infer<typeof RepoKey>;

/** The injected features of the content script (issue 6); each can be switched off in Options. */
export const FeatureId = z.enum(['clone-to-desktop', 'forks-as-remotes', 'pull-request-reviewers']);
export type FeatureId = z.infer<typeof FeatureId>;

export const Request = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping') }),
  z.object({ type: z.literal('profiles.list') }),
  z.object({
    type: z.literal('profiles.addPat'),
    /** Absent for Azure DevOps Services; the collection URL for Azure DevOps Server. */
    collectionUrl: z.string().url().optional(),
    organization: z.string().trim().min(1).max(200),
    pat: z.string().trim().min(1).max(1000),
    name: z.string().trim().max(100).optional(),
  }),
  z.object({ type: z.literal('profiles.signIn') }),
  z.object({ type: z.literal('profiles.finishSignIn'), pending: id, organization: z.string().min(1).max(200) }),
  z.object({
    type: z.literal('profiles.update'),
    id,
    patch: z.object({
      name: z.string().trim().min(1).max(100).optional(),
      cloneRoot: z.string().trim().min(1).max(1000).optional(),
      layout: z.string().trim().min(1).max(200).optional(),
      protocol: z.enum(['https', 'ssh']).optional(),
    }),
  }),
  z.object({ type: z.literal('profiles.remove'), id }),
  z.object({ type: z.literal('profiles.setActive'), id }),
  z.object({ type: z.literal('profiles.export') }),
  z.object({ type: z.literal('profiles.import'), json: z.string().max(1_000_000) }),
  z.object({ type: z.literal('settings.get') }),
  z.object({
    type: z.literal('settings.setOAuth'),
    clientId: z.string().trim().max(100),
    tenant: z.string().trim().max(100),
  }),
  z.object({ type: z.literal('projects.list'), profileId, refresh: z.boolean().optional() }),
  z.object({ type: z.literal('repos.list'), profileId, refresh: z.boolean().optional() }),
  /** A content script asks which profile serves its page (if any); the page is the sender's tab. */
  z.object({ type: z.literal('page.context') }),

  // ── The companion (native host): clones, local repositories, SSH ──────────────────────────
  z.object({ type: z.literal('companion.status') }),
  z.object({ type: z.literal('companion.setCloneRoot'), profileId, cloneRoot: z.string().trim().min(1).max(1000) }),
  /** Where a clone of this repository would go and with which URL; also whether it is cloned already. */
  z.object({ type: z.literal('clone.plan'), profileId, repo: RepoKey, branch: z.string().max(255).optional() }),
  /** Ask through a port (askWithProgress) to receive progress events. */
  z.object({
    type: z.literal('clone.start'),
    profileId,
    repo: RepoKey,
    branch: z.string().max(255).optional(),
    protocol: z.enum(['https', 'ssh']).optional(),
    partial: z.boolean().optional(),
    /** Chosen by the asker so it can cancel: `clone.cancel` with the same id. */
    taskId: id,
  }),
  z.object({ type: z.literal('clone.cancel'), taskId: id }),
  z.object({ type: z.literal('local.clones') }),
  z.object({ type: z.literal('local.open'), path: z.string().min(1).max(4096), target: z.enum(['folder', 'editor', 'terminal']) }),
  z.object({ type: z.literal('local.fetch'), profileId, path: z.string().min(1).max(4096), remote: z.string().min(1).max(64) }),
  z.object({
    type: z.literal('local.addRemote'),
    profileId,
    path: z.string().min(1).max(4096),
    name: z.string().min(1).max(64),
    repo: RepoKey,
  }),
  z.object({ type: z.literal('ssh.key'), action: z.enum(['find', 'generate']) }),
  z.object({ type: z.literal('ssh.test'), host: z.string().min(1).max(253).optional() }),

  // ── Popup and options: new repositories, pull requests, people, reviewer groups (issue 7) ──
  z.object({ type: z.literal('repos.gitignoreTemplates'), profileId, project: z.string().min(1).max(200) }),
  z.object({
    type: z.literal('repos.create'),
    profileId,
    projectId: id,
    name: z.string().min(1).max(64),
    readme: z.boolean(),
    /** A template name; `builtIn`: from this extension's own list rather than Azure DevOps'. */
    gitignore: z.object({ name: z.string().min(1).max(100), builtIn: z.boolean() }).optional(),
    license: z.object({ id: z.string().min(1).max(40), year: z.string().max(20), holder: z.string().max(200) }).optional(),
    defaultBranch: z.string().trim().min(1).max(255),
  }),
  z.object({ type: z.literal('repos.branches'), profileId, repo: RepoKey }),
  z.object({ type: z.literal('prs.mine'), profileId }),
  z.object({
    type: z.literal('prs.create'),
    profileId,
    repo: RepoKey,
    sourceBranch: z.string().min(1).max(255),
    targetBranch: z.string().min(1).max(255),
    title: z.string().trim().min(1).max(400),
    description: z.string().max(4000).optional(),
    isDraft: z.boolean().optional(),
    reviewerIds: z.array(id).max(100),
  }),
  z.object({ type: z.literal('prs.suggestReviewers'), profileId, repo: RepoKey, sourceBranch: z.string().min(1).max(255), targetBranch: z.string().min(1).max(255) }),
  z.object({ type: z.literal('people.search'), profileId, query: z.string().trim().min(1).max(200) }),
  z.object({ type: z.literal('groups.list'), profileId, project: z.string().max(200).optional() }),
  z.object({
    type: z.literal('groups.save'),
    profileId,
    group: z.object({
      id: id.optional(),
      project: z.string().trim().min(1).max(200),
      name: z.string().trim().min(1).max(100),
      members: z.array(z.object({ id, displayName: z.string().max(300), mail: z.string().max(300).optional(), isGroup: z.boolean().optional() })).min(1).max(100),
    }),
  }),
  z.object({ type: z.literal('groups.remove'), id }),
  /** OAuth profiles only: Azure DevOps refuses this with a PAT (copy the key to its keys page instead). */
  z.object({ type: z.literal('ssh.addToAdo'), profileId, publicKey: z.string().trim().min(1).max(16_000) }),

  // ── Injected features on Azure DevOps pages (issue 6) ─────────────────────────────────────
  /** Which features are on, and which page anchors were missing lately (for Options). */
  z.object({ type: z.literal('features.settings') }),
  z.object({ type: z.literal('features.setEnabled'), feature: FeatureId, enabled: z.boolean() }),
  z.object({ type: z.literal('features.clearLog') }),
  /** A content script found none of a feature's anchors in time and shows it floating instead. */
  z.object({
    type: z.literal('features.missingAnchor'),
    feature: FeatureId,
    page: z.string().min(1).max(40),
    selectors: z.array(z.string().min(1).max(300)).min(1).max(30),
  }),
  /** The repository's parent and its forks in this organization. */
  z.object({ type: z.literal('forks.list'), profileId, repo: RepoKey }),
  z.object({ type: z.literal('forks.create'), profileId, repo: RepoKey, projectId: id, name: z.string().trim().min(1).max(64) }),
  z.object({ type: z.literal('pullRequest.reviewers'), profileId, repo: RepoKey, pullRequestId: z.number().int().positive().max(2 ** 31) }),
  /** People who recently changed the files this pull request touches (its author and current reviewers left out). */
  z.object({ type: z.literal('pullRequest.suggestReviewers'), profileId, repo: RepoKey, pullRequestId: z.number().int().positive().max(2 ** 31) }),
  /** People who are reviewers already keep their vote: they are left out, not added again. */
  z.object({
    type: z.literal('pullRequest.addReviewers'),
    profileId,
    repo: RepoKey,
    pullRequestId: z.number().int().positive().max(2 ** 31),
    reviewers: z.array(z.object({ id, isRequired: z.boolean() })).min(1).max(100),
  }),
]);
export type Request = z.infer<typeof Request>;
export type RequestType = Request['type'];

export const pagesOnly: ReadonlySet<RequestType> = new Set([
  'companion.setCloneRoot',
  'ssh.key',
  'ssh.test',
  'profiles.list',
  'profiles.addPat',
  'profiles.signIn',
  'profiles.finishSignIn',
  'profiles.update',
  'profiles.remove',
  'profiles.setActive',
  'profiles.export',
  'profiles.import',
  'settings.get',
  'settings.setOAuth',
  // issue 7
  'groups.save',
  'groups.remove',
  'ssh.addToAdo',
  // issue 6
  'features.setEnabled',
  'features.clearLog',
]);

export interface ReplyError {
  /** `BAD_REQUEST`, `FORBIDDEN`, `NO_PROFILE`, or an Azure DevOps failure kind such as `oauthDisabled`. */
  code: string;
  /** For a person: what happened and what to do next. */
  message: string;
  /** A page that helps: the tokens page, the organization policy page. */
  helpUrl?: string;
}
export type Reply<T = unknown> = { ok: true; data: T } | { ok: false; error: ReplyError };

export interface PingAnswer {
  version: string;
  /** Where the ping came from, as the worker saw it: proves sender checks run. */
  sender: 'extension' | 'content';
}

export interface ProfilesAnswer {
  profiles: Profile[];
  activeId?: string;
}

export interface SignInAnswer {
  pending: string;
  user: { displayName: string; emailAddress?: string };
  organizations: { name: string; id: string }[];
}

export interface SettingsAnswer {
  oauth: { clientId: string; tenant: string; configured: boolean };
}

export interface ProjectSummary {
  id: string;
  name: string;
  description?: string;
}

export interface RepoSummary {
  id: string;
  name: string;
  project: { id: string; name: string };
  defaultBranch?: string;
  remoteUrl?: string;
  sshUrl?: string;
  webUrl?: string;
  isDisabled?: boolean;
  isFork?: boolean;
  size?: number;
}

/** Cached lists draw at once; `stale` says a refresh is worth asking for. */
export interface Listing<T> {
  items: T[];
  fetchedAt: number;
  stale: boolean;
  profileId: string;
}

export interface PageContextAnswer {
  profile?: Pick<Profile, 'id' | 'name' | 'organization' | 'protocol' | 'layout' | 'cloneRoot'>;
  /** Azure DevOps Server hosts of the user's profiles, for `parseAdoUrl(url, { onPremHosts })`. */
  onPremHosts: string[];
}

/** Typed view for senders: the answer each request type gets. */
export interface Answers {
  ping: PingAnswer;
  'profiles.list': ProfilesAnswer;
  'profiles.addPat': Profile;
  'profiles.signIn': SignInAnswer;
  'profiles.finishSignIn': Profile;
  'profiles.update': Profile;
  'profiles.remove': ProfilesAnswer;
  'profiles.setActive': ProfilesAnswer;
  'profiles.export': string;
  'profiles.import': ProfilesAnswer;
  'settings.get': SettingsAnswer;
  'settings.setOAuth': SettingsAnswer;
  'projects.list': Listing<ProjectSummary>;
  'repos.list': Listing<RepoSummary>;
  'page.context': PageContextAnswer;
  'companion.status': CompanionStatus;
  'companion.setCloneRoot': CompanionStatus;
  'clone.plan': ClonePlan;
  'clone.start': CloneData;
  'clone.cancel': { cancelled: boolean };
  'local.clones': LocalClonesData;
  'local.open': { opened: string; with: string };
  'local.fetch': { path: string; remote: string };
  'local.addRemote': { path: string; name: string; url: string };
  'ssh.key': SshKeyData;
  'ssh.test': SshTestData;
  // issue 7
  'repos.gitignoreTemplates': GitignoreTemplatesAnswer;
  'repos.create': CreatedRepo;
  'repos.branches': BranchesAnswer;
  'prs.mine': MyPullRequests;
  'prs.create': PullRequestSummary;
  'prs.suggestReviewers': ReviewerSuggestions;
  'people.search': { people: Person[] };
  'groups.list': { groups: ReviewerGroup[] };
  'groups.save': ReviewerGroup;
  'groups.remove': { groups: ReviewerGroup[] };
  'ssh.addToAdo': { name: string; validTo: string };
  // issue 6
  'features.settings': FeatureSettings;
  'features.setEnabled': FeatureSettings;
  'features.clearLog': FeatureSettings;
  'features.missingAnchor': { recorded: boolean };
  'forks.list': ForkList;
  'forks.create': RepoSummary;
  'pullRequest.reviewers': PullRequestSummary;
  'pullRequest.suggestReviewers': ReviewerSuggestions;
  'pullRequest.addReviewers': PullRequestSummary & { added: string[]; alreadyReviewing: string[] };
}

export interface CompanionStatus {
  /** `ready`; `missing` (not installed); `outdated` (protocol mismatch); `failed` (crashed or refused). */
  state: 'ready' | 'missing' | 'outdated' | 'failed';
  message?: string;
  version?: string;
  git?: string | null;
  cloneRoots?: string[];
  logFile?: string;
  /** The command that installs or updates the companion for this browser. */
  installCommand: string;
}

export interface ClonePlan {
  url: string;
  protocol: 'https' | 'ssh';
  root: string;
  folder: string;
  /** root + folder, as the companion will create it. */
  path: string;
  branch?: string;
  /** A local clone of this repository, if the companion knows one. */
  existing?: { path: string; branch: string | null; dirty: boolean | null };
}

/** A clone's progress, as the companion reports it. */
export interface CloneProgress {
  phase: ProgressPhase;
  percent: number;
}

// ── Answers for the popup and options (issue 7) ─────────────────────────────────────────────

export interface GitignoreTemplatesAnswer {
  names: string[];
  /** True when Azure DevOps' list could not be read and this extension's own list is offered. */
  builtIn: boolean;
}

export interface CreatedRepo {
  repo: RepoSummary;
  branch: string;
  /** Paths of the files in the first commit, e.g. `/README.md`. */
  files: string[];
  commitId?: string;
  /** The repository exists but its first commit failed: what went wrong. */
  warning?: string;
}

export interface BranchesAnswer {
  /** Short names (`main`, `feature/x`), sorted. */
  branches: string[];
  defaultBranch?: string;
}

export interface PullRequestSummary {
  id: number;
  title: string;
  status: string;
  isDraft: boolean;
  repo: { id: string; name: string; project: string };
  sourceBranch: string;
  targetBranch: string;
  createdBy: { id: string; displayName: string };
  creationDate: string;
  reviewers: { id: string; displayName: string; vote: number; isRequired: boolean; isGroup: boolean }[];
  webUrl: string;
}

export interface MyPullRequests {
  created: PullRequestSummary[];
  reviewing: PullRequestSummary[];
  /** Projects whose pull requests could not be read, with the reason. */
  failed: { project: string; message: string }[];
}

export interface Person {
  /** The id a reviewer needs (IdentityPicker `localId`). */
  id: string;
  displayName: string;
  mail?: string;
  isGroup?: boolean;
}

export interface ReviewerSuggestion extends Person {
  /** Why: "changed src/api.ts 3 days ago". */
  reason: string;
}

export interface ReviewerSuggestions {
  suggestions: ReviewerSuggestion[];
  changedFiles: number;
}

export interface ReviewerGroup {
  id: string;
  profileId: string;
  project: string;
  name: string;
  members: Person[];
}

// ── Answers for the injected features (issue 6) ─────────────────────────────────────────────

export interface FeatureInfo {
  id: FeatureId;
  title: string;
  description: string;
  enabled: boolean;
}

/** A feature whose page anchors were not found: Azure DevOps' markup changed under it. */
export interface MissingAnchor {
  feature: FeatureId;
  /** The page kind (`repoFiles`, `pullRequest`, …), never the URL. */
  page: string;
  /** The selectors tried, newest markup first. */
  selectors: string[];
  /** The site's origin, e.g. `https://dev.azure.com`. */
  origin: string;
  count: number;
  firstAt: number;
  lastAt: number;
}

export interface FeatureSettings {
  features: FeatureInfo[];
  /** Newest first. */
  missingAnchors: MissingAnchor[];
}

export interface ForkList {
  repo: RepoSummary;
  /** The repository this one was forked from, if it is a fork. */
  parent?: RepoSummary;
  forks: RepoSummary[];
}
