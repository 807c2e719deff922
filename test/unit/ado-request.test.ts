import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdoError, basicAuthHeader, createAdoClient, type AdoClientOptions } from '../../src/shared/ado/client';
import { forgetServerErrors } from '../../src/shared/ado/request';
import { adoError, hang, html, json, networkFailure, scriptedFetch, type Step } from './ado-fake-fetch';

beforeEach(forgetServerErrors);

const PAT = 'abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst';
const ORG = 'https://dev.azure.com/fabrikam';
const repo = { id: 'r1', name: 'Repo', url: `${ORG}/_apis/git/repositories/r1`, project: { id: 'p1', name: 'P' }, remoteUrl: `${ORG}/P/_git/Repo` };
const pr = {
  pullRequestId: 7,
  status: 'active',
  title: 'T',
  sourceRefName: 'refs/heads/a',
  targetRefName: 'refs/heads/main',
  creationDate: '2026-01-01T00:00:00Z',
  createdBy: { id: 'u1', displayName: 'U' },
  repository: { id: 'r1', name: 'Repo' },
};
const prRef = { project: 'P', repositoryId: 'r1', pullRequestId: 7 };
const newPr = { sourceRefName: 'a', targetRefName: 'main', title: 'T' };

const page = (names: string[], token?: string) => () =>
  json({ count: names.length, value: names.map((n) => ({ id: n, name: n })) }, 200, token ? { 'x-ms-continuationtoken': token } : {});
const limited = () => adoError(429, 'TF400733', 'X', { 'Retry-After': '1' });
const bad = () => new Response('', { status: 502 });
const unavailable = () => new Response('', { status: 503 });
const login = () => new Response(null, { status: 302, headers: { location: 'https://login.microsoftonline.com/common/oauth2/authorize?client_id=x' } });
const signin = () => new Response(null, { status: 302, headers: { location: '/_signin?realm=dev.azure.com' } });
const elsewhere = () => new Response(null, { status: 301, headers: { location: 'https://other.example/fabrikam' } });
const anonymous = () => adoError(401, 'TF400813: Resource not available for anonymous access. Client authentication required.', 'UnauthorizedRequestException');
const nobody = () => adoError(401, "TF400813: The user '' is not authorized to access this resource.", 'UnauthorizedRequestException');
/** An Azure DevOps Server's refusal of an api-version newer than it speaks. */
const outOfRange = (requested: string, latest: string) => () =>
  adoError(400, `The requested REST API version of ${requested} is out of range for this server. The latest REST API version this server supports is ${latest}.`, 'VssVersionOutOfRangeException');
/** Another release's words for it, and only the header to carry them. */
const outOfRangeHeader = () =>
  new Response('', { status: 400, headers: { 'X-TFS-ServiceError': encodeURIComponent('The requested REST API version of "6.1" is out of the valid range for this server. The latest REST API version supported by this server is 5.1') } });
const opaque = () => ({ type: 'opaqueredirect', status: 0, headers: new Headers(), text: async () => '' }) as unknown as Response;

/** A client on a clock that moves only as it sleeps, recording each wait. */
function setup(steps: Step[], extra: Partial<AdoClientOptions> = {}) {
  const f = scriptedFetch(...steps);
  const waits: number[] = [];
  let clock = Date.parse('2026-03-01T10:00:00Z');
  const client = createAdoClient({
    orgBaseUrl: ORG,
    auth: async () => basicAuthHeader(PAT),
    fetch: f.fetch,
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    random: () => 0.5,
    ...extra,
  });
  const tick = (ms: number) => (clock += ms);
  return { client, waits, tick, ...f };
}

async function failure(p: Promise<unknown>): Promise<AdoError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AdoError);
  return e as AdoError;
}

