import { createAdoClient } from '../shared/ado/client';
import { basicAuthHeader } from '../shared/ado/auth-header';
import { AdoError } from '../shared/ado/errors';
import type { AddedProfile } from '../shared/messages';
import { orgBaseUrl as baseUrlOf, Profile, type Host } from '../shared/profile';
import { needsRefresh, refresh, signIn, type OAuthConfig, type OAuthDeps, type Tokens } from './oauth';
import type { KeyValue, ProfileStore, Secret } from './profile-store';
import { PENDING_SIGN_IN } from '../shared/storage-keys';

/**
 * Adding accounts. A PAT is checked at once with connectionData, which works for
 * organization-scoped tokens and on Azure DevOps Server alike (profiles/me and accounts do not).
 * OAuth signs in first and then lets the user pick one of their organizations.
 */
export interface AccountDeps {
  store: ProfileStore;
  /** Short-lived state between sign-in and organization choice (storage.session). */
  session: KeyValue;
  fetch: typeof fetch;
  now: () => number;
  oauthConfig: () => Promise<OAuthConfig>;
  oauth: Pick<OAuthDeps, 'launchWebAuthFlow' | 'redirectUrl'>;
  newId: () => string;
}

export interface PatInput {
  collectionUrl?: string | undefined;
  organization: string;
  pat: string;
  name?: string | undefined;
  profileId?: string | undefined;
}

/** The same user in the same organization, signed in the same way: one profile, not two. */
/** One user's sign-in of one kind to one organization or collection: two profiles of it would be twins. */
export const sameAccount = (a: Profile, b: Profile) =>
  a.auth === b.auth && baseUrlOf(a).toLowerCase() === baseUrlOf(b).toLowerCase() && !!a.identity && a.identity.id === b.identity?.id;

/**
 * Saves a signed-in account, as a new profile or as the new credential of `existing` (an expired
 * token replaced, a signed-out profile signed in again), which keeps its settings and reviewer groups.
 */
async function saveAccount(candidate: Profile, secret: Secret, deps: AccountDeps, existing: Profile | undefined): Promise<AddedProfile> {
  if (!existing) {
    await deps.store.save(candidate, secret);
    return { profile: candidate, replaced: false };
  }
  const profile = Profile.parse({ ...existing, identity: candidate.identity, instanceId: candidate.instanceId, apiVersion: candidate.apiVersion });
  await deps.store.save(profile, secret);
  return { profile, replaced: true };
}

/** The profile a new token is meant for: only the same user's token may replace its own. */
async function profileToReplace(id: string, candidate: Profile, deps: AccountDeps): Promise<Profile> {
  const meant = (await deps.store.list()).find((p) => p.id === id);
  if (!meant) throw new Error('That profile no longer exists. Add the token as a new account instead.');
  if (!sameAccount(meant, candidate))
    throw new Error(
      `This token is ${candidate.identity?.displayName ?? 'another user'}’s for ${baseUrlOf(candidate)}, not ${meant.identity?.displayName ?? 'this profile’s user'}’s for ${baseUrlOf(meant)}. Nothing was changed; add it as a new account if you meant to.`,
    );
  return meant;
}

/** API versions to try on a server, newest first (Server 2022 → 7.0, 2020 → 6.0, 2019 → 5.0). */
const SERVER_VERSIONS = ['7.1', '7.0', '6.0', '5.0'];

/**
 * `signal`: the person cancelled the check. Nothing is saved after it aborts. The first contact does
 * not try a server that did not answer again: that would hold the form for minutes on a server that
 * is down or mistyped, while a failed connection is still tried again at once.
 */
