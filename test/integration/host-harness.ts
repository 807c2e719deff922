/**
 * Test helpers for the companion host: builds the real bundle once per test file, spawns it the
 * way a browser does (caller origin in argv, frames on stdio) and speaks the protocol.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHost } from '../../scripts/build-host.mjs';
import { FrameDecoder } from '../../src/host/frame-codec';
import { HostMessageSchema, type HostMessage } from '../../src/shared/host-protocol';

export const CALLER = 'chrome-extension://pnmjkpjplbnbdemdepckpdffmpmdbbga/';

let built: Promise<string> | undefined;
const buildDirs: string[] = [];

/** The path of a freshly built host bundle (one build per test file). */
export function hostBundle(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-build-'));
    buildDirs.push(dir);
    return (await buildHost(dir)).bundle;
  })();
  return built;
}

export function removeBuilds(): void {
  for (const dir of buildDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  built = undefined;
}

/** A private HOME and companion folder for one test. */
export interface Sandbox {
  dir: string;
  home: string;
  companionHome: string;
  roots: string;
  env: NodeJS.ProcessEnv;
  remove(): void;
}

export function makeSandbox(extraEnv: NodeJS.ProcessEnv = {}): Sandbox {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'host-test-')));
  const home = join(dir, 'home');
  const companionHome = join(dir, 'companion');
  const roots = join(dir, 'roots');
  mkdirSync(home);
  mkdirSync(roots);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    ADO_COMPANION_HOME: companionHome,
    GIT_CONFIG_NOSYSTEM: '1',
    ...extraEnv,
  };
  return { dir, home, companionHome, roots, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export class HostProcess {
  readonly messages: HostMessage[] = [];
  /** Every byte the host wrote to stdout, to prove it wrote frames only. */
  readonly stdout: Buffer[] = [];
  stderr = '';
  private readonly decoder = new FrameDecoder(1024 * 1024);
  private waiters: Array<() => void> = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private counter = 0;

  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => {
      this.stdout.push(chunk);
      for (const item of this.decoder.push(chunk)) {
        if (item.kind !== 'frame') throw new Error('host sent an oversized frame');
        this.messages.push(HostMessageSchema.parse(JSON.parse(item.payload.toString('utf8'))));
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** `user`: another user to run as (only root may). */
  static async start(env: NodeJS.ProcessEnv, args: string[] = [CALLER], user?: { uid: number; gid: number }): Promise<HostProcess> {
    const bundle = await hostBundle();
    return new HostProcess(spawn(process.execPath, [bundle, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'], ...user }));
  }

  writeRaw(bytes: Buffer): void {
    this.child.stdin.write(bytes);
  }

  send(message: unknown): void {
    const payload = Buffer.from(JSON.stringify(message), 'utf8');
    const header = Buffer.alloc(4);
    header.writeUInt32LE(payload.length, 0);
    this.writeRaw(Buffer.concat([header, payload]));
  }

  /** Waits for a message matching `predicate` (already received ones count). */
  async waitFor(predicate: (m: HostMessage) => boolean, timeoutMs = 30_000): Promise<HostMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages).slice(-2000)}\nstderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a request (an id is added when missing) and resolves with its final answer. */
  async request<T = unknown>(body: Record<string, unknown>, timeoutMs?: number): Promise<{ id: string; ok: true; data: T } | { id: string; ok: false; error: { code: string; message: string; details?: Record<string, unknown> } }> {
    const id = typeof body.id === 'string' ? body.id : `r${++this.counter}-${Math.random().toString(36).slice(2)}`;
    this.send({ ...body, id });
    return (await this.waitFor((m) => m.id === id && 'ok' in m, timeoutMs)) as never;
  }

  progressOf(id: string) {
    return this.messages.filter((m) => m.id === id && 'event' in m && m.event === 'progress');
  }

  async close(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}