describe('request basics', () => {
  it('sends the credential, JSON accept, FedAuth suppression; no cookies, no redirects followed', async () => {
    const { client, sent } = setup([() => json({ count: 1, value: [repo] })]);
    await client.repositories();
    const h = sent[0]!.headers;
    expect(h.get('authorization')).toBe(`Basic ${btoa(`:${PAT}`)}`);
    expect(h.get('accept')).toBe('application/json');
    expect(h.get('x-tfs-fedauthredirect')).toBe('Suppress');
    expect(sent[0]!.init.redirect).toBe('manual');
    expect(sent[0]!.init.credentials).toBe('omit');
    expect(sent[0]!.url.searchParams.get('api-version')).toBe('7.1');
  });

  it('follows x-ms-continuationtoken across three pages', async () => {
    const { client, sent } = setup([page(['a', 'b'], 'tok1'), page(['c', 'd'], 'tok2'), page(['e'])]);
    const projects = await client.projects({ pageSize: 2 });
    expect(projects.map((p) => p.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(sent.map((r) => r.url.searchParams.get('continuationToken'))).toEqual([null, 'tok1', 'tok2']);
    expect(sent.every((r) => r.url.searchParams.get('$top') === '2')).toBe(true);
  });
});

describe('rate limits and retries', () => {
  it('waits the Retry-After of a 429 (TF400733), even for a POST, then succeeds', async () => {
    const { client, waits, sent } = setup([
      () => adoError(429, 'TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource', 'RequestBlockedException', { 'Retry-After': '7' }),
      () => json(pr, 201),
    ]);
    const created = await client.createPullRequest({ project: 'P', repositoryId: 'r1' }, newPr);
    expect(created.pullRequestId).toBe(7);
    expect(waits).toEqual([7000]);
    expect(sent).toHaveLength(2);
  });

  it('gives up at once when Retry-After exceeds the cap, carrying the wait', async () => {
    const { client, waits, sent } = setup([() => adoError(429, 'TF400733: blocked', 'RequestBlockedException', { 'Retry-After': '120' })]);
    const e = await failure(client.repositories());
    expect(e.kind).toBe('rateLimited');
    expect(e.retryAfterSeconds).toBe(120);
    expect(e.userMessage).toMatch(/TF400733.*about 2 minutes/);
    expect(waits).toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it('reads an HTTP-date Retry-After against the injected clock', async () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    const { client, waits } = setup(
      [() => adoError(429, 'TF400733', 'X', { 'Retry-After': 'Sun, 01 Mar 2026 10:00:05 GMT' }), () => json({ value: [] })],
      { now: () => now },
    );
    await client.repositories();
    expect(waits).toEqual([5000]);
  });

  it('stops after three attempts of 429', async () => {
    const { client, waits, sent } = setup([limited, limited, limited]);
    const e = await failure(client.repositories());
    expect(e.kind).toBe('rateLimited');
    expect(sent).toHaveLength(3);
    expect(waits).toEqual([1000, 1000]);
  });

  it('fails at once, with the wait, a request to the origin held longer than the client waits; later, waits out the rest', async () => {
    const { client, sent, waits, tick } = setup([() => adoError(429, 'TF400733', 'X', { 'Retry-After': '120' }), () => json({ count: 0, value: [] })]);
    expect((await failure(client.repositories())).retryAfterSeconds).toBe(120);
    const e = await failure(client.projects());
    expect(e.kind).toBe('rateLimited');
    expect(e.userMessage).toMatch(/TF400733.*about 2 minutes/);
    expect(sent).toHaveLength(1);
    // Within the client's patience (60 s) the rest is waited out, then the request goes.
    tick(61_000);
    await client.projects();
    expect(waits).toEqual([59_000]);
    expect(sent).toHaveLength(2);
  });

  it('retries a GET on 503 with backoff and honours Retry-After on 503', async () => {
    const { client, waits, sent } = setup([
      () => new Response('busy', { status: 503 }),
      () => new Response('busy', { status: 503, headers: { 'Retry-After': '2' } }),
      () => json({ value: [repo] }),
    ]);
    expect(await client.repositories()).toHaveLength(1);
    expect(sent).toHaveLength(3);
    // attempt 1: ceiling 500 ms, equal jitter with random 0.5 → 375 ms; then Retry-After 2 s.
    expect(waits).toEqual([375, 2000]);
  });

  it('does not retry a POST on 503 (it may have been processed)', async () => {
    const { client, sent, waits } = setup([() => new Response('', { status: 503 })]);
    const e = await failure(client.createPullRequest({ project: 'P', repositoryId: 'r1' }, newPr));
    expect(e.kind).toBe('server');
    expect(e.status).toBe(503);
    expect(sent).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('gives up a GET after three 5xx answers', async () => {
    const { client, sent, waits } = setup([bad, bad, bad]);
    const e = await failure(client.repositories());
    expect(e.kind).toBe('server');
    expect(sent).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[1]).toBeGreaterThan(waits[0]!);
  });

  it('does not retry 500s other than 500/502/503/504', async () => {
    const { client, sent } = setup([() => new Response('', { status: 501 })]);
    expect((await failure(client.repositories())).kind).toBe('server');
    expect(sent).toHaveLength(1);
  });

  it('retries a network error for GET, not for POST', async () => {
    const get = setup([networkFailure, () => json({ value: [] })]);
    expect(await get.client.repositories()).toEqual([]);
    expect(get.sent).toHaveLength(2);

    const post = setup([networkFailure]);
    const e = await failure(post.client.createRepository({ projectId: 'p1', name: 'New' }));
    expect(e.kind).toBe('network');
    expect(e.userMessage).toContain('dev.azure.com');
    expect(post.sent).toHaveLength(1);
  });

  it("tells a failure after 5xx answers as Azure DevOps' problem: Chromium holds back such requests, and fetch fails as if offline", async () => {
    // Another call's 503s, then this one's attempts are refused by the browser before they leave.
    const earlier = setup([unavailable, unavailable, unavailable]);
    await failure(earlier.client.repositories());
    const later = setup([networkFailure, networkFailure, networkFailure]);
    const e = await failure(later.client.repositories());
    expect(e.kind).toBe('server');
    expect(e.userMessage).toContain('Azure DevOps had a problem and could not list repositories (HTTP 503)');
    expect(e.userMessage).not.toContain('internet connection');
    // Once the path answers again, a lost connection is told as one.
    await setup([() => json({ value: [] })]).client.repositories();
    expect((await failure(setup([networkFailure, networkFailure, networkFailure]).client.repositories())).kind).toBe('network');
  });

  it('retries the idempotent reviewer PUT on 503 but not the DELETE', async () => {
    const reviewer = { id: 'u2', displayName: 'R', vote: 0 };
    const put = setup([() => new Response('', { status: 503 }), () => json(reviewer)]);
    expect((await put.client.addReviewer(prRef, 'u2')).vote).toBe(0);
    expect(put.sent.map((r) => r.method)).toEqual(['PUT', 'PUT']);

    const del = setup([() => new Response('', { status: 503 })]);
    expect((await failure(del.client.removeReviewer(prRef, 'u2'))).kind).toBe('server');
    expect(del.sent).toHaveLength(1);
  });

  it("blames the connection for Microsoft's hosts, and names a company's own server to check", async () => {
    expect((await failure(setup([networkFailure, networkFailure, networkFailure]).client.repositories())).userMessage).toBe(
      'Could not reach Azure DevOps at dev.azure.com to list repositories. Check your internet connection (or VPN) and try again.',
    );
    const onprem = setup([networkFailure, networkFailure, networkFailure], { orgBaseUrl: 'https://tfs.fabrikam.test:8080/tfs/DefaultCollection' });
    expect((await failure(onprem.client.repositories())).userMessage).toBe(
      'Could not reach the server tfs.fabrikam.test:8080 to list repositories. Check that this computer can reach it (on your company’s network, or through its VPN) and try again.',
    );
  });

  it('gives up on an attempt that took too long at once when the client is told not to try again', async () => {
    const { client, sent } = setup([hang, () => json({ value: [] })], { timeoutMs: 30, retryTimeouts: false });
    const e = await failure(client.repositories());
    expect(e.kind).toBe('network');
    // Silence is told apart from a failed connection: the host is there, so its address is not the suspect.
    expect(e.userMessage).toBe('Azure DevOps did not answer within 1 s when asked to list repositories. It may be busy or stuck: try again in a few minutes.');
    expect(sent).toHaveLength(1);
  });

  it('counts an attempt that takes too long as a network failure and retries it', async () => {
    const { client, sent } = setup([hang, () => json({ value: [] })], { timeoutMs: 30 });
    expect(await client.repositories()).toEqual([]);
    expect(sent).toHaveLength(2);
  });
});

/** What onWait was told, with `until` made relative to the clock at the start. */
function told(extra: Partial<AdoClientOptions> = {}) {
  const start = Date.parse('2026-03-01T10:00:00Z');
  const waits: { in: number; kind: string; retryAfterSeconds: number | undefined; host: string | undefined }[] = [];
  return {
    waits,
    extra: {
      onWait: (w) => w && waits.push({ in: w.until - start, kind: w.error.kind, retryAfterSeconds: w.error.retryAfterSeconds, host: w.host }),
      ...extra,
    } satisfies Partial<AdoClientOptions>,
  };
}

describe('telling the asker why a request waits', () => {
  it("says before waiting out a 429's Retry-After: until when, and the 429 it waits out", async () => {
    const t = told();
    const { client, waits } = setup([() => adoError(429, 'TF400733', 'X', { 'Retry-After': '30' }), () => json({ count: 0, value: [] })], t.extra);
    await client.repositories();
    expect(waits).toEqual([30_000]);
    expect(t.waits).toEqual([{ in: 30_000, kind: 'rateLimited', retryAfterSeconds: 30, host: 'dev.azure.com' }]);
  });

  it('says before each retry after a network failure or a server error, with the backoff it waits', async () => {
    const t = told();
    const { client, waits } = setup([networkFailure, bad, () => json({ count: 0, value: [] })], t.extra);
    await client.repositories();
    expect(waits).toEqual([375, 750]);
    expect(t.waits).toEqual([
      { in: 375, kind: 'network', retryAfterSeconds: undefined, host: 'dev.azure.com' },
      { in: 375 + 750, kind: 'server', retryAfterSeconds: undefined, host: 'dev.azure.com' },
    ]);
  });

  it("a request held by another's 429 says so too; one that goes at once or gives up at once says nothing", async () => {
    const t = told();
    const first = setup([() => adoError(429, 'TF400733', 'X', { 'Retry-After': '120' })], t.extra);
    expect((await failure(first.client.repositories())).retryAfterSeconds).toBe(120);
    // Held beyond the client's patience: fails at once, nothing to wait for.
    expect((await failure(first.client.projects())).kind).toBe('rateLimited');
    expect(t.waits).toEqual([]);
    first.tick(100_000);
    const held = setup([() => json({ count: 0, value: [] })], { ...t.extra, now: () => Date.parse('2026-03-01T10:00:00Z') + 100_000 });
    await held.client.projects();
    expect(t.waits).toEqual([{ in: 120_000, kind: 'rateLimited', retryAfterSeconds: 20, host: 'dev.azure.com' }]);
  });
});

/** An answer that comes after `ms`. */
const late = (ms: number) => () => new Promise<Response>((resolve) => setTimeout(() => resolve(json({ count: 0, value: [] })), ms));

describe('telling the asker of an answer that is slow to come', () => {
  const start = Date.parse('2026-03-01T10:00:00Z');

  it('says when an attempt has had no answer for slowAfterMs, until its timeout, and that the wait is over when the answer comes', async () => {
    const heard: unknown[] = [];
    const onWait: AdoClientOptions['onWait'] = (w) =>
      heard.push(w && { in: w.until - start, sent: w.sent, kind: w.error.kind, message: w.error.userMessage, host: w.host });
    const { client } = setup([late(80)], { onWait, slowAfterMs: 20, timeoutMs: 5_000 });
    expect(await client.repositories()).toEqual([]);
    expect(heard).toEqual([
      {
        in: 5_000,
        sent: start,
        kind: 'network',
        message: 'Azure DevOps did not answer within 1 s when asked to list repositories. It may be busy or stuck: try again in a few minutes.',
        host: 'dev.azure.com',
      },
      undefined,
    ]);
  });

  it('says nothing of an answer that comes before slowAfterMs', async () => {
    const heard: unknown[] = [];
    const { client } = setup([late(5)], { onWait: (w) => heard.push(w), slowAfterMs: 200 });
    await client.repositories();
    expect(heard).toEqual([]);
  });
});

describe('sign-in pages and credentials', () => {
  it('treats 203 with an HTML sign-in page as a sign-in page', async () => {
    const e = await failure(setup([() => html(203)]).client.repositories());
    expect(e.kind).toBe('signInPage');
    expect(e.userMessage).toMatch(/sign-in page.*personal access token/);
  });

  it('treats an HTML body where JSON was expected as a sign-in page', async () => {
    expect((await failure(setup([() => html(200)]).client.repositories())).kind).toBe('signInPage');
  });

  it('treats a 302 to a sign-in host as a sign-in page, and another redirect as unexpected', async () => {
    expect((await failure(setup([login]).client.repositories())).kind).toBe('signInPage');
    expect((await failure(setup([signin]).client.repositories())).kind).toBe('signInPage');
    const e = await failure(setup([elsewhere]).client.repositories());
    expect(e.kind).toBe('invalidResponse');
    expect(e.userMessage).toContain('other.example');
  });

  it("treats a browser's opaque redirect as a sign-in page", async () => {
    expect((await failure(setup([opaque]).client.repositories())).kind).toBe('signInPage');
  });

  it('on 401 asks onUnauthorized once, then retries with the new credential', async () => {
    let token = 'old-token';
    const onUnauthorized = vi.fn(async () => {
      token = 'new-token';
      return true;
    });
    const { client, sent, waits } = setup([() => new Response('', { status: 401 }), () => json({ value: [repo] })], {
      auth: async () => ({ scheme: 'Bearer', value: token }),
      onUnauthorized,
    });
    expect(await client.repositories()).toHaveLength(1);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(sent.map((r) => r.headers.get('authorization'))).toEqual(['Bearer old-token', 'Bearer new-token']);
    expect(waits).toEqual([]);
  });

  it('fails as unauthorized when the retry after refresh is refused too, or refresh says no', async () => {
    const onUnauthorized = vi.fn(async () => true);
    const twice = setup([() => new Response('', { status: 401 }), () => new Response('', { status: 401 })], { onUnauthorized });
    const e = await failure(twice.client.repositories());
    expect(e.kind).toBe('unauthorized');
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(e.userMessage).toBe(
      'Your personal access token was rejected: it may be expired or revoked. Create a new one on Azure DevOps (User settings › Personal access tokens), then update the token in Options.',
    );

    const no = setup([() => new Response('', { status: 401 })], { onUnauthorized: async () => false });
    expect((await failure(no.client.repositories())).kind).toBe('unauthorized');
    expect(no.sent).toHaveLength(1);
  });

  it('recognises TF400813 with an OAuth token as third-party OAuth turned off (no refresh)', async () => {
    const onUnauthorized = vi.fn(async () => true);
    const { client } = setup(
      [() => adoError(401, "TF400813: The user 'aad.abc' is not authorized to access this resource.", 'UnauthorizedRequestException')],
      { auth: async () => ({ scheme: 'Bearer', value: 'eyJ0' }), onUnauthorized },
    );
    const e = await failure(client.repositories());
    expect(e.kind).toBe('oauthDisabled');
    expect(e.status).toBe(401);
    expect(e.typeKey).toBe('UnauthorizedRequestException');
    expect(e.adoMessage).toContain('TF400813');
    expect(e.userMessage).toContain('Organization settings › Policies › Third-party application access via OAuth');
    expect(e.userMessage).toContain('personal access token');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('reads TF400813 with a PAT as a missing scope, naming the scope the call needs', async () => {
    const { client } = setup([() => adoError(401, "TF400813: The user 'x' is not authorized to access this resource.", 'UnauthorizedRequestException')]);
    const e = await failure(client.createPullRequest({ project: 'P', repositoryId: 'r1' }, newPr));
    expect(e.kind).toBe('forbidden');
    expect(e.userMessage).toMatch(/^This token lacks the scope Code \(Read & write\) needed to create the pull request\./);
  });

  it('reads TF400813 for an anonymous caller as a credential not accepted: a PAT rejected, a sign-in refreshed', async () => {
    const e = await failure(setup([anonymous]).client.createPullRequest({ project: 'P', repositoryId: 'r1' }, newPr));
    expect(e.kind).toBe('unauthorized');
    expect(e.userMessage).toMatch(/^Your personal access token was rejected/);

    const onUnauthorized = vi.fn(async () => true);
    const { client, sent } = setup([nobody, () => json({ count: 1, value: [repo] })], { auth: async () => ({ scheme: 'Bearer', value: 'eyJ0' }), onUnauthorized });
    expect(await client.repositories()).toHaveLength(1);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(sent).toHaveLength(2);
  });

  it('names the scope Azure DevOps names in a 403', async () => {
    const { client } = setup([
      () => adoError(403, "Access denied: the personal access token used has expired or doesn't include the scope 'vso.code_manage'.", 'InvalidAccessException'),
    ]);
    const e = await failure(client.createRepository({ projectId: 'p1', name: 'New' }));
    expect(e.kind).toBe('forbidden');
    expect(e.userMessage).toContain('This token lacks the scope Code (Read, write, & manage)');
  });

  it('reports a permission 403 with Azure DevOps’ words', async () => {
    const msg = "TF401027: You need the Git 'PullRequestContribute' permission to perform this action.";
    const e = await failure(setup([() => adoError(403, msg, 'GitNeedsPermissionException')]).client.addReviewers(prRef, ['u2']));
    expect(e.kind).toBe('forbidden');
    expect(e.userMessage).toContain(msg);
    expect(e.userMessage).toContain('permission');
  });

  it('fails as unauthorized when auth() cannot give a credential', async () => {
    const { client, sent } = setup([], { auth: async () => Promise.reject(new Error('no token stored')) });
    expect((await failure(client.repositories())).kind).toBe('unauthorized');
    expect(sent).toHaveLength(0);
  });

  it('never lets the token into an error, even when Azure DevOps echoes it', async () => {
    const encoded = btoa(`:${PAT}`);
    const { client } = setup([() => adoError(400, `Bad value ${PAT} in header Basic ${encoded}`, 'ArgumentException')]);
    const e = await failure(client.repositories());
    expect(e.kind).toBe('badRequest');
    const everything = JSON.stringify({ ...e, message: e.message, userMessage: e.userMessage, adoMessage: e.adoMessage });
    expect(everything).not.toContain(PAT);
    expect(everything).not.toContain(encoded);
    expect(e.adoMessage).toContain('[redacted]');
  });
});

describe('error kinds', () => {
  it('maps 404, 409 and TF400948 answers', async () => {
    expect((await failure(setup([() => adoError(404, 'TF401019: not found', 'GitRepositoryNotFoundException')]).client.repository({ project: 'P', repositoryId: 'x' }))).kind).toBe('notFound');
    const exists = "TF400948: A Git repository with the name New already exists.";
    const conflict = await failure(setup([() => adoError(409, exists, 'GitRepositoryNameAlreadyExistsException')]).client.createRepository({ projectId: 'p1', name: 'New' }));
    expect(conflict.kind).toBe('conflict');
    expect(conflict.userMessage).toBe('A repository with this name already exists in the project. Choose another name.');
    expect((await failure(setup([() => adoError(400, exists, 'X')]).client.createRepository({ projectId: 'p1', name: 'New' }))).kind).toBe('conflict');
  });

  it('says a server older than the api-version in use is so, with the way on: the token entered again checks the version afresh', async () => {
    const e = await failure(setup([outOfRange('7.1', '7.0')]).client.repositories());
    expect(e.kind).toBe('serverTooOld');
    expect(e.userMessage).toContain('older than this profile expects: it supports the REST API up to version 7.0, and the profile asks for version 7.1');
    expect(e.userMessage).toContain('Enter the profile’s token again in Options › Profiles');
    expect(e.userMessage).not.toMatch(/refused/);
    const other = await failure(setup([outOfRangeHeader]).client.repositories());
    expect(other.kind).toBe('serverTooOld');
    expect(other.userMessage).toContain('up to version 5.1, and the profile asks for version 6.1');
  });

  it('says a server older than any version the extension speaks (below 5.0) is not supported', async () => {
    const e = await failure(setup([outOfRange('5.0', '4.1')]).client.repositories());
    expect(e.kind).toBe('serverTooOld');
    expect(e.userMessage).toBe(
      'This server is too old for Azure DevOps Companion: it supports the REST API up to version 4.1, and the extension needs 5.0 or newer (Azure DevOps Server 2019 or later). Team Foundation Server 2018 and older are not supported.',
    );
  });

  it('reads the message from X-TFS-ServiceError when the body has none', async () => {
    const { client } = setup([() => new Response('', { status: 400, headers: { 'X-TFS-ServiceError': encodeURIComponent('TF200016: The project does not exist.') } })]);
    const e = await failure(client.repositories('Nope'));
    expect(e.kind).toBe('badRequest');
    expect(e.adoMessage).toBe('TF200016: The project does not exist.');
  });

  it('reads a 401 whose body is an HTML page (on-prem) through X-TFS-ServiceError, in the encodings servers use', async () => {
    // TFS 2017's form style (microsoft/azure-repos-vscode#246) and today's (microsoft/azure-pipelines-agent#5616).
    const headers = [
      'TF400813%3a+The+user+%27FABRIKAM%5cada%27+is+not+authorized+to+access+this+resource.',
      'TF400813%3A%20The%20user%20%27FABRIKAM%5Cada%27%20is%20not%20authorized%20to%20access%20this%20resource.',
    ];
    for (const header of headers) {
      const e = await failure(setup([() => html(401, { 'X-TFS-ServiceError': header })]).client.createPullRequest({ project: 'P', repositoryId: 'r1' }, newPr));
      expect(e.adoMessage).toBe("TF400813: The user 'FABRIKAM\\ada' is not authorized to access this resource.");
      // A named user refused is a missing scope for a PAT, as in a JSON body: the page alone would not say so.
      expect(e.kind).toBe('forbidden');
    }
  });

  it('rejects an answer that does not fit the schema, naming the field', async () => {
    const broken = { value: [repo, { ...repo, id: undefined }] };
    const e = await failure(setup([() => json(broken)]).client.repositories());
    expect(e.kind).toBe('invalidResponse');
    expect(e.field).toMatch(/^value\[1\]\.id: /);
    expect(e.userMessage).toContain('value[1].id');

    const notJson = await failure(setup([() => new Response('{oops', { status: 200, headers: { 'content-type': 'application/json' } })]).client.repositories());
    expect(notJson.kind).toBe('invalidResponse');
    // Said in words, with the next step: not the field text meant for a report.
    expect(notJson.userMessage).toBe(
      "Azure DevOps' answer to the request to list repositories was not readable (not JSON): the connection may have been cut, or something between you and Azure DevOps answered instead. Try again; if it keeps happening, please report this.",
    );
  });
});

/** Clients on the faked timers and clock, sharing one scripted fetch that notes who was asked when. */
function clients(...steps: Step[]) {
  const f = scriptedFetch(...steps);
  const start = Date.now();
  const sentAt: string[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    sentAt.push(`${new URL(String(input)).host} ${Date.now() - start}`);
    return f.fetch(input, init);
  };
  const clientOf = (orgBaseUrl: string) => createAdoClient({ orgBaseUrl, auth: async () => basicAuthHeader(PAT), fetch, maxConcurrency: 1, random: () => 0.5 });
  return { clientOf, sentAt };
}

const ok = () => json({ count: 0, value: [] });

describe('one wait after a 429 for every request to its organization', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('holds every request for that organization until Retry-After has passed; other organizations go at once', async () => {
    const { clientOf, sentAt } = clients(() => adoError(429, 'TF400733', 'X', { 'Retry-After': '7' }), ok, ok, ok, ok, ok);
    const fabrikam = clientOf(ORG);
    // Asked together: the second is given the slot just after the 429 came.
    const together = [fabrikam.repositories(), fabrikam.projects()];
    await vi.advanceTimersByTimeAsync(1000);
    // Asked during the wait: the same organization through another client is held; another
    // organization is not, on the same host or another.
    const during = [clientOf(ORG).projects(), clientOf('https://dev.azure.com/northwind').projects(), clientOf('https://contoso.visualstudio.com').projects()];
    await vi.advanceTimersByTimeAsync(5999);
    expect(sentAt).toEqual(['dev.azure.com 0', 'dev.azure.com 1000', 'contoso.visualstudio.com 1000']);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all([...together, ...during]);
    expect(sentAt.slice(3)).toEqual(['dev.azure.com 7000', 'dev.azure.com 7000', 'dev.azure.com 7000']);
  });

  it('holds the organization no longer than the 5 minutes its limits slide over, whatever Retry-After says', async () => {
    const { clientOf, sentAt } = clients(() => adoError(429, 'TF400733', 'X', { 'Retry-After': '86400' }), ok, ok);
    // The request that met the 429 says the server's wait; the next ones are held, not refused, once it is within the client's patience.
    expect((await failure(clientOf(ORG).projects())).retryAfterSeconds).toBe(86_400);
    expect((await failure(clientOf(ORG).projects())).retryAfterSeconds).toBe(300);
    await vi.advanceTimersByTimeAsync(4 * 60_000 + 1000);
    const later = clientOf(ORG).projects();
    await vi.advanceTimersByTimeAsync(59_000);
    expect(sentAt).toEqual(['dev.azure.com 0', 'dev.azure.com 300000']);
    await later;
  });

  it('without Retry-After, holds the organization for the backoff the 429 itself waits', async () => {
    const { clientOf, sentAt } = clients(() => adoError(429, 'TF400733', 'X'), ok, ok, ok);
    const fabrikam = clientOf(ORG);
    const together = [fabrikam.repositories(), fabrikam.projects()];
    await vi.advanceTimersByTimeAsync(100);
    const during = clientOf(ORG).projects();
    // attempt 1: ceiling 500 ms, equal jitter with random 0.5 → 375 ms.
    await vi.advanceTimersByTimeAsync(274);
    expect(sentAt).toEqual(['dev.azure.com 0']);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all([...together, during]);
    expect(sentAt.slice(1)).toEqual(['dev.azure.com 375', 'dev.azure.com 375', 'dev.azure.com 375']);
  });
});

describe('cancellation and concurrency', () => {
  it('cancels during a Retry-After wait (real timer)', async () => {
    const ctl = new AbortController();
    const { client, sent } = setup(
      [
        () => {
          setTimeout(() => ctl.abort(), 20);
          return adoError(429, 'TF400733', 'X', { 'Retry-After': '30' });
        },
      ],
      { sleep: undefined },
    );
    const started = Date.now();
    const e = await failure(client.repositories(undefined, { signal: ctl.signal }));
    expect(e.kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(sent).toHaveLength(1);
  });

  it('cancels a fetch in flight', async () => {
    const ctl = new AbortController();
    const { client, sent } = setup([hang]);
    const pending = failure(client.repositories(undefined, { signal: ctl.signal }));
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!.init.signal?.aborted).toBe(false);
    ctl.abort();
    expect((await pending).kind).toBe('cancelled');
    expect(sent[0]!.init.signal?.aborted).toBe(true);
  });

  it('does not send a request whose signal is already aborted', async () => {
    const { client, sent } = setup([]);
    expect((await failure(client.repositories(undefined, { signal: AbortSignal.abort() }))).kind).toBe('cancelled');
    expect(sent).toHaveLength(0);
  });

  it('never has more than maxConcurrency requests in flight, and a queued one can be cancelled', async () => {
    let inFlight = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const step: Step = () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      return new Promise<Response>((resolve) =>
        gates.push(() => {
          inFlight--;
          resolve(json({ value: [] }));
        }),
      );
    };
    const { client, sent } = setup(Array.from({ length: 6 }, () => step), { maxConcurrency: 2 });
    const ctl = new AbortController();
    const calls = Array.from({ length: 6 }, () => client.repositories());
    const queued = failure(client.repositories(undefined, { signal: ctl.signal }));
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    ctl.abort();
    expect((await queued).kind).toBe('cancelled');
    while (gates.length > 0 || sent.length < 6) {
      await vi.waitFor(() => expect(gates.length).toBeGreaterThan(0));
      gates.shift()!();
    }
    await Promise.all(calls);
    expect(peak).toBe(2);
    expect(sent).toHaveLength(6);
  });
});
