import { describe, expect, it } from 'vitest';
import { clientFor, SignedOutError } from '../../src/background/connections';
import { createProfileStore, memoryKeyValue } from '../../src/background/profile-store';
import { listGroups, removeGroup, saveGroup } from '../../src/background/reviewer-groups';
import { findPerson } from '../../src/background/handlers/people';
import { rankAuthors, reasonFor, suggestReviewers, type FileChange } from '../../src/background/suggest-reviewers';
import type { AdoClient } from '../../src/shared/ado/client';
import type { Person } from '../../src/shared/messages';
import { Profile } from '../../src/shared/profile';
import { scriptedFetch } from './ado-fake-fetch';
import { findOperation, loadSpec, exampleAnswer } from './ado-spec-helpers';

const now = Date.parse('2026-08-20T12:00:00Z');
const daysAgo = (n: number) => new Date(now - n * 86_400_000).toISOString();
const change = (path: string, name: string, email: string | undefined, days: number): FileChange => ({ path, author: { name, email }, date: daysAgo(days) });

describe('rankAuthors', () => {
  it('puts people who touched more of the changed files first, then the most recent', () => {
    const ranked = rankAuthors([
      change('/src/api.ts', 'Grace Hopper', 'grace@fabrikam.test', 10),
      change('/src/api.ts', 'Alan Turing', 'alan@fabrikam.test', 2),
      change('/src/db.ts', 'Grace Hopper', 'GRACE@fabrikam.test', 3),
      change('/README.md', 'Edsger Dijkstra', 'edsger@fabrikam.test', 1),
      change('/src/db.ts', 'Grace Hopper', 'grace@fabrikam.test', 30),
    ]);
    expect(ranked.map((c) => [c.name, c.files, c.latest.path])).toEqual([
      ['Grace Hopper', 2, '/src/db.ts'],
      ['Edsger Dijkstra', 1, '/README.md'],
      ['Alan Turing', 1, '/src/api.ts'],
    ]);
  });

  it('tells apart authors without an e-mail by name', () => {
    const ranked = rankAuthors([change('/a', 'Ken', undefined, 1), change('/b', 'ken', undefined, 2), change('/c', 'Donald', undefined, 1)]);
    expect(ranked.map((c) => [c.name, c.files])).toEqual([
      ['Ken', 2],
      ['Donald', 1],
    ]);
  });
});

describe('reasonFor', () => {
  it('names the latest file and when, and how many more', () => {
    expect(reasonFor({ name: 'G', files: 1, latest: { path: '/src/api.ts', date: daysAgo(3) } }, now)).toBe('changed src/api.ts 3 days ago');
    expect(reasonFor({ name: 'G', files: 3, latest: { path: '/db.ts', date: daysAgo(1) } }, now)).toBe('changed db.ts yesterday, and 2 other changed files');
    expect(reasonFor({ name: 'G', files: 2, latest: { path: '/db.ts', date: daysAgo(40) } }, now)).toBe('changed db.ts 1 month ago, and 1 other changed file');
  });
});

