/**
 * People and keys: ims identity search, the (undocumented) IdentityPicker, teams and their
 * members, and public SSH keys through the web UI's session-token provider (OAuth only, RSA
 * only). One sandbox for the file; keys are made with the real ssh-keygen.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { entraSignIn } from '../../sandbox/testing';
import { Identity, IdentityPickerAnswer, SshKey, Team, TeamMember, listOf } from '../../src/shared/ado/schemas';
import { restClient, tempDir, type Json } from './sandbox-rest-harness';

let sandbox: Sandbox;
let ada: ReturnType<typeof restClient>;
let readOnly: ReturnType<typeof restClient>;
let keys: { dir: string; remove: () => Promise<void> };
const ids: Record<string, string> = {};

const ORG = 'https://dev.azure.com/fabrikam';
const VSSPS = 'https://vssps.dev.azure.com/fabrikam';
const PROVIDER = 'ms.vss-token-web.personal-access-token-issue-session-token-provider';

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  ada = restClient(sandbox, { pat: sandbox.pats.fabrikam! });
  readOnly = restClient(sandbox, { pat: sandbox.patsByName['ada-read-code']! });
  for (const alias of ['ada', 'grace', 'alan', 'edsger', 'ken', 'morgan']) ids[alias] = sandbox.store.user(alias)!.id;
  keys = await tempDir('sandbox-rest-keys-');
});

afterAll(async () => {
  await sandbox?.close();
  await keys?.remove();
});

const search = (query: string, client = ada, base = VSSPS, version = '7.1') => client('GET', `${base}/_apis/identities?${query}&api-version=${version}`);

const pick = (org: string, body: Json, version = '7.1-preview.1') => ada('POST', `https://dev.azure.com/${org}/_apis/IdentityPicker/Identities?api-version=${version}`, body);

function keygen(type: string, extra: string[]): Promise<string> {
  const file = path.join(keys.dir, `id_${type}`);
  return new Promise((resolve, reject) => {
    execFile('ssh-keygen', ['-q', '-t', type, ...extra, '-N', '', '-C', `ada@${type}`, '-f', file], (err) => {
      if (err) reject(err);
      else readFile(`${file}.pub`, 'utf8').then((k) => resolve(k.trim()), reject);
    });
  });
}

const addKey = (client: ReturnType<typeof restClient>, publicData: string, validTo = new Date(Date.now() + 300 * 86_400_000).toISOString()) =>
  client('POST', `${ORG}/_apis/Contribution/HierarchyQuery?api-version=5.0-preview.1`, {
    contributionIds: [PROVIDER],
    dataProviderContext: {
      properties: { displayName: 'laptop', publicData, validTo, scope: 'app_token', isPublic: true, targetAccounts: [sandbox.store.organization('fabrikam')!.id] },
    },
  });

const listKeys = (client: ReturnType<typeof restClient>) => client('GET', `${VSSPS}/_apis/Token/SessionTokens?isPublic=true&includePublicData=true&api-version=7.0-preview.1`);

describe('identities (ims)', () => {
  it('finds a member by mail address, and by the start of the display name', async () => {
    const byMail = await search('searchFilter=General&filterValue=grace@fabrikam.test&queryMembership=None');
    expect(byMail.status).toBe(200);
    const [grace] = listOf(Identity).parse(byMail.body);
    expect(byMail.body.count).toBe(1);
    expect(grace).toMatchObject({ id: ids.grace, providerDisplayName: 'Grace Hopper', isActive: true });
    expect(byMail.body.value[0].properties.Mail).toEqual({ $type: 'System.String', $value: 'grace@fabrikam.test' });
    expect(byMail.body.value[0].descriptor).toMatch(/^Microsoft\.IdentityModel\.Claims\.ClaimsIdentity;[0-9a-f-]{36}\\grace@fabrikam\.test$/);
    const byName = await search('searchFilter=DisplayName&filterValue=Al');
    expect(byName.body.value.map((i: Json) => i.providerDisplayName)).toEqual(['Alan Turing']);
  });

  it('finds groups, looks up by ids and descriptors, and only knows the organization’s people', async () => {
    const group = await search('searchFilter=General&filterValue=Release%20Approvers');
    expect(group.body.value).toHaveLength(1);
    expect(group.body.value[0]).toMatchObject({ providerDisplayName: '[fabrikam]\\Release Approvers', isContainer: true });
    const byIds = await search(`identityIds=${ids.ada},${ids.alan!.replace(/-/g, '')}`);
    expect(byIds.body.value.map((i: Json) => i.id).toSorted()).toEqual([ids.ada, ids.alan].toSorted());
    const descriptor = byIds.body.value[0].descriptor;
    expect((await search(`descriptors=${encodeURIComponent(descriptor)}`)).body.value).toHaveLength(1);
    // Ken is in fabrikam but not in contoso; Morgan (a personal account) is in neither.
    expect((await search('searchFilter=General&filterValue=ken@fabrikam.test', ada, 'https://vssps.dev.azure.com/contoso')).body.value).toEqual([]);
    expect((await search('searchFilter=General&filterValue=morgan.personal@outlook.test')).body.value).toEqual([]);
  });

  it('answers on-prem below the collection, and refuses bad queries and missing scopes', async () => {
    const onprem = restClient(sandbox, { pat: sandbox.patsByName['ada-onprem']! });
    const res = await search('searchFilter=General&filterValue=alan@fabrikam.test', onprem, 'https://tfs.fabrikam.test/tfs/DefaultCollection', '7.0');
    expect(res.status).toBe(200);
    expect(res.body.value[0].id).toBe(ids.alan);
    expect((await search('queryMembership=None')).status).toBe(400);

    // A server in a Windows domain names its people by their Windows accounts, as Microsoft's own
    // example does (wit/7.1 githubConnections: `N202\Administrator`, `win.` + the SID in base64).
    const [alan] = res.body.value as Json[];
    expect(alan.descriptor).toMatch(/^System\.Security\.Principal\.WindowsIdentity;S-1-5-21-\d+-\d+-\d+-\d+$/);
    expect(Buffer.from(alan.subjectDescriptor.replace(/^win\./, ''), 'base64url').toString()).toBe(alan.descriptor.split(';')[1]);
    expect(alan.properties).toMatchObject({ Domain: { $value: 'FABRIKAM' }, Account: { $value: 'alan' }, Mail: { $value: 'alan@fabrikam.test' } });
    expect(alan.properties.PUID).toBeUndefined();
    const byAccount = await search(`searchFilter=AccountName&filterValue=${encodeURIComponent('FABRIKAM\\alan')}`, onprem, 'https://tfs.fabrikam.test/tfs/DefaultCollection', '7.0');
    expect(byAccount.body.value.map((i: Json) => i.id)).toEqual([ids.alan]);
    const bySubject = await search(`subjectDescriptors=${alan.subjectDescriptor}`, onprem, 'https://tfs.fabrikam.test/tfs/DefaultCollection', '7.0');
    expect(bySubject.body.value.map((i: Json) => i.id)).toEqual([ids.alan]);
    const me = await onprem('GET', 'https://tfs.fabrikam.test/tfs/DefaultCollection/_apis/connectionData');
    expect(me.body.authenticatedUser).toMatchObject({ id: ids.ada, properties: { Account: { $value: 'ada' } } });
    expect(me.body.authenticatedUser.subjectDescriptor).toMatch(/^win\./);
    // The cloud's are unchanged: Entra accounts named by their sign-in address.
    expect((await search(`identityIds=${ids.alan}`)).body.value[0]).toMatchObject({ subjectDescriptor: expect.stringMatching(/^aad\./), properties: { Account: { $value: 'alan@fabrikam.test' } } });

    const denied = await search('searchFilter=General&filterValue=ada', readOnly);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain("scope 'vso.identity'");
  });
});

describe('identity picker (undocumented)', () => {
  it('finds members with the localId a reviewer needs, and groups', async () => {
    const res = await pick('fabrikam', { query: 'gra', identityTypes: ['user', 'group'], operationScopes: ['ims', 'source'], options: { MinResults: 5, MaxResults: 40 } });
    expect(res.status).toBe(200);
    const answer = IdentityPickerAnswer.parse(res.body);
    expect(res.body.results[0].queryToken).toBe('gra');
    expect(answer.results[0]!.identities).toEqual([
      expect.objectContaining({ entityType: 'User', originDirectory: 'aad', localDirectory: 'vsd', localId: ids.grace, displayName: 'Grace Hopper', mail: 'grace@fabrikam.test', signInAddress: 'grace@fabrikam.test', samAccountName: 'grace', active: true }),
    ]);
    expect(res.body.results[0].identities[0].image).toBe(`/_api/_common/identityImage?id=${ids.grace}`);
    const groups = await pick('fabrikam', { query: 'release', identityTypes: ['group'], operationScopes: ['ims'] });
    expect(groups.body.results[0].identities.map((i: Json) => [i.entityType, i.displayName, i.originDirectory])).toEqual([['Group', '[fabrikam]\\Release Approvers', 'vsd']]);
  });

  it('finds directory people outside the organization only in the source scope, without localId', async () => {
    const both = await pick('contoso', { query: 'ken', identityTypes: ['user'], operationScopes: ['ims', 'source'] });
    expect(both.body.results[0].identities).toEqual([expect.objectContaining({ displayName: 'Ken Thompson', localId: null, originDirectory: 'aad' })]);
    const imsOnly = await pick('contoso', { query: 'ken', identityTypes: ['user'], operationScopes: ['ims'] });
    expect(imsOnly.body.results[0].identities).toEqual([]);
  });

  it('caps results at MaxResults and insists on a preview api-version', async () => {
    const capped = await pick('fabrikam', { query: 'a', identityTypes: ['user', 'group'], operationScopes: ['ims'], options: { MaxResults: 2 } });
    expect(capped.body.results[0].identities).toHaveLength(2);
    const released = await pick('fabrikam', { query: 'a' }, '7.1');
    expect(released.status).toBe(400);
    expect(released.body.typeKey).toBe('VssInvalidPreviewVersionException');
  });
});

describe('teams', () => {
  it('lists a project’s teams and a team’s members (with admins), paged', async () => {
    const project = sandbox.store.project(sandbox.store.organization('fabrikam')!, 'Platform')!;
    const res = await ada('GET', `${ORG}/_apis/projects/${project.id}/teams?api-version=7.1`);
    expect(res.status).toBe(200);
    const teams = listOf(Team).parse(res.body);
    expect(teams.map((t) => t.name)).toEqual(['Platform Core', 'Platform Team', 'Platform Web']);
    expect(res.body.value[0]).toMatchObject({ projectId: project.id, projectName: 'Platform', identityUrl: `${VSSPS}/_apis/Identities/${teams[0]!.id}` });
    const mine = await ada('GET', `${ORG}/_apis/projects/Platform/teams?$mine=true&api-version=7.1`);
    expect(mine.body.value.map((t: Json) => t.name)).toEqual(['Platform Team']);
    const page = await ada('GET', `${ORG}/_apis/projects/${project.id}/teams?$top=1&$skip=1&api-version=7.1`);
    expect(page.body.value.map((t: Json) => t.name)).toEqual(['Platform Team']);

    const team = teams.find((t) => t.name === 'Platform Team')!;
    const members = await ada('GET', `${ORG}/_apis/projects/${project.id}/teams/${team.id}/members?api-version=7.1`);
    const list = listOf(TeamMember).parse(members.body);
    expect(list.map((m) => [m.identity.displayName, m.isTeamAdmin])).toEqual([
      ['Ada Lovelace', true],
      ['Alan Turing', false],
      ['Edsger Dijkstra', false],
      ['Grace Hopper', false],
    ]);
    const byName = await ada('GET', `${ORG}/_apis/projects/Platform/teams/platform%20team/members?$top=1&api-version=7.1`);
    expect(byName.body.value.map((m: Json) => m.identity.id)).toEqual([ids.ada]);
    expect((await ada('GET', `${ORG}/_apis/projects/Platform/teams/No%20Such%20Team/members?api-version=7.1`)).status).toBe(404);
  });
});

describe('SSH public keys (undocumented)', () => {
  let bearer: ReturnType<typeof restClient>;
  let rsaKey: string;
  let ed25519Key: string;

  beforeAll(async () => {
    bearer = restClient(sandbox, { bearer: (await entraSignIn(sandbox, 'ada')).accessToken });
    rsaKey = await keygen('rsa', ['-b', '2048']);
    ed25519Key = await keygen('ed25519', []);
  });


  it('adds an RSA key with an OAuth token and lists it', async () => {
    const res = await addKey(bearer, rsaKey);
    expect(res.status).toBe(200);
    const created = SshKey.parse(res.body.dataProviders[PROVIDER]);
    expect(created).toMatchObject({ displayName: 'laptop', publicData: rsaKey, isPublic: true, isValid: true });
    const listed = await listKeys(bearer);
    expect(listed.status).toBe(200);
    expect(listOf(SshKey).parse(listed.body).map((k) => [k.authorizationId, k.publicData])).toEqual([[created.authorizationId, rsaKey]]);
    const withoutData = await bearer('GET', `${VSSPS}/_apis/Token/SessionTokens?isPublic=true&api-version=7.0-preview.1`);
    expect(withoutData.body.value[0].publicData).toBeNull();
  });

  it('refuses non-RSA keys, duplicates and keys valid for more than a year, as provider exceptions', async () => {
    const ed = await addKey(bearer, ed25519Key);
    expect(ed.status).toBe(200);
    expect(ed.body.dataProviders[PROVIDER]).toBeUndefined();
    expect(ed.body.dataProviderExceptions[PROVIDER].message).toBe('Key must be Base64 encoded with OpenSSH format and RSA type. Valid keys will start with ssh-rsa');
    const twice = await addKey(bearer, rsaKey);
    expect(twice.body.dataProviderExceptions[PROVIDER].message).toContain('already exists');
    const tooLong = await addKey(bearer, rsaKey.replace('ada@rsa', 'other'), new Date(Date.now() + 800 * 86_400_000).toISOString());
    expect(tooLong.body.dataProviderExceptions[PROVIDER].message).toContain('one year');
    expect(sandbox.store.sshKeys.size).toBe(1);
  });

  it('refuses PATs (even full-access ones) with 401, for adding and for listing', async () => {
    for (const res of [await addKey(ada, rsaKey), await listKeys(ada)]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ message: 'The requested operation is not allowed.', typeKey: 'InvalidAccessException' });
    }
    // Organizations that turned third-party OAuth off refuse the bearer token too.
    const contoso = await bearer('GET', 'https://vssps.dev.azure.com/contoso/_apis/Token/SessionTokens?isPublic=true&api-version=7.0-preview.1');
    expect(contoso.status).toBe(401);
    expect(contoso.body.message).toMatch(/^TF400813: /);
  });
});
