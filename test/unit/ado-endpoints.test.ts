import { describe, expect, it } from 'vitest';
import { AdoError, basicAuthHeader, createAdoClient, defaultVsspsBaseUrl, type AdoClientOptions } from '../../src/shared/ado/client';
import { json, scriptedFetch, type Step } from './ado-fake-fetch';

/**
 * What each endpoint sends (method, URL, api-version, body) and how it reads the answer, for the
 * undocumented endpoints and the client-side rules the spec test cannot see.
 */

const ORG = 'https://dev.azure.com/fabrikam';

function setup(steps: Step[], extra: Partial<AdoClientOptions> = {}) {
  const f = scriptedFetch(...steps);
  const client = createAdoClient({
    orgBaseUrl: ORG,
    auth: async () => ({ scheme: 'Bearer', value: 'token' }),
    fetch: f.fetch,
    sleep: async () => {},
    ...extra,
  });
  return { client, ...f };
}

const urlOf = (r: { url: URL }) => r.url.toString();
const rejection = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AdoError);

const user = { id: 'u1', displayName: 'U' };
const pr = (id: number) => ({
  pullRequestId: id,
  status: 'active',
  title: `PR ${id}`,
  sourceRefName: 'refs/heads/a',
  targetRefName: 'refs/heads/main',
  creationDate: '2026-01-01T00:00:00Z',
  createdBy: user,
  repository: { id: 'r1', name: 'Repo' },
});

const page = (ids: number[]) => () => json({ count: ids.length, value: ids.map(pr) });
const change = (p: string) => ({ changeTrackingId: 1, changeId: 1, item: { objectId: 'o', path: p }, changeType: 'edit' });

describe('hosts and versions', () => {
  it('derives the vssps host from the organization URL', () => {
    expect(defaultVsspsBaseUrl('https://dev.azure.com/fabrikam/')).toBe('https://vssps.dev.azure.com/fabrikam');
    expect(defaultVsspsBaseUrl('https://fabrikam.visualstudio.com')).toBe('https://fabrikam.vssps.visualstudio.com');
    expect(defaultVsspsBaseUrl('https://tfs.fabrikam.test:8080/tfs/DefaultCollection')).toBe('https://tfs.fabrikam.test:8080/tfs/DefaultCollection');
  });

  it('identifies the user with connectionData (preview version of the configured release)', async () => {
    const answer = {
      authenticatedUser: { id: 'a1b2', descriptor: 'Microsoft.IdentityModel.Claims.ClaimsIdentity;x', providerDisplayName: 'Normal Paulk', isActive: true, properties: {} },
      authorizedUser: { id: 'a1b2', providerDisplayName: 'Normal Paulk' },
      instanceId: 'c0ffee00-0000-4000-8000-000000000001',
      deploymentId: 'd1',
      deploymentType: 'hosted',
      locationServiceData: { serviceOwner: '00025394-6065-48ca-87d9-7f5672854ef7' },
    };
    const { client, sent } = setup([() => json(answer)]);
    const cd = await client.connectionData();
    expect(urlOf(sent[0]!)).toBe(`${ORG}/_apis/connectionData?api-version=7.1-preview.1`);
    expect(cd.authenticatedUser).toMatchObject({ id: 'a1b2', providerDisplayName: 'Normal Paulk' });
    expect(cd.instanceId).toBe('c0ffee00-0000-4000-8000-000000000001');
  });

  it('speaks the configured api-version to an on-prem collection, vssps included', async () => {
    const base = 'https://tfs.fabrikam.test/tfs/DefaultCollection';
    const { client, sent } = setup([() => json({ instanceId: 'i', authenticatedUser: { id: 'u' }, deploymentType: 2 }), () => json({ value: [] }), () => json({ value: [] })], {
      orgBaseUrl: `${base}/`,
      apiVersion: '7.0',
    });
    await client.connectionData();
    await client.repositories();
    await client.searchIdentities('ann');
    expect(sent.map(urlOf)).toEqual([
      `${base}/_apis/connectionData?api-version=7.0-preview.1`,
      `${base}/_apis/git/repositories?api-version=7.0`,
      `${base}/_apis/identities?searchFilter=General&filterValue=ann&queryMembership=None&api-version=7.0`,
    ]);
  });

  it('asks app.vssps.visualstudio.com for the profile and organizations', async () => {
    const { client, sent } = setup([
      () => json({ id: 'me', displayName: 'Me', emailAddress: 'me@example.com', publicAlias: 'me' }),
      () => json({ count: 1, value: [{ accountId: 'a', accountName: 'fabrikam', accountUri: 'https://vssps.dev.azure.com/fabrikam/' }] }),
    ]);
    await client.profile();
    const orgs = await client.accounts('me');
    expect(sent.map(urlOf)).toEqual([
      'https://app.vssps.visualstudio.com/_apis/profile/profiles/me?api-version=7.1',
      'https://app.vssps.visualstudio.com/_apis/accounts?memberId=me&api-version=7.1',
    ]);
    expect(orgs[0]?.accountName).toBe('fabrikam');
  });

  it('encodes project and repository names as path segments', async () => {
    const { client, sent } = setup([() => json({ value: [] })]);
    await client.branches({ project: 'My Project #1', repositoryId: 'Ré po' });
    expect(sent[0]!.url.pathname).toBe('/fabrikam/My%20Project%20%231/_apis/git/repositories/R%C3%A9%20po/refs');
    expect(sent[0]!.url.search).toBe('?filter=heads%2F&$top=1000&api-version=7.1');
  });
});

