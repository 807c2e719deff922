import { preview, type ApiContext, type CallOptions } from './api-context';
import { collectBySkip } from './paging';
import { path, restUrl } from './rest-url';
import { Identity, IdentityPickerAnswer, Team, TeamMember, listOf, type PickerIdentity } from './schemas';

/**
 * People and groups matching `query`, as the web UI's reviewer picker finds them (undocumented
 * IdentityPicker). Entries without a `localId` are not members of the organization yet.
 */
export async function searchPeople(
  ctx: ApiContext,
  query: string,
  o: CallOptions & { maxResults?: number } = {},
): Promise<PickerIdentity[]> {
  const { data } = await ctx.request({
    method: 'POST',
    url: restUrl(ctx.orgBaseUrl, '/_apis/IdentityPicker/Identities', { 'api-version': preview(ctx) }),
    body: {
      query,
      identityTypes: ['user', 'group'],
      operationScopes: ['ims', 'source'],
      options: { MinResults: 5, MaxResults: o.maxResults ?? 40 },
    },
    what: 'search for people',
    schema: IdentityPickerAnswer,
    scope: 'vso.identity',
    signal: o.signal,
  });
  return data.results.flatMap((r) => r.identities);
}

/** The documented identity search (vssps): by display name, e-mail or account name. */
export async function searchIdentities(ctx: ApiContext, filterValue: string, o: CallOptions = {}): Promise<Identity[]> {
  const url = restUrl(ctx.vsspsBaseUrl, '/_apis/identities', {
    searchFilter: 'General',
    filterValue,
    queryMembership: 'None',
    'api-version': ctx.apiVersion,
  });
  const what = 'search for people';
  return (await ctx.request({ method: 'GET', url, what, schema: listOf(Identity), scope: 'vso.identity', signal: o.signal })).data;
}

/** The e-mail address an identity search answer carries in its properties, if any. */
export function identityMail(identity: Identity): string | undefined {
  const mail = identity.properties?.['Mail'];
  const value = typeof mail === 'object' && mail !== null ? (mail as Record<string, unknown>)['$value'] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function teams(ctx: ApiContext, projectId: string, o: CallOptions = {}): Promise<Team[]> {
  const what = 'list teams';
  return collectBySkip(
    what,
    async (skip, top) =>
      (
        await ctx.request({
          method: 'GET',
          url: restUrl(ctx.orgBaseUrl, path`/_apis/projects/${projectId}/teams`, { $top: top, $skip: skip, 'api-version': ctx.apiVersion }),
          what,
          schema: listOf(Team),
          scope: 'vso.project',
          signal: o.signal,
        })
      ).data,
    100,
  );
}

export function teamMembers(ctx: ApiContext, projectId: string, teamId: string, o: CallOptions = {}): Promise<TeamMember[]> {
  const what = 'list team members';
  return collectBySkip(
    what,
    async (skip, top) =>
      (
        await ctx.request({
          method: 'GET',
          url: restUrl(ctx.orgBaseUrl, path`/_apis/projects/${projectId}/teams/${teamId}/members`, {
            $top: top,
            $skip: skip,
            'api-version': ctx.apiVersion,
          }),
          what,
          schema: listOf(TeamMember),
          scope: 'vso.project',
          signal: o.signal,
        })
      ).data,
    100,
  );
}