describe('suggestReviewers', () => {
  const people: Record<string, Person> = {
    'grace@fabrikam.test': { id: 'g1', displayName: 'Grace Hopper', mail: 'grace@fabrikam.test' },
    'alan@fabrikam.test': { id: 'a1', displayName: 'Alan Turing', mail: 'alan@fabrikam.test' },
    'ada@fabrikam.test': { id: 'me', displayName: 'Ada Lovelace', mail: 'ada@fabrikam.test' },
  };
  const history: Record<string, FileChange[]> = {
    '/src/api.ts': [change('/src/api.ts', 'Ada Lovelace', 'ada@fabrikam.test', 1), change('/src/api.ts', 'Alan Turing', 'alan@fabrikam.test', 3)],
    '/src/db.ts': [change('/src/db.ts', 'Grace Hopper', 'grace@fabrikam.test', 5), change('/src/db.ts', 'Stranger', 'who@elsewhere.test', 1)],
    '/src/new.ts': [],
  };
  const deps = (asked: string[] = []) => ({
    now,
    commitsOf: async (p: string) => {
      asked.push(p);
      return history[p] ?? [];
    },
    identityOf: async (a: { email?: string | undefined }) => (a.email ? people[a.email] : undefined),
  });

  it('suggests the people who changed these files, with a reason, leaving out the author and unknown people', async () => {
    const found = await suggestReviewers(['/src/api.ts', '/src/db.ts', '/src/new.ts'], { id: 'me', email: 'ada@fabrikam.test' }, deps());
    expect(found).toEqual([
      { id: 'a1', displayName: 'Alan Turing', mail: 'alan@fabrikam.test', reason: 'changed src/api.ts 3 days ago' },
      { id: 'g1', displayName: 'Grace Hopper', mail: 'grace@fabrikam.test', reason: 'changed src/db.ts 5 days ago' },
    ]);
  });

  it('leaves the author out by identity when no e-mail is known, and keeps to the limits', async () => {
    const asked: string[] = [];
    const found = await suggestReviewers(['/src/api.ts', '/src/db.ts', '/src/new.ts'], { id: 'me' }, deps(asked), { limit: 1, maxPaths: 2 });
    expect(found.map((s) => s.id)).toEqual(['a1']);
    expect(asked).toEqual(['/src/api.ts', '/src/db.ts']);
  });
});

const oauthConfig = async () => ({ clientId: '', tenant: 'organizations', authority: 'https://login.microsoftonline.com' });

describe('changedPaths', () => {
  const profile = Profile.parse({ id: 'p1', name: 'fabrikam', host: { kind: 'cloud' }, organization: 'fabrikam', auth: 'pat' });
  const changedPaths = (store: ReturnType<typeof createProfileStore>, fetch: typeof globalThis.fetch, source: string, target: string, project = 'P') =>
    clientFor(profile, { store, fetch, now: () => now, oauthConfig }).changedPaths({ project, repositoryId: 'r1' }, source, target);

  it('asks for the diff since the merge base and answers the files (not folders) it lists', async () => {
    const op = findOperation([loadSpec('git/7.1/git.json')], 'GET', '/{organization}/{project}/_apis/git/repositories/{repositoryId}/diffs/commits')!;
    const example = exampleAnswer(op);
    const { fetch, sent } = scriptedFetch(() => new Response(JSON.stringify(example.body), { status: 200, headers: { 'content-type': 'application/json' } }));
    const store = createProfileStore(memoryKeyValue());
    await store.save(profile, { kind: 'pat', pat: 'secret-pat-0123456789' });
    const paths = await changedPaths(store, fetch, 'refs/heads/feature/x', 'main', 'My Project');

    const url = sent[0]!.url;
    expect(url.pathname).toBe('/fabrikam/My%20Project/_apis/git/repositories/r1/diffs/commits');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      baseVersion: 'main',
      baseVersionType: 'branch',
      targetVersion: 'feature/x',
      targetVersionType: 'branch',
      diffCommonCommit: 'true',
      'api-version': '7.1',
    });
    expect(sent[0]!.headers.get('authorization')).toBe(`Basic ${btoa(':secret-pat-0123456789')}`);
    const body = example.body as { changes: { item: { path: string; isFolder?: boolean } }[] };
    const files = body.changes.filter((c) => !c.item.isFolder).map((c) => c.item.path);
    expect(files.length).toBeGreaterThan(0);
    expect(paths).toEqual(files);
  });

  it('fails as unauthorized, sending nothing, when the profile has lost its credential', async () => {
    const { fetch, sent } = scriptedFetch();
    const store = createProfileStore(memoryKeyValue());
    const failure = await changedPaths(store, fetch, 'a', 'b').catch((e: unknown) => e);
    expect(failure).toMatchObject({ kind: 'unauthorized', what: 'compare the branches' });
    expect((failure as Error).cause).toBeInstanceOf(SignedOutError);
    expect(sent).toHaveLength(0);
  });
});

