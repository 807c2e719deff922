import type { KeyValue } from './profile-store';
import type { OAuthConfig } from './oauth';

/**
 * The Entra app registration is configuration, not a constant: a build may bake in a default
 * (VITE_ENTRA_CLIENT_ID, VITE_ENTRA_TENANT) and the user can change it under Options › Advanced.
 */
const KEY = 'settings:oauth';
const env = (import.meta as { env?: Record<string, string | undefined> }).env ?? {};
export const DEFAULT_OAUTH: OAuthConfig = {
  clientId: env.VITE_ENTRA_CLIENT_ID ?? '',
  tenant: env.VITE_ENTRA_TENANT ?? 'organizations',
  authority: 'https://login.microsoftonline.com',
};

export async function oauthConfig(kv: KeyValue): Promise<OAuthConfig> {
  const saved = (await kv.get([KEY]))[KEY] as Partial<OAuthConfig> | undefined;
  return {
    ...DEFAULT_OAUTH,
    ...(saved?.clientId ? { clientId: saved.clientId } : {}),
    ...(saved?.tenant ? { tenant: saved.tenant } : {}),
  };
}

export async function setOAuthConfig(kv: KeyValue, c: { clientId: string; tenant: string }): Promise<void> {
  await kv.set({ [KEY]: { clientId: c.clientId, tenant: c.tenant } });
}
