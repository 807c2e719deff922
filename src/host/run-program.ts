/**
 * Runs a program with an argument vector (never a shell), no standard input, captured output,
 * and cancellation that ends the program together with the programs it started (git runs
 * helpers such as git-remote-https and index-pack).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { isInside } from './destination';
import { findProgram, isExecutableFile } from './find-program';
import { HostError } from './host-error';
import type { ReadyProcess } from './ready-process';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  timeoutMs?: number;
  onStderr?: (text: string) => void;
  /** Called with the program's process id once it runs (on POSIX also the id of its process group). */
  onSpawn?: (pid: number) => void;
  /** Captured output beyond this is dropped (stdout keeps its start, stderr its end). */
  maxOutputBytes?: number;
  /** A process of `command` started ahead (ready-process.ts), used when it can take this run. */
  ready?: ReadyProcess;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  cancelled: boolean;
  timedOut: boolean;
}

const found = new Map<string, string>();

/**
 * The program to start as `command` in `cwd`, a repository for git. Given a bare name, Windows
 * looks in the working folder before PATH (a git.exe committed to the repository would run), and
 * POSIX does for an empty or relative PATH entry: so the name is looked up on PATH's absolute
 * folders here (once per PATH), as libuv would on Windows (.com, .exe), and one there is refused
 * when it lies inside `cwd`.
 */
export function programIn(command: string, cwd: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (isAbsolute(command)) return command;
  const key = [platform, command, env.PATH ?? env.Path].join('\0');
  const cached = found.get(key);
  const program = cached !== undefined && isExecutableFile(cached, platform) ? cached : findProgram(command, env, platform, ['.com', '.exe']);
  if (program === undefined) throw new HostError('TOOL_MISSING', `${command} was not found; install it or add it to PATH`, { tool: command });
  if (isInside(cwd, program)) throw new HostError('TOOL_MISSING', `${command} on PATH is ${program}, inside the folder it would work in; it is not started from there`, { tool: command });
  found.set(key, program);
  return program;
}

export function runProgram(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const max = options.maxOutputBytes ?? 4 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      resolve({ code: null, stdout: '', stderr: '', cancelled: true, timedOut: false });
      return;
    }
    const env = options.env ?? process.env;
    let program = command;
    try {
      if (options.cwd !== undefined) program = programIn(command, options.cwd, env, process.platform);
    } catch (error) {
      reject(error);
      return;
    }
    const child =
      (options.cwd === undefined ? options.ready?.take(args, env) : undefined) ??
      spawn(program, args, {
        cwd: options.cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        shell: false,
        windowsHide: true,
        // Its own process group, so cancelling reaches git's helpers too (a ready process has one too).
        detached: process.platform !== 'win32',
      });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    let stdout = '';
    let stderr = '';
    let cancelled = false;
    let timedOut = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      if (stdout.length < max) stdout += text.slice(0, max - stdout.length);
    });
    child.stderr.on('data', (text: string) => {
      stderr = (stderr + text).slice(-max);
      options.onStderr?.(text);
    });
    const stop = () => killTree(child.pid);
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stop();
          }, options.timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      // spawn says ENOENT for a missing working folder too: not a missing program then.
      if (options.cwd !== undefined && !isDirectory(options.cwd)) reject(new HostError('NOT_FOUND', `${options.cwd} is not a folder (any more)`));
      else if (options.cwd !== undefined && (error.code === 'EACCES' || error.code === 'EPERM') && !canEnter(options.cwd))
        reject(new HostError('CANNOT_WRITE', `The companion was refused ${options.cwd}: permission denied.`));
      else if (error.code === 'ENOENT') reject(new HostError('TOOL_MISSING', `${command} was not found; install it or add it to PATH`, { tool: command }));
      else reject(error);
    });
    child.on('close', (code) => {
      cleanup();
      resolve({ code, stdout, stderr, cancelled, timedOut });
    });
    function cleanup() {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether this process may work in `path` (search it). */
function canEnter(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => {});
    return;
  }
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  signalGroup('SIGTERM');
  setTimeout(() => signalGroup('SIGKILL'), 3000).unref();
}
