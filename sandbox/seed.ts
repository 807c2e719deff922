import { createHash } from 'node:crypto';
import path from 'node:path';
import type { HistoryKind, HistorySpec, Person } from './seed-history';
import { stableGuid } from './ids';
import type { Organization, Pat, PatOrgs, Repository, Store, User, Vote } from './store';
import { branchArtifactUri, type WorkItemRelation } from './work-items';

/**
 * The fixed data every sandbox starts with (documented in sandbox/README.md). Ids are derived
 * from names, PAT values from their names: both are the same on every run.
 */

export const SEED_USERS = [
  { alias: 'ada', displayName: 'Ada Lovelace' },
  { alias: 'grace', displayName: 'Grace Hopper' },
  { alias: 'alan', displayName: 'Alan Turing' },
  { alias: 'edsger', displayName: 'Edsger Dijkstra' },
  { alias: 'barbara', displayName: 'Barbara Liskov' },
  { alias: 'ken', displayName: 'Ken Thompson' },
  { alias: 'margaret', displayName: 'Margaret Hamilton' },
  { alias: 'donald', displayName: 'Donald Knuth' },
] as const;

/** The user the sandbox treats as "signed in" by default. */
export const SIGNED_IN_ALIAS = 'ada';
/** A personal Microsoft account: Entra refuses it for Azure DevOps (see entra/). */
export const MSA_ALIAS = 'morgan';
export const TENANT_DOMAIN = 'fabrikam.test';

interface RepoSeed {
  name: string;
  history?: HistoryKind;
  mainBranch?: string;
  disabled?: boolean;
  forkOf?: [project: string, repo: string];
}

interface ProjectSeed {
  name: string;
  description: string;
  repos: RepoSeed[];
  teams: { name: string; members: string[] }[];
}

const FABRIKAM: ProjectSeed[] = [
  {
    name: 'Fabrikam Fiber',
    description: 'The Fabrikam Fiber product line',
    repos: [
      { name: 'Fabrikam Fiber', history: 'rich' },
      { name: 'fabrikam-web', history: 'rich' },
      { name: 'fabrikam-api', history: 'basic', mainBranch: 'develop' },
      { name: 'Fiber Mobile', history: 'basic' },
      { name: 'docs', history: 'basic' },
      { name: 'Empty' },
      { name: 'Legacy Portal', history: 'basic', mainBranch: 'master', disabled: true },
    ],
    teams: [{ name: 'Fabrikam Fiber Team', members: ['ada', 'grace', 'barbara', 'donald'] }],
  },
  {
    name: 'Platform',
    description: 'Shared platform services',
    repos: [
      { name: 'Platform', history: 'rich' },
      { name: 'platform-infra', history: 'basic' },
      { name: 'platform-tools', history: 'basic' },
      { name: 'design-system', history: 'basic' },
      { name: 'build-scripts', history: 'basic' },
      { name: 'Café Service', history: 'basic' },
    ],
    teams: [
      { name: 'Platform Team', members: ['ada', 'alan', 'edsger', 'grace'] },
      { name: 'Platform Core', members: ['alan', 'edsger'] },
      { name: 'Platform Web', members: ['grace', 'barbara'] },
    ],
  },
  {
    name: 'Mobile',
    description: 'Phone apps',
    repos: [{ name: 'mobile-ios', history: 'basic' }, { name: 'mobile-android', history: 'basic' }, { name: 'mobile-shared', history: 'basic' }],
    teams: [{ name: 'Mobile Team', members: ['ken', 'margaret', 'ada'] }],
  },
  {
    name: 'Data Science',
    description: 'Models and notebooks',
    repos: [{ name: 'notebooks', history: 'basic' }, { name: 'models', history: 'basic' }, { name: 'pipelines', history: 'basic' }],
    teams: [{ name: 'Data Science Team', members: ['donald', 'margaret'] }],
  },
  {
    name: 'Security',
    description: 'Security reviews and tools',
    repos: [
      { name: 'threat-models', history: 'basic' },
      { name: 'secrets-scanner', history: 'basic' },
      { name: 'platform-fork', forkOf: ['Platform', 'Platform'] },
    ],
    teams: [{ name: 'Security Team', members: ['alan', 'barbara'] }],
  },
  {
    name: 'Operations',
    description: 'Runbooks and monitoring',
    repos: [{ name: 'runbooks', history: 'basic' }, { name: 'monitoring', history: 'basic' }, { name: 'incident-tools', history: 'basic' }],
    teams: [{ name: 'Operations Team', members: ['ken', 'edsger'] }],
  },
  {
    name: 'Website',
    description: 'Public web sites',
    repos: [{ name: 'marketing-site', history: 'basic' }, { name: 'blog', history: 'basic' }],
    teams: [{ name: 'Website Team', members: ['grace', 'margaret'] }],
  },
];

