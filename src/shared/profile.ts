import * as z from 'zod';
import type { AdoPage } from './ado/urls';
import { CLOUD_SSH_HOSTS } from './host-constants';
import { FOLDER_BAD_CHAR, SHORT_NAME_TILDE, WINDOWS_DEVICE_NAME } from './folder-name';

/**
 * A profile is one signed-in identity in one organization (or on-prem collection). Secrets are
 * never part of it: the background keeps them apart, so a profile can be shown, exported and
 * synced without leaking anything.
 */
export const Host = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cloud') }),
  // The collection's base URL, e.g. https://tfs.fabrikam.test/tfs/DefaultCollection
  z.object({ kind: z.literal('onprem'), collectionUrl: z.string().url() }),
]);
export type Host = z.infer<typeof Host>;

export const Identity = z.object({
  id: z.string(),
  displayName: z.string(),
  uniqueName: z.string().optional(),
});
export type Identity = z.infer<typeof Identity>;

export const Profile = z.object({
  id: z.string(),
  name: z.string().min(1),
  host: Host,
  organization: z.string().min(1),
  auth: z.enum(['pat', 'oauth']),
  identity: Identity.optional(),
  /** connectionData.instanceId: the organization's (or collection's) id. */
  instanceId: z.string().optional(),
  /** An absolute folder; absent: the companion's first clone root. */
  cloneRoot: z.string().optional(),
  /** Where a clone goes below the root. */
  layout: z.string().default('{org}/{project}/{repo}'),
  protocol: z.enum(['https', 'ssh']).default('https'),
  apiVersion: z.string().default('7.1'),
});
export type Profile = z.infer<typeof Profile>;

/** The REST base of a profile: https://dev.azure.com/{org} or the on-prem collection URL. */
export function orgBaseUrl(p: Pick<Profile, 'host' | 'organization'>): string {
  return p.host.kind === 'cloud'
    ? `https://dev.azure.com/${encodeURIComponent(p.organization)}`
    : p.host.collectionUrl.replace(/\/+$/, '');
}

/**
 * The host permission (and content script match) a site needs, for a URL or an origin: without its
 * port (`https://server:8080/…` → `https://server/*`). Firefox's match patterns have no port: it
 * grants `https://server:8080/*` yet refuses every request to server:8080, while a pattern without
 * one covers every port, there and in Chrome. Which profile a page is of still compares the port.
 */
export const originPattern = (url: string): string => {
  const { protocol, hostname } = new URL(url);
  return `${protocol}//${hostname}/*`;
};

/**
 * The patterns whose grant lets the extension reach `url`'s site, the one asked for now first.
 * Earlier versions asked with the port (`https://server:8080/*`), which Chrome honours: a grant
 * from then still counts, so an update does not take a working server away (Firefox never honoured
 * it, and could not add such a server then).
 */
export const grantingPatterns = (url: string): string[] => {
  const { protocol, hostname, port } = new URL(url);
  return port ? [originPattern(url), `${protocol}//${hostname}:${port}/*`] : [originPattern(url)];
};

/** The first of `url`'s granting patterns that `contains` says is granted. */
export async function grantedPattern(url: string, contains: (pattern: string) => Promise<boolean>): Promise<string | undefined> {
  for (const pattern of grantingPatterns(url)) if (await contains(pattern)) return pattern;
  return undefined;
}

/**
 * The Azure DevOps Server hosts of these profiles, as `parseAdoUrl`'s `onPremHosts` wants them:
 * each collection URL without its last segment (the collection).
 */
export function onPremServers(profiles: Pick<Profile, 'host'>[]): string[] {
  const servers = profiles.flatMap((p) => (p.host.kind === 'onprem' ? [p.host.collectionUrl.replace(/\/+$/, '').replace(/\/[^/]*$/, '')] : []));
  return [...new Set(servers)];
}

/**
 * The SSH hosts git reaches these profiles' repositories at, for the companion's ~/.ssh/config
 * block: the Azure DevOps Services pair when a profile is in the cloud (or there is none yet), and
 * each server by the name its SSH clone URLs give (`ssh://tfs.contoso.com:22/…`, the name of its
 * web address). An ssh `Host` matches the name alone: the port comes from the URL.
 */
export function sshHosts(profiles: Pick<Profile, 'host'>[]): string[] {
  const servers = profiles.flatMap((p) => (p.host.kind === 'onprem' ? [new URL(p.host.collectionUrl).hostname] : []));
  const cloud = servers.length < profiles.length || profiles.length === 0 ? CLOUD_SSH_HOSTS : [];
  return [...new Set([...cloud, ...servers])];
}

