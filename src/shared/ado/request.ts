import type { z } from 'zod';
import { secretsOf, type AuthHeader } from './auth-header';
import { backoffMs, type Sleep } from './backoff';
import { createSemaphore } from './concurrency';
import { AdoError, isAdoError, type Scope } from './errors';
import { failureFor, parseSuccess, type CallContext } from './response-check';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestSpec<T> {
  method: HttpMethod;
  url: string;
  /** What the call does, as a verb phrase for messages: "list repositories". */
  what: string;
  schema: z.ZodType<T>;
  body?: unknown;
  /** The token scope the call needs, named in the message when a token lacks it. */
  scope?: Scope;
  /** The body's media type when it is not `application/json` (work item updates are `application/json-patch+json`). */
  contentType?: string;
  /** A PUT or DELETE whose repetition changes nothing, so a failed attempt may be retried. */
  idempotent?: boolean;
  signal?: AbortSignal | undefined;
}

export interface Answer<T> {
  data: T;
  headers: Headers;
  status: number;
}

export type Requester = <T>(spec: RequestSpec<T>) => Promise<Answer<T>>;

export interface RequesterOptions {
  auth: () => Promise<AuthHeader>;
  onUnauthorized?: (() => Promise<boolean>) | undefined;
  fetch: typeof fetch;
  maxConcurrency: number;
  sleep: Sleep;
  now: () => number;
  random: () => number;
  /** One attempt may take this long before it counts as a network failure. */
  timeoutMs: number;
  /** A Retry-After, or hold on the organization after a 429, longer than this is not waited for: the call fails with the wait in the error. */
  maxRetryAfterSeconds: number;
  maxAttempts: number;
  /** False: an attempt that got no answer in time is not tried again (a first contact says at once that the server does not answer). */
  retryTimeouts: boolean;
  /** Whose rate limit a 429 speaks for: the organization's base URL (every client for it shares the hold). */
  organization: string;
  /**
   * Told each time a request waits (before its next attempt, or for an answer that is slow to
   * come), so that whoever asked can say why it is slow; undefined once a slow answer is in.
   */
  onWait?: ((wait: Wait | undefined) => void) | undefined;
  /** An attempt with no answer after this long is told to onWait as a wait (until its timeout). */
  slowAfterMs: number;
  /** Stops every request, as each request's own signal does. */
  signal?: AbortSignal | undefined;
}

/**
 * A request to `host` waiting until `until` (ms since the epoch) because of `error`: a 429's hold,
 * the pause before retrying a failure, or, with `sent`, an attempt sent then with no answer yet
 * (`until` is its timeout; `error` is what a person who stops waiting is told).
 */
export interface Wait {
  until: number;
  error: AdoError;
  host: string | undefined;
  sent?: number;
}

type Outcome<T> = { ok: true; answer: Answer<T> } | { ok: false; error: AdoError; timedOut?: boolean };

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

/**
 * Chromium holds back an extension's requests to a URL (its path, without the query) that answered
 * 5xx a few times in a row (www.chromium.org/throttling): fetch then fails at once, just as a lost
 * connection does. So a network failure on a path whose last answer was a server error is told as
 * that server error, not as "check your internet connection". Worker-wide: every call makes its own
 * client. Kept as long as Chromium's throttling lasts at most (15 minutes).
 */