const CONTOSO: ProjectSeed[] = [
  {
    name: 'Contoso Web',
    description: 'Contoso web shop',
    repos: [{ name: 'contoso-web', history: 'rich' }, { name: 'contoso-api', history: 'basic' }],
    teams: [{ name: 'Contoso Web Team', members: ['ada', 'grace'] }],
  },
  {
    name: 'Research',
    description: 'Experiments',
    repos: [{ name: 'Research', history: 'basic' }, { name: 'experiments', history: 'basic' }],
    teams: [{ name: 'Research Team', members: ['alan', 'barbara', 'ada'] }],
  },
];

const ONPREM: ProjectSeed[] = [
  {
    name: 'Legacy',
    description: 'Projects on the on-premises Azure DevOps Server',
    repos: [{ name: 'Legacy', history: 'basic', mainBranch: 'master' }, { name: 'tfs-tools', history: 'basic', mainBranch: 'master' }],
    teams: [{ name: 'Legacy Team', members: ['ada', 'grace', 'alan'] }],
  },
];

export const LARGE_ORG = { name: 'northwind', projects: 300, reposPerProject: 10 };

export interface SeedResult {
  histories: HistorySpec[];
  /** Ada's full-scope PATs by organization name, printed by the CLI. */
  pats: Record<string, string>;
  /** Every seeded PAT by its documented name. */
  patsByName: Record<string, string>;
}

