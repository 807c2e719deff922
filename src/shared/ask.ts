import type { Answers, CloneProgress, Reply, ReplyError, Request, Waiting } from './messages';

/** A failed request, as the background explained it. */
export class AskError extends Error {
  constructor(readonly reply: ReplyError) {
    super(reply.message);
    this.name = 'AskError';
  }
  get code(): string {
    return this.reply.code;
  }
}

// Firefox has `browser`; Chrome MV3's `chrome.runtime.sendMessage` returns a promise. Using them
// directly keeps the polyfill out of the content script, which must stay small.
const runtime = (): typeof chrome.runtime =>
  ((globalThis as { browser?: typeof chrome }).browser ?? globalThis.chrome).runtime;

/** Sends a request to the background worker and unwraps its reply. */
export async function ask<R extends Request>(request: R): Promise<Answers[R['type']]> {
  const reply = (await runtime().sendMessage(request)) as Reply<Answers[R['type']]> | undefined;
  if (!reply) throw new AskError({ code: 'NO_ANSWER', message: 'The extension did not answer. Reload the page and try again.' });
  if (!reply.ok) throw new AskError(reply.error);
  return reply.data;
}

// host-protocol's PROGRESS_PHASES, written out: importing it would bring zod into the page and the popup.
const PHASES = new Set(['counting', 'compressing', 'receiving', 'resolving', 'checkout']);

/** A progress event of git's (what askWithProgress reports for clones and checkouts). */
export const isProgress = (e: unknown): e is CloneProgress =>
  typeof e === 'object' && e !== null && PHASES.has(String((e as CloneProgress).phase)) && typeof (e as CloneProgress).percent === 'number';

/** What the background says while a request waits to try again (a 429's Retry-After, a retry after a failure). */
export const isWaiting = (e: unknown): e is { waiting: Waiting } =>
  typeof e === 'object' && e !== null && typeof (e as { waiting?: Waiting }).waiting?.until === 'number';

/** What the background says when a slow answer it told of came after all: `{ waiting: null }`. */
export const isWaitOver = (e: unknown): boolean => typeof e === 'object' && e !== null && (e as { waiting?: unknown }).waiting === null;

/**
 * For long tasks, and for lists that should say why they are slow: asks through a port so the
 * background can report progress (and `{ waiting }`) while it works, and sees the asker go. Closing
 * the asker (the popup) does not stop a task that must outlive it (a clone), only what was for the
 * asker alone (adding an account); `signal` stops waiting for its answer, rejecting with its reason,
 * and stops the background's requests to Azure DevOps for it.
 */
export function askWithProgress<R extends Request>(request: R, onProgress: (event: unknown) => void, signal?: AbortSignal): Promise<Answers[R['type']]> {
  return new Promise((resolve, reject) => {
    const port = runtime().connect({ name: 'task' });
    signal?.addEventListener('abort', () => {
      // Said before going, so that the background stops the request too (a plain disconnect does not).
      // A port the background has closed throws; the wait must end all the same.
      try {
        port.postMessage({ stop: true });
        port.disconnect();
      } catch {
        // Nothing left to stop.
      }
      reject(signal.reason);
    });
    port.onMessage.addListener((m: { progress?: unknown; reply?: Reply<Answers[R['type']]> }) => {
      if (m.progress !== undefined) onProgress(m.progress);
      if (!m.reply) return;
      port.disconnect();
      if (m.reply.ok) resolve(m.reply.data);
      else reject(new AskError(m.reply.error));
    });
    port.onDisconnect.addListener(() =>
      reject(new AskError({ code: 'NO_ANSWER', message: 'The extension stopped answering. Reload the page and try again.' })),
    );
    port.postMessage(request);
  });
}
