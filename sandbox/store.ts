import type { HostedExtension } from './extension-host/xdm-host';
import { isGuid, stableGuid } from './ids';
import { WorkItems } from './work-items';

/**
 * The sandbox's in-memory model of Azure DevOps. Git data (branches, commits, files) is not
 * here: it lives in real bare repositories (see git-repos.ts); a Repository only says where.
 * Lookups by name are case-insensitive, like the real service.
 */

export type Hosting = 'cloud' | 'onprem';

export interface Organization {
  id: string;
  name: string;
  hosting: Hosting;
  /** Organization policy "Third-party application access via OAuth". */
  oauthAllowed: boolean;
  /** The Entra tenant the organization is connected to (cloud only). */
  tenantId?: string;
  /** Highest REST api-version the server accepts (on-prem Server 2022: 7.0). */
  maxApiVersion: number;
  deploymentId: string;
  memberIds: string[];
}

export interface Project {
  id: string;
  orgId: string;
  name: string;
  description?: string;
  visibility: 'private' | 'public';
  revision: number;
  lastUpdateTime: string;
  defaultTeamId?: string;
}

export interface Repository {
  id: string;
  orgId: string;
  projectId: string;
  name: string;
  isDisabled: boolean;
  isInMaintenance: boolean;
  /** The repository this one was forked from. */
  parentId?: string;
  /** Absolute path of the bare repository. */
  gitDir: string;
  /** The branch a freshly created copy gets as HEAD (before anything was pushed). */
  initialBranch: string;
  /** Name of the seeded history this repository starts with (see seed-history.ts); none = empty. */
  history?: string;
}

export type UserKind = 'aad' | 'msa';

export interface User {
  id: string;
  /** Short name for tests and the sign-in helpers: `ada`, `grace`, ... */
  alias: string;
  displayName: string;
  /** Sign-in name (UPN) and mail address. */
  mail: string;
  kind: UserKind;
  descriptor: string;
}

export interface Group {
  id: string;
  orgId: string;
  /** `[fabrikam]\Release Approvers` style name. */
  displayName: string;
  description: string;
  memberIds: string[];
  descriptor: string;
}

export interface Team {
  id: string;
  projectId: string;
  name: string;
  description: string;
  memberIds: string[];
  adminIds: string[];
}

export type Vote = 10 | 5 | 0 | -5 | -10;

export interface Reviewer {
  /** A user or group id. */
  id: string;
  vote: Vote;
  isRequired: boolean;
  hasDeclined: boolean;
  isFlagged: boolean;
}

export type PullRequestStatus = 'active' | 'completed' | 'abandoned';

export interface PullRequest {
  pullRequestId: number;
  orgId: string;
  /** Target repository. */
  repositoryId: string;
  /** Source repository when it differs (a pull request from a fork). */
  forkSourceRepositoryId?: string;
  title: string;
  description: string;
  status: PullRequestStatus;
  isDraft: boolean;
  sourceRefName: string;
  targetRefName: string;
  createdById: string;
  creationDate: string;
  closedDate?: string;
  reviewers: Reviewer[];
  // Kept by the pull request REST routes (sandbox/api/pull-requests*.ts):
  /** Who completed or abandoned it. */
  closedById?: string;
  /** Versions of the source seen so far, oldest first; filled in on first read for seeded ones. */
  iterations?: PullRequestIteration[];
  /** The merge commit that completing it put on the target branch. */
  mergeCommitId?: string;
}

export interface PullRequestIteration {
  id: number;
  sourceCommitId: string;
  targetCommitId: string;
  createdDate: string;
  reason: 'create' | 'push' | 'forcePush';
}

/** A public SSH key registered through the web UI's (undocumented) session-token provider. */
export interface SshPublicKey {
  authorizationId: string;
  userId: string;
  displayName: string;
  /** `ssh-rsa AAAA... comment` */
  publicData: string;
  validFrom: string;
  validTo: string;
  /** Organization ids the key is for. */
  targetAccounts: string[];
}

/** `all` = "All accessible organizations"; otherwise the organization ids the token works in. */
export type PatOrgs = 'all' | string[];

export interface Pat {
  authorizationId: string;
  /** Name in the seed and docs (`ada-full-fabrikam`, `ada-read-code`, ...). */
  name: string;
  displayName: string;
  token: string;
  userId: string;
  /** `app_token` = full access; otherwise scope names like `vso.code_write`. */
  scopes: string[];
  orgs: PatOrgs;
  validFrom: string;
  validTo: string;
  revoked: boolean;
}

