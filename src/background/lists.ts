import type { AdoClient } from '../shared/ado/client';
import type { Listing, ProjectSummary, RepoSummary } from '../shared/messages';
import { fromCacheEntry, sortRepos, toCacheEntry, type CachedKind } from '../shared/list-cache';
import { CACHED_LIST } from '../shared/storage-keys';
import type { KeyValue } from './profile-store';

/**
 * Projects and repositories per profile, stale-while-revalidate: a cached list answers at once
 * (and says when it is old), a refresh fetches and replaces it. The cache outlives the worker
 * (src/shared/list-cache.ts), so a restarted worker still draws the popup instantly. Repositories come sorted as the popup lists
 * them, so it draws the first rows as they are.
 */

type Kind = CachedKind;

export const fetchers = {
  async projects(client: AdoClient): Promise<ProjectSummary[]> {
    const all = await client.projects();
    return all.map((p) => ({ id: p.id, name: p.name, ...(p.description ? { description: p.description } : {}) }));
  },
  async repos(client: AdoClient): Promise<RepoSummary[]> {
    // One org-wide call: Azure DevOps answers every repository at once, unpaged.
    const all = await client.repositories();
    return sortRepos(all).map((r) => ({
      id: r.id,
      name: r.name,
      project: { id: r.project.id, name: r.project.name },
      ...(r.defaultBranch ? { defaultBranch: r.defaultBranch } : {}),
      ...(r.remoteUrl ? { remoteUrl: r.remoteUrl } : {}),
      ...(r.sshUrl ? { sshUrl: r.sshUrl } : {}),
      ...(r.webUrl ? { webUrl: r.webUrl } : {}),
      ...(r.isDisabled ? { isDisabled: true } : {}),
      ...(r.isFork ? { isFork: true } : {}),
      ...(typeof r.size === 'number' ? { size: r.size } : {}),
    }));
  },
} satisfies Record<Kind, (c: AdoClient) => Promise<unknown[]>>;

export async function listing<K extends Kind>(
  kind: K,
  profileId: string,
  opts: { refresh?: boolean | undefined; kv: KeyValue; client: () => AdoClient; now: () => number },
): Promise<Listing<Awaited<ReturnType<(typeof fetchers)[K]>>[number]>> {
  type Item = Awaited<ReturnType<(typeof fetchers)[K]>>[number];
  const key = CACHED_LIST.key(profileId, kind);
  if (!opts.refresh) {
    const cached = fromCacheEntry<Item>(kind, (await opts.kv.get([key]))[key], profileId, opts.now());
    if (cached) return cached;
  }
  const items = (await fetchers[kind](opts.client())) as Item[];
  const fetchedAt = opts.now();
  await opts.kv.set({ [key]: toCacheEntry(kind, items, fetchedAt) });
  return { items, fetchedAt, profileId, stale: false };
}

/** Removes the cached lists of these profiles from `kv`. */
export async function dropCaches(kv: KeyValue, profileIds: readonly string[]): Promise<void> {
  await kv.remove(profileIds.flatMap((id) => [CACHED_LIST.key(id, 'projects'), CACHED_LIST.key(id, 'repos')]));
}