const member = (id: string): Person => ({ id, displayName: id.toUpperCase() });

describe('reviewer groups', () => {
  it('keeps groups per profile and project, without repeating a person', async () => {
    const kv = memoryKeyValue();
    let n = 0;
    const newId = () => `g${++n}`;
    const web = await saveGroup(kv, 'p1', { project: 'Platform', name: 'Web', members: [member('a'), member('b'), member('a')] }, newId);
    expect(web).toEqual({ id: 'g1', profileId: 'p1', project: 'Platform', name: 'Web', members: [member('a'), member('b')] });
    await saveGroup(kv, 'p1', { project: 'Mobile', name: 'Apps', members: [member('c')] }, newId);
    await saveGroup(kv, 'p2', { project: 'Platform', name: 'Other org', members: [member('d')] }, newId);

    expect((await listGroups(kv, 'p1')).map((g) => g.name)).toEqual(['Apps', 'Web']);
    expect((await listGroups(kv, 'p1', 'platform')).map((g) => g.name)).toEqual(['Web']);
    expect((await listGroups(kv, 'p2')).map((g) => g.name)).toEqual(['Other org']);

    const renamed = await saveGroup(kv, 'p1', { id: 'g1', project: 'Platform', name: 'Web team', members: [member('b')] }, newId);
    expect(renamed.id).toBe('g1');
    expect((await listGroups(kv, 'p1', 'Platform')).map((g) => [g.name, g.members.length])).toEqual([['Web team', 1]]);

    expect((await removeGroup(kv, 'g1')).map((g) => g.name)).toEqual(['Apps']);
    expect(await removeGroup(kv, 'nope')).toEqual([]);
  });

  it('refuses a second group of the same name in a project, and editing a removed one', async () => {
    const kv = memoryKeyValue();
    await saveGroup(kv, 'p1', { project: 'Platform', name: 'Web', members: [member('a')] }, () => 'g1');
    await expect(saveGroup(kv, 'p1', { project: 'platform', name: 'WEB', members: [member('b')] }, () => 'g2')).rejects.toThrow(/already exists/);
    await expect(saveGroup(kv, 'p1', { id: 'gone', project: 'Platform', name: 'X', members: [member('b')] }, () => 'g3')).rejects.toThrow(/no longer exists/);
  });
});

/** An organization's picker: people found by any part of their name or e-mail, as the web UI's search finds them. */
const picker = (people: { id: string; displayName: string; mail?: string }[]) => {
  const asked: string[] = [];
  const api = {
    async searchPeople(query: string) {
      asked.push(query);
      const q = query.toLowerCase();
      return people
        .filter((p) => p.displayName.toLowerCase().includes(q) || p.mail?.toLowerCase().includes(q))
        .map((p) => ({ entityId: p.id, entityType: 'User', localId: p.id, displayName: p.displayName, ...(p.mail ? { mail: p.mail } : {}) }));
    },
  } as unknown as AdoClient;
  return { api, asked };
};

describe('findPerson', () => {
  it('finds a commit author by e-mail, and by name when the directory does not know that e-mail', async () => {
    // A server's Windows account (N202\Administrator in Microsoft's own example) with no e-mail, and a cloud one with one.
    const { api, asked } = picker([{ id: 'w1', displayName: 'Grace Hopper' }, { id: 'c1', displayName: 'Alan Turing', mail: 'alan@fabrikam.test' }]);
    expect(await findPerson(api, { name: 'Alan Turing', email: 'alan@fabrikam.test' })).toMatchObject({ id: 'c1' });
    expect(asked).toEqual(['alan@fabrikam.test']);
    expect(await findPerson(api, { name: 'Grace Hopper', email: 'grace@users.noreply.example' })).toMatchObject({ id: 'w1' });
    expect(asked.slice(1)).toEqual(['grace@users.noreply.example', 'Grace Hopper']);
    expect(await findPerson(api, { name: 'Nobody Here', email: 'nobody@example.test' })).toBeUndefined();
  });
});
