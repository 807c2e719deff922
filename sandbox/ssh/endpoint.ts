import type { Services } from '../services';
import { loadOrCreateHostKey } from './host-key';
import { startSshServer } from './server';

/** The sandbox's stand-in for ssh.dev.azure.com / vs-ssh.visualstudio.com, as `Sandbox.ssh`. */
export interface SandboxSsh {
  /** On 127.0.0.1. */
  port: number;
  /** The host's public key, `ssh-rsa AAAA...`. */
  hostKey: string;
  /** `SHA256:...` */
  fingerprint: string;
  /** A known_hosts line for the endpoint as ssh looks it up with `HostName 127.0.0.1` and `Port`: `[127.0.0.1]:PORT ssh-rsa AAAA...`. */
  knownHosts: string;
}

export interface SshEndpointOptions {
  /** 0 or absent: an ephemeral port. */
  port?: number;
}

export async function startSshEndpoint(services: Services, opts: SshEndpointOptions & { quiet?: boolean } = {}): Promise<{ info: SandboxSsh; close(): Promise<void> }> {
  const hostKey = await loadOrCreateHostKey(services.dataDir);
  const server = await startSshServer({ services, hostKey, port: opts.port, quiet: opts.quiet });
  return {
    info: {
      port: server.port,
      hostKey: hostKey.publicKey,
      fingerprint: hostKey.fingerprint,
      knownHosts: `[127.0.0.1]:${server.port} ${hostKey.publicKey}`,
    },
    close: () => server.close(),
  };
}
