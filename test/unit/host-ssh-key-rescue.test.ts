/** The .pub a killed generate left out is written back as a rescue: when that fails, finding and generating still answer. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostContext } from '../../src/host/host-context';
import { sshKey } from '../../src/host/ssh-key';

// ssh-keygen's answers, without running it: -y derives the public half, -l gives a fingerprint.
vi.mock('../../src/host/run-program', () => ({
  runProgram: async (_program: string, args: string[]) =>
    args[0] === '-y' ? { code: 0, stdout: 'ssh-rsa AAAAlone derived\n', stderr: '' } : { code: 0, stdout: '2048 SHA256:abc c (RSA)\n', stderr: '' },
}));
// A ~/.ssh the companion may read but not write the .pub into (as root, a read-only folder cannot be made).
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>();
  return {
    ...fs,
    writeFileSync: (...args: Parameters<typeof fs.writeFileSync>) => {
      if (String(args[0]).endsWith('id_rsa_azure_devops.pub')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return fs.writeFileSync(...args);
    },
  };
});

let home: string;
let warned: string[];
const ctx = () => ({ home, env: {}, log: { info: () => undefined, warn: (m: string) => warned.push(m) } }) as unknown as HostContext;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'ssh-rescue-'));
  warned = [];
  const ssh = join(home, '.ssh');
  mkdirSync(ssh);
  // A lone private key at the companion's path, and the user's own pair.
  writeFileSync(join(ssh, 'id_rsa_azure_devops'), 'private\n', { mode: 0o600 });
  writeFileSync(join(ssh, 'id_rsa'), 'private\n', { mode: 0o600 });
  writeFileSync(join(ssh, 'id_rsa.pub'), 'ssh-rsa AAAAmine ada\n');
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('sshKey: a lone private key whose .pub cannot be written', () => {
  it('find still answers, with the next key, and says why in the log', async () => {
    const data = await sshKey({ id: '1', type: 'sshKey', action: 'find' }, ctx());
    expect(data.key).toMatchObject({ privateKeyPath: join(home, '.ssh', 'id_rsa'), publicKey: 'ssh-rsa AAAAmine ada' });
    expect(warned).toEqual([`could not write the missing ${join(home, '.ssh', 'id_rsa_azure_devops')}.pub: EACCES: permission denied`]);
  });

  it('generate answers that a key is there (KEY_EXISTS), not with the write’s error', async () => {
    await expect(sshKey({ id: '2', type: 'sshKey', action: 'generate' }, ctx())).rejects.toMatchObject({ code: 'KEY_EXISTS' });
  });
});
