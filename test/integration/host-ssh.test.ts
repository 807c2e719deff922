/** SSH keys with the real ssh-keygen in a private HOME, the ~/.ssh/config block, and the SSH test. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SshKeyData } from '../../src/shared/host-protocol';
import { HostProcess, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

let sandbox: Sandbox;
let host: HostProcess;
beforeEach(async () => {
  sandbox = makeSandbox();
  host = await HostProcess.start(sandbox.env);
});
afterEach(async () => {
  await host.close();
  sandbox.remove();
});
afterAll(removeBuilds);

const USER_CONFIG = '# my settings\nServerAliveInterval 30\n\nHost github.com\n  User git\n  IdentityFile ~/.ssh/github\n';

describe('sshKey', () => {
  it('generates an RSA 4096 key once, never overwrites it, and writes an idempotent config block', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh, { mode: 0o700 });
    writeFileSync(join(ssh, 'config'), USER_CONFIG, { mode: 0o644 });

    expect(await host.request({ type: 'sshKey', action: 'find' })).toMatchObject({ ok: true, data: { key: null } });

    const generated = await host.request<SshKeyData>({ type: 'sshKey', action: 'generate', comment: 'test@companion' }, 60_000);
    expect(generated.ok).toBe(true);
    const data = (generated as { data: SshKeyData }).data;
    const privateKeyPath = join(ssh, 'id_rsa_azure_devops');
    expect(data.created).toBe(true);
    expect(data.key).toMatchObject({ privateKeyPath, publicKeyPath: `${privateKeyPath}.pub`, configured: true });
    expect(data.key!.publicKey).toMatch(/^ssh-rsa AAAA[0-9A-Za-z+/]+=* test@companion$/);
    expect(data.key!.fingerprint).toMatch(/^SHA256:/);
    expect(readFileSync(`${privateKeyPath}.pub`, 'utf8').trim()).toBe(data.key!.publicKey);
    expect(statSync(privateKeyPath).mode & 0o077).toBe(0);
    // ssh-keygen agrees it is a 4096-bit RSA key.
    expect(execFileSync('ssh-keygen', ['-l', '-f', privateKeyPath], { encoding: 'utf8' })).toMatch(/^4096 SHA256:\S+ test@companion \(RSA\)/);

    const config = readFileSync(join(ssh, 'config'), 'utf8');
    expect(data.sshConfig).toMatchObject({ path: join(ssh, 'config'), changed: true, hosts: ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'] });
    expect(config).toContain('Host ssh.dev.azure.com vs-ssh.visualstudio.com\n  IdentityFile ~/.ssh/id_rsa_azure_devops\n  IdentitiesOnly yes\n');
    expect(config.startsWith('# my settings\nServerAliveInterval 30\n\n# >>> Azure DevOps Companion')).toBe(true);
    expect(config.endsWith('\nHost github.com\n  User git\n  IdentityFile ~/.ssh/github\n')).toBe(true);
    expect(statSync(join(ssh, 'config')).mode & 0o777).toBe(0o644);

    // ssh reads the block as meant.
    const resolved = execFileSync('ssh', ['-G', '-F', join(ssh, 'config'), 'ssh.dev.azure.com'], { encoding: 'utf8', env: sandbox.env, stdio: ['ignore', 'pipe', 'ignore'] });
    expect(resolved).toContain(`identityfile ~/.ssh/id_rsa_azure_devops`);
    expect(resolved).toContain('identitiesonly yes');

    // Never overwritten.
    const privateBefore = readFileSync(privateKeyPath, 'utf8');
    const again = await host.request({ type: 'sshKey', action: 'generate' }, 60_000);
    expect(again).toMatchObject({ ok: false, error: { code: 'KEY_EXISTS', details: { path: privateKeyPath } } });
    expect(readFileSync(privateKeyPath, 'utf8')).toBe(privateBefore);

    // Idempotent block: configuring the same key again changes nothing.
    const configured = await host.request<SshKeyData>({ type: 'sshKey', action: 'configure' });
    expect(configured).toMatchObject({ ok: true, data: { sshConfig: { changed: false } } });
    expect(readFileSync(join(ssh, 'config'), 'utf8')).toBe(config);

    const found = await host.request<SshKeyData>({ type: 'sshKey', action: 'find' });
    expect(found).toMatchObject({ ok: true, data: { key: { privateKeyPath, configured: true, publicKey: data.key!.publicKey } } });
  });

  it("removes what a killed companion's generate left (its folder), not a running one's, nor a link", async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh, { mode: 0o700 });
    // A process id no process has any more: one that has ended.
    const ended = spawnSync('true').pid!;
    const dead = join(ssh, `.id_rsa_azure_devops.${ended}.Ab12Cd`);
    const running = join(ssh, `.id_rsa_azure_devops.${process.pid}.Ef34Gh`);
    const elsewhere = join(sandbox.home, 'elsewhere');
    for (const dir of [dead, running, elsewhere]) {
      mkdirSync(dir);
      writeFileSync(join(dir, 'id_rsa_azure_devops'), 'PRIVATE');
    }
    const link = join(ssh, `.id_rsa_azure_devops.${ended}.Ij56Kl`);
    symlinkSync(elsewhere, link);

    expect(await host.request({ type: 'sshKey', action: 'find' })).toMatchObject({ ok: true, data: { key: null } });
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(join(running, 'id_rsa_azure_devops'))).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(existsSync(join(elsewhere, 'id_rsa_azure_devops'))).toBe(true);
  });

  it('refuses to generate over a lone public key file', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh);
    writeFileSync(join(ssh, 'id_rsa_azure_devops.pub'), 'ssh-rsa AAAA old\n');
    expect(await host.request({ type: 'sshKey', action: 'generate' })).toMatchObject({ ok: false, error: { code: 'KEY_EXISTS' } });
    expect(readFileSync(join(ssh, 'id_rsa_azure_devops.pub'), 'utf8')).toBe('ssh-rsa AAAA old\n');
  });

  it('completes the pair a killed generate left half-placed: a private key alone gets its .pub, nothing else changes', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh, { mode: 0o700 });
    const keyPath = join(ssh, 'id_rsa_azure_devops');
    // What a generate killed between its two links leaves: the private key, no .pub.
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'azure-devops-companion@test', '-f', keyPath]);
    const publicKey = readFileSync(`${keyPath}.pub`, 'utf8');
    rmSync(`${keyPath}.pub`);
    const privateKey = readFileSync(keyPath, 'utf8');
    const find = () => host.request<SshKeyData>({ type: 'sshKey', action: 'find' });

    // While a generate runs (its folder names a live process), a lone private key may be its own: left alone.
    const running = join(ssh, `.id_rsa_azure_devops.${process.pid}.Ab12Cd`);
    mkdirSync(running);
    expect(await find()).toMatchObject({ ok: true, data: { key: null } });
    expect(existsSync(`${keyPath}.pub`)).toBe(false);
    rmSync(running, { recursive: true });

    expect(await find()).toMatchObject({ ok: true, data: { key: { privateKeyPath: keyPath, publicKey: publicKey.trim(), configured: false } } });
    expect(readFileSync(`${keyPath}.pub`, 'utf8')).toBe(publicKey);
    expect(readFileSync(keyPath, 'utf8')).toBe(privateKey);
    expect(await host.request({ type: 'sshKey', action: 'configure' })).toMatchObject({ ok: true, data: { key: { privateKeyPath: keyPath, configured: true } } });

    // Generate finds the half pair itself too: it answers that the key is there, now whole, and usable.
    rmSync(`${keyPath}.pub`);
    expect(await host.request({ type: 'sshKey', action: 'generate' }, 60_000)).toMatchObject({ ok: false, error: { code: 'KEY_EXISTS', details: { path: keyPath } } });
    expect(readFileSync(`${keyPath}.pub`, 'utf8')).toBe(publicKey);
    expect(readFileSync(keyPath, 'utf8')).toBe(privateKey);
    expect(await find()).toMatchObject({ ok: true, data: { key: { privateKeyPath: keyPath, configured: true } } });
  });

  it('leaves a lone private key it cannot derive a public key from as it is (a passphrase, not RSA)', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh, { mode: 0o700 });
    const keyPath = join(ssh, 'id_rsa_azure_devops');
    for (const args of [['-t', 'rsa', '-b', '2048', '-N', 'a passphrase'], ['-t', 'ed25519', '-N', '']]) {
      rmSync(keyPath, { force: true });
      execFileSync('ssh-keygen', ['-q', ...args, '-f', keyPath]);
      rmSync(`${keyPath}.pub`);
      const privateKey = readFileSync(keyPath, 'utf8');
      expect(await host.request({ type: 'sshKey', action: 'find' })).toMatchObject({ ok: true, data: { key: null } });
      expect(await host.request({ type: 'sshKey', action: 'generate' }, 60_000)).toMatchObject({ ok: false, error: { code: 'KEY_EXISTS' } });
      expect(readdirSync(ssh)).toEqual(['id_rsa_azure_devops']);
      expect(readFileSync(keyPath, 'utf8')).toBe(privateKey);
    }
  });

  it('finds an existing RSA key, ignores non-RSA keys, and configures hosts only when allowed', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(ssh, 'id_ed25519')]);
    writeFileSync(join(ssh, 'config'), 'Host ssh.dev.azure.com\n  IdentityFile ~/.ssh/id_ed25519\n');
    expect(await host.request({ type: 'sshKey', action: 'find' })).toMatchObject({ ok: true, data: { key: null } });
    expect(await host.request({ type: 'sshKey', action: 'configure', keyPath: join(ssh, 'id_ed25519') })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'mine', '-f', join(ssh, 'id_rsa')]);
    expect(await host.request({ type: 'sshKey', action: 'find' })).toMatchObject({ ok: true, data: { key: { privateKeyPath: join(ssh, 'id_rsa'), configured: false } } });
    expect(await host.request({ type: 'sshKey', action: 'configure', hosts: ['evil.example.com'] })).toMatchObject({ ok: false, error: { code: 'HOST_NOT_ALLOWED' } });
    expect(await host.request({ type: 'sshKey', action: 'configure', keyPath: '/etc/ssh/ssh_host_rsa_key' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    await host.request({ type: 'configure', allowedHosts: ['tfs.contoso.com'] });
    const configured = await host.request<SshKeyData>({ type: 'sshKey', action: 'configure', hosts: ['ssh.dev.azure.com', 'tfs.contoso.com'] });
    expect(configured).toMatchObject({ ok: true, data: { key: { configured: true }, sshConfig: { changed: true, hosts: ['ssh.dev.azure.com', 'tfs.contoso.com'] } } });
    const text = readFileSync(join(ssh, 'config'), 'utf8');
    expect(text).toContain('Host ssh.dev.azure.com tfs.contoso.com\n  IdentityFile ~/.ssh/id_rsa\n');
    expect(text.endsWith('Host ssh.dev.azure.com\n  IdentityFile ~/.ssh/id_ed25519\n')).toBe(true);
  });

  it('finds a key configured only for the hosts asked: a block for the cloud does not serve a server', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh);
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'mine', '-f', join(ssh, 'id_rsa')]);
    const find = (hosts?: string[]) => host.request<SshKeyData>({ type: 'sshKey', action: 'find', ...(hosts ? { hosts } : {}) });
    expect(await host.request({ type: 'sshKey', action: 'configure' })).toMatchObject({ ok: true, data: { key: { configured: true } } });

    // Asking compares only: a server the companion was not configured with is no error here.
    const withServer = ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com', 'TFS.Fabrikam.test'];
    expect(await find()).toMatchObject({ ok: true, data: { key: { privateKeyPath: join(ssh, 'id_rsa'), configured: true } } });
    // Named for the cloud pair, not the server: said, so Options can name the host missing.
    expect(await find(withServer)).toMatchObject({ ok: true, data: { key: { privateKeyPath: join(ssh, 'id_rsa'), configured: false, configuredFor: withServer.slice(0, 2) } } });
    expect(await host.request({ type: 'sshKey', action: 'configure', hosts: withServer })).toMatchObject({ ok: false, error: { code: 'HOST_NOT_ALLOWED' } });

    await host.request({ type: 'configure', allowedHosts: ['tfs.fabrikam.test'] });
    expect(await host.request({ type: 'sshKey', action: 'configure', hosts: withServer })).toMatchObject({
      ok: true,
      data: { key: { configured: true }, sshConfig: { changed: true, hosts: ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com', 'tfs.fabrikam.test'] } },
    });
    expect(await find(withServer)).toMatchObject({ ok: true, data: { key: { configured: true, configuredFor: ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com', 'tfs.fabrikam.test'] } } });
    // A server only (no cloud profile): the block covers it too.
    expect(await find(['tfs.fabrikam.test'])).toMatchObject({ ok: true, data: { key: { configured: true } } });
    expect(await find(['tfs.contoso.com'])).toMatchObject({ ok: true, data: { key: { configured: false } } });
    expect(await find(['not a host'])).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('a rewrite keeps the hosts the block named: profiles now all servers do not drop the cloud pair', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh);
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', join(ssh, 'id_rsa')]);
    const configure = (hosts?: string[]) => host.request<SshKeyData>({ type: 'sshKey', action: 'configure', ...(hosts ? { hosts } : {}) });
    const all = ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com', 'tfs.contoso.com'];
    expect(await configure()).toMatchObject({ ok: true, data: { sshConfig: { hosts: all.slice(0, 2) } } });

    // The extension asks for the servers alone once every profile is a server (sshHosts).
    await host.request({ type: 'configure', allowedHosts: ['tfs.contoso.com'] });
    expect(await configure(['tfs.contoso.com'])).toMatchObject({ ok: true, data: { key: { configured: true }, sshConfig: { changed: true, hosts: all } } });
    expect(readFileSync(join(ssh, 'config'), 'utf8')).toContain(`Host ${all.join(' ')}\n  IdentityFile ~/.ssh/id_rsa\n`);
    for (const name of all) expect(sshG(name)).toContain('identityfile ~/.ssh/id_rsa\n');
    expect(await host.request({ type: 'sshKey', action: 'find' })).toMatchObject({ ok: true, data: { key: { configured: true } } });
    // Asked again, in any order or case: nothing to write.
    expect(await configure(['TFS.contoso.com', 'ssh.dev.azure.com'])).toMatchObject({ ok: true, data: { sshConfig: { changed: false, hosts: all } } });

    // A host the companion no longer allows is not kept.
    await host.request({ type: 'configure', allowedHosts: [] });
    expect(await configure()).toMatchObject({ ok: true, data: { sshConfig: { changed: true, hosts: all.slice(0, 2) } } });
    expect(readFileSync(join(ssh, 'config'), 'utf8')).toContain(`Host ${all.slice(0, 2).join(' ')}\n  IdentityFile`);
  });

  it('updates a symlinked ~/.ssh/config where it really lives', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh);
    const dotfiles = join(sandbox.dir, 'dotfiles');
    mkdirSync(dotfiles);
    writeFileSync(join(dotfiles, 'ssh_config'), USER_CONFIG);
    symlinkSync(join(dotfiles, 'ssh_config'), join(ssh, 'config'));
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', join(ssh, 'id_rsa')]);
    expect((await host.request({ type: 'sshKey', action: 'configure' })).ok).toBe(true);
    expect(lstatSync(join(ssh, 'config')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dotfiles, 'ssh_config'), 'utf8')).toContain('IdentityFile ~/.ssh/id_rsa');
  });
});

/** The settings ssh itself resolves for `name` from the sandbox's ~/.ssh/config. */
const sshG = (name = 'ssh.dev.azure.com') =>
  execFileSync('ssh', ['-G', '-F', join(sandbox.home, '.ssh', 'config'), name], { encoding: 'utf8', env: sandbox.env, stdio: ['ignore', 'pipe', 'ignore'] });

