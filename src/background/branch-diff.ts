import { z } from 'zod';
import { basicAuthHeader } from '../shared/ado/auth-header';
import { abortableSleep } from '../shared/ado/backoff';
import { createRequester } from '../shared/ado/request';
import { projectBase, repoPath, restUrl, type RepoRef } from '../shared/ado/rest-url';
import { orgBaseUrl, type Profile } from '../shared/profile';
import { SignedOutError } from './connections';
import type { ProfileStore } from './profile-store';

/**
 * The files a pull request from `source` into `target` would change (Azure DevOps' commit diff
 * since the merge base). The shared client has no diff call yet, so this one is written the same
 * way (one checked request) and belongs in src/shared/ado/api-repos.ts once that has it.
 *
 * It reads the stored credential as it is: callers make an ordinary client call first, which
 * refreshes an OAuth token that is about to lapse.
 */
const DiffAnswer = z.looseObject({
  changes: z
    .array(z.looseObject({ item: z.looseObject({ path: z.string(), isFolder: z.boolean().nullish(), gitObjectType: z.string().nullish() }) }))
    .nullish(),
});

const branch = (b: string) => b.replace(/^refs\/heads\//, '');

export interface DiffDeps {
  store: Pick<ProfileStore, 'secret'>;
  fetch: typeof fetch;
  now: () => number;
}

export async function changedPaths(profile: Profile, repo: RepoRef, source: string, target: string, deps: DiffDeps): Promise<string[]> {
  const request = createRequester({
    async auth() {
      const secret = await deps.store.secret(profile.id);
      if (!secret) throw new SignedOutError(profile);
      return secret.kind === 'pat' ? basicAuthHeader(secret.pat) : { scheme: 'Bearer', value: secret.accessToken };
    },
    fetch: deps.fetch,
    maxConcurrency: 2,
    sleep: abortableSleep,
    now: deps.now,
    random: Math.random,
    timeoutMs: 30_000,
    maxRetryAfterSeconds: 60,
    maxAttempts: 3,
  });
  const url = restUrl(projectBase(orgBaseUrl(profile), repo.project), `${repoPath(repo)}/diffs/commits`, {
    baseVersion: branch(target),
    baseVersionType: 'branch',
    targetVersion: branch(source),
    targetVersionType: 'branch',
    diffCommonCommit: true,
    $top: 2000,
    'api-version': profile.apiVersion,
  });
  const { data } = await request({ method: 'GET', url, what: 'compare the branches', schema: DiffAnswer, scope: 'vso.code' });
  return (data.changes ?? []).filter((c) => !c.item.isFolder && c.item.gitObjectType !== 'tree').map((c) => c.item.path);
}
