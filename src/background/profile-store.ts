import * as z from 'zod';
import { orgBaseUrl, Profile } from '../shared/profile';
import { ACTIVE_PROFILE, PROFILE_SECRET, PROFILES } from '../shared/storage-keys';

/**
 * Profiles in the worker's IndexedDB (worker-store.ts) and their secrets in `secrets`
 * (secret-store.ts); never storage.sync: secrets must not leave this browser, and profiles are
 * exported explicitly instead. Everything is read from storage on each use because an MV3 worker
 * can be stopped at any moment.
 */
export interface KeyValue {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export const Secret = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pat'), pat: z.string().min(1) }),
  z.object({
    kind: z.literal('oauth'),
    accessToken: z.string(),
    refreshToken: z.string().optional(),
    expiresAt: z.number(),
  }),
]);
export type Secret = z.infer<typeof Secret>;

/**
 * The organization a token was saved for, kept with it. Profiles were kept in storage.local, which
 * a content script can write in Firefox: one that moved its profile to another server would have
 * got the token sent there. A profile whose organization is not its token's gets none.
 */
const orgOf = (p: Pick<Profile, 'host' | 'organization'>) => orgBaseUrl(p).toLowerCase();
const boundOrg = (record: unknown): unknown => (record as { orgUrl?: unknown } | undefined)?.orgUrl;

function parseProfiles(raw: unknown): Profile[] {
  const parsed = z.array(Profile).safeParse(raw ?? []);
  return parsed.success ? parsed.data : [];
}

export function createProfileStore(kv: KeyValue, secrets: KeyValue = kv) {
  async function list(): Promise<Profile[]> {
    return parseProfiles((await kv.get([PROFILES.key]))[PROFILES.key]);
  }
  /** The profiles and the active one's id from one storage read (the active one may be gone: then the first). */
  async function snapshot(): Promise<{ profiles: Profile[]; activeId: string | undefined }> {
    const stored = await kv.get([PROFILES.key, ACTIVE_PROFILE.key]);
    const profiles = parseProfiles(stored[PROFILES.key]);
    return { profiles, activeId: profiles.find((p) => p.id === stored[ACTIVE_PROFILE.key])?.id ?? profiles[0]?.id };
  }
  const get = async (id: string): Promise<Profile | undefined> => (await list()).find((p) => p.id === id);
  const storedSecret = async (key: string): Promise<unknown> => (await secrets.get([key]))[key];
  return {
    list,
    snapshot,
    get,
    async activeId(): Promise<string | undefined> {
      return (await snapshot()).activeId;
    },
    async setActive(id: string): Promise<void> {
      if (!(await list()).some((p) => p.id === id)) throw new Error(`No profile ${id}`);
      await kv.set({ [ACTIVE_PROFILE.key]: id });
    },
    /** Saves the secret first, so a profile never exists without the credential it needs. */
    async save(profile: Profile, secret?: Secret): Promise<void> {
      if (secret) await secrets.set({ [PROFILE_SECRET.key(profile.id)]: { ...Secret.parse(secret), orgUrl: orgOf(profile) } });
      // In its place: the first profile stands for the active one when none is stored, and the
      // lists draw the profiles in this order, so an edit must move neither.
      const saved = Profile.parse(profile);
      const profiles = await list();
      const kept = profiles.some((p) => p.id === saved.id);
      await kv.set({ [PROFILES.key]: kept ? profiles.map((p) => (p.id === saved.id ? saved : p)) : [...profiles, saved] });
    },
    async remove(id: string): Promise<void> {
      await kv.set({ [PROFILES.key]: (await list()).filter((p) => p.id !== id) });
      await secrets.remove([PROFILE_SECRET.key(id)]);
    },
    async secret(id: string): Promise<Secret | undefined> {
      const key = PROFILE_SECRET.key(id);
      const raw = await storedSecret(key);
      const parsed = Secret.safeParse(raw);
      const profile = await get(id);
      if (!parsed.success || !profile) return undefined;
      const org = boundOrg(raw);
      // Saved by an earlier version, which kept no organization: bound to its profile's now.
      if (org === undefined) await secrets.set({ [key]: { ...parsed.data, orgUrl: orgOf(profile) } });
      else if (org !== orgOf(profile)) return undefined;
      return parsed.data;
    },
    /**
     * A renewed token: for the organization the one it replaces was saved for. Written only while
     * its profile exists: a refresh that ends after the profile was removed would otherwise put
     * back a token the user was told was deleted, bound to no organization.
     */
    async setSecret(id: string, secret: Secret): Promise<void> {
      const key = PROFILE_SECRET.key(id);
      const profile = await get(id);
      if (!profile) return;
      const org = boundOrg(await storedSecret(key)) ?? orgOf(profile);
      await secrets.set({ [key]: { ...Secret.parse(secret), orgUrl: org } });
    },
  };
}
export type ProfileStore = ReturnType<typeof createProfileStore>;

/** An in-memory KeyValue for tests and for browsers without storage (never in production paths). */
export function memoryKeyValue(): KeyValue & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    async get(keys) {
      return Object.fromEntries(keys.filter((k) => data.has(k)).map((k) => [k, structuredClone(data.get(k))]));
    },
    async set(items) {
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys) {
      for (const k of keys) data.delete(k);
    },
  };
}