// The companion's rules for a folder name (src/host/destination.ts folderSegments), which refuses
// rather than renames.
const BAD_CHARS = new RegExp(FOLDER_BAD_CHAR.source, 'g');
const SHORT_NAME_TILDES = new RegExp(SHORT_NAME_TILDE.source, 'g');

/**
 * A name Azure DevOps accepts, as a folder name the companion accepts: `-legacy`, `aux.service` and
 * `tools~1` are repository names, and a folder the companion refuses could never be cloned into.
 */
function folderName(seg: string): string {
  return seg
    .replace(BAD_CHARS, '_')
    .trim()
    .replace(/^[-.]/, '_$&')
    .replace(/\.+$/, '$&_')
    .replace(WINDOWS_DEVICE_NAME, '$1_')
    .replace(SHORT_NAME_TILDES, '~_');
}

/**
 * The companion writes only below absolute folders (`/home/you/src`, `C:\src`, `\\server\share`),
 * and never at the top of a drive, where a clone would land among the system's own folders.
 */
export function cloneRootProblem(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^([A-Za-z]:)?[\\/]+$/.test(t)) return 'Choose a folder below the top of the drive, such as /home/you/src or C:\\src.';
  if (/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(t)) return undefined;
  return 'Enter an absolute folder, such as /home/you/src or C:\\src (not ~ or a relative path).';
}

/** What is wrong with a clone layout: `{repo}` missing, or a placeholder there is no value for (it would become a folder of that name). */
export function layoutProblem(layout: string): string | undefined {
  const unknown = layout.replace(/\{(org|project|repo)\}/g, '').match(/\{[^{}/]*\}?|\}/)?.[0];
  if (unknown !== undefined) return `${unknown} is not a placeholder: use {org}, {project} and {repo}.`;
  if (!layout.includes('{repo}')) return 'Include {repo}, or every repository of a project would go to the same folder.';
  return undefined;
}

/** Expands a layout such as `{org}/{project}/{repo}` into path segments, each one the companion takes as a folder name. */
export function clonePathSegments(layout: string, names: { org: string; project: string; repo: string }): string[] {
  return layout
    .split('/')
    .map((part) => part.replace(/\{(org|project|repo)\}/g, (_, key: keyof typeof names) => names[key]).trim())
    .filter((seg) => seg !== '' && seg !== '.' && seg !== '..')
    .map(folderName);
}

/** The profile to use on a page of this organization, if the user has one. */
export function profileForPage(
  profiles: Profile[],
  page: Pick<AdoPage, 'hostKind' | 'organization' | 'orgBaseUrl'>,
  activeId?: string,
): Profile | undefined {
  const same = (p: Profile) =>
    page.hostKind === 'onprem'
      ? p.host.kind === 'onprem' && orgBaseUrl(p).toLowerCase() === page.orgBaseUrl.toLowerCase()
      : p.host.kind === 'cloud' && p.organization.toLowerCase() === page.organization.toLowerCase();
  const matches = profiles.filter(same);
  return matches.find((p) => p.id === activeId) ?? matches[0];
}

export const PROFILES_FORMAT = 'azure-devops-companion/profiles@1';
const EXPORT_FORMAT = /^azure-devops-companion\/profiles@(\d+)$/;
const ProfilesFile = z.object({ format: z.string(), profiles: z.array(z.unknown()) });

/**
 * The profiles of an export file, each read on its own: one this version cannot read (an auth kind
 * of a later one, a field gone wrong) is skipped and counted, and the others still come in.
 */
export function readProfilesExport(json: string): { profiles: Profile[]; skipped: number } {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new Error('This file cannot be read: it is cut short or damaged. Export the profiles again and import the new file.');
  }
  const file = ProfilesFile.safeParse(data);
  const version = file.success ? EXPORT_FORMAT.exec(file.data.format)?.[1] : undefined;
  if (!file.success || version === undefined) throw new Error('This file is not an Azure DevOps Companion profiles export.');
  if (Number(version) > 1) throw new Error('This file comes from a newer version of Azure DevOps Companion. Update the extension, then import it again.');
  const read = file.data.profiles.map((entry) => Profile.safeParse(entry));
  return { profiles: read.flatMap((r) => (r.success ? [r.data] : [])), skipped: read.filter((r) => !r.success).length };
}
