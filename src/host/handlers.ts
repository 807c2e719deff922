/** One function per request type; the session decides nothing about what a request means. */
import {
  CAPABILITIES,
  CLOUD_GIT_HOSTS,
  CLOUD_HOST_SUFFIX,
  HOST_NAME,
  MAX_FRAME_FROM_BROWSER,
  MAX_FRAME_TO_BROWSER,
  PROTOCOL_VERSION,
  type ConfigData,
  type ConfigureRequest,
  type HelloData,
  type HostRequest,
} from '../shared/host-protocol';
import { clone } from './clone';
import { configFile } from './companion-dirs';
import { defaultConfig, normalizeHost, normalizeRoot, saveConfig, type CompanionConfig } from './config';
import { findProgram } from './find-program';
import type { HostContext, RequestScope } from './host-context';
import { listLocalClones } from './local-clones';
import { openClone } from './open-clone';
import { addRemote, fetchRemote } from './remotes';
import { sshKey } from './ssh-key';
import { sshTest } from './ssh-test';
import { COMPANION_VERSION } from './version';

export async function hello(ctx: HostContext): Promise<HelloData> {
  return {
    name: HOST_NAME,
    version: COMPANION_VERSION,
    protocolVersion: PROTOCOL_VERSION,
    capabilities: [...CAPABILITIES],
    platform: ctx.platform,
    node: process.versions.node,
    git: await ctx.gitVersion(),
    sshKeygen: findProgram('ssh-keygen', ctx.env, ctx.platform) !== undefined,
    logFile: ctx.log.file,
    limits: { maxFrameToBrowser: MAX_FRAME_TO_BROWSER, maxFrameFromBrowser: MAX_FRAME_FROM_BROWSER },
  };
}

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

/** Everything but `cancel`, which the session answers itself. */
export function handle(request: Exclude<HostRequest, { type: 'cancel' }>, ctx: HostContext, scope: RequestScope): Promise<unknown> {
  switch (request.type) {
    case 'hello':
      return hello(ctx);
    case 'configure':
      return Promise.resolve(configure(request, ctx));
    case 'clone':
      return clone(request, ctx, scope);
    case 'localClones':
      return listLocalClones(ctx);
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
  }
}