describe('sshKey configure: the config names the checked file, in words ssh reads as meant', () => {
  /** An RSA pair at `path` (copied from one generated key: ssh-keygen takes seconds). */
  let pair: { key: string; pub: string } | undefined;
  async function rsaPair(path: string) {
    if (!pair) {
      const temp = join(sandbox.dir, 'template');
      execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', temp]);
      pair = { key: readFileSync(temp, 'utf8'), pub: readFileSync(`${temp}.pub`, 'utf8') };
    }
    writeFileSync(path, pair.key, { mode: 0o600 });
    writeFileSync(`${path}.pub`, pair.pub);
  }

  it('names the real file a link in ~/.ssh leads to, and refuses a link that leads out of ~/.ssh', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(join(ssh, 'keys'), { recursive: true });
    await rsaPair(join(ssh, 'keys', 'azure'));
    symlinkSync(join(ssh, 'keys', 'azure'), join(ssh, 'current'));
    const configured = await host.request<SshKeyData>({ type: 'sshKey', action: 'configure', keyPath: join(ssh, 'current') });
    expect(configured).toMatchObject({ ok: true, data: { key: { privateKeyPath: join(ssh, 'keys', 'azure') } } });
    // Re-pointing the link later does not change which key ssh uses.
    expect(readFileSync(join(ssh, 'config'), 'utf8')).toContain('  IdentityFile ~/.ssh/keys/azure\n');
    expect(sshG()).toContain('identityfile ~/.ssh/keys/azure\n');

    // ~/.ssh/id_rsa is a link to a key outside ~/.ssh: neither named nor found-and-configured.
    const outside = join(sandbox.dir, 'outside');
    mkdirSync(outside);
    await rsaPair(join(outside, 'id_rsa'));
    symlinkSync(join(outside, 'id_rsa'), join(ssh, 'id_rsa'));
    symlinkSync(join(outside, 'id_rsa.pub'), join(ssh, 'id_rsa.pub'));
    const before = readFileSync(join(ssh, 'config'), 'utf8');
    expect(await host.request({ type: 'sshKey', action: 'configure', keyPath: join(ssh, 'id_rsa') })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: `${join(ssh, 'id_rsa')} (a link to ${join(outside, 'id_rsa')}) is outside ${ssh}, and the companion names only keys in that folder in ~/.ssh/config: move or copy the key and its .pub into ${ssh}, then try again` },
    });
    rmSync(join(ssh, 'config'));
    rmSync(join(ssh, 'keys'), { recursive: true });
    rmSync(join(ssh, 'current'));
    expect(await host.request({ type: 'sshKey', action: 'configure' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(existsSync(join(ssh, 'config'))).toBe(false);
    expect(before).not.toContain('id_rsa');
  });

  it('find says which hosts the user’s own Host sections give the key for, and whether configure can name it', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh);
    const keys = join(sandbox.dir, 'keys');
    mkdirSync(keys);
    await rsaPair(join(keys, 'ado'));
    const find = (hosts?: string[]) => host.request<SshKeyData>({ type: 'sshKey', action: 'find', ...(hosts ? { hosts } : {}) }).then((r) => r.ok && r.data.key);

    // Outside ~/.ssh: ssh uses it for the host named, and configure could not name it.
    writeFileSync(join(ssh, 'config'), `Host ssh.dev.azure.com github.com\n  IdentityFile ${join(keys, 'ado')}\n`);
    expect(await find()).toMatchObject({ privateKeyPath: join(keys, 'ado'), configured: false, userConfig: { hosts: ['ssh.dev.azure.com'], configurable: false } });

    // Inside ~/.ssh: configure can; a server counts when it is asked for.
    await rsaPair(join(ssh, 'ado'));
    const own = 'Host ssh.dev.azure.com tfs.contoso.com\n  IdentityFile ~/.ssh/ado\n';
    writeFileSync(join(ssh, 'config'), own);
    expect(await find()).toMatchObject({ privateKeyPath: join(ssh, 'ado'), configured: false, userConfig: { hosts: ['ssh.dev.azure.com'], configurable: true } });
    const withServer = ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com', 'tfs.contoso.com'];
    expect(await find(withServer)).toMatchObject({ userConfig: { hosts: ['ssh.dev.azure.com', 'tfs.contoso.com'], configurable: true } });

    // The companion's block naming it is not the user's own: it counts as configured, not there.
    expect(await host.request({ type: 'sshKey', action: 'configure', keyPath: join(ssh, 'ado') })).toMatchObject({ ok: true });
    expect(await find()).toMatchObject({ configured: true, userConfig: { hosts: ['ssh.dev.azure.com'], configurable: true } });
    writeFileSync(join(ssh, 'config'), readFileSync(join(ssh, 'config'), 'utf8').replace(own, ''));
    const blockOnly = await find();
    expect(blockOnly).toMatchObject({ privateKeyPath: join(ssh, 'ado'), configured: true });
    expect(blockOnly).not.toHaveProperty('userConfig');
  });

  it('find reads Host lines as ssh does: a wildcard gives the key, a negated match takes it away, for each host asked', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh);
    await rsaPair(join(ssh, 'ado'));
    const hosts = ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com', 'tfs.contoso.com'];
    const cases: [string, string[]][] = [
      ['Host *.azure.com', ['ssh.dev.azure.com']],
      ['Host *', hosts],
      ['Host ssh.dev.azure.com vs-ssh.*', hosts.slice(0, 2)],
      ['Host tfs.*', ['tfs.contoso.com']],
      ['Host * !ssh.dev.azure.com', ['vs-ssh.visualstudio.com', 'tfs.contoso.com']],
      ['Host ssh.dev.azure.com !*.azure.com', []],
      ['Host SSH.dev.azure.com', []],
    ];
    for (const [line, served] of cases) {
      writeFileSync(join(ssh, 'config'), `${line}\n  IdentityFile ~/.ssh/ado\n`);
      // ssh itself gives the key to exactly these hosts.
      expect(hosts.filter((h) => sshG(h).includes('identityfile ~/.ssh/ado\n')), line).toEqual(served);
      const found = await host.request<SshKeyData>({ type: 'sshKey', action: 'find', hosts }).then((r) => r.ok && r.data.key);
      // Found through the Host line only: a key no line gives is not found at all.
      expect(found ? found.userConfig : undefined, line).toEqual(served.length > 0 ? { hosts: served, configurable: true } : undefined);
      if (served.length > 0) expect(found, line).toMatchObject({ privateKeyPath: join(ssh, 'ado'), configured: false });
    }
  });

  it('find reads the files an Include names, and an IdentityFile line with a comment, as ssh does', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(join(ssh, 'config.d'), { recursive: true });
    await rsaPair(join(ssh, 'ado'));
    writeFileSync(join(ssh, 'config'), 'Include config.d/*\n');
    writeFileSync(join(ssh, 'config.d', 'work'), 'Host ssh.dev.azure.com tfs.contoso.com\n  identityfile=~/.ssh/ado # work key\n');
    const found = await host.request<SshKeyData>({ type: 'sshKey', action: 'find', hosts: ['ssh.dev.azure.com', 'tfs.contoso.com'] });
    expect(found).toMatchObject({ ok: true, data: { key: { privateKeyPath: join(ssh, 'ado'), configured: false, userConfig: { hosts: ['ssh.dev.azure.com', 'tfs.contoso.com'], configurable: true } } } });
  });

  it('find expands the % tokens of an IdentityFile value it can tell, for each host', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh);
    await rsaPair(join(ssh, 'ssh.dev.azure.com'));
    writeFileSync(join(ssh, 'config'), 'Host *.azure.com tfs.contoso.com\n  IdentityFile %d/.ssh/%h\n');
    const found = await host.request<SshKeyData>({ type: 'sshKey', action: 'find', hosts: ['ssh.dev.azure.com', 'tfs.contoso.com'] });
    // The line names ~/.ssh/tfs.contoso.com for the server, which is not there.
    expect(found).toMatchObject({ ok: true, data: { key: { privateKeyPath: join(ssh, 'ssh.dev.azure.com'), userConfig: { hosts: ['ssh.dev.azure.com'], configurable: true } } } });
  });

  it('find skips a key whose .pub cannot be read (a folder) and finds the next one, rather than failing', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(join(ssh, 'work.pub'), { recursive: true });
    writeFileSync(join(ssh, 'work'), 'private\n', { mode: 0o600 });
    await rsaPair(join(ssh, 'id_rsa'));
    writeFileSync(join(ssh, 'config'), 'Host ssh.dev.azure.com\n  IdentityFile ~/.ssh/work\n');
    const found = await host.request<SshKeyData>({ type: 'sshKey', action: 'find' });
    expect(found).toMatchObject({ ok: true, data: { key: { privateKeyPath: join(ssh, 'id_rsa'), fingerprint: expect.stringMatching(/^SHA256:/) } } });
  });

  it('refuses a key outside ~/.ssh with words that say to move or copy it into ~/.ssh, and configures it once there', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh);
    const keys = join(sandbox.dir, 'keys');
    mkdirSync(keys);
    await rsaPair(join(keys, 'ado'));
    const moveIt = `move or copy the key and its .pub into ${ssh}, then try again`;
    const answer = await host.request({ type: 'sshKey', action: 'configure', keyPath: join(keys, 'ado') });
    expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: `${join(keys, 'ado')} is outside ${ssh}, and the companion names only keys in that folder in ~/.ssh/config: ${moveIt}` } });

    // Found through the user's own Host section, as Options shows it: configuring it says the same.
    const own = `Host ssh.dev.azure.com\n  IdentityFile ${join(keys, 'ado')}\n`;
    writeFileSync(join(ssh, 'config'), own);
    expect(await host.request({ type: 'sshKey', action: 'find' })).toMatchObject({ ok: true, data: { key: { privateKeyPath: join(keys, 'ado') } } });
    expect(await host.request({ type: 'sshKey', action: 'configure' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining(moveIt) } });
    expect(readFileSync(join(ssh, 'config'), 'utf8')).toBe(own);
    expect(await host.request({ type: 'sshKey', action: 'configure', keyPath: join(ssh, 'nothing') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: `there is no key file at ${join(ssh, 'nothing')}` } });

    // Done as it says, it is configured.
    await rsaPair(join(ssh, 'ado'));
    expect(await host.request({ type: 'sshKey', action: 'configure', keyPath: join(ssh, 'ado') })).toMatchObject({ ok: true, data: { key: { privateKeyPath: join(ssh, 'ado'), configured: true } } });
  });

  it.each([
    ['a double quote', 'id"rsa'],
    ['a line break that would add a setting', 'id\n  ProxyCommand touch pwned'],
    ['a % token ssh expands', 'id_%d'],
    ['an environment variable ssh expands', 'id_${HOME}'],
    ['a backslash', 'id\\rsa'],
    ['a control character', 'id\trsa'],
    ['a trailing space', 'id_rsa '],
  ])('refuses a key whose real path has %s, and leaves the config alone', async (_, name) => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh);
    writeFileSync(join(ssh, 'config'), USER_CONFIG);
    await rsaPair(join(ssh, name));
    // Asked for through a plainly named link: what counts is the file the config would name.
    symlinkSync(join(ssh, name), join(ssh, 'azure'));
    const answer = await host.request({ type: 'sshKey', action: 'configure', keyPath: join(ssh, 'azure') });
    expect(answer).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('cannot be named in ~/.ssh/config') } });
    expect(readFileSync(join(ssh, 'config'), 'utf8')).toBe(USER_CONFIG);
  });

  it('quotes a path ssh can read quoted (spaces, #, an apostrophe), and ssh names the key', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh);
    for (const name of ['my azure key', "ann's#key", ' leading']) {
      await rsaPair(join(ssh, name));
      expect(await host.request({ type: 'sshKey', action: 'configure', keyPath: join(ssh, name) })).toMatchObject({ ok: true, data: { sshConfig: { changed: true } } });
      expect(readFileSync(join(ssh, 'config'), 'utf8')).toContain(`  IdentityFile "~/.ssh/${name}"\n`);
      expect(sshG('vs-ssh.visualstudio.com')).toContain(`identityfile ~/.ssh/${name}\n`);
    }
  });

  it('leaves a config ssh cannot read with the block as it was, and says what ssh said', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh);
    await rsaPair(join(ssh, 'id_rsa'));
    const broken = 'Host github.com\n  NoSuchOption yes\n';
    writeFileSync(join(ssh, 'config'), broken, { mode: 0o600 });
    const answer = await host.request({ type: 'sshKey', action: 'configure' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'SSH_CONFIG_CONFLICT', message: expect.stringMatching(/ssh -G ssh\.dev\.azure\.com failed \(.*Bad configuration option: nosuchoption/i) } });
    expect(readFileSync(join(ssh, 'config'), 'utf8')).toBe(broken);
    // No temporary file is left beside it.
    expect(readdirSync(ssh).toSorted()).toEqual(['config', 'id_rsa', 'id_rsa.pub']);
  });
});

