import { afterEach, describe, expect, it, vi } from 'vitest';
import { relayFetch, SESSION_FRESH_MS, sessionAnswered, sessionChecked } from '../../src/background/page-session';
import { answerPageFetches, pageFetch } from '../../src/content/page-fetch';
import { PAGE_SESSION } from '../../src/shared/ado/auth-header';
import { AdoError, createAdoClient } from '../../src/shared/ado/client';
import { PAGE_FETCH, type PageFetchAnswer, type PageFetchRequest } from '../../src/shared/page-fetch';
import { adoError, html, json, scriptedFetch, type Step } from './ado-fake-fetch';

/**
 * The page-session transport: a page of an organization without a profile reaches Azure DevOps
 * with its own signed-in session. The client sends no credential of ours, lets the browser send
 * the page's cookies, and turns refusals into sentences about the page's sign-in.
 */

const ORG = 'https://dev.azure.com/northwind';
const repo = { id: 'r1', name: 'Web', url: `${ORG}/_apis/git/repositories/r1`, project: { id: 'p1', name: 'Web' }, remoteUrl: `${ORG}/Web/_git/Web` };

function sessionClient(steps: Step[]) {
  const f = scriptedFetch(...steps);
  const client = createAdoClient({ orgBaseUrl: ORG, auth: async () => PAGE_SESSION, fetch: f.fetch, sleep: async () => undefined, random: () => 0.5 });
  return { client, ...f };
}

const limited = () => adoError(429, 'TF400733: The request has been canceled', 'RequestBlockedException', { 'Retry-After': '2' });

/** A content script that answers with `answer` and records what it was asked. */
function relay(answer: (m: PageFetchRequest) => PageFetchAnswer | Promise<PageFetchAnswer>) {
  const asked: PageFetchRequest[] = [];
  const fetch = relayFetch(async (m) => {
    asked.push(m);
    return answer(m);
  });
  return { fetch, asked };
}

const ask = (url: string, method = 'GET'): PageFetchRequest => ({ type: PAGE_FETCH, url, method, headers: { accept: 'application/json' } });

const ignored = () => undefined;

async function failure(p: Promise<unknown>): Promise<AdoError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(AdoError);
  return e as AdoError;
}

describe('the page-session transport', () => {
  it('sends no Authorization, includes the page’s cookies and asks as the web UI does', async () => {
    const { client, sent } = sessionClient([() => json(repo)]);
    await client.repository({ project: 'Web', repositoryId: 'r1' });
    const h = sent[0]!.headers;
    expect(h.has('authorization')).toBe(false);
    expect(h.get('accept')).toBe('application/json;api-version=7.1');
    // A read asks for the sign-in page, not a 401: the browser would answer a 401's Basic challenge with a password dialog.
    expect(h.has('x-tfs-fedauthredirect')).toBe(false);
    expect(sent[0]!.init.credentials).toBe('include');
    expect(sent[0]!.init.redirect).toBe('manual');
  });

  it('marks a write as the web UI does, which cookie writes need', async () => {
    const { client, sent } = sessionClient([() => json({ ...repo, id: 'f1' })]);
    await client.createFork({ projectId: 'p1', name: 'Web-fork', parentRepositoryId: 'r1', parentProjectId: 'p1' }).catch(() => undefined);
    expect(sent[0]!.init.method).toBe('POST');
    expect(sent[0]!.headers.get('x-tfs-fedauthredirect')).toBe('Suppress');
  });

  it.each([
    ['a 401', () => adoError(401, 'TF400813: Resource not available for anonymous access.', 'UnauthorizedRequestException')],
    ['a sign-in page (203)', () => html(203)],
    ['a redirect to sign in', () => new Response(null, { status: 302, headers: { location: 'https://login.microsoftonline.com/common/oauth2/authorize' } })],
  ])('says the page’s sign-in was not accepted after %s, never a token', async (_label, answer) => {
    const { client } = sessionClient([answer]);
    const e = await failure(client.repository({ project: 'Web', repositoryId: 'r1' }));
    expect(['unauthorized', 'signInPage']).toContain(e.kind);
    expect(e.userMessage).toContain("did not accept this page's sign-in");
    expect(e.userMessage).toContain('Reload the page');
    expect(e.userMessage).not.toMatch(/token/i);
  });

  it('names no token scope when the session may not do something (403)', async () => {
    const { client } = sessionClient([() => adoError(403, 'TF401027: You need the Git ‘CreateRepository’ permission to perform this action.', 'GitNeedsPermissionException')]);
    const e = await failure(client.createFork({ projectId: 'p1', name: 'Web-fork', parentRepositoryId: 'r1', parentProjectId: 'p1' }));
    expect(e.kind).toBe('forbidden');
    expect(e.userMessage).toContain('did not allow you to');
    expect(e.userMessage).not.toMatch(/token|scope/i);
  });

  it('waits out a 429 and retries a failing GET, like any other caller', async () => {
    const { client, sent } = sessionClient([limited, () => new Response('', { status: 503 }), () => json(repo)]);
    expect((await client.repository({ project: 'Web', repositoryId: 'r1' })).id).toBe('r1');
    expect(sent).toHaveLength(3);
    const down = sessionClient([() => new Response('', { status: 500 }), () => new Response('', { status: 500 }), () => new Response('', { status: 500 })]);
    const e = await failure(down.client.repository({ project: 'Web', repositoryId: 'r1' }));
    expect(e.kind).toBe('server');
    expect(e.userMessage).toContain('Azure DevOps had a problem');
  });
});

