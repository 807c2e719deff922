/**
 * The protocol's names and limits, apart from its schemas (host-protocol.ts re-exports them): the
 * companion answers `hello` from these before it evaluates zod and the schemas, which is most of
 * its own start.
 */

/** Native messaging host name (Chrome's rule: lowercase letters, digits, dots, underscores). */
export const HOST_NAME = 'com.azure_devops_companion.host';

/** Bumped when a request or response changes shape incompatibly. */
export const PROTOCOL_VERSION = 1;

/** Chrome and Firefox refuse host-to-browser messages above 1 MiB. */
export const MAX_FRAME_TO_BROWSER = 1024 * 1024;
/** Requests are small; anything larger is refused without being read into memory. */
export const MAX_FRAME_FROM_BROWSER = 1024 * 1024;
/** Progress events per second per request, at most. */
export const PROGRESS_EVENTS_PER_SECOND = 10;
/**
 * While a clone, fetch, checkout or worktree runs, the host sends `{ id, event: "alive" }` at these
 * intervals when it sent nothing else for it meanwhile, so the extension can tell a stopped
 * companion from slow work. Announced by the capability `alive` (not among CAPABILITIES: the
 * extension works with companions without it, and only then waits for such work without a limit).
 */
export const ALIVE_EVERY_MS = 10_000;
/** The requests that may run as long as the network needs: the ones that get signs of life. */
export const LONG_REQUESTS: readonly string[] = ['clone', 'fetch', 'checkout', 'worktree'];
/** `localClones` lists at most this many repositories (and says `truncated`). */
export const MAX_LOCAL_CLONES = 500;
/** `localClones` with `paths` reads at most this many folders. */
export const MAX_LOCAL_CLONE_PATHS = 8;

/** Azure DevOps Services hosts: always allowed, need no configuration. */
export const CLOUD_GIT_HOSTS = ['dev.azure.com', 'ssh.dev.azure.com', 'vs-ssh.visualstudio.com'] as const;
/** `{org}.visualstudio.com` (legacy organization URLs). */
export const CLOUD_HOST_SUFFIX = '.visualstudio.com';
/** The hosts the SSH config block names unless a request lists others. */
export const CLOUD_SSH_HOSTS = ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'] as const;

export const CAPABILITIES = [
  'configure',
  'clone',
  'clone.progress',
  'clone.cancel',
  'clone.partial',
  'clone.depth',
  'localClones',
  // `localClones` takes `paths`: reads those folders only (a page's own clone, without a scan).
  'localClones.paths',
  'addRemote',
  'fetch',
  'sshKey',
  // `find` takes `hosts` (a key named for the cloud only is not configured for a server).
  'sshKey.hosts',
  'sshTest',
  'open',
  'open.file',
  'status',
  'checkout',
  'worktree',
] as const;