describe('repositories', () => {
  it('refuses a bad repository name before sending anything', async () => {
    const { client, sent } = setup([]);
    const e = await rejection(client.createRepository({ projectId: 'p1', name: 'bad/name' }));
    expect(e?.kind).toBe('badRequest');
    expect(e?.userMessage).toContain('“/”');
    expect(sent).toHaveLength(0);
  });

  it('lists .gitignore templates (undocumented) without the suffix', async () => {
    const { client, sent } = setup([
      () => json({ count: 2, value: [{ name: 'VisualStudio.gitignore', type: 'gitignore' }, { name: 'Node.gitignore', type: 'gitignore' }] }),
    ]);
    expect(await client.gitignoreTemplates('P')).toEqual(['VisualStudio', 'Node']);
    expect(urlOf(sent[0]!)).toBe(`${ORG}/P/_apis/git/templates?type=gitignore&api-version=7.1-preview.1`);
  });

  it('pushes README, a server-side .gitignore template and LICENSE as the first commit on main', async () => {
    const { client, sent } = setup([() => json({ pushId: 1, commits: [{ commitId: 'c1' }], refUpdates: [{ name: 'refs/heads/main', newObjectId: 'c1' }] }, 201)]);
    await client.initialPush({ project: 'P', repositoryId: 'r1', readme: '# Repo\n', gitignore: { template: 'VisualStudio' }, license: 'MIT License…' });
    expect(sent[0]!.method).toBe('POST');
    expect(urlOf(sent[0]!)).toBe(`${ORG}/P/_apis/git/repositories/r1/pushes?api-version=7.1`);
    expect(sent[0]!.body).toEqual({
      refUpdates: [{ name: 'refs/heads/main', oldObjectId: '0000000000000000000000000000000000000000' }],
      commits: [
        {
          comment: 'Initial commit',
          changes: [
            { changeType: 'add', item: { path: '/README.md' }, newContent: { content: '# Repo\n', contentType: 'rawtext' } },
            { changeType: 'add', item: { path: '/.gitignore' }, newContentTemplate: { name: 'VisualStudio.gitignore', type: 'gitignore' } },
            { changeType: 'add', item: { path: '/LICENSE' }, newContent: { content: 'MIT License…', contentType: 'rawtext' } },
          ],
        },
      ],
    });
  });

  it('can push a raw .gitignore on another branch, and refuses nothing-to-push or a bad branch', async () => {
    const { client, sent } = setup([() => json({ pushId: 2 }, 201)]);
    await client.initialPush({ project: 'P', repositoryId: 'r1', branch: 'develop', gitignore: { content: 'node_modules/\n' } });
    const body = sent[0]!.body as { refUpdates: Array<{ name: string }>; commits: Array<{ changes: unknown[] }> };
    expect(body.refUpdates[0]?.name).toBe('refs/heads/develop');
    expect(body.commits[0]?.changes).toEqual([
      { changeType: 'add', item: { path: '/.gitignore' }, newContent: { content: 'node_modules/\n', contentType: 'rawtext' } },
    ]);
    expect((await rejection(client.initialPush({ project: 'P', repositoryId: 'r1' })))?.kind).toBe('badRequest');
    expect((await rejection(client.initialPush({ project: 'P', repositoryId: 'r1', branch: 'my branch', readme: 'x' })))?.userMessage).toMatch(/spaces/);
    expect(sent).toHaveLength(1);
  });

  it('asks for commits touching a path', async () => {
    const commit = { commitId: 'c1', author: { name: 'A', email: 'a@x', date: '2026-01-01T00:00:00Z' }, comment: 'x' };
    const { client, sent } = setup([() => json({ count: 1, value: [commit] })]);
    await client.commitsByPath({ project: 'P', repositoryId: 'r1' }, 'src/app.ts', 10);
    expect(sent[0]!.url.searchParams.get('searchCriteria.itemPath')).toBe('/src/app.ts');
    expect(sent[0]!.url.searchParams.get('searchCriteria.$top')).toBe('10');
    expect(sent[0]!.url.searchParams.has('searchCriteria.itemVersion.version')).toBe(false);
  });
});