describe('sshTest', () => {
  it('reports in plain words, and only for allowed hosts', async () => {
    expect(await host.request({ type: 'sshTest', host: 'github.com' })).toMatchObject({ ok: false, error: { code: 'HOST_NOT_ALLOWED' } });
    expect(await host.request({ type: 'sshTest', host: '-oProxyCommand=touch /tmp/x' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    // Nothing listens on this machine's SSH port: a real ssh run that fails to connect.
    await host.request({ type: 'configure', allowedHosts: ['127.0.0.1'] });
    const answer = await host.request({ type: 'sshTest', host: '127.0.0.1' }, 40_000);
    expect(answer).toMatchObject({ ok: true, data: { ok: false, summary: expect.stringMatching(/could not be reached/) } });
    expect((answer as { data: { detail: string } }).data.detail).toMatch(/Connection refused/);
  });

  it('tries a server’s own SSH port when it is given', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const free = (server.address() as AddressInfo).port;
        server.close(() => resolve(free));
      });
    });
    await host.request({ type: 'configure', allowedHosts: ['127.0.0.1'] });
    const answer = await host.request({ type: 'sshTest', host: '127.0.0.1', port }, 40_000);
    expect(answer).toMatchObject({ ok: true, data: { ok: false, summary: `127.0.0.1 could not be reached on the SSH port (${port}). A firewall or proxy may block SSH; try HTTPS instead.` } });
    expect((answer as { data: { detail: string } }).data.detail).toContain(`port ${port}: Connection refused`);
    expect(await host.request({ type: 'sshTest', host: '127.0.0.1', port: 0 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
