import { PathSchema, type CloneData, type Editor, type GitAuth, type LocalClone } from '../../shared/host-protocol';
import type { BoardCheckout, BranchCheckout, ClonePlan, CloneRemote, CloneProgress, CloneTaskView, CompanionStatus, PullRequestCheckout, RepoKey } from '../../shared/messages';
import { repoUrlInOrg, repoUrlKey, repoUrlKeys } from '../../shared/ado/repo-url-key';
import { parseAdoUrl, type AdoHostKind, type AdoPage } from '../../shared/ado/urls';
import { clonePathSegments, onPremServers, orgBaseUrl, Profile, sshHosts } from '../../shared/profile';
import { createCloneBoard, UNHEARD_TOLD_MS } from '../clone-board';
import { CompanionError, type Companion } from '../companion';
import { toReplyError } from '../errors';
import { clientOf } from '../connections';
import { remoteNameFor } from '../../shared/remote-name';
import { listing } from '../lists';
import { pageSessionApi } from '../page-session';
import { EDITOR_SETTING } from '../../shared/storage-keys';
import { worktreeFolder } from '../../shared/worktree-folder';
import { profileOrThrow, requestProfile, type GatewayDeps, type HandlerContext, type Handlers } from './types';

export interface CompanionHandlerDeps extends GatewayDeps {
  companion: Companion;
}

type CompanionRequests = 'companion.status' | 'companion.setCloneRoot' | 'clone.plan' | 'clone.start' | 'clone.cancel'
  | 'clone.tasks' | 'clone.follow' | 'clone.forget'
  | 'local.clones' | 'local.open' | 'local.fetch' | 'local.addRemote' | 'ssh.key' | 'ssh.test'
  | 'settings.editor' | 'settings.setEditor' | 'pullRequest.checkout' | 'pullRequest.follow' | 'local.checkoutBranch' | 'local.followCheckout';