export function seedStore(store: Store, reposRoot: string, opts: { large?: boolean } = {}): SeedResult {
  const users = new Map<string, User>();
  for (const u of SEED_USERS) users.set(u.alias, store.addUser({ ...u, mail: `${u.alias}@${TENANT_DOMAIN}`, kind: 'aad' }));
  store.addUser({ alias: MSA_ALIAS, displayName: 'Morgan Personal', mail: 'morgan.personal@outlook.test', kind: 'msa' });
  const ids = (aliases: readonly string[]) => aliases.map((a) => users.get(a)!.id);
  // Whoever pushed to an organization's repositories is its member: its histories are written by
  // its members only, so "who changed this file" names people the organization can find.
  const people = (org: Organization): Person[] =>
    org.memberIds.map((id) => {
      const u = store.user(id)!;
      return { name: u.displayName, email: u.mail };
    });
  const tenantId = stableGuid('tenant', TENANT_DOMAIN);

  const fabrikam = store.addOrganization({ name: 'fabrikam', hosting: 'cloud', oauthAllowed: true, tenantId, maxApiVersion: 7.1, memberIds: ids(SEED_USERS.map((u) => u.alias)) });
  const contoso = store.addOrganization({ name: 'contoso', hosting: 'cloud', oauthAllowed: false, tenantId, maxApiVersion: 7.1, memberIds: ids(['ada', 'grace', 'alan', 'barbara']) });
  const onprem = store.addOrganization({ name: 'DefaultCollection', hosting: 'onprem', oauthAllowed: false, maxApiVersion: 7.0, memberIds: ids(['ada', 'grace', 'alan', 'edsger', 'ken']) });

  const histories: HistorySpec[] = [];
  const seedOrg = (org: Organization, projects: ProjectSeed[]) => {
    const authors = people(org);
    projects.forEach((ps, pi) => {
      const project = store.addProject(org, { name: ps.name, description: ps.description, lastUpdateTime: fixedDate(pi) });
      for (const t of ps.teams) store.addTeam(project, { name: t.name, description: `The ${t.name}.`, memberIds: ids(t.members), adminIds: ids(t.members.slice(0, 1)) });
    });
    projects.forEach((ps) => {
      const project = store.project(org, ps.name)!;
      for (const rs of ps.repos) {
        const parent = rs.forkOf && store.repository(org, rs.forkOf[1], store.project(org, rs.forkOf[0]));
        const repo = store.addRepository(project, {
          name: rs.name,
          isDisabled: !!rs.disabled,
          isInMaintenance: false,
          parentId: parent?.id,
          gitDir: '',
          initialBranch: parent?.initialBranch ?? rs.mainBranch ?? 'main',
          history: parent?.history,
        });
        repo.gitDir = path.join(reposRoot, org.name.toLowerCase(), `${repo.id}.git`);
        if (rs.history) {
          repo.history = repo.id;
          const rotate = histories.length % authors.length;
          histories.push({ key: repo.id, kind: rs.history, title: rs.name, mainBranch: repo.initialBranch, people: [...authors.slice(rotate), ...authors.slice(0, rotate)] });
        }
      }
    });
  };
  seedOrg(fabrikam, FABRIKAM);
  seedOrg(contoso, CONTOSO);
  seedOrg(onprem, ONPREM);

  store.addGroup(fabrikam, { name: 'Release Approvers', description: 'Approve releases', memberIds: ids(['grace', 'edsger']) });
  store.addGroup(fabrikam, { name: 'Security Reviewers', description: 'Review security-sensitive changes', memberIds: ids(['alan', 'barbara']) });
  store.addGroup(fabrikam, { name: 'Project Collection Administrators', description: 'Administer the organization', memberIds: ids(['ada']) });
  store.addGroup(contoso, { name: 'Release Approvers', description: 'Approve releases', memberIds: ids(['grace']) });

  seedPullRequests(store, fabrikam, contoso, users);
  seedWorkItems(store, fabrikam, contoso, users);

  if (opts.large) {
    const northwind = store.addOrganization({ name: LARGE_ORG.name, hosting: 'cloud', oauthAllowed: true, tenantId, maxApiVersion: 7.1, memberIds: ids(['ada', 'grace']) });
    const template = 'northwind-template';
    histories.push({ key: template, kind: 'basic', title: 'Northwind service', mainBranch: 'main', people: people(northwind) });
    for (let p = 1; p <= LARGE_ORG.projects; p++) {
      const project = store.addProject(northwind, { name: `Northwind ${String(p).padStart(3, '0')}`, lastUpdateTime: fixedDate(p) });
      for (let r = 1; r <= LARGE_ORG.reposPerProject; r++) {
        const repo = store.addRepository(project, {
          name: `service-${String(p).padStart(3, '0')}-${String(r).padStart(2, '0')}`,
          isDisabled: false,
          isInMaintenance: false,
          gitDir: '',
          initialBranch: 'main',
          history: template,
        });
        repo.gitDir = path.join(reposRoot, northwind.name, `${repo.id}.git`);
      }
    }
  }

  const patsByName = seedPats(store, users, { fabrikam, contoso, onprem });
  return { histories, pats: { fabrikam: patsByName['ada-full-fabrikam']!, contoso: patsByName['ada-full-contoso']! }, patsByName };
}

function reviewer(id: string, vote: Vote, isRequired = false) {
  return { id, vote, isRequired, hasDeclined: false, isFlagged: false };
}

