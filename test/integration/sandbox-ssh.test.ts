/**
 * The sandbox's SSH endpoint (the ssh.dev.azure.com stand-in) with the real ssh client and git:
 * keys registered through the SSH public keys API, clones and pushes, and the service's refusals.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import ssh2, { type ParsedKey, type SignCallback, type SigningRequestOptions } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { writeSshClientConfig, type SshClientFiles } from '../../sandbox/ssh/client-config';
import { entraSignIn } from '../../sandbox/testing';
import { tempDir } from './sandbox-rest-harness';

const PROVIDER = 'ms.vss-token-web.personal-access-token-issue-session-token-provider';
const NOT_FOUND = (name: string) =>
  `remote: TF401019: The Git repository with name or identifier ${name} does not exist or you do not have permissions for the operation you are attempting.`;

let sandbox: Sandbox;
let tmp: { dir: string; remove: () => Promise<void> };
let files: SshClientFiles;
let bearer: string;
const keys: Record<'ada' | 'stranger' | 'ed25519' | 'onprem', string> = { ada: '', stranger: '', ed25519: '', onprem: '' };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: opts.cwd, env: opts.env, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** git whose ssh uses only `key`, the sandbox's ssh config, and never prompts. */
function gitEnv(key: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: path.join(tmp.dir, 'home'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    GIT_SSH_COMMAND: `ssh -F ${files.configFile} -i ${key} -o IdentitiesOnly=yes -o BatchMode=yes`,
  };
}

const git = (key: string, args: string[], cwd?: string) => run('git', args, { cwd, env: gitEnv(key) });

async function keygen(name: string, type: 'rsa' | 'ed25519'): Promise<string> {
  const file = path.join(tmp.dir, `key-${name}`);
  const made = await run('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', name, '-f', file]);
  if (made.code !== 0) throw new Error(made.stderr);
  return file;
}

