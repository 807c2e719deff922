import { spawn } from 'node:child_process';
import type { ServerChannel } from 'ssh2';
import { gitEnv } from '../git-exec';
import type { Services } from '../services';
import type { Organization, Repository, SshPublicKey } from '../store';
import type { GitExec } from './exec-command';
import { parseRepoAddress } from './repo-address';

/** What the service writes on stderr (git shows it as is, then "fatal: Could not read from remote repository."). */
export const sshMessages = {
  notFound: (nameOrId: string) =>
    `remote: TF401019: The Git repository with name or identifier ${nameOrId} does not exist or you do not have permissions for the operation you are attempting.`,
  keyNotForOrganization: 'remote: Public key authentication failed.',
  disabled: (name: string) =>
    `remote: TF401019: The Git repository '${name}' is disabled. An administrator must enable it (Project settings > Repositories) before it can be used.`,
};

export interface GitRequest {
  exec: GitExec;
  /** The SSH user name (`git`, or the organization for vs-ssh.visualstudio.com). */
  username: string;
  /** Registered keys matching the one the client authenticated with (usually one). */
  keys: SshPublicKey[];
  /** `GIT_PROTOCOL` the client sent (git's `SendEnv`), if any. */
  gitProtocol?: string;
}

/** A repository, or the message refusing it. */
type Resolved = { repo: Repository; org: Organization; key: SshPublicKey } | { refusal: string };

/**
 * Finds the repository an exec names and checks the key may use it: the key must be registered
 * for that organization (its `targetAccounts`) by a member of it, and over ssh.dev.azure.com the
 * user name must be `git` or the organization's name. SSH keys carry full access: fetch and push.
 */
export function resolveGitRequest(services: Services, req: GitRequest): Resolved {
  const { store } = services;
  const address = parseRepoAddress(req.exec.path);
  if (!address) return { refusal: sshMessages.notFound(req.exec.path.replace(/^\//, '')) };
  const notFound = { refusal: sshMessages.notFound(address.repo) };
  const org = store.organization(address.org);
  if (!org || org.hosting !== address.hosting) return notFound;
  const userOk = org.hosting === 'onprem' || req.username === 'git' || req.username.toLowerCase() === org.name.toLowerCase();
  const key = req.keys.find((k) => k.targetAccounts.includes(org.id) && store.isMember(org, k.userId));
  if (!userOk || !key) return { refusal: sshMessages.keyNotForOrganization };
  const project = address.project === undefined ? undefined : store.project(org, address.project);
  if (address.project !== undefined && !project) return notFound;
  const repo = store.repository(org, address.repo, project);
  if (!repo) return notFound;
  if (repo.isDisabled) return { refusal: sshMessages.disabled(repo.name) };
  return { repo, org, key };
}

/**
 * Runs one git exec on an accepted channel: the real `git upload-pack` / `git receive-pack` on
 * the bare repository with the channel's streams piped through, its exit status forwarded.
 * Resolves with that status once the channel has it.
 */
export async function serveGit(services: Services, req: GitRequest, channel: ServerChannel, signal: AbortSignal): Promise<number> {
  const resolved = resolveGitRequest(services, req);
  if ('refusal' in resolved) {
    channel.stderr.write(`${resolved.refusal}\n`);
    return finish(channel, 1);
  }
  const { repo } = resolved;
  await services.git.ensure(repo);
  const env = gitEnv(req.gitProtocol ? { GIT_PROTOCOL: req.gitProtocol } : {});
  // The signal (the server closing) ends git too.
  const child = spawn('git', [req.exec.service.slice('git-'.length), repo.gitDir], { env, stdio: ['pipe', 'pipe', 'pipe'], signal });
  child.stdin.on('error', () => {});
  channel.pipe(child.stdin);
  child.stdout.pipe(channel, { end: false });
  child.stderr.pipe(channel.stderr, { end: false });
  // The client hung up: nobody reads git's output any more.
  channel.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  });
  const code = await new Promise<number>((resolve) => {
    child.on('error', (err) => {
      if (err.name !== 'AbortError') channel.stderr.write(`remote: ${err.message}\n`);
      resolve(1);
    });
    child.on('close', (status) => resolve(status ?? 1));
  });
  if (req.exec.service === 'git-receive-pack' && code === 0) await services.git.afterPush(repo);
  return finish(channel, code);
}

function finish(channel: ServerChannel, code: number): number {
  channel.exit(code);
  channel.end();
  return code;
}
