import { beforeAll, describe, expect, it } from 'vitest';
import { indexRepos } from '../../src/popup/repo-search';
import { listRows, snapshotList, snapshotOf, statusLine } from '../../src/popup/repositories-tab';
import { loadSearch } from '../../src/popup/search-loader';
import { readSnapshot, SNAPSHOT_ROWS, writeSnapshot, type Snapshot } from '../../src/popup/snapshot';
import { listedProfiles, type OrgRepos } from '../../src/popup/use-repos';
import { pruneSnapshot } from '../../src/popup/prune-snapshot';
import type { RepoSummary } from '../../src/shared/messages';
import { Profile } from '../../src/shared/profile';

const profile = (id: string, organization: string, extra: Partial<Profile> = {}): Profile =>
  Profile.parse({ id, name: `${id} (${organization})`, host: { kind: 'cloud' }, organization, auth: 'pat', ...extra });

const repo = (org: string, name: string, project = 'Core'): RepoSummary => ({
  id: `${org}-${name}`,
  name,
  project: { id: `${org}-${project}`, name: project },
  webUrl: `https://dev.azure.com/${org}/${project}/_git/${name}`,
  remoteUrl: `https://${org}@dev.azure.com/${org}/${project}/_git/${name}`,
  sshUrl: `git@ssh.dev.azure.com:v3/${org}/${project}/${name}`,
  defaultBranch: 'refs/heads/main',
  size: 1234,
});

/** An organization's list as `useOrgRepos` gives it (the index built at once). */
function orgRepos(p: Profile, items: RepoSummary[], fetchedAt = 1_000): OrgRepos {
  const listing = { items, fetchedAt, stale: false, profileId: p.id };
  const index = indexRepos(items);
  return { profile: p, repos: { listing, index: () => index, refreshing: false, refresh: () => undefined } };
}
const asRows = (orgs: OrgRepos[]) => orgs.map((o) => ({ org: { id: o.profile.id, organization: o.profile.organization, profile: o.profile }, repos: o.repos }));