function seedPullRequests(store: Store, fabrikam: Organization, contoso: Organization, users: Map<string, User>): void {
  const u = (alias: string) => users.get(alias)!.id;
  const group = (name: string) => store.groupsOf(fabrikam).find((g) => g.displayName.endsWith(`\\${name}`))!.id;
  const repo = (org: Organization, project: string, name: string): Repository => store.repository(org, name, store.project(org, project))!;
  const platform = repo(fabrikam, 'Platform', 'Platform');
  const base = { orgId: fabrikam.id, description: '', isDraft: false, targetRefName: 'refs/heads/main' };
  store.addPullRequest({
    ...base,
    repositoryId: platform.id,
    title: 'Add a retry policy to the HTTP client',
    description: 'Retries failed requests up to three times.',
    status: 'active',
    sourceRefName: 'refs/heads/feature/retry-policy',
    createdById: u('grace'),
    creationDate: '2026-08-17T09:12:00.000Z',
    reviewers: [reviewer(u('ada'), 0, true), reviewer(u('alan'), 10), reviewer(group('Release Approvers'), 0)],
  });
  store.addPullRequest({
    ...base,
    repositoryId: platform.id,
    title: 'Refactor nested components',
    isDraft: true,
    status: 'active',
    sourceRefName: 'refs/heads/feature/deep/nested/refactor',
    createdById: u('ada'),
    creationDate: '2026-08-18T14:40:00.000Z',
    reviewers: [reviewer(u('edsger'), 0)],
  });
  store.addPullRequest({
    ...base,
    repositoryId: platform.id,
    title: 'Guard against a missing configuration at start',
    status: 'completed',
    sourceRefName: 'refs/heads/bugfix/crash-on-start',
    createdById: u('alan'),
    creationDate: '2026-08-13T11:05:00.000Z',
    closedDate: '2026-08-14T16:30:00.000Z',
    reviewers: [reviewer(u('ada'), 10), reviewer(u('barbara'), 5)],
  });
  store.addPullRequest({
    ...base,
    repositoryId: platform.id,
    title: 'Spike: plugin layout',
    status: 'abandoned',
    sourceRefName: 'refs/heads/users/ada/spike',
    createdById: u('ada'),
    creationDate: '2026-08-18T17:00:00.000Z',
    closedDate: '2026-08-19T08:00:00.000Z',
    reviewers: [reviewer(u('grace'), -10)],
  });
  store.addPullRequest({
    ...base,
    repositoryId: repo(fabrikam, 'Fabrikam Fiber', 'Fabrikam Fiber').id,
    title: 'Retry policy for Fabrikam Fiber',
    status: 'active',
    sourceRefName: 'refs/heads/feature/retry-policy',
    createdById: u('barbara'),
    creationDate: '2026-08-16T10:00:00.000Z',
    reviewers: [reviewer(u('ada'), -5), reviewer(u('grace'), -10), reviewer(u('donald'), 0, true)],
  });
  store.addPullRequest({
    ...base,
    repositoryId: platform.id,
    forkSourceRepositoryId: repo(fabrikam, 'Security', 'platform-fork').id,
    title: 'Harden the nested component (from the security fork)',
    status: 'active',
    sourceRefName: 'refs/heads/feature/deep/nested/refactor',
    createdById: u('barbara'),
    creationDate: '2026-08-19T13:20:00.000Z',
    reviewers: [reviewer(u('ada'), 0), reviewer(u('alan'), 5), reviewer(group('Security Reviewers'), 0)],
  });
  store.addPullRequest({
    ...base,
    orgId: contoso.id,
    repositoryId: repo(contoso, 'Contoso Web', 'contoso-web').id,
    title: 'Add HTTP retries',
    status: 'active',
    sourceRefName: 'refs/heads/feature/retry-policy',
    createdById: u('grace'),
    creationDate: '2026-08-18T09:00:00.000Z',
    reviewers: [reviewer(u('ada'), 0)],
  });
}

/**
 * Work items: Fabrikam Fiber uses the Agile process, Platform Scrum, Mobile Basic (each names its
 * "in progress" state differently). Ada has active ones in three projects, a closed one, and one
 * already linked to a branch of Platform (so starting work on it picks that repository).
 */
