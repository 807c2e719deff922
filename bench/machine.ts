import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { findChromium } from '../test/e2e/chromium';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  chromium: string;
  git: string;
}

function versionOf(program: string | undefined, args: string[]): string {
  if (!program) return 'not found';
  try {
    return execFileSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'not found';
  }
}

/** What the figures were measured on (BENCHMARKS.md repeats it). */
export function machineInfo(): MachineInfo {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium: versionOf(findChromium(), ['--version']),
    git: versionOf('git', ['--version']),
  };
}
