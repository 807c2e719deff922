import { describe, expect, it } from 'vitest';
import { createProfileStore, memoryKeyValue } from '../../src/background/profile-store';
import { clonePathSegments, orgBaseUrl, Profile, profileForPage, sshHosts } from '../../src/shared/profile';
import { parseAdoUrl } from '../../src/shared/ado/urls';
import { folderSegments } from '../../src/host/destination';

const profile = (over: Partial<Profile> & Pick<Profile, 'id' | 'organization'>): Profile =>
  Profile.parse({ name: over.organization, host: { kind: 'cloud' }, auth: 'pat', ...over });

/** The folder a repository of this name is cloned into, by itself. */
const repoFolder = (repo: string) => clonePathSegments('{repo}', { org: 'o', project: 'p', repo })[0];

const page = (u: string) => parseAdoUrl(u, { onPremHosts: ['tfs.fabrikam.test'] })!;

describe('profile model', () => {
  it('derives the REST base for cloud and on-prem', () => {
    expect(orgBaseUrl(profile({ id: 'a', organization: 'fabrikam' }))).toBe('https://dev.azure.com/fabrikam');
    expect(
      orgBaseUrl(profile({ id: 'b', organization: 'DefaultCollection', host: { kind: 'onprem', collectionUrl: 'https://tfs.fabrikam.test/tfs/DefaultCollection/' } })),
    ).toBe('https://tfs.fabrikam.test/tfs/DefaultCollection');
  });

  it('expands the folder layout into safe segments', () => {
    expect(clonePathSegments('{org}/{project}/{repo}', { org: 'fabrikam', project: 'Fabrikam Fiber', repo: 'web:app' })).toEqual([
      'fabrikam',
      'Fabrikam Fiber',
      'web_app',
    ]);
    expect(clonePathSegments('{org}/../{repo}', { org: 'o', project: 'p', repo: '..' })).toEqual(['o']);
  });

  it('makes every name Azure DevOps accepts a folder the companion accepts, keeping it recognizable', () => {
    const awkward = ['-legacy', '.github', 'tools~1', 'LONGNA~12.TXT', 'aux.service', 'AUX', 'nul .txt', 'com1', 'LPT\u00b9.x', 'conin$', 'release.', 'a<b>c', 'tab\there', ' padded ', 'plain-name'];
    for (const name of awkward) {
      const segments = clonePathSegments('{org}/{project}/{repo}', { org: name, project: name, repo: name });
      expect(segments).toHaveLength(3);
      expect(folderSegments(segments.join('/'))).toEqual(segments);
    }
    expect(['-legacy', 'tools~1', 'aux.service', 'release.', 'plain-name'].map(repoFolder)).toEqual(['_-legacy', 'tools~_1', 'aux_.service', 'release._', 'plain-name']);
  });

  it('picks the profile of the page organization, preferring the active one', () => {
    const all = [
      profile({ id: 'f1', organization: 'fabrikam' }),
      profile({ id: 'c1', organization: 'contoso' }),
      profile({ id: 'f2', organization: 'Fabrikam' }),
      profile({ id: 't', organization: 'DefaultCollection', host: { kind: 'onprem', collectionUrl: 'https://tfs.fabrikam.test/tfs/DefaultCollection' } }),
    ];
    expect(profileForPage(all, page('https://dev.azure.com/contoso/Web/_git/site'))?.id).toBe('c1');
    expect(profileForPage(all, page('https://fabrikam.visualstudio.com/Platform/_git/Platform'), 'f2')?.id).toBe('f2');
    expect(profileForPage(all, page('https://tfs.fabrikam.test/tfs/DefaultCollection/Platform/_git/x'))?.id).toBe('t');
    expect(profileForPage(all, page('https://dev.azure.com/northwind/x/_git/y'))).toBeUndefined();
  });
});

