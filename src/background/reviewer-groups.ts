import type { Person, ReviewerGroup } from '../shared/messages';
import { REVIEWER_GROUPS } from '../shared/storage-keys';
import type { KeyValue } from './profile-store';

/**
 * Reviewer groups: named sets of people per profile and project, kept with the profiles in the
 * worker's IndexedDB (they name colleagues, so they stay on this computer): REVIEWER_GROUPS.
 */
export interface GroupInput {
  id?: string | undefined;
  project: string;
  name: string;
  members: Person[];
}

async function all(kv: KeyValue): Promise<ReviewerGroup[]> {
  const raw = (await kv.get([REVIEWER_GROUPS.key]))[REVIEWER_GROUPS.key];
  return Array.isArray(raw) ? (raw as ReviewerGroup[]) : [];
}

const byName = (a: ReviewerGroup, b: ReviewerGroup) => a.project.localeCompare(b.project) || a.name.localeCompare(b.name);

export async function listGroups(kv: KeyValue, profileId: string, project?: string): Promise<ReviewerGroup[]> {
  const wanted = project?.toLowerCase();
  return (await all(kv))
    .filter((g) => g.profileId === profileId && (wanted === undefined || g.project.toLowerCase() === wanted))
    .toSorted(byName);
}

/** Creates a group (no id) or replaces one; a second group of the same name in a project is refused. */
export async function saveGroup(kv: KeyValue, profileId: string, input: GroupInput, newId: () => string): Promise<ReviewerGroup> {
  const groups = await all(kv);
  const clash = groups.find(
    (g) => g.profileId === profileId && g.id !== input.id && g.project.toLowerCase() === input.project.toLowerCase() && g.name.toLowerCase() === input.name.toLowerCase(),
  );
  if (clash) throw new Error(`A reviewer group named “${input.name}” already exists in ${input.project}.`);
  if (input.id !== undefined && !groups.some((g) => g.id === input.id && g.profileId === profileId)) {
    throw new Error('That reviewer group no longer exists; it may have been removed in another window.');
  }
  // One entry per person, in the order they were added.
  const members = [...new Map(input.members.map((m) => [m.id, m])).values()];
  const group: ReviewerGroup = { id: input.id ?? newId(), profileId, project: input.project, name: input.name, members };
  await kv.set({ [REVIEWER_GROUPS.key]: [...groups.filter((g) => g.id !== group.id), group] });
  return group;
}

/** Removes a group; answers the groups left for its profile. */
export async function removeGroup(kv: KeyValue, id: string): Promise<ReviewerGroup[]> {
  const groups = await all(kv);
  const gone = groups.find((g) => g.id === id);
  await kv.set({ [REVIEWER_GROUPS.key]: groups.filter((g) => g.id !== id) });
  return gone ? listGroups(kv, gone.profileId) : [];
}


/** A removed profile takes its groups along: they name people of an account no longer here. */
export async function removeGroupsOf(kv: KeyValue, profileId: string): Promise<void> {
  const groups = await all(kv);
  if (groups.some((g) => g.profileId === profileId)) await kv.set({ [REVIEWER_GROUPS.key]: groups.filter((g) => g.profileId !== profileId) });
}
