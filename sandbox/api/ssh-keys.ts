import { z } from 'zod';
import type { RequestContext } from '../context';
import { AzdoError } from '../errors';
import { randomGuid } from '../ids';
import type { Router } from '../router';
import type { SshPublicKey, User } from '../store';
import { challengeHeaders } from '../auth';
import { bodyOf } from './route-helpers';

/**
 * Public SSH keys, the undocumented way the web UI's "SSH public keys" page does it:
 * - add: `POST {org}/_apis/Contribution/HierarchyQuery?api-version=5.0-preview.1` asking the
 *   session-token provider contribution; refusals come back as `dataProviderExceptions` (200);
 * - list: `GET vssps.dev.azure.com/{org}/_apis/Token/SessionTokens?isPublic=true&includePublicData=true`.
 * The token service does not take PATs (401 `The requested operation is not allowed.`): OAuth
 * bearer tokens and browser sessions only. RSA keys only, at most one year, like Azure DevOps.
 */
export function registerSshKeys(router: Router): void {
  router.post('collection', '/_apis/Contribution/HierarchyQuery', hierarchyQuery, { preview: true });
  router.get('vssps', '/_apis/Token/SessionTokens', listTokens, { preview: true });
  router.get('collection', '/_apis/Token/SessionTokens', listTokens, { preview: true });
}

const SESSION_TOKEN_PROVIDER = 'ms.vss-token-web.personal-access-token-issue-session-token-provider';
const FRAMEWORK = 'Microsoft.TeamFoundation.Framework.Server';
const ONE_YEAR_MS = 366 * 86_400_000;

function refusePat(ctx: RequestContext): User {
  const user = ctx.user();
  if (ctx.principal?.via === 'pat') {
    throw new AzdoError(401, 'The requested operation is not allowed.', 'InvalidAccessException', `${FRAMEWORK}.InvalidAccessException, ${FRAMEWORK}`, challengeHeaders(ctx.org));
  }
  return user;
}

const querySchema = z
  .object({
    contributionIds: z.array(z.string()).min(1),
    dataProviderContext: z.object({ properties: z.record(z.string(), z.unknown()).optional() }).loose().optional(),
  })
  .loose();

const keySchema = z
  .object({
    displayName: z.string().trim().min(1),
    publicData: z.string().min(1),
    validTo: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
    validFrom: z.string().optional(),
    scope: z.string().optional(),
    isPublic: z.literal(true),
    targetAccounts: z.array(z.string()).optional(),
  })
  .loose();

async function hierarchyQuery(ctx: RequestContext): Promise<void> {
  const user = refusePat(ctx);
  const body = await bodyOf(ctx, querySchema);
  const dataProviders: Record<string, unknown> = { 'ms.vss-web.component-data': {}, 'ms.vss-web.shared-data': null };
  const exceptions: Record<string, unknown> = {};
  for (const id of body.contributionIds) {
    if (id !== SESSION_TOKEN_PROVIDER) {
      exceptions[id] = providerException('ContributionNotFoundException', `The contribution '${id}' is not available in the sandbox.`);
      continue;
    }
    const result = addKey(ctx, user, body.dataProviderContext?.properties ?? {});
    if ('error' in result) exceptions[id] = providerException('ArgumentException', result.error);
    else dataProviders[id] = sessionTokenJson(result.key, true);
  }
  ctx.reply({ dataProviderSharedData: {}, dataProviders, ...(Object.keys(exceptions).length ? { dataProviderExceptions: exceptions } : {}) });
}

function providerException(exceptionType: string, message: string): Record<string, unknown> {
  return { exceptionType, message, stackTrace: null };
}

