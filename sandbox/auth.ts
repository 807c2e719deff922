import type { IncomingMessage } from 'node:http';
import type { Principal } from './context';
import { AzdoError, azdoErrors } from './errors';
import { CLOUD_HOST, LOGIN_HOST } from './hosts';
import { grantsScope } from './scopes';
import type { Services } from './services';
import { readCookie, SESSION_COOKIE } from './sessions';
import type { Organization } from './store';

/**
 * Authentication and authorization as Azure DevOps does them:
 * - PAT: `Authorization: Basic base64(anyname:PAT)`; each PAT has scopes and organizations.
 * - OAuth: `Authorization: Bearer` with a token from the Entra stand-in; refused on-prem and
 *   where the organization turned third-party OAuth off (401 TF400813).
 * - Browser session: the `UserAuthentication` cookie from `/_sandbox/signin`.
 */

/**
 * `unknown`: a credential the service does not recognise (no such PAT, a forged or expired bearer
 * token). REST answers it as it answers no credential at all (server.ts); a PAT it recognises but
 * refuses (expired, revoked) gets its own 401.
 */
export type Credential =
  | { kind: 'none' }
  | { kind: 'ok'; principal: Principal }
  | { kind: 'invalid'; error: AzdoError; unknown?: boolean };

export function authenticate(req: IncomingMessage, services: Services): Credential {
  const header = req.headers.authorization;
  if (header) {
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'basic') return fromPat(value, services);
    if (scheme === 'bearer') return fromBearer(value, services);
    return { kind: 'invalid', error: azdoErrors.unauthorized(`The authorization scheme '${scheme}' is not supported.`, challengeHeaders()) };
  }
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  const userId = cookie && services.sessions.userId(cookie);
  const user = userId && services.store.user(userId);
  if (user) return { kind: 'ok', principal: { user, via: 'cookie' } };
  return { kind: 'none' };
}

function fromPat(encoded: string, services: Services): Credential {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const token = colon < 0 ? '' : decoded.slice(colon + 1);
  const pat = token ? services.store.patByToken(token) : undefined;
  const user = pat && services.store.user(pat.userId);
  if (!pat || !user) return { kind: 'invalid', error: azdoErrors.unauthorized('Access Denied: The Personal Access Token used is not valid.', challengeHeaders()), unknown: true };
  if (pat.revoked) return refused('Access Denied: The Personal Access Token used has been revoked.');
  if (Date.parse(pat.validTo) <= Date.now()) return refused('Access Denied: The Personal Access Token used has expired.');
  return { kind: 'ok', principal: { user, via: 'pat', pat } };
}

/**
 * A PAT the service knows but refuses: 401 with an AccessCheckException, as seen for an expired
 * one (microsoft/azure-pipelines-tasks#18732, SSWConsulting/SSW.People.Profiles#782,
 * DonJayamanne/gitHistoryVSCode#627); the revoked one's message is the sandbox's.
 */
function refused(message: string): Credential {
  const security = 'Microsoft.VisualStudio.Services.Security';
  const web = 'Microsoft.VisualStudio.Services.WebApi';
  const customProperties = { Descriptor: null, IdentityDisplayName: null, Token: null, RequestedPermissions: 0, NamespaceId: '00000000-0000-0000-0000-000000000000' };
  return { kind: 'invalid', error: new AzdoError(401, message, 'AccessCheckException', `${security}.AccessCheckException, ${web}`, challengeHeaders(), customProperties) };
}

function fromBearer(token: string, services: Services): Credential {
  const grant = services.entra.tokens.accessToken(token);
  const user = grant && grant !== 'expired' ? services.store.user(grant.userId) : undefined;
  if (!grant || grant === 'expired' || !user) {
    return { kind: 'invalid', error: azdoErrors.unauthorized(`VS30063: You are not authorized to access https://${CLOUD_HOST}.`, challengeHeaders()), unknown: true };
  }
  return { kind: 'ok', principal: { user, via: 'bearer', clientId: grant.clientId } };
}

/**
 * May this principal use this organization (or, without one, the profile/accounts APIs) with
 * this scope? Returns the error to answer, if not.
 */
export function authorize(p: Principal, org: Organization | undefined, scope: string | undefined): AzdoError | undefined {
  const denied = azdoErrors.userNotAuthorized(p.user.id, challengeHeaders(org));
  if (p.via === 'pat' && p.pat) {
    const orgs = p.pat.orgs;
    if (!org) {
      // profiles/me and accounts need an "All accessible organizations" PAT (or OAuth).
      if (orgs !== 'all') return denied;
    } else if (orgs === 'all' ? org.hosting !== 'cloud' : !orgs.includes(org.id)) {
      return denied;
    }
    if (scope && !grantsScope(p.pat.scopes, scope)) {
      return azdoErrors.forbidden(
        `Access Denied: The Personal Access Token used does not have the scope '${scope}' this request needs.`,
      );
    }
  }
  if (p.via === 'bearer' && org && (org.hosting !== 'cloud' || !org.oauthAllowed)) return denied;
  if (org && !org.memberIds.includes(p.user.id)) return denied;
  return undefined;
}

/** The challenges the real service sends with a 401. */
export function challengeHeaders(org?: Organization): Record<string, string | string[]> {
  const tenant = org?.tenantId ?? 'organizations';
  return {
    'www-authenticate': [`Bearer authorization_uri=https://${LOGIN_HOST}/${tenant}`, 'Basic realm="https://tfsprodweu5.visualstudio.com/"', 'TFS-Federated'],
    'x-tfs-fedauthrealm': 'https://tfsprodweu5.visualstudio.com/',
    'x-tfs-fedauthissuer': `https://${CLOUD_HOST}/`,
    'x-vss-resourcetenant': org?.tenantId ?? '00000000-0000-0000-0000-000000000000',
  };
}
