import { AdoError, OLDEST_API_VERSION, refusedForPermission, serverApiVersions } from '../shared/ado/errors';
import { orgPolicyPageUrl, tokensPageUrl } from '../shared/ado/urls';
import { refusedBySsh } from '../shared/clone-failure';
import type { ReplyError } from '../shared/messages';
import { orgBaseUrl, type Profile } from '../shared/profile';
import { CompanionError } from './companion';
import { SignedOutError } from './connections';
import { OAuthError } from './oauth';

/**
 * A request to an Azure DevOps Server the browser no longer lets the extension reach: the person
 * took back its access to the site (the browser's own menus can). Not a network failure: no
 * connection or VPN brings it back, the access asked again in Options does.
 */
export class NoHostAccessError extends Error {
  constructor(host: string) {
    super(`The browser no longer lets Azure DevOps Companion reach ${host}: its access to the site was taken back. Allow it again in Options › Profiles.`);
    this.name = 'NoHostAccessError';
  }
}

/**
 * Why a request to `url` failed: NoHostAccessError when the browser no longer lets the extension
 * reach that site (`hostAccess` says so), else `e` as it was. Asked only after a failure: the
 * browser's own error says nothing about access.
 */
export async function unlessHostAccessTaken(e: unknown, url: string | undefined, hostAccess: ((origin: string) => Promise<boolean>) | undefined): Promise<unknown> {
  const origin = url ? new URL(url).origin : undefined;
  return origin && hostAccess && !(await hostAccess(origin)) ? new NoHostAccessError(new URL(origin).host) : e;
}

/** A pull request refused because one is open for the same two branches (TF401179), and that one. */
export class PullRequestExistsError extends Error {
  constructor(
    readonly existing: { id: number; webUrl: string },
    cause: unknown,
  ) {
    super(`Pull request ${existing.id} from this branch into that one is already open: there is one per pair of branches. Open it, or choose other branches.`, { cause });
    this.name = 'PullRequestExistsError';
  }
}

/** Turns anything a handler threw into words for a person, with a page that helps where one exists. */
export function toReplyError(e: unknown, profile?: Profile): ReplyError {
  // No credential to send at all (a sign-in removed, its refresh refused), or no access to the server: say that, not a refusal or a network failure.
  if (e instanceof AdoError && (e.cause instanceof SignedOutError || e.cause instanceof OAuthError || e.cause instanceof NoHostAccessError)) return toReplyError(e.cause, profile);
  if (e instanceof PullRequestExistsError) return { code: 'conflict', message: e.message, pullRequest: { id: e.existing.id, webUrl: e.existing.webUrl } };
  if (e instanceof NoHostAccessError) return { code: 'hostAccess', message: e.message, ...(profile ? { profileId: profile.id } : {}) };
  if (e instanceof AdoError) {
    const base = profile ? orgBaseUrl(profile) : undefined;
    const code = codeOf(e);
    // A refused credential of the profile: its editor in Options replaces or renews it, and a token's own page helps.
    const refused = !!profile && ['unauthorized', 'forbidden', 'signInRefused'].includes(code);
    const helpUrl = base && e.kind === 'oauthDisabled' ? orgPolicyPageUrl(base) : base && refused && profile.auth === 'pat' ? tokensPageUrl(base) : undefined;
    // A server older than the profile's api-version: its editor, where the token entered again checks the version afresh.
    const mended = refused || code === 'serverTooOld';
    return { code, message: e.userMessage, ...(helpUrl ? { helpUrl } : {}), ...(profile && mended ? { profileId: profile.id } : {}) };
  }
  if (e instanceof OAuthError) return { code: `oauth.${e.kind}`, message: e.message };
  // A token profile without its token (imported: exports carry none) is mended in its own editor,
  // not by adding another account.
  if (e instanceof SignedOutError && e.profile.auth === 'pat') {
    return { code: 'unauthorized', message: `“${e.profile.name}” has no token on this computer (a profile imported from another one comes without it). Update the token to use it.`, profileId: e.profile.id };
  }
  if (e instanceof SignedOutError) return { code: 'signedOut', message: e.message };
  if (e instanceof CompanionError) {
    if (e.code !== 'AUTH_FAILED') return { code: `companion.${e.code}`, message: e.message, ...(e.happened ? { happened: e.happened } : {}) };
    // Refused by ssh: the SSH key is at stake, whatever profile asked, never its token.
    if (refusedBySsh(e.message)) return { code: 'companion.SSH_REFUSED', message: e.message };
    // git refused the credential. Without a profile git signed in with the credential helper's
    // account, and a token of our own is the way past it; a profile's token is updated, and its
    // Microsoft sign-in signed in again, in its editor.
    if (!profile) return { code: 'companion.AUTH_FAILED_NO_PROFILE', message: e.message };
    return { code: profile.auth === 'oauth' ? 'companion.SIGN_IN_REFUSED' : 'companion.AUTH_FAILED', message: e.message, profileId: profile.id };
  }
  return { code: 'FAILED', message: e instanceof Error ? e.message : String(e) };
}

/**
 * Whose matter a refusal is, so that its button fits: only a token is updated ('unauthorized',
 * 'forbidden'); a Microsoft sign-in is signed in again ('signInRefused'); a page's own session
 * wants an account or the page signed in again ('sessionRefused', 'signInPage'); and a 403 of
 * either, or Azure DevOps' own "you may not" in a success answer (a branch permission: no HTTP
 * status), is the person's permissions, which nothing in Options changes.
 */
function codeOf(e: AdoError): string {
  // Older than any version the extension speaks: nothing in Options mends that.
  if (e.kind === 'serverTooOld' && (serverApiVersions(e.adoMessage).latest ?? OLDEST_API_VERSION) < OLDEST_API_VERSION) return 'serverUnsupported';
  const refusal = e.kind === 'unauthorized' || e.kind === 'forbidden' || e.kind === 'signInPage';
  if (!refusal) return e.kind;
  if (e.kind === 'forbidden' && (e.status === undefined || refusedForPermission(e.adoMessage))) return 'notPermitted';
  if (e.authScheme === 'Session') return e.kind === 'forbidden' ? 'sessionForbidden' : e.kind === 'unauthorized' ? 'sessionRefused' : 'signInPage';
  if (e.authScheme === 'Bearer') return e.kind === 'forbidden' ? 'signInForbidden' : 'signInRefused';
  // A token answered with a sign-in page was refused all the same.
  return e.authScheme === 'Basic' && e.kind === 'signInPage' ? 'unauthorized' : e.kind;
}
