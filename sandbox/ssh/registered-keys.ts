import ssh2 from 'ssh2';
import type { SshPublicKey, Store } from '../store';

/** The key type named at the start of an SSH public key blob (`ssh-rsa`, `ssh-ed25519`, ...). */
export function keyType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || blob.length < 4 + len) return undefined;
  return blob.subarray(4, 4 + len).toString('latin1');
}

/**
 * The keys registered in the store (through the SSH public keys API) whose public key is this
 * blob and that have not expired. Azure DevOps takes RSA keys only, so other types never match.
 */
export function registeredKeys(store: Store, blob: Buffer, now = Date.now()): SshPublicKey[] {
  if (keyType(blob) !== 'ssh-rsa') return [];
  const encoded = blob.toString('base64');
  return [...store.sshKeys.values()].filter((k) => {
    const [type, data] = k.publicData.split(/\s+/);
    return type === 'ssh-rsa' && data === encoded && Date.parse(k.validTo) > now && Date.parse(k.validFrom) <= now;
  });
}

/** Does `signature` over `signed` verify with this registered public key? */
export function verifiesWith(key: SshPublicKey, signed: Buffer, signature: Buffer, hashAlgo: string | undefined): boolean {
  const parsed = ssh2.utils.parseKey(key.publicData);
  if (parsed instanceof Error || Array.isArray(parsed)) return false;
  return parsed.verify(signed, signature, hashAlgo) === true;
}
