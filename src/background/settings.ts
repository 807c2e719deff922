import type { KeyValue } from './profile-store';
import type { OAuthConfig } from './oauth';
import { OAUTH_SETTINGS } from '../shared/storage-keys';

/**
 * The Entra app registration is configuration, not a constant: a build may bake in a default
 * (VITE_ENTRA_CLIENT_ID, VITE_ENTRA_TENANT) and the user can change it under Options › Advanced.
 */
const env = (import.meta as { env?: Record<string, string | undefined> }).env ?? {};
export const DEFAULT_OAUTH: OAuthConfig = {
  clientId: env.VITE_ENTRA_CLIENT_ID ?? '',
  tenant: env.VITE_ENTRA_TENANT ?? 'organizations',
  authority: 'https://login.microsoftonline.com',
};

export async function oauthConfig(kv: KeyValue): Promise<OAuthConfig> {
  const saved = (await kv.get([OAUTH_SETTINGS.key]))[OAUTH_SETTINGS.key] as Partial<OAuthConfig> | undefined;
  return {
    ...DEFAULT_OAUTH,
    ...(saved?.clientId ? { clientId: saved.clientId } : {}),
    ...(saved?.tenant ? { tenant: saved.tenant } : {}),
  };
}

export async function setOAuthConfig(kv: KeyValue, c: { clientId: string; tenant: string }): Promise<void> {
  await kv.set({ [OAUTH_SETTINGS.key]: { clientId: c.clientId, tenant: c.tenant } });
}
