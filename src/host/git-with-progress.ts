/** Runs a git command that reports `--progress`, forwarding throttled progress events. */
import { PROGRESS_EVENTS_PER_SECOND } from '../shared/host-protocol';
import { ProgressParser, ProgressThrottle } from './git-progress';
import type { RequestScope } from './host-context';
import type { ReadyProcess } from './ready-process';
import { runProgram, type RunResult } from './run-program';

export function runGitWithProgress(args: string[], options: { env: NodeJS.ProcessEnv; scope: RequestScope; cwd?: string; onSpawn?: (pid: number) => void; ready?: ReadyProcess }): Promise<RunResult> {
  const parser = new ProgressParser();
  const throttle = new ProgressThrottle(PROGRESS_EVENTS_PER_SECOND, (event) => options.scope.progress(event));
  const running = runProgram('git', args, {
    cwd: options.cwd,
    env: options.env,
    signal: options.scope.signal,
    onSpawn: options.onSpawn,
    ready: options.ready,
    maxOutputBytes: 256 * 1024,
    onStderr: (text) => {
      for (const progress of parser.push(text)) throttle.offer(progress);
    },
  });
  return running.finally(() => throttle.stop());
}
