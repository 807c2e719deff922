import type { IncomingMessage } from 'node:http';
import type { Principal } from './context';
import { AzdoError, azdoErrors } from './errors';
import { CLOUD_HOST, LOGIN_HOST, ONPREM_HOST, ONPREM_PREFIX } from './hosts';
import { grantsScope } from './scopes';
import type { Services } from './services';
import { readCookie, SESSION_COOKIE } from './sessions';
import type { Hosting, Organization, Pat } from './store';

/**
 * Authentication and authorization as Azure DevOps does them:
 * - PAT: `Authorization: Basic base64(anyname:PAT)`; each PAT has scopes and organizations.
 * - OAuth: `Authorization: Bearer` with a token from the Entra stand-in; unknown on-prem (the
 *   server's 401 page), refused where the organization turned third-party OAuth off (401 TF400813).
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

/** `org`: the organization or collection asked for, whose challenges a refusal carries. */
export function authenticate(req: IncomingMessage, services: Services, org?: Organization): Credential {
  const header = req.headers.authorization;
  if (header) {
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'basic') return fromPat(value, services, org);
    if (scheme === 'bearer') return fromBearer(value, services, org);
    return { kind: 'invalid', error: azdoErrors.unauthorized(`The authorization scheme '${scheme}' is not supported.`, challengeHeaders(org)) };
  }
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  const userId = cookie && services.sessions.userId(cookie);
  const user = userId && services.store.user(userId);
  if (user) return { kind: 'ok', principal: { user, via: 'cookie' } };
  return { kind: 'none' };
}

function fromPat(encoded: string, services: Services, org: Organization | undefined): Credential {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const token = colon < 0 ? '' : decoded.slice(colon + 1);
  const pat = token ? services.store.patByToken(token) : undefined;
  const user = pat && services.store.user(pat.userId);
  if (!pat || !user || (org && madeOn(pat, services) !== org.hosting)) return notRecognised(org);
  if (pat.revoked) return refused('Access Denied: The Personal Access Token used has been revoked.', org);
  if (Date.parse(pat.validTo) <= Date.now()) return refused('Access Denied: The Personal Access Token used has expired.', org);
  return { kind: 'ok', principal: { user, via: 'pat', pat } };
}

/**
 * Where a PAT was made. The cloud and an Azure DevOps Server each keep their own tokens: one made
 * on the other is as unknown to them as a mistyped one.
 */
function madeOn(pat: Pat, services: Services): Hosting {
  return pat.orgs === 'all' || pat.orgs.some((id) => services.store.organization(id)?.hosting === 'cloud') ? 'cloud' : 'onprem';
}

/**
 * Answered as no credential at all: the anonymous TF400813 (VS30063, "You are not authorized to
 * access …", is what .NET clients print for a 401, not what the service sends:
 * microsoft/azure-pipelines-agent#2486, #3271).
 */
function notRecognised(org: Organization | undefined): Credential {
  return { kind: 'invalid', error: azdoErrors.anonymous(challengeHeaders(org)), unknown: true };
}

/**
 * A PAT the service knows but refuses: 401 with an AccessCheckException, as seen for an expired
 * one (microsoft/azure-pipelines-tasks#18732, SSWConsulting/SSW.People.Profiles#782,
 * DonJayamanne/gitHistoryVSCode#627); the revoked one's message is the sandbox's.
 */
function refused(message: string, org: Organization | undefined): Credential {
  const security = 'Microsoft.VisualStudio.Services.Security';
  const web = 'Microsoft.VisualStudio.Services.WebApi';
  const customProperties = { Descriptor: null, IdentityDisplayName: null, Token: null, RequestedPermissions: 0, NamespaceId: '00000000-0000-0000-0000-000000000000' };
  return { kind: 'invalid', error: new AzdoError(401, message, 'AccessCheckException', `${security}.AccessCheckException, ${web}`, challengeHeaders(org), customProperties) };
}

function fromBearer(token: string, services: Services, org: Organization | undefined): Credential {
  const grant = services.entra.tokens.accessToken(token);
  const user = grant && grant !== 'expired' ? services.store.user(grant.userId) : undefined;
  // An Azure DevOps Server does not know Entra's tokens, as it does not know the cloud's PATs.
  if (!grant || grant === 'expired' || !user || org?.hosting === 'onprem') return notRecognised(org);
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
    } else if (orgs !== 'all' && !orgs.includes(org.id)) {
      return denied;
    }
    if (scope && !grantsScope(p.pat.scopes, scope)) {
      return azdoErrors.forbidden(
        `Access Denied: The Personal Access Token used does not have the scope '${scope}' this request needs.`,
      );
    }
  }
  if (p.via === 'bearer' && org && !org.oauthAllowed) return denied;
  if (org && !org.memberIds.includes(p.user.id)) return denied;
  return undefined;
}

/**
 * The challenges the real service sends with a REST 401. Cloud: microsoft/azure-pipelines-agent#1164, #4826,
 * #4916 (`Basic realm="https://tfsprod….visualstudio.com/"`, `Bearer`, `TFS-Federated`, the
 * X-TFS-FedAuth* headers); the issuer is the organization's URL (`https://dev.azure.com/{org}/`:
 * curl/curl#13899; #1164 shows `https://{org}.visualstudio.com/` for the older URLs), the bare
 * host only where no organization is asked for. On-prem: `Bearer, Basic realm="{server URL}",
 * Negotiate, NTLM` (microsoft/azure-pipelines-agent#2486: `realm="http://…:8080/tfs"`, #3271,
 * #5616), no FedAuth headers.
 */
export function challengeHeaders(org?: Organization): Record<string, string | string[]> {
  if (org?.hosting === 'onprem') return { 'www-authenticate': [...ONPREM_CHALLENGES, 'Negotiate', 'NTLM'] };
  const tenant = org?.tenantId ?? 'organizations';
  return {
    'www-authenticate': [`Bearer authorization_uri=https://${LOGIN_HOST}/${tenant}`, `Basic realm="${DEPLOYMENT_URL}"`, 'TFS-Federated'],
    'x-tfs-fedauthrealm': DEPLOYMENT_URL,
    'x-tfs-fedauthissuer': `https://${CLOUD_HOST}/${org ? `${org.name}/` : ''}`,
    'x-vss-resourcetenant': org?.tenantId ?? '00000000-0000-0000-0000-000000000000',
  };
}

/**
 * The challenges of a git route's 401: in the cloud `Basic realm="{deployment}"` then
 * `TFS-Federated` (coder/coder#12351, a token not accepted on `git clone`, 2024) and no Bearer
 * (curl/curl#13899, 2024: the Basic challenge is the first, and it has the FedAuth headers too);
 * on-prem as for REST less Negotiate and NTLM: the sandbox has no Windows authentication, and curl
 * (git) would pick them over Basic and never ask the credential helper.
 */
export function gitChallengeHeaders(org?: Organization): Record<string, string | string[]> {
  if (org?.hosting === 'onprem') return { 'www-authenticate': ONPREM_CHALLENGES };
  return { ...challengeHeaders(org), 'www-authenticate': [`Basic realm="${DEPLOYMENT_URL}"`, 'TFS-Federated'] };
}

const ONPREM_CHALLENGES = ['Bearer', `Basic realm="https://${ONPREM_HOST}${ONPREM_PREFIX}"`];

/** The scale unit behind the cloud organizations (the realm names one, e.g. tfsprodneu2). */
const DEPLOYMENT_URL = 'https://tfsprodweu5.visualstudio.com/';
