import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxFetch } from '../../sandbox/sandbox-fetch';
import { patAuthorization } from '../../sandbox/testing';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dataDir: string | undefined;
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

// What `npm run sandbox` runs: one process. tsx's own launcher is a second one, which kills the
// sandbox if it has not reported a signal within 30 ms: on a busy machine, before it had stopped.
const SANDBOX = [process.execPath, '--import', 'tsx', 'sandbox/cli.ts'] as const;

function start(command: string, args: string[], opts: { detached?: boolean } = {}) {
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.detached });
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const out = { stderr: '' };
  child.stderr.on('data', (b: Buffer) => (out.stderr += b.toString()));
  const lines = createInterface({ input: child.stdout });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}) before printing: ${out.stderr}`)));
  });
  firstLine.catch(() => {}); // awaited by the tests that expect a line
  return { child, closed, out, lines, firstLine };
}

describe('npm run sandbox', () => {
  it('prints one JSON line, serves, logs, and stops cleanly on SIGTERM', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sandbox-cli-test-'));
    const { child, closed, out, lines, firstLine } = start(SANDBOX[0], [...SANDBOX.slice(1), '--data', dataDir]);
    const first = await firstLine;
    const info = JSON.parse(first) as {
      url: string;
      port: number;
      caFile: string;
      spki: string;
      gitConfig: string;
      pats: Record<string, string>;
      ssh: { port: number; knownHosts: string };
    };
    expect(Object.keys(info)).toEqual(['url', 'port', 'caFile', 'spki', 'gitConfig', 'pats', 'ssh']);
    expect(info.ssh.port).toBeGreaterThan(0);
    expect(info.ssh.knownHosts).toBe(`[127.0.0.1]:${info.ssh.port} ${info.ssh.knownHosts.split(' ').slice(1).join(' ')}`);
    expect(info.url).toBe('https://dev.azure.com');
    expect(info.port).toBeGreaterThan(0);
    expect(info.spki).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(existsSync(info.caFile)).toBe(true);
    expect(await readFile(info.gitConfig, 'utf8')).toContain(`dev.azure.com:${info.port}:127.0.0.1`);
    expect(Object.keys(info.pats).toSorted()).toEqual(['contoso', 'fabrikam']);

    // It really serves, with a certificate the printed CA verifies.
    const fetchIt = sandboxFetch(info.port, await readFile(info.caFile, 'utf8'), ['dev.azure.com']);
    const res = await fetchIt('https://dev.azure.com/fabrikam/_apis/connectionData', { headers: { authorization: patAuthorization(info.pats.fabrikam!) } });
    expect(res.status).toBe(200);

    const extraStdout: string[] = [];
    lines.on('line', (l) => extraStdout.push(l));
    child.kill('SIGTERM');
    expect(await closed).toBe(0);
    expect(extraStdout).toEqual([]);
    expect(out.stderr).toContain('[sandbox] stopped');
    expect(out.stderr).toContain('GET dev.azure.com/fabrikam/_apis/connectionData');
    const log = await readFile(path.join(dataDir, 'requests.jsonl'), 'utf8');
    expect(log).toContain('"path":"/fabrikam/_apis/connectionData"');
    expect(log).not.toContain(info.pats.fabrikam);
  });

  it('stops on Ctrl-C when started with npm run sandbox', async () => {
    const { child, closed, out, firstLine } = start('npm', ['run', '--silent', 'sandbox', '--', '--quiet'], { detached: true });
    expect(JSON.parse(await firstLine)).toHaveProperty('port');
    // What a terminal does: the signal goes to the whole process group.
    process.kill(-child.pid!, 'SIGINT');
    await closed; // every process holding the pipes has exited
    expect(out.stderr).toContain('[sandbox] SIGINT: stopping');
    expect(out.stderr).toContain('[sandbox] stopped');
  });

  it('refuses a bad --port', async () => {
    const { closed, out } = start(SANDBOX[0], [...SANDBOX.slice(1), '--port', 'eighty']);
    expect(await closed).toBe(1);
    expect(out.stderr).toContain("--port must be a port number, not 'eighty'");
  });
});