export class Store {
  readonly organizations = new Map<string, Organization>();
  readonly projects = new Map<string, Project>();
  readonly repositories = new Map<string, Repository>();
  readonly users = new Map<string, User>();
  readonly groups = new Map<string, Group>();
  readonly teams = new Map<string, Team>();
  readonly pullRequests = new Map<string, PullRequest>();
  readonly pats = new Map<string, Pat>();
  /** Azure Boards: work items and each project's process (work-items.ts). */
  readonly workItems = new WorkItems();
  /** Azure DevOps extensions installed in an organization, by its id: their menu items show on its pages (index.ts `adoExtension`). */
  readonly extensions = new Map<string, HostedExtension>();
  private readonly nextPullRequestId = new Map<string, number>();

  // ---- organizations -------------------------------------------------------------------

  addOrganization(o: Omit<Organization, 'id' | 'deploymentId' | 'memberIds'> & { memberIds?: string[] }): Organization {
    const org: Organization = {
      ...o,
      id: stableGuid('org', o.name.toLowerCase()),
      deploymentId: stableGuid('deployment', o.hosting === 'cloud' ? 'hosted' : o.name.toLowerCase()),
      memberIds: o.memberIds ?? [],
    };
    this.organizations.set(org.id, org);
    return org;
  }

  /** By name (case-insensitive) or id. */
  organization(nameOrId: string): Organization | undefined {
    const byId = this.organizations.get(nameOrId.toLowerCase());
    if (byId) return byId;
    const lower = nameOrId.toLowerCase();
    for (const o of this.organizations.values()) if (o.name.toLowerCase() === lower) return o;
    return undefined;
  }

  isMember(org: Organization, userId: string): boolean {
    return org.memberIds.includes(userId);
  }

  organizationsOf(userId: string): Organization[] {
    return [...this.organizations.values()].filter((o) => o.memberIds.includes(userId));
  }

  // ---- projects ------------------------------------------------------------------------

  addProject(org: Organization, p: { name: string; description?: string; visibility?: 'private' | 'public'; lastUpdateTime?: string }): Project {
    if (this.project(org, p.name)) throw new Error(`project ${p.name} already exists in ${org.name}`);
    const project: Project = {
      id: stableGuid('project', org.name.toLowerCase(), p.name.toLowerCase()),
      orgId: org.id,
      name: p.name,
      description: p.description,
      visibility: p.visibility ?? 'private',
      revision: 10 + this.projects.size,
      lastUpdateTime: p.lastUpdateTime ?? new Date().toISOString(),
    };
    this.projects.set(project.id, project);
    return project;
  }

  projectsOf(org: Organization): Project[] {
    return [...this.projects.values()].filter((p) => p.orgId === org.id).toSorted((a, b) => a.name.localeCompare(b.name));
  }

  project(org: Organization, nameOrId: string): Project | undefined {
    if (isGuid(nameOrId)) {
      const p = this.projects.get(nameOrId.toLowerCase());
      return p?.orgId === org.id ? p : undefined;
    }
    const lower = nameOrId.toLowerCase();
    for (const p of this.projects.values()) if (p.orgId === org.id && p.name.toLowerCase() === lower) return p;
    return undefined;
  }

  // ---- repositories --------------------------------------------------------------------

  addRepository(project: Project, r: Omit<Repository, 'id' | 'orgId' | 'projectId'>): Repository {
    if (this.repositoriesOf(project).some((x) => x.name.toLowerCase() === r.name.toLowerCase())) {
      throw new Error(`repository ${r.name} already exists in ${project.name}`);
    }
    const repo: Repository = {
      ...r,
      id: stableGuid('repository', project.id, r.name.toLowerCase()),
      orgId: project.orgId,
      projectId: project.id,
    };
    this.repositories.set(repo.id, repo);
    return repo;
  }

