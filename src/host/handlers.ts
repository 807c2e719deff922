/** One function per request type; the session decides nothing about what a request means. */
import {
  CLOUD_GIT_HOSTS,
  CLOUD_HOST_SUFFIX,
  type ConfigData,
  type ConfigureRequest,
  type HostRequest,
} from '../shared/host-protocol';
import { gitTooOld, gitTooOldMessage, MIN_GIT_VERSION } from '../shared/git-help';
import { checkout, status, worktree } from './checkout';
import { clone, destination } from './clone';
import { configFile } from './companion-dirs';
import { defaultConfig, normalizeHost, normalizeRoot, saveConfig, type CompanionConfig } from './config';
import { helloData } from './hello';
import { HostError } from './host-error';
import type { HostContext, RequestScope } from './host-context';
import { listLocalClones } from './local-clones';
import { openClone } from './open-clone';
import { addRemote, fetchRemote } from './remotes';
import { sshKey } from './ssh-key';
import { sshTest } from './ssh-test';

export function configure(request: ConfigureRequest, ctx: HostContext): ConfigData {
  const writing = request.cloneRoots !== undefined || request.allowedHosts !== undefined;
  let current: CompanionConfig;
  try {
    current = ctx.config();
  } catch (error) {
    // A damaged file is reported when read, but can always be replaced.
    if (!writing) throw error;
    current = defaultConfig(ctx.home);
  }
  const next = {
    cloneRoots: request.cloneRoots === undefined ? current.cloneRoots : [...new Set(request.cloneRoots.map(normalizeRoot))],
    allowedHosts: request.allowedHosts === undefined ? current.allowedHosts : [...new Set(request.allowedHosts.map(normalizeHost))],
  };
  const file = configFile(ctx.dirs);
  if (writing) {
    saveConfig(file, next);
    ctx.log.info(`configured clone roots [${next.cloneRoots.join(', ')}], hosts [${next.allowedHosts.join(', ')}]`);
  }
  return { ...next, cloudHosts: [...CLOUD_GIT_HOSTS, `*${CLOUD_HOST_SUFFIX}`], configFile: file };
}

/** The requests that never run git; every other one is refused with a git older than MIN_GIT_VERSION. */
const WITHOUT_GIT: ReadonlySet<HostRequest['type']> = new Set(['hello', 'configure', 'destination', 'sshKey', 'sshTest']);

type Handler = typeof handle;

/**
 * `handle` for a companion whose git reported `version`. An older git ignores the settings given
 * in its environment (git-env.ts): it would send no token and run a repository's fsmonitor, hooks
 * and filters, so no request runs it. No git at all is left to the command (TOOL_MISSING).
 */
export function handlerFor(version: string | null): Handler {
  if (!gitTooOld(version)) return handle;
  const refusal = new HostError('GIT_TOO_OLD', gitTooOldMessage(version), { version, minimum: MIN_GIT_VERSION.join('.') });
  return (request, ctx, scope) => (WITHOUT_GIT.has(request.type) ? handle(request, ctx, scope) : Promise.reject(refusal));
}

/** Everything but `cancel`, which the session answers itself. */
export function handle(request: Exclude<HostRequest, { type: 'cancel' }>, ctx: HostContext, scope: RequestScope): Promise<unknown> {
  switch (request.type) {
    case 'hello':
      return helloData(ctx);
    case 'configure':
      return Promise.resolve(configure(request, ctx));
    case 'clone':
      return clone(request, ctx, scope);
    case 'localClones':
      return listLocalClones(request, ctx);
    case 'destination':
      return Promise.resolve(destination(request, ctx));
    case 'addRemote':
      return addRemote(request, ctx);
    case 'fetch':
      return fetchRemote(request, ctx, scope);
    case 'sshKey':
      return sshKey(request, ctx);
    case 'sshTest':
      return sshTest(request, ctx);
    case 'open':
      return openClone(request, ctx);
    case 'status':
      return status(request, ctx);
    case 'checkout':
      return checkout(request, ctx, scope);
    case 'worktree':
      return worktree(request, ctx, scope);
  }
}
