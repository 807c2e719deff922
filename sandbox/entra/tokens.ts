import { createHash, createHmac } from 'node:crypto';
import { randomGuid, randomToken } from '../ids';

/** The Azure DevOps resource (application id) in Entra ID. */
export const ADO_RESOURCE = '499b84ac-1321-427f-aa17-267ca6975798';

export interface Lifetimes {
  accessTokenSeconds: number;
  /** Refresh tokens issued to single-page-app redirect URIs last 24 hours. */
  refreshTokenSeconds: number;
  codeSeconds: number;
}

export const DEFAULT_LIFETIMES: Lifetimes = { accessTokenSeconds: 3599, refreshTokenSeconds: 86_400, codeSeconds: 600 };

export interface AuthCode {
  code: string;
  userId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  tenantId: string;
  expiresAt: number;
  redeemed: boolean;
}

export interface Grant {
  userId: string;
  clientId: string;
  scopes: string[];
  tenantId: string;
  expiresAt: number;
}

export interface AccessGrant extends Grant {
  token: string;
}

/** Codes, access tokens and refresh tokens the Entra stand-in issued. */
export class EntraTokens {
  lifetimes: Lifetimes = { ...DEFAULT_LIFETIMES };
  private readonly codes = new Map<string, AuthCode>();
  private readonly access = new Map<string, AccessGrant>();
  private readonly refresh = new Map<string, Grant>();
  private readonly signingKey = randomToken(32);

  issueCode(c: Omit<AuthCode, 'code' | 'expiresAt' | 'redeemed'>): string {
    const code = `1.${randomToken(48)}`;
    this.codes.set(code, { ...c, code, expiresAt: Date.now() + this.lifetimes.codeSeconds * 1000, redeemed: false });
    return code;
  }

  code(code: string): AuthCode | undefined {
    return this.codes.get(code);
  }

  /**
   * A JWT-shaped access token (the product may read `exp`, `upn`, `name` from it) that the
   * sandbox also remembers, so only tokens it issued are accepted.
   */
  issueAccess(g: Omit<Grant, 'expiresAt'>, claims: { name: string; upn: string; oid: string }): { token: string; expiresIn: number } {
    const expiresIn = this.lifetimes.accessTokenSeconds;
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      aud: ADO_RESOURCE,
      iss: `https://sts.windows.net/${g.tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + expiresIn,
      appid: g.clientId,
      name: claims.name,
      upn: claims.upn,
      oid: claims.oid,
      tid: g.tenantId,
      scp: 'user_impersonation',
      uti: randomGuid(),
      ver: '1.0',
    };
    const unsigned = `${base64urlJson({ typ: 'JWT', alg: 'HS256', kid: 'ado-sandbox' })}.${base64urlJson(payload)}`;
    const token = `${unsigned}.${createHmac('sha256', this.signingKey).update(unsigned).digest('base64url')}`;
    this.access.set(hashOf(token), { ...g, token, expiresAt: Date.now() + expiresIn * 1000 });
    return { token, expiresIn };
  }

  /** The grant behind a bearer token, or why it is not usable. */
  accessToken(token: string): AccessGrant | 'expired' | undefined {
    const g = this.access.get(hashOf(token));
    if (!g) return undefined;
    return g.expiresAt <= Date.now() ? 'expired' : g;
  }

  issueRefresh(g: Omit<Grant, 'expiresAt'>, expiresAt?: number): string {
    const token = `1.${randomToken(64)}`;
    this.refresh.set(token, { ...g, expiresAt: expiresAt ?? Date.now() + this.lifetimes.refreshTokenSeconds * 1000 });
    return token;
  }

  refreshToken(token: string): Grant | undefined {
    return this.refresh.get(token);
  }

  /**
   * For tests: `userId`'s sign-ins as they are a day later, when every access token and a
   * single-page app's refresh token (24 hours, not extended by use) have run out.
   */
  lapse(userId: string): void {
    for (const g of [...this.access.values(), ...this.refresh.values()]) if (g.userId === userId) g.expiresAt = Date.now();
  }
}

/** One part of a JWT. */
export function base64urlJson(o: object): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
