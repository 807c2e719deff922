/**
 * The answer to `hello`, from nothing that needs zod: the companion answers the browser's first
 * request before it evaluates zod and the protocol's schemas (see native-messaging.ts).
 */
import { CAPABILITIES, HOST_NAME, MAX_FRAME_FROM_BROWSER, MAX_FRAME_TO_BROWSER, PROTOCOL_VERSION } from '../shared/host-constants';
import type { HelloData } from '../shared/host-protocol';
import { findProgram } from './find-program';
import type { HostContext } from './host-context';
import { COMPANION_VERSION } from './version';

export async function helloData(ctx: Pick<HostContext, 'platform' | 'env' | 'log' | 'gitVersion'>): Promise<HelloData> {
  return {
    name: HOST_NAME,
    version: COMPANION_VERSION,
    protocolVersion: PROTOCOL_VERSION,
    // `alive`: signs of life during long work (ALIVE_EVERY_MS), which the extension does not require.
    capabilities: [...CAPABILITIES, 'alive'],
    platform: ctx.platform,
    node: process.versions.node,
    git: await ctx.gitVersion(),
    sshKeygen: findProgram('ssh-keygen', ctx.env, ctx.platform) !== undefined,
    logFile: ctx.log.file,
    limits: { maxFrameToBrowser: MAX_FRAME_TO_BROWSER, maxFrameFromBrowser: MAX_FRAME_FROM_BROWSER },
  };
}

const HELLO_KEYS = new Set(['id', 'type', 'protocolVersion', 'extensionVersion']);

/**
 * A `hello` the protocol's schema certainly accepts, checked by hand. It errs on the side of no:
 * anything else, an unusual but valid hello included, goes through the schemas as every request does.
 */
export function isPlainHello(value: unknown): value is { id: string; type: 'hello' } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const request = value as Record<string, unknown>;
  if (!Object.keys(request).every((key) => HELLO_KEYS.has(key))) return false;
  const { id, type, protocolVersion, extensionVersion } = request;
  return (
    type === 'hello' &&
    typeof id === 'string' &&
    id.length >= 1 &&
    id.length <= 128 &&
    (protocolVersion === undefined || (Number.isSafeInteger(protocolVersion) && !Object.is(protocolVersion, -0))) &&
    (extensionVersion === undefined || (typeof extensionVersion === 'string' && /^[\w.+-]{1,64}$/.test(extensionVersion)))
  );
}
