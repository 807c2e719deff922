/** SSH keys with the real ssh-keygen in a private HOME, the ~/.ssh/config block, and the SSH test. */
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
    const { execFileSync } = await import('node:child_process');
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

  it('refuses to generate over a lone public key file', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh);
    writeFileSync(join(ssh, 'id_rsa_azure_devops.pub'), 'ssh-rsa AAAA old\n');
    expect(await host.request({ type: 'sshKey', action: 'generate' })).toMatchObject({ ok: false, error: { code: 'KEY_EXISTS' } });
    expect(readFileSync(join(ssh, 'id_rsa_azure_devops.pub'), 'utf8')).toBe('ssh-rsa AAAA old\n');
  });

  it('finds an existing RSA key, ignores non-RSA keys, and configures hosts only when allowed', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh);
    const { execFileSync } = await import('node:child_process');
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

  it('updates a symlinked ~/.ssh/config where it really lives', async () => {
    const ssh = join(sandbox.home, '.ssh');
    mkdirSync(ssh);
    const dotfiles = join(sandbox.dir, 'dotfiles');
    mkdirSync(dotfiles);
    writeFileSync(join(dotfiles, 'ssh_config'), USER_CONFIG);
    symlinkSync(join(dotfiles, 'ssh_config'), join(ssh, 'config'));
    const { execFileSync } = await import('node:child_process');
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', join(ssh, 'id_rsa')]);
    expect((await host.request({ type: 'sshKey', action: 'configure' })).ok).toBe(true);
    const { lstatSync } = await import('node:fs');
    expect(lstatSync(join(ssh, 'config')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dotfiles, 'ssh_config'), 'utf8')).toContain('IdentityFile ~/.ssh/id_rsa');
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
});
