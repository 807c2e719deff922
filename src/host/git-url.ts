/**
 * Which remote URLs git may be given. Only https and ssh (URL or scp-like form) to an allowed
 * Azure DevOps host pass; everything else (options in disguise like `-u...`, `ext::`, `file://`,
 * local paths, other transports, embedded passwords) is refused before git sees it. The URL is
 * read with one strict pattern and cross-checked with the WHATWG parser, so two parsers can never
 * disagree about the host.
 */
import type { CompanionConfig } from './config';
import { isAllowedHost } from './config';
import { HostError } from './host-error';

export interface CheckedGitUrl {
  url: string;
  transport: 'https' | 'ssh';
  host: string;
  /** An SSH URL's user and port, as git passes them to ssh (`-l`, `-p`). */
  user?: string;
  port?: string;
}

/** RFC 3986 characters minus `?`, `#`, `[`, `]` and backslash: Azure DevOps clone URLs need no others. */
const SAFE_CHARS = /^[A-Za-z0-9\-._~:/@%!$&'()*+,;=]+$/;
const USER = '[A-Za-z0-9][A-Za-z0-9._~%-]*';
const HOST = '[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?';
const URL_FORM = new RegExp(`^(https|ssh)://(?:(${USER})@)?(${HOST})(?::(\\d{1,5}))?(/[^@]*)$`, 'i');
const SCP_FORM = new RegExp(`^(?:(${USER})@)?(${HOST}):([^/@-][^@]*)$`);

const refuse = (url: string, why: string): never => {
  throw new HostError('URL_REFUSED', `refused remote URL ${JSON.stringify(url)}: ${why}`);
};

/** Parses without looking at the allowed hosts (shape and transport only). */
export function parseGitUrl(url: string): CheckedGitUrl {
  if (url.startsWith('-')) refuse(url, 'it starts with "-"');
  if (url.includes('::')) refuse(url, 'transport::address forms (such as ext::) are not allowed');
  if (!SAFE_CHARS.test(url)) refuse(url, 'it contains spaces, quotes, backslashes or other characters a clone URL does not need');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (scheme !== 'https' && scheme !== 'ssh') refuse(url, `${scheme}:// is not allowed; only https:// and ssh://`);
    const match = URL_FORM.exec(url);
    if (!match) refuse(url, 'it is not of the form https://host/path or ssh://[user@]host/path (no password, query or fragment)');
    const host = match![3]!.toLowerCase();
    const port = match![4];
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) refuse(url, 'bad port');
    let whatwg: URL;
    try {
      whatwg = new URL(url);
    } catch {
      return refuse(url, 'it is not a valid URL');
    }
    if (whatwg.hostname.toLowerCase() !== host || whatwg.password !== '') refuse(url, 'its host is ambiguous');
    if (match![5] === '/') refuse(url, 'it names no repository');
    const user = match![2];
    return scheme === 'https' ? { url, transport: 'https', host } : { url, transport: 'ssh', host, ...(user && { user }), ...(port && { port }) };
  }
  const scp = SCP_FORM.exec(url);
  if (!scp) refuse(url, 'only https:// URLs and SSH addresses (user@host:path or ssh://) are allowed');
  const host = scp![2]!.toLowerCase();
  // git reads "C:path" as a Windows drive, not a host.
  if (host.length === 1) refuse(url, 'a one-letter host is read as a drive letter');
  const user = scp![1];
  return { url, transport: 'ssh', host, ...(user && { user }) };
}

/** A URL git may be given: right shape and transport, and a host that is Azure DevOps or configured. */
export function checkGitUrl(url: string, config: CompanionConfig): CheckedGitUrl {
  const parsed = parseGitUrl(url);
  if (!isAllowedHost(parsed.host, config)) {
    throw new HostError(
      'HOST_NOT_ALLOWED',
      parsed.transport === 'ssh'
        ? `${parsed.host} is not an Azure DevOps host the companion knows, nor a name your ~/.ssh/config gives one (HostName ssh.dev.azure.com, or one of your servers)`
        : `${parsed.host} is not an Azure DevOps host the companion knows; add it as a server in the extension's options first`,
      { host: parsed.host },
    );
  }
  return parsed;
}

/** A URL path's segments, decoded and in lower case (Azure DevOps names ignore case). */
function segments(pathname: string): string[] {
  return pathname
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s).toLowerCase();
      } catch {
        return s.toLowerCase();
      }
    });
}

/** The Azure DevOps Services organization a URL names, at either of its addresses. */
const cloudName = (u: URL, path: string[]) =>
  u.hostname.toLowerCase() === 'dev.azure.com' ? path[0] : /^([^.]+)\.visualstudio\.com$/i.exec(u.hostname)?.[1]?.toLowerCase();

/**
 * Whether the https `url` is a remote of the organization (or collection) at `orgUrl`: the same
 * server, under its path. The port is not compared, as the allowed hosts are not: a user's
 * `insteadOf` may add one (`https://dev.azure.com:8443/…` is still Microsoft's server). An Azure DevOps Services organization also answers at its
 * former address, `https://{org}.visualstudio.com/`, which older clones still use.
 */
export function withinOrganization(url: string, orgUrl: string): boolean {
  let remote: URL;
  let org: URL;
  try {
    remote = new URL(url);
    org = new URL(orgUrl);
  } catch {
    return false;
  }
  if (remote.protocol !== 'https:' || org.protocol !== 'https:') return false;
  const orgPath = segments(org.pathname);
  const remotePath = segments(remote.pathname);
  const orgName = cloudName(org, orgPath);
  if (orgName !== undefined && (org.hostname.toLowerCase() === 'dev.azure.com' ? orgPath.length === 1 : orgPath.length === 0)) {
    return cloudName(remote, remotePath) === orgName;
  }
  return remote.hostname.toLowerCase() === org.hostname.toLowerCase() && orgPath.every((s, i) => remotePath[i] === s);
}

/** Refuses to send a token bound to an organization (`auth.orgUrl`) to a URL outside it. */
export function checkTokenDestination(url: string, auth: { orgUrl?: string | undefined } | undefined): void {
  if (auth?.orgUrl === undefined || withinOrganization(url, auth.orgUrl)) return;
  throw new HostError('URL_REFUSED', `refused to send ${auth.orgUrl}'s token to ${JSON.stringify(url)}: that remote belongs to another organization or server`);
}

/**
 * The URL prefix a token's header is configured for, `http.<scope>.extraHeader`, so that git (and
 * whatever it runs: Git LFS, a submodule's clone) sends it to the organization's own URLs only,
 * never to an LFS server or other address a repository names. `url`: the https URL git really
 * uses (after the user's `url.*.insteadOf`), already checked against `orgUrl`.
 *
 * git matches the scheme, host and port exactly and the path by whole segments, case-sensitively;
 * a key without a user name matches any. So the scope is the URL's own origin and its first
 * segments as written there, as many as name the organization: one on dev.azure.com, none on
 * `{org}.visualstudio.com`, the organization URL's (a collection's) count elsewhere, none without
 * one (then the host's allowed hosts are all that binds the token, as before).
 */
export function tokenScope(url: string, orgUrl: string | undefined): string {
  const remote = new URL(url);
  const host = remote.hostname.toLowerCase();
  let kept = 0;
  if (host === 'dev.azure.com') kept = 1;
  else if (cloudName(remote, []) === undefined && orgUrl !== undefined) kept = segments(new URL(orgUrl).pathname).length;
  const path = remote.pathname.split('/').filter(Boolean).slice(0, kept);
  return `https://${remote.host}/${path.map((s) => `${s}/`).join('')}`;
}
