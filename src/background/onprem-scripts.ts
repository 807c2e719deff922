import { grantedPattern, type Profile } from '../shared/profile';

/**
 * Azure DevOps Server lives on hosts the manifest cannot name. Once the user grants an on-prem
 * origin (optional host permission, asked from Options), the content script is registered for it,
 * so the injected features work there as on dev.azure.com.
 */
export interface ScriptingApi {
  getRegisteredContentScripts(): Promise<{ id: string }[]>;
  registerContentScripts(scripts: { id: string; matches: string[]; js: string[]; runAt: 'document_idle'; persistAcrossSessions: boolean }[]): Promise<void>;
  unregisterContentScripts(filter: { ids: string[] }): Promise<void>;
}

const ID = 'ado-companion-onprem';

/**
 * A file of the manifest as registerContentScripts takes it: relative. Firefox's getManifest()
 * gives content_scripts' files as full moz-extension:// URLs, which it then refuses there.
 */
export const extensionPath = (file: string, extensionOrigin: string): string => (file.startsWith(extensionOrigin) ? file.slice(extensionOrigin.length) : file);

export async function syncOnPremContentScripts(
  profiles: Profile[],
  deps: { scripting: ScriptingApi | undefined; hasPermission: (origins: string[]) => Promise<boolean>; contentScript: string },
): Promise<string[]> {
  if (!deps.scripting) return [];
  const wanted = new Set<string>();
  for (const p of profiles) {
    const granted = p.host.kind === 'onprem' ? await grantedPattern(p.host.collectionUrl, (pattern) => deps.hasPermission([pattern])) : undefined;
    if (granted) wanted.add(granted);
  }
  const registered = await deps.scripting.getRegisteredContentScripts();
  if (registered.some((s) => s.id === ID)) await deps.scripting.unregisterContentScripts({ ids: [ID] });
  if (wanted.size > 0)
    await deps.scripting.registerContentScripts([{ id: ID, matches: [...wanted], js: [deps.contentScript], runAt: 'document_idle', persistAcrossSessions: true }]);
  return [...wanted];
}
