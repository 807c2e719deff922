import { parseArgs } from 'node:util';
import { startSandbox } from './index';

/**
 * `npm run sandbox [-- --port N --data DIR --large --ssh-port N --no-ssh --ado-extension VSIX|DIR --ado-extension-orgs a,b]`:
 * starts the sandbox and
 * prints one JSON line `{url, port, caFile, spki, gitConfig, pats, ssh}` on stdout; request logs go to stderr.
 * Stops on SIGINT / SIGTERM.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      large: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      'ssh-port': { type: 'string' },
      'no-ssh': { type: 'boolean', default: false },
      'ado-extension': { type: 'string' },
      'ado-extension-orgs': { type: 'string', default: 'fabrikam' },
    },
    strict: true,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not '${values.port}'`);
  const sshPort = values['ssh-port'] === undefined ? 0 : Number(values['ssh-port']);
  if (!Number.isInteger(sshPort) || sshPort < 0 || sshPort > 65535) throw new Error(`--ssh-port must be a port number, not '${values['ssh-port']}'`);
  const ssh = values['no-ssh'] ? false : { port: sshPort };
  const pkg = values['ado-extension'];
  const adoExtension = pkg ? { path: pkg, organizations: values['ado-extension-orgs'].split(',').filter(Boolean) } : undefined;
  const sandbox = await startSandbox({ port, dataDir: values.data, large: values.large, quiet: values.quiet, ssh, adoExtension });
  // Before the line that says it is ready: a Ctrl-C right after it (a script that waited for it) must
  // stop it cleanly, not find the default action that kills it half-stopped.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`[sandbox] ${signal}: stopping`);
    sandbox.close().then(
      () => {
        console.error('[sandbox] stopped');
        process.exit(0);
      },
      (err: unknown) => {
        console.error('[sandbox] failed to stop cleanly:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const { url, caFile, spki, gitConfig, pats } = sandbox;
  process.stdout.write(JSON.stringify({ url, port: sandbox.port, caFile, spki, gitConfig, pats, ssh: sandbox.ssh }) + '\n');
  console.error(`[sandbox] listening on 127.0.0.1:${sandbox.port}; data in ${sandbox.dataDir}`);
  if (sandbox.ssh) console.error(`[sandbox] ssh (ssh.dev.azure.com) on 127.0.0.1:${sandbox.ssh.port}, host key ${sandbox.ssh.fingerprint}`);
  console.error(`[sandbox] chromium: --host-resolver-rules="${sandbox.hostResolverRules}" --ignore-certificate-errors-spki-list=${spki}`);
}

main().catch((err: unknown) => {
  console.error(`[sandbox] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
