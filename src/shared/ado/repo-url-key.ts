/**
 * One key per Azure DevOps repository, from any of its URLs: a local clone's remotes are compared
 * with a repository's clone URLs this way (the popup, the background's plans). Azure DevOps writes
 * one repository's URL in several forms (HTTPS with the organization as user name, SSH `v3/…`, the
 * legacy `{org}.visualstudio.com` host, the project left out when it equals the repository name),
 * so each URL is first reduced to a key.
 */

const CLOUD_HOSTS = new Set(['dev.azure.com', 'ssh.dev.azure.com', 'vs-ssh.visualstudio.com']);

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** `org/project/repo` for Azure DevOps Services, `//host/path/project/repo` for a server; lower case, decoded. */
export function repoUrlKey(url: string): string | undefined {
  const trimmed = url.trim();
  // scp-like SSH: git@ssh.dev.azure.com:v3/org/project/repo, org@vs-ssh.visualstudio.com:v3/…, and
  // without the user when ~/.ssh/config gives it (a host name with a dot: `C:\…` is a folder).
  const scp = /^(?:[^@/\s]+@|(?=[^:/\s]*\.))([^:/\s]+):(.+)$/.exec(trimmed);
  let host: string;
  let path: string;
  let user = '';
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    host = scp[1]!.toLowerCase();
    path = scp[2]!;
  } else {
    let u: URL;
    try {
      u = new URL(trimmed);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'ssh:'].includes(u.protocol)) return undefined;
    host = u.hostname.toLowerCase();
    path = u.pathname;
    user = decode(u.username).toLowerCase();
  }
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map((p) => decode(p).toLowerCase());
  const last = parts.length - 1;
  if (last >= 0) parts[last] = parts[last]!.replace(/\.git$/, '');

  if (CLOUD_HOSTS.has(host) && parts[0] === 'v3') return cloudKey(parts.slice(1));
  // The SSH URLs of 2017, still in old clones' remotes: the organization is the user name,
  // `ssh://{org}@vs-ssh.visualstudio.com:22/{project}/_ssh/{repo}` (kenmuse.com/blog/vsts-ssh).
  if (host === 'vs-ssh.visualstudio.com' && parts[1] === '_ssh' && parts.length === 3 && user) return `${user}/${parts[0]}/${parts[2]}`;
  if (host === 'dev.azure.com') return cloudKey(parts);
  const legacy = /^([a-z0-9][a-z0-9-]*)\.visualstudio\.com$/.exec(host);
  if (legacy) {
    const rest = parts[0] === 'defaultcollection' ? parts.slice(1) : parts;
    return cloudKey([legacy[1]!, ...rest]);
  }
  // A server: everything up to `_git` names the collection and project, and the project may be left
  // out when the repository is named like it (`…/Collection/_git/Tools` is `…/Collection/Tools/_git/Tools`).
  // `//` keeps a server's keys apart from the cloud's `org/project/repo`.
  const git = parts.indexOf('_git');
  if (git < 1 || git !== parts.length - 2) return undefined;
  const repo = parts[git + 1]!;
  const scope = parts.slice(0, git);
  if (scope.length >= 2 && scope.at(-1) === repo) scope.pop();
  return `//${host}/${[...scope, repo].join('/')}`;
}

/** [org, project, repo] (SSH form) or [org, project, _git, repo] / [org, _git, repo] (HTTPS form). */
function cloudKey(parts: string[]): string | undefined {
  const withoutGit = parts.filter((p) => p !== '_git');
  if (parts.length === 3 && parts[1] === '_git') return `${parts[0]}/${parts[2]}/${parts[2]}`;
  if (withoutGit.length !== 3) return undefined;
  return withoutGit.join('/');
}

/** The keys of a repository's URLs (clone, SSH), those that have one. */
export const repoUrlKeys = (urls: readonly (string | undefined)[]): Set<string> => new Set(urls.flatMap((u) => (u && repoUrlKey(u)) || []));

/**
 * Whether a clone URL, in any form `repoUrlKey` reads (SSH included), is of the organization or
 * collection whose web address is `orgBaseUrl` (`AdoPage.orgBaseUrl`): its key starts with the key
 * of a repository made up under that address, less the made-up part.
 *
 * Keys leave the port out (one repository's SSH and HTTPS URLs differ in it), but two servers may
 * share a host name on different ports, so an http(s) URL of a server must also be at the
 * collection's port. An SSH URL's port (22 or the server's own) says nothing about the web port it
 * goes with, so an SSH URL of a server counts by its host name and collection path alone: two
 * servers on one host name with a collection at the same path are one to it. The cloud's hosts
 * are each one service whatever the port.
 */
export function repoUrlInOrg(url: string, orgBaseUrl: string): boolean {
  const key = repoUrlKey(url);
  const probe = repoUrlKey(`${orgBaseUrl.replace(/\/+$/, '')}/p/_git/r`);
  if (key === undefined || probe === undefined || !key.startsWith(probe.slice(0, -'p/r'.length))) return false;
  const port = webPort(url);
  return !probe.startsWith('//') || port === undefined || port === webPort(orgBaseUrl);
}

/** The port of an http(s) URL, its scheme's default when it names none; undefined for SSH. */
function webPort(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (u.protocol === 'https:') return u.port || '443';
  if (u.protocol === 'http:') return u.port || '80';
  return undefined;
}
