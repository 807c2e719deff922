/**
 * Turns git's `--progress` output on stderr into progress events. git redraws a line with `\r`
 * and ends it with `\n`, and its pieces arrive split anywhere, so the parser keeps the unfinished
 * tail. The throttle keeps the browser from drowning: at most `perSecond` events a second.
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

/**
 * At most `perSecond` events a second, and the latest state is never lost: an update that comes
 * too soon is held and sent when the interval is over (a newer one replaces it). Phase changes
 * and 100 % wait their turn as well: a 0.3 s clone has five phases, and letting those through at
 * once sent ~27 frames a second, each one work for the host and the browser while git runs
 * (BENCHMARKS.md, *Clone, third pass*). `stop()` drops what is held: the answer comes next.
 */
export class ProgressThrottle {
  private latest: GitProgress | undefined;
  private held: GitProgress | undefined;
  private sentAt = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly interval: number;

  constructor(
    perSecond: number,
    private readonly send: (progress: GitProgress) => void,
  ) {
    this.interval = 1000 / perSecond;
  }

  offer(progress: GitProgress): void {
    const latest = this.latest;
    if (latest && latest.phase === progress.phase && latest.percent === progress.percent) return;
    this.latest = progress;
    const wait = this.sentAt + this.interval - performance.now();
    if (wait <= 0) {
      this.held = undefined;
      this.sendNow(progress);
      return;
    }
    this.held = progress;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const held = this.held;
      this.held = undefined;
      if (held) this.sendNow(held);
    }, wait);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.held = undefined;
  }

  private sendNow(progress: GitProgress): void {
    this.sentAt = performance.now();
    this.send(progress);
  }
}