describe('pull requests', () => {
  it('creates a pull request from a fork with full ref names and required reviewers', async () => {
    const { client, sent } = setup([() => json(pr(5), 201)]);
    await client.createPullRequest(
      { project: 'P', repositoryId: 'r1' },
      { sourceRefName: 'feature/x', targetRefName: 'refs/heads/main', title: 'T', isDraft: true, reviewers: [{ id: 'u2', isRequired: true }], forkSourceRepositoryId: 'fork1' },
    );
    expect(urlOf(sent[0]!)).toBe(`${ORG}/P/_apis/git/repositories/r1/pullrequests?api-version=7.1`);
    expect(sent[0]!.body).toEqual({
      sourceRefName: 'refs/heads/feature/x',
      targetRefName: 'refs/heads/main',
      title: 'T',
      isDraft: true,
      reviewers: [{ id: 'u2', isRequired: true }],
      forkSource: { repository: { id: 'fork1' } },
    });
  });

  it('pages through pull requests with $top/$skip, up to a limit', async () => {
    const all = setup([page([1, 2]), page([3, 4]), page([5])]);
    const found = await all.client.allPullRequests({ project: 'P' }, { status: 'active' }, { pageSize: 2 });
    expect(found.map((p) => p.pullRequestId)).toEqual([1, 2, 3, 4, 5]);
    expect(all.sent.map((r) => r.url.searchParams.get('$skip'))).toEqual(['0', '2', '4']);
    expect(all.sent[0]!.url.pathname).toBe('/fabrikam/P/_apis/git/pullrequests');

    const limited = setup([page([1, 2]), page([3, 4])]);
    expect(await limited.client.allPullRequests({ project: 'P', repositoryId: 'r1' }, {}, { pageSize: 2, limit: 3 })).toHaveLength(3);
    expect(limited.sent).toHaveLength(2);
  });

  it('lists the files of the latest iteration, following nextSkip', async () => {
    const { client, sent } = setup([
      () => json({ count: 3, value: [{ id: 1 }, { id: 3 }, { id: 2 }] }),
      () => json({ changeEntries: [change('/a')], nextSkip: 2000, nextTop: 2000 }),
      () => json({ changeEntries: [change('/b')] }),
    ]);
    const files = await client.pullRequestChanges({ project: 'P', repositoryId: 'r1', pullRequestId: 9 });
    expect(files.map((f) => f.item.path)).toEqual(['/a', '/b']);
    expect(sent.map((r) => r.url.pathname + r.url.search)).toEqual([
      '/fabrikam/P/_apis/git/repositories/r1/pullRequests/9/iterations?api-version=7.1',
      '/fabrikam/P/_apis/git/repositories/r1/pullRequests/9/iterations/3/changes?$top=2000&$skip=0&api-version=7.1',
      '/fabrikam/P/_apis/git/repositories/r1/pullRequests/9/iterations/3/changes?$top=2000&$skip=2000&api-version=7.1',
    ]);
  });

  it('adds a reviewer with PUT {vote: 0, isRequired} and removes one with DELETE', async () => {
    const { client, sent } = setup([() => json({ ...user, vote: 0, isRequired: true }), () => new Response(null, { status: 204 })]);
    const ref = { project: 'P', repositoryId: 'r1', pullRequestId: 9 };
    expect((await client.addReviewer(ref, 'u1', { isRequired: true })).isRequired).toBe(true);
    await client.removeReviewer(ref, 'u1');
    expect(sent.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'PUT /fabrikam/P/_apis/git/repositories/r1/pullRequests/9/reviewers/u1',
      'DELETE /fabrikam/P/_apis/git/repositories/r1/pullRequests/9/reviewers/u1',
    ]);
    expect(sent[0]!.body).toEqual({ vote: 0, isRequired: true });
  });
});