function addKey(ctx: RequestContext, user: User, properties: Record<string, unknown>): { key: SshPublicKey } | { error: string } {
  const parsed = keySchema.safeParse(properties);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: `Invalid argument value.\r\nParameter name: ${issue.path.join('.') || 'properties'} (${issue.message})` };
  }
  const p = parsed.data;
  const publicData = p.publicData.trim();
  if (!isRsaPublicKey(publicData)) return { error: 'Key must be Base64 encoded with OpenSSH format and RSA type. Valid keys will start with ssh-rsa' };
  const now = Date.now();
  const validTo = Date.parse(p.validTo);
  if (validTo <= now) return { error: 'The expiration date of the key must be in the future.' };
  if (validTo - now > ONE_YEAR_MS) return { error: 'The expiration date of the key cannot be more than one year from today.' };
  const blob = publicData.split(/\s+/)[1];
  const mine = [...ctx.store.sshKeys.values()].filter((k) => k.userId === user.id);
  if (mine.some((k) => k.publicData.split(/\s+/)[1] === blob)) return { error: 'The public key you are trying to add already exists.' };
  const org = ctx.organization();
  const key: SshPublicKey = {
    authorizationId: randomGuid(),
    userId: user.id,
    displayName: p.displayName,
    publicData,
    validFrom: new Date(now).toISOString(),
    validTo: new Date(validTo).toISOString(),
    targetAccounts: p.targetAccounts?.length ? p.targetAccounts.map((a) => a.toLowerCase()) : [org.id],
  };
  ctx.store.sshKeys.set(key.authorizationId, key);
  return { key };
}

/** `ssh-rsa <base64>`, where the base64 blob itself starts with the key type `ssh-rsa`. */
function isRsaPublicKey(line: string): boolean {
  const [type, data] = line.split(/\s+/);
  if (type !== 'ssh-rsa' || !data || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return false;
  const blob = Buffer.from(data, 'base64');
  if (blob.length < 11) return false;
  const len = blob.readUInt32BE(0);
  return len === 7 && blob.subarray(4, 11).toString('latin1') === 'ssh-rsa';
}

function sessionTokenJson(k: SshPublicKey, withPublicData: boolean): Record<string, unknown> {
  return {
    clientId: '00000000-0000-0000-0000-000000000000',
    accessId: '00000000-0000-0000-0000-000000000000',
    authorizationId: k.authorizationId,
    hostAuthorizationId: '00000000-0000-0000-0000-000000000000',
    userId: k.userId,
    validFrom: k.validFrom,
    validTo: k.validTo,
    displayName: k.displayName,
    scope: 'app_token',
    targetAccounts: k.targetAccounts,
    token: null,
    alternateToken: null,
    isValid: Date.parse(k.validTo) > Date.now(),
    isPublic: true,
    publicData: withPublicData ? k.publicData : null,
    source: null,
    claims: null,
  };
}

function listTokens(ctx: RequestContext): void {
  const user = refusePat(ctx);
  const org = ctx.organization();
  const isPublic = ctx.query.get('isPublic') === 'true';
  const withPublicData = ctx.query.get('includePublicData') === 'true';
  if (isPublic) {
    const keys = [...ctx.store.sshKeys.values()].filter((k) => k.userId === user.id && k.targetAccounts.includes(org.id));
    ctx.replyList(keys.map((k) => sessionTokenJson(k, withPublicData)));
    return;
  }
  // Personal access tokens: what the tokens page lists (never the secret itself).
  const pats = [...ctx.store.pats.values()].filter((p) => p.userId === user.id && (p.orgs === 'all' || p.orgs.includes(org.id)));
  ctx.replyList(
    pats.map((p) => ({
      clientId: '00000000-0000-0000-0000-000000000000',
      accessId: '00000000-0000-0000-0000-000000000000',
      authorizationId: p.authorizationId,
      userId: p.userId,
      validFrom: p.validFrom,
      validTo: p.validTo,
      displayName: p.displayName,
      scope: p.scopes.join(' '),
      targetAccounts: p.orgs === 'all' ? null : p.orgs,
      token: null,
      alternateToken: null,
      isValid: !p.revoked && Date.parse(p.validTo) > Date.now(),
      isPublic: false,
      publicData: null,
      source: null,
      claims: null,
    })),
  );
}
