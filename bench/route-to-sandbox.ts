import tls from 'node:tls';

const isSandboxHost = (h: unknown) => typeof h === 'string' && /(^|\.)(dev\.azure\.com|visualstudio\.com)$/i.test(h);

/**
 * Sends this process's TLS connections for Azure DevOps host names to the sandbox at
 * 127.0.0.1:port, keeping the real name for SNI and certificate checks: what Chromium's
 * `--host-resolver-rules` do for the browser. Both `fetch` (undici) and `node:https` open their
 * connections through `tls.connect`, so both clients of a benchmark go the same way. The test CA
 * must be trusted through `NODE_EXTRA_CA_CERTS`, which Node reads only at start.
 */
export function routeSandboxHostsTo(port: number): void {
  const connect = tls.connect;
  const routed = (...args: unknown[]) => {
    const [first] = args;
    if (first && typeof first === 'object' && isSandboxHost((first as tls.ConnectionOptions).host)) {
      const o = first as tls.ConnectionOptions;
      args[0] = { ...o, host: '127.0.0.1', port, servername: o.servername || o.host };
    }
    return (connect as (...a: unknown[]) => tls.TLSSocket)(...args);
  };
  (tls as { connect: unknown }).connect = routed;
}
