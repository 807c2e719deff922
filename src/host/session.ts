/**
 * One native-messaging conversation: frames in on stdin, frames out on stdout. Every frame gets an
 * answer or nothing, never a crash: unreadable frames get an error with `id: null`, invalid
 * requests an error with their id. Requests run concurrently; `cancel` aborts one, the end of
 * input (the browser went away) aborts them all.
 */
import type { Readable, Writable } from 'node:stream';
import {
  ALIVE_EVERY_MS,
  LONG_REQUESTS,
  MAX_FRAME_FROM_BROWSER,
  MAX_FRAME_TO_BROWSER,
  RequestIdSchema,
  parseHostRequest,
  type ErrorCode,
  type HostMessage,
} from '../shared/host-protocol';
import { FrameDecoder, encodeFrame } from './frame-codec';
import type { GitProgress } from './git-progress';
import { handle } from './handlers';
import { HostError } from './host-error';
import type { HostContext } from './host-context';

/**
 * What the file system refused the companion's own files (locks, journals, the registry, the
 * folders a clone goes into), in words: not a bug to look up in the log.
 */
const REFUSED: Record<string, string> = {
  ENOSPC: 'could not write $: the disk is full',
  EDQUOT: 'could not write $: the disk quota is used up',
  EROFS: 'could not write $: the disk is read-only',
  // Reading or writing: a file or folder of the user's it may not use.
  EACCES: 'was refused $: permission denied',
  EPERM: 'was refused $: permission denied',
};

/** How long no request may run before the host counts as idle (`onIdle`). */
export const IDLE_MS = 100;

export class Session {
  private readonly inflight = new Map<string, AbortController>();
  private readonly running = new Set<Promise<void>>();
  private readonly decoder = new FrameDecoder(MAX_FRAME_FROM_BROWSER);
  private closed = false;
  private idle: ReturnType<typeof setTimeout> | undefined;

  /**
   * `onIdle`: work that blocks the host (a fork, say), run once no request has run for IDLE_MS,
   * so never between requests that come back to back; again after every later request.
   */
  constructor(
    private readonly ctx: HostContext,
    private readonly output: Writable,
    private readonly handler: typeof handle = handle,
    private readonly onIdle?: () => void,
  ) {
    output.on('error', (error) => {
      this.ctx.log.warn(`output closed: ${error.message}`);
      this.closed = true;
      this.cancelAll();
    });
  }

  /** Reads `input` until it ends, then cancels what still runs and waits for it to clean up. */
  async run(input: Readable): Promise<void> {
    for await (const chunk of input) this.push(chunk as Buffer);
    this.end();
    await this.settle();
  }

  push(chunk: Buffer): void {
    for (const item of this.decoder.push(chunk)) {
      if (item.kind === 'tooLarge') {
        this.sendError(null, 'FRAME_TOO_LARGE', `a request of ${item.length} bytes exceeds the limit of ${MAX_FRAME_FROM_BROWSER} bytes; it was skipped`);
      } else {
        this.onFrame(item.payload);
      }
    }
  }

  end(): void {
    const pending = this.decoder.pendingBytes();
    if (pending > 0) this.sendError(null, 'BAD_FRAME', `input ended inside a frame (${pending} bytes of it missing or unread)`);
    this.cancelAll();
  }

  cancelAll(): void {
    for (const controller of this.inflight.values()) controller.abort();
  }

