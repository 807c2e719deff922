import * as z from 'zod';
import {
  AddRemoteDataSchema,
  CancelDataSchema,
  CloneDataSchema,
  EDITORS,
  FetchDataSchema,
  LocalClonesDataSchema,
  OpenDataSchema,
  SshKeyDataSchema,
  SshTestDataSchema,
  type CheckoutData,
  type Editor,
  type ProgressPhase,
} from './host-protocol';
import type { Profile } from './profile';

/**
 * What the popup, the options page and content scripts may ask the background worker: one record
 * per request type (`REQUESTS`, at the end of this file) with its input schema, its answer and who
 * may ask. Requests are checked against it on arrival; answers never carry credentials.
 */
const id = z.string().min(1).max(200);
const profileId = id.optional();

/** Names a repository of the profile's organization; the background looks up its URLs itself. */
export const RepoKey = z.object({
  /** The repository id, or its name (Azure DevOps accepts either). */
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  project: z.string().min(1).max(200),
});
export type RepoKey = z.infer<typeof RepoKey>;

/** The injected features of the content script (issue 6); each can be switched off in Options. */
export const FeatureId = z.enum(['clone-to-desktop', 'forks-as-remotes', 'pull-request-reviewers', 'pull-request-checkout', 'open-in-editor', 'start-work']);
export type FeatureId = z.infer<typeof FeatureId>;

/** The sections of the options page, which buttons elsewhere open directly (`options.html#accounts`). */
export const OptionsSection = z.enum(['welcome', 'profiles', 'accounts', 'companion', 'editor', 'branch-names', 'ssh', 'groups', 'features', 'advanced']);
export type OptionsSection = z.infer<typeof OptionsSection>;

