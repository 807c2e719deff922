import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxSsh } from './endpoint';

export const SANDBOX_SSH_HOSTS = ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'];
const START = '# >>> ADO sandbox SSH endpoint >>>';
const END = '# <<< ADO sandbox SSH endpoint <<<';

export interface SshClientFiles {
  /** `{home}/.ssh/config` */
  configFile: string;
  /** `{home}/.ssh/known_hosts` */
  knownHostsFile: string;
}

/**
 * For tests: makes ssh (reading `{home}/.ssh/config`) reach the sandbox's SSH endpoint as
 * ssh.dev.azure.com and vs-ssh.visualstudio.com, with its host key known and checked.
 *
 * The section is a Host line followed by its own marker comments (replaced where it stands when
 * written again, appended otherwise). The markers are inside the section because the companion
 * inserts its block (`# >>> Azure DevOps Companion >>>`, IdentityFile for the same hosts) right
 * before the first Host line: markers above that line would end up around the companion's block.
 * ssh applies every matching Host section, the companion's giving the key and this one the address.
 * Paths are absolute: OpenSSH expands `~` from the password database, not from `$HOME`.
 */
export async function writeSshClientConfig(ssh: SandboxSsh, home: string, hosts: string[] = SANDBOX_SSH_HOSTS): Promise<SshClientFiles> {
  const dir = path.join(home, '.ssh');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const configFile = path.join(dir, 'config');
  const knownHostsFile = path.join(dir, 'known_hosts');

  const knownHostsPrefix = ssh.knownHosts.slice(0, ssh.knownHosts.indexOf(' ') + 1);
  const known = (await readFile(knownHostsFile, 'utf8').catch(() => '')).split('\n').filter((l) => l && !l.startsWith(knownHostsPrefix));
  await writeFile(knownHostsFile, [...known, ssh.knownHosts, ''].join('\n'), { mode: 0o600 });

  const block = [
    `Host ${hosts.join(' ')}`,
    `  ${START}`,
    '  HostName 127.0.0.1',
    `  Port ${ssh.port}`,
    `  UserKnownHostsFile ${quote(knownHostsFile)}`,
    '  StrictHostKeyChecking yes',
    `  ${END}`,
  ];
  const lines = (await readFile(configFile, 'utf8').catch(() => '')).split('\n');
  const start = lines.findIndex((l) => l.trim() === START) - 1;
  const end = lines.findIndex((l) => l.trim() === END);
  let out: string[];
  if (start >= 0 && end > start) out = [...lines.slice(0, start), ...block, ...lines.slice(end + 1)];
  else {
    const body = lines.at(-1) === '' ? lines.slice(0, -1) : lines;
    out = [...body, ...(body.length ? [''] : []), ...block, ''];
  }
  await writeFile(configFile, out.join('\n'), { mode: 0o600 });
  await chmod(configFile, 0o600);
  return { configFile, knownHostsFile };
}

const quote = (value: string) => (/\s/.test(value) ? `"${value}"` : value);