  /** (Re)starts the wait for idleness; a request that arrives meanwhile stops it. */
  private waitForIdle(): void {
    clearTimeout(this.idle);
    if (!this.onIdle || this.closed || this.running.size > 0) return;
    this.idle = setTimeout(this.onIdle, IDLE_MS);
    this.idle.unref();
  }

  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled(this.running);
  }

  private onFrame(payload: Buffer): void {
    clearTimeout(this.idle);
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
    } catch {
      this.sendError(null, 'BAD_FRAME', 'a frame is not UTF-8 JSON');
      return;
    }
    const rawId = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
    const id = RequestIdSchema.safeParse(rawId).success ? (rawId as string) : null;
    const parsed = parseHostRequest(value);
    if (!parsed.ok) {
      this.sendError(id, 'BAD_REQUEST', parsed.message);
      return;
    }
    const request = parsed.request;
    if (this.inflight.has(request.id)) {
      this.sendError(request.id, 'BAD_REQUEST', `request id ${request.id} is already in use by a running request`);
      return;
    }
    if (request.type === 'cancel') {
      this.ctx.log.info(`${request.id} cancel`);
      const target = this.inflight.get(request.target);
      target?.abort();
      this.send({ id: request.id, ok: true, data: { cancelled: target !== undefined } });
      return;
    }
    const controller = new AbortController();
    this.inflight.set(request.id, controller);
    const after: Array<() => void> = [];
    let quiet = true;
    const scope = {
      id: request.id,
      signal: controller.signal,
      progress: (p: GitProgress) => {
        quiet = false;
        this.send({ id: request.id, event: 'progress', ...p });
      },
      afterAnswer: (work: () => void) => void after.push(work),
    };
    let alive: ReturnType<typeof setInterval> | undefined;
    // Started in arrival order, each after the previous one's synchronous part (a `configure`
    // finishes before a `clone` sent after it reads the configuration).
    const work = Promise.resolve()
      .then(() => this.handler(request, this.ctx, scope))
      .then(
        (data) => {
          this.send({ id: request.id, ok: true, data });
          for (const task of after) this.runAfter(request.id, task);
        },
        (error: unknown) => this.sendFailure(request.id, error),
      )
      .finally(() => {
        clearInterval(alive);
        this.inflight.delete(request.id);
        this.running.delete(work);
        this.waitForIdle();
      });
    this.running.add(work);
    // Written once the handler's synchronous part ran (a clone's git runs by then): a log line is
    // a stat and an append, not worth holding a request for; nor is the timer for signs of life.
    queueMicrotask(() => {
      this.ctx.log.info(`${request.id} ${request.type}`);
      if (!LONG_REQUESTS.includes(request.type) || !this.inflight.has(request.id)) return;
      alive = setInterval(() => {
        if (quiet) this.send({ id: request.id, event: 'alive' });
        quiet = true;
      }, ALIVE_EVERY_MS);
      alive.unref();
    });
  }

  private runAfter(id: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      // The answer is out: what failed after it can only be logged.
      this.ctx.log.warn(`${id} after answering: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private sendFailure(id: string, error: unknown): void {
    if (error instanceof HostError) {
      this.sendError(id, error.code, error.message, error.details);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const { code, path, syscall } = error as NodeJS.ErrnoException;
    // Not a program that could not be started: its path is no file the companion used.
    if (code !== undefined && Object.hasOwn(REFUSED, code) && !syscall?.startsWith('spawn')) {
      this.ctx.log.warn(`${id} ${message}`);
      this.sendError(id, 'CANNOT_WRITE', `The companion ${REFUSED[code]!.replace('$', path ?? 'a file it needs')}.`);
      return;
    }
    this.ctx.log.error(`${id} failed: ${error instanceof Error && error.stack ? error.stack : message}`);
    this.sendError(id, 'INTERNAL', `unexpected error: ${message}`);
  }

  private sendError(id: string | null, code: ErrorCode, message: string, details?: Record<string, unknown>): void {
    const safe = this.ctx.redactor.redact(message);
    if (id === null || code === 'INTERNAL') this.ctx.log.warn(`${id ?? '-'} ${code}: ${safe}`);
    this.send({ id, ok: false, error: details ? { code, message: safe, details } : { code, message: safe } });
  }

  private send(message: HostMessage): void {
    if (this.closed) return;
    let frame = encodeFrame(message, MAX_FRAME_TO_BROWSER);
    if (frame === null) {
      this.ctx.log.warn(`${message.id ?? '-'} answer larger than ${MAX_FRAME_TO_BROWSER} bytes replaced by an error`);
      frame = encodeFrame(
        { id: message.id, ok: false, error: { code: 'RESPONSE_TOO_LARGE', message: `the answer exceeds the ${MAX_FRAME_TO_BROWSER}-byte limit of native messaging` } },
        MAX_FRAME_TO_BROWSER,
      )!;
    }
    this.output.write(frame);
  }
}
