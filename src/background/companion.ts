import {
  checkCompanion,
  HelloDataSchema,
  HostMessageSchema,
  HOST_NAME,
  LONG_REQUESTS,
  PROTOCOL_VERSION,
  RESPONSE_DATA_SCHEMAS,
  type HelloData,
  type HostRequestBody,
  type ProgressEvent,
  type RequestType,
  type ResponseData,
} from '../shared/host-protocol';

/**
 * The bridge to the companion host over native messaging. One port serves every request while
 * any is in flight (so a clone can report progress and the worker stays alive meanwhile); it is
 * closed when idle so the worker can sleep. A crash or a missing host fails the waiting requests
 * with a CompanionError that says what to do; after a crash a new companion is started at once so
 * it can clean up what the dead one left (see PROTOCOL.md, "Crashes").
 */
export interface NativePort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(cb: (message: unknown) => void): void };
  /** Firefox passes the port with its `error`; Chrome sets runtime.lastError instead. */
  onDisconnect: { addListener(cb: (port?: { error?: { message?: string } | null }) => void): void };
}

export type CompanionProblem = 'missing' | 'outdated' | 'gitTooOld' | 'failed';

export class CompanionError extends Error {
  constructor(
    /** `missing`/`outdated`/`gitTooOld`/`failed`, `stopped` (while it worked), `hung` (no answer in time), or the host's own error code such as `DEST_EXISTS`. */
    readonly code: string,
    message: string,
    /** What happened alone, where `message` goes on to what to do next (a `hung`): for a place that says its own next step. */
    readonly happened?: string,
  ) {
    super(message);
    this.name = 'CompanionError';
  }
}

export interface CompanionDeps {
  connect: (name: string) => NativePort;
  /** chrome.runtime.lastError's message after a disconnect. */
  lastError: () => string | undefined;
  extensionVersion: string;
  idleMs?: number;
  /** Tests shorten ANSWER_WITHIN_MS. */
  answerWithinMs?: (type: RequestType) => number | undefined;
  /** Tests shorten SILENT_WITHIN_MS. */
  silentWithinMs?: number;
}

/**
 * How long the companion may take to answer each request before it is taken for hung (stopped by
 * a debugger, stuck on a frozen network drive). The rest have no answer limit: they report progress
 * and can be cancelled, and the companion bounds the programs they run (PROTOCOL.md, Limits); only
 * the silence between their frames has one (SILENT_WITHIN_MS).
 * localClones runs git in every clone it finds (up to 500), so it gets minutes; sshKey more than
 * the companion's two minutes for ssh-keygen, sshTest more than its 30 s for ssh.
 */
export const ANSWER_WITHIN_MS: Partial<Record<RequestType, number>> = {
  hello: 30_000,
  configure: 30_000,
  cancel: 30_000,
  open: 30_000,
  destination: 30_000,
  addRemote: 60_000,
  status: 60_000,
  localClones: 180_000,
  sshKey: 180_000,
  sshTest: 60_000,
};

/**
 * clone, fetch, checkout and worktree may run as long as the network needs, but a companion with
 * the capability `alive` sends a frame for each at least every 20 s (PROTOCOL.md, Signs of life):
 * this long without one, it is taken for hung as well. One without it is waited for as before.
 */
export const SILENT_WITHIN_MS = 60_000;

interface Waiting {
  resolve(data: unknown): void;
  reject(e: Error): void;
  type: RequestType;
  onProgress?: ((e: ProgressEvent) => void) | undefined;
  /** The connection it was sent on (a hung one is left to finish what it runs, or not). */
  port?: NativePort;
  /** Restarts the wait for a frame of a request that may run long. */
  heard?: () => void;
}