export async function addPatProfile(input: PatInput, deps: AccountDeps, signal?: AbortSignal): Promise<AddedProfile> {
  const host: Host = input.collectionUrl ? { kind: 'onprem', collectionUrl: input.collectionUrl.replace(/\/+$/, '') } : { kind: 'cloud' };
  const organization = host.kind === 'onprem' ? decodeURIComponent(new URL(host.collectionUrl).pathname.split('/').filter(Boolean).pop() ?? input.organization) : input.organization.trim();
  const orgBaseUrl = host.kind === 'onprem' ? host.collectionUrl : `https://dev.azure.com/${encodeURIComponent(organization)}`;
  const header = basicAuthHeader(input.pat);

  let apiVersion = '7.1';
  let who;
  for (const version of host.kind === 'onprem' ? SERVER_VERSIONS : ['7.1']) {
    const client = createAdoClient({ orgBaseUrl, apiVersion: version, fetch: deps.fetch, now: deps.now, auth: async () => header, retryTimeouts: false });
    try {
      who = await client.connectionData({ signal });
      apiVersion = version;
      break;
    } catch (e) {
      // The first call of all: not found is the organization or collection typed, not the token.
      if (e instanceof AdoError && e.kind === 'notFound') throw new AdoError({ kind: 'notFound', what: e.what, userMessage: noSuchPlace(host, organization), cause: e });
      // A server of the company's own: its address is as likely mistyped as the way to it is down.
      if (e instanceof AdoError && e.kind === 'network' && host.kind === 'onprem') throw new AdoError({ kind: 'network', what: e.what, authScheme: e.authScheme, userMessage: unreachable(host.collectionUrl, e.noAnswerWithinSeconds), cause: e });
      // An http:// address the server sends on (to https://, most often): the address is what to change, not the token.
      if (e instanceof AdoError && e.kind === 'signInPage' && host.kind === 'onprem' && host.collectionUrl.startsWith('http://')) {
        throw new AdoError({ kind: 'notFound', what: e.what, status: e.status, userMessage: redirectedFromHttp(host.collectionUrl), cause: e });
      }
      // A server knows only its own tokens: a refused one is as likely one from dev.azure.com as a mistyped one.
      if (e instanceof AdoError && (e.kind === 'unauthorized' || e.kind === 'signInPage') && host.kind === 'onprem') throw new AdoError({ kind: 'unauthorized', what: e.what, status: e.status, authScheme: e.authScheme, userMessage: notAccepted(host.collectionUrl), cause: e });
      // connectionData needs no scope: a token refused there is for another place, not short of permissions in a project.
      if (e instanceof AdoError && e.kind === 'forbidden') throw new AdoError({ kind: 'forbidden', what: e.what, status: e.status, authScheme: e.authScheme, userMessage: notForThisPlace(host, organization), cause: e });
      // An older server refuses a newer api-version with 400 (VssVersionOutOfRangeException).
      if (!(e instanceof AdoError && (e.kind === 'serverTooOld' || (e.kind === 'badRequest' && /version/i.test(e.adoMessage ?? ''))))) throw e;
    }
  }
  if (!who) throw new Error('This server supports none of the API versions this extension speaks (5.0 or newer).');

  const profile = Profile.parse({
    id: deps.newId(),
    name: input.name || (host.kind === 'onprem' ? `${new URL(orgBaseUrl).host} · ${organization}` : organization),
    host,
    organization,
    auth: 'pat',
    identity: { id: who.authenticatedUser.id, displayName: who.authenticatedUser.providerDisplayName ?? 'Unknown user' },
    instanceId: who.instanceId,
    apiVersion,
  });
  // Another token of the same user is a new profile unless the user asked to replace one: it may be
  // scoped differently on purpose, and must not quietly take a working token's place.
  const existing = input.profileId ? await profileToReplace(input.profileId, profile, deps) : undefined;
  if (signal?.aborted) throw new AdoError({ kind: 'cancelled', what: 'add the account' });
  return saveAccount(profile, { kind: 'pat', pat: input.pat.trim() }, deps, existing);
}

function noSuchPlace(host: Host, organization: string): string {
  return host.kind === 'cloud'
    ? `Azure DevOps has no organization named “${organization}” that this token can see. Check the name: it is the part after dev.azure.com/ in the organization's address.`
    : `${new URL(host.collectionUrl).host} has no collection at ${host.collectionUrl}. Check the collection URL: open the collection in the browser and copy its address up to the collection's name.`;
}

function unreachable(collectionUrl: string, noAnswerWithinSeconds: number | undefined): string {
  if (noAnswerWithinSeconds !== undefined) {
    return `${new URL(collectionUrl).host} did not answer within ${noAnswerWithinSeconds} s when asked who you are signed in as. The server may be busy or stuck: try again in a few minutes, or ask its administrator. If the collection URL ${collectionUrl} is not your server's, correct it.`;
  }
  return `Could not reach ${new URL(collectionUrl).host} to read who you are signed in as. Check that the collection URL ${collectionUrl} is right, and that this computer can reach the server (on your company’s network, or through its VPN).`;
}

function redirectedFromHttp(collectionUrl: string): string {
  const secure = collectionUrl.replace(/^http:/, 'https:').replace(/:80(?=\/|$)/, '');
  return `${new URL(collectionUrl).host} sent the request for ${collectionUrl} elsewhere instead of answering it, as a server that takes only https:// does. Try the address ${secure}.`;
}