describe('profile store', () => {
  it('keeps secrets apart from profiles and removes both together', async () => {
    const kv = memoryKeyValue();
    const store = createProfileStore(kv);
    await store.save(profile({ id: 'p1', organization: 'fabrikam' }), { kind: 'pat', pat: 'secret-pat' });
    await store.save(profile({ id: 'p2', organization: 'contoso' }), { kind: 'pat', pat: 'other' });
    expect(JSON.stringify(kv.data.get('profiles'))).not.toContain('secret-pat');
    expect(await store.secret('p1')).toEqual({ kind: 'pat', pat: 'secret-pat' });
    expect(await store.activeId()).toBe('p1');
    await store.setActive('p2');
    expect(await store.activeId()).toBe('p2');
    await store.remove('p2');
    expect(await store.activeId()).toBe('p1');
    expect(await store.secret('p2')).toBeUndefined();
    await expect(store.setActive('nope')).rejects.toThrow();
  });

  it('keeps tokens in their own store, never with the profiles', async () => {
    const local = memoryKeyValue();
    const secrets = memoryKeyValue();
    const store = createProfileStore(local, secrets);
    await store.save(profile({ id: 'p1', organization: 'fabrikam' }), { kind: 'pat', pat: 'secret-pat' });
    await store.setSecret('p1', { kind: 'pat', pat: 'renewed-pat' });
    expect(JSON.stringify([...local.data])).not.toContain('-pat');
    expect(await store.secret('p1')).toEqual({ kind: 'pat', pat: 'renewed-pat' });
    await store.remove('p1');
    expect(await store.secret('p1')).toBeUndefined();
    expect(secrets.data.size).toBe(0);
  });

  it('writes no renewed token for a profile removed while the renewal ran, so none comes back with a profile of that id', async () => {
    const secrets = memoryKeyValue();
    const store = createProfileStore(memoryKeyValue(), secrets);
    const p1 = profile({ id: 'p1', organization: 'fabrikam' });
    await store.save(p1, { kind: 'oauth', accessToken: 'access', refreshToken: 'refresh', expiresAt: 1 });
    await store.remove('p1');
    // The refresh that was under way ends now.
    await store.setSecret('p1', { kind: 'oauth', accessToken: 'renewed', refreshToken: 'renewed-refresh', expiresAt: 2 });
    expect(secrets.data.size).toBe(0);
    // An export made before the removal, imported again: a profile without a token.
    await store.save(Profile.parse({ ...p1, host: { kind: 'onprem', collectionUrl: 'https://evil.example/tfs/fabrikam' } }));
    expect(await store.secret('p1')).toBeUndefined();
  });

  it('gives no token to a profile moved to another server after it was saved, renewed or not', async () => {
    const local = memoryKeyValue();
    const store = createProfileStore(local, memoryKeyValue());
    await store.save(profile({ id: 'p1', organization: 'fabrikam' }), { kind: 'oauth', accessToken: 'access', refreshToken: 'refresh', expiresAt: 1 });
    await store.setSecret('p1', { kind: 'oauth', accessToken: 'renewed', refreshToken: 'refresh', expiresAt: 2 });
    expect(await store.secret('p1')).toMatchObject({ accessToken: 'renewed' });
    // What a content script could do to send the token to its own server while profiles were in storage.local (Firefox).
    const moved = { ...profile({ id: 'p1', organization: 'fabrikam' }), host: { kind: 'onprem', collectionUrl: 'https://evil.example/tfs/fabrikam' } };
    await local.set({ profiles: [moved] });
    expect(await store.secret('p1')).toBeUndefined();
    await store.setSecret('p1', { kind: 'oauth', accessToken: 'again', refreshToken: 'refresh', expiresAt: 3 });
    expect(await store.secret('p1')).toBeUndefined();
    // Saved again for that server by the user (Options), it is that server's.
    await store.save(Profile.parse(moved), { kind: 'pat', pat: 'for-the-server' });
    expect(await store.secret('p1')).toEqual({ kind: 'pat', pat: 'for-the-server' });
  });

  it('saves an edited profile in its place, so the first (active when none is chosen) stays first', async () => {
    const kv = memoryKeyValue();
    const store = createProfileStore(kv);
    await store.save(profile({ id: 'p1', organization: 'fabrikam' }));
    await store.save(profile({ id: 'p2', organization: 'contoso' }));
    await store.save(profile({ id: 'p1', organization: 'fabrikam', cloneRoot: '/home/ada/work' }));
    expect((await store.list()).map((p) => [p.id, p.cloneRoot])).toEqual([
      ['p1', '/home/ada/work'],
      ['p2', undefined],
    ]);
    expect(await store.activeId()).toBe('p1');
  });

  it('gives the profiles and the active one from one storage read', async () => {
    const kv = memoryKeyValue();
    const store = createProfileStore(kv);
    await store.save(profile({ id: 'p1', organization: 'fabrikam' }));
    await store.save(profile({ id: 'p2', organization: 'contoso' }));
    await store.setActive('p2');
    let reads = 0;
    const get = kv.get.bind(kv);
    kv.get = (keys) => (reads++, get(keys));
    const { profiles, activeId } = await store.snapshot();
    expect(profiles.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(activeId).toBe('p2');
    expect(reads).toBe(1);
  });
});

const cloud = { host: { kind: 'cloud' as const } };
const server = (collectionUrl: string) => ({ host: { kind: 'onprem' as const, collectionUrl } });

describe('sshHosts', () => {

  it('names the cloud pair when a profile is in the cloud or there is none, and each server by its host name alone', () => {
    expect(sshHosts([])).toEqual(['ssh.dev.azure.com', 'vs-ssh.visualstudio.com']);
    expect(sshHosts([cloud, cloud])).toEqual(['ssh.dev.azure.com', 'vs-ssh.visualstudio.com']);
    // A server's web port is not its SSH port: ssh's Host matches the name, the clone URL gives the port.
    expect(sshHosts([server('https://TFS.Contoso.com:8443/tfs/DefaultCollection'), server('https://tfs.contoso.com/tfs/Other'), cloud])).toEqual([
      'ssh.dev.azure.com',
      'vs-ssh.visualstudio.com',
      'tfs.contoso.com',
    ]);
    expect(sshHosts([server('https://tfs.contoso.com/tfs/DefaultCollection'), server('http://ado.fabrikam.test:8080/DefaultCollection')])).toEqual([
      'tfs.contoso.com',
      'ado.fabrikam.test',
    ]);
  });
});
