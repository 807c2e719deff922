import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { FrameDecoder } from '../src/host/frame-codec';

/** The built companion host started the way a browser starts it (caller origin in argv, frames on stdio). */
export const CALLER = 'chrome-extension://pnmjkpjplbnbdemdepckpdffmpmdbbga/';

export interface Answer {
  id: string | null;
  ok?: boolean;
  data?: unknown;
  error?: { code: string; message: string };
  event?: string;
}

export function frame(message: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(message), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32LE(payload.length, 0);
  return Buffer.concat([header, payload]);
}

export class HostProcess {
  private readonly decoder = new FrameDecoder(1024 * 1024);
  private readonly waiting = new Map<string, (a: Answer) => void>();
  private stderr = '';
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => {
      for (const item of this.decoder.push(chunk)) {
        if (item.kind !== 'frame') throw new Error('the host sent an oversized frame');
        const answer = JSON.parse(item.payload.toString('utf8')) as Answer;
        // Progress events are not answers: only `ok` ends a request.
        if (answer.id !== null && 'ok' in answer) this.waiting.get(answer.id)?.(answer);
      }
    });
    child.stderr.on('data', (c: Buffer) => (this.stderr += c.toString()));
    child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static start(bundle: string, env: NodeJS.ProcessEnv): HostProcess {
    return new HostProcess(spawn(process.execPath, [bundle, CALLER], { env, stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  /** The single executable, started directly (as its launcher does). */
  static startExecutable(executable: string, env: NodeJS.ProcessEnv): HostProcess {
    return new HostProcess(spawn(executable, [CALLER], { env, stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  /** Sends one request and resolves with its answer; rejects on an error answer or when the host dies. */
  request(id: string, body: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const died = () => reject(new Error(`the host exited before answering ${id}: ${this.stderr.slice(-500)}`));
      void this.exited.then(died);
      this.waiting.set(id, (a) => {
        this.waiting.delete(id);
        if (a.ok) resolve(a.data);
        else reject(new Error(`${String(body.type)}: ${a.error?.code} ${a.error?.message}`));
      });
      this.child.stdin.write(frame({ ...body, id }));
    });
  }

  /** Ends input, as a browser closing the port does, and waits for the exit. */
  async close(): Promise<void> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