function notAccepted(collectionUrl: string): string {
  return `${new URL(collectionUrl).host} did not accept this token: it may be mistyped, expired or revoked, or made somewhere else (a token from dev.azure.com does not open an Azure DevOps Server). Create a token on this server (User settings › Personal access tokens), and paste it here.`;
}

function notForThisPlace(host: Host, organization: string): string {
  return host.kind === 'cloud'
    ? `This token does not open “${organization}”: it was made for another organization, or its owner is not a member of this one. Create a token with “${organization}” (or All accessible organizations) chosen under Organization, and paste it here.`
    : `This token does not open ${host.collectionUrl}: its owner may not be a member of the collection. Create a token on this server, signed in as a member, and paste it here.`;
}

/** Signs in with Microsoft and lists the organizations the user can pick from. */
export async function startOAuth(deps: AccountDeps) {
  const config = await deps.oauthConfig();
  if (!config.clientId)
    throw new Error('No Microsoft Entra app is configured for sign-in. Enter its client id under Options › Advanced, or use a personal access token.');
  const tokens = await signIn(config, { ...deps.oauth, fetch: deps.fetch, now: deps.now });
  const client = createAdoClient({ orgBaseUrl: 'https://dev.azure.com/_', fetch: deps.fetch, now: deps.now, auth: async () => ({ scheme: 'Bearer', value: tokens.accessToken }) });
  const me = await client.profile();
  const orgs = await client.accounts(me.id);
  const pending = deps.newId();
  await deps.session.set({ [PENDING_SIGN_IN.key(pending)]: { tokens, me: { id: me.id, displayName: me.displayName, emailAddress: me.emailAddress } } });
  return {
    pending,
    user: { displayName: me.displayName, ...(me.emailAddress ? { emailAddress: me.emailAddress } : {}) },
    organizations: orgs.map((o) => ({ name: o.accountName, id: o.accountId })).toSorted((a, b) => a.name.localeCompare(b.name)),
  };
}

/** Drops a sign-in's tokens kept for the organization choice, once the person left that choice. */
export async function forgetSignIn(pending: string, deps: Pick<AccountDeps, 'session'>): Promise<Record<string, never>> {
  await deps.session.remove([PENDING_SIGN_IN.key(pending)]);
  return {};
}

/** Makes a profile for the organization the user picked; checks the token works there first. */
export async function finishOAuth(pending: string, organization: string, deps: AccountDeps): Promise<AddedProfile> {
  const saved = (await deps.session.get([PENDING_SIGN_IN.key(pending)]))[PENDING_SIGN_IN.key(pending)] as
    | { tokens: Tokens; me: { id: string; displayName: string; emailAddress?: string } }
    | undefined;
  if (!saved) throw new Error('That sign-in has expired. Sign in again.');
  // Chosen long after the sign-in (the access token lasts about an hour): its refresh token renews it.
  const tokens =
    needsRefresh(saved.tokens, deps.now()) && saved.tokens.refreshToken
      ? await refresh(await deps.oauthConfig(), { ...deps.oauth, fetch: deps.fetch, now: deps.now }, saved.tokens.refreshToken)
      : saved.tokens;
  const orgBaseUrl = `https://dev.azure.com/${encodeURIComponent(organization)}`;
  const client = createAdoClient({ orgBaseUrl, fetch: deps.fetch, now: deps.now, auth: async () => ({ scheme: 'Bearer', value: tokens.accessToken }) });
  // TF400813 surfaces here, as an AdoError of kind oauthDisabled, before any profile is saved.
  const who = await client.connectionData();
  const profile = Profile.parse({
    id: deps.newId(),
    name: `${organization} (${saved.me.emailAddress ?? saved.me.displayName})`,
    host: { kind: 'cloud' },
    organization,
    auth: 'oauth',
    identity: { id: who.authenticatedUser.id, displayName: saved.me.displayName, ...(saved.me.emailAddress ? { uniqueName: saved.me.emailAddress } : {}) },
    instanceId: who.instanceId,
  });
  // Signing in again as the same user to the same organization renews that profile's sign-in.
  const existing = (await deps.store.list()).find((p) => sameAccount(p, profile));
  const added = await saveAccount(profile, { kind: 'oauth', ...tokens }, deps, existing);
  await deps.session.remove([PENDING_SIGN_IN.key(pending)]);
  return added;
}
