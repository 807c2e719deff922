/**
 * The companion's log keeps git's last words when a clone or fetch fails. git prints the token's
 * header only when someone debugging asked it to (GIT_TRACE_CURL with GIT_TRACE_REDACT=0), but
 * then the log must still hold none of it: not even the part of it where the kept text begins.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostProcess, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

const TOKEN = 'q7x2mzw4kd6r3vnb5tyhc2pj7lfs4gxe6wuo3ziak5nrd7mbq2hv';
const header = `Authorization: Basic ${Buffer.from(`:${TOKEN}`).toString('base64')}`;
const REMOTE = 'https://dev.azure.com/fabrikam/Platform/_git/Platform';
const auth = { kind: 'pat', token: TOKEN, orgUrl: 'https://dev.azure.com/fabrikam' };

let sandbox: Sandbox;
let host: HostProcess;

beforeEach(async () => {
  sandbox = makeSandbox();
  // A git whose clone and fetch fail after printing the header, then just under 2000 characters more:
  // the log keeps the last 2000, which begin inside the header's value. Everything else is real git.
  const bin = join(sandbox.dir, 'bin');
  mkdirSync(bin);
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(
    join(bin, 'git'),
    `#!/bin/sh\ncase "$1" in clone|fetch) printf '%s\\n%s\\n' '> ${header}' '${'x'.repeat(1960)}' >&2; exit 128;; esac\nexec '${realGit}' "$@"\n`,
  );
  chmodSync(join(bin, 'git'), 0o755);
  sandbox.env.PATH = `${bin}:${sandbox.env.PATH}`;
  host = await HostProcess.start(sandbox.env);
  expect((await host.request({ type: 'configure', cloneRoots: [sandbox.roots] })).ok).toBe(true);
});
afterEach(async () => {
  await host.close();
  sandbox.remove();
});
afterAll(() => removeBuilds());

/** Every 12 characters in a row of the token, or of its header's value, that the log holds. */
async function logLeaks(): Promise<string[]> {
  const hello = await host.request<{ logFile: string }>({ type: 'hello' });
  const log = readFileSync(hello.ok ? hello.data.logFile : '', 'utf8');
  const value = header.slice('Authorization: Basic '.length);
  const pieces: string[] = [];
  for (let i = 0; i + 12 <= value.length; i++) if (log.includes(value.slice(i, i + 12))) pieces.push(value.slice(i, i + 12));
  for (let i = 0; i + 12 <= TOKEN.length; i++) if (log.includes(TOKEN.slice(i, i + 12))) pieces.push(TOKEN.slice(i, i + 12));
  return pieces;
}

describe('the log of a failed git', () => {
  it('of a clone holds no part of the token', async () => {
    const answer = await host.request({ type: 'clone', url: REMOTE, root: sandbox.roots, folder: 'repo', auth }, 60_000);
    expect(answer.ok).toBe(false);
    expect(await logLeaks()).toEqual([]);
  });

  it('of a fetch holds no part of the token', async () => {
    const clone = join(sandbox.roots, 'repo');
    mkdirSync(clone);
    execFileSync('git', ['init', '-q', clone], { env: sandbox.env });
    execFileSync('git', ['-C', clone, 'remote', 'add', 'origin', REMOTE], { env: sandbox.env });
    const answer = await host.request({ type: 'fetch', path: clone, remote: 'origin', auth }, 60_000);
    expect(answer).toMatchObject({ ok: false });
    expect(await logLeaks()).toEqual([]);
  });
});
