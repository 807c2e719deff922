import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { patAuthorization } from '../../sandbox/testing';

let sandbox: Sandbox;
let auth: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  auth = { authorization: patAuthorization(sandbox.pats.fabrikam!) };
});
afterAll(() => sandbox?.close());

interface RepoJson {
  id: string;
  name: string;
  url: string;
  remoteUrl: string;
  webUrl: string;
  sshUrl: string;
  defaultBranch?: string;
  size: number;
  isFork?: boolean;
  isDisabled: boolean;
  project: { id: string; name: string; url: string; state: string };
  state: string;
  parentRepository?: unknown;
}
interface List<T> {
  count: number;
  value: T[];
}
/** Everything the tests read, loosely: lists, errors, repositories, identities. */
type Body = List<RepoJson & { accountName: string }> & RepoJson & Record<string, unknown> & { message: string; typeKey: string };

async function getJson(url: string, headers = auth): Promise<{ status: number; body: Body; headers: Headers }> {
  const res = await sandbox.fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as Body, headers: res.headers };
}

function specProperties(file: string, definition: string): string[] {
  const spec = JSON.parse(readFileSync(new URL(`../fixtures/ado-rest-specs/${file}`, import.meta.url), 'utf8').replace(/^\uFEFF/, ''));
  return Object.keys(spec.definitions[definition].properties);
}

