/** The key files `sshKey` reads: one that cannot be read is skipped by `find`, and said as it is by `configure`; none is waited on. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostContext } from '../../src/host/host-context';
import { upsertBlock } from '../../src/host/ssh-config-block';
import { sshKey } from '../../src/host/ssh-key';

let home: string;
let ssh: string;
let warned: string[];
let writers: ChildProcess[];
const ctx = () =>
  ({ home, env: { PATH: process.env.PATH }, log: { info: () => undefined, warn: (m: string) => warned.push(m) }, config: () => ({ cloneRoots: [], allowedHosts: [] }) }) as unknown as HostContext;
const answer = () => sshKey({ id: '1', type: 'sshKey', action: 'find' }, ctx());
const find = async () => (await answer()).key;

/** A named pipe with a writer waiting, so that a read of it gets `text` (rather than waiting for ever). */
function pipeWriting(path: string, text: string) {
  execFileSync('mkfifo', [path]);
  writers.push(spawn('sh', ['-c', 'printf "%s\\n" "$1" > "$0"', path, text], { stdio: 'ignore' }));
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'ssh-key-files-'));
  ssh = join(home, '.ssh');
  mkdirSync(ssh);
  warned = [];
  writers = [];
  // The user's usable pair, the last candidate.
  writeFileSync(join(ssh, 'id_rsa'), 'private\n', { mode: 0o600 });
  writeFileSync(join(ssh, 'id_rsa.pub'), 'ssh-rsa AAAAmine ann\n');
});
afterEach(() => {
  for (const writer of writers) writer.kill();
  rmSync(home, { recursive: true, force: true });
});

describe('sshKey find: a candidate it cannot read is not the key, and the others are still found', () => {
  it('skips a key whose .pub is a folder (EISDIR), or under a file (ENOTDIR), and says why in the log', async () => {
    writeFileSync(join(ssh, 'work'), 'private\n');
    mkdirSync(join(ssh, 'work.pub'));
    writeFileSync(join(ssh, 'config'), 'Host *\n  IdentityFile ~/.ssh/work\n  IdentityFile ~/.ssh/id_rsa/nested\n');
    expect(await find()).toMatchObject({ privateKeyPath: join(ssh, 'id_rsa'), publicKey: 'ssh-rsa AAAAmine ann' });
    expect(warned).toHaveLength(2);
    expect(warned[0]).toContain(`skipped the key ${join(ssh, 'work')}: ${join(ssh, 'work.pub')} could not be read (it is a folder, not a file)`);
    expect(warned[1]).toContain(`skipped the key ${join(ssh, 'id_rsa', 'nested')}: ${join(ssh, 'id_rsa', 'nested.pub')} could not be read (ENOTDIR`);
  });

  it.skipIf(process.platform === 'win32')('does not read a .pub that is a named pipe: reading one holds the whole companion until something writes to it', async () => {
    writeFileSync(join(ssh, 'id_rsa_azure_devops'), 'private\n', { mode: 0o600 });
    pipeWriting(join(ssh, 'id_rsa_azure_devops.pub'), 'ssh-rsa AAAApipe');
    expect(await find()).toMatchObject({ privateKeyPath: join(ssh, 'id_rsa'), publicKey: 'ssh-rsa AAAAmine ann' });
    expect(warned).toEqual([expect.stringContaining('(it is a named pipe, not a file)')]);
  });

  it('skips a private key that is a folder: ssh cannot use it, and configure would refuse it', async () => {
    mkdirSync(join(ssh, 'id_rsa_azure_devops'));
    writeFileSync(join(ssh, 'id_rsa_azure_devops.pub'), 'ssh-rsa AAAAfolder ann\n');
    expect(await find()).toMatchObject({ privateKeyPath: join(ssh, 'id_rsa') });
  });
});

describe('sshKey find: the key the companion’s block names', () => {
  it('comes first, and is configured for the hosts the block names it for, even when it serves none of those asked', async () => {
    writeFileSync(join(ssh, 'work'), 'private\n');
    writeFileSync(join(ssh, 'work.pub'), 'ssh-rsa AAAAwork ann\n');
    // Written when the user's profiles were all on a server; the cloud is asked for now.
    writeFileSync(join(ssh, 'config'), upsertBlock('Host *\n  IdentityFile ~/.ssh/id_rsa\n', { hosts: ['tfs.contoso.com'], identityFile: '~/.ssh/work' }).text);
    expect(await find()).toMatchObject({ privateKeyPath: join(ssh, 'work'), configured: false, configuredFor: [] });
    const forServer = (await sshKey({ id: '1', type: 'sshKey', action: 'find', hosts: ['tfs.contoso.com'] }, ctx())).key;
    expect(forServer).toMatchObject({ privateKeyPath: join(ssh, 'work'), configured: true, configuredFor: ['tfs.contoso.com'] });
  });
});

