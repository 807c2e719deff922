/**
 * The companion's settings: where clones may go and which extra (on-prem) hosts git may reach.
 * Kept in a file the extension sets with `configure`, so the host never relies on what a single
 * request claims. Azure DevOps Services hosts are always allowed and need no entry.
 */
import { isAbsolute, join, parse, resolve } from 'node:path';
import * as z from 'zod';
import { CLOUD_GIT_HOSTS, CLOUD_HOST_SUFFIX } from '../shared/host-protocol';
import { HostError } from './host-error';
import { readJsonFile, writeJsonFile } from './json-file';

export interface CompanionConfig {
  cloneRoots: string[];
  allowedHosts: string[];
}

const ConfigFileSchema = z.object({
  cloneRoots: z.array(z.string()),
  allowedHosts: z.array(z.string()),
});

/** Visual Studio's default clone folder: familiar to Azure DevOps users on every OS. */
export const defaultConfig = (home: string): CompanionConfig => ({
  cloneRoots: [join(home, 'source', 'repos')],
  allowedHosts: [],
});

export function loadConfig(file: string, home: string): CompanionConfig {
  let raw: unknown;
  try {
    raw = readJsonFile(file);
  } catch (error) {
    throw new HostError('INTERNAL', `The companion's configuration ${file} is not valid JSON (${(error as Error).message}); fix or delete it.`);
  }
  if (raw === undefined) return defaultConfig(home);
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) throw new HostError('INTERNAL', `The companion's configuration ${file} has an unexpected shape; fix or delete it.`);
  return { cloneRoots: parsed.data.cloneRoots.map(normalizeRoot), allowedHosts: parsed.data.allowedHosts.map(normalizeHost) };
}

export function saveConfig(file: string, config: CompanionConfig): void {
  writeJsonFile(file, config);
}

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

/** A host name as configured: lower case, no port (ports are not part of the check). */
export function normalizeHost(input: string): string {
  const host = input.trim().toLowerCase().replace(/:\d{1,5}$/, '');
  if (host.length > 253 || !HOSTNAME.test(host)) {
    throw new HostError('BAD_REQUEST', `"${input}" is not a host name (expected e.g. tfs.contoso.com)`);
  }
  return host;
}

export function normalizeRoot(input: string): string {
  if (!isAbsolute(input)) throw new HostError('BAD_REQUEST', `clone root "${input}" must be an absolute path`);
  const root = resolve(input);
  if (parse(root).root === root) throw new HostError('BAD_REQUEST', `clone root "${input}" must not be the top of a drive`);
  return root;
}

export function isCloudHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if ((CLOUD_GIT_HOSTS as readonly string[]).includes(host)) return true;
  return host.endsWith(CLOUD_HOST_SUFFIX) && HOSTNAME.test(host.slice(0, -CLOUD_HOST_SUFFIX.length));
}

export function isAllowedHost(hostname: string, config: CompanionConfig): boolean {
  return isCloudHost(hostname) || config.allowedHosts.includes(hostname.toLowerCase());
}

const samePath = (a: string, b: string) =>
  process.platform === 'win32' || process.platform === 'darwin' ? a.toLowerCase() === b.toLowerCase() : a === b;

/** The configured root that `input` names, or a DEST_OUTSIDE_ROOT error. */
export function findRoot(input: string, config: CompanionConfig): string {
  const wanted = isAbsolute(input) ? resolve(input) : undefined;
  const root = wanted === undefined ? undefined : config.cloneRoots.find((r) => samePath(r, wanted));
  if (!root) {
    throw new HostError('DEST_OUTSIDE_ROOT', `"${input}" is not one of the clone folders set in the companion (${config.cloneRoots.join(', ') || 'none'})`, {
      cloneRoots: config.cloneRoots,
    });
  }
  return root;
}