const paths = (sent: { method: string; url: URL }[]) => sent.map((r) => `${r.method} ${r.url.pathname}`);

describe('a write through a page’s session', () => {
  const fork = { projectId: 'p1', name: 'Web-fork', parentRepositoryId: 'r1', parentProjectId: 'p1' };
  let tab = 0;
  /** A client whose session checks run on a clock the test moves; each test is another tab. */
  function checkedClient(steps: Step[]) {
    const f = scriptedFetch(...steps);
    const clock = { now: 1_000_000 };
    const fetch = sessionChecked(f.fetch, `${++tab}|${ORG}`, ORG, () => clock.now);
    const client = createAdoClient({ orgBaseUrl: ORG, auth: async () => PAGE_SESSION, fetch, sleep: async () => undefined, random: () => 0.5 });
    return { client, clock, ...f };
  }

  it('is not sent when the session no longer signs in: the sign-in page of a read answers it', async () => {
    const { client, sent } = checkedClient([() => html(203)]);
    const e = await failure(client.createFork(fork));
    expect(e.kind).toBe('signInPage');
    expect(e.userMessage).toContain("did not accept this page's sign-in");
    expect(paths(sent)).toEqual(['GET /northwind/_apis/connectionData']);
    // The check asks for the sign-in page, not for the 401 whose challenge opens a password dialog.
    expect(sent[0]!.headers.has('x-tfs-fedauthredirect')).toBe(false);
  });

  it('is sent after a check that signs in, and not checked again while the session answered moments ago', async () => {
    const { client, sent, clock } = checkedClient([() => json({ instanceId: 'i' }), () => json({ ...repo, id: 'f1' }), () => json({ ...repo, id: 'f2' }), () => json({ instanceId: 'i' }), () => json({ ...repo, id: 'f3' })]);
    await client.createFork(fork);
    clock.now += SESSION_FRESH_MS - 1;
    await client.createFork(fork);
    clock.now += SESSION_FRESH_MS;
    await client.createFork(fork);
    expect(paths(sent)).toEqual([
      'GET /northwind/_apis/connectionData',
      'POST /northwind/p1/_apis/git/repositories',
      'POST /northwind/p1/_apis/git/repositories',
      'GET /northwind/_apis/connectionData',
      'POST /northwind/p1/_apis/git/repositories',
    ]);
  });

  it('is not checked right after a read the session answered; a read is never checked', async () => {
    const { client, sent } = checkedClient([() => json(repo), () => json({ ...repo, id: 'f1' })]);
    await client.repository({ project: 'Web', repositoryId: 'r1' });
    await client.createFork(fork);
    expect(paths(sent)).toEqual(['GET /northwind/Web/_apis/git/repositories/r1', 'POST /northwind/p1/_apis/git/repositories']);
  });

  it('goes ahead when the check fails for another reason, which the write meets on its own', async () => {
    const { client, sent } = checkedClient([() => new Response('', { status: 500 }), () => json({ ...repo, id: 'f1' })]);
    expect((await client.createFork(fork)).id).toBe('f1');
    expect(paths(sent)).toEqual(['GET /northwind/_apis/connectionData', 'POST /northwind/p1/_apis/git/repositories']);
  });
});

describe('the sessions remembered as having answered', () => {
  it('drop one whose answer is too old to spare a check, so closed tabs do not pile up', async () => {
    const clock = { now: 5_000_000 };
    const read = (key: string) => sessionChecked(async () => json({ instanceId: 'i' }), key, ORG, () => clock.now)(`${ORG}/_apis/projects`);
    await read(`closed|${ORG}`);
    clock.now += SESSION_FRESH_MS - 1;
    await read(`other|${ORG}`);
    // Still fresh: it would still spare a write its check.
    expect(sessionAnswered.has(`closed|${ORG}`)).toBe(true);
    clock.now += 1;
    await read(`open|${ORG}`);
    expect(sessionAnswered.has(`closed|${ORG}`)).toBe(false);
    expect([...sessionAnswered.keys()]).toEqual(expect.arrayContaining([`other|${ORG}`, `open|${ORG}`]));
  });
});

