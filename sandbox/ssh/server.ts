import type { AddressInfo } from 'node:net';
import ssh2, { type AuthContext, type AuthenticationType, type Connection, type ServerChannel, type Session } from 'ssh2';
import type { Services } from '../services';
import type { SshPublicKey } from '../store';
import { parseExecCommand } from './exec-command';
import type { SshHostKey } from './host-key';
import { registeredKeys, verifiesWith } from './registered-keys';
import { serveGit } from './serve-git';

/** The methods ssh.dev.azure.com lists when it refuses (ssh prints "Permission denied (password,publickey)."). */
const AUTH_METHODS: AuthenticationType[] = ['password', 'publickey'];
export const SHELL_REFUSAL = 'remote: Shell access is not supported.';

export interface SshServer {
  port: number;
  close(): Promise<void>;
}

/**
 * An SSH server like ssh.dev.azure.com on 127.0.0.1: public key authentication only, with RSA
 * keys registered through the SSH public keys API (not expired); git-upload-pack and
 * git-receive-pack execs on the sandbox's repositories; no shell.
 */
export async function startSshServer(opts: { services: Services; hostKey: SshHostKey; port?: number; quiet?: boolean }): Promise<SshServer> {
  const { services } = opts;
  const connections = new Set<Connection>();
  const shutdown = new AbortController();

  const server = new ssh2.Server({ hostKeys: [opts.hostKey.privateKey] }, (client) => {
    connections.add(client);
    client.on('close', () => connections.delete(client));
    // A client that drops the connection is not the server's problem.
    client.on('error', () => {});
    let username = '';
    let keys: SshPublicKey[] = [];
    client.on('authentication', (ctx) => {
      const accepted = authenticate(ctx, services);
      if (!accepted) return ctx.reject(AUTH_METHODS);
      if (accepted.length) {
        username = ctx.username;
        keys = accepted;
      }
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('session', (accept) => handleSession(accept(), { services, username, keys, signal: shutdown.signal, quiet: !!opts.quiet }));
    });
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });

  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        for (const client of connections) client.end();
        // A client that never hangs up must not keep the sandbox from stopping.
        setTimeout(resolve, 2_000).unref();
      }),
  };
}

/**
 * undefined: refuse. An empty list: the client only asks whether a key would do (no signature
 * yet). Otherwise the registered keys the signature proved.
 */
function authenticate(ctx: AuthContext, services: Services): SshPublicKey[] | undefined {
  if (ctx.method !== 'publickey') return undefined;
  const keys = registeredKeys(services.store, ctx.key.data);
  if (!keys.length) return undefined;
  if (!ctx.signature || !ctx.blob) return [];
  return verifiesWith(keys[0]!, ctx.blob, ctx.signature, ctx.hashAlgo) ? keys : undefined;
}

interface SessionState {
  services: Services;
  username: string;
  keys: SshPublicKey[];
  signal: AbortSignal;
  quiet: boolean;
}

function handleSession(session: Session, state: SessionState): void {
  let gitProtocol: string | undefined;
  session.on('env', (accept, _reject, info) => {
    if (info.key === 'GIT_PROTOCOL') gitProtocol = info.val;
    accept?.();
  });
  // `ssh git@host` without -T asks for a terminal first; the shell request is what gets refused.
  session.on('pty', (accept) => accept?.());
  session.on('shell', (accept) => {
    const channel = accept();
    channel.stderr.write(`${SHELL_REFUSAL}\n`);
    channel.exit(1);
    channel.end();
  });
  session.on('subsystem', (_accept, reject) => reject());
  session.on('exec', (accept, _reject, info) => {
    const channel: ServerChannel = accept();
    const exec = parseExecCommand(info.command);
    if (!exec) {
      channel.stderr.write(`${SHELL_REFUSAL}\n`);
      channel.exit(1);
      channel.end();
      return;
    }
    const started = Date.now();
    serveGit(state.services, { exec, username: state.username, keys: state.keys, gitProtocol }, channel, state.signal).then(
      (code) => {
        const entry = { time: new Date(started).toISOString(), method: exec.service, host: 'ssh', path: exec.path, status: code, ms: Date.now() - started, auth: 'ssh-key' };
        state.services.log.write(entry);
        if (!state.quiet) console.error(`[sandbox] ssh exit ${code} ${exec.service} ${exec.path} ${entry.ms}ms`);
      },
      (err: unknown) => {
        if (!state.quiet) console.error('[sandbox] ssh exec failed', err);
        channel.stderr.write('remote: internal error in the sandbox\n');
        channel.exit(1);
        channel.end();
      },
    );
  });
}