describe('sshKey find: the block’s own key, when its .pub cannot be read', () => {
  it('is no key to pass over: KEY_UNREADABLE names the file and says what to do, for the companion’s key and for one the user chose', async () => {
    for (const name of ['id_rsa_azure_devops', 'work']) {
      writeFileSync(join(ssh, name), 'private\n', { mode: 0o600 });
      mkdirSync(join(ssh, `${name}.pub`));
      writeFileSync(join(ssh, 'config'), upsertBlock('', { hosts: ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'], identityFile: `~/.ssh/${name}` }).text);
      const key = join(ssh, name);
      const anew = name === 'work' ? 'create a new key' : `move ${key} and its .pub out of ~/.ssh, then create a new key`;
      await expect(find(), name).rejects.toMatchObject({
        code: 'KEY_UNREADABLE',
        message: `the public half of your SSH key, ${key}.pub, cannot be read (it is a folder, not a file): put the public key back in its place (ssh-keygen -y -f ${key} prints it), or ${anew}`,
        details: { path: `${key}.pub` },
      });
    }
  });

  it('a block whose key is gone altogether is passed over as before: there is nothing of it to mend', async () => {
    mkdirSync(join(ssh, 'gone.pub'));
    writeFileSync(join(ssh, 'config'), upsertBlock('', { hosts: ['ssh.dev.azure.com'], identityFile: '~/.ssh/gone' }).text);
    expect(await find()).toMatchObject({ privateKeyPath: join(ssh, 'id_rsa') });
  });
});

describe('sshKey find: Match sections', () => {
  it('names the files whose Match sections hold IdentityFile lines, and says nothing without one', async () => {
    writeFileSync(join(ssh, 'config'), 'Match host ssh.dev.azure.com\n  User git\n');
    expect(await answer()).toEqual({ key: expect.objectContaining({ privateKeyPath: join(ssh, 'id_rsa') }) });
    writeFileSync(join(ssh, 'config'), 'Match host ssh.dev.azure.com\n  IdentityFile ~/.ssh/work\n');
    expect(await answer()).toEqual({ key: expect.objectContaining({ privateKeyPath: join(ssh, 'id_rsa') }), matchFiles: [join(ssh, 'config')] });
    rmSync(join(ssh, 'id_rsa'));
    expect(await answer()).toEqual({ key: null, matchFiles: [join(ssh, 'config')] });
  });
});

describe('sshKey find: a ~/.ssh/config above 1 MiB (an ssh config is a few KB) is not read', () => {
  beforeEach(() => {
    writeFileSync(join(ssh, 'work'), 'private\n');
    writeFileSync(join(ssh, 'work.pub'), 'ssh-rsa AAAAwork ann\n');
    // Sparse: as large as fstat says, in no time; it names the key in its first lines.
    writeFileSync(join(ssh, 'config'), 'Host *\n  IdentityFile ~/.ssh/work\n');
    truncateSync(join(ssh, 'config'), 2 * 1024 * 1024);
  });

  it('find answers from the key names alone and says the config is unread, so “cannot tell” rather than “not configured”; the log says why', async () => {
    expect(await answer()).toEqual({ key: expect.objectContaining({ privateKeyPath: join(ssh, 'id_rsa'), configured: false }), unreadFiles: [join(ssh, 'config')] });
    expect(warned).toEqual([`did not read all of ${join(ssh, 'config')}, so cannot tell what ssh gets from it: it is 2.0 MiB, and the companion reads none above 1 MiB: an ssh config or key is a few KB`]);
  });

  it('configure refuses to rewrite it, says why and what to do, and leaves it as it was', async () => {
    await expect(sshKey({ id: '2', type: 'sshKey', action: 'configure', keyPath: join(ssh, 'work') }, ctx())).rejects.toMatchObject({
      code: 'INTERNAL',
      message: `${join(ssh, 'config')} could not be read (it is 2.0 MiB, and the companion reads none above 1 MiB: an ssh config or key is a few KB): is it the file you meant? Make it smaller, then try again`,
    });
    expect(statSync(join(ssh, 'config')).size).toBe(2 * 1024 * 1024);
  });
});

describe('sshKey configure: the key the user chose, when its .pub cannot be read', () => {
  it('says which file and what it is, and leaves ~/.ssh/config as it was', async () => {
    writeFileSync(join(ssh, 'config'), 'Host github.com\n  User git\n');
    writeFileSync(join(ssh, 'work'), 'private\n');
    mkdirSync(join(ssh, 'work.pub'));
    await expect(sshKey({ id: '2', type: 'sshKey', action: 'configure', keyPath: join(ssh, 'work') }, ctx())).rejects.toMatchObject({
      code: 'INTERNAL',
      message: `${join(ssh, 'work.pub')} could not be read (it is a folder, not a file): make it a file you can read, then try again`,
    });
    expect(readFileSync(join(ssh, 'config'), 'utf8')).toBe('Host github.com\n  User git\n');
  });

  it.skipIf(process.platform === 'win32')('does not read a .pub that is a named pipe', async () => {
    writeFileSync(join(ssh, 'work'), 'private\n');
    pipeWriting(join(ssh, 'work.pub'), 'ssh-rsa AAAApipe');
    await expect(sshKey({ id: '3', type: 'sshKey', action: 'configure', keyPath: join(ssh, 'work') }, ctx())).rejects.toMatchObject({
      message: expect.stringContaining('(it is a named pipe, not a file)'),
    });
  });
});