class MemoryStorage {
  items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

const ada = profile('ada', 'contoso');
const bob = profile('bob', 'fabrikam');
const adaAgain = profile('ada-2', 'Contoso');
const server = profile('srv', 'DefaultCollection', { host: { kind: 'onprem', collectionUrl: 'https://tfs.example.test/tfs/DefaultCollection' } });

describe('the organizations the popup lists', () => {
  it('lists each organization once, the active profile first and for its own organization', () => {
    expect(listedProfiles([ada, bob, adaAgain], 'bob').map((p) => p.id)).toEqual(['bob', 'ada']);
    expect(listedProfiles([ada, bob, adaAgain], 'ada-2').map((p) => p.id)).toEqual(['ada-2', 'bob']);
    expect(listedProfiles([ada, server, bob], 'ada').map((p) => p.id)).toEqual(['ada', 'srv', 'bob']);
  });
});

describe('rows before the search code has loaded (it loads after the first frame)', () => {
  it('says it is searching instead of finding nothing, and lists with nothing typed', () => {
    const contoso = orgRepos(ada, [repo('contoso', 'api')]);
    expect(listRows(asRows([contoso]), 'api')).toEqual({ rows: [], total: 0, searching: true });
    expect(listRows(asRows([contoso]), '').rows).toHaveLength(1);
  });
});

describe('rows over several organizations', () => {

  const contoso = orgRepos(ada, [repo('contoso', 'api'), repo('contoso', 'web')]);
  const fabrikam = orgRepos(bob, [repo('fabrikam', 'fiber-web', 'Fiber'), repo('fabrikam', 'mobile', 'Fiber')]);

  beforeAll(async () => {
    await loadSearch();
  });

  it('lists one organization after the other with nothing typed, each row with its organization and profile', () => {
    const { rows, total } = listRows(asRows([contoso, fabrikam]), '');
    expect(total).toBe(4);
    expect(rows.map((r) => [r.org.organization, r.repo.name])).toEqual([
      ['contoso', 'api'],
      ['contoso', 'web'],
      ['fabrikam', 'fiber-web'],
      ['fabrikam', 'mobile'],
    ]);
    expect(rows[2]!.org.profile).toBe(bob);
  });

  it('searches every organization at once, and a row chosen to clone carries the profile of its organization', () => {
    const { rows, total } = listRows(asRows([contoso, fabrikam]), 'web');
    expect(total).toBe(2);
    expect(rows.map((r) => [r.repo.name, r.org.profile?.id])).toEqual([
      ['web', 'ada'],
      ['fiber-web', 'bob'],
    ]);
  });

  it('filtered to one organization, shows and counts only its repositories', () => {
    const only = asRows([contoso, fabrikam]).filter((o) => o.org.id === 'bob');
    expect(listRows(only, 'web').rows.map((r) => r.repo.name)).toEqual(['fiber-web']);
    expect(listRows(only, '').total).toBe(2);
  });

  it('skips an organization whose list is not read (or failed) and lists the others', () => {
    const failed: OrgRepos = { profile: bob, repos: { index: () => [], refreshing: false, refresh: () => undefined } };
    expect(listRows(asRows([failed, contoso]), '').rows.map((r) => r.repo.name)).toEqual(['api', 'web']);
  });
});

/** What the first frame draws of a snapshot: each row's organization, the count, the organizations counted. */
const named = (shown: ReturnType<typeof snapshotList>) => ({ rows: shown.rows.map((r) => r.org.id), total: shown.total, organizations: shown.organizations });
const times = (n: number, id: string) => Array.from({ length: n }, () => id);
/** What the first frame draws of `snapshot` once these profiles are read. */
const drawn = (snapshot: Snapshot, profiles: Profile[]) => named(snapshotList(snapshot, profiles.map((p) => ({ id: p.id, organization: p.organization, profile: p })), ''));
const many = (org: string, n: number) => Array.from({ length: n }, (_, i) => repo(org, `repo-${String(i).padStart(2, '0')}`));

describe('the first frame snapshot', () => {
  const lists = [orgRepos(ada, many('contoso', 5), 2_000), orgRepos(bob, many('fabrikam', 30), 1_500)];

  it('holds the first rows as the full lists draw them, and the status line figures', () => {
    const snapshot = snapshotOf([ada, bob], 'ada', lists)!;
    expect(snapshot.rows).toHaveLength(SNAPSHOT_ROWS);
    expect(snapshot.listed).toEqual([
      { id: 'ada', total: 5 },
      { id: 'bob', total: 30 },
    ]);
    const live = listRows(asRows(lists), '').rows.slice(0, SNAPSHOT_ROWS);
    // The reconcile: the live list's first screen is the snapshot, row for row, organization for organization.
    expect(snapshot.rows.map((r) => [snapshot.listed[r.list]!.id, r.repo.id])).toEqual(live.map((r) => [r.org.id, r.repo.id]));
    const orgs = [ada, bob].map((p) => ({ id: p.id, organization: p.organization, profile: p }));
    expect(snapshotList(snapshot, orgs, '')).toMatchObject({ total: 35, organizations: 2 });
  });

  it('draws each snapshot row with its own organization once the profiles are read, whatever their order', () => {
    // Last time only bob's list was read (ada's failed), so the snapshot's lists are [bob].
    const snapshot = snapshotOf([ada, bob], 'ada', [{ ...lists[0]!, repos: { ...lists[0]!.repos, listing: undefined } }, lists[1]!])!;
    expect(snapshot.listed).toEqual([{ id: 'bob', total: 30 }]);
    const orgs = [ada, bob].map((p) => ({ id: p.id, organization: p.organization, profile: p }));
    const { rows } = snapshotList(snapshot, orgs, '');
    expect(rows).toHaveLength(SNAPSHOT_ROWS);
    expect(new Set(rows.map((r) => r.org.id))).toEqual(new Set(['bob']));
    expect(snapshotList(snapshot, orgs, 'ada').rows).toEqual([]);
    // A profile removed since: its rows go rather than borrow another organization.
    expect(snapshotList(snapshot, orgs.slice(0, 1), '').rows).toEqual([]);
  });

  it('counts only the lists whose rows it draws: a removed profile’s list leaves the count with its rows', () => {
    // Ada's 5 rows, then bob's first 7 of 30.
    const snapshot = snapshotOf([ada, bob], 'ada', lists)!;
    const orgs = [ada, bob].map((p) => ({ id: p.id, organization: p.organization, profile: p }));

    expect(named(snapshotList(snapshot, orgs, ''))).toEqual({ rows: [...times(5, 'ada'), ...times(7, 'bob')], total: 35, organizations: 2 });
    // Bob's profile removed since the snapshot was kept: ada's rows, ada's count, one organization.
    expect(named(snapshotList(snapshot, orgs.slice(0, 1), ''))).toEqual({ rows: times(5, 'ada'), total: 5, organizations: 1 });
    // Filtered to bob: his rows and his whole list's count, not only the rows the snapshot holds.
    expect(named(snapshotList(snapshot, orgs, 'bob'))).toEqual({ rows: times(7, 'bob'), total: 30, organizations: 1 });
    // What the status line then says, as the full list will.
    expect(statusLine({ count: snapshotList(snapshot, orgs.slice(0, 1), '').total, organizations: 1, fetchedAt: undefined, refreshing: false }, 5, '')).toBe('5 repositories');
  });

  it('keeps names, projects, organizations and web URLs only: no clone URLs, identities or anything else', () => {
    const withIdentity = { ...ada, identity: { id: 'i', displayName: 'Ada Lovelace', uniqueName: 'ada@contoso.test' } };
    const snapshot = snapshotOf([withIdentity, bob], 'ada', lists)!;
    const text = JSON.stringify(snapshot);
    expect(text).not.toContain('ada@contoso.test');
    expect(text).not.toContain('ssh.dev.azure.com');
    expect(text).not.toContain('contoso@dev.azure.com');
    expect(Object.keys(snapshot.rows[0]!.repo).toSorted()).toEqual(['id', 'name', 'project', 'webUrl']);
    expect(snapshot.profiles[0]).toEqual({ id: 'ada', name: 'ada (contoso)', organization: 'contoso' });
  });

  it('is read back as written, synchronously, and anything else reads as none', () => {
    const storage = new MemoryStorage();
    expect(readSnapshot(storage)).toBeUndefined();
    const snapshot = snapshotOf([ada, bob], 'bob', lists)!;
    writeSnapshot(storage, snapshot);
    expect(readSnapshot(storage)).toEqual(snapshot);

    const broken = (change: (s: Snapshot) => unknown) => {
      storage.setItem('popup.snapshot', JSON.stringify(change(structuredClone(snapshot))));
      return readSnapshot(storage);
    };
    expect(broken((s) => ({ ...s, format: 1 }))).toBeUndefined();
    expect(broken((s) => ({ ...s, html: 5 }))).toBeUndefined();
    expect(broken((s) => ({ ...s, activeId: 'nobody' }))).toBeUndefined();
    expect(broken((s) => ({ ...s, listed: [...s.listed, { id: 'nobody', total: 1 }] }))).toBeUndefined();
    expect(broken((s) => ({ ...s, listed: s.listed.map((l) => l.id) }))).toBeUndefined();
    expect(broken((s) => ({ ...s, listed: [{ id: 'ada', total: -1 }] }))).toBeUndefined();
    expect(broken((s) => ({ ...s, rows: [{ list: 5, repo: s.rows[0]!.repo }] }))).toBeUndefined();
    expect(broken((s) => ({ ...s, rows: [{ list: 0, repo: { id: 'x' } }] }))).toBeUndefined();
    storage.setItem('popup.snapshot', '{not json');
    expect(readSnapshot(storage)).toBeUndefined();
  });

  it('a storage that refuses loses only the head start', () => {
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(readSnapshot(refusing)).toBeUndefined();
    expect(() => writeSnapshot(refusing, snapshotOf([ada], 'ada', [lists[0]!])!)).not.toThrow();
  });

  describe('pruned when the popup reads the profiles, of those removed since (by whatever removed them)', () => {
    // Ada's 3 rows, bob's 4, the server's 3; ada-2 is in the switcher only (ada's organization).
    const three = [orgRepos(ada, many('contoso', 3)), orgRepos(bob, many('fabrikam', 4)), orgRepos(server, many('tfs', 3))];
    const kept = () => {
      const storage = new MemoryStorage();
      const snapshot = { ...snapshotOf([ada, adaAgain, bob, server], 'ada', three)!, html: '<p>bob’s rows</p>', version: '1.0.0' };
      writeSnapshot(storage, snapshot);
      return { storage, snapshot };
    };

    it('loses a removed profile’s rows, count and name, and the markup that showed them; the rest draws as before', () => {
      const { storage, snapshot } = kept();
      expect(drawn(snapshot, [ada, adaAgain, bob, server])).toEqual({ rows: [...times(3, 'ada'), ...times(4, 'bob'), ...times(3, 'srv')], total: 10, organizations: 3 });
      pruneSnapshot(storage, snapshot, ['ada', 'ada-2', 'srv']);
      const pruned = readSnapshot(storage)!;
      expect(pruned.profiles.map((p) => p.id)).toEqual(['ada', 'ada-2', 'srv']);
      expect(pruned.activeId).toBe('ada');
      expect(pruned.listed).toEqual([
        { id: 'ada', total: 3 },
        { id: 'srv', total: 3 },
      ]);
      expect(JSON.stringify(pruned)).not.toContain('fabrikam');
      expect(pruned.html).toBeUndefined();
      expect(pruned.version).toBeUndefined();
      // The server's rows still name the server's list, which is now the second.
      expect(drawn(pruned, [ada, adaAgain, server])).toEqual({ rows: [...times(3, 'ada'), ...times(3, 'srv')], total: 6, organizations: 2 });
    });

    it('loses a removed profile the list did not cover from the switcher only', () => {
      const { storage, snapshot } = kept();
      pruneSnapshot(storage, snapshot, ['ada', 'bob', 'srv']);
      const pruned = readSnapshot(storage)!;
      expect(pruned.profiles.map((p) => p.id)).toEqual(['ada', 'bob', 'srv']);
      expect(pruned.listed).toEqual(snapshot.listed);
      expect(pruned.rows).toEqual(snapshot.rows);
    });

    it('goes whole with its active profile: its list came first, and the next one starts with another', () => {
      const { storage, snapshot } = kept();
      pruneSnapshot(storage, snapshot, ['ada-2', 'bob', 'srv']);
      expect(storage.items.has('popup.snapshot')).toBe(false);
      expect(readSnapshot(storage)).toBeUndefined();
    });

    it('is left as it is, markup and all, when every profile it names is still there', () => {
      const { storage, snapshot } = kept();
      const written = storage.getItem('popup.snapshot');
      storage.setItem = () => {
        throw new Error('written again');
      };
      pruneSnapshot(storage, snapshot, ['srv', 'bob', 'new', 'ada-2', 'ada']);
      expect(storage.getItem('popup.snapshot')).toBe(written);
    });
  });

  it('has nothing to keep before any list is read', () => {
    const unread: OrgRepos = { profile: ada, repos: { index: () => [], refreshing: false, refresh: () => undefined } };
    expect(snapshotOf([ada], 'ada', [unread])).toBeUndefined();
  });
});

const status = (count: number, organizations = 1) => ({ count, organizations, fetchedAt: undefined, refreshing: false });

describe('the repository list\'s status line', () => {
  it('counts in words that agree with the number', () => {
    expect(statusLine(status(31), 1, 'plat')).toBe('1 of 31 matches');
    expect(statusLine(status(31), 3, 'plat')).toBe('3 of 31 match');
    expect(statusLine(status(31), 0, 'zz')).toBe('0 of 31 match');
    expect(statusLine(status(1), 0, '')).toBe('1 repository');
    expect(statusLine(status(2, 2), 0, '')).toBe('2 repositories in 2 organizations');
  });
});