function seedWorkItems(store: Store, fabrikam: Organization, contoso: Organization, users: Map<string, User>): void {
  const u = (alias: string) => users.get(alias)!.id;
  const wi = store.workItems;
  const project = (org: Organization, name: string) => store.project(org, name)!;
  wi.setProcess(project(fabrikam, 'Platform').id, 'Scrum');
  wi.setProcess(project(fabrikam, 'Mobile').id, 'Basic');
  let day = 0;
  const add = (org: Organization, projectName: string, type: string, title: string, state: string, assignee: string | undefined, by: string, relations: WorkItemRelation[] = []) => {
    const p = project(org, projectName);
    const date = new Date(Date.UTC(2026, 7, 3, 9) + day++ * 86_400_000).toISOString();
    const fields: Record<string, string | number> = {
      'System.AreaPath': p.name,
      'System.TeamProject': p.name,
      'System.IterationPath': `${p.name}\\Sprint 1`,
      'System.WorkItemType': type,
      'System.State': state,
      'System.Reason': state === 'New' || state === 'To Do' ? 'New' : 'Moved to state ' + state,
      'System.CreatedDate': date,
      'System.CreatedBy': u(by),
      'System.ChangedDate': date,
      'System.ChangedBy': u(by),
      'System.Title': title,
      'Microsoft.VSTS.Common.Priority': 2,
    };
    if (assignee) fields['System.AssignedTo'] = u(assignee);
    return wi.add({ orgId: org.id, projectId: p.id, fields, relations });
  };
  const platform = project(fabrikam, 'Platform');
  const platformRepo = store.repository(fabrikam, 'Platform', platform)!;
  const linked: WorkItemRelation = {
    rel: 'ArtifactLink',
    url: branchArtifactUri(platform.id, platformRepo.id, 'feature/retry-policy'),
    attributes: { name: 'Branch', authorizedDate: '2026-08-17T09:00:00.000Z', id: 1, resourceCreatedDate: '2026-08-17T09:00:00.000Z', resourceModifiedDate: '2026-08-17T09:00:00.000Z', revisedDate: '9999-01-01T00:00:00Z' },
  };
  add(fabrikam, 'Fabrikam Fiber', 'User Story', 'Show the delivery date in the order summary', 'New', 'ada', 'grace');
  add(fabrikam, 'Fabrikam Fiber', 'Bug', 'Crash when the cart is empty', 'Active', 'ada', 'barbara');
  add(fabrikam, 'Fabrikam Fiber', 'Task', 'Update the privacy notice', 'Closed', 'ada', 'ada');
  add(fabrikam, 'Fabrikam Fiber', 'User Story', 'Gift cards at checkout', 'New', 'grace', 'grace');
  add(fabrikam, 'Platform', 'Product Backlog Item', 'Plugin layout: load plugins from a folder', 'Approved', 'ada', 'alan');
  add(fabrikam, 'Platform', 'Product Backlog Item', 'Retry policy for the HTTP client', 'Committed', 'ada', 'grace', [linked]);
  add(fabrikam, 'Mobile', 'Issue', 'Dark mode on the settings screen', 'To Do', 'ada', 'ken');
  add(contoso, 'Contoso Web', 'User Story', 'Wish list for signed-in shoppers', 'New', 'ada', 'grace');
}

function seedPats(store: Store, users: Map<string, User>, orgs: Record<'fabrikam' | 'contoso' | 'onprem', Organization>): Record<string, string> {
  const full = ['app_token'];
  const specs: { name: string; user: string; scopes: string[]; orgs: PatOrgs; expired?: boolean; revoked?: boolean }[] = [
    { name: 'ada-full-fabrikam', user: 'ada', scopes: full, orgs: 'all' },
    { name: 'ada-full-contoso', user: 'ada', scopes: full, orgs: 'all' },
    { name: 'ada-fabrikam-only', user: 'ada', scopes: full, orgs: [orgs.fabrikam.id] },
    { name: 'ada-read-code', user: 'ada', scopes: ['vso.code'], orgs: [orgs.fabrikam.id] },
    { name: 'ada-expired', user: 'ada', scopes: full, orgs: 'all', expired: true },
    { name: 'ada-revoked', user: 'ada', scopes: full, orgs: 'all', revoked: true },
    { name: 'ada-onprem', user: 'ada', scopes: full, orgs: [orgs.onprem.id] },
    { name: 'grace-full', user: 'grace', scopes: full, orgs: 'all' },
  ];
  const out: Record<string, string> = {};
  for (const s of specs) {
    const pat: Omit<Pat, 'authorizationId'> = {
      name: s.name,
      displayName: s.name,
      token: patValue(s.name),
      userId: users.get(s.user)!.id,
      scopes: s.scopes,
      orgs: s.orgs,
      validFrom: s.expired ? '2020-01-01T00:00:00.000Z' : '2026-08-01T00:00:00.000Z',
      validTo: s.expired ? '2020-01-31T00:00:00.000Z' : '2099-12-31T00:00:00.000Z',
      revoked: !!s.revoked,
    };
    out[s.name] = store.addPat(pat).token;
  }
  return out;
}

/** 52 lower-case base32 characters, the shape of a classic Azure DevOps PAT. */
export function patValue(name: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = createHash('sha512').update(`ado-sandbox-pat:${name}`).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < 52) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

function fixedDate(i: number): string {
  return new Date(Date.UTC(2026, 6, 1, 10) + i * 86_400_000).toISOString();
}

