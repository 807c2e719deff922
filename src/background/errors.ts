import { AdoError } from '../shared/ado/errors';
import { orgPolicyPageUrl, tokensPageUrl } from '../shared/ado/urls';
import type { ReplyError } from '../shared/messages';
import { orgBaseUrl, type Profile } from '../shared/profile';
import { CompanionError } from './companion';
import { SignedOutError } from './connections';
import { OAuthError } from './oauth';

/** Turns anything a handler threw into words for a person, with a page that helps where one exists. */
export function toReplyError(e: unknown, profile?: Profile): ReplyError {
  if (e instanceof AdoError) {
    const base = profile ? orgBaseUrl(profile) : undefined;
    // The profile's token was refused: its tokens page helps, and its editor in Options replaces it.
    const refused = !!profile && (e.kind === 'unauthorized' || e.kind === 'forbidden');
    const helpUrl = base && e.kind === 'oauthDisabled' ? orgPolicyPageUrl(base) : base && refused && profile.auth === 'pat' ? tokensPageUrl(base) : undefined;
    // Only a token is updated. A Microsoft sign-in that was refused is signed in again, a page's own
    // session (no profile) wants an account or the page signed in again, and either one's 403 is the
    // person's permissions, not a token's scope.
    const via = e.authScheme === 'Session' ? 'session' : e.authScheme === 'Bearer' ? 'signIn' : undefined;
    const code = via && e.kind === 'unauthorized' ? `${via}Refused` : via && e.kind === 'forbidden' ? `${via}Forbidden` : e.kind;
    return { code, message: e.userMessage, ...(helpUrl ? { helpUrl } : {}), ...(refused ? { profileId: profile.id } : {}) };
  }
  if (e instanceof OAuthError) return { code: `oauth.${e.kind}`, message: e.message };
  if (e instanceof SignedOutError) return { code: 'signedOut', message: e.message };
  if (e instanceof CompanionError) return { code: `companion.${e.code}`, message: e.message, ...(profile && e.code === 'AUTH_FAILED' ? { profileId: profile.id } : {}) };
  return { code: 'FAILED', message: e instanceof Error ? e.message : String(e) };
}
