/**
 * The sandbox's work items beyond the shapes (sandbox-spec-conformance checks those): what the
 * start-work flow relies on (WIQL "assigned to me" across projects, states per process, a branch
 * link that shows in relations and on the pages, branch creation) and how bad input is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { patAuthorization } from '../../sandbox/testing';
import { branchArtifactUri, parseBranchArtifactUri } from '../../sandbox/work-items';
import { git, restClient, ZERO, type Json } from './sandbox-rest-harness';

const ORG = 'https://dev.azure.com/fabrikam';
const V = 'api-version=7.1';
let sandbox: Sandbox;
let call: ReturnType<typeof restClient>;
let ids: { platform: string; platformRepo: string; story: number; pbi: number; closed: number; issue: number };

const patch = async (url: string, ops: unknown, contentType = 'application/json-patch+json') => {
  const res = await sandbox.fetch(url, {
    method: 'PATCH',
    headers: { authorization: patAuthorization(sandbox.pats.fabrikam!), 'content-type': contentType, accept: 'application/json' },
    body: JSON.stringify(ops),
  });
  return { status: res.status, body: (await res.json()) as Json };
};
const wiql = (query: string, where = ORG) => call('POST', `${where}/_apis/wit/wiql?${V}`, { query });

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  call = restClient(sandbox, { pat: sandbox.pats.fabrikam! });
  const { store } = sandbox;
  const org = store.organization('fabrikam')!;
  const platform = store.project(org, 'Platform')!;
  const titled = (t: string) => store.workItems.ofOrganization(org.id).find((w) => w.fields['System.Title'] === t)!.id;
  ids = {
    platform: platform.id,
    platformRepo: store.repository(org, 'Platform', platform)!.id,
    story: titled('Show the delivery date in the order summary'),
    pbi: titled('Plugin layout: load plugins from a folder'),
    closed: titled('Update the privacy notice'),
    issue: titled('Dark mode on the settings screen'),
  };
});

afterAll(async () => {
  await sandbox?.close();
});

describe('WIQL', () => {
  it('answers the active items assigned to the caller across the projects, newest change first', async () => {
    const r = await wiql("SELECT [System.Id] FROM WorkItems WHERE [System.AssignedTo] = @Me AND [System.State] NOT IN ('Closed', 'Done', 'Removed') ORDER BY [System.ChangedDate] DESC");
    expect(r.status).toBe(200);
    const found: number[] = r.body.workItems.map((w: Json) => w.id);
    expect(found).toEqual(expect.arrayContaining([ids.story, ids.pbi, ids.issue]));
    expect(found).not.toContain(ids.closed);
    const items = await call('GET', `${ORG}/_apis/wit/workitems?ids=${found.join(',')}&fields=System.TeamProject,System.ChangedDate,System.AssignedTo&${V}`);
    const projects = new Set(items.body.value.map((w: Json) => w.fields['System.TeamProject']));
    expect([...projects].toSorted()).toEqual(['Fabrikam Fiber', 'Mobile', 'Platform']);
    const dates = items.body.value.map((w: Json) => w.fields['System.ChangedDate']);
    expect(dates).toEqual(dates.toSorted().toReversed());
    expect(items.body.value.every((w: Json) => w.fields['System.AssignedTo'].uniqueName === 'ada@fabrikam.test')).toBe(true);
  });

  it('knows people by name and mail, friendly field names, OR and parentheses; @project needs a project', async () => {
    const byName = await wiql("SELECT [Id] FROM WorkItems WHERE [Assigned To] = 'Grace Hopper' OR ([State] = 'To Do' AND [Work Item Type] = 'Issue')");
    expect(byName.body.workItems.map((w: Json) => w.id)).toContain(ids.issue);
    expect(byName.body.workItems).toHaveLength(2);
    expect((await wiql('SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project')).status).toBe(400);
    const inProject = await wiql('SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project', `${ORG}/Mobile`);
    expect(inProject.body.workItems.map((w: Json) => w.id)).toEqual([ids.issue]);
  });

  it('refuses unknown fields and broken queries with the reason', async () => {
    const unknown = await wiql('SELECT [System.Id] FROM WorkItems WHERE [System.Nope] = 1');
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/TF51005.*System\.Nope/);
    for (const q of ['SELECT FROM WorkItems', "SELECT [System.Id] FROM WorkItems WHERE [State] = 'x' AND", 'DELETE FROM WorkItems', 'SELECT [System.Id] FROM WorkItemLinks']) {
      expect((await wiql(q)).status, q).toBe(400);
    }
    expect((await call('POST', `${ORG}/_apis/wit/wiql?${V}`, { nope: 1 })).status).toBe(400);
  });
});

describe('work item types and states', () => {
  it('names the in-progress state per process: Active (Agile), Committed (Scrum), Doing (Basic)', async () => {
    const inProgress = async (project: string, type: string) =>
      (await call('GET', `${ORG}/${project}/_apis/wit/workitemtypes/${encodeURIComponent(type)}/states?${V}`)).body.value.find((s: Json) => s.category === 'InProgress').name;
    expect(await inProgress('Fabrikam%20Fiber', 'User Story')).toBe('Active');
    expect(await inProgress('Platform', 'Product Backlog Item')).toBe('Committed');
    expect(await inProgress('Mobile', 'Issue')).toBe('Doing');
    expect((await call('GET', `${ORG}/Mobile/_apis/wit/workitemtypes/Bug/states?${V}`)).status).toBe(404);
  });
});

const storyUrl = () => `${ORG}/Fabrikam%20Fiber/_apis/wit/workitems/${ids.story}?${V}`;
const link = (branch: string) => ({ op: 'add', path: '/relations/-', value: { rel: 'ArtifactLink', url: branchArtifactUri(ids.platform, ids.platformRepo, branch), attributes: { name: 'Branch' } } });
const refs = (body: unknown) => call('POST', `${ORG}/Platform/_apis/git/repositories/Platform/refs?${V}`, body);

describe('linking a branch and changing the state', () => {

  it('adds the ArtifactLink, which GET ?$expand=relations and the form page show; a second identical link is refused', async () => {
    const r = await patch(storyUrl(), [link('users/ada/1-delivery-date'), { op: 'add', path: '/fields/System.State', value: 'active' }]);
    expect(r.status).toBe(200);
    expect(r.body.fields['System.State']).toBe('Active');
    const got = await call('GET', `${ORG}/_apis/wit/workitems/${ids.story}?$expand=relations&${V}`);
    const rel = got.body.relations.find((x: Json) => x.rel === 'ArtifactLink');
    expect(rel.url).toBe(`vstfs:///Git/Ref/${ids.platform}%2F${ids.platformRepo}%2FGBusers%2Fada%2F1-delivery-date`);
    expect(rel.attributes.name).toBe('Branch');
    expect(got.body.rev).toBe(2);
    expect((await call('GET', `${ORG}/_apis/wit/workitems/${ids.story}?${V}`)).body.relations).toBeUndefined();

    const again = await patch(storyUrl(), [link('users/ada/1-delivery-date')]);
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/already exists/);

    const cookie = ((await sandbox.fetch('https://dev.azure.com/_sandbox/signin?user=ada')).headers.get('set-cookie') ?? '').split(';')[0]!;
    const page = await (await sandbox.fetch(`${ORG}/Fabrikam%20Fiber/_workitems/edit/${ids.story}`, { headers: { cookie } })).text();
    expect(page).toContain('class="work-item-form-header-controls-container');
    expect(page).toContain('data-sandbox-branch="users/ada/1-delivery-date"');
    // Opened from query results: the same form.
    const fromQuery = await (await sandbox.fetch(`${ORG}/Fabrikam%20Fiber/_queries/edit/${ids.story}/?queryId=447cfb06-b57c-4c39-83f9-8b13fc14a8ef`, { headers: { cookie } })).text();
    expect(fromQuery).toContain('class="work-item-form-header-controls-container');
    expect(fromQuery).toContain('data-sandbox-branch="users/ada/1-delivery-date"');
    const board = await (await sandbox.fetch(`${ORG}/Fabrikam%20Fiber/_boards/board/t/Fabrikam%20Fiber%20Team/Stories?workitem=${ids.story}`, { headers: { cookie } })).text();
    expect(board).toMatch(/class="bolt-dialog-root work-item-form-dialog"[^>]*>.*data-sandbox-work-item="\d+"/s);
    const other = await sandbox.fetch(`${ORG}/Mobile/_workitems/edit/${ids.story}`, { headers: { cookie } });
    expect(other.status).toBe(404);
  });

  it('refuses a wrong content type, an unknown state, a stale revision and a malformed link, changing nothing', async () => {
    const before = (await call('GET', `${ORG}/_apis/wit/workitems/${ids.story}?$expand=relations&${V}`)).body;
    expect((await patch(storyUrl(), [link('x')], 'application/json')).status).toBe(415);
    const state = await patch(storyUrl(), [link('y'), { op: 'add', path: '/fields/System.State', value: 'Doing' }]);
    expect(state.status).toBe(400);
    expect(state.body.message).toMatch(/State/);
    expect((await patch(storyUrl(), [{ op: 'test', path: '/rev', value: 1 }, link('z')])).status).toBe(412);
    expect((await patch(storyUrl(), [{ op: 'add', path: '/relations/-', value: { rel: 'ArtifactLink', url: 'https://example.test/x', attributes: { name: 'Branch' } } }])).status).toBe(400);
    expect((await patch(storyUrl(), [{ op: 'add', path: '/fields/System.Id', value: 3 }])).status).toBe(400);
    expect((await patch(storyUrl(), [])).status).toBe(400);
    const after = (await call('GET', `${ORG}/_apis/wit/workitems/${ids.story}?$expand=relations&${V}`)).body;
    expect(after).toEqual(before);
  });

  it('answers 404 for an item of another project or organization, and omits missing ones when asked', async () => {
    expect((await call('GET', `${ORG}/Mobile/_apis/wit/workitems/${ids.story}?${V}`)).status).toBe(404);
    expect((await call('GET', `${ORG}/_apis/wit/workitems/9999?${V}`)).status).toBe(404);
    expect((await call('GET', `${ORG}/_apis/wit/workitems?ids=${ids.story},9999&${V}`)).status).toBe(404);
    const omitted = await call('GET', `${ORG}/_apis/wit/workitems?ids=${ids.story},9999&errorPolicy=omit&${V}`);
    expect(omitted.body.value[1]).toBeNull();
    expect((await call('GET', `${ORG}/_apis/wit/workitems?ids=${Array.from({ length: 201 }, (_, i) => i + 1).join(',')}&${V}`)).status).toBe(400);
  });
});

describe('branch artifact URIs', () => {
  it('round-trips the project, repository and a branch with slashes and spaces', () => {
    const uri = branchArtifactUri('p-id', 'r-id', 'users/ada/1 café');
    expect(uri).toBe('vstfs:///Git/Ref/p-id%2Fr-id%2FGBusers%2Fada%2F1%20caf%C3%A9');
    expect(parseBranchArtifactUri(uri)).toEqual({ projectId: 'p-id', repositoryId: 'r-id', branch: 'users/ada/1 café' });
    expect(parseBranchArtifactUri('vstfs:///Git/Commit/x')).toBeUndefined();
  });
});

describe('creating branches (POST refs)', () => {

  it('creates a branch at a commit, which git then sees; reports each failing ref without stopping the others', async () => {
    const main = (await call('GET', `${ORG}/Platform/_apis/git/repositories/Platform/refs?filter=heads/main&${V}`)).body.value[0].objectId;
    const r = await refs([
      { name: 'refs/heads/users/ada/5-plugin-layout', oldObjectId: ZERO, newObjectId: main },
      { name: 'refs/heads/main', oldObjectId: ZERO, newObjectId: main },
      { name: 'refs/heads/bad..name', oldObjectId: ZERO, newObjectId: main },
      { name: 'refs/heads/users/ada/nowhere', oldObjectId: ZERO, newObjectId: 'f'.repeat(40) },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.value.map((v: Json) => [v.updateStatus, v.success])).toEqual([
      ['succeeded', true],
      ['staleOldObjectId', false],
      ['invalidRefName', false],
      ['unresolvableToCommit', false],
    ]);
    const repo = sandbox.store.repository(sandbox.store.organization('fabrikam')!, 'Platform', sandbox.store.project(sandbox.store.organization('fabrikam')!, 'Platform'))!;
    expect((await git(sandbox, ['rev-parse', 'refs/heads/users/ada/5-plugin-layout'], { gitDir: repo.gitDir })).trim()).toBe(main);
    expect((await git(sandbox, ['for-each-ref', '--format=%(refname)', 'refs/heads/users/ada/nowhere'], { gitDir: repo.gitDir })).trim()).toBe('');
  });

  it('refuses a body that is not a list of ref updates, and a read-only token', async () => {
    expect((await refs({ name: 'refs/heads/x' })).status).toBe(400);
    expect((await refs([{ name: 'refs/heads/x', oldObjectId: 'nope', newObjectId: ZERO }])).status).toBe(400);
    const readOnly = restClient(sandbox, { pat: sandbox.patsByName['ada-read-code']! });
    expect((await readOnly('POST', `${ORG}/Platform/_apis/git/repositories/Platform/refs?${V}`, [{ name: 'refs/heads/y', oldObjectId: ZERO, newObjectId: ZERO }])).status).toBe(403);
  });
});
