import { once } from 'node:events';
import { connect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { patAuthorization } from '../../sandbox/testing';

let sandbox: Sandbox;
let auth: Record<string, string>;
const PROJECTS = 'https://dev.azure.com/fabrikam/_apis/projects?api-version=7.1';
const FAULTS = 'https://dev.azure.com/_sandbox/faults';

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  auth = { authorization: patAuthorization(sandbox.pats.fabrikam!) };
});
afterAll(() => sandbox?.close());
afterEach(async () => {
  await sandbox.fetch(FAULTS, { method: 'DELETE' });
});

async function addFault(spec: unknown): Promise<Response> {
  return sandbox.fetch(FAULTS, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) });
}

describe('faults on demand', () => {
  it('answers 429 with Retry-After, X-RateLimit-* and TF400733, for the given number of times', async () => {
    expect((await addFault({ match: { pathRegex: '/_apis/projects' }, status: 429, retryAfter: 7, times: 1 })).status).toBe(201);
    const limited = await sandbox.fetch(PROJECTS, { headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('x-ratelimit-resource')).toBe('Core');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    for (const h of ['x-ratelimit-delay', 'x-ratelimit-limit']) expect(limited.headers.get(h)).not.toBeNull();
    const body = (await limited.json()) as Record<string, unknown>;
    expect(body.message).toMatch(/^TF400733: The request has been canceled/);
    expect(body.typeKey).toBe('RequestBlockedException');
    expect((await sandbox.fetch(PROJECTS, { headers: auth })).status).toBe(200);
  });

  it('answers 503 and 500 until cleared, only for matching requests', async () => {
    await addFault({ match: { method: 'GET', host: 'dev.azure.com', pathRegex: '^/fabrikam/_apis/projects' }, status: 503, retryAfter: 2 });
    const res = await sandbox.fetch(PROJECTS, { headers: auth });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect((await sandbox.fetch(PROJECTS, { headers: auth })).status).toBe(503);
    expect((await sandbox.fetch('https://dev.azure.com/fabrikam/_apis/git/repositories?api-version=7.1', { headers: auth })).status).toBe(200);
    expect((await sandbox.fetch('https://app.vssps.visualstudio.com/_apis/profile/profiles/me?api-version=7.1', { headers: auth })).status).toBe(200);
    await sandbox.fetch(FAULTS, { method: 'DELETE' });
    expect((await sandbox.fetch(PROJECTS, { headers: auth })).status).toBe(200);
    await addFault({ match: { pathRegex: 'projects' }, status: 500, times: 1 });
    expect((await sandbox.fetch(PROJECTS, { headers: auth })).status).toBe(500);
    await addFault({ match: { pathRegex: 'projects' }, status: 403, times: 1 });
    const refused = await sandbox.fetch(PROJECTS, { headers: auth });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(/^Access Denied/);
  });

  it('answers a fault once the request body has arrived, as a server does', async () => {
    await addFault({ match: { method: 'POST', pathRegex: '/_apis/wit/wiql' }, status: 503, times: 1 });
    const socket = connect({ host: '127.0.0.1', port: sandbox.port, servername: 'dev.azure.com', ca: sandbox.caPem });
    await once(socket, 'secureConnect');
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    const half = 'x'.repeat(64 * 1024);
    const head = `POST /fabrikam/_apis/wit/wiql?api-version=7.1 HTTP/1.1\r\nhost: dev.azure.com\r\nauthorization: ${auth.authorization}\r\ncontent-type: application/json\r\ncontent-length: ${2 * half.length}\r\nconnection: close\r\n\r\n`;
    socket.write(head + half);
    await new Promise((r) => setTimeout(r, 300));
    expect(answer).toBe('');
    socket.end(half);
    await once(socket, 'end');
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
  });

  it('drops the connection', async () => {
    await addFault({ match: { pathRegex: 'projects' }, drop: true, times: 1 });
    await expect(sandbox.fetch(PROJECTS, { headers: auth })).rejects.toThrow('fetch failed');
    expect((await sandbox.fetch(PROJECTS, { headers: auth })).status).toBe(200);
  });

  it('holds a request without an answer until the client gives up', async () => {
    await addFault({ match: { pathRegex: 'projects' }, hang: true, times: 1 });
    const started = Date.now();
    await expect(sandbox.fetch(PROJECTS, { headers: auth, signal: AbortSignal.timeout(500) })).rejects.toThrow(/abort|timeout/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(490);
    expect((await sandbox.fetch(PROJECTS, { headers: auth })).status).toBe(200);
  });

  it('adds latency', async () => {
    await addFault({ match: { pathRegex: 'projects' }, latencyMs: 400, times: 1 });
    const started = Date.now();
    const res = await sandbox.fetch(PROJECTS, { headers: auth });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    const quick = Date.now();
    await sandbox.fetch(PROJECTS, { headers: auth });
    expect(Date.now() - quick).toBeLessThan(390);
    // The request then goes on to its route, body and all.
    await addFault({ match: { method: 'POST', pathRegex: '/_apis/wit/wiql' }, latencyMs: 100, times: 1 });
    const wiql = await sandbox.fetch('https://dev.azure.com/fabrikam/Platform/_apis/wit/wiql?api-version=7.1', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'SELECT [System.Id] FROM WorkItems' }),
      signal: AbortSignal.timeout(5000),
    });
    expect(wiql.status).toBe(200);
    expect(((await wiql.json()) as { workItems: unknown[] }).workItems.length).toBeGreaterThan(0);
  });

  it('lists the faults in force and refuses malformed ones', async () => {
    await addFault({ match: { pathRegex: 'x' }, status: 503 });
    const list = (await (await sandbox.fetch(FAULTS)).json()) as unknown[];
    expect(list).toHaveLength(1);
    for (const bad of [{ match: {} }, { match: { pathRegex: '(' }, status: 503 }, { status: 418 }, { status: 503, drop: true }, { status: 503, extra: 1 }]) {
      const res = await addFault(bad);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message.length).toBeGreaterThan(0);
    }
  });

  it('records faulted requests in the log', async () => {
    await addFault({ match: { pathRegex: 'git/repositories' }, status: 503, times: 1 });
    await sandbox.fetch('https://dev.azure.com/fabrikam/_apis/git/repositories?api-version=7.1', { headers: auth });
    const res = await sandbox.fetch('https://dev.azure.com/_sandbox/log');
    expect(res.headers.get('content-type')).toMatch(/ndjson/);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    const faulted = lines.filter((l) => l.fault);
    expect(faulted.at(-1)).toMatchObject({ status: 503, path: '/fabrikam/_apis/git/repositories?api-version=7.1' });
    expect(lines.every((l) => typeof l.ms === 'number' && typeof l.status === 'number')).toBe(true);
  });
});