const lastServerStatus = new Map<string, { status: number; at: number }>();
const THROTTLED_FOR_MS = 15 * 60_000;
const throttleKey = (url: string): string => url.split(/[?#]/, 1)[0]!;

/**
 * After a 429, Azure DevOps asks for no further request until its Retry-After has passed
 * (learn.microsoft.com/azure/devops/integrate/concepts/rate-limits). Its limits are per
 * organization, so every request for that organization, whichever client makes it, is held until
 * then, and other organizations on the same host are not. Worker-wide, like the memory above.
 */
const notBefore = new Map<string, number>();
/**
 * Azure DevOps' limits slide over 5 minutes, so no hold outlasts that: a Retry-After far longer
 * (a proxy's, or a date in the wrong year) would otherwise hold the organization until the worker
 * happens to restart. After it a request asks again, and a server still limiting says so again.
 */
const HOLD_AT_MOST_MS = 5 * 60_000;

/** For tests, which share the module: each starts with no answer remembered. */
export const forgetServerErrors = (): void => {
  lastServerStatus.clear();
  notBefore.clear();
};

/**
 * The core of the client: one function that sends a request with the credential, within the
 * concurrency bound, retries what may safely be retried, and answers checked data or an AdoError.
 */
export function createRequester(o: RequesterOptions): Requester {
  const slots = createSemaphore(o.maxConcurrency);

  /** Waits out the organization's hold; one longer than this client waits fails as a 429 with that wait does. */
  async function holdOff(spec: RequestSpec<unknown>): Promise<void> {
    const ms = (notBefore.get(o.organization) ?? 0) - o.now();
    if (ms <= 0) return;
    const error = new AdoError({ kind: 'rateLimited', what: spec.what, status: 429, retryAfterSeconds: Math.ceil(ms / 1000) });
    if (ms > o.maxRetryAfterSeconds * 1000) throw error;
    o.onWait?.({ until: o.now() + ms, error, host: safeHost(spec.url) });
    await o.sleep(ms, spec.signal).catch((cause: unknown) => {
      throw new AdoError({ kind: 'cancelled', what: spec.what, cause });
    });
  }

  async function attempt<T>(spec: RequestSpec<T>, attemptNo: number): Promise<Outcome<T>> {
    const release = await slots.acquire(spec.what, spec.signal);
    // Within the slot: a 429 may have come while this request waited for one.
    const held = await holdOff(spec).then(() => undefined, (e: AdoError) => e);
    if (held) {
      release();
      return { ok: false, error: held };
    }
    const ctl = new AbortController();
    const forward = () => ctl.abort(spec.signal?.reason);
    spec.signal?.addEventListener('abort', forward, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort();
    }, o.timeoutMs);
    // A network that swallows requests shows nothing for the whole timeout: say so well before it.
    const sent = o.now();
    let slow = false;
    const slowTimer = o.onWait
      ? setTimeout(() => {
          slow = true;
          const error = noAnswer(spec, Math.max(1, Math.round(o.slowAfterMs / 1000)));
          o.onWait?.({ until: sent + o.timeoutMs, error, host: safeHost(spec.url), sent });
        }, o.slowAfterMs)
      : undefined;
    let header: AuthHeader | undefined;
    try {
      header = await o.auth();
      const ctx: CallContext = {
        what: spec.what,
        scope: spec.scope,
        authScheme: header.scheme,
        url: spec.url,
        secrets: secretsOf(header),
        nowMs: o.now(),
      };
      const res = await o.fetch(spec.url, {
        method: spec.method,
        headers: requestHeaders(header, spec.body === undefined ? undefined : (spec.contentType ?? 'application/json'), spec.url, spec.method),
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: ctl.signal,
        // Our credential is the header; cookies of a signed-in browser session must not hide a bad
        // token. A page-session call has no header: the session's cookies are its credential.
        credentials: header.scheme === 'Session' ? 'include' : 'omit',
        // A redirect from the API means a sign-in page; following it could hand the header to another host.
        redirect: 'manual',
      });
      const text = spec.method === 'HEAD' ? '' : await res.text();
      if (res.status >= 500) lastServerStatus.set(throttleKey(spec.url), { status: res.status, at: o.now() });
      else lastServerStatus.delete(throttleKey(spec.url));
      const success = res.status >= 200 && res.status < 300 && res.status !== 203;
      if (!success) {
        const error = failureFor(res, text, ctx);
        if (error.kind === 'rateLimited') {
          // Held before the slot is given back, so that no request waiting for it goes first.
          const ms = error.retryAfterSeconds === undefined ? backoffMs(attemptNo, o.random) : error.retryAfterSeconds * 1000;
          notBefore.set(o.organization, Math.max(notBefore.get(o.organization) ?? 0, o.now() + Math.min(ms, HOLD_AT_MOST_MS)));
        }
        return { ok: false, error };
      }
      return { ok: true, answer: { data: parseSuccess(res, text, spec.schema, ctx), headers: res.headers, status: res.status } };
    } catch (e) {
      if (spec.signal?.aborted) return { ok: false, error: new AdoError({ kind: 'cancelled', what: spec.what, cause: e }) };
      if (isAdoError(e)) return { ok: false, error: e };
      if (header === undefined) {
        // auth() itself failed: no usable credential (or its refresh failed).
        return { ok: false, error: new AdoError({ kind: 'unauthorized', what: spec.what, cause: e }) };
      }
      const server = lastServerStatus.get(throttleKey(spec.url));
      if (!timedOut && server && o.now() - server.at < THROTTLED_FOR_MS) {
        return { ok: false, error: new AdoError({ kind: 'server', what: spec.what, status: server.status, cause: e, authScheme: header.scheme }) };
      }
      if (timedOut) return { ok: false, error: noAnswer(spec, Math.ceil(o.timeoutMs / 1000), header), timedOut };
      return { ok: false, error: new AdoError({ kind: 'network', what: spec.what, host: safeHost(spec.url), cause: e, authScheme: header.scheme }), timedOut };
    } finally {
      clearTimeout(timer);
      clearTimeout(slowTimer);
      if (slow) o.onWait?.(undefined);
      spec.signal?.removeEventListener('abort', forward);
      release();
    }
  }

  /** How long to wait before the next attempt, or undefined to give up with `error`. */
  function retryDelayMs(error: AdoError, attemptNo: number, retrySafe: boolean): number | undefined {
    if (attemptNo >= o.maxAttempts) return undefined;
    const after = error.retryAfterSeconds;
    if (after !== undefined && after > o.maxRetryAfterSeconds) return undefined;
    // A 429 means the request was not processed, so even a POST may be sent again; no wait here,
    // as the next attempt waits out the hold on its organization.
    if (error.kind === 'rateLimited') return 0;
    const wait = after === undefined ? backoffMs(attemptNo, o.random) : after * 1000;
    if (!retrySafe) return undefined;
    if (error.kind === 'server' && RETRYABLE_STATUS.has(error.status ?? 0)) return wait;
    if (error.kind === 'network') return backoffMs(attemptNo, o.random);
    return undefined;
  }

  return async function request<T>(asked: RequestSpec<T>): Promise<Answer<T>> {
    const spec = o.signal ? { ...asked, signal: asked.signal ? AbortSignal.any([asked.signal, o.signal]) : o.signal } : asked;
    const retrySafe = spec.method === 'GET' || spec.method === 'HEAD' || spec.idempotent === true;
    let refreshed = false;
    for (let attemptNo = 1; ; attemptNo++) {
      const outcome = await attempt(spec, attemptNo);
      if (outcome.ok) return outcome.answer;
      const { error } = outcome;
      if (outcome.timedOut && !o.retryTimeouts) throw error;
      if ((error.kind === 'unauthorized' || error.kind === 'signInPage') && o.onUnauthorized && !refreshed) {
        refreshed = true;
        // One refresh of the credential, then one more try that does not count as a retry.
        if (await o.onUnauthorized().catch(() => false)) {
          attemptNo--;
          continue;
        }
        throw error;
      }
      const wait = retryDelayMs(error, attemptNo, retrySafe);
      if (wait === undefined) throw error;
      // A 429's wait is the hold on its organization, which the next attempt waits out.
      if (wait === 0) continue;
      o.onWait?.({ until: o.now() + wait, error, host: safeHost(spec.url) });
      try {
        await o.sleep(wait, spec.signal);
      } catch (cause) {
        throw new AdoError({ kind: 'cancelled', what: spec.what, cause });
      }
      if (spec.signal?.aborted) throw new AdoError({ kind: 'cancelled', what: spec.what });
    }
  };
}

/** `spec` sent, and no answer within `seconds`: a host reached but silent, not a failed connection. */
function noAnswer(spec: RequestSpec<unknown>, seconds: number, header?: AuthHeader): AdoError {
  return new AdoError({
    kind: 'network',
    what: spec.what,
    host: safeHost(spec.url),
    noAnswerWithinSeconds: seconds,
    cause: new Error(`No answer within ${seconds} s`),
    ...(header ? { authScheme: header.scheme } : {}),
  });
}

function requestHeaders(auth: AuthHeader, contentType: string | undefined, url: string, method: HttpMethod): Record<string, string> {
  const session = auth.scheme === 'Session';
  // A plain 401 carries a Basic challenge, and to a page's own call the browser answers it with a
  // user name and password dialog of its own, holding the call until someone closes it (a panel
  // stuck on "Looking…"). A read with the page's session asks for the sign-in page instead (203,
  // read as signInPage); a write keeps the header, which cookie writes need (sandbox/README.md).
  const plain401 = !(session && (method === 'GET' || method === 'HEAD'));
  // The web UI's own calls name the version in Accept too.
  const version = session ? new URL(url).searchParams.get('api-version') : null;
  return {
    Accept: version ? `application/json;api-version=${version}` : 'application/json',
    ...(session ? {} : { Authorization: `${auth.scheme} ${auth.value}` }),
    // Ask for a plain 401 instead of a redirect to a sign-in page.
    ...(plain401 ? { 'X-TFS-FedAuthRedirect': 'Suppress' } : {}),
    ...(contentType ? { 'Content-Type': contentType } : {}),
  };
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
