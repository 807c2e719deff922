import { spawn } from 'node:child_process';

/** Environment for every git the sandbox runs: no user or system config leaks in. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LANG: 'C.UTF-8',
    ...extra,
  };
}

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** One git process: stdout as bytes (objects and diffs are binary), resolved whatever the exit code. */
export function spawnGit(
  args: string[],
  opts: { gitDir?: string; input?: Buffer | string; env?: Record<string, string> } = {},
): Promise<{ stdout: Buffer; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    const env = gitEnv({ ...(opts.gitDir ? { GIT_DIR: opts.gitDir } : {}), ...opts.env });
    const child = spawn('git', args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 }));
    // git may exit before reading all of its input (e.g. a failed command): that is not our error.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs git with an argument vector; rejects with git's stderr when it fails (unless `allowFailure`). */
export async function runGit(
  args: string[],
  opts: { gitDir?: string; input?: string; env?: Record<string, string>; allowFailure?: boolean } = {},
): Promise<GitResult> {
  const r = await spawnGit(args, opts);
  const result = { stdout: r.stdout.toString('utf8'), stderr: r.stderr, code: r.code };
  if (result.code !== 0 && !opts.allowFailure) throw new Error(`git ${args[0]} failed (${result.code}): ${result.stderr.trim()}`);
  return result;
}
