/** The host names the sandbox answers for, and how a request's Host header maps to them. */

export const CLOUD_HOST = 'dev.azure.com';
export const VSSPS_HOST = 'vssps.dev.azure.com';
export const PROFILE_HOST = 'app.vssps.visualstudio.com';
export const LOGIN_HOST = 'login.microsoftonline.com';
export const ONPREM_HOST = 'tfs.fabrikam.test';
/** The on-prem server's virtual directory: collections live at `/tfs/{collection}`. */
export const ONPREM_PREFIX = '/tfs';
const LEGACY_SUFFIX = '.visualstudio.com';
/** The Marketplace serves a publisher's extension files from `{publisher}.gallerycdn.vsassets.io`. */
export const MARKETPLACE_CDN_SUFFIX = 'gallerycdn.vsassets.io';

/**
 * cloud   dev.azure.com/{org}/...
 * legacy  {org}.visualstudio.com/... (optionally /DefaultCollection/...)
 * vssps   vssps.dev.azure.com/{org}/...   (identity APIs)
 * profile app.vssps.visualstudio.com/...  (profile, accounts)
 * login   login.microsoftonline.com/...   (the Entra ID stand-in)
 * onprem  tfs.fabrikam.test/tfs/{collection}/...
 * local   localhost / 127.0.0.1 (only the /_sandbox admin routes)
 */
export type HostKind = 'cloud' | 'legacy' | 'vssps' | 'profile' | 'login' | 'onprem' | 'local';

export interface HostInfo {
  kind: HostKind;
  /** Lower-case host name without the port. */
  hostname: string;
  /** For `legacy`: the organization named by the host. */
  org?: string;
}

/** Host names with a port are accepted too: git reaches the sandbox as `dev.azure.com:PORT`. */
export function classifyHost(hostHeader: string | undefined): HostInfo | undefined {
  if (!hostHeader) return undefined;
  const hostname = hostHeader.replace(/:\d+$/, '').toLowerCase();
  switch (hostname) {
    case CLOUD_HOST:
      return { kind: 'cloud', hostname };
    case VSSPS_HOST:
      return { kind: 'vssps', hostname };
    case PROFILE_HOST:
      return { kind: 'profile', hostname };
    case LOGIN_HOST:
      return { kind: 'login', hostname };
    case ONPREM_HOST:
      return { kind: 'onprem', hostname };
    case 'localhost':
    case '127.0.0.1':
      return { kind: 'local', hostname };
  }
  if (hostname.endsWith(LEGACY_SUFFIX)) {
    const org = hostname.slice(0, -LEGACY_SUFFIX.length);
    if (/^[a-z0-9][a-z0-9-]*$/.test(org)) return { kind: 'legacy', hostname, org };
  }
  return undefined;
}

export function legacyHost(org: string): string {
  return `${org.toLowerCase()}${LEGACY_SUFFIX}`;
}

/** Names the leaf certificate must carry. */
export function certificateDnsNames(): string[] {
  return [CLOUD_HOST, `*.${CLOUD_HOST}`, `*${LEGACY_SUFFIX}`, PROFILE_HOST, LOGIN_HOST, ONPREM_HOST, `*.${MARKETPLACE_CDN_SUFFIX}`, 'localhost'];
}

/** Every host a client may need to map to the sandbox, given the organizations that exist. */
export function sandboxHosts(cloudOrgs: string[]): string[] {
  return [CLOUD_HOST, VSSPS_HOST, PROFILE_HOST, LOGIN_HOST, ONPREM_HOST, ...cloudOrgs.map(legacyHost)];
}

/** Chromium's `--host-resolver-rules` value sending every sandbox host to 127.0.0.1:port. */
export function hostResolverRules(port: number): string {
  const target = `127.0.0.1:${port}`;
  const names = [CLOUD_HOST, `*.${CLOUD_HOST}`, PROFILE_HOST, `*${LEGACY_SUFFIX}`, LOGIN_HOST, ONPREM_HOST];
  return [...names.map((n) => `MAP ${n} ${target}`), 'EXCLUDE localhost'].join(', ');
}
