/**
 * Turns git's `--progress` output on stderr into progress events. git redraws a line with `\r`
 * and ends it with `\n`, and its pieces arrive split anywhere, so the parser keeps the unfinished
 * tail. The throttle keeps the browser from drowning: phase changes and completions always pass,
 * other updates at most `perSecond` times a second.
 */
import type { ProgressPhase } from '../shared/host-protocol';

export interface GitProgress {
  phase: ProgressPhase;
  percent: number;
  done?: number;
  total?: number;
}

const PHASES: Record<string, ProgressPhase> = {
  'counting objects': 'counting',
  'compressing objects': 'compressing',
  'receiving objects': 'receiving',
  'resolving deltas': 'resolving',
  'updating files': 'checkout',
  'checking out files': 'checkout',
};

const LINE = /^(?:remote:\s*)?([A-Za-z ]+?):\s+(\d{1,3})%(?:\s*\((\d+)\/(\d+)\))?/;

export function parseProgressLine(line: string): GitProgress | undefined {
  const match = LINE.exec(line.trim());
  if (!match) return undefined;
  const phase = PHASES[match[1]!.toLowerCase()];
  const percent = Number(match[2]);
  if (!phase || percent > 100) return undefined;
  const progress: GitProgress = { phase, percent };
  if (match[3] !== undefined && match[4] !== undefined) {
    progress.done = Number(match[3]);
    progress.total = Number(match[4]);
  }
  return progress;
}

export class ProgressParser {
  private tail = '';

  push(text: string): GitProgress[] {
    const pieces = (this.tail + text).split(/[\r\n]/);
    this.tail = pieces.pop() ?? '';
    // A runaway line without breaks is not progress: do not let it grow without bound.
    if (this.tail.length > 4096) this.tail = '';
    return pieces.flatMap((piece) => parseProgressLine(piece) ?? []);
  }
}

export class ProgressThrottle {
  private last: GitProgress | undefined;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The event to send now, or undefined to drop this one. */
  offer(progress: GitProgress): GitProgress | undefined {
    const last = this.last;
    if (last && last.phase === progress.phase && last.percent === progress.percent) return undefined;
    const phaseChanged = !last || last.phase !== progress.phase;
    const time = this.now();
    if (!phaseChanged && progress.percent !== 100 && time - this.lastAt < 1000 / this.perSecond) return undefined;
    this.last = progress;
    this.lastAt = time;
    return progress;
  }
}
