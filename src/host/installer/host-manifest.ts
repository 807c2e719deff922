/** The native messaging manifest for one browser, and which extension ids it lets in. */
import { ADO_COMPANION_CHROME_ID, ADO_COMPANION_GECKO_ID, CHROME_ID, GECKO_ID } from '../../shared/extension-ids';
import { HOST_NAME } from '../../shared/host-protocol';
import { isFirefox, type Browser } from './browser-locations';

export interface ExtensionIds {
  chrome: string[];
  gecko: string[];
}

/** The built-in ids plus those given with `--extension-id` (sorted by form: Chrome or Firefox). */
export function extensionIds(extra: readonly string[]): ExtensionIds {
  const ids: ExtensionIds = { chrome: [ADO_COMPANION_CHROME_ID], gecko: [ADO_COMPANION_GECKO_ID] };
  for (const id of extra) {
    if (CHROME_ID.test(id)) ids.chrome.push(id);
    else if (GECKO_ID.test(id)) ids.gecko.push(id);
    else throw new Error(`"${id}" is neither a Chrome extension id (32 letters a-p) nor a Firefox add-on id (name@domain or {uuid})`);
  }
  return { chrome: [...new Set(ids.chrome)], gecko: [...new Set(ids.gecko)] };
}

export interface HostManifest {
  name: string;
  description: string;
  path: string;
  type: 'stdio';
  allowed_origins?: string[];
  allowed_extensions?: string[];
}

export function hostManifest(browser: Browser, launcherPath: string, ids: ExtensionIds): HostManifest {
  const common = {
    name: HOST_NAME,
    description: 'Azure DevOps Companion: clones repositories and manages SSH keys for the browser extension',
    path: launcherPath,
    type: 'stdio' as const,
  };
  return isFirefox(browser)
    ? { ...common, allowed_extensions: ids.gecko }
    : { ...common, allowed_origins: ids.chrome.map((id) => `chrome-extension://${id}/`) };
}
