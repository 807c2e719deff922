import { CLOUD_API_VERSION, preview, type ApiContext, type CallOptions } from './api-context';
import { collectByContinuation } from './paging';
import { path, restUrl } from './rest-url';
import { Account, ConnectionData, ProjectRef, Profile, listOf } from './schemas';

/** Who the credential belongs to, in which organization: works with org-scoped PATs and on-prem. */
export async function connectionData(ctx: ApiContext, o: CallOptions = {}): Promise<ConnectionData> {
  const url = restUrl(ctx.orgBaseUrl, '/_apis/connectionData', { 'api-version': preview(ctx) });
  return (await ctx.request({ method: 'GET', url, what: 'read who you are signed in as', schema: ConnectionData, signal: o.signal })).data;
}

/** The signed-in user's profile (cloud; needs OAuth or a PAT for all accessible organizations). */
export async function profile(ctx: ApiContext, o: CallOptions = {}): Promise<Profile> {
  const url = restUrl(ctx.profileBaseUrl, '/_apis/profile/profiles/me', { 'api-version': CLOUD_API_VERSION });
  const what = 'read your profile';
  return (await ctx.request({ method: 'GET', url, what, schema: Profile, scope: 'vso.profile', signal: o.signal })).data;
}

/** The organizations a user belongs to. */
export async function accounts(ctx: ApiContext, memberId: string, o: CallOptions = {}): Promise<Account[]> {
  const url = restUrl(ctx.profileBaseUrl, '/_apis/accounts', { memberId, 'api-version': CLOUD_API_VERSION });
  const what = 'list your organizations';
  return (await ctx.request({ method: 'GET', url, what, schema: listOf(Account), scope: 'vso.profile', signal: o.signal })).data;
}

/** Every project of the organization, all pages. */
export function projects(ctx: ApiContext, o: CallOptions & { pageSize?: number } = {}): Promise<ProjectRef[]> {
  const what = 'list projects';
  return collectByContinuation(what, (continuationToken) =>
    ctx.request({
      method: 'GET',
      url: restUrl(ctx.orgBaseUrl, path`/_apis/projects`, {
        $top: o.pageSize ?? 100,
        continuationToken,
        'api-version': ctx.apiVersion,
      }),
      what,
      schema: listOf(ProjectRef),
      scope: 'vso.project',
      signal: o.signal,
    }),
  );
}
