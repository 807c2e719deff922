import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dropStaleDrafts, forgetProfileInPopup, latestDraft, readDraft } from '../../src/popup/form-draft';
import { writeSnapshot, SNAPSHOT_FORMAT } from '../../src/popup/snapshot';
import { NEW_PR_DRAFT, NEW_REPO_DRAFT, NEW_REPO_PROJECT, POPUP_PROFILE, POPUP_SNAPSHOT, START_WORK_DRAFT } from '../../src/shared/storage-keys';

/** The popup's localStorage, as a Map. */
function memoryStorage(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, String(v)),
  };
}

/** What the popup's forms keep for a profile. */
const keptFor = (id: string) => [NEW_PR_DRAFT.key(id, 'repo-1'), NEW_PR_DRAFT.key(id, 'repo-2'), NEW_REPO_DRAFT.key(id), NEW_REPO_PROJECT.key(id), START_WORK_DRAFT.key(id, 2), START_WORK_DRAFT.key(id, 7)];

describe('a popup form’s kept draft', () => {
  let storage: ReturnType<typeof memoryStorage>;
  beforeEach(() => {
    storage = memoryStorage();
    vi.stubGlobal('localStorage', storage);
    vi.useFakeTimers({ now: new Date('2026-12-07T09:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('is read back for a day, then dropped', () => {
    storage.setItem('draft', JSON.stringify({ at: Date.now(), draft: { name: 'kept' } }));
    vi.advanceTimersByTime(23 * 60 * 60_000);
    expect(readDraft('draft')).toEqual({ name: 'kept' });
    vi.advanceTimersByTime(60 * 60_000);
    expect(readDraft('draft')).toBeUndefined();
    expect(storage.data.has('draft')).toBe(false);
  });

  it('is no draft when it is not one the form wrote', () => {
    storage.setItem('draft', '{not json');
    expect(readDraft('draft')).toBeUndefined();
    expect(storage.data.has('draft')).toBe(false);
    expect(readDraft('absent')).toBeUndefined();
  });

  it('of a form that keeps one per repository: the latest is read, those older than a day dropped, another profile’s left', () => {
    const keep = (key: string, hoursAgo: number) => storage.setItem(key, JSON.stringify({ at: Date.now() - hoursAgo * 60 * 60_000, draft: { key } }));
    keep(NEW_PR_DRAFT.key('ada', 'old'), 25);
    keep(NEW_PR_DRAFT.key('ada', 'earlier'), 3);
    keep(NEW_PR_DRAFT.key('ada', 'latest'), 1);
    keep(NEW_PR_DRAFT.key('bob', 'newer'), 0);
    expect(latestDraft(NEW_PR_DRAFT.key('ada', ''))).toEqual({ key: NEW_PR_DRAFT.key('ada', 'latest') });
    expect([...storage.data.keys()].toSorted()).toEqual([NEW_PR_DRAFT.key('ada', 'earlier'), NEW_PR_DRAFT.key('ada', 'latest'), NEW_PR_DRAFT.key('bob', 'newer')].toSorted());
    expect(latestDraft(NEW_PR_DRAFT.key('carol', ''))).toBeUndefined();
  });

  it('of a form that keeps one per work item: those older than a day are dropped, whichever item they are of; the others and another profile’s stay', () => {
    const keep = (key: string, hoursAgo: number) => storage.setItem(key, JSON.stringify({ at: Date.now() - hoursAgo * 60 * 60_000, draft: { branch: key } }));
    keep(START_WORK_DRAFT.key('ada', 2), 25);
    keep(START_WORK_DRAFT.key('ada', 7), 3);
    keep(START_WORK_DRAFT.key('bob', 2), 25);
    dropStaleDrafts(START_WORK_DRAFT.key('ada', ''));
    expect([...storage.data.keys()].toSorted()).toEqual([START_WORK_DRAFT.key('ada', 7), START_WORK_DRAFT.key('bob', 2)].toSorted());
  });

  it('is forgotten with its profile, with the project a repository was last created in; another profile’s stay', () => {
    for (const key of [...keptFor('removed'), ...keptFor('other')]) storage.setItem(key, JSON.stringify({ at: Date.now(), draft: { name: key } }));
    forgetProfileInPopup('removed');
    expect([...storage.data.keys()].toSorted()).toEqual(keptFor('other').toSorted());
    expect(readDraft(NEW_PR_DRAFT.key('removed', 'repo-1'))).toBeUndefined();
  });

  it('takes the last list’s first screen with the profile, as it names it, and the last profile shown if it was that one', () => {
    const profiles = [
      { id: 'removed', name: 'Work', organization: 'fabrikam' },
      { id: 'other', name: 'Home', organization: 'contoso' },
    ];
    writeSnapshot(storage, { format: SNAPSHOT_FORMAT, profiles, activeId: 'other', listed: [{ id: 'other', total: 0 }], rows: [] });
    storage.setItem(POPUP_PROFILE.key, 'other');
    forgetProfileInPopup('removed', storage);
    expect(storage.data.has(POPUP_SNAPSHOT.key)).toBe(false);
    expect(storage.getItem(POPUP_PROFILE.key)).toBe('other');
    storage.setItem(POPUP_PROFILE.key, 'removed');
    forgetProfileInPopup('removed', storage);
    expect(storage.data.has(POPUP_PROFILE.key)).toBe(false);
  });
});
