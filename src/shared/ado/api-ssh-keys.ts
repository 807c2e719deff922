import * as z from 'zod';
import type { ApiContext, CallOptions } from './api-context';
import { AdoError } from './errors';
import { restUrl } from './rest-url';
import { SshKey, listOf } from './schemas';

/** The web UI's data provider that issues session tokens, public SSH keys among them (undocumented). */
const PROVIDER = 'ms.vss-token-web.personal-access-token-issue-session-token-provider';

const AddAnswer = z.looseObject({
  dataProviders: z.looseObject({ [PROVIDER]: SshKey.nullish() }).nullish(),
  dataProviderExceptions: z.record(z.string(), z.looseObject({ message: z.string().nullish() })).nullish(),
});

/** The user's public SSH keys (undocumented token-service listing; works with OAuth). */
export async function sshKeys(ctx: ApiContext, o: CallOptions = {}): Promise<SshKey[]> {
  const url = restUrl(ctx.vsspsBaseUrl, '/_apis/Token/SessionTokens', {
    isPublic: true,
    includePublicData: true,
    'api-version': '7.0-preview.1',
  });
  const what = 'list your SSH keys';
  // No scope to name: the token service refuses every PAT; only OAuth works here.
  return (await ctx.request({ method: 'GET', url, what, schema: listOf(SshKey), signal: o.signal })).data;
}

export interface AddSshKeyInput {
  displayName: string;
  /** One line: `ssh-rsa AAAA… comment`. Azure DevOps accepts RSA keys only. */
  publicKey: string;
  /** Azure DevOps lets a key live at most one year. */
  validTo: Date | string;
  /** The organization the key is for: connectionData's instanceId. */
  instanceId: string;
}

export function sshPublicKeyProblem(publicKey: string): string | undefined {
  const key = publicKey.trim();
  if (!key.startsWith('ssh-rsa ')) {
    return 'Azure DevOps accepts RSA keys only (they start with “ssh-rsa”). Create one with: ssh-keygen -t rsa -b 4096';
  }
  if (/[\r\n]/.test(key)) return 'The public key must be a single line.';
  return undefined;
}

/**
 * Registers a public SSH key the way the web UI's keys page does (undocumented; OAuth tokens only,
 * a PAT is refused). Answers the created key, whose `authorizationId` identifies it.
 */
export async function addSshKey(ctx: ApiContext, input: AddSshKeyInput, o: CallOptions = {}): Promise<SshKey> {
  const what = 'add your SSH key';
  const problem = sshPublicKeyProblem(input.publicKey);
  if (problem) throw new AdoError({ kind: 'badRequest', what, userMessage: problem, adoMessage: problem });
  const validTo = typeof input.validTo === 'string' ? input.validTo : input.validTo.toISOString();
  const { data } = await ctx.request({
    method: 'POST',
    url: restUrl(ctx.orgBaseUrl, '/_apis/Contribution/HierarchyQuery', { 'api-version': '5.0-preview.1' }),
    body: {
      contributionIds: [PROVIDER],
      dataProviderContext: {
        properties: {
          displayName: input.displayName,
          publicData: input.publicKey.trim(),
          validTo,
          scope: 'app_token',
          isPublic: true,
          targetAccounts: [input.instanceId],
        },
      },
    },
    what,
    schema: AddAnswer,
    signal: o.signal,
  });
  const created = data.dataProviders?.[PROVIDER];
  if (created) return created;
  const refused = data.dataProviderExceptions?.[PROVIDER]?.message ?? undefined;
  if (refused !== undefined) throw new AdoError({ kind: 'badRequest', what, adoMessage: refused });
  throw new AdoError({ kind: 'invalidResponse', what, field: `dataProviders.${PROVIDER}` });
}
