import { request } from 'node:https';

/**
 * A `fetch` for Node tests that reaches the sandbox the way a browser with host-resolver rules
 * does: requests to sandbox hosts go to 127.0.0.1:port with the real Host header and SNI, and
 * the test CA verifies the certificate. Other URLs go to the global fetch. Redirects are
 * followed unless `redirect: 'manual'` (then the 3xx answer itself is returned, as in Node).
 */
export function sandboxFetch(port: number, caPem: string, hosts: string[]): typeof fetch {
  const known = new Set(hosts.map((h) => h.toLowerCase()));
  const isSandboxHost = (h: string) => known.has(h) || h.endsWith('.visualstudio.com') || h.endsWith('.dev.azure.com');

  const doFetch = async (input: string | URL | Request, init?: RequestInit, hops = 0): Promise<Response> => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    if (url.protocol !== 'https:' || !isSandboxHost(url.hostname.toLowerCase())) return fetch(req);
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.from(await req.arrayBuffer());
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => (headers[k] = v));
    headers.host = url.host;
    if (body) headers['content-length'] = String(body.length);
    const res = await send(url, req.method, headers, body, req.signal);
    const location = res.headers.get('location');
    if (location && [301, 302, 303, 307, 308].includes(res.status) && req.redirect === 'follow') {
      if (hops >= 20) throw new TypeError('fetch failed', { cause: new Error('redirect count exceeded') });
      const keepBody = res.status === 307 || res.status === 308;
      const next = new URL(location, url);
      return doFetch(next, { method: keepBody ? req.method : 'GET', headers: req.headers, body: keepBody ? body : undefined, redirect: 'follow', signal: req.signal }, hops + 1);
    }
    return res;
  };

  function send(url: URL, method: string, headers: Record<string, string>, body: Buffer | undefined, signal: AbortSignal): Promise<Response> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const r = request(
        { host: '127.0.0.1', port, servername: url.hostname, ca: caPem, method, path: url.pathname + url.search, headers, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => reject(new TypeError('fetch failed', { cause: e })));
          res.on('end', () => {
            const h = new Headers();
            for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
            const status = res.statusCode ?? 500;
            const noBody = status === 204 || status === 304 || method === 'HEAD';
            const response = new Response(noBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers: h });
            Object.defineProperty(response, 'url', { value: url.toString() });
            resolve(response);
          });
        },
      );
      r.on('error', (e) => reject(signal.aborted ? signal.reason : new TypeError('fetch failed', { cause: e })));
      signal.addEventListener('abort', () => r.destroy(), { once: true });
      r.end(body);
    });
  }

  return doFetch as typeof fetch;
}