describe('connectionData', () => {
  it('names the caller and the organization in the cloud', async () => {
    const { status, body } = await getJson('https://dev.azure.com/fabrikam/_apis/connectionData');
    expect(status).toBe(200);
    const ada = sandbox.store.user('ada')!;
    expect(body.authenticatedUser).toMatchObject({ id: ada.id, providerDisplayName: 'Ada Lovelace', isActive: true });
    expect(body.authorizedUser).toMatchObject({ id: ada.id });
    expect(body.instanceId).toBe(sandbox.store.organization('fabrikam')!.id);
    expect(body.deploymentType).toBe('hosted');
    expect(body.deploymentId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('says onPremises for the on-prem collection', async () => {
    const { status, body } = await getJson('https://tfs.fabrikam.test/tfs/DefaultCollection/_apis/connectionData', {
      authorization: patAuthorization(sandbox.patsByName['ada-onprem']!),
    });
    expect(status).toBe(200);
    expect(body.deploymentType).toBe('onPremises');
    expect(body.instanceId).toBe(sandbox.store.organization('DefaultCollection')!.id);
  });
});

describe('profile and accounts', () => {
  it('answers profiles/me and the organizations of a member', async () => {
    const me = await getJson('https://app.vssps.visualstudio.com/_apis/profile/profiles/me?api-version=7.1');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ displayName: 'Ada Lovelace', emailAddress: 'ada@fabrikam.test' });
    expect(me.body.id).toBe(me.body.publicAlias);
    const accounts = await getJson(`https://app.vssps.visualstudio.com/_apis/accounts?memberId=${me.body.id}&api-version=7.1`);
    expect(accounts.status).toBe(200);
    expect(accounts.body.value.map((a) => a.accountName).toSorted()).toEqual(['contoso', 'fabrikam']);
    expect(accounts.body.value[0]).toEqual({ accountId: expect.any(String), accountUri: expect.stringMatching(/^https:\/\/vssps\.dev\.azure\.com\/\w+\/$/), accountName: expect.any(String), properties: {} });
  });

  it('refuses accounts without memberId or ownerId', async () => {
    const { status, body } = await getJson('https://app.vssps.visualstudio.com/_apis/accounts?api-version=7.1');
    expect(status).toBe(400);
    expect(body).toMatchObject({ $id: '1', innerException: null, errorCode: 0, eventId: 3000 });
    expect(body.message).toContain('memberId');
  });
});

describe('projects', () => {
  it('pages with $top and continuationToken (x-ms-continuationtoken)', async () => {
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const q: string = token ? `&continuationToken=${token}` : '';
      const { status, body, headers } = await getJson(`https://dev.azure.com/fabrikam/_apis/projects?api-version=7.1&$top=3${q}`);
      expect(status).toBe(200);
      expect(body.count).toBe(body.value.length);
      expect(body.value.length).toBeLessThanOrEqual(3);
      seen.push(...body.value.map((p) => p.name));
      token = headers.get('x-ms-continuationtoken');
      pages++;
    } while (token && pages < 10);
    expect(seen).toEqual(sandbox.store.projectsOf(sandbox.store.organization('fabrikam')!).map((p) => p.name));
    expect(seen).toContain('Fabrikam Fiber');
    expect(pages).toBe(Math.ceil(seen.length / 3));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('answers projects with the spec fields only', async () => {
    const allowed = specProperties('core/7.1/core.json', 'TeamProjectReference');
    const { body } = await getJson('https://dev.azure.com/fabrikam/_apis/projects?api-version=7.1');
    for (const p of body.value) {
      for (const key of Object.keys(p)) expect(allowed).toContain(key);
      expect(p.url).toBe(`https://dev.azure.com/fabrikam/_apis/projects/${p.id}`);
      expect(p.state).toBe('wellFormed');
    }
  });

  it('wants an api-version, like the real service', async () => {
    const { status, body } = await getJson('https://dev.azure.com/fabrikam/_apis/projects');
    expect(status).toBe(400);
    expect(body.typeKey).toBe('VssVersionNotSpecifiedException');
    expect(body.message).toMatch(/^No api-version was supplied for the "GET" request/);
    const viaAccept = await getJson('https://dev.azure.com/fabrikam/_apis/projects', { ...auth, accept: 'application/json;api-version=7.1' });
    expect(viaAccept.status).toBe(200);
  });

  it('caps on-prem at api-version 7.0', async () => {
    const onprem = { authorization: patAuthorization(sandbox.patsByName['ada-onprem']!) };
    const tooNew = await getJson('https://tfs.fabrikam.test/tfs/DefaultCollection/_apis/projects?api-version=7.1', onprem);
    expect(tooNew.status).toBe(400);
    expect(tooNew.body.typeKey).toBe('VssVersionOutOfRangeException');
    const ok = await getJson('https://tfs.fabrikam.test/tfs/DefaultCollection/_apis/projects?api-version=7.0', onprem);
    expect(ok.status).toBe(200);
    expect(ok.body.value[0]?.url).toMatch(/^https:\/\/tfs\.fabrikam\.test\/tfs\/DefaultCollection\/_apis\/projects\//);
  });

  it('answers 404 TF200016 for an unknown project', async () => {
    const { status, body } = await getJson('https://dev.azure.com/fabrikam/Nope/_apis/git/repositories?api-version=7.1');
    expect(status).toBe(404);
    expect(body.message).toMatch(/^TF200016: The following project does not exist: Nope\./);
  });
});

describe('repositories', () => {

  it('lists at least 30 seeded repositories across the organizations, with the spec fields', async () => {
    const fabrikam = await getJson('https://dev.azure.com/fabrikam/_apis/git/repositories?api-version=7.1');
    const contoso = await getJson('https://dev.azure.com/contoso/_apis/git/repositories?api-version=7.1', { authorization: patAuthorization(sandbox.pats.contoso!) });
    expect(fabrikam.status).toBe(200);
    expect(contoso.status).toBe(200);
    expect(fabrikam.body.count + contoso.body.count).toBeGreaterThanOrEqual(30);
    const keys = specProperties('git/7.1/git.json', 'GitRepository');
    for (const r of fabrikam.body.value) {
      for (const key of Object.keys(r)) expect(keys).toContain(key);
      expect(r).toMatchObject({ isDisabled: expect.any(Boolean), isInMaintenance: false, size: expect.any(Number) });
      expect(r.url).toBe(`https://dev.azure.com/fabrikam/${r.project.id}/_apis/git/repositories/${r.id}`);
      expect(r.sshUrl).toMatch(/^git@ssh\.dev\.azure\.com:v3\/fabrikam\//);
    }
  });

  it('shows the special repositories: same name as project, empty, disabled, fork', async () => {
    const { body } = await getJson('https://dev.azure.com/fabrikam/_apis/git/repositories?api-version=7.1');
    const map = new Map(body.value.map((r) => [r.name, r]));
    const byName = { get: (name: string) => map.get(name) ?? expect.unreachable(`no repository ${name}`) };
    const platform = byName.get('Platform');
    expect(platform.project.name).toBe('Platform');
    expect(platform.remoteUrl).toBe('https://fabrikam@dev.azure.com/fabrikam/_git/Platform');
    expect(platform.webUrl).toBe('https://dev.azure.com/fabrikam/_git/Platform');
    expect(platform.defaultBranch).toBe('refs/heads/main');
    expect(platform.size).toBeGreaterThan(0);
    expect(platform.isFork).toBeUndefined();

    const empty = byName.get('Empty');
    expect(empty.defaultBranch).toBeUndefined();
    expect(empty.size).toBe(0);

    expect(byName.get('Legacy Portal').isDisabled).toBe(true);
    expect(byName.get('fabrikam-api').defaultBranch).toBe('refs/heads/develop');

    const fork = byName.get('platform-fork');
    expect(fork.isFork).toBe(true);
    expect(fork.project.name).toBe('Security');
    expect(fork.parentRepository).toMatchObject({ id: platform.id, name: 'Platform', project: { name: 'Platform' }, collection: { name: 'fabrikam' } });

    const fiber = byName.get('Fiber Mobile');
    expect(fiber.remoteUrl).toBe('https://fabrikam@dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/Fiber%20Mobile');
    expect(byName.get('Café Service').webUrl).toBe('https://dev.azure.com/fabrikam/Platform/_git/Caf%C3%A9%20Service');
  });

  it('finds one repository by name or id, in a project or at the organization', async () => {
    const byName = await getJson('https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_apis/git/repositories/Fiber%20Mobile?api-version=7.1');
    expect(byName.status).toBe(200);
    expect(byName.body).toHaveProperty(['_links', 'web', 'href'], byName.body.webUrl);
    const byId = await getJson(`https://dev.azure.com/fabrikam/_apis/git/repositories/${byName.body.id}?api-version=7.1`);
    expect(byId.body.name).toBe('Fiber Mobile');
    const orgLevel = await getJson('https://dev.azure.com/fabrikam/_apis/git/repositories/Platform?api-version=7.1');
    expect(orgLevel.body.project.name).toBe('Platform');
    const missing = await getJson('https://dev.azure.com/fabrikam/Platform/_apis/git/repositories/nope?api-version=7.1');
    expect(missing.status).toBe(404);
    expect(missing.body.typeKey).toBe('GitRepositoryNotFoundException');
    expect(missing.body.message).toMatch(/^TF401019: The Git repository with name or identifier nope does not exist/);
  });

  it('writes URLs in the host form the request used', async () => {
    const legacy = await getJson('https://fabrikam.visualstudio.com/DefaultCollection/Platform/_apis/git/repositories/platform-tools?api-version=7.1');
    expect(legacy.status).toBe(200);
    expect(legacy.body.url).toMatch(/^https:\/\/fabrikam\.visualstudio\.com\/[0-9a-f-]{36}\/_apis\/git\/repositories\//);
    expect(legacy.body.remoteUrl).toBe('https://fabrikam.visualstudio.com/Platform/_git/platform-tools');
    const onprem = await getJson('https://tfs.fabrikam.test/tfs/DefaultCollection/_apis/git/repositories?api-version=7.0', {
      authorization: patAuthorization(sandbox.patsByName['ada-onprem']!),
    });
    expect(onprem.body.value.map((r) => r.remoteUrl)).toContain('https://tfs.fabrikam.test/tfs/DefaultCollection/_git/Legacy');
    expect(onprem.body.value.find((r) => r.name === 'tfs-tools')?.sshUrl).toBe('ssh://tfs.fabrikam.test:22/tfs/DefaultCollection/Legacy/_git/tfs-tools');
  });
});

describe('seed', () => {
  it('has the documented people, groups, teams and pull requests', () => {
    const { store } = sandbox;
    for (const name of ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov']) {
      expect([...store.users.values()].some((u) => u.displayName === name)).toBe(true);
    }
    const fabrikam = store.organization('fabrikam')!;
    expect(store.groupsOf(fabrikam).map((g) => g.displayName)).toContain('[fabrikam]\\Release Approvers');
    expect(store.teamsOf(store.project(fabrikam, 'Platform')!).map((t) => t.name)).toEqual(['Platform Core', 'Platform Team', 'Platform Web']);
    const prs = [...store.pullRequests.values()];
    expect(new Set(prs.map((p) => p.status))).toEqual(new Set(['active', 'completed', 'abandoned']));
    expect(prs.some((p) => p.isDraft)).toBe(true);
    expect(prs.some((p) => p.forkSourceRepositoryId)).toBe(true);
    expect(prs.flatMap((p) => p.reviewers.map((r) => r.vote))).toEqual(expect.arrayContaining([10, 5, 0, -5, -10]));
  });

  it('derives ids from names, the same on every run', () => {
    const repo = sandbox.store.repository(sandbox.store.organization('fabrikam')!, 'Platform')!;
    expect(repo.id).toBe('4f1bc52c-a89c-5ce5-b315-04481fb33b49');
  });

  it('gives pull request branches real commits by different people', async () => {
    const { store, services } = sandbox;
    const fabrikam = store.organization('fabrikam')!;
    for (const pr of store.pullRequestsOf(store.repository(fabrikam, 'Platform')!)) {
      const source = store.repositories.get(pr.forkSourceRepositoryId ?? pr.repositoryId)!;
      const refs = await services.git.refs(source, 'refs/heads/');
      expect(refs.map((r) => r.name)).toContain(pr.sourceRefName);
    }
    const commits = await services.git.commits(store.repository(fabrikam, 'Platform')!, { top: 50 });
    expect(new Set(commits.map((c) => c.author.name)).size).toBeGreaterThanOrEqual(4);
    const days = new Set(commits.map((c) => c.author.date.slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(5);
    const touchingDocs = await services.git.commits(store.repository(fabrikam, 'Platform')!, { path: '/docs/architecture.md' });
    expect(touchingDocs.length).toBe(2);
  });

  it('writes each organization’s histories by its members, as anyone who pushed there is', async () => {
    const { store, services } = sandbox;
    const seeded = [...store.repositories.values()].filter((r) => r.history);
    expect(new Set(seeded.map((r) => r.orgId)).size).toBe(3);
    for (const repo of seeded) {
      const org = store.organizations.get(repo.orgId)!;
      const authors = new Set((await services.git.git(repo, ['log', '--all', '--format=%ae'])).split('\n').filter(Boolean));
      const strangers = [...authors].filter((mail) => !store.isMember(org, store.user(mail)?.id ?? ''));
      expect(strangers, `${org.name}/${repo.name}`).toEqual([]);
    }
  });
});