/** Registers a public key the way the web UI's SSH keys page does. */
async function register(base: string, publicKeyFile: string, auth: Record<string, string>): Promise<Record<string, unknown>> {
  const publicData = (await readFile(publicKeyFile, 'utf8')).trim();
  const res = await sandbox.fetch(`${base}/_apis/Contribution/HierarchyQuery?api-version=5.0-preview.1`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'x-tfs-fedauthredirect': 'Suppress' },
    body: JSON.stringify({
      contributionIds: [PROVIDER],
      dataProviderContext: {
        properties: { displayName: path.basename(publicKeyFile), publicData, validTo: new Date(Date.now() + 30 * 86_400_000).toISOString(), scope: 'app_token', isPublic: true },
      },
    }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

const branchOf = async (repoName: string, project: string, ref: string) => {
  const org = sandbox.store.organization('fabrikam')!;
  const repo = sandbox.store.repository(org, repoName, sandbox.store.project(org, project))!;
  return (await sandbox.services.git.refs(repo)).find((r) => r.name === ref)?.objectId;
};

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  tmp = await tempDir('sandbox-ssh-');
  files = await writeSshClientConfig(sandbox.ssh!, path.join(tmp.dir, 'home'), ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com', 'tfs.fabrikam.test']);
  [keys.ada, keys.stranger, keys.ed25519, keys.onprem] = await Promise.all([keygen('ada', 'rsa'), keygen('stranger', 'rsa'), keygen('ed', 'ed25519'), keygen('onprem', 'rsa')]);
  bearer = `Bearer ${(await entraSignIn(sandbox)).accessToken}`;
  const added = await register('https://dev.azure.com/fabrikam', `${keys.ada}.pub`, { authorization: bearer });
  expect(added.dataProviderExceptions).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await tmp?.remove();
});

describe('clone and push over SSH', () => {
  it('clones with a registered key and lands on the default branch (here develop)', async () => {
    const dest = path.join(tmp.dir, 'api');
    const cloned = await git(keys.ada, ['clone', 'git@ssh.dev.azure.com:v3/fabrikam/Fabrikam%20Fiber/fabrikam-api', dest]);
    expect(cloned.stderr).not.toMatch(/fatal|warning/i);
    expect(cloned.code).toBe(0);
    expect((await git(keys.ada, ['rev-parse', '--abbrev-ref', 'HEAD'], dest)).stdout.trim()).toBe('develop');
    expect((await git(keys.ada, ['rev-parse', 'HEAD'], dest)).stdout.trim()).toBe(await branchOf('fabrikam-api', 'Fabrikam Fiber', 'refs/heads/develop'));
    expect((await git(keys.ada, ['config', 'remote.origin.url'], dest)).stdout.trim()).toBe('git@ssh.dev.azure.com:v3/fabrikam/Fabrikam%20Fiber/fabrikam-api');
    const log = await readFile(sandbox.logFile, 'utf8');
    expect(log).toContain('"method":"git-upload-pack","host":"ssh","path":"v3/fabrikam/Fabrikam%20Fiber/fabrikam-api","status":0');
  });

  it('clones a branch, through the legacy vs-ssh host with the organization as user, names with spaces unencoded too', async () => {
    const dest = path.join(tmp.dir, 'fiber');
    const cloned = await git(keys.ada, ['clone', '--branch', 'feature/retry-policy', "fabrikam@vs-ssh.visualstudio.com:v3/fabrikam/Fabrikam Fiber/Fabrikam Fiber", dest]);
    expect(cloned.code).toBe(0);
    expect((await git(keys.ada, ['rev-parse', '--abbrev-ref', 'HEAD'], dest)).stdout.trim()).toBe('feature/retry-policy');
    expect((await git(keys.ada, ['rev-parse', 'HEAD'], dest)).stdout.trim()).toBe(await branchOf('Fabrikam Fiber', 'Fabrikam Fiber', 'refs/heads/feature/retry-policy'));
  });

  it('pushes a new branch (git-receive-pack) into the real repository', async () => {
    const dest = path.join(tmp.dir, 'push');
    expect((await git(keys.ada, ['clone', 'git@ssh.dev.azure.com:v3/fabrikam/Platform/platform-tools', dest])).code).toBe(0);
    await writeFile(path.join(dest, 'ssh.txt'), 'pushed over ssh\n');
    const who = ['-c', 'user.name=Ada Lovelace', '-c', 'user.email=ada@fabrikam.test'];
    expect((await git(keys.ada, ['add', 'ssh.txt'], dest)).code).toBe(0);
    expect((await git(keys.ada, [...who, 'commit', '-q', '-m', 'Over SSH'], dest)).code).toBe(0);
    const pushed = await git(keys.ada, ['push', 'origin', 'HEAD:refs/heads/users/ada/ssh'], dest);
    expect(pushed.stderr).toContain('* [new branch]      HEAD -> users/ada/ssh');
    expect(pushed.code).toBe(0);
    const head = (await git(keys.ada, ['rev-parse', 'HEAD'], dest)).stdout.trim();
    expect(await branchOf('platform-tools', 'Platform', 'refs/heads/users/ada/ssh')).toBe(head);

    // The first branch pushed into an empty repository becomes its default branch, as over HTTPS.
    const org = sandbox.store.organization('fabrikam')!;
    const empty = sandbox.store.repository(org, 'Empty', sandbox.store.project(org, 'Fabrikam Fiber'))!;
    expect(await sandbox.services.git.defaultBranch(empty)).toBeUndefined();
    const first = await git(keys.ada, ['push', 'git@ssh.dev.azure.com:v3/fabrikam/Fabrikam%20Fiber/Empty', 'HEAD:refs/heads/trunk'], dest);
    expect(first.code).toBe(0);
    expect(await sandbox.services.git.defaultBranch(empty)).toBe('refs/heads/trunk');
  });

  it('clones from the on-prem server form (ssh://server:port/tfs/{collection}/{project}/_git/{repo})', async () => {
    const signin = await sandbox.fetch('https://tfs.fabrikam.test/_sandbox/signin?user=ada');
    const cookie = signin.headers.get('set-cookie')!.split(';')[0]!;
    const added = await register('https://tfs.fabrikam.test/tfs/DefaultCollection', `${keys.onprem}.pub`, { cookie });
    expect(added.dataProviderExceptions).toBeUndefined();
    const url = `ssh://tfs.fabrikam.test:${sandbox.ssh!.port}/tfs/DefaultCollection/Legacy/_git/tfs-tools`;
    const dest = path.join(tmp.dir, 'onprem');
    const cloned = await git(keys.onprem, ['clone', url, dest]);
    expect(cloned.stderr).not.toMatch(/fatal/);
    expect(cloned.code).toBe(0);
    expect((await git(keys.onprem, ['rev-parse', '--abbrev-ref', 'HEAD'], dest)).stdout.trim()).toBe('master');
    // A key registered on-prem is not one for the cloud organization.
    const cloud = await git(keys.onprem, ['ls-remote', 'git@ssh.dev.azure.com:v3/fabrikam/Platform/Platform']);
    expect(cloud.stderr).toContain('remote: Public key authentication failed.');
    expect(cloud.code).not.toBe(0);
  });
});

describe('the exec channel', () => {
  it('forwards git’s own output and exit status', async () => {
    // git-upload-pack advertises its refs, then dies on a line that is not a pkt-line (exit 128).
    const args = ['-F', files.configFile, '-i', keys.ada, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', 'git@ssh.dev.azure.com', "git-upload-pack 'v3/fabrikam/Platform/Platform'"];
    const child = spawn('ssh', args, { env: gitEnv(keys.ada), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('latin1')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdin.end('zzzz not a pkt-line\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stdout).toContain(`${await branchOf('Platform', 'Platform', 'refs/heads/main')} refs/heads/main`);
    expect(stderr).toMatch(/protocol error/);
    expect(code).toBe(128);
  });
});

/** Offers a public key and signs with whatever private key it is given: a forger when they differ. */
class TestAgent extends ssh2.BaseAgent<ParsedKey> {
  constructor(private readonly offered: ParsedKey, private readonly signer: ParsedKey) {
    super();
  }
  getIdentities(cb: (err: Error | undefined, keys?: ParsedKey[]) => void): void {
    cb(undefined, [this.offered]);
  }
  sign(_key: ParsedKey, data: Buffer, options: SigningRequestOptions | SignCallback, cb?: SignCallback): void {
    const done = typeof options === 'function' ? options : cb!;
    const signature = this.signer.sign(data, typeof options === 'function' ? undefined : options.hash);
    if (signature instanceof Error) done(signature);
    else done(undefined, signature);
  }
}

async function parsed(file: string): Promise<ParsedKey> {
  const key = ssh2.utils.parseKey(await readFile(file));
  if (key instanceof Error || Array.isArray(key)) throw new Error(`cannot read ${file}`);
  return key;
}

function signIn(agent: TestAgent): Promise<string> {
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    client
      .on('ready', () => {
        client.end();
        resolve('ready');
      })
      .on('error', (err) => resolve(err.message))
      .connect({ host: '127.0.0.1', port: sandbox.ssh!.port, username: 'git', agent, hostVerifier: () => true });
  });
}

describe('refusals, in the service’s words', () => {
  it('verifies the signature: offering a registered public key without its private key is refused', async () => {
    const registered = await parsed(`${keys.ada}.pub`);
    expect(await signIn(new TestAgent(registered, await parsed(keys.ada)))).toBe('ready');
    expect(await signIn(new TestAgent(registered, await parsed(keys.stranger)))).toMatch(/All configured authentication methods failed/);
  });

  it('refuses a key nobody registered at the SSH level', async () => {
    const r = await git(keys.stranger, ['ls-remote', 'git@ssh.dev.azure.com:v3/fabrikam/Platform/Platform']);
    expect(r.stderr).toContain('Permission denied (password,publickey).');
    expect(r.code).toBe(128);
  });

  it('refuses an ed25519 key, even one that found its way into the store', async () => {
    const refused = await register('https://dev.azure.com/fabrikam', `${keys.ed25519}.pub`, { authorization: bearer });
    expect(JSON.stringify(refused.dataProviderExceptions)).toContain('Valid keys will start with ssh-rsa');
    const publicData = (await readFile(`${keys.ed25519}.pub`, 'utf8')).trim();
    const ada = sandbox.store.user('ada')!;
    const org = sandbox.store.organization('fabrikam')!;
    sandbox.store.sshKeys.set('ed25519-test', { authorizationId: 'ed25519-test', userId: ada.id, displayName: 'ed', publicData, validFrom: new Date(0).toISOString(), validTo: new Date(Date.now() + 86_400_000).toISOString(), targetAccounts: [org.id] });
    try {
      const r = await git(keys.ed25519, ['ls-remote', 'git@ssh.dev.azure.com:v3/fabrikam/Platform/Platform']);
      expect(r.stderr).toContain('Permission denied (password,publickey).');
      expect(r.code).toBe(128);
    } finally {
      sandbox.store.sshKeys.delete('ed25519-test');
    }
  });

  it('refuses an expired key', async () => {
    const stored = [...sandbox.store.sshKeys.values()].find((k) => k.displayName === 'key-ada.pub')!;
    const validTo = stored.validTo;
    stored.validTo = new Date(Date.now() - 1000).toISOString();
    try {
      const r = await git(keys.ada, ['ls-remote', 'git@ssh.dev.azure.com:v3/fabrikam/Platform/Platform']);
      expect(r.stderr).toContain('Permission denied (password,publickey).');
    } finally {
      stored.validTo = validTo;
    }
  });

  it('answers TF401019 for a repository, project or organization that does not exist', async () => {
    for (const [url, name] of [
      ['git@ssh.dev.azure.com:v3/fabrikam/Platform/no-such-repo', 'no-such-repo'],
      ['git@ssh.dev.azure.com:v3/fabrikam/No%20Project/Platform', 'Platform'],
      ['git@ssh.dev.azure.com:v3/nowhere/Platform/Platform', 'Platform'],
      ['git@ssh.dev.azure.com:fabrikam/Platform/Platform', 'fabrikam/Platform/Platform'],
    ] as const) {
      const r = await git(keys.ada, ['ls-remote', url]);
      expect(r.stderr, url).toContain(`${NOT_FOUND(name)}\nfatal: Could not read from remote repository.`);
      expect(r.code, url).toBe(128);
    }
  });

  it('refuses a disabled repository, a key registered for another organization, and another user name', async () => {
    const disabled = await git(keys.ada, ['ls-remote', 'git@ssh.dev.azure.com:v3/fabrikam/Fabrikam%20Fiber/Legacy%20Portal']);
    expect(disabled.stderr).toContain("remote: TF401019: The Git repository 'Legacy Portal' is disabled.");
    expect(disabled.code).toBe(128);
    const contoso = await git(keys.ada, ['ls-remote', 'git@ssh.dev.azure.com:v3/contoso/Contoso%20Web/contoso-web']);
    expect(contoso.stderr).toContain('remote: Public key authentication failed.');
    expect(contoso.code).toBe(128);
    const user = await git(keys.ada, ['ls-remote', 'someone@ssh.dev.azure.com:v3/fabrikam/Platform/Platform']);
    expect(user.stderr).toContain('remote: Public key authentication failed.');
  });

  it('accepts the key but no shell: "Shell access is not supported." with exit status 1', async () => {
    const r = await run('ssh', ['-F', files.configFile, '-i', keys.ada, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-T', 'git@ssh.dev.azure.com'], { env: gitEnv(keys.ada) });
    expect(r.stderr).toContain('remote: Shell access is not supported.');
    expect(r.code).toBe(1);
    const other = await run('ssh', ['-F', files.configFile, '-i', keys.ada, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', 'git@ssh.dev.azure.com', 'cat /etc/passwd'], { env: gitEnv(keys.ada) });
    expect(other.stdout).toBe('');
    expect(other.code).toBe(1);
  });

  it('checks the host key: a known_hosts entry for another key stops ssh', async () => {
    const home = path.join(tmp.dir, 'other-home');
    const other = await writeSshClientConfig(sandbox.ssh!, home);
    const wrongKey = (await readFile(`${keys.stranger}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
    await writeFile(other.knownHostsFile, `[127.0.0.1]:${sandbox.ssh!.port} ${wrongKey}\n`);
    const r = await run('ssh', ['-F', other.configFile, '-i', keys.ada, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-T', 'git@ssh.dev.azure.com']);
    expect(r.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
    expect(r.code).toBe(255);
  });
});

describe('lifecycle', () => {
  // One data directory for these starts: the seed object pool and the host key are made once.
  let dataDir: string;
  beforeAll(async () => {
    dataDir = path.join(tmp.dir, 'data');
    await mkdir(dataDir);
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('reuses the host key of a data directory, can be turned off, and stops listening on close', async () => {
    const first = await startSandbox({ quiet: true, dataDir });
    const { port, hostKey } = first.ssh!;
    await first.close();
    await expect(new Promise((resolve, reject) => connect(port, '127.0.0.1').on('connect', resolve).on('error', reject))).rejects.toThrow(/ECONNREFUSED/);
    const second = await startSandbox({ quiet: true, dataDir, ssh: false });
    expect(second.ssh).toBeUndefined();
    await second.close();
    const third = await startSandbox({ quiet: true, dataDir });
    expect(third.ssh!.hostKey).toBe(hostKey);
    expect(third.ssh!.knownHosts).toBe(`[127.0.0.1]:${third.ssh!.port} ${hostKey}`);
    await third.close();
  }, 60_000);

  it('npm run sandbox prints the endpoint in its JSON line and refuses a bad --ssh-port', async () => {
    // As `npm run sandbox` runs it: one process, so SIGTERM reaches the sandbox itself.
    const sandboxCli = [process.execPath, '--import', 'tsx', 'sandbox/cli.ts'];
    const child = spawn(sandboxCli[0]!, [...sandboxCli.slice(1), '--quiet', '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
      const info = JSON.parse(line) as { ssh?: { port: number; hostKey: string; knownHosts: string } };
      expect(info.ssh?.knownHosts).toBe(`[127.0.0.1]:${info.ssh?.port} ${info.ssh?.hostKey}`);
      const banner = await new Promise<string>((resolve, reject) => {
        const socket = connect(info.ssh!.port, '127.0.0.1');
        socket.once('data', (b) => {
          socket.destroy();
          resolve(b.toString());
        });
        socket.once('error', reject);
      });
      expect(banner).toMatch(/^SSH-2\.0-/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await closed).toBe(0);

    const bad = await run(sandboxCli[0]!, [...sandboxCli.slice(1), '--ssh-port', 'twenty-two']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--ssh-port must be a port number, not 'twenty-two'");
  }, 60_000);
});
