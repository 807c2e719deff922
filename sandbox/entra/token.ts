import { createHash } from 'node:crypto';
import type { RequestContext } from '../context';
import type { User } from '../store';
import { entraError, entraErrorBody, type EntraError, missingParameter } from './errors';
import { ADO_RESOURCE, base64urlJson, type Grant } from './tokens';

/**
 * `/{tenant}/oauth2/v2.0/token`: `authorization_code` (with PKCE S256 verification) and
 * `refresh_token` grants. Refresh tokens keep the absolute 24-hour lifetime Entra gives
 * single-page-app clients. Personal Microsoft accounts are refused for Azure DevOps.
 */
export async function tokenEndpoint(ctx: RequestContext): Promise<void> {
  const p = await ctx.form();
  const grantType = p.get('grant_type');
  if (!grantType) return fail(ctx, missingParameter('grant_type'));
  const clientId = p.get('client_id');
  if (!clientId) return fail(ctx, missingParameter('client_id'));
  const app = ctx.services.entra.apps.get(clientId);
  if (!app) return fail(ctx, entraError('unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${ctx.params.tenant}'.`));
  if (grantType === 'authorization_code') return redeemCode(ctx, p, app.clientId);
  if (grantType === 'refresh_token') return redeemRefresh(ctx, p, app.clientId);
  return fail(ctx, entraError('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`));
}

function redeemCode(ctx: RequestContext, p: URLSearchParams, clientId: string): void {
  for (const name of ['code', 'redirect_uri', 'code_verifier']) if (!p.get(name)) return fail(ctx, missingParameter(name));
  const tokens = ctx.services.entra.tokens;
  const code = tokens.code(p.get('code')!);
  if (!code || code.clientId !== clientId) return fail(ctx, entraError('invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'));
  if (code.redeemed) {
    return fail(ctx, entraError('invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.'));
  }
  if (code.expiresAt <= Date.now()) {
    return fail(ctx, entraError('invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.'));
  }
  if (code.redirectUri !== p.get('redirect_uri')) {
    return fail(ctx, entraError('invalid_grant', 500112, `The reply address '${p.get('redirect_uri')}' does not match the reply address '${code.redirectUri}' provided when requesting Authorization code.`));
  }
  const challenge = createHash('sha256').update(p.get('code_verifier')!).digest('base64url');
  if (challenge !== code.codeChallenge) {
    return fail(ctx, entraError('invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.'));
  }
  code.redeemed = true;
  const user = ctx.store.user(code.userId);
  if (!user) return fail(ctx, entraError('invalid_grant', 50034, 'The user account does not exist in the directory.'));
  if (user.kind === 'msa') return fail(ctx, msaRefused(user));
  issue(ctx, { userId: user.id, clientId, scopes: code.scopes, tenantId: code.tenantId }, user);
}

function redeemRefresh(ctx: RequestContext, p: URLSearchParams, clientId: string): void {
  const token = p.get('refresh_token');
  if (!token) return fail(ctx, missingParameter('refresh_token'));
  const grant = ctx.services.entra.tokens.refreshToken(token);
  if (!grant || grant.clientId !== clientId) return fail(ctx, entraError('invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'));
  if (grant.expiresAt <= Date.now()) {
    return fail(
      ctx,
      entraError(
        'invalid_grant',
        700084,
        'The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page.',
      ),
    );
  }
  const user = ctx.store.user(grant.userId);
  if (!user) return fail(ctx, entraError('invalid_grant', 50034, 'The user account does not exist in the directory.'));
  issue(ctx, { userId: grant.userId, clientId, scopes: grant.scopes, tenantId: grant.tenantId }, user, grant.expiresAt);
}

function issue(ctx: RequestContext, g: Omit<Grant, 'expiresAt'>, user: User, refreshExpiresAt?: number): void {
  const tokens = ctx.services.entra.tokens;
  const access = tokens.issueAccess(g, { name: user.displayName, upn: user.mail, oid: user.id });
  const wantsRefresh = g.scopes.includes('offline_access');
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: `${ADO_RESOURCE}/user_impersonation`,
    expires_in: access.expiresIn,
    ext_expires_in: access.expiresIn,
    access_token: access.token,
  };
  if (wantsRefresh) body.refresh_token = tokens.issueRefresh(g, refreshExpiresAt);
  if (g.scopes.includes('openid')) body.id_token = idToken(g, user);
  ctx.reply(body, 200, corsHeaders(ctx));
}

/** Entra's answer when a personal Microsoft account asks for an Azure DevOps token. */
function msaRefused(user: User): EntraError {
  return entraError(
    'invalid_request',
    500200,
    `User account '${user.mail}' is a personal Microsoft account. Personal Microsoft accounts are not supported for this application unless explicitly invited to an organization. Try signing out and signing back in with an organizational account.`,
  );
}

function idToken(g: Omit<Grant, 'expiresAt'>, user: User): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = { aud: g.clientId, iss: `https://login.microsoftonline.com/${g.tenantId}/v2.0`, iat: now, nbf: now, exp: now + 3600, name: user.displayName, oid: user.id, preferred_username: user.mail, sub: user.id, tid: g.tenantId, ver: '2.0' };
  return `${base64urlJson({ typ: 'JWT', alg: 'none' })}.${base64urlJson(claims)}.`;
}

function fail(ctx: RequestContext, e: EntraError): void {
  ctx.reply(entraErrorBody(e), e.error === 'invalid_client' ? 401 : 400, corsHeaders(ctx));
}

/** Token redemption for single-page apps is cross-origin (the extension's origin). */
export function corsHeaders(ctx: RequestContext): Record<string, string> {
  const origin = ctx.req.headers.origin;
  return origin ? { 'access-control-allow-origin': String(origin), vary: 'Origin' } : {};
}