export function createCompanion(deps: CompanionDeps) {
  let port: NativePort | undefined;
  let hello: Promise<HelloData> | undefined;
  let idle: ReturnType<typeof setTimeout> | undefined;
  const waiting = new Map<string, Waiting>();
  let seq = 0;
  const limitOf = (type: RequestType) => (deps.answerWithinMs ?? ((t) => ANSWER_WITHIN_MS[t]))(type);

  /**
   * A newer companion may answer with an error code or a shape this extension does not know: the
   * request still ends, with the companion's own sentence, instead of waiting forever.
   */
  function notUnderstood(raw: unknown): void {
    const frame = (typeof raw === 'object' && raw !== null ? raw : {}) as { id?: unknown; event?: unknown; error?: { message?: unknown } };
    const w = typeof frame.id === 'string' && frame.event === undefined ? waiting.get(frame.id) : undefined;
    if (!w) return;
    waiting.delete(frame.id as string);
    scheduleIdle();
    const said = typeof frame.error?.message === 'string' ? `${frame.error.message.slice(0, 500)} ` : '';
    w.reject(new CompanionError('failed', `${said}(The companion answered in a form this extension does not understand: update the extension or the companion.)`.trim()));
  }

  function open(): NativePort {
    if (port) return port;
    const p = deps.connect(HOST_NAME);
    // Set when the host refuses this extension (installed for other ids); it exits right after.
    let refused: string | undefined;
    p.onMessage.addListener((raw) => {
      const parsed = HostMessageSchema.safeParse(raw);
      if (!parsed.success) return notUnderstood(raw);
      const m = parsed.data;
      if (m.id === null && 'ok' in m && !m.ok && m.error.code === 'FORBIDDEN_CALLER') refused = m.error.message;
      const w = m.id === null ? undefined : waiting.get(m.id);
      if (!w) return;
      if ('event' in m) {
        w.heard?.();
        return m.event === 'progress' ? w.onProgress?.(m) : undefined;
      }
      waiting.delete(m.id!);
      if (p === port) scheduleIdle();
      else retireIfDone(p);
      if (m.ok) {
        const data = RESPONSE_DATA_SCHEMAS[w.type].safeParse(m.data);
        if (data.success) w.resolve(data.data);
        else w.reject(new CompanionError('failed', 'The companion answered in a form this extension does not understand: update the companion.'));
      } else {
        w.reject(new CompanionError(m.error.code, m.error.message));
      }
    });
    p.onDisconnect.addListener((gone) => {
      const reason = gone?.error?.message ?? deps.lastError() ?? '';
      if (port === p) {
        port = undefined;
        hello = undefined;
      }
      const missing = refused !== undefined || /not found|not installed|forbidden/i.test(reason);
      const cut = [...waiting].filter(([, w]) => w.port === p);
      const interrupted = cut.some(([, w]) => w.type !== 'hello');
      const err = refused
        ? new CompanionError('missing', `The desktop companion refused this extension: ${refused}.`)
        : missing
          ? new CompanionError('missing', 'The desktop companion is not installed (or not allowed for this extension). Install it to clone and create SSH keys.')
          : // `stopped`: it was at work, so it did start; trying again (a new one) is the step, not its setup.
            new CompanionError(interrupted ? 'stopped' : 'failed', `The desktop companion stopped unexpectedly${reason ? ` (${reason})` : ''}. Try again; if it keeps happening, run its "doctor" command.`);
      for (const [id, w] of cut) {
        waiting.delete(id);
        w.reject(err);
      }
      // A companion that died mid-clone could not remove its half-written folder; a new one does
      // at its start. Start one now rather than at the user's next request. Only after real work
      // was cut short, so a companion that dies at once is not restarted over and over.
      if (interrupted && !missing) ready().then(scheduleIdle, () => undefined);
    });
    port = p;
    return p;
  }

  function scheduleIdle() {
    if (idle) clearTimeout(idle);
    idle = setTimeout(closeIfIdle, deps.idleMs ?? 30_000);
  }

  /** Closes the current connection unless a request waits on it (a hung one keeps only its own): the next request starts a new companion. */
  function closeIfIdle() {
    if (port && ![...waiting.values()].some((w) => w.port === port)) {
      const p = port;
      port = undefined;
      hello = undefined;
      p.disconnect();
    }
  }

  /** `alive`: the companion sends frames while it works, so silence means hung. `on`: the connection to use, else the current one. */
  function send<T extends RequestType>(
    body: HostRequestBody & { type: T },
    opts: { onProgress?: ((e: ProgressEvent) => void) | undefined; alive?: boolean; on?: NativePort } = {},
  ): { id: string; done: Promise<ResponseData<T>> } {
    const id = `r${Date.now().toString(36)}-${++seq}`;
    const done = new Promise<ResponseData<T>>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (d: unknown) => void, reject, type: body.type, onProgress: opts.onProgress });
    });
    const w = waiting.get(id)!;
    const limit = limitOf(body.type) ?? (opts.alive && LONG_REQUESTS.includes(body.type) ? (deps.silentWithinMs ?? SILENT_WITHIN_MS) : undefined);
    if (limit !== undefined) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const wait = () => {
        clearTimeout(timer);
        timer = setTimeout(() => hung(id, limit), limit);
      };
      wait();
      if (limitOf(body.type) === undefined) w.heard = wait;
      void done.then(
        () => clearTimeout(timer),
        () => clearTimeout(timer),
      );
    }
    try {
      const p = opts.on ?? open();
      if (p === port && idle) clearTimeout(idle);
      w.port = p;
      p.postMessage({ ...body, id });
    } catch (e) {
      waiting.get(id)?.reject(new CompanionError('missing', `Could not start the desktop companion (${(e as Error).message}).`));
      waiting.delete(id);
    }
    return { id, done };
  }

  /**
   * Ends a request the companion did not answer in time, and with it the others on that connection
   * that wait for a quick answer: it is hung for them too. The next request starts a new companion;
   * the hung one keeps only the git work that reports progress (a clone ends by itself if the
   * companion wakes up) and is closed once that is done. Closing the port makes the browser end
   * the companion (it kills one that does not exit), so the words say which.
   */
  function hung(id: string, limit: number): void {
    const p = waiting.get(id)?.port;
    if (!p) return;
    if (p === port) {
      port = undefined;
      hello = undefined;
    }
    const cut = [...waiting].filter(([other, w]) => w.port === p && (other === id || limitOf(w.type) !== undefined));
    for (const [other] of cut) waiting.delete(other);
    const ended = retireIfDone(p);
    const happened = `The desktop companion did not answer within ${limit / 1000} seconds${ended ? ', so it was closed, which stops what it was doing' : '. It is left to finish the git work it runs (a clone, a fetch, a checkout), so this may still be done'}.`;
    const err = new CompanionError('hung', `${happened} Try again: a new one starts. If it keeps happening, run the companion's "doctor" command.`, happened);
    for (const [, w] of cut) w.reject(err);
  }

  /** Closes a connection that no longer takes requests once nothing waits on it; says whether it did. */
  function retireIfDone(p: NativePort): boolean {
    const done = p !== port && ![...waiting.values()].some((w) => w.port === p);
    if (done) p.disconnect();
    return done;
  }

  /** Says hello once per connection and refuses a companion of another protocol version. */
  function ready(): Promise<HelloData> {
    hello ??= send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, extensionVersion: deps.extensionVersion }).done.then((h) => {
      const data = HelloDataSchema.parse(h);
      const fit = checkCompanion(data);
      if (!fit.ok) {
        // A companion asks git its version once, at its start: a git updated since is seen by a new one.
        if (fit.problem === 'gitTooOld') closeIfIdle();
        throw new CompanionError(fit.problem, fit.reason);
      }
      return data;
    });
    hello.catch(() => (hello = undefined));
    return hello;
  }

  return {
    ready,
    /** Sends a request after the hello check; `started` gets the host request id (to cancel it). */
    async request<T extends RequestType>(
      body: HostRequestBody & { type: T },
      opts: { onProgress?: (e: ProgressEvent) => void; started?: (id: string) => void } = {},
    ): Promise<ResponseData<T>> {
      const h = await ready();
      const { id, done } = send<T>(body, { onProgress: opts.onProgress, alive: h.capabilities.includes('alive') });
      opts.started?.(id);
      return done;
    },
    /**
     * Cancels a request on the companion that runs it: after a `hung` the current one is another,
     * which does not know it.
     */
    cancel(target: string): Promise<{ cancelled: boolean }> {
      const on = waiting.get(target)?.port;
      return on ? send({ type: 'cancel', target }, { on }).done : Promise.resolve({ cancelled: false });
    },
  };
}
export type Companion = ReturnType<typeof createCompanion>;
