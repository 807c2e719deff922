import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ssh2 from 'ssh2';

export interface SshHostKey {
  /** The private key (OpenSSH format) the server signs with. */
  privateKey: string;
  /** `ssh-rsa AAAA...` */
  publicKey: string;
  /** `SHA256:...` as `ssh-keygen -l` and ssh's prompts print it. */
  fingerprint: string;
}

/**
 * The server's RSA host key, like ssh.dev.azure.com's (it offers rsa-sha2-512/256 and ssh-rsa).
 * Kept in `{dataDir}/ssh/` and reused, so a known_hosts line written once stays valid across
 * restarts with the same data directory.
 */
export async function loadOrCreateHostKey(dataDir: string): Promise<SshHostKey> {
  const dir = path.join(dataDir, 'ssh');
  const file = path.join(dir, 'host_rsa_key');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  const reused = existing === undefined ? undefined : describe(existing);
  if (reused) return reused;

  const pair = await new Promise<{ private: string }>((resolve, reject) =>
    ssh2.utils.generateKeyPair('rsa', { bits: 2048, comment: 'ado-sandbox-host' }, (err, keys) => (err ? reject(err) : resolve(keys))),
  );
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, pair.private, { mode: 0o600 });
  await rename(tmp, file);
  const created = describe(pair.private);
  if (!created) throw new Error('the generated SSH host key could not be read back');
  return created;
}

function describe(privateKey: string): SshHostKey | undefined {
  const parsed = ssh2.utils.parseKey(privateKey);
  if (parsed instanceof Error || Array.isArray(parsed) || parsed.type !== 'ssh-rsa') return undefined;
  const blob = parsed.getPublicSSH();
  return {
    privateKey,
    publicKey: `ssh-rsa ${blob.toString('base64')}`,
    fingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
  };
}