describe('people and SSH keys', () => {
  it('searches people through the IdentityPicker like the web UI', async () => {
    const answer = {
      results: [
        {
          queryToken: 'ann',
          identities: [
            { entityId: 'vss.ds.v1.aad.user.1', entityType: 'User', originDirectory: 'aad', originId: 'o1', localDirectory: 'vsd', localId: 'L1', displayName: 'Ann', mail: 'ann@x.example', active: true },
            { entityId: 'vss.ds.v1.aad.user.2', entityType: 'User', originDirectory: 'aad', originId: 'o2', localDirectory: null, localId: null, displayName: 'Anna', mail: 'anna@x.example' },
          ],
          pagingToken: null,
        },
      ],
    };
    const { client, sent } = setup([() => json(answer)]);
    const people = await client.searchPeople('ann');
    expect(urlOf(sent[0]!)).toBe(`${ORG}/_apis/IdentityPicker/Identities?api-version=7.1-preview.1`);
    expect(sent[0]!.body).toEqual({
      query: 'ann',
      identityTypes: ['user', 'group'],
      operationScopes: ['ims', 'source'],
      options: { MinResults: 5, MaxResults: 40 },
    });
    expect(people.map((p) => [p.displayName, p.localId])).toEqual([
      ['Ann', 'L1'],
      ['Anna', undefined],
    ]);
  });

  it('lists SSH keys from the token service, wrapped or bare', async () => {
    const key = { authorizationId: 'k1', displayName: 'laptop', validTo: '2027-01-01T00:00:00Z', publicData: 'ssh-rsa AAAA', isPublic: true };
    const { client, sent } = setup([() => json([key]), () => json({ count: 1, value: [key] })]);
    expect((await client.sshKeys())[0]?.authorizationId).toBe('k1');
    expect((await client.sshKeys())[0]?.displayName).toBe('laptop');
    expect(urlOf(sent[0]!)).toBe(
      'https://vssps.dev.azure.com/fabrikam/_apis/Token/SessionTokens?isPublic=true&includePublicData=true&api-version=7.0-preview.1',
    );
  });

  it('adds an SSH key through the HierarchyQuery data provider', async () => {
    const provider = 'ms.vss-token-web.personal-access-token-issue-session-token-provider';
    const created = { authorizationId: 'k2', displayName: 'laptop', validTo: '2027-03-01T00:00:00.000Z', publicData: 'ssh-rsa AAAAB3 me@laptop' };
    const { client, sent } = setup([
      () => json({ dataProviderSharedData: {}, dataProviders: { [provider]: created } }),
      () => json({ dataProviders: {}, dataProviderExceptions: { [provider]: { message: 'The public key is not valid.', typeKey: 'X' } } }),
    ]);
    const input = { displayName: 'laptop', publicKey: 'ssh-rsa AAAAB3 me@laptop\n', validTo: new Date('2027-03-01T00:00:00Z'), instanceId: 'inst-1' };
    expect((await client.addSshKey(input)).authorizationId).toBe('k2');
    expect(urlOf(sent[0]!)).toBe(`${ORG}/_apis/Contribution/HierarchyQuery?api-version=5.0-preview.1`);
    expect(sent[0]!.body).toEqual({
      contributionIds: [provider],
      dataProviderContext: {
        properties: {
          displayName: 'laptop',
          publicData: 'ssh-rsa AAAAB3 me@laptop',
          validTo: '2027-03-01T00:00:00.000Z',
          scope: 'app_token',
          isPublic: true,
          targetAccounts: ['inst-1'],
        },
      },
    });
    const refused = await rejection(client.addSshKey(input));
    expect(refused?.kind).toBe('badRequest');
    expect(refused?.adoMessage).toBe('The public key is not valid.');
  });

  it('refuses a non-RSA key before sending it', async () => {
    const { client, sent } = setup([]);
    const e = await rejection(client.addSshKey({ displayName: 'k', publicKey: 'ssh-ed25519 AAAAC3 me', validTo: '2027-01-01T00:00:00Z', instanceId: 'i' }));
    expect(e?.kind).toBe('badRequest');
    expect(e?.userMessage).toContain('ssh-keygen -t rsa -b 4096');
    expect(sent).toHaveLength(0);
  });
});

describe('basicAuthHeader', () => {
  it('encodes ":" + PAT and refuses empty or spaced tokens', () => {
    expect(basicAuthHeader(' abc123 ')).toEqual({ scheme: 'Basic', value: btoa(':abc123') });
    expect(() => basicAuthHeader('  ')).toThrow(/empty/);
    expect(() => basicAuthHeader('abc 123')).toThrow(/spaces/);
  });
});