describe('relaying through the content script', () => {
  it('hands the request over whole and rebuilds the answer', async () => {
    const { fetch, asked } = relay(() => ({ status: 200, headers: [['content-type', 'application/json'], ['x-ms-continuationtoken', 'next']], text: JSON.stringify(repo) }));
    const client = createAdoClient({ orgBaseUrl: ORG, auth: async () => PAGE_SESSION, fetch });
    await client.createFork({ projectId: 'p1', name: 'Web-fork', parentRepositoryId: 'r1', parentProjectId: 'p1' });
    expect(asked[0]).toMatchObject({ type: PAGE_FETCH, method: 'POST', url: `${ORG}/p1/_apis/git/repositories?api-version=7.1` });
    expect(asked[0]!.headers).not.toHaveProperty('authorization');
    expect(JSON.parse(asked[0]!.body!)).toMatchObject({ name: 'Web-fork', parentRepository: { id: 'r1' } });
    const res = await fetch(`${ORG}/_apis/projects`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ms-continuationtoken')).toBe('next');
  });

  it('keeps an empty answer empty and a refusal a refusal', async () => {
    expect((await relay(() => ({ status: 204, headers: [], text: '' })).fetch(ORG)).status).toBe(204);
    const { fetch } = relay(() => ({ status: 401, headers: [['content-type', 'application/json']], text: JSON.stringify({ message: 'TF400813: anonymous' }) }));
    const e = await failure(createAdoClient({ orgBaseUrl: ORG, auth: async () => PAGE_SESSION, fetch }).projects());
    expect(e.kind).toBe('unauthorized');
  });

  it('turns a page that cannot answer into a network failure, and stops waiting when cancelled', async () => {
    const gone = relay(() => ({ error: 'Only https://dev.azure.com is reached with this page’s sign-in.' }));
    const client = createAdoClient({ orgBaseUrl: ORG, auth: async () => PAGE_SESSION, fetch: gone.fetch, sleep: async () => undefined });
    expect((await failure(client.projects())).kind).toBe('network');
    const silent = relay(() => new Promise<PageFetchAnswer>(() => undefined));
    const ctl = new AbortController();
    const pending = silent.fetch(ORG, { signal: ctl.signal });
    ctl.abort();
    await expect(pending).rejects.toThrow(/abort/i);
  });
});

describe('the content script’s side', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('calls only its own origin, with the page’s cookies and no redirects followed', async () => {
    vi.stubGlobal('location', new URL('https://dev.azure.com/northwind/Web/_git/Web'));
    const calls: [string, RequestInit][] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push([url, init]);
      return json({ count: 0, value: [] });
    });
    expect(await pageFetch(ask('https://vssps.dev.azure.com/northwind/_apis/identities'))).toMatchObject({ error: expect.stringContaining('https://dev.azure.com') });
    expect(await pageFetch(ask('https://evil.example/steal'))).toHaveProperty('error');
    expect(calls).toHaveLength(0);
    const answer = await pageFetch(ask(`${ORG}/_apis/projects?api-version=7.1`));
    expect(answer).toMatchObject({ status: 200, text: '{"count":0,"value":[]}' });
    expect(calls[0]![1]).toMatchObject({ method: 'GET', credentials: 'include', redirect: 'manual' });
  });

  it('reports a hidden redirect (a sign-in) as 302 and a failed call as an error', async () => {
    vi.stubGlobal('location', new URL('https://dev.azure.com/northwind/'));
    vi.stubGlobal('fetch', async () => ({ type: 'opaqueredirect', status: 0, headers: new Headers(), text: async () => '' }) as unknown as Response);
    expect(await pageFetch(ask(`${ORG}/_apis/projects`))).toEqual({ status: 302, headers: [], text: '' });
    vi.stubGlobal('fetch', async () => Promise.reject(new TypeError('Failed to fetch')));
    expect(await pageFetch(ask(`${ORG}/_apis/projects`))).toEqual({ error: 'Failed to fetch' });
  });

  it('answers only its own extension’s background, never another extension or a content script', async () => {
    vi.stubGlobal('location', new URL('https://dev.azure.com/northwind/'));
    let calls = 0;
    vi.stubGlobal('fetch', async () => {
      calls++;
      return json({});
    });
    type Listener = (m: unknown, sender: chrome.runtime.MessageSender, reply: (a: unknown) => void) => boolean;
    let listener: Listener | undefined;
    const runtime = { id: 'ours', onMessage: { addListener: (l: Listener) => (listener = l) } } as unknown as typeof chrome.runtime;
    answerPageFetches(runtime);
    const message = ask(`${ORG}/_apis/projects`);
    expect(listener!(message, { id: 'other' }, ignored)).toBe(false);
    expect(listener!(message, { id: 'ours', tab: { id: 2 } as chrome.tabs.Tab }, ignored)).toBe(false);
    expect(listener!({ type: 'something.else' }, { id: 'ours' }, ignored)).toBe(false);
    expect(calls).toBe(0);
    const answered = new Promise((resolve) => expect(listener!(message, { id: 'ours' }, resolve)).toBe(true));
    expect(await answered).toMatchObject({ status: 200 });
    expect(calls).toBe(1);
  });
});
