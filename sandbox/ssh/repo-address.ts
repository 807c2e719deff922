import { ONPREM_PREFIX } from '../hosts';
import type { Hosting } from '../store';

export interface RepoAddress {
  hosting: Hosting;
  /** Organization (cloud) or collection (on-prem) name. */
  org: string;
  /** Absent for the on-prem `/{collection}/_git/{repo}` form (repository named like its project). */
  project?: string;
  repo: string;
}

/**
 * The repository an SSH path names, percent-decoded (SSH URLs write spaces as `%20`):
 * - Azure DevOps Services: `v3/{org}/{project}/{repo}` (`git@ssh.dev.azure.com:v3/...`,
 *   `{org}@vs-ssh.visualstudio.com:v3/...`; `ssh://` URLs add a leading `/`);
 * - Azure DevOps Server: `/tfs/{collection}/{project}/_git/{repo}` or `/tfs/{collection}/_git/{repo}`.
 * Undefined when the path has neither shape.
 */
export function parseRepoAddress(rawPath: string): RepoAddress | undefined {
  const segments = rawPath.replace(/^\//, '').split('/');
  const decoded = segments.map(decodeSegment);
  if (decoded.some((s) => s === undefined || s === '')) return undefined;
  const parts = decoded as string[];
  if (parts.length === 4 && parts[0] === 'v3') return { hosting: 'cloud', org: parts[1]!, project: parts[2]!, repo: parts[3]! };
  const prefix = ONPREM_PREFIX.replace(/^\//, '');
  if (parts[0]?.toLowerCase() === prefix) {
    if (parts.length === 5 && parts[3]!.toLowerCase() === '_git') return { hosting: 'onprem', org: parts[1]!, project: parts[2]!, repo: parts[4]! };
    if (parts.length === 4 && parts[2]!.toLowerCase() === '_git') return { hosting: 'onprem', org: parts[1]!, repo: parts[3]! };
  }
  return undefined;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