const shortBranch = (ref: string) => ref.replace(/^refs\/heads\//, '');

const taskIdInUse = () => new CompanionError('BUSY', 'A task with this id is already running.');
const beingCloned = (path: string | undefined) => new CompanionError('BUSY', `This repository is being cloned already${path ? ` into ${path}` : ''}. Wait for that clone to end, then try again.`);

/** One name for an organization, whether a page or a profile names it (as `profileForPage` matches them). */
export const orgScope = (o: { hostKind: AdoHostKind; organization: string; orgBaseUrl: string }) =>
  o.hostKind === 'onprem' ? `onprem:${o.orgBaseUrl.toLowerCase()}` : `cloud:${o.organization.toLowerCase()}`;
const profileScope = (p: Profile) => orgScope({ hostKind: p.host.kind, organization: p.organization, orgBaseUrl: orgBaseUrl(p) });

/** The keys (`repoUrlKey`) of a repository's URLs, for finding its clone by any of its remotes. */
const hasKey = (keys: ReadonlySet<string>, url: string) => keys.has(repoUrlKey(url) ?? '');

/**
 * The remote a clone is of: `origin`, or its only remote. Other remotes (forks, `upstream`, one
 * anybody added) do not make a folder the clone of their repository.
 */
const originOf = (clone: LocalClone) => clone.remotes.find((r) => r.name === 'origin') ?? (clone.remotes.length === 1 ? clone.remotes[0] : undefined);
/** The remote of the repository `urls` name in a clone `findClone` found: its origin, or the remote it was added as. */
const remoteOf = (clone: LocalClone, urls: (string | undefined)[]) => {
  const keys = repoUrlKeys(urls);
  return clone.remotes.find((r) => hasKey(keys, r.fetchUrl)) ?? originOf(clone);
};

/** A clone's remotes as a page may know them (`CloneRemote`): which repository each is, only of the organization asked about. */
const remotesFor = (clone: LocalClone, orgBase: string): CloneRemote[] =>
  clone.remotes.map((r) => {
    const key = repoUrlInOrg(r.fetchUrl, orgBase) ? repoUrlKey(r.fetchUrl) : undefined;
    return { name: r.name, ...(key ? { key } : {}) };
  });

/**
 * What the companion's `destination` says that a clone there would stop on: a folder in the way,
 * one outside the root, or a folder name it refuses. Not an unknown request: a companion too old
 * for `destination` still clones.
 */
const stopsTheClone = (e: CompanionError) =>
  e.code === 'DEST_EXISTS' || e.code === 'DEST_OUTSIDE_ROOT' || (e.code === 'BAD_REQUEST' && !e.message.startsWith('unknown request type'));

/** An on-prem profile's server, as the companion's allowed hosts name it; none for the cloud. */
const serverOf = (p: Profile) => (p.host.kind === 'onprem' ? [new URL(p.host.collectionUrl).hostname] : []);

/** HTTPS clone URLs carry the organization as user name (`https://fabrikam@dev.azure.com/…`): drop it. */
const withoutUser = (url: string) => {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
};

export function companionHandlers(deps: CompanionHandlerDeps): Pick<Handlers, CompanionRequests> {
  const { companion, store } = deps;
  /** Host request ids of running clones, by the asker's task id; kept in memory only while the port lives. */
  const running = new Map<string, string>();
  /** Cancels that arrived before their clone reached git (while its place was being planned). */
  const cancelledEarly = new Set<string>();
  /** Every clone.start, running or lately ended, for a popup opened again. */
  const board = createCloneBoard(deps.now);
  /** A server's SSH port, which an admin may have moved from 22: as its repositories' SSH URLs name it. */
  const sshPortOf = async (p: Profile, ctx: HandlerContext) => {
    const repos = await listing('repos', p.id, { kv: deps.local, client: () => clientOf(deps, p, ctx), now: deps.now });
    const ssh = repos.items.find((r) => r.sshUrl?.startsWith('ssh://'))?.sshUrl;
    return ssh ? Number(new URL(ssh).port || 22) : undefined;
  };

  async function gitAuth(p: Profile): Promise<GitAuth | undefined> {
    const s = await store.secret(p.id);
    if (!s) return undefined;
    // Bound to the profile's organization: the companion sends it nowhere else.
    return s.kind === 'pat' ? { kind: 'pat', token: s.pat, orgUrl: orgBaseUrl(p) } : { kind: 'bearer', token: s.accessToken, orgUrl: orgBaseUrl(p) };
  }

  /** Tells the companion about a clone root and on-prem hosts (the profiles' own), once they change. */
  async function configureFor(root: string | undefined, servers: string[]): Promise<void> {
    const config = await companion.request({ type: 'configure' });
    const roots = root === undefined || config.cloneRoots.includes(root) ? undefined : [...config.cloneRoots, root];
    const missing = [...new Set(servers)].filter((h) => !config.allowedHosts.includes(h));
    const hosts = missing.length > 0 ? [...config.allowedHosts, ...missing] : undefined;
    if (roots || hosts) await companion.request({ type: 'configure', ...(roots ? { cloneRoots: roots } : {}), ...(hosts ? { allowedHosts: hosts } : {}) });
  }

  /** The page that asks; undefined for our own pages. Read once per request. */
  const senderPages = new WeakMap<HandlerContext, Promise<AdoPage | undefined>>();
  function senderPage(ctx: HandlerContext): Promise<AdoPage | undefined> {
    let page = senderPages.get(ctx);
    if (!page) senderPages.set(ctx, (page = readSenderPage(ctx)));
    return page;
  }
  async function readSenderPage(ctx: HandlerContext): Promise<AdoPage | undefined> {
    if (ctx.from !== 'content' || !ctx.senderUrl) return undefined;
    return parseAdoUrl(ctx.senderUrl, { onPremHosts: onPremServers(await store.list()) });
  }
  /** The organization of the page that asks, as `orgScope` names it; undefined for our own pages. */
  async function senderOrg(ctx: HandlerContext): Promise<string | undefined> {
    const page = await senderPage(ctx);
    return page ? orgScope(page) : undefined;
  }

  /**
   * Refuses a page a path (`local.open`, `local.fetch`, `local.addRemote`) other than a clone of its
   * own organization: one the companion lists at exactly that path, whose origin is in the page's
   * organization. One answer for every other path, there or not. Our own pages may name any.
   * Only that folder is read: a full listing takes seconds with many clones, and one cut at its
   * limit would refuse a clone it left out.
   */
  async function ownClone(path: string, ctx: HandlerContext): Promise<void> {
    if (ctx.from !== 'content') return;
    const page = await senderPage(ctx);
    // A path the companion would refuse to read is no clone either: the same answer, not its BAD_REQUEST.
    const { clones } = PathSchema.safeParse(path).success ? await companion.request({ type: 'localClones', paths: [path] }) : { clones: [] };
    const clone = clones.find((c) => c.path === path);
    const origin = clone && originOf(clone);
    if (page && origin && repoUrlInOrg(origin.fetchUrl, page.orgBaseUrl)) return;
    throw Object.assign(new Error(`${path} is not a clone of one of ${page?.organization ?? 'this organization'}’s repositories. Reload the page to look for its clone again.`), { code: 'FORBIDDEN' });
  }

  /**
   * Refuses a page a clone or checkout on the board from another organization. `org`: the page's,
   * read before; the board is looked at with nothing awaited after, so what is followed or cancelled
   * next is what was checked.
   */
  function ownTask(taskId: string, ctx: HandlerContext, org: string | undefined): void {
    if (ctx.from !== 'content') return;
    const entry = board.get(taskId);
    // Not on the board: a task that has gone (following it says so), or one not started yet (a cancel that comes early).
    if (!entry) return;
    if (entry.org === undefined || entry.org !== org) throw Object.assign(new Error('That task is not one of this organization’s.'), { code: 'FORBIDDEN' });
  }

  /** Follows a task on the board, as its own request would have answered: a page only its organization's. */
  async function followOwn<K extends 'clone' | 'pullRequest' | 'branch'>(taskId: string, kind: K, ctx: HandlerContext) {
    ownTask(taskId, ctx, await senderOrg(ctx));
    return board.follow(taskId, kind, (p) => ctx.progress?.(p), () => !!ctx.askerGone?.aborted);
  }

  /** The organization a task is of: the asking page's, else its profile's (a popup's), so a page of that organization finds it. */
  async function taskOrg(profileId: string | undefined, ctx: HandlerContext): Promise<string | undefined> {
    if (ctx.from === 'content') return senderOrg(ctx);
    const p = await requestProfile(deps, profileId, ctx).catch(() => undefined);
    return p && profileScope(p);
  }

  /**
   * What a page may know of the board, as if it had started it (no profile, no error): its
   * organization's tasks still running, then its checkouts that ended lately unheard (a page
   * reloaded as one ended), newest first, so a page follows the latest of its own.
   */
  function pageTasks(org: string | undefined): CloneTaskView[] {
    const ours = board.list().filter((e) => e.org !== undefined && e.org === org);
    const unheard = ours.filter((e) => e.unheard && e.checkout && deps.now() - e.finishedAt! < UNHEARD_TOLD_MS).toReversed();
    return [...ours.filter((e) => e.state === 'running'), ...unheard].map(({ taskId, repo, state, progress, checkout }) => ({ taskId, repo, state, ...(checkout ? { checkout } : {}), ...(progress ? { progress } : {}) }));
  }

  /**
   * The repository's clone on this computer, and a clone of it still under way (ours or another
   * program's). `asker`: the asking page's organization; a board clone of it is named (to follow)
   * only when it is that organization's, else it is only a folder being made.
   */
  async function findClone(
    urls: (string | undefined)[],
    orgBase: string,
    asker?: { org: string | undefined },
  ): Promise<{ existing?: LocalClone; cloning?: NonNullable<ClonePlan['cloning']>; worktrees: string[] }> {
    const keys = repoUrlKeys(urls);
    const { clones } = await companion.request({ type: 'localClones' });
    // Its own clones first, then those of its organization's repositories it was added to as a
    // remote (a fork added by Forks); never another organization's, whatever remotes it has. Keys
    // leave the port out: a clone of another server at the same name and path is not its own.
    const ofOrg = clones.filter((c) => repoUrlInOrg(originOf(c)?.fetchUrl ?? '', orgBase));
    const own = (c: LocalClone) => hasKey(keys, originOf(c)!.fetchUrl);
    const matching = [...ofOrg.filter(own), ...ofOrg.filter((c) => !own(c) && c.remotes.some((r) => hasKey(keys, r.fetchUrl)))];
    // A worktree made for a pull request shares the clone's remotes: the clone itself comes first.
    const done = matching.filter((c) => !c.cloning);
    const existing = done.find((c) => !c.worktree) ?? done[0];
    const onBoard = board.runningFrom(keys);
    const task = onBoard && (!asker || onBoard.org === asker.org) ? onBoard : undefined;
    const folder = matching.find((c) => c.cloning)?.path;
    // Before git has made the folder, only the board knows; a clone by another browser, only the companion.
    const cloning = task || folder ? { ...(folder ? { path: folder } : {}), ...(task ? { taskId: task.taskId } : {}) } : undefined;
    const worktrees = done.filter((c) => c.worktree && c !== existing).map((c) => c.path);
    return { ...(existing ? { existing } : {}), ...(cloning ? { cloning } : {}), worktrees };
  }

  /** The clone to check out in; BUSY while the repository is still being cloned (a second clone would race it). */
  function notBeingCloned(found: Awaited<ReturnType<typeof findClone>>): LocalClone | undefined {
    if (found.cloning && !found.existing) throw beingCloned(found.cloning.path);
    return found.existing;
  }

  /**
   * Where the repository's facts come from: Azure DevOps through the profile; without one, Azure
   * DevOps through the page's own session. Then the URL must belong to the page's organization,
   * and git's own credential helper signs in.
   */
  async function lookup(p: Profile | undefined, key: RepoKey, ctx: HandlerContext) {
    if (p) {
      // With a profile, URLs come from Azure DevOps itself, never from the asking page.
      const repo = await clientOf(deps, p, ctx).repository({ project: key.project, repositoryId: key.id });
      return { org: p.organization, orgBase: orgBaseUrl(p), layout: p.layout, cloneRoot: p.cloneRoot, protocol: p.protocol, id: repo.id, project: repo.project.name, name: repo.name, remoteUrl: repo.remoteUrl, sshUrl: repo.sshUrl, defaultBranch: repo.defaultBranch };
    }
    const onPremHosts = onPremServers(await store.list());
    const page = ctx.from === 'content' && ctx.senderUrl ? parseAdoUrl(ctx.senderUrl, { onPremHosts }) : undefined;
    if (!page) throw Object.assign(new Error('No profile is connected for this organization: add an account in Options.'), { code: 'NO_PROFILE' });
    const read = await (await pageSessionApi(deps, ctx)).api.repository({ project: key.project, repositoryId: key.id });
    const remoteUrl = read.remoteUrl;
    const remote = parseAdoUrl(remoteUrl, { onPremHosts });
    if (!remote || remote.orgBaseUrl.toLowerCase() !== page.orgBaseUrl.toLowerCase())
      throw Object.assign(new Error(`The repository's clone URL is not one of ${page.organization}.`), { code: 'FORBIDDEN' });
    return {
      org: page.organization,
      orgBase: page.orgBaseUrl,
      layout: Profile.shape.layout.parse(undefined),
      cloneRoot: undefined,
      protocol: 'https' as const,
      id: read.id,
      project: read.project.name,
      name: read.name,
      remoteUrl,
      sshUrl: undefined,
      defaultBranch: read.defaultBranch,
    };
  }

  type Looked = Awaited<ReturnType<typeof lookup>>;

  /** `known`: the repository as `lookup` found it already. */
  async function plan(p: Profile | undefined, key: RepoKey, ctx: HandlerContext, branch?: string, protocol?: 'https' | 'ssh', known?: Looked): Promise<ClonePlan> {
    const repo = known ?? (await lookup(p, key, ctx));
    const use = protocol ?? repo.protocol;
    const url = use === 'ssh' && repo.sshUrl ? repo.sshUrl : withoutUser(repo.remoteUrl);
    const config = await companion.request({ type: 'configure' });
    const root = repo.cloneRoot ?? config.cloneRoots[0];
    if (!root) throw new CompanionError('NO_CLONE_ROOT', 'No clone folder is set: choose a clone folder in Options.');
    const folder = clonePathSegments(repo.layout, { org: repo.org, project: repo.project, repo: repo.name }).join('/');
    const { existing, cloning, worktrees } = await findClone([repo.remoteUrl, repo.sshUrl], repo.orgBase, ctx.from === 'content' ? { org: await senderOrg(ctx) } : undefined);
    const b = branch?.replace(/^refs\/heads\//, '') ?? repo.defaultBranch?.replace(/^refs\/heads\//, '');
    return {
      url,
      protocol: use === 'ssh' && repo.sshUrl ? 'ssh' : 'https',
      root,
      folder,
      path: `${root.replace(/[\\/]+$/, '')}/${folder}`,
      ...(b ? { branch: b } : {}),
      ...(existing
        ? { existing: { path: existing.path, branch: existing.branch, dirty: existing.dirty, remotes: remotesFor(existing, repo.orgBase), ...(worktrees.length ? { worktrees } : {}) } }
        : {}),
      ...(cloning && !existing ? { cloning } : {}),
    };
  }

  async function editor(): Promise<Editor> {
    const saved = (await deps.local.get([EDITOR_SETTING.key]))[EDITOR_SETTING.key];
    return saved === 'visualstudio' || saved === 'jetbrains' || saved === 'default' ? saved : 'vscode';
  }

  /** A task id names one task: one still running (on the board, or in git) is not taken again. */
  const taskTaken = (taskId: string) => running.has(taskId) || board.get(taskId)?.state === 'running';

  /**
   * Runs a clone or a checkout on the board under its task id, so a popup closed meanwhile (it
   * closes as soon as the user clicks elsewhere) finds it again; `report` tells the board and the
   * asker its progress. The id is checked and put on the board with nothing awaited in between:
   * two requests cannot share it (a reused id would take over the first one's Cancel).
   */
  async function runOnBoard<T extends CloneData | PullRequestCheckout | BranchCheckout>(
    req: { taskId: string; profileId?: string | undefined; repo: RepoKey },
    ctx: HandlerContext,
    checkout: BoardCheckout | undefined,
    work: (report: (p: CloneProgress) => void) => Promise<T>,
  ): Promise<T> {
    const org = await taskOrg(req.profileId, ctx);
    if (taskTaken(req.taskId)) throw taskIdInUse();
    const task = board.run(
      { taskId: req.taskId, profileId: req.profileId, repo: req.repo, org, ...(checkout ? { checkout } : {}) },
      (progress) =>
        work((p) => {
          progress(p);
          ctx.progress?.(p);
        }),
      () => !!ctx.askerGone?.aborted,
    );
    ctx.onBoard?.();
    return task;
  }

  /**
   * One companion step of a page's task: refused when it was cancelled before, cancellable while it
   * runs. `onBoard`: the step is of the board entry under the same id (a checkout's, `runOnBoard`).
   */
  async function step<T>(taskId: string, work: (started: (id: string) => void) => Promise<T>, opts: { onBoard?: boolean } = {}): Promise<T> {
    if (opts.onBoard ? running.has(taskId) : taskTaken(taskId)) throw taskIdInUse();
    if (cancelledEarly.delete(taskId)) throw new CompanionError('CANCELLED', 'Cancelled.');
    try {
      return await work((id) => running.set(taskId, id));
    } finally {
      running.delete(taskId);
    }
  }

  /**
   * `local.checkoutBranch`: a branch of the repository in its clone (fetched, switched to, tracking
   * it), or a new clone on that branch when there is none; `worktree` puts it next to the clone.
   */
  async function checkoutBranch(
    req: { profileId?: string | undefined; repo: RepoKey; branch: string; worktree?: boolean | undefined; taskId: string },
    ctx: HandlerContext,
    report: (p: CloneProgress) => void,
  ): Promise<BranchCheckout> {
    const p = await profileOrThrow(deps, req.profileId, ctx);
    const repo = await clientOf(deps, p, ctx).repository({ project: req.repo.project, repositoryId: req.repo.id });
    const branch = shortBranch(req.branch);
    const onProgress = (e: CloneProgress) => report({ phase: e.phase, percent: e.percent });
    const clone = notBeingCloned(await findClone([repo.remoteUrl, repo.sshUrl], orgBaseUrl(p)));
    if (!clone) {
      const planned = await plan(p, { id: repo.id, name: repo.name, project: repo.project.name }, ctx, branch);
      await configureFor(planned.root, serverOf(p));
      const auth = /^https:/i.test(planned.url) ? await gitAuth(p) : undefined;
      const data = await step(
        req.taskId,
        (started) => companion.request({ type: 'clone', url: planned.url, root: planned.root, folder: planned.folder, branch, ...(auth ? { auth } : {}) }, { onProgress, started }),
        { onBoard: true },
      );
      return { path: data.path, clonePath: data.path, branch: data.branch, result: 'cloned', cloned: true, worktree: false };
    }
    const remote = remoteOf(clone, [repo.remoteUrl, repo.sshUrl]);
    if (!remote) throw new CompanionError('NOT_FOUND', `The clone at ${clone.path} has no remote for ${repo.name}.`);
    const auth = /^https:/i.test(remote.fetchUrl) ? await gitAuth(p) : undefined;
    const base = clone.path.split(/[\\/]/).filter(Boolean).pop() ?? 'repo';
    const data = await step(req.taskId, (started) =>
      req.worktree
        ? companion.request(
            { type: 'worktree', path: clone.path, remote: remote.name, branch, folder: `${base}-${branch.replace(/[^A-Za-z0-9._-]+/g, '-')}`.slice(0, 120), ...(auth ? { auth } : {}) },
            { onProgress, started },
          )
        : companion.request({ type: 'checkout', path: clone.path, remote: remote.name, branch, ...(auth ? { auth } : {}) }, { onProgress, started }),
      { onBoard: true },
    );
    return { path: data.path, clonePath: clone.path, branch: data.branch, result: data.result, cloned: false, worktree: req.worktree === true, ...(data.reused ? { reused: true } : {}) };
  }

  /**
   * `pullRequest.checkout`: the pull request's source branch (or merge preview) in the clone of
   * its target repository, cloning that first when there is none, adding a fork as a remote when
   * the pull request comes from one.
   */
  async function checkoutPullRequest(
    req: { profileId?: string | undefined; repo: RepoKey; pullRequestId: number; mode: 'branch' | 'merge'; worktree?: boolean | undefined; taskId: string },
    ctx: HandlerContext,
    report: (p: CloneProgress) => void,
  ): Promise<PullRequestCheckout> {
    const p = await profileOrThrow(deps, req.profileId, ctx);
    const api = clientOf(deps, p, ctx);
    const pr = await api.pullRequest(req.repo.project, req.pullRequestId);
    const named = (s: string) => s.toLowerCase() === req.repo.id.toLowerCase() || s.toLowerCase() === req.repo.name.toLowerCase();
    if (!named(pr.repository.id) && !named(pr.repository.name)) throw new Error(`Pull request ${req.pullRequestId} belongs to another repository.`);
    const target = await api.repository({ project: req.repo.project, repositoryId: pr.repository.id });
    const forkRef = pr.forkSource?.repository;
    const fork = forkRef && forkRef.id !== target.id ? await api.repository({ project: forkRef.project?.name ?? forkRef.project?.id ?? req.repo.project, repositoryId: forkRef.id }) : undefined;
    const branch = shortBranch(pr.sourceRefName);
    const onProgress = (e: CloneProgress) => report({ phase: e.phase, percent: e.percent });
    const authFor = async (url: string) => (/^https:/i.test(url) ? gitAuth(p) : undefined);

    let clone = notBeingCloned(await findClone([target.remoteUrl, target.sshUrl], orgBaseUrl(p)));
    let cloned = false;
    if (!clone) {
      // Cloned as clone.start does; a pull request from this repository is cloned on its branch directly.
      const direct = req.mode === 'branch' && !fork;
      const planned = await plan(p, { id: target.id, name: target.name, project: target.project.name }, ctx, direct ? branch : undefined);
      await configureFor(planned.root, serverOf(p));
      const auth = await authFor(planned.url);
      const data = await step(req.taskId, (started) =>
        companion.request(
          { type: 'clone', url: planned.url, root: planned.root, folder: planned.folder, ...(planned.branch ? { branch: planned.branch } : {}), ...(auth ? { auth } : {}) },
          { onProgress, started },
        ),
        { onBoard: true },
      );
      cloned = true;
      if (direct) {
        const head = await companion.request({ type: 'status', path: data.path });
        return { path: data.path, clonePath: data.path, branch: data.branch, head: head.head ?? '', upstream: head.upstream, result: 'created', remote: 'origin', cloned, worktree: false };
      }
      clone = { path: data.path, known: true, remotes: [{ name: 'origin', fetchUrl: planned.url }], branch: data.branch, dirty: false };
    }
    const origin = remoteOf(clone, [target.remoteUrl, target.sshUrl]);
    if (!origin) throw new CompanionError('NOT_FOUND', `The clone at ${clone.path} has no remote for ${target.name}.`);
    let remote = origin;
    if (req.mode === 'branch' && fork) {
      const forkKeys = repoUrlKeys([fork.remoteUrl, fork.sshUrl]);
      const known = clone.remotes.find((r) => hasKey(forkKeys, r.fetchUrl));
      if (known) remote = known;
      else {
        const url = p.protocol === 'ssh' && fork.sshUrl ? fork.sshUrl : withoutUser(fork.remoteUrl);
        const names = [remoteNameFor(fork.project.name), remoteNameFor(`${fork.project.name}-${fork.name}`)];
        const free = names.find((n) => !clone!.remotes.some((r) => r.name === n)) ?? `${names[1]}-${req.pullRequestId}`;
        await companion.request({ type: 'addRemote', path: clone.path, name: free, url });
        remote = { name: free, fetchUrl: url };
      }
    }
    const auth = await authFor(remote.fetchUrl);
    const source = req.mode === 'merge' ? { pullRequest: req.pullRequestId } : { branch };
    const run = (newBranch?: string) =>
      step(req.taskId, (started) =>
        req.worktree
          ? companion.request(
              { type: 'worktree', path: clone!.path, remote: remote.name, ...source, ...(newBranch ? { newBranch } : {}), folder: worktreeFolder(clone!.path, req.pullRequestId, req.mode), ...(auth ? { auth } : {}) },
              { onProgress, started },
            )
          : companion.request({ type: 'checkout', path: clone!.path, remote: remote.name, ...source, ...(newBranch ? { newBranch } : {}), ...(auth ? { auth } : {}) }, { onProgress, started }),
        { onBoard: true },
      );
    let data;
    try {
      data = await run();
    } catch (e) {
      // A local branch of that name is someone else's: the pull request gets a name of its own.
      if (!(e instanceof CompanionError && e.code === 'BRANCH_EXISTS') || req.mode !== 'branch') throw e;
      data = await run(`pr/${req.pullRequestId}/${branch}`);
    }
    return { ...data, clonePath: clone.path, remote: remote.name, cloned, worktree: req.worktree === true };
  }

  return {
    'settings.editor': async () => ({ editor: await editor() }),
    'settings.setEditor': async (req) => {
      await deps.local.set({ [EDITOR_SETTING.key]: req.editor });
      return { editor: req.editor };
    },
    'pullRequest.checkout': (req, ctx) =>
      runOnBoard(req, ctx, { pullRequestId: req.pullRequestId, mode: req.mode, worktree: req.worktree === true }, (report) => checkoutPullRequest(req, ctx, report)),
    'pullRequest.follow': (req, ctx) => followOwn(req.taskId, 'pullRequest', ctx),
    'local.checkoutBranch': (req, ctx) => runOnBoard(req, ctx, { branch: shortBranch(req.branch), worktree: req.worktree === true, ...(req.workItem ? { workItem: req.workItem } : {}) }, (report) => checkoutBranch(req, ctx, report)),
    'local.followCheckout': (req, ctx) => followOwn(req.taskId, 'branch', ctx),
    'companion.status': async (): Promise<CompanionStatus> => {
      try {
        const hello = await companion.ready();
        const config = await companion.request({ type: 'configure' });
        return { state: 'ready', version: hello.version, git: hello.git, cloneRoots: config.cloneRoots, logFile: hello.logFile };
      } catch (e) {
        const code = e instanceof CompanionError ? e.code : 'failed';
        const state = code === 'missing' || code === 'outdated' || code === 'gitTooOld' || code === 'hung' ? code : 'failed';
        return { state, message: (e as Error).message };
      }
    },
    'companion.setCloneRoot': async (req, ctx) => {
      const p = await profileOrThrow(deps, req.profileId, ctx);
      await configureFor(req.cloneRoot, serverOf(p));
      await store.save({ ...p, cloneRoot: req.cloneRoot });
      const config = await companion.request({ type: 'configure' });
      return { state: 'ready', cloneRoots: config.cloneRoots };
    },
    'clone.plan': async (req, ctx) => {
      const planned = await plan(await requestProfile(deps, req.profileId, ctx), req.repo, ctx, req.branch);
      // Asked only by a panel that offers the clone: a button's label, drawn on every repository page, does not need it.
      if (!req.inTheWay || planned.existing || planned.cloning) return planned;
      // Said before Clone is pressed; the clone itself checks again. A companion too old to be asked says nothing.
      // BAD_REQUEST is a folder name the companion refuses: the clone would fail on it every time.
      const inTheWay = await companion.request({ type: 'destination', root: planned.root, folder: planned.folder }).then(
        () => undefined,
        (e: unknown) => (e instanceof CompanionError && stopsTheClone(e) ? e.message : undefined),
      );
      return inTheWay ? { ...planned, inTheWay } : planned;
    },
    'clone.start': (req, ctx) =>
      runOnBoard(req, ctx, undefined, async (report) => {
        const p = await requestProfile(deps, req.profileId, ctx);
        const repo = await lookup(p, req.repo, ctx);
        // A page names the repository by its name; the popup finds a task by the repository's id.
        board.place(req.taskId, { repo: { id: repo.id, name: repo.name, project: repo.project } });
        const target = await plan(p, req.repo, ctx, req.branch, req.protocol, repo);
        if (target.existing) throw new CompanionError('DEST_EXISTS', `This repository is already cloned at ${target.existing.path}.`);
        if (target.cloning) throw beingCloned(target.cloning.path);
        // Its organization is known from the start (runOnBoard); its clone URL from now, for a plan of the same repository.
        board.place(req.taskId, { remote: repoUrlKey(target.url) });
        if (p) await configureFor(target.root, serverOf(p));
        // Without a profile, git's own credential helper (e.g. Git Credential Manager) signs in.
        const auth = p && target.protocol === 'https' ? await gitAuth(p) : undefined;
        if (cancelledEarly.delete(req.taskId)) throw new CompanionError('CANCELLED', 'The clone was cancelled before it started.');
        try {
          return await companion.request(
            {
              type: 'clone',
              url: target.url,
              root: target.root,
              folder: target.folder,
              ...(target.branch ? { branch: target.branch } : {}),
              ...(req.partial ? { partial: true } : {}),
              ...(auth ? { auth } : {}),
            },
            {
              onProgress: ({ phase, percent }) => report({ phase, percent }),
              started: (id) => running.set(req.taskId, id),
            },
          );
        } finally {
          running.delete(req.taskId);
        }
      }),
    'clone.tasks': async (_req, ctx) => {
      // A page reloaded while its checkout runs follows it again.
      if (ctx.from === 'content') return { tasks: pageTasks(await senderOrg(ctx)) };
      const profiles = new Map((await store.list()).map((p) => [p.id, p]));
      return {
        // A finished clone is in the companion's list of clones (local.clones) from now on.
        tasks: board.list().flatMap(({ taskId, profileId, repo, state, progress, error, checkout }): CloneTaskView[] =>
          state === 'done' && !checkout
            ? []
            : [
                {
                  taskId,
                  repo,
                  state,
                  ...(checkout ? { checkout } : {}),
                  ...(profileId ? { profileId } : {}),
                  ...(progress ? { progress } : {}),
                  ...(state === 'failed' ? { error: toReplyError(error, profileId ? profiles.get(profileId) : undefined) } : {}),
                },
              ],
        ),
      };
    },
    // A page follows only a clone from its own organization (its plan named the task).
    'clone.follow': (req, ctx) => followOwn(req.taskId, 'clone', ctx),
    'clone.forget': async (req) => {
      board.forget(req.taskId);
      return { forgotten: true };
    },
    'clone.cancel': async (req, ctx) => {
      // A task on the board, a page cancels only if it is its organization's.
      ownTask(req.taskId, ctx, await senderOrg(ctx));
      const target = running.get(req.taskId);
      if (target) return companion.cancel(target);
      // Not started yet: clone.start sees this before it runs git. Forget it after a while.
      cancelledEarly.add(req.taskId);
      setTimeout(() => cancelledEarly.delete(req.taskId), 60_000);
      return { cancelled: true };
    },
    'local.clones': () => companion.request({ type: 'localClones' }),
    'local.open': async (req, ctx) => {
      // Pages open a clone's folder or a file in the editor; a terminal is our own pages' offer.
      if (ctx.from === 'content' && req.target === 'terminal') throw Object.assign(new Error('Pages may not open a terminal.'), { code: 'FORBIDDEN' });
      await ownClone(req.path, ctx);
      try {
        return await companion.request({
          type: 'open',
          path: req.path,
          target: req.target,
          ...(req.target === 'editor' ? { editor: await editor() } : {}),
          ...(req.file !== undefined ? { file: req.file } : {}),
          ...(req.line !== undefined ? { line: req.line } : {}),
        });
      } catch (e) {
        // Trying again cannot fix a missing editor: installing it, or choosing another, does.
        if (req.target === 'editor' && e instanceof CompanionError && e.code === 'TOOL_MISSING') {
          throw new CompanionError('EDITOR_MISSING', `${e.message}. Install it, or choose another editor in Options › Editor.`);
        }
        throw e;
      }
    },
    'local.fetch': async (req, ctx) => {
      // A page's own organization decides the credential, never whichever profile is active.
      const p = await requestProfile(deps, req.profileId, ctx);
      await ownClone(req.path, ctx);
      const auth = p ? await gitAuth(p) : undefined;
      return companion.request({ type: 'fetch', path: req.path, remote: req.remote, ...(auth ? { auth } : {}) });
    },
    'local.addRemote': async (req, ctx) => {
      const p = await requestProfile(deps, req.profileId, ctx);
      await ownClone(req.path, ctx);
      const repo = await lookup(p, req.repo, ctx);
      const url = repo.protocol === 'ssh' && repo.sshUrl ? repo.sshUrl : withoutUser(repo.remoteUrl);
      return companion.request({ type: 'addRemote', path: req.path, name: req.name, url });
    },
    'ssh.key': async (req) => {
      // The hosts of the user's own profiles, never the asker's: a server must be one the companion
      // was configured with before a block may name it (the companion checks).
      const profiles = await store.list();
      const hosts = sshHosts(profiles);
      if (req.action !== 'find') await configureFor(undefined, profiles.flatMap(serverOf));
      return companion.request(
        req.action === 'configure'
          ? { type: 'sshKey', action: 'configure', hosts, ...(req.keyPath ? { keyPath: req.keyPath } : {}) }
          : { type: 'sshKey', action: req.action, hosts },
      );
    },
    'ssh.test': async (req, ctx) => {
      const p = await requestProfile(deps, req.profileId, ctx);
      if (p?.host.kind !== 'onprem') return companion.request({ type: 'sshTest', host: 'ssh.dev.azure.com' });
      const port = await sshPortOf(p, ctx).catch(() => undefined);
      // Only another port is named: a companion older than the field refuses it.
      return companion.request({ type: 'sshTest', host: new URL(orgBaseUrl(p)).hostname, ...(port !== undefined && port !== 22 ? { port } : {}) });
    },
  };
}
