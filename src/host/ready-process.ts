/**
 * A program started ahead of need, so that a request does not wait for the host to fork.
 *
 * On Linux, Node starts every program by forking the whole host (libuv uses neither vfork nor
 * posix_spawn there: libuv/libuv#3520 is still open; macOS has posix_spawn since libuv 1.44, and
 * Windows never copies the process). On the benchmark machine that put ~3–4 ms more between a
 * clone request and git's start than a shell takes to start git (BENCHMARKS.md). A ready process
 * is `/bin/sh` running SCRIPT, started while the host is idle: it waits on its stdin for an
 * environment and an argument vector, then execs the program in its own place. The request forks
 * nothing, and the process id, process group and pipes become the program's.
 *
 * Nothing sent is interpreted. SCRIPT is constant; every value arrives on a line of its own and is
 * only ever expanded inside double quotes. A value with a line break or NUL, a variable that is not
 * one of git's own (GIT_*), or one the request would remove, is never sent: `take` answers
 * undefined and the caller spawns as usual. Secrets travel as they do with spawn, in the
 * environment: the shell's only argument is SCRIPT.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

const SCRIPT = [
  'IFS= read -r n || exit 125',
  'while [ "$n" -gt 0 ]; do IFS= read -r k && IFS= read -r v || exit 125; export "$k=$v"; n=$((n - 1)); done',
  'IFS= read -r n || exit 125',
  'set --',
  'while [ "$n" -gt 0 ]; do IFS= read -r a || exit 125; set -- "$@" "$a"; n=$((n - 1)); done',
  'exec "$@" </dev/null',
].join('\n');

/** With any of these set, a shell could trace its commands (values included) or run code as it starts. */
const SHELL_HOOKS = ['BASH_ENV', 'BASHOPTS', 'ENV', 'PS4', 'SHELLOPTS'];
const SENDABLE_NAME = /^GIT_[A-Z0-9_]+$/;
const isLine = (value: string) => !value.includes('\n') && !value.includes('\0');

export class ReadyProcess {
  private waiting: ChildProcessWithoutNullStreams | undefined;

  /** `program`: an absolute path; `env`: the environment it starts with (requests may add GIT_* variables). */
  constructor(
    private readonly program: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly shell = '/bin/sh',
  ) {}

  /** Starts one to wait for the next request, unless one waits already. Costs a fork: call it when idle. */
  prepare(): void {
    if (this.waiting && isWaiting(this.waiting)) return;
    this.waiting = undefined;
    if (SHELL_HOOKS.some((name) => this.env[name] !== undefined)) return;
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(this.shell, ['-c', SCRIPT], { env: this.env, stdio: 'pipe', detached: true });
    } catch {
      // Not startable now (out of memory, say): clones spawn git as before.
      return;
    }
    // A shell that could not start (or died) is simply not used; its pipe must not throw.
    child.on('error', () => {
      if (this.waiting === child) this.waiting = undefined;
    });
    child.stdin.on('error', () => {});
    this.waiting = child;
  }

  /** The waiting process made into `program ...args` with `env`, or undefined (then spawn as usual). */
  take(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams | undefined {
    const child = this.waiting;
    if (!child || !isWaiting(child)) return undefined;
    const added = addedVariables(this.env, env);
    const argv = [this.program, ...args];
    if (!added || !argv.every(isLine)) return undefined;
    this.waiting = undefined;
    const lines = [String(added.length / 2), ...added, String(argv.length), ...argv];
    child.stdin.end(`${lines.join('\n')}\n`);
    return child;
  }

  /** The process id of the waiting shell, if one waits (it becomes the program's). */
  get pid(): number | undefined {
    return this.waiting && isWaiting(this.waiting) ? this.waiting.pid : undefined;
  }

  /** Lets a waiting shell end (it exits when its input does). */
  close(): void {
    this.waiting?.stdin.end();
    this.waiting = undefined;
  }
}

function isWaiting(child: ChildProcessWithoutNullStreams): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/** Name, value, name, value… of what `env` adds to or changes in `base`; undefined when that cannot be sent. */
function addedVariables(base: NodeJS.ProcessEnv, env: NodeJS.ProcessEnv): string[] | undefined {
  for (const name of Object.keys(base)) if (base[name] !== undefined && env[name] === undefined) return undefined;
  const added: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || base[name] === value) continue;
    if (!SENDABLE_NAME.test(name) || !isLine(value)) return undefined;
    added.push(name, value);
  }
  return added;
}
