/**
 * A fetch whose answers a test scripts step by step, recording what the client sent. It honours
 * the AbortSignal like the real one, so cancellation can be tested.
 */

export interface SentRequest {
  url: URL;
  method: string;
  headers: Headers;
  body: unknown;
  init: RequestInit;
}

export type Step = (req: SentRequest) => Response | Promise<Response>;

export function scriptedFetch(...steps: Step[]) {
  const sent: SentRequest[] = [];
  let next = 0;
  const fetch = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const req: SentRequest = {
      url: new URL(String(input)),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      init,
    };
    sent.push(req);
    const step = steps[next++];
    if (!step) return Promise.reject(new Error(`Unexpected request #${next}: ${req.method} ${req.url}`));
    const signal = init.signal;
    if (signal?.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'));
    return new Promise<Response>((resolve, reject) => {
      signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true });
      Promise.resolve()
        .then(() => step(req))
        .then(resolve, reject);
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, sent, remaining: () => steps.length - next };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });

export const html = (status = 200, headers: Record<string, string> = {}): Response =>
  new Response('<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body></body></html>', {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
  });

/** Azure DevOps' error answer shape. */
export const adoError = (status: number, message: string, typeKey = 'SomeException', headers: Record<string, string> = {}) =>
  json({ $id: '1', innerException: null, message, typeName: `Microsoft.${typeKey}, Microsoft.TeamFoundation`, typeKey, errorCode: 0, eventId: 3000 }, status, headers);

/** A step that never answers on its own (only an abort ends it). */
export const hang: Step = () => new Promise<Response>(() => {});

export const networkFailure: Step = () => Promise.reject(new TypeError('fetch failed'));