export interface ReplyError {
  /**
   * `BAD_REQUEST`, `FORBIDDEN`, `NO_PROFILE`, an Azure DevOps failure kind such as `oauthDisabled`,
   * or `companion.` and the companion's: `missing`, `outdated`, `failed` (did not start, or answered
   * nonsense), `stopped` (exited while it worked), `hung` (no answer in time), or the host's own
   * code such as `companion.DEST_EXISTS` (src/host/PROTOCOL.md).
   */
  code: string;
  /** For a person: what happened and what to do next. */
  message: string;
  /** What happened alone, where a place gives its own next step (a clone's failure): set where `message` goes on past it. */
  happened?: string;
  /** A page that helps: the tokens page, the organization policy page. */
  helpUrl?: string;
  /** The profile whose token was refused: Options opens its editor, where the token is replaced. */
  profileId?: string;
  /** The request's field a `BAD_REQUEST` is about (`description`): a form puts the focus there, where it is fixed. */
  field?: string;
  /** The pull request already open for the branches a new one was refused for (TF401179). */
  pullRequest?: { id: number; webUrl: string };
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

/** After an import: how many of the file's profiles this version could not read, and left out. */
export interface ImportAnswer extends ProfilesAnswer {
  skipped: number;
}

/** An account added, or an existing profile of the same user and organization given the new token. */
export interface AddedProfile {
  profile: Profile;
  replaced: boolean;
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

export interface CompanionStatus {
  /** `ready`; `missing` (not installed); `outdated` (protocol mismatch); `gitTooOld` (git older than the companion runs: `message` says which and what to do); `failed` (crashed or refused); `hung` (did not answer in time: the next ask starts a new one). */
  state: 'ready' | 'missing' | 'outdated' | 'gitTooOld' | 'failed' | 'hung';
  message?: string;
  version?: string;
  git?: string | null;
  cloneRoots?: string[];
  logFile?: string;
}

/**
 * A remote of a local clone, as a page may know it: its name, and `key` (`repoUrlKey`) only when its
 * URL is a repository of the asker's organization. Never the URL, which may carry a credential.
 */
export interface CloneRemote {
  name: string;
  key?: string;
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
  /** `worktrees`: this repository's linked work trees the companion knows (a pull request's, Start work's), by path. */
  existing?: { path: string; branch: string | null; dirty: boolean | null; remotes: CloneRemote[]; worktrees?: string[] };
  /**
   * A clone of this repository still under way: `taskId` when this extension runs it (follow it
   * with `clone.follow`), `path` once git has made its folder (also when another browser runs it).
   */
  cloning?: { path?: string; taskId?: string };
  /** Why a clone into `path` would stop before it starts, said by the companion (a folder that is not empty in the way); asked for with `inTheWay`. */
  inTheWay?: string;
}

/**
 * Reported while a request asked through a port (askWithProgress) waits to try again: until when
 * (ms since the epoch), the failure it waits out (a 429, a network or server failure), and the
 * host asked. With `sent`: a request sent then has no answer yet, and gives up at `until`;
 * `{ waiting: null }` says its answer came after all.
 */
export interface Waiting {
  until: number;
  error: ReplyError;
  host?: string;
  sent?: number;
}

/** A clone's progress, as the companion reports it. */
export interface CloneProgress {
  phase: ProgressPhase;
  percent: number;
}

/** Where a clone the extension started is. */
export type CloneState = 'running' | 'done' | 'failed' | 'cancelled';

/**
 * A clone running, or one that failed or was cancelled lately, for a popup opened again
 * (`clone.tasks`); with `checkout`, a checkout, listed however it ended (follow a pull request's
 * with `pullRequest.follow`, a branch's with `local.followCheckout`, for its answer).
 */
export interface CloneTaskView {
  taskId: string;
  profileId?: string;
  repo: RepoKey;
  /** A finished clone is in the companion's list of clones instead; a finished checkout is listed. */
  state: CloneState;
  checkout?: BoardCheckout;
  progress?: CloneProgress;
  error?: ReplyError;
}

/**
 * A checkout on the background's board: a pull request's, or a branch's (Start work). `workItem`:
 * the work item whose Start work asked for it, so only that item's pages read themselves for it.
 */
export type BoardCheckout = { pullRequestId: number; mode: 'branch' | 'merge'; worktree: boolean } | { branch: string; worktree: boolean; workItem?: number };

/** A pull request checked out on this computer. */
export interface PullRequestCheckout extends Omit<CheckoutData, 'path'> {
  /** Where it is checked out: the clone, or the new worktree. */
  path: string;
  /** The clone of the target repository (the same as `path` unless a worktree was made). */
  clonePath: string;
  /** The remote it was fetched from: the target's, or the fork's (added when it was missing). */
  remote: string;
  /** The repository was cloned first. */
  cloned: boolean;
  worktree: boolean;
}

/** The editor "Open in editor" uses (Options › Editor). */
export interface EditorSetting {
  editor: Editor;
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
  /** Projects whose pull requests could not be read, with the reason (its `code` names a next step, see next-step.ts). */
  failed: { project: string; code: string; message: string }[];
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

// ── Work items: start work on a new branch (issue 14) ──────────────────────────────────────

export interface WorkItemSummary {
  id: number;
  title: string;
  state: string;
  type: string;
  project: string;
  changedDate?: string;
  webUrl: string;
}

export interface MyWorkItems {
  items: WorkItemSummary[];
}

/** A branch a work item links to (its Development section). */
export interface LinkedBranch {
  repo: { id: string; name: string; project: string };
  branch: string;
}

/** What "Start work" offers before it does anything. */
export interface StartWorkPlan {
  workItem: WorkItemSummary & { projectId: string };
  /** The branches the work item links to already. */
  linked: LinkedBranch[];
  /** The repository to suggest: the one the item links to, else the last one used in its project. */
  suggested?: { id: string; name: string; project: string; reason: 'linked' | 'lastUsed' };
  /** The project's repositories, to choose another. */
  repos: { id: string; name: string; project: string; defaultBranch?: string }[];
  /** The template's name for this item (Options › Branch names). */
  branch: string;
  template: string;
  /** The type's "in progress" state (category InProgress: Active, Committed, Doing…), if it has one. */
  activeState?: string;
  /** The item is in that state, or later, already. */
  alreadyActive: boolean;
}

/** What the server side of "Start work" did: the branch exists; linking and the state may have failed. */
export interface StartWorkResult {
  branch: string;
  commitId: string;
  /** The branch existed already and was taken as it is (`existing` asked); else it was made. */
  existing?: true;
  repo: { id: string; name: string; project: string };
  linked: boolean;
  /** Why the link failed: the branch exists on the server but the work item does not show it. */
  linkError?: ReplyError;
  state?: string;
  stateError?: ReplyError;
  branchWebUrl: string;
}

/** A branch checked out on this computer (cloned first when there was no clone). */
export interface BranchCheckout {
  path: string;
  clonePath: string;
  branch: string | null;
  result: string;
  cloned: boolean;
  worktree: boolean;
  /** The worktree was there already, from an earlier checkout of the branch: it was updated, not made. */
  reused?: true;
}

export interface BranchTemplateSetting {
  template: string;
  isDefault: boolean;
}

// ── The contract ─────────────────────────────────────────────────────────────────────────────

/**
 * Who asks. `extension`: our own pages (popup, options). `content`: the content script of an Azure
 * DevOps page, which a hostile page sits next to: it is answered with its own organization's
 * profile only, never one it names (see src/background/gateway.ts and SECURITY.md).
 */
export type Sender = 'extension' | 'content';

/** A request content scripts may not send: the default. */
const OURS = ['extension'] as const satisfies readonly Sender[];
/** A request the injected features in src/content send. */
const PAGES = ['extension', 'content'] as const satisfies readonly Sender[];

/** An answer built by our own code from types declared above: its type, checked at compile time only. */
const answer = <T>() => z.custom<T>();

interface Contract {
  /** The request's fields besides `type`. */
  input: z.ZodRawShape;
  answer: z.ZodType;
  /** Absent: our own pages only. */
  senders?: readonly Sender[];
}

const repoRequest = { profileId, repo: RepoKey };
const pullRequestId = z.number().int().positive().max(2 ** 31);
const workItemId = z.number().int().positive().max(2 ** 31);

/**
 * Every request the background answers. A content script may send only the types whose record says
 * `senders: PAGES`: those the injected features send. A new request is closed to pages until its
 * record says otherwise.
 */
export const REQUESTS = {
  ping: { input: {}, answer: answer<PingAnswer>() },

  // ── Accounts and settings: our own pages only; a web page must not manage accounts ───────
  'profiles.list': { input: {}, answer: answer<ProfilesAnswer>() },
  'profiles.addPat': {
    input: {
      /** Absent for Azure DevOps Services; the collection URL for Azure DevOps Server. */
      collectionUrl: z.string().url().optional(),
      organization: z.string().trim().min(1).max(200),
      pat: z.string().trim().min(1).max(1000),
      name: z.string().trim().max(100).optional(),
      /** The profile whose token this replaces: the token must be the same user's, or nothing changes. */
      profileId: id.optional(),
      /** Chosen by the asker so it can stop the check: `profiles.cancelAdd` with the same id. */
      taskId: id.optional(),
    },
    answer: answer<AddedProfile>(),
  },
  /** Stops a `profiles.addPat` still checking the token: it then fails as cancelled and adds nothing; the one that ended stays as it ended. */
  'profiles.cancelAdd': { input: { taskId: id }, answer: answer<void>() },
  'profiles.signIn': { input: {}, answer: answer<SignInAnswer>() },
  'profiles.finishSignIn': { input: { pending: id, organization: z.string().min(1).max(200) }, answer: answer<AddedProfile>() },
  /**
   * Asked through a port while Options shows a sign-in's organization choice: answers once the
   * asker goes (the page closed, Cancel, Start over), having dropped that sign-in's tokens.
   */
  'profiles.holdSignIn': { input: { pending: id }, answer: answer<Record<string, never>>() },
  'profiles.update': {
    input: {
      id,
      patch: z.object({
        name: z.string().trim().min(1).max(100).optional(),
        /** `null`: no folder of its own, clones go where the companion's do. */
        cloneRoot: z.string().trim().min(1).max(1000).nullable().optional(),
        layout: z.string().trim().min(1).max(200).optional(),
        protocol: z.enum(['https', 'ssh']).optional(),
      }),
    },
    answer: answer<Profile>(),
  },
  'profiles.remove': { input: { id }, answer: answer<ProfilesAnswer>() },
  'profiles.setActive': { input: { id }, answer: answer<ProfilesAnswer>() },
  'profiles.export': { input: {}, answer: z.string() },
  'profiles.import': { input: { json: z.string().max(1_000_000) }, answer: answer<ImportAnswer>() },
  'settings.get': { input: {}, answer: answer<SettingsAnswer>() },
  'settings.setOAuth': { input: { clientId: z.string().trim().max(100), tenant: z.string().trim().max(100) }, answer: answer<SettingsAnswer>() },

  // ── Lists ──────────────────────────────────────────────────────────────────────────────────
  'projects.list': { input: { profileId, refresh: z.boolean().optional() }, answer: answer<Listing<ProjectSummary>>(), senders: PAGES },
  'repos.list': { input: { profileId, refresh: z.boolean().optional() }, answer: answer<Listing<RepoSummary>>() },
  /** A content script asks which profile serves its page (if any); the page is the sender's. */
  'page.context': { input: {}, answer: answer<PageContextAnswer>(), senders: PAGES },

  // ── The companion (native host): clones, local repositories, SSH ──────────────────────────
  'companion.status': { input: {}, answer: answer<CompanionStatus>(), senders: PAGES },
  'companion.setCloneRoot': { input: { profileId, cloneRoot: z.string().trim().min(1).max(1000) }, answer: answer<CompanionStatus>() },
  /** Where a clone of this repository would go and with which URL; also whether it is cloned already. */
  /** `inTheWay`: also ask the companion whether something at the path would stop a clone (`ClonePlan.inTheWay`), for a panel that offers one. */
  'clone.plan': { input: { ...repoRequest, branch: z.string().max(255).optional(), inTheWay: z.literal(true).optional() }, answer: answer<ClonePlan>(), senders: PAGES },
  /** Ask through a port (askWithProgress) to receive progress events. */
  'clone.start': {
    input: {
      ...repoRequest,
      branch: z.string().max(255).optional(),
      protocol: z.enum(['https', 'ssh']).optional(),
      partial: z.boolean().optional(),
      /** Chosen by the asker so it can cancel: `clone.cancel` with the same id. */
      taskId: id,
    },
    answer: CloneDataSchema,
    senders: PAGES,
  },
  'clone.cancel': { input: { taskId: id }, answer: CancelDataSchema, senders: PAGES },
  /**
   * Clones running, and those that failed or were cancelled lately: a popup opened again shows them.
   * A page gets only its own organization's tasks that are still running, then its checkouts that ended
   * lately with nobody to hear it, once (a page reloaded during its checkout follows it again, or learns how it ended).
   */
  'clone.tasks': { input: {}, answer: answer<{ tasks: CloneTaskView[] }>(), senders: PAGES },
  /** Ask through a port: the clone's progress, then its answer, as `clone.start` would have given them. */
  'clone.follow': { input: { taskId: id }, answer: CloneDataSchema, senders: PAGES },
  /** Takes a finished clone off the list (dismissed); a running one stays. */
  'clone.forget': { input: { taskId: id }, answer: answer<{ forgotten: boolean }>() },
  'local.clones': { input: {}, answer: LocalClonesDataSchema },
  /** `file` and `line` (editor only) open one file of the clone; the editor is the one chosen in Options. */
  'local.open': {
    input: {
      path: z.string().min(1).max(4096),
      target: z.enum(['folder', 'editor', 'terminal']),
      file: z.string().min(1).max(4096).optional(),
      line: z.number().int().min(1).max(10_000_000).optional(),
    },
    answer: OpenDataSchema,
    senders: PAGES,
  },
  'settings.editor': { input: {}, answer: answer<EditorSetting>() },
  'settings.setEditor': { input: { editor: z.enum(EDITORS) }, answer: answer<EditorSetting>() },
  /**
   * Checks a pull request out on this computer: its source branch (from the fork when it comes
   * from one), or its merge preview (`mode: 'merge'`, detached). Clones first when there is no
   * clone; `worktree` checks out into a new worktree next to the clone (a clone with changes is
   * never touched: that answers `companion.WORKTREE_DIRTY`). Ask through a port for progress;
   * cancel with `clone.cancel` and the same task id.
   */
  'pullRequest.checkout': {
    input: { ...repoRequest, pullRequestId, mode: z.enum(['branch', 'merge']), worktree: z.boolean().optional(), taskId: id },
    answer: answer<PullRequestCheckout>(),
    senders: PAGES,
  },
  /** Ask through a port: a pull request checkout's progress, then its answer (`clone.tasks` lists them). */
  'pullRequest.follow': { input: { taskId: id }, answer: answer<PullRequestCheckout>(), senders: PAGES },
  'local.fetch': { input: { profileId, path: z.string().min(1).max(4096), remote: z.string().min(1).max(64) }, answer: FetchDataSchema, senders: PAGES },
  'local.addRemote': {
    input: { ...repoRequest, path: z.string().min(1).max(4096), name: z.string().min(1).max(64) },
    answer: AddRemoteDataSchema,
    senders: PAGES,
  },
  /** `configure` names `keyPath` (the key Options shows) in the companion's block of ~/.ssh/config. */
  'ssh.key': { input: { action: z.enum(['find', 'generate', 'configure']), keyPath: z.string().min(1).max(4096).optional() }, answer: SshKeyDataSchema },
  /** Against the profile's server (its SSH port as its clone URLs name it), or the cloud's SSH host. */
  'ssh.test': { input: { profileId }, answer: SshTestDataSchema },

  // ── Popup and options: new repositories, pull requests, people, reviewer groups (issue 7) ──
  'repos.gitignoreTemplates': { input: { profileId, project: z.string().min(1).max(200) }, answer: answer<GitignoreTemplatesAnswer>() },
  'repos.create': {
    input: {
      profileId,
      projectId: id,
      name: z.string().min(1).max(64),
      readme: z.boolean(),
      /** A template name; `builtIn`: from this extension's own list rather than Azure DevOps'. */
      gitignore: z.object({ name: z.string().min(1).max(100), builtIn: z.boolean() }).optional(),
      license: z.object({ id: z.string().min(1).max(40), year: z.string().max(20), holder: z.string().max(200) }).optional(),
      defaultBranch: z.string().trim().min(1).max(255),
    },
    answer: answer<CreatedRepo>(),
  },
  /** What a `repos.create` of this name in this browser session made, if it finished. */
  'repos.ourCreate': { input: { profileId, projectId: id, name: z.string().min(1).max(64) }, answer: answer<{ created?: CreatedRepo }>() },
  'repos.branches': { input: repoRequest, answer: answer<BranchesAnswer>() },
  'prs.mine': { input: { profileId }, answer: answer<MyPullRequests>() },
  'prs.create': {
    input: {
      ...repoRequest,
      sourceBranch: z.string().min(1).max(255),
      targetBranch: z.string().min(1).max(255),
      title: z.string().trim().min(1).max(400),
      description: z.string().max(4000).optional(),
      isDraft: z.boolean().optional(),
      reviewerIds: z.array(id).max(100),
    },
    answer: answer<PullRequestSummary>(),
  },
  /** Also asked by the reviewer helpers on a new pull request's page. */
  'prs.suggestReviewers': {
    input: { ...repoRequest, sourceBranch: z.string().min(1).max(255), targetBranch: z.string().min(1).max(255) },
    answer: answer<ReviewerSuggestions>(),
    senders: PAGES,
  },
  'people.search': { input: { profileId, query: z.string().trim().min(1).max(200) }, answer: answer<{ people: Person[] }>(), senders: PAGES },
  'groups.list': { input: { profileId, project: z.string().max(200).optional() }, answer: answer<{ groups: ReviewerGroup[] }>(), senders: PAGES },
  'groups.save': {
    input: {
      profileId,
      group: z.object({
        id: id.optional(),
        project: z.string().trim().min(1).max(200),
        name: z.string().trim().min(1).max(100),
        members: z.array(z.object({ id, displayName: z.string().max(300), mail: z.string().max(300).optional(), isGroup: z.boolean().optional() })).min(1).max(100),
      }),
    },
    answer: answer<ReviewerGroup>(),
  },
  'groups.remove': { input: { id }, answer: answer<{ groups: ReviewerGroup[] }>() },
  /** OAuth profiles only: Azure DevOps refuses this with a PAT (copy the key to its keys page instead). */
  'ssh.addToAdo': { input: { profileId, publicKey: z.string().trim().min(1).max(16_000) }, answer: answer<{ name: string; validTo: string }>() },

  // ── Injected features on Azure DevOps pages (issue 6) ─────────────────────────────────────
  /** Which features are on, and which page anchors were missing lately (for Options). */
  'features.settings': { input: {}, answer: answer<FeatureSettings>(), senders: PAGES },
  'features.setEnabled': { input: { feature: FeatureId, enabled: z.boolean() }, answer: answer<FeatureSettings>() },
  'features.clearLog': { input: {}, answer: answer<FeatureSettings>() },
  /**
   * Options at a section, in the Options tab already open if there is one: for a page's panel
   * (content scripts cannot open extension pages themselves) and the popup. `profileId`, with
   * `profiles`, is that profile's editor; a page's is its own organization's, whatever it sends.
   */
  'options.open': { input: { section: OptionsSection, profileId }, answer: z.object({ opened: z.boolean() }), senders: PAGES },
  /**
   * A page's first use of an injected feature: the features' own code (`src/content/panels.js`)
   * is run in the asking frame, next to the content script (src/content/lazy.ts). Only that file,
   * only there.
   */
  'features.load': { input: {}, answer: z.object({ loaded: z.boolean() }), senders: PAGES },
  /** A content script found none of a feature's anchors in time and shows it floating instead. */
  'features.missingAnchor': {
    input: { feature: FeatureId, page: z.string().min(1).max(40), selectors: z.array(z.string().min(1).max(300)).min(1).max(30) },
    answer: z.object({ recorded: z.boolean() }),
    senders: PAGES,
  },
  /** The repository's parent and its forks in this organization. */
  'forks.list': { input: repoRequest, answer: answer<ForkList>(), senders: PAGES },
  'forks.create': { input: { ...repoRequest, projectId: id, name: z.string().trim().min(1).max(64) }, answer: answer<RepoSummary>(), senders: PAGES },
  'pullRequest.reviewers': { input: { ...repoRequest, pullRequestId }, answer: answer<PullRequestSummary>(), senders: PAGES },
  /** People who recently changed the files this pull request touches (its author and current reviewers left out). */
  'pullRequest.suggestReviewers': { input: { ...repoRequest, pullRequestId }, answer: answer<ReviewerSuggestions>(), senders: PAGES },
  /** People who are reviewers already keep their vote: they are left out, not added again. */
  'pullRequest.addReviewers': {
    input: { ...repoRequest, pullRequestId, reviewers: z.array(z.object({ id, isRequired: z.boolean() })).min(1).max(100) },
    /** `failed`: those not added (the others were), each with why; when nobody could be added the request fails instead. */
    answer: answer<PullRequestSummary & { added: string[]; alreadyReviewing: string[]; failed: { id: string; code: string; message: string }[] }>(),
    senders: PAGES,
  },

  // ── Work items: start work on a new branch (issue 14) ──────────────────────────────────────
  /** Active work items assigned to the user, across the organization's projects (WIQL). */
  'workItems.mine': { input: { profileId }, answer: answer<MyWorkItems>() },
  /** What starting work on a work item would do: repository, branch name, base, "active" state. */
  'workItem.plan': { input: { profileId, project: z.string().min(1).max(200), id: workItemId }, answer: answer<StartWorkPlan>(), senders: PAGES },
  /**
   * Creates the branch on the server from `base` (the repository's default branch when absent),
   * links it to the work item, and sets the item's in-progress state when `setActive`. The branch
   * is made first: when linking or the state fails, the answer says so and nothing is undone.
   */
  'workItem.startWork': {
    input: {
      ...repoRequest,
      workItemProject: z.string().min(1).max(200),
      id: workItemId,
      branch: z.string().min(1).max(250),
      base: z.string().min(1).max(250).optional(),
      setActive: z.boolean(),
      /** The new branch's checkout, begun with this task id once the answer is ready: follow it with `local.followCheckout`. */
      checkoutTaskId: id.optional(),
      /** Work on `branch` as it is when it exists already (the person chose it after "exists already"); made from `base` when it does not. */
      existing: z.literal(true).optional(),
    },
    answer: answer<StartWorkResult>(),
    senders: PAGES,
  },
  /** Links an existing branch to the work item (the retry after a failed link), then sets the in-progress state when `setActive`. */
  'workItem.linkBranch': {
    input: { ...repoRequest, workItemProject: z.string().min(1).max(200), id: workItemId, branch: z.string().min(1).max(250), setActive: z.boolean().optional() },
    answer: answer<{ linked: boolean; state?: string; stateError?: ReplyError }>(),
    senders: PAGES,
  },
  /**
   * Checks a branch of the repository out on this computer: fetched and switched to in its clone,
   * or cloned on that branch when there is no clone; `worktree` puts it in a new worktree next to
   * the clone (a clone with changes answers `companion.WORKTREE_DIRTY`). Progress through a port;
   * cancel with `clone.cancel` and the same task id. `workItem`: the work item it is for (its board entry says so).
   */
  'local.checkoutBranch': { input: { ...repoRequest, branch: z.string().min(1).max(250), worktree: z.boolean().optional(), workItem: workItemId.optional(), taskId: id }, answer: answer<BranchCheckout>(), senders: PAGES },
  /** Ask through a port: a branch checkout's progress, then its answer (`clone.tasks` lists them). */
  'local.followCheckout': { input: { taskId: id }, answer: answer<BranchCheckout>(), senders: PAGES },
  'settings.branchTemplate': { input: {}, answer: answer<BranchTemplateSetting>() },
  'settings.setBranchTemplate': { input: { template: z.string().max(200) }, answer: answer<BranchTemplateSetting>() },
} satisfies Record<string, Contract>;

type Contracts = typeof REQUESTS;
export type RequestType = keyof Contracts;
export const REQUEST_TYPES = Object.keys(REQUESTS) as RequestType[];

/** The schema of one request: its `type` and the contract's input. */
type InputOf<T extends RequestType> = Contracts[T]['input'] extends infer S extends z.ZodRawShape ? S : never;
type RequestSchema<T extends RequestType> = z.ZodObject<{ type: z.ZodLiteral<T> } & InputOf<T>>;
const schemaOf = <T extends RequestType>(type: T): RequestSchema<T> => z.object({ type: z.literal(type), ...REQUESTS[type].input }) as RequestSchema<T>;

/** Every request, by type: the union below and the gateway's checks come from here. */
export const REQUEST_SCHEMAS = Object.fromEntries(REQUEST_TYPES.map((t) => [t, schemaOf(t)])) as { [T in RequestType]: RequestSchema<T> };

export type Request = { [T in RequestType]: z.infer<RequestSchema<T>> }[RequestType];
/** Typed view for senders: the answer each request type gets. */
export type Answers = { [T in RequestType]: z.output<Contracts[T]['answer']> };

/** Who may send a request of this type; content scripts only where the contract says so. */
export const sendersOf = (type: RequestType): readonly Sender[] => (REQUESTS[type] as Contract).senders ?? OURS;

/** The requests a content script may send. */
export type PageRequestType = { [T in RequestType]: Contracts[T] extends { senders: readonly (infer S)[] } ? ('content' extends S ? T : never) : never }[RequestType];

/** Distributes `Omit` over a union, so each request type keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/**
 * What a content script may send: the page's own organization decides the profile, so it names
 * none (the gateway refuses one that does).
 */
export type PageRequest = DistributiveOmit<Extract<Request, { type: PageRequestType }>, 'profileId'>;

/** A request checked against the contract, or why it is refused. */
export function parseRequest(message: unknown, from: Sender): { ok: true; request: Request } | { ok: false; error: ReplyError } {
  const type = (message as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !Object.hasOwn(REQUESTS, type)) return { ok: false, error: { code: 'BAD_REQUEST', message: `Unknown request type ${JSON.stringify(type)}.` } };
  const t = type as RequestType;
  if (!sendersOf(t).includes(from)) return { ok: false, error: { code: 'FORBIDDEN', message: 'Pages may not ask for this.' } };
  // A page reaches only its own organization: it may not choose another profile.
  if (from === 'content' && (message as { profileId?: unknown }).profileId !== undefined)
    return { ok: false, error: { code: 'FORBIDDEN', message: 'Pages may not choose a profile: each page is served by its own organization’s.' } };
  // With the input in each issue: a field too long is said with its length (as checked, trimmed where trimmed).
  const parsed = REQUEST_SCHEMAS[t].safeParse(message, { reportInput: true });
  if (!parsed.success) return { ok: false, error: { code: 'BAD_REQUEST', ...problemOf(parsed.error.issues[0]) } };
  return { ok: true, request: parsed.data as Request };
}

/** Fields whose names say little to a person, in the words the forms use. */
const FIELD_WORDS: Record<string, string> = { pat: 'token', cloneRoot: 'clone folder', reviewerIds: 'reviewers', json: 'file' };
const count = (n: number) => n.toLocaleString('en-US');

/**
 * Why a request was refused, for the person who filled the form: zod's own words ("Too big:
 * expected string to have <=4000 characters") say neither which field nor what to do. A field
 * too long is the one a person meets (a pasted or templated text), so it is said with its numbers.
 */
function problemOf(issue: z.core.$ZodIssue | undefined): Pick<ReplyError, 'message' | 'field'> {
  if (!issue) return { message: 'Invalid request.' };
  const key = issue.path.findLast((k): k is string => typeof k === 'string');
  const field = key ? (FIELD_WORDS[key] ?? key.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)) : 'request';
  const value = issue.input;
  const at = key ? { field: key } : {};
  if (issue.code === 'too_big' && (typeof value === 'string' || Array.isArray(value))) {
    const max = Number(issue.maximum);
    const over = value.length - max;
    const message =
      typeof value === 'string'
        ? `The ${field} is ${count(value.length)} characters; it can have at most ${count(max)}. Shorten it by ${count(over)}.`
        : `The ${field} are ${count(value.length)}; at most ${count(max)} can be given. Remove ${count(over)}.`;
    return { message, ...at };
  }
  return { message: `The ${field} was refused: ${issue.message}`, ...at };
}