  repositoriesOf(scope: Organization | Project): Repository[] {
    const inScope = 'orgId' in scope ? (r: Repository) => r.projectId === scope.id : (r: Repository) => r.orgId === scope.id;
    return [...this.repositories.values()].filter(inScope).toSorted((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * A repository by id or name. Names are looked up in the project when one is given;
   * without one, like `/{org}/_git/{repo}`, the repository named like its project wins,
   * then a repository whose name is unique in the organization.
   */
  repository(org: Organization, nameOrId: string, project?: Project): Repository | undefined {
    if (isGuid(nameOrId)) {
      const r = this.repositories.get(nameOrId.toLowerCase());
      if (!r || r.orgId !== org.id || (project && r.projectId !== project.id)) return undefined;
      return r;
    }
    const lower = nameOrId.toLowerCase();
    if (project) return this.repositoriesOf(project).find((r) => r.name.toLowerCase() === lower);
    const named = this.repositoriesOf(org).filter((r) => r.name.toLowerCase() === lower);
    const sameAsProject = named.find((r) => this.projects.get(r.projectId)?.name.toLowerCase() === lower);
    if (sameAsProject) return sameAsProject;
    return named.length === 1 ? named[0] : undefined;
  }

  forksOf(repo: Repository): Repository[] {
    return [...this.repositories.values()].filter((r) => r.parentId === repo.id);
  }

  // ---- people --------------------------------------------------------------------------

  addUser(u: Omit<User, 'id' | 'descriptor'>): User {
    const id = stableGuid('user', u.alias);
    const prefix = u.kind === 'aad' ? 'aad' : 'msa';
    const user: User = { ...u, id, descriptor: `${prefix}.${Buffer.from(id).toString('base64url')}` };
    this.users.set(id, user);
    return user;
  }

  /** By id, alias (`ada`) or mail address (case-insensitive). */
  user(key: string): User | undefined {
    const lower = key.toLowerCase();
    const byId = this.users.get(lower);
    if (byId) return byId;
    for (const u of this.users.values()) if (u.alias === lower || u.mail.toLowerCase() === lower) return u;
    return undefined;
  }

  addGroup(org: Organization, g: { name: string; description: string; memberIds: string[] }): Group {
    const id = stableGuid('group', org.id, g.name.toLowerCase());
    const group: Group = {
      id,
      orgId: org.id,
      displayName: `[${org.name}]\\${g.name}`,
      description: g.description,
      memberIds: g.memberIds,
      descriptor: `vssgp.${Buffer.from(id).toString('base64url')}`,
    };
    this.groups.set(id, group);
    return group;
  }

  groupsOf(org: Organization): Group[] {
    return [...this.groups.values()].filter((g) => g.orgId === org.id);
  }

  addTeam(project: Project, t: { name: string; description: string; memberIds: string[]; adminIds?: string[] }): Team {
    const team: Team = {
      id: stableGuid('team', project.id, t.name.toLowerCase()),
      projectId: project.id,
      name: t.name,
      description: t.description,
      memberIds: t.memberIds,
      adminIds: t.adminIds ?? [],
    };
    this.teams.set(team.id, team);
    project.defaultTeamId ??= team.id;
    return team;
  }

  teamsOf(project: Project): Team[] {
    return [...this.teams.values()].filter((t) => t.projectId === project.id).toSorted((a, b) => a.name.localeCompare(b.name));
  }

  // ---- pull requests -------------------------------------------------------------------

  /** Pull request ids count up per organization (collection), like the real service. */
  addPullRequest(pr: Omit<PullRequest, 'pullRequestId'>): PullRequest {
    const id = this.nextPullRequestId.get(pr.orgId) ?? 1;
    this.nextPullRequestId.set(pr.orgId, id + 1);
    const full: PullRequest = { ...pr, pullRequestId: id };
    this.pullRequests.set(`${pr.orgId}/${id}`, full);
    return full;
  }

  pullRequest(org: Organization, id: number): PullRequest | undefined {
    return this.pullRequests.get(`${org.id}/${id}`);
  }

  pullRequestsOf(repo: Repository): PullRequest[] {
    return [...this.pullRequests.values()].filter((p) => p.repositoryId === repo.id).toSorted((a, b) => b.pullRequestId - a.pullRequestId);
  }

  // ---- personal access tokens ----------------------------------------------------------

  addPat(p: Omit<Pat, 'authorizationId'>): Pat {
    const pat: Pat = { ...p, authorizationId: stableGuid('pat', p.name) };
    this.pats.set(pat.token, pat);
    return pat;
  }

  patByToken(token: string): Pat | undefined {
    return this.pats.get(token);
  }

  patByName(name: string): Pat | undefined {
    for (const p of this.pats.values()) if (p.name === name) return p;
    return undefined;
  }

  // ---- REST API area: pushes and SSH keys ----------------------------------------------

  readonly sshKeys = new Map<string, SshPublicKey>();
  private readonly lastPushId = new Map<string, number>();

  /** Push ids count up per repository, like the real service. */
  nextPushId(repo: Repository): number {
    const id = (this.lastPushId.get(repo.id) ?? 0) + 1;
    this.lastPushId.set(repo.id, id);
    return id;
  }
}
