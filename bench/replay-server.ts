import { createServer, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '../sandbox/index';

interface Recorded {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface Replay {
  port: number;
  /** Every request it was sent, in order, with the status it was answered with. */
  requests: { method: string; path: string; status: number }[];
  /** How many were passed on to the sandbox (the first of each kind). */
  forwarded(): number;
  close(): Promise<void>;
}

/** Hop-by-hop headers, which describe the sandbox's connection, not the answer. */
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

/**
 * Stands between a benchmark's clients and the sandbox: the first request of each kind (method,
 * host, path and query, credentials, accepted encodings) goes to the sandbox, and its answer is
 * replayed, byte for byte, to every later one. The sandbox builds a 3,000-repository answer in
 * the benchmark's own process (~200 ms, varying ±25 ms from one request to the next); replayed,
 * a timed run costs the client and the transfer, the same for every client, and nothing else.
 * It answers for the sandbox's host names with the sandbox's own certificate.
 */
export async function startReplay(sandbox: Sandbox): Promise<Replay> {
  const recorded = new Map<string, Promise<Recorded>>();
  const requests: Replay['requests'] = [];
  const server = createServer({ cert: sandbox.leaf.certPem, key: sandbox.leaf.keyPem }, (req, res) => {
    const line = { method: req.method ?? 'GET', path: req.url ?? '/', status: 0 };
    requests.push(line);
    const key = [req.method, req.headers.host, req.url, req.headers.authorization, req.headers['accept-encoding']].join('\n');
    let answer = recorded.get(key);
    if (!answer) recorded.set(key, (answer = forward(sandbox, req)));
    else req.resume();
    answer.then(
      (a) => {
        line.status = a.status;
        res.writeHead(a.status, { ...a.headers, 'content-length': String(a.body.length) }).end(a.body);
      },
      (error: unknown) => {
        line.status = 502;
        res.writeHead(502, { 'content-type': 'text/plain' }).end(`replay: the sandbox did not answer: ${String(error)}`);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    forwarded: () => recorded.size,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function forward(sandbox: Sandbox, req: IncomingMessage): Promise<Recorded> {
  const host = req.headers.host ?? 'dev.azure.com';
  return new Promise((resolve, reject) => {
    const out = request({ host: '127.0.0.1', port: sandbox.port, servername: host.replace(/:\d+$/, ''), ca: sandbox.caPem, method: req.method, path: req.url, headers: req.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !HOP.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: res.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
      });
    });
    out.on('error', reject);
    req.pipe(out);
  });
}
