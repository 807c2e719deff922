/**
 * SSH end to end through the built companion host speaking native messaging: its `sshKey`
 * generates a key in a private HOME and writes its ~/.ssh/config block, the key is registered in
 * the sandbox Azure DevOps like the web UI does it, then `sshTest` and `clone` with an SSH URL
 * run the real ssh against the sandbox's SSH endpoint.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox as AdoSandbox } from '../../sandbox/index';
import { writeSshClientConfig } from '../../sandbox/ssh/client-config';
import { writeSshHomeShim } from '../../sandbox/ssh/home-shim';
import { entraSignIn } from '../../sandbox/testing';
import { readBlock } from '../../src/host/ssh-config-block';
import type { CloneData, SshKeyData, SshTestData } from '../../src/shared/host-protocol';
import { HostProcess, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

const PLATFORM = 'git@ssh.dev.azure.com:v3/fabrikam/Platform/Platform';

let ado: AdoSandbox;
let sandbox: Sandbox;
let host: HostProcess;

beforeAll(async () => {
  ado = await startSandbox({ quiet: true });
}, 120_000);
afterAll(async () => {
  await ado?.close();
  removeBuilds();
});
beforeEach(async () => {
  sandbox = makeSandbox();
  // ssh finds ~/.ssh through the password database; the shim points it at the private HOME.
  const bin = await writeSshHomeShim(join(sandbox.dir, 'bin'));
  sandbox.env.PATH = `${bin}:${process.env.PATH}`;
  host = await HostProcess.start(sandbox.env);
  expect((await host.request({ type: 'configure', cloneRoots: [sandbox.roots] })).ok).toBe(true);
});
afterEach(async () => {
  await host.close();
  sandbox.remove();
});

async function registerKey(publicData: string): Promise<void> {
  const { accessToken } = await entraSignIn(ado);
  const res = await ado.fetch('https://dev.azure.com/fabrikam/_apis/Contribution/HierarchyQuery?api-version=5.0-preview.1', {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      contributionIds: ['ms.vss-token-web.personal-access-token-issue-session-token-provider'],
      dataProviderContext: { properties: { displayName: 'companion', publicData, validTo: new Date(Date.now() + 86_400_000).toISOString(), scope: 'app_token', isPublic: true } },
    }),
  });
  const body = (await res.json()) as Record<string, unknown>;
  expect(body.dataProviderExceptions).toBeUndefined();
}

describe('SSH through the companion', () => {
  it('generates a key, tests SSH and clones a branch over SSH from the sandbox', async () => {
    // The sandbox's address block first: the companion inserts its own before the first Host line.
    const files = await writeSshClientConfig(ado.ssh!, sandbox.home);

    const generated = await host.request<SshKeyData>({ type: 'sshKey', action: 'generate' }, 60_000);
    expect(generated.ok).toBe(true);
    const key = (generated as { data: SshKeyData }).data.key!;
    const config = readFileSync(files.configFile, 'utf8');
    expect(config.indexOf('# >>> Azure DevOps Companion >>>')).toBeLessThan(config.indexOf('# >>> ADO sandbox SSH endpoint >>>'));
    // Writing the sandbox block again leaves the companion's block as it was.
    await writeSshClientConfig(ado.ssh!, sandbox.home);
    expect(readBlock(readFileSync(files.configFile, 'utf8'))).toEqual({ hosts: ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'], identityFile: '~/.ssh/id_rsa_azure_devops' });
    expect(readFileSync(files.configFile, 'utf8')).toBe(config);

    // Not registered yet: refused, and said so in plain words.
    const before = await host.request<SshTestData>({ type: 'sshTest', host: 'ssh.dev.azure.com' }, 40_000);
    expect(before).toMatchObject({ ok: true, data: { ok: false, summary: expect.stringMatching(/did not accept any of your SSH keys/) } });
    const refused = await host.request({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'refused' }, 60_000);
    expect(refused).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', message: expect.stringMatching(/did not accept your SSH key.*\(git: .*Permission denied \(/) } });
    // The user's own insteadOf sends an https clone (a page without a profile: no token) to SSH:
    // ssh's refusal is said, not a credential helper that was never asked.
    const gitGlobal = (...args: string[]) => execFileSync('git', ['config', '--global', ...args], { env: sandbox.env });
    gitGlobal('url.git@ssh.dev.azure.com:v3/.insteadOf', 'https://dev.azure.com/');
    try {
      const rewritten = await host.request({ type: 'clone', url: 'https://dev.azure.com/fabrikam/Platform/_git/Platform', root: sandbox.roots, folder: 'rewritten' }, 60_000);
      expect(rewritten).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', message: expect.stringMatching(/did not accept your SSH key/) } });
    } finally {
      gitGlobal('--unset', 'url.git@ssh.dev.azure.com:v3/.insteadOf');
    }

    await registerKey(key.publicKey);
    const after = await host.request<SshTestData>({ type: 'sshTest', host: 'ssh.dev.azure.com' }, 40_000);
    expect(after).toMatchObject({ ok: true, data: { ok: true, summary: 'SSH works: ssh.dev.azure.com accepted your key.' } });
    expect((after as { data: SshTestData }).data.detail).toContain('remote: Shell access is not supported.');

    const answer = await host.request<CloneData>(
      { id: 'ssh1', type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'fabrikam/Platform', branch: 'refs/heads/feature/retry-policy' },
      60_000,
    );
    const path = join(sandbox.roots, 'fabrikam', 'Platform');
    expect(answer).toEqual({ id: 'ssh1', ok: true, data: { path, branch: 'feature/retry-policy', remoteUrl: PLATFORM } });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: path, env: sandbox.env, encoding: 'utf8' }).trim();
    expect(git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('feature/retry-policy');
    const org = ado.store.organization('fabrikam')!;
    const repo = ado.store.repository(org, 'Platform', ado.store.project(org, 'Platform'))!;
    const tip = (await ado.services.git.refs(repo)).find((r) => r.name === 'refs/heads/feature/retry-policy')!.objectId;
    expect(git('rev-parse', 'HEAD')).toBe(tip);
    expect(git('config', '--get', 'remote.origin.url')).toBe(PLATFORM);
    expect(host.progressOf('ssh1').length).toBeGreaterThan(0);

    // A token profile's Fetch sends its token whatever the remote's URL: over SSH it is left out, not refused.
    const fetched = await host.request({ id: 'ssh2', type: 'fetch', path, remote: 'origin', auth: { kind: 'pat', token: 'token-not-for-ssh-0123456789', orgUrl: 'https://dev.azure.com/fabrikam/' } }, 60_000);
    expect(fetched).toEqual({ id: 'ssh2', ok: true, data: { path, remote: 'origin' } });

    // An unknown repository over SSH: the service's TF401019, read as NOT_FOUND.
    const missing = await host.request({ type: 'clone', url: 'git@ssh.dev.azure.com:v3/fabrikam/Platform/nope', root: sandbox.roots, folder: 'nope' }, 60_000);
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('says a key with a passphrase that ssh-agent does not hold is why ssh refused it, not a key missing from Azure DevOps; held by the agent, it works', async () => {
    await writeSshClientConfig(ado.ssh!, sandbox.home);
    const keyPath = join(sandbox.home, '.ssh', 'id_rsa');
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', 'secret-pass', '-C', 'locked', '-f', keyPath]);
    const publicKey = readFileSync(`${keyPath}.pub`, 'utf8').trim();
    // The key is registered: only its passphrase stands in the way.
    await registerKey(publicKey);
    expect(await host.request({ type: 'sshKey', action: 'configure', keyPath }, 60_000)).toMatchObject({ ok: true });

    const found = await host.request<SshKeyData>({ type: 'sshKey', action: 'find' }, 60_000);
    expect(found).toMatchObject({ ok: true, data: { key: { privateKeyPath: keyPath, passphrase: true, inAgent: false } } });
    const test = await host.request<SshTestData>({ type: 'sshTest', host: 'ssh.dev.azure.com' }, 40_000);
    expect(test).toMatchObject({
      ok: true,
      data: { ok: false, summary: `ssh.dev.azure.com accepted no key ssh could use. Your SSH key ${keyPath} has a passphrase and ssh-agent does not hold it, so ssh cannot use it.` },
    });
    expect((test as { data: SshTestData }).data.summary).not.toContain('Add your public key');
    const refused = await host.request({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'locked' }, 60_000);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'AUTH_FAILED', message: expect.stringMatching(new RegExp(`^Your SSH key ${keyPath} has a passphrase and ssh-agent does not hold it, so ssh cannot use it\\. \\(git: .*Permission denied \\(`)) },
    });

    // Loaded into an agent (the passphrase given once, as ssh-add asks for it), ssh uses it.
    const socket = join(sandbox.dir, 'agent.sock');
    const agent = spawnSync('ssh-agent', ['-a', socket], { encoding: 'utf8' });
    const agentPid = Number(/SSH_AGENT_PID=(\d+)/.exec(agent.stdout)?.[1]);
    expect(agentPid).toBeGreaterThan(0);
    try {
      const askpass = join(sandbox.dir, 'askpass');
      writeFileSync(askpass, '#!/bin/sh\necho secret-pass\n', { mode: 0o755 });
      execFileSync('ssh-add', [keyPath], { env: { ...sandbox.env, SSH_AUTH_SOCK: socket, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' }, stdio: 'ignore' });
      await host.close();
      host = await HostProcess.start({ ...sandbox.env, SSH_AUTH_SOCK: socket });
      const held = await host.request<SshKeyData>({ type: 'sshKey', action: 'find' }, 60_000);
      expect(held).toMatchObject({ ok: true, data: { key: { passphrase: true, inAgent: true } } });
      expect(await host.request<SshTestData>({ type: 'sshTest', host: 'ssh.dev.azure.com' }, 40_000)).toMatchObject({ ok: true, data: { ok: true } });
      expect(await host.request({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'held' }, 60_000)).toMatchObject({ ok: true });
    } finally {
      process.kill(agentPid);
    }
  });

  it('says nothing of a passphrase for a key without one', async () => {
    await writeSshClientConfig(ado.ssh!, sandbox.home);
    const generated = await host.request<SshKeyData>({ type: 'sshKey', action: 'generate' }, 60_000);
    expect(generated).toMatchObject({ ok: true, data: { key: { passphrase: false } } });
    expect((generated as { data: SshKeyData }).data.key).not.toHaveProperty('inAgent');
    const test = await host.request<SshTestData>({ type: 'sshTest', host: 'ssh.dev.azure.com' }, 40_000);
    expect(test).toMatchObject({ ok: true, data: { ok: false, summary: expect.stringMatching(/did not accept any of your SSH keys. Add your public key/) } });
  });
});
