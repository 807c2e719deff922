import { writeFile } from 'node:fs/promises';
import { CLOUD_HOST, legacyHost, ONPREM_HOST } from './hosts';

/**
 * A git config file for `GIT_CONFIG_GLOBAL` that sends plain Azure DevOps clone URLs to the
 * sandbox: `url.<x>.insteadOf` adds the sandbox port (remote URLs saved in .git/config stay the
 * real ones) and `http.curloptResolve` points those names at 127.0.0.1. TLS verification stays
 * on, against the sandbox's test CA (for those hosts only). Never holds credentials.
 */
export function gitConfigText(port: number, caFile: string, cloudOrgs: string[]): string {
  const hosts = [CLOUD_HOST, ONPREM_HOST, ...cloudOrgs.map(legacyHost)];
  const prefixes = [
    ...hosts.map((h) => ({ real: `https://${h}/`, local: `https://${h}:${port}/` })),
    // remoteUrl in the cloud carries the organization as user name: https://fabrikam@dev.azure.com/...
    ...cloudOrgs.flatMap((org) =>
      [CLOUD_HOST, legacyHost(org)].map((h) => ({ real: `https://${org}@${h}/`, local: `https://${org}@${h}:${port}/` })),
    ),
  ];
  const lines = ['# Written by the Azure DevOps sandbox. Use as GIT_CONFIG_GLOBAL.', '[http]'];
  for (const h of hosts) lines.push(`\tcurloptResolve = ${h}:${port}:127.0.0.1`);
  // The test CA only for the sandbox's hosts: other https remotes keep the system's CAs.
  for (const h of hosts) lines.push(`[http ${quote(`https://${h}:${port}/`)}]`, `\tsslCAInfo = ${quote(caFile)}`);
  for (const p of prefixes) lines.push(`[url ${quote(p.local)}]`, `\tinsteadOf = ${p.real}`);
  lines.push('[init]', '\tdefaultBranch = main', '');
  return lines.join('\n');
}

export async function writeGitConfig(file: string, port: number, caFile: string, cloudOrgs: string[]): Promise<void> {
  await writeFile(file, gitConfigText(port, caFile, cloudOrgs));
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
