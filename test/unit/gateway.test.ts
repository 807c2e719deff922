import type { Runtime } from 'webextension-polyfill';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCompanion, type NativePort } from '../../src/background/companion';
import { createGateway } from '../../src/background/gateway';
import type { CompanionHandlerDeps } from '../../src/background/handlers/companion';
import { CAPABILITIES, HOST_NAME, parseHostRequest, PROTOCOL_VERSION } from '../../src/shared/host-protocol';
import { createProfileStore, memoryKeyValue } from '../../src/background/profile-store';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REQUEST_TYPES, REQUESTS, sendersOf, type Request } from '../../src/shared/messages';
import { Profile } from '../../src/shared/profile';
import type { PageFetchAnswer, PageFetchRequest } from '../../src/shared/page-fetch';
import { nextStepFor } from '../../src/shared/next-step';
import { OUR_NEW_REPO, START_WORK_REPO } from '../../src/shared/storage-keys';
import { forgetServerErrors } from '../../src/shared/ado/request';

const PAT = 'pat-secret-0123456789abcdef';
const ACCESS = 'access-token-secret-xyz';
const EXT = 'chrome-extension://abc/';

const json = (b: unknown) => new Response(JSON.stringify(b), { status: 200, headers: { 'content-type': 'application/json' } });

/** Answers like Azure DevOps would for the calls the gateway makes; echoes nothing of the token. */
const fakeAdo: typeof fetch = async (input) => {
  const url = new URL(String(input));
  if (url.pathname.endsWith('/_apis/connectionData'))
    return json({ authenticatedUser: { id: 'u1', providerDisplayName: 'Ada Lovelace' }, instanceId: 'i1', deploymentType: 'hosted' });
  if (url.pathname.endsWith('/_apis/projects')) return json({ count: 1, value: [{ id: 'p1', name: 'Platform' }] });
  if (url.pathname.endsWith('/_apis/git/repositories/r1'))
    return json({ id: 'r1', name: 'Platform', url: 'https://x', remoteUrl: 'https://fabrikam@dev.azure.com/fabrikam/Platform/_git/Platform', project: { id: 'p1', name: 'Platform' } });
  if (url.pathname.endsWith('/_apis/git/repositories/r2'))
    return json({ id: 'r2', name: 'platform-fork', url: 'https://x', remoteUrl: 'https://fabrikam@dev.azure.com/fabrikam/Security%20Team/_git/platform-fork', project: { id: 'p2', name: 'Security Team' } });
  if (url.pathname.endsWith('/_apis/git/repositories'))
    return json({ count: 1, value: [{ id: 'r1', name: 'Platform', url: 'https://x', remoteUrl: 'https://x', project: { id: 'p1', name: 'Platform' } }] });
  const pr = /\/pullrequests\/(\d+)$/i.exec(url.pathname);
  if (pr) {
    const fromFork = pr[1] === '2';
    return json({
      pullRequestId: Number(pr[1]), status: 'active', title: 'T', sourceRefName: 'refs/heads/feature/x', targetRefName: 'refs/heads/main', creationDate: '2026-01-01T00:00:00Z',
      createdBy: { id: 'u1', displayName: 'Ada' }, repository: { id: 'r1', name: 'Platform', project: { id: 'p1', name: 'Platform' } },
      ...(fromFork ? { forkSource: { repository: { id: 'r2', name: 'platform-fork', project: { id: 'p2', name: 'Security Team' } } } } : {}),
    });
  }
  return new Response('{}', { status: 404 });
};

/** Azure DevOps answering for Platform by its name too, as a page names it. */
const byName: typeof fetch = (input, init) => fakeAdo(String(input).replace('/_apis/git/repositories/Platform?', '/_apis/git/repositories/r1?'), init);

/** A companion that answers every request plausibly, and remembers the credentials it was given. */
const ignore = () => undefined;
const sentToHost: { type: string; [k: string]: unknown }[] = [];
type HostAnswer = { error: { code: string; message: string } } | { data: unknown };
/** Answers a test puts in place of the usual ones (a promise holds the request until it settles). */
const hostOverrides = new Map<string, (req: Record<string, unknown>) => HostAnswer | Promise<HostAnswer>>();
// A test that fails half-way leaves no override behind for the next.
afterEach(() => hostOverrides.clear());
/** The companion lists one clone, at `path`, of `origin`: a page names only its own organization's clones. */
const listClone = (path: string, origin: string, more: { name: string; fetchUrl: string }[] = []) =>
  hostOverrides.set('localClones', () => ({ data: { clones: [{ path, known: true, remotes: [{ name: 'origin', fetchUrl: origin }, ...more], branch: 'main', dirty: false }], truncated: false } }));
const FABRIKAM_PLATFORM = 'https://dev.azure.com/fabrikam/Platform/_git/Platform';
function fakeHost(): NativePort {
  let listener: (m: unknown) => void = ignore;
  const answers: Record<string, unknown> = {
    hello: {
      name: HOST_NAME, version: '1.0.0', protocolVersion: PROTOCOL_VERSION, capabilities: [...CAPABILITIES], platform: 'linux',
      node: '20', git: '2.39', sshKeygen: true, logFile: '/tmp/log', limits: { maxFrameToBrowser: 1, maxFrameFromBrowser: 1 },
    },
    configure: { cloneRoots: ['/home/ada/source/repos'], allowedHosts: [], cloudHosts: [], configFile: '/x' },
    localClones: { clones: [], truncated: false },
    clone: { path: '/home/ada/source/repos/x', branch: 'main', remoteUrl: 'https://dev.azure.com/fabrikam/Platform/_git/Platform' },
    fetch: { path: '/x', remote: 'origin' },
    addRemote: { path: '/x', name: 'fork', url: 'https://dev.azure.com/fabrikam/Platform/_git/Platform' },
    sshKey: { key: null },
    sshTest: { ok: true, summary: 'ok', detail: '' },
    open: { opened: '/x', with: 'xdg-open' },
    cancel: { cancelled: false },
    status: { path: '/x', branch: 'main', head: 'a'.repeat(40), upstream: 'origin/main', ahead: 0, behind: 0, dirty: false },
    checkout: { path: '/x', branch: 'feature/x', head: 'a'.repeat(40), upstream: 'origin/feature/x', result: 'created' },
    worktree: { path: '/x-pr-1', branch: 'feature/x', head: 'a'.repeat(40), upstream: 'origin/feature/x', result: 'created' },
  };
  return {
    postMessage(m) {
      const req = m as { id: string; type: string };
      sentToHost.push(req);
      // As the real companion, it refuses what its schemas do not accept.
      const parsed = parseHostRequest(req);
      const refusal = parsed.ok ? undefined : { error: { code: 'BAD_REQUEST', message: parsed.message } };
      void Promise.resolve(refusal ?? hostOverrides.get(req.type)?.(req as never)).then((override) =>
        listener(override && 'error' in override ? { id: req.id, ok: false, error: override.error } : { id: req.id, ok: true, data: override ? override.data : answers[req.type] }),
      );
    },
    disconnect() {},
    onMessage: { addListener: (cb) => void (listener = cb) },
    onDisconnect: { addListener: () => undefined },
  };
}

async function setup(fetch: typeof globalThis.fetch = fakeAdo, extra: Partial<CompanionHandlerDeps> = {}) {
  const local = memoryKeyValue();
  const store = createProfileStore(local);
  const base = { host: { kind: 'cloud' as const }, organization: 'fabrikam' };
  await store.save(Profile.parse({ ...base, id: 'pat1', name: 'PAT', auth: 'pat' }), { kind: 'pat', pat: PAT });
  await store.save(Profile.parse({ ...base, id: 'oa1', name: 'OAuth', auth: 'oauth' }), {
    kind: 'oauth',
    accessToken: ACCESS,
    refreshToken: 'refresh-secret',
    expiresAt: Date.now() + 3_600_000,
  });
  const deps: CompanionHandlerDeps = {
    companion: createCompanion({ connect: fakeHost, lastError: () => undefined, extensionVersion: '1.0.0' }),
    extensionId: 'abc',
    extensionOrigin: EXT,
    version: '1.0.0',
    local,
    session: memoryKeyValue(),
    store,
    fetch,
    now: Date.now,
    newId: () => crypto.randomUUID(),
    oauthConfig: async () => ({ clientId: 'c', tenant: 'organizations', authority: 'https://login.microsoftonline.com' }),
    oauth: { launchWebAuthFlow: async () => 'https://abc.chromiumapp.org/?error=access_denied', redirectUrl: 'https://abc.chromiumapp.org/' },
    ...extra,
  };
  const gateway = createGateway(deps);
  return { handle: gateway.handleMessage, handlePort: gateway.handlePort, local };
}

/** A port to the gateway, as a page's long request opens one; `leave` is its page reloading. */
function portFrom(handlePort: (port: Runtime.Port) => void, sender: Runtime.MessageSender) {
  const posted: unknown[] = [];
  let onMessage!: (m: unknown) => void;
  let onDisconnect!: () => void;
  handlePort({ sender, postMessage: (m: unknown) => posted.push(m), onMessage: { addListener: (cb: typeof onMessage) => (onMessage = cb) }, onDisconnect: { addListener: (cb: typeof onDisconnect) => (onDisconnect = cb) } } as unknown as Runtime.Port);
  return { ask: (m: unknown) => onMessage(m), leave: () => onDisconnect(), posted };
}

const fromPage = { id: 'abc', url: `${EXT}src/popup/index.html` };
const fromContent = {
  id: 'abc',
  url: 'https://dev.azure.com/fabrikam/Platform/_git/Platform',
  tab: { id: 1, url: 'https://dev.azure.com/fabrikam/Platform/_git/Platform' },
} as Runtime.MessageSender;

/** One valid example of every request type, so a new type cannot skip this test. */
const everyRequest: Request[] = [
  { type: 'ping' },
  { type: 'profiles.list' },
  { type: 'profiles.addPat', organization: 'fabrikam', pat: 'another-pat-value-123' },
  { type: 'profiles.cancelAdd', taskId: 'add1' },
  { type: 'profiles.signIn' },
  { type: 'profiles.finishSignIn', pending: 'x', organization: 'fabrikam' },
  { type: 'profiles.holdSignIn', pending: 'x' },
  { type: 'profiles.update', id: 'pat1', patch: { name: 'Renamed' } },
  { type: 'profiles.setActive', id: 'oa1' },
  { type: 'profiles.export' },
  { type: 'profiles.import', json: '{}' },
  { type: 'settings.get' },
  { type: 'settings.setOAuth', clientId: 'c', tenant: 'organizations' },
  { type: 'projects.list' },
  { type: 'repos.list', profileId: 'oa1' },
  { type: 'page.context' },
  { type: 'companion.status' },
  { type: 'companion.setCloneRoot', cloneRoot: '/home/ada/src' },
  { type: 'clone.plan', repo: { id: 'r1', name: 'Platform', project: 'Platform' } },
  { type: 'clone.start', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, taskId: 't1' },
  { type: 'clone.cancel', taskId: 't1' },
  { type: 'clone.tasks' },
  { type: 'clone.follow', taskId: 't1' },
  { type: 'clone.forget', taskId: 't1' },
  { type: 'local.clones' },
  { type: 'local.open', path: '/x', target: 'folder' },
  { type: 'local.fetch', path: '/x', remote: 'origin' },
  { type: 'local.addRemote', path: '/x', name: 'fork', repo: { id: 'r1', name: 'Platform', project: 'Platform' } },
  { type: 'ssh.key', action: 'find' },
  { type: 'ssh.test' },
  { type: 'repos.gitignoreTemplates', project: 'Platform' },
  { type: 'repos.create', projectId: 'p1', name: 'new-repo', readme: true, defaultBranch: 'main' },
  { type: 'repos.ourCreate', projectId: 'p1', name: 'new-repo' },
  { type: 'repos.branches', repo: { id: 'r1', name: 'Platform', project: 'Platform' } },
  { type: 'prs.mine' },
  { type: 'prs.create', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, sourceBranch: 'feature/x', targetBranch: 'main', title: 'T', reviewerIds: ['u1'] },
  { type: 'prs.suggestReviewers', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, sourceBranch: 'feature/x', targetBranch: 'main' },
  { type: 'people.search', query: 'grace' },
  { type: 'groups.list' },
  { type: 'groups.save', group: { project: 'Platform', name: 'Web', members: [{ id: 'u1', displayName: 'Grace Hopper' }] } },
  { type: 'groups.remove', id: 'g1' },
  { type: 'ssh.addToAdo', profileId: 'oa1', publicKey: 'ssh-rsa AAAAB3NzaC1yc2E ada@laptop' },
  { type: 'features.settings' },
  { type: 'features.load' },
  { type: 'features.setEnabled', feature: 'clone-to-desktop', enabled: false },
  { type: 'features.missingAnchor', feature: 'clone-to-desktop', page: 'repoHome', selectors: ['.repos-files-header-commandbar'] },
  { type: 'options.open', section: 'accounts' },
  { type: 'features.clearLog' },
  { type: 'options.open', section: 'companion' },
  { type: 'forks.list', repo: { id: 'r1', name: 'Platform', project: 'Platform' } },
  { type: 'forks.create', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, projectId: 'p1', name: 'Platform-fork' },
  { type: 'pullRequest.reviewers', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, pullRequestId: 1 },
  { type: 'pullRequest.suggestReviewers', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, pullRequestId: 1 },
  { type: 'pullRequest.addReviewers', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, pullRequestId: 1, reviewers: [{ id: 'u1', isRequired: false }] },
  { type: 'settings.editor' },
  { type: 'settings.setEditor', editor: 'jetbrains' },
  { type: 'pullRequest.checkout', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, pullRequestId: 1, mode: 'branch', taskId: 't2' },
  { type: 'pullRequest.follow', taskId: 't2' },
  { type: 'local.followCheckout', taskId: 't3' },
  { type: 'workItems.mine' },
  { type: 'workItem.plan', project: 'Platform', id: 5 },
  { type: 'workItem.startWork', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, workItemProject: 'Platform', id: 5, branch: 'users/ada/5-x', setActive: true },
  { type: 'workItem.linkBranch', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, workItemProject: 'Platform', id: 5, branch: 'users/ada/5-x' },
  { type: 'local.checkoutBranch', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, branch: 'users/ada/5-x', taskId: 't3' },
  { type: 'settings.branchTemplate' },
  { type: 'settings.setBranchTemplate', template: 'feature/{id}-{title-slug}' },
  { type: 'profiles.remove', id: 'pat1' },
];

/** Every request a page sends naming a clone's path. */
const pathAsks = (path: string) => [
  { type: 'local.open', path, target: 'folder' },
  { type: 'local.open', path, target: 'editor', file: '/README.md' },
  { type: 'local.fetch', path, remote: 'planted' },
  { type: 'local.addRemote', path, name: 'planted2', repo: { id: 'r1', name: 'Platform', project: 'Platform' } },
] satisfies Request[];

describe('gateway', () => {
  it('covers every request type in this test', () => {
    const covered = new Set(everyRequest.map((r) => r.type));
    expect([...covered].toSorted()).toEqual([...REQUEST_TYPES].toSorted());
  });

  it.each([
    ['an extension page', fromPage],
    ['a content script', fromContent],
  ])('never answers %s with a credential', async (_label, sender) => {
    const { handle } = await setup();
    for (const req of everyRequest) {
      const reply = JSON.stringify(await handle(req, sender));
      for (const secret of [PAT, ACCESS, 'refresh-secret']) expect(reply, req.type).not.toContain(secret);
    }
  });

  it('refuses account management from content scripts', async () => {
    const { handle } = await setup();
    expect(await handle({ type: 'profiles.list' }, fromContent)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await handle({ type: 'profiles.list' }, fromPage)).toMatchObject({ ok: true });
  });

  it('opens a folder or the editor for a page, never a terminal', async () => {
    const { handle } = await setup();
    listClone('/x', FABRIKAM_PLATFORM);
    expect(await handle({ type: 'local.open', path: '/x', target: 'terminal' }, fromContent)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await handle({ type: 'local.open', path: '/x', target: 'folder' }, fromContent)).toMatchObject({ ok: true });
    expect(await handle({ type: 'local.open', path: '/x', target: 'terminal' }, fromPage)).toMatchObject({ ok: true });
  });

  it('opens, fetches and adds remotes to its own organization’s clones only, with one answer for any other path; our own pages to any', async () => {
    const { handle } = await setup();
    const contoso = { path: '/home/ada/src/web', known: true, remotes: [{ name: 'origin', fetchUrl: 'https://dev.azure.com/contoso/Web/_git/Web' }, { name: 'planted', fetchUrl: FABRIKAM_PLATFORM }], branch: 'main', dirty: false };
    // No origin, and more than one remote: of no organization.
    const unclear = { path: '/home/ada/src/mixed', known: false, remotes: [{ name: 'upstream', fetchUrl: FABRIKAM_PLATFORM }, { name: 'mine', fetchUrl: 'https://dev.azure.com/contoso/Web/_git/Web' }], branch: 'main', dirty: false };
    const own = { path: '/home/ada/src/platform', known: true, remotes: [{ name: 'origin', fetchUrl: 'git@ssh.dev.azure.com:v3/fabrikam/Platform/Platform' }], branch: 'main', dirty: false };
    // Like the companion: only the folders asked for, at their own path (the real one).
    hostOverrides.set('localClones', (req) => {
      const paths = req.paths as string[] | undefined;
      return { data: { clones: [contoso, unclear, own].filter((c) => !paths || paths.includes(c.path)), truncated: false } };
    });
    sentToHost.length = 0;
    const refusals = new Set<string>();
    for (const path of [contoso.path, unclear.path, '/etc/passwd', '/home/ada/no-such-folder', `${own.path}/`, '/home/ada/src/../src/platform', `${own.path}\n`]) {
      for (const req of pathAsks(path)) {
        const reply = (await handle(req, fromContent)) as { ok: boolean; error?: { code: string; message: string } };
        expect(reply, `${req.type} ${path}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        refusals.add(reply.error!.message.replace(path, 'PATH'));
      }
    }
    expect([...refusals]).toEqual(['PATH is not a clone of one of fabrikam’s repositories. Reload the page to look for its clone again.']);
    expect(sentToHost.filter((m) => ['open', 'fetch', 'addRemote'].includes(m.type))).toEqual([]);
    sentToHost.length = 0;
    for (const req of pathAsks(own.path)) expect(await handle(req, fromContent), req.type).toMatchObject({ ok: true });
    // Only the folder named is read: no listing of every clone, which takes seconds and stops at 500.
    const listings = sentToHost.filter((m) => m.type === 'localClones');
    expect(listings.length).toBe(pathAsks(own.path).length);
    for (const m of listings) expect(m).toMatchObject({ paths: [own.path] });
    for (const req of pathAsks(contoso.path)) expect(await handle(req, fromPage), req.type).toMatchObject({ ok: true });
  });

  it('on a server: opens, fetches and adds remotes only to its own server’s clones, not those of another server at the same name on another port', async () => {
    const { handle, local } = await setup();
    const collectionUrl = 'https://ado.corp.example:8080/tfs/DefaultCollection';
    await createProfileStore(local).save(Profile.parse({ id: 'srv', name: 'Server', host: { kind: 'onprem', collectionUrl }, organization: 'DefaultCollection', auth: 'pat' }), { kind: 'pat', pat: PAT });
    const onServer = { id: 'abc', url: `${collectionUrl}/Platform/_git/Platform`, tab: { id: 6, url: `${collectionUrl}/Platform/_git/Platform` } } as Runtime.MessageSender;
    const clones = {
      '/src/other-port': 'https://ado.corp.example/tfs/DefaultCollection/Platform/_git/Platform',
      '/src/own': `${collectionUrl}/Platform/_git/Platform`,
      '/src/own-ssh': 'ssh://ado.corp.example:22/tfs/DefaultCollection/Platform/_git/Platform',
    };
    hostOverrides.set('localClones', () => ({ data: { clones: Object.entries(clones).map(([path, fetchUrl]) => ({ path, known: true, remotes: [{ name: 'origin', fetchUrl }], branch: 'main', dirty: false })), truncated: false } }));
    sentToHost.length = 0;
    for (const req of pathAsks('/src/other-port')) expect(await handle(req, onServer), req.type).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(sentToHost.filter((m) => ['open', 'fetch', 'addRemote'].includes(m.type))).toEqual([]);
    for (const path of ['/src/own', '/src/own-ssh']) expect(await handle({ type: 'local.open', path, target: 'folder' }, onServer), path).toMatchObject({ ok: true });
    hostOverrides.clear();
  });

  it('tests SSH against a server on the port its SSH clone URLs name, and against the cloud for a cloud profile', async () => {
    // An admin moved one server's SSH to 2222; the other kept 22.
    const servers = { 'ado.corp.example': 2222, 'tfs.corp.example': 22 } as Record<string, number>;
    const reposOf = (url: URL) =>
      json({ count: 1, value: [{ id: 'r1', name: 'Platform', url: 'https://x', remoteUrl: 'https://x', sshUrl: `ssh://${url.hostname}:${servers[url.hostname]}/tfs/DefaultCollection/Platform/_git/Platform`, project: { id: 'p1', name: 'Platform' } }] });
    const { handle, local } = await setup(async (input, init) => (new URL(String(input)).pathname.endsWith('/_apis/git/repositories') ? reposOf(new URL(String(input))) : fakeAdo(input, init)));
    for (const host of Object.keys(servers)) {
      const collectionUrl = `https://${host}/tfs/DefaultCollection`;
      await createProfileStore(local).save(Profile.parse({ id: host, name: host, host: { kind: 'onprem', collectionUrl }, organization: 'DefaultCollection', auth: 'pat' }), { kind: 'pat', pat: PAT });
    }
    sentToHost.length = 0;
    for (const profileId of ['ado.corp.example', 'tfs.corp.example', 'pat1']) expect(await handle({ type: 'ssh.test', profileId }, fromPage), profileId).toMatchObject({ ok: true });
    expect(sentToHost.filter((m) => m.type === 'sshTest').map(({ host, port }) => ({ host, port }))).toEqual([
      { host: 'ado.corp.example', port: 2222 },
      // 22 is not named: a companion from before the field would refuse it.
      { host: 'tfs.corp.example', port: undefined },
      { host: 'ssh.dev.azure.com', port: undefined },
    ]);
  });

  it('refuses other extensions, other sites and malformed requests', async () => {
    const { handle } = await setup();
    expect(await handle({ type: 'ping' }, { id: 'other', url: `${EXT}x.html` })).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(await handle({ type: 'ping' }, { id: 'abc', url: 'https://evil.example/', tab: { id: 2, url: 'https://evil.example/' } } as never)).toMatchObject({
      error: { code: 'FORBIDDEN' },
    });
    expect(await handle({ type: 'repos.list', profileId: 7 }, fromPage)).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('tells a content script which profile serves its page, without secrets', async () => {
    const { handle } = await setup();
    const reply = await handle({ type: 'page.context' }, fromContent);
    expect(reply).toMatchObject({ ok: true, data: { profile: { organization: 'fabrikam' } } });
  });

  it('serves repository lists from cache and refreshes on request', async () => {
    const { handle, local } = await setup();
    const first = await handle({ type: 'repos.list', profileId: 'pat1' }, fromPage);
    expect(first).toMatchObject({ ok: true, data: { stale: false, items: [{ name: 'Platform' }] } });
    const cached = local.data.get('cache:pat1:repos') as { fetchedAt: number };
    cached.fetchedAt -= 10 * 60_000;
    local.data.set('cache:pat1:repos', cached);
    expect(await handle({ type: 'repos.list', profileId: 'pat1' }, fromPage)).toMatchObject({ data: { stale: true } });
    expect(await handle({ type: 'repos.list', profileId: 'pat1', refresh: true }, fromPage)).toMatchObject({ data: { stale: false } });
  });
});

/** Azure DevOps refusing the token of one organization (contoso) only. */
const unauthorized: typeof fetch = async (input) =>
  new URL(String(input)).pathname.startsWith('/contoso/') ? new Response('', { status: 401 }) : fakeAdo(input);
/** That, and fabrikam's projects not found (a failure that is not the token's, and not retried). */
const failing: typeof fetch = async (input) => (new URL(String(input)).pathname.startsWith('/fabrikam/_apis/projects') ? new Response('', { status: 404 }) : unauthorized(input));

describe('errors', () => {
  it('link the tokens page of the profile the page used, not the active one', async () => {
    const { handle, local } = await setup(unauthorized);
    await createProfileStore(local).save(Profile.parse({ id: 'c1', name: 'Contoso', auth: 'pat', host: { kind: 'cloud' }, organization: 'contoso' }), {
      kind: 'pat',
      pat: 'contoso-pat-0123456789',
    });
    const onContoso = { id: 'abc', url: 'https://dev.azure.com/contoso/Web/_git/Web', tab: { id: 3, url: 'https://dev.azure.com/contoso/Web/_git/Web' } } as Runtime.MessageSender;
    const reply = await handle({ type: 'forks.list', repo: { id: 'r9', name: 'Web', project: 'Web' } }, onContoso);
    expect(reply).toMatchObject({ ok: false, error: { code: 'unauthorized', helpUrl: 'https://dev.azure.com/contoso/_usersSettings/tokens' } });
    // Which profile it was is not the page's to know (its Update the token is resolved in the background).
    expect((reply as { error: object }).error).not.toHaveProperty('profileId');
  });

  it("name the profile whose token was refused, and its page's Update the token opens that profile's editor", async () => {
    const opened: [string, string | undefined][] = [];
    const { handle, local } = await setup(failing, { openOptions: async (section, profileId) => void opened.push([section, profileId]) });
    await createProfileStore(local).save(Profile.parse({ id: 'c1', name: 'Contoso', auth: 'pat', host: { kind: 'cloud' }, organization: 'contoso' }), { kind: 'pat', pat: 'contoso-pat-0123456789' });
    expect(await handle({ type: 'repos.list', profileId: 'c1', refresh: true }, fromPage)).toMatchObject({ ok: false, error: { code: 'unauthorized', profileId: 'c1' } });
    // A failure that is not the token's names no profile.
    const server = (await handle({ type: 'projects.list', profileId: 'pat1', refresh: true }, fromPage)) as { ok: false; error: object };
    expect(server).toMatchObject({ ok: false, error: { code: 'notFound' } });
    expect(server.error).not.toHaveProperty('profileId');
    const onContoso = { id: 'abc', url: 'https://dev.azure.com/contoso/Web/_git/Web', tab: { id: 3, url: 'https://dev.azure.com/contoso/Web/_git/Web' } } as Runtime.MessageSender;
    const onNorthwind = { id: 'abc', url: 'https://dev.azure.com/northwind/Web/_git/Web', tab: { id: 5, url: 'https://dev.azure.com/northwind/Web/_git/Web' } } as Runtime.MessageSender;
    await handle({ type: 'options.open', section: 'profiles' }, onContoso);
    // A page of an organization without a profile opens the list; our own pages name a profile themselves.
    await handle({ type: 'options.open', section: 'profiles' }, onNorthwind);
    await handle({ type: 'options.open', section: 'profiles' }, fromPage);
    // The popup names the profile whose token was refused; a page cannot name another than its own.
    await handle({ type: 'options.open', section: 'profiles', profileId: 'pat1' }, fromPage);
    expect(await handle({ type: 'options.open', section: 'profiles', profileId: 'pat1' }, onContoso)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(opened).toEqual([['profiles', 'c1'], ['profiles', undefined], ['profiles', undefined], ['profiles', 'pat1']]);
  });
});

/** Azure DevOps refusing every call signed in with `scheme` (Bearer: a Microsoft sign-in; Basic: a token). */
const refusingScheme =
  (scheme: string): typeof fetch =>
  async (input, init) =>
    new Headers(init?.headers).get('authorization')?.startsWith(`${scheme} `) ? new Response('', { status: 401 }) : fakeAdo(input, init);

/** What Chromium's scripting.executeScript says for a tab of a host the extension may not reach. */
const refusedInjection = async () => Promise.reject(new Error('Cannot access contents of the page. Extension manifest must request permission to access the respective host.'));

describe('a list asked through a port says why it is slow', () => {
  afterEach(forgetServerErrors);

  it('posts { waiting } while the request waits to try again after a server error, then the reply', async () => {
    let failures = 1;
    const busyOnce: typeof fetch = async (input, init) =>
      new URL(String(input)).pathname.endsWith('/_apis/git/repositories') && failures-- > 0 ? new Response('', { status: 503 }) : fakeAdo(input, init);
    const { handlePort } = await setup(busyOnce);
    const popup = portFrom(handlePort, fromPage);
    const before = Date.now();
    popup.ask({ type: 'repos.list', profileId: 'pat1', refresh: true });
    await vi.waitFor(() => expect(popup.posted.some((m) => 'reply' in (m as object))).toBe(true), { timeout: 3000 });
    const [told, replied] = popup.posted as [{ progress: { waiting: { until: number; error: { code: string; message: string }; host: string } } }, { reply: { ok: boolean } }];
    expect(popup.posted).toHaveLength(2);
    expect(told.progress.waiting).toMatchObject({ error: { code: 'server', message: expect.stringContaining('HTTP 503') }, host: 'dev.azure.com' });
    // The backoff of a first retry: at most half a second.
    expect(told.progress.waiting.until).toBeGreaterThan(before);
    expect(told.progress.waiting.until).toBeLessThanOrEqual(Date.now() + 1);
    expect(replied.reply.ok).toBe(true);
  });

  it("keeps a content script's port to its page's requests and organization: the page gateway's checks, not a second set", async () => {
    const { handlePort } = await setup(fakeAdo);
    const asked = async (sender: Runtime.MessageSender, request: unknown) => {
      const port = portFrom(handlePort, sender);
      port.ask(request);
      await vi.waitFor(() => expect(port.posted.length).toBeGreaterThan(0));
      return port.posted;
    };
    // A request the contract does not open to pages, and one naming a profile.
    expect(await asked(fromContent, { type: 'profiles.list' })).toEqual([{ reply: expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) }) }]);
    expect(await asked(fromContent, { type: 'groups.list', project: 'Platform', profileId: 'pat1' })).toEqual([{ reply: expect.objectContaining({ ok: false }) }]);
    // Not an Azure DevOps page.
    const elsewhere = { id: 'abc', url: 'https://example.com/', tab: { id: 9, url: 'https://example.com/' } } as Runtime.MessageSender;
    expect(await asked(elsewhere, { type: 'groups.list', project: 'Platform' })).toEqual([{ reply: expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) }) }]);
  });
});

/** Repository lists that never answer until their signal aborts them, as fetch does. */
function hanging() {
  const aborted: string[] = [];
  const fetch: typeof globalThis.fetch = (input, init) =>
    new URL(String(input)).pathname.endsWith('/_apis/git/repositories')
      ? new Promise((_, reject) =>
          init?.signal?.addEventListener('abort', () => {
            aborted.push(String(input));
            reject(new DOMException('aborted', 'AbortError'));
          }),
        )
      : fakeAdo(input, init);
  return { fetch, aborted };
}

describe('Stop waiting stops the request, leaving does not', () => {
  afterEach(forgetServerErrors);

  it('{ stop: true } on the port aborts its request to Azure DevOps at once', async () => {
    const { fetch, aborted } = hanging();
    const { handlePort } = await setup(fetch);
    const popup = portFrom(handlePort, fromPage);
    popup.ask({ type: 'repos.list', profileId: 'pat1', refresh: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(aborted).toEqual([]);
    popup.ask({ stop: true });
    await vi.waitFor(() => expect(popup.posted.some((m) => 'reply' in (m as object))).toBe(true), { timeout: 2000 });
    expect(aborted).toHaveLength(1);
    expect(popup.posted.at(-1)).toMatchObject({ reply: { ok: false } });
  });

  it('an asker that only goes (a popup closed) leaves its request running', async () => {
    const { fetch, aborted } = hanging();
    const { handlePort } = await setup(fetch);
    const popup = portFrom(handlePort, fromPage);
    popup.ask({ type: 'repos.list', profileId: 'pat1', refresh: true });
    popup.leave();
    await new Promise((r) => setTimeout(r, 100));
    expect(aborted).toEqual([]);
    expect(popup.posted.some((m) => 'reply' in (m as object))).toBe(false);
  });
});

describe('a page on a server whose access was taken back', () => {
  it("is refused the features' code with that reason and Allow access, not the browser's words", async () => {
    const collectionUrl = 'https://tfs.fabrikam.test/tfs/DefaultCollection';
    const { handle, local } = await setup(fakeAdo, { injectFeatures: refusedInjection, hostAccess: async (origin) => origin !== 'https://tfs.fabrikam.test' });
    await createProfileStore(local).save(Profile.parse({ id: 'srv', name: 'Server', host: { kind: 'onprem', collectionUrl }, organization: 'DefaultCollection', auth: 'pat' }), { kind: 'pat', pat: PAT });
    const onServer = { id: 'abc', url: `${collectionUrl}/Platform/_git/Platform`, tab: { id: 6, url: `${collectionUrl}/Platform/_git/Platform` } } as Runtime.MessageSender;
    const reply = await handle({ type: 'features.load' }, onServer);
    expect(reply).toMatchObject({ ok: false, error: { code: 'hostAccess', message: expect.stringContaining('no longer lets Azure DevOps Companion reach tfs.fabrikam.test') } });
    expect(nextStepFor((reply as { error: { code: string } }).error.code)).toEqual(['Allow access', 'profiles']);
    // A host the extension may reach keeps the browser's own reason.
    expect(await handle({ type: 'features.load' }, fromContent)).toMatchObject({ ok: false, error: { code: 'FAILED', message: expect.stringContaining('Cannot access contents of the page') } });
  });
});

describe('a refused Microsoft sign-in', () => {
  it('is signed in again from its profile, never offered a token update', async () => {
    const { handle } = await setup(refusingScheme('Bearer'));
    const reply = (await handle({ type: 'projects.list', profileId: 'oa1', refresh: true }, fromPage)) as { ok: false; error: { code: string; profileId?: string; message: string } };
    expect(reply.error).toMatchObject({ code: 'signInRefused', profileId: 'oa1' });
    expect(reply.error.message).toContain('Sign in with Microsoft again');
    expect(nextStepFor(reply.error.code)).toEqual(['Sign in again', 'profiles']);
    // A token's refusal is still the token's.
    const pat = await setup(refusingScheme('Basic'));
    expect(await pat.handle({ type: 'projects.list', profileId: 'pat1', refresh: true }, fromPage)).toMatchObject({ ok: false, error: { code: 'unauthorized', profileId: 'pat1' } });
  });
});

/** A server that accepts the connection and never answers: only the caller's abort ends the wait. */
const silent: typeof fetch = (_input, init) =>
  new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
const profileIds = async (handle: Awaited<ReturnType<typeof setup>>['handle']) =>
  ((await handle({ type: 'profiles.list' }, fromPage)) as { data: { profiles: { id: string }[] } }).data.profiles.map((p) => p.id);

describe('adding a token for a server that does not answer', () => {
  const collectionUrl = 'https://tfs.fabrikam.test/tfs/DefaultCollection';
  const add = { type: 'profiles.addPat', collectionUrl, organization: 'DefaultCollection', pat: 'another-pat-value-123' };
  it('stops the check when its asker cancels it, and adds nothing', async () => {
    const { handle } = await setup(silent);
    const checking = handle({ ...add, taskId: 'add1' }, fromPage);
    await new Promise((r) => setTimeout(r, 20));
    expect(await handle({ type: 'profiles.cancelAdd', taskId: 'add1' }, fromPage)).toEqual({ ok: true, data: undefined });
    expect(await checking).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await profileIds(handle)).toEqual(['pat1', 'oa1']);
  });

  it('stops the check when the page that asked goes (Options closed), and adds nothing', async () => {
    const { handle, handlePort } = await setup(silent);
    const page = portFrom(handlePort, fromPage);
    const checking = page.ask({ ...add, taskId: 'add3' });
    await new Promise((r) => setTimeout(r, 20));
    page.leave();
    await checking;
    expect(page.posted).toEqual([{ reply: { ok: false, error: expect.objectContaining({ code: 'cancelled' }) } }]);
    expect(await profileIds(handle)).toEqual(['pat1', 'oa1']);
  });

  it('stops a check whose cancel overtook it on the way in', async () => {
    const { handle } = await setup(silent);
    await handle({ type: 'profiles.cancelAdd', taskId: 'add2' }, fromPage);
    expect(await handle({ ...add, taskId: 'add2' }, fromPage)).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });
});

describe('removing a profile', () => {
  it('takes its reviewer groups along and leaves the other profiles\' groups', async () => {
    const { handle } = await setup();
    const group = { project: 'Platform', name: 'Web', members: [{ id: 'u1', displayName: 'Grace Hopper' }] };
    expect(await handle({ type: 'groups.save', profileId: 'pat1', group }, fromPage)).toMatchObject({ ok: true });
    expect(await handle({ type: 'groups.save', profileId: 'oa1', group }, fromPage)).toMatchObject({ ok: true });
    await handle({ type: 'profiles.remove', id: 'pat1' }, fromPage);
    expect(await handle({ type: 'groups.list', profileId: 'pat1' }, fromPage)).toMatchObject({ ok: false });
    expect(await handle({ type: 'groups.list', profileId: 'oa1' }, fromPage)).toMatchObject({ ok: true, data: { groups: [{ name: 'Web' }] } });
    await handle({ type: 'profiles.import', json: JSON.stringify({ format: 'azure-devops-companion/profiles@1', profiles: [{ id: 'pat1', name: 'PAT', auth: 'pat', host: { kind: 'cloud' }, organization: 'fabrikam' }] }) }, fromPage);
    expect(await handle({ type: 'groups.list', profileId: 'pat1' }, fromPage)).toMatchObject({ ok: true, data: { groups: [] } });
  });
});

const exported = (id: string) => ({ id, name: 'fabrikam (ada)', auth: 'oauth', host: { kind: 'cloud' }, organization: 'fabrikam', identity: { id: 'u-ada', displayName: 'Ada' } });
describe('importing profiles', () => {
  it('adds none that this browser has already: by id, or as the same account by the same name under another id', async () => {
    const { handle } = await setup();
    const imported = (profiles: object[]) => handle({ type: 'profiles.import', json: JSON.stringify({ format: 'azure-devops-companion/profiles@1', profiles }) }, fromPage);
    await imported([exported('from-laptop')]);
    // The same account from another computer's export, and an organization of its own.
    await imported([exported('from-desktop'), { ...exported('other-org'), organization: 'contoso' }]);
    expect(await profileIds(handle)).toEqual(['pat1', 'oa1', 'from-laptop', 'other-org']);
    // Under a name of its own, a second profile of the account is meant.
    await imported([{ ...exported('renamed'), name: 'fabrikam (read only)' }]);
    expect(await profileIds(handle)).toEqual(['pat1', 'oa1', 'from-laptop', 'other-org', 'renamed']);
  });

  it('adds an account the file lists twice (same name, another id) once', async () => {
    const { handle } = await setup();
    await handle({ type: 'profiles.import', json: JSON.stringify({ format: 'azure-devops-companion/profiles@1', profiles: [exported('a1'), exported('a2'), exported('a1')] }) }, fromPage);
    expect(await profileIds(handle)).toEqual(['pat1', 'oa1', 'a1']);
  });

  it('says a cut-short file cannot be read, and a newer version’s file asks for an update', async () => {
    const { handle } = await setup();
    const whole = JSON.stringify({ format: 'azure-devops-companion/profiles@1', profiles: [exported('a1')] });
    expect(await handle({ type: 'profiles.import', json: whole.slice(0, -10) }, fromPage)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^This file cannot be read/) } });
    const newer = JSON.stringify({ format: 'azure-devops-companion/profiles@2', profiles: [exported('a1')] });
    expect(await handle({ type: 'profiles.import', json: newer }, fromPage)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/newer version.*Update the extension/) } });
    expect(await handle({ type: 'profiles.import', json: '{"format":"something-else","profiles":[]}' }, fromPage)).toMatchObject({ ok: false, error: { message: 'This file is not an Azure DevOps Companion profiles export.' } });
    expect(await profileIds(handle)).toEqual(['pat1', 'oa1']);
  });

  it('imports the profiles it can read and counts the ones it skips', async () => {
    const { handle } = await setup();
    const profiles = [exported('good'), { ...exported('later'), name: 'other', auth: 'certificate' }, { id: 'broken' }];
    const reply = await handle({ type: 'profiles.import', json: JSON.stringify({ format: 'azure-devops-companion/profiles@1', profiles }) }, fromPage);
    expect(reply).toMatchObject({ ok: true, data: { skipped: 2 } });
    expect(await profileIds(handle)).toEqual(['pat1', 'oa1', 'good']);
  });
});

describe('removing a profile, what was kept for it', () => {
  it('goes too: Start work’s last repository per project, and the repositories created from this browser', async () => {
    const session = memoryKeyValue();
    const { handle, local } = await setup(fakeAdo, { session });
    // Its projects listed (cached), as Start work needs them.
    expect(await handle({ type: 'projects.list', profileId: 'pat1' }, fromPage)).toMatchObject({ ok: true });
    const last = { id: 'r1', name: 'Platform', project: 'Platform' };
    await local.set({ [START_WORK_REPO.key('pat1', 'p1')]: last, [START_WORK_REPO.key('oa1', 'p1')]: last });
    await session.set({ [OUR_NEW_REPO.key('pat1')]: { 'p1/new-repo': { at: 1 } }, [OUR_NEW_REPO.key('oa1')]: { 'p1/new-repo': { at: 1 } } });
    await handle({ type: 'profiles.remove', id: 'pat1' }, fromPage);
    expect(await local.get([START_WORK_REPO.key('pat1', 'p1'), START_WORK_REPO.key('oa1', 'p1')])).toEqual({ [START_WORK_REPO.key('oa1', 'p1')]: last });
    expect(Object.keys(await session.get([OUR_NEW_REPO.key('pat1'), OUR_NEW_REPO.key('oa1')]))).toEqual([OUR_NEW_REPO.key('oa1')]);
  });
});

describe('editing a profile', () => {
  it('refuses a clone folder at the top of a drive and a layout with a placeholder it cannot fill, and keeps the profile as it was', async () => {
    const { handle } = await setup();
    for (const patch of [{ cloneRoot: '/' }, { cloneRoot: 'C:\\' }, { layout: '{org}/{proj}/{repo}' }]) {
      expect(await handle({ type: 'profiles.update', id: 'pat1', patch }, fromPage), JSON.stringify(patch)).toMatchObject({ ok: false });
    }
    const list = (await handle({ type: 'profiles.list' }, fromPage)) as { data: { profiles: { id: string; cloneRoot?: string; layout: string }[] } };
    expect(list.data.profiles.find((p) => p.id === 'pat1')).toMatchObject({ layout: '{org}/{project}/{repo}' });
    expect(list.data.profiles.find((p) => p.id === 'pat1')?.cloneRoot).toBeUndefined();
  });

  it('changes only what the patch names, and a clone folder of null is no folder of its own', async () => {
    const { handle } = await setup();
    const profile = async () => ((await handle({ type: 'profiles.list' }, fromPage)) as { data: { profiles: { id: string; name: string; cloneRoot?: string }[] } }).data.profiles.find((p) => p.id === 'pat1');
    await handle({ type: 'profiles.update', id: 'pat1', patch: { cloneRoot: '/home/ada/code' } }, fromPage);
    await handle({ type: 'profiles.update', id: 'pat1', patch: { name: 'Renamed' } }, fromPage);
    expect(await profile()).toMatchObject({ name: 'Renamed', cloneRoot: '/home/ada/code' });
    expect(await handle({ type: 'profiles.update', id: 'pat1', patch: { cloneRoot: null } }, fromPage)).toMatchObject({ ok: true });
    expect(await profile()).not.toHaveProperty('cloneRoot');
    expect(await profile()).toMatchObject({ name: 'Renamed' });
  });
});

describe('cloning through the companion', () => {
  it('gives the credential to the companion alone, with a clean URL and the profile layout', async () => {
    const { handle } = await setup();
    sentToHost.length = 0;
    const reply = await handle({ type: 'clone.start', profileId: 'pat1', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, branch: 'feature/x', taskId: 't' }, fromPage);
    expect(reply).toMatchObject({ ok: true, data: { branch: 'main' } });
    const clone = sentToHost.find((m) => m.type === 'clone');
    expect(clone).toMatchObject({
      url: 'https://dev.azure.com/fabrikam/Platform/_git/Platform',
      root: '/home/ada/source/repos',
      folder: 'fabrikam/Platform/Platform',
      branch: 'feature/x',
      auth: { kind: 'pat', token: PAT },
    });
    expect(JSON.stringify(reply)).not.toContain(PAT);
  });
});

describe('clones outlive the popup that started them', () => {
  it('lists them for the next popup, which follows one to the same answer and dismisses it', async () => {
    const { handle } = await setup();
    const repo = { id: 'r1', name: 'Platform', project: 'Platform' };
    const done = await handle({ type: 'clone.start', profileId: 'pat1', repo, taskId: 'ok' }, fromPage);
    hostOverrides.set('clone', () => ({ error: { code: 'AUTH_FAILED', message: 'Azure DevOps refused the token.' } }));
    const failed = await handle({ type: 'clone.start', profileId: 'pat1', repo, taskId: 'bad' }, fromPage);
    hostOverrides.clear();
    expect(failed).toMatchObject({ ok: false, error: { code: 'companion.AUTH_FAILED' } });

    const listed = (await handle({ type: 'clone.tasks' }, fromPage)) as { ok: true; data: { tasks: { taskId: string }[] } };
    // The finished one is in the companion's list of clones now.
    expect(listed.data.tasks).toEqual([expect.objectContaining({ taskId: 'bad', profileId: 'pat1', repo, state: 'failed', error: (failed as { error: unknown }).error })]);
    // Following a clone that ended answers as the clone did.
    expect(await handle({ type: 'clone.follow', taskId: 'ok' }, fromPage)).toEqual(done);
    expect(await handle({ type: 'clone.follow', taskId: 'bad' }, fromPage)).toEqual(failed);
    expect(await handle({ type: 'clone.follow', taskId: 'never' }, fromPage)).toMatchObject({ ok: false, error: { code: 'TASK_GONE' } });

    // A page sees only its own organization's tasks still running: not the failed one, nor its error.
    expect(await handle({ type: 'clone.tasks' }, fromContent)).toEqual({ ok: true, data: { tasks: [] } });
    await handle({ type: 'clone.forget', taskId: 'bad' }, fromPage);
    const after = (await handle({ type: 'clone.tasks' }, fromPage)) as { ok: true; data: { tasks: { taskId: string }[] } };
    expect(after.data.tasks).toEqual([]);
  });
});

describe('a page finds a clone of its repository that is still under way', () => {
  const repo = { id: 'r1', name: 'Platform', project: 'Platform' };
  const onContoso = { id: 'abc', url: 'https://dev.azure.com/contoso/Web/_git/Web', tab: { id: 3, url: 'https://dev.azure.com/contoso/Web/_git/Web' } } as Runtime.MessageSender;

  it('its plan names the task, which the page follows to the answer; another organization cannot', async () => {
    const { handle } = await setup();
    let finish!: () => void;
    hostOverrides.set('clone', () => new Promise((resolve) => (finish = () => resolve({ data: { path: '/home/ada/source/repos/fabrikam/Platform/Platform', branch: 'main', remoteUrl: 'x' } }))));
    sentToHost.length = 0;
    // Started in the popup; the page is loaded (or reloaded) while it runs.
    const started = handle({ type: 'clone.start', profileId: 'pat1', repo, taskId: 'held' }, fromPage);
    await vi.waitFor(() => expect(sentToHost.some((m) => m.type === 'clone')).toBe(true));
    const plan = await handle({ type: 'clone.plan', repo }, fromContent);
    expect(plan).toMatchObject({ ok: true, data: { cloning: { taskId: 'held' } } });
    expect((plan as { data: object }).data).not.toHaveProperty('existing');
    // A second clone of it is refused before it reaches the companion, and so is a checkout that would clone it.
    expect(await handle({ type: 'clone.start', repo, taskId: 'again' }, fromContent)).toMatchObject({ ok: false, error: { code: 'companion.BUSY' } });
    expect(await handle({ type: 'pullRequest.checkout', repo, pullRequestId: 1, mode: 'branch', taskId: 'pr' }, fromContent)).toMatchObject({ ok: false, error: { code: 'companion.BUSY', message: expect.stringContaining('being cloned already') } });
    // Its task id is its own: a request reusing it does not take the clone's place (nor its Cancel).
    expect(await handle({ type: 'clone.start', repo: { id: 'r2', name: 'Web', project: 'Web' }, taskId: 'held' }, fromContent)).toMatchObject({ ok: false, error: { code: 'companion.BUSY' } });
    expect(sentToHost.filter((m) => m.type === 'clone')).toHaveLength(1);
    expect(await handle({ type: 'clone.follow', taskId: 'held' }, onContoso)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await handle({ type: 'clone.cancel', taskId: 'held' }, onContoso)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // A page's own task that is not on the board (a checkout) is its to cancel.
    expect(await handle({ type: 'clone.cancel', taskId: 'a-checkout' }, onContoso)).toMatchObject({ ok: true });
    const followed = handle({ type: 'clone.follow', taskId: 'held' }, fromContent);
    finish();
    expect(await followed).toEqual(await started);
    expect(await followed).toMatchObject({ ok: true, data: { branch: 'main' } });
  });

  it("a clone a page started, naming the repository by its name, is listed for the popup under the repository's id", async () => {
    const { handle } = await setup(byName);
    let finish!: () => void;
    hostOverrides.set('clone', () => new Promise((resolve) => (finish = () => resolve({ data: { path: '/home/ada/source/repos/fabrikam/Platform/Platform', branch: 'main', remoteUrl: 'x' } }))));
    sentToHost.length = 0;
    const started = handle({ type: 'clone.start', repo: { id: 'Platform', name: 'Platform', project: 'Platform' }, taskId: 'from-page' }, fromContent);
    await vi.waitFor(() => expect(sentToHost.some((m) => m.type === 'clone')).toBe(true));
    const listed = (await handle({ type: 'clone.tasks' }, fromPage)) as { ok: true; data: { tasks: { taskId: string; repo: unknown }[] } };
    expect(listed.data.tasks).toEqual([expect.objectContaining({ taskId: 'from-page', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, state: 'running' })]);
    finish();
    expect(await started).toMatchObject({ ok: true });
  });

  it('a page at the organization’s legacy address follows and cancels its clone; one gone from the board is said gone, not refused', async () => {
    const { handle } = await setup();
    const onLegacy = { id: 'abc', url: 'https://fabrikam.visualstudio.com/Platform/_git/Platform', tab: { id: 4, url: 'https://fabrikam.visualstudio.com/Platform/_git/Platform' } } as Runtime.MessageSender;
    let finish!: () => void;
    hostOverrides.set('clone', () => new Promise((resolve) => (finish = () => resolve({ data: { path: '/home/ada/source/repos/fabrikam/Platform/Platform', branch: 'main', remoteUrl: 'x' } }))));
    sentToHost.length = 0;
    const started = handle({ type: 'clone.start', profileId: 'pat1', repo, taskId: 'held' }, fromPage);
    await vi.waitFor(() => expect(sentToHost.some((m) => m.type === 'clone')).toBe(true));
    expect(await handle({ type: 'clone.plan', repo }, onLegacy)).toMatchObject({ ok: true, data: { cloning: { taskId: 'held' } } });
    expect(await handle({ type: 'clone.cancel', taskId: 'held' }, onLegacy)).toMatchObject({ ok: true });
    expect(sentToHost.filter((m) => m.type === 'cancel')).toHaveLength(1);
    const followed = handle({ type: 'clone.follow', taskId: 'held' }, onLegacy);
    finish();
    expect(await followed).toEqual(await started);
    // Dismissed in the popup (or the worker restarted): the page is told the clone has gone, so it looks again.
    await handle({ type: 'clone.forget', taskId: 'held' }, fromPage);
    expect(await handle({ type: 'clone.follow', taskId: 'held' }, fromContent)).toMatchObject({ ok: false, error: { code: 'TASK_GONE', message: expect.stringContaining('no longer known') } });
  });

  it('on a server: its page follows and cancels a clone of its collection; a cloud page of the same name cannot', async () => {
    const { handle, local } = await setup();
    const collectionUrl = 'https://tfs.fabrikam.test/tfs/DefaultCollection';
    await createProfileStore(local).save(Profile.parse({ id: 'srv', name: 'Server', host: { kind: 'onprem', collectionUrl }, organization: 'DefaultCollection', auth: 'pat' }), { kind: 'pat', pat: PAT });
    const onServer = { id: 'abc', url: `${collectionUrl}/Platform/_git/Platform`, tab: { id: 6, url: `${collectionUrl}/Platform/_git/Platform` } } as Runtime.MessageSender;
    const onCloud = { id: 'abc', url: 'https://dev.azure.com/DefaultCollection/Platform/_git/Platform', tab: { id: 7, url: 'https://dev.azure.com/DefaultCollection/Platform/_git/Platform' } } as Runtime.MessageSender;
    let finish!: () => void;
    hostOverrides.set('clone', () => new Promise((resolve) => (finish = () => resolve({ data: { path: '/home/ada/source/repos/tfs/Platform/Platform', branch: 'main', remoteUrl: 'x' } }))));
    sentToHost.length = 0;
    const started = handle({ type: 'clone.start', profileId: 'srv', repo, taskId: 'on-server' }, fromPage);
    await vi.waitFor(() => expect(sentToHost.some((m) => m.type === 'clone')).toBe(true));
    expect(await handle({ type: 'clone.plan', repo }, onServer)).toMatchObject({ ok: true, data: { cloning: { taskId: 'on-server' } } });
    expect(await handle({ type: 'clone.follow', taskId: 'on-server' }, onCloud)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await handle({ type: 'clone.cancel', taskId: 'on-server' }, onCloud)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await handle({ type: 'clone.cancel', taskId: 'on-server' }, onServer)).toMatchObject({ ok: true });
    const followed = handle({ type: 'clone.follow', taskId: 'on-server' }, onServer);
    finish();
    expect(await followed).toEqual(await started);
  });

  it('asks the companion what is in the way only for a panel that offers the clone, not for a button label', async () => {
    const { handle } = await setup();
    hostOverrides.set('localClones', () => ({ data: { clones: [], truncated: false } }));
    hostOverrides.set('destination', () => ({ error: { code: 'DEST_EXISTS', message: '/home/ada/source/repos/fabrikam/Platform/Platform exists and is not empty' } }));
    sentToHost.length = 0;
    expect((await handle({ type: 'clone.plan', repo }, fromContent)) as { data: object }).not.toHaveProperty('data.inTheWay');
    expect(sentToHost.map((m) => m.type)).not.toContain('destination');
    expect(await handle({ type: 'clone.plan', repo, inTheWay: true }, fromContent)).toMatchObject({ ok: true, data: { inTheWay: expect.stringContaining('exists and is not empty') } });
    expect(sentToHost.filter((m) => m.type === 'destination')).toHaveLength(1);
  });

  it('says a folder name the companion refuses before Clone is pressed, but not a companion too old to be asked', async () => {
    const { handle } = await setup();
    hostOverrides.set('localClones', () => ({ data: { clones: [], truncated: false } }));
    hostOverrides.set('destination', () => ({ error: { code: 'BAD_REQUEST', message: 'folder name "-x" must not start with "-" or "."' } }));
    expect(await handle({ type: 'clone.plan', repo, inTheWay: true }, fromContent)).toMatchObject({ ok: true, data: { inTheWay: expect.stringContaining('must not start with') } });
    hostOverrides.set('destination', () => ({ error: { code: 'BAD_REQUEST', message: 'unknown request type "destination"; known: hello, clone' } }));
    expect((await handle({ type: 'clone.plan', repo, inTheWay: true }, fromContent)) as { data: object }).not.toHaveProperty('data.inTheWay');
  });

  it("a folder the companion says is still being cloned is not the repository's clone", async () => {
    const { handle } = await setup();
    const path = '/home/ada/source/repos/fabrikam/Platform/Platform';
    const folder = { path, known: false, remotes: [{ name: 'origin', fetchUrl: 'https://dev.azure.com/fabrikam/Platform/_git/Platform' }], branch: 'main', dirty: false };
    hostOverrides.set('localClones', () => ({ data: { clones: [{ ...folder, cloning: true }], truncated: false } }));
    const plan = await handle({ type: 'clone.plan', repo }, fromContent);
    expect(plan).toMatchObject({ ok: true, data: { cloning: { path } } });
    expect((plan as { data: object }).data).not.toHaveProperty('existing');
    hostOverrides.set('localClones', () => ({ data: { clones: [folder], truncated: false } }));
    expect(await handle({ type: 'clone.plan', repo }, fromContent)).toMatchObject({ ok: true, data: { existing: { path } } });
  });

  it('finds a clone by any form of its remote: the legacy {org}.visualstudio.com address, SSH', async () => {
    const { handle } = await setup();
    const path = '/home/ada/src/platform';
    for (const fetchUrl of ['https://fabrikam.visualstudio.com/DefaultCollection/Platform/_git/Platform', 'git@ssh.dev.azure.com:v3/fabrikam/Platform/Platform']) {
      hostOverrides.set('localClones', () => ({ data: { clones: [{ path, known: false, remotes: [{ name: 'origin', fetchUrl }], branch: 'main', dirty: false }], truncated: false } }));
      expect(await handle({ type: 'clone.plan', repo }, fromContent), fetchUrl).toMatchObject({ ok: true, data: { existing: { path } } });
    }
  });

  it("tells a page its clone's remotes by name, which repository each is only for its own organization's, and never their URLs", async () => {
    const { handle } = await setup();
    const remotes = [
      { name: 'origin', fetchUrl: 'https://dev.azure.com/fabrikam/Platform/_git/Platform' },
      { name: 'security', fetchUrl: 'https://ada:s3cret@dev.azure.com/fabrikam/Security/_git/platform-fork' },
      { name: 'upstream', fetchUrl: 'git@ssh.dev.azure.com:v3/fabrikam/Platform/Upstream' },
      { name: 'mine', fetchUrl: 'https://dev.azure.com/contoso/Web/_git/Web' },
      { name: 'github', fetchUrl: 'https://github.com/ada/platform.git' },
    ];
    hostOverrides.set('localClones', () => ({ data: { clones: [{ path: '/src/platform', known: true, remotes, branch: 'main', dirty: false }], truncated: false } }));
    const plan = (await handle({ type: 'clone.plan', repo }, fromContent)) as { data: { existing: { remotes: unknown } } };
    expect(plan.data.existing.remotes).toEqual([
      { name: 'origin', key: 'fabrikam/platform/platform' },
      { name: 'security', key: 'fabrikam/security/platform-fork' },
      { name: 'upstream', key: 'fabrikam/platform/upstream' },
      { name: 'mine' },
      { name: 'github' },
    ]);
    expect(JSON.stringify(plan)).not.toMatch(/s3cret|contoso|github\.com/);
  });
});

const repoJson = (id: string, project: string, remoteUrl: string) => ({ id, name: 'Web', url: 'https://x', remoteUrl, project: { id: project, name: project } });

/** A page whose own session Azure DevOps answers with `status` (a 401: signed out; a 403: not allowed). */
const refusing = (status: number) => async (): Promise<PageFetchAnswer> => ({ status, headers: [], text: '' });

describe('a page of an organization without a profile', () => {
  const NORTHWIND = 'https://dev.azure.com/northwind';
  const onNorthwind = { id: 'abc', url: `${NORTHWIND}/Web/_git/Web`, frameId: 0, tab: { id: 5, url: `${NORTHWIND}/Web/_git/Web` } } as Runtime.MessageSender;
  const web = { id: 'r1', name: 'Web', project: 'Web' };

  /** The content script of tab 5: makes each call with the page's session (here: a fake Azure DevOps) and records it. */
  function pageTab(remoteUrl = `https://northwind@dev.azure.com/northwind/Web/_git/Web`) {
    const calls: { tabId: number; frameId: number; url: string; method: string; headers: Record<string, string> }[] = [];
    const answer = (url: URL) => {
      if (url.pathname.endsWith('/_apis/connectionData')) return { authenticatedUser: { id: 'me' }, instanceId: 'nw' };
      if (url.pathname.endsWith('/forks/nw')) return { count: 1, value: [{ id: 'f1', name: 'Web', project: { id: 'Mobile', name: 'Mobile' } }] };
      if (url.pathname.endsWith('/_apis/git/repositories/f1')) return repoJson('f1', 'Mobile', `${NORTHWIND}/Mobile/_git/Web`);
      if (url.pathname.endsWith('/_apis/git/repositories/r1')) return repoJson('r1', 'Web', remoteUrl);
      if (url.pathname.endsWith('/_apis/projects')) return { count: 1, value: [{ id: 'Web', name: 'Web' }] };
      return undefined;
    };
    const tabMessage = async (tabId: number, frameId: number, m: PageFetchRequest): Promise<PageFetchAnswer> => {
      calls.push({ tabId, frameId, url: m.url, method: m.method, headers: m.headers });
      const body = answer(new URL(m.url));
      return body ? { status: 200, headers: [['content-type', 'application/json']], text: JSON.stringify(body) } : { status: 404, headers: [], text: '{}' };
    };
    return { calls, tabMessage };
  }

  it('reads forks and projects with the page’s own session: through its tab, its organization only, no credential', async () => {
    const tab = pageTab();
    const { handle } = await setup(fakeAdo, { tabMessage: tab.tabMessage });
    const forks = await handle({ type: 'forks.list', repo: web }, onNorthwind);
    expect(forks).toMatchObject({ ok: true, data: { repo: { id: 'r1' }, forks: [{ id: 'f1', project: { name: 'Mobile' } }] } });
    expect(await handle({ type: 'projects.list' }, onNorthwind)).toMatchObject({ ok: true, data: { items: [{ name: 'Web' }] } });
    expect(tab.calls.length).toBeGreaterThan(3);
    for (const c of tab.calls) {
      expect(c).toMatchObject({ tabId: 5, frameId: 0 });
      expect(c.url.startsWith(`${NORTHWIND}/`)).toBe(true);
      expect(Object.keys(c.headers).map((k) => k.toLowerCase())).not.toContain('authorization');
    }
  });

  it("says a refused page sign-in is fixed by an account, not a token's update", async () => {
    const refused = await setup(fakeAdo, { tabMessage: refusing(401) });
    const reply = (await refused.handle({ type: 'projects.list' }, onNorthwind)) as { ok: false; error: { code: string; message: string } };
    expect(reply.error.code).toBe('sessionRefused');
    expect(reply.error.message).toContain("Azure DevOps did not accept this page's sign-in");
    expect(nextStepFor(reply.error.code)).toEqual(['Add an account', 'accounts']);
    // A refusal of the person's own session is about permissions: no Options button would help.
    const forbidden = await setup(fakeAdo, { tabMessage: refusing(403) });
    const denied = (await forbidden.handle({ type: 'projects.list' }, onNorthwind)) as { ok: false; error: { code: string } };
    expect(denied.error.code).toBe('sessionForbidden');
    expect(nextStepFor(denied.error.code)).toBeUndefined();
  });

  it('adds a remote with the URL the session read, for the page’s organization only', async () => {
    const tab = pageTab();
    const { handle } = await setup(fakeAdo, { tabMessage: tab.tabMessage });
    listClone('/home/ada/x', `${NORTHWIND}/Web/_git/Web`);
    sentToHost.length = 0;
    expect(await handle({ type: 'local.addRemote', repo: web, path: '/home/ada/x', name: 'web' }, onNorthwind)).toMatchObject({ ok: true });
    expect(sentToHost.find((m) => m.type === 'addRemote')).toMatchObject({ url: `${NORTHWIND}/Web/_git/Web`, name: 'web' });
    // A page whose answers name another organization's repository gets nothing added.
    const lying = pageTab('https://dev.azure.com/fabrikam/Platform/_git/Platform');
    const other = await setup(fakeAdo, { tabMessage: lying.tabMessage });
    sentToHost.length = 0;
    expect(await other.handle({ type: 'local.addRemote', repo: web, path: '/home/ada/x', name: 'web' }, onNorthwind)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(sentToHost.some((m) => m.type === 'addRemote')).toBe(false);
  });

  it('clones the URL the session read, with no token, whatever URL the page names', async () => {
    const tab = pageTab();
    const { handle } = await setup(fakeAdo, { tabMessage: tab.tabMessage });
    sentToHost.length = 0;
    const planted = { ...web, remoteUrl: 'https://dev.azure.com/fabrikam/Platform/_git/Platform' };
    expect(await handle({ type: 'clone.start', repo: planted, taskId: 'nw' }, onNorthwind)).toMatchObject({ ok: true });
    const clone = sentToHost.find((m) => m.type === 'clone')!;
    expect(clone).toMatchObject({ url: `${NORTHWIND}/Web/_git/Web`, folder: 'northwind/Web/Web' });
    expect(clone).not.toHaveProperty('auth');
  });

  it("tells a page's panel asking through a port why its page-session call waits, then answers", async () => {
    let failures = 1;
    const tab = pageTab();
    const busyOnce = async (tabId: number, frameId: number, m: PageFetchRequest): Promise<PageFetchAnswer> =>
      new URL(m.url).pathname.endsWith('/forks/nw') && failures-- > 0 ? { status: 503, headers: [], text: '' } : tab.tabMessage(tabId, frameId, m);
    const { handlePort } = await setup(fakeAdo, { tabMessage: busyOnce });
    const page = portFrom(handlePort, onNorthwind);
    page.ask({ type: 'forks.list', repo: web });
    await vi.waitFor(() => expect(page.posted.some((m) => 'reply' in (m as object))).toBe(true), { timeout: 3000 });
    expect(page.posted).toEqual([
      { progress: { waiting: { until: expect.any(Number), error: expect.objectContaining({ code: 'server' }), host: 'dev.azure.com' } } },
      { reply: expect.objectContaining({ ok: true, data: expect.objectContaining({ forks: [expect.objectContaining({ id: 'f1' })] }) }) },
    ]);
  });

  it('answers NO_PROFILE when no tab can make the calls, and keeps reviewer groups for profiles', async () => {
    const { handle } = await setup();
    expect(await handle({ type: 'forks.list', repo: web }, onNorthwind)).toMatchObject({ ok: false, error: { code: 'NO_PROFILE' } });
    const tab = pageTab();
    const withTab = await setup(fakeAdo, { tabMessage: tab.tabMessage });
    expect(await withTab.handle({ type: 'groups.list', project: 'Web' }, onNorthwind)).toMatchObject({ ok: false, error: { code: 'NO_PROFILE' } });
  });
});

describe('checking out a pull request through the companion', () => {
  const repo = { id: 'r1', name: 'Platform', project: 'Platform' };
  const clone = {
    path: '/home/ada/source/repos/fabrikam/Platform/Platform',
    known: true,
    remotes: [{ name: 'origin', fetchUrl: 'https://dev.azure.com/fabrikam/Platform/_git/Platform' }],
    branch: 'main',
    dirty: false,
  };

  it('clones a pull request of the repository itself on its branch when there is no clone', async () => {
    const { handle } = await setup();
    sentToHost.length = 0;
    hostOverrides.clear();
    const reply = await handle({ type: 'pullRequest.checkout', profileId: 'pat1', repo, pullRequestId: 1, mode: 'branch', taskId: 't' }, fromPage);
    expect(reply, JSON.stringify(reply)).toMatchObject({ ok: true, data: { cloned: true, worktree: false, branch: 'main', remote: 'origin' } });
    expect(sentToHost.find((m) => m.type === 'clone')).toMatchObject({ branch: 'feature/x', auth: { kind: 'pat', token: PAT } });
    expect(sentToHost.some((m) => m.type === 'checkout')).toBe(false);
  });

  it('keeps the checkout on the board: a popup opened again finds it running, follows it to its answer, and can dismiss a failed one', async () => {
    const { handle } = await setup();
    hostOverrides.clear();
    let finish!: () => void;
    hostOverrides.set('clone', () => new Promise((resolve) => (finish = () => resolve({ data: { path: '/home/ada/source/repos/fabrikam/Platform/Platform', branch: 'feature/x', remoteUrl: 'x' } }))));
    sentToHost.length = 0;
    // The popup that asked closes: its answer is lost, the checkout goes on.
    const asked = handle({ type: 'pullRequest.checkout', profileId: 'pat1', repo, pullRequestId: 1, mode: 'branch', taskId: 'co' }, fromPage);
    await vi.waitFor(() => expect(sentToHost.some((m) => m.type === 'clone')).toBe(true));
    const listed = (await handle({ type: 'clone.tasks' }, fromPage)) as { ok: true; data: { tasks: object[] } };
    expect(listed.data.tasks).toEqual([expect.objectContaining({ taskId: 'co', profileId: 'pat1', repo, state: 'running', checkout: { pullRequestId: 1, mode: 'branch', worktree: false } })]);
    // Its id stays its own, and it is not a clone to follow.
    expect(await handle({ type: 'pullRequest.checkout', profileId: 'pat1', repo, pullRequestId: 1, mode: 'branch', taskId: 'co' }, fromPage)).toMatchObject({ ok: false, error: { code: 'companion.BUSY' } });
    expect(await handle({ type: 'clone.follow', taskId: 'co' }, fromPage)).toMatchObject({ ok: false, error: { code: 'TASK_GONE' } });
    const followed = handle({ type: 'pullRequest.follow', taskId: 'co' }, fromPage);
    finish();
    expect(await followed).toEqual(await asked);
    expect(await followed).toMatchObject({ ok: true, data: { cloned: true, branch: 'feature/x' } });
    // Done, it is still listed (with its answer to follow), unlike a finished clone.
    const after = (await handle({ type: 'clone.tasks' }, fromPage)) as { ok: true; data: { tasks: object[] } };
    expect(after.data.tasks).toEqual([expect.objectContaining({ taskId: 'co', state: 'done' })]);

    hostOverrides.set('localClones', () => ({ data: { clones: [clone], truncated: false } }));
    hostOverrides.set('checkout', () => ({ error: { code: 'FAILED', message: 'fatal: unable to access' } }));
    const failed = await handle({ type: 'pullRequest.checkout', profileId: 'pat1', repo, pullRequestId: 1, mode: 'merge', taskId: 'co2' }, fromPage);
    expect(failed).toMatchObject({ ok: false });
    expect(await handle({ type: 'pullRequest.follow', taskId: 'co2' }, fromPage)).toEqual(failed);
    await handle({ type: 'clone.forget', taskId: 'co2' }, fromPage);
    expect(await handle({ type: 'pullRequest.follow', taskId: 'co2' }, fromPage)).toMatchObject({ ok: false, error: { code: 'TASK_GONE' } });
    hostOverrides.clear();
  });

  it('keeps a branch checkout (Start work) on the board too, followed with local.followCheckout', async () => {
    const { handle } = await setup();
    hostOverrides.clear();
    hostOverrides.set('localClones', () => ({ data: { clones: [clone], truncated: false } }));
    const done = await handle({ type: 'local.checkoutBranch', profileId: 'pat1', repo, branch: 'refs/heads/feature/x', taskId: 'b1' }, fromPage);
    expect(done).toMatchObject({ ok: true, data: { clonePath: clone.path } });
    const listed = (await handle({ type: 'clone.tasks' }, fromPage)) as { ok: true; data: { tasks: object[] } };
    expect(listed.data.tasks).toEqual([expect.objectContaining({ taskId: 'b1', profileId: 'pat1', repo, state: 'done', checkout: { branch: 'feature/x', worktree: false } })]);
    expect(await handle({ type: 'local.followCheckout', taskId: 'b1' }, fromPage)).toEqual(done);
    // Each kind is followed by its own request.
    expect(await handle({ type: 'pullRequest.follow', taskId: 'b1' }, fromPage)).toMatchObject({ ok: false, error: { code: 'TASK_GONE' } });
    expect(await handle({ type: 'clone.follow', taskId: 'b1' }, fromPage)).toMatchObject({ ok: false, error: { code: 'TASK_GONE' } });
    hostOverrides.clear();
  });

  it("lets a page reloaded during a checkout find it and follow it again; another organization's page sees nothing of it", async () => {
    const { handle } = await setup();
    hostOverrides.clear();
    const onContoso = { id: 'abc', url: 'https://dev.azure.com/contoso/Web/_git/Web', tab: { id: 3, url: 'https://dev.azure.com/contoso/Web/_git/Web' } } as Runtime.MessageSender;
    let finish!: () => void;
    hostOverrides.set('clone', () => new Promise((resolve) => (finish = () => resolve({ data: { path: '/home/ada/source/repos/fabrikam/Platform/Platform', branch: 'feature/x', remoteUrl: 'x' } }))));
    sentToHost.length = 0;
    // Started from the popup: the task is of the profile's organization, so fabrikam's pages find it.
    const asked = handle({ type: 'pullRequest.checkout', profileId: 'pat1', repo, pullRequestId: 1, mode: 'branch', taskId: 'co4' }, fromPage);
    await vi.waitFor(() => expect(sentToHost.some((m) => m.type === 'clone')).toBe(true));
    const listed = (await handle({ type: 'clone.tasks' }, fromContent)) as { ok: true; data: { tasks: object[] } };
    // Only what a page would have known of its own task: no profile, no error.
    expect(listed.data.tasks).toEqual([{ taskId: 'co4', repo, state: 'running', checkout: { pullRequestId: 1, mode: 'branch', worktree: false } }]);
    expect(await handle({ type: 'clone.tasks' }, onContoso)).toEqual({ ok: true, data: { tasks: [] } });
    expect(await handle({ type: 'pullRequest.follow', taskId: 'co4' }, onContoso)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const followed = handle({ type: 'pullRequest.follow', taskId: 'co4' }, fromContent);
    finish();
    expect(await followed).toEqual(await asked);
    // Ended, it is no longer a page's to find (its outcome was the asker's).
    expect(await handle({ type: 'clone.tasks' }, fromContent)).toEqual({ ok: true, data: { tasks: [] } });

    // A branch checkout a page started (Start work on item 7): the page's organization's, followed
    // with local.followCheckout, and named for its item, whose pages alone read themselves for it.
    hostOverrides.set('localClones', () => ({ data: { clones: [clone], truncated: false } }));
    let switched!: () => void;
    hostOverrides.set('checkout', () => new Promise((resolve) => (switched = () => resolve({ data: { path: clone.path, branch: 'feature/x', result: 'switched' } }))));
    sentToHost.length = 0;
    const branch = handle({ type: 'local.checkoutBranch', repo, branch: 'feature/x', workItem: 7, taskId: 'b2' }, fromContent);
    await vi.waitFor(() => expect(sentToHost.some((m) => m.type === 'checkout')).toBe(true));
    expect(((await handle({ type: 'clone.tasks' }, fromContent)) as { data: { tasks: object[] } }).data.tasks).toEqual([expect.objectContaining({ taskId: 'b2', checkout: { branch: 'feature/x', worktree: false, workItem: 7 } })]);
    expect(await handle({ type: 'local.followCheckout', taskId: 'b2' }, onContoso)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const again = handle({ type: 'local.followCheckout', taskId: 'b2' }, fromContent);
    switched();
    expect(await again).toEqual(await branch);
    hostOverrides.clear();
  });

  it("tells a page reloaded as its checkout ended how it ended, once, and for minutes only; another organization's page sees nothing of it", async () => {
    let now = Date.now();
    const { handle, handlePort } = await setup(fakeAdo, { now: () => now });
    hostOverrides.clear();
    const onContoso = { id: 'abc', url: 'https://dev.azure.com/contoso/Web/_git/Web', tab: { id: 3, url: 'https://dev.azure.com/contoso/Web/_git/Web' } } as Runtime.MessageSender;
    let finish!: () => void;
    hostOverrides.set('clone', () => new Promise((resolve) => (finish = () => resolve({ data: { path: '/home/ada/source/repos/fabrikam/Platform/Platform', branch: 'feature/x', remoteUrl: 'x' } }))));
    const checkout = (taskId: string) => {
      sentToHost.length = 0;
      const page = portFrom(handlePort, fromContent);
      page.ask({ type: 'pullRequest.checkout', repo, pullRequestId: 1, mode: 'branch', taskId });
      return page;
    };
    const ended = (taskId: string) => vi.waitFor(async () => expect(((await handle({ type: 'clone.tasks' }, fromPage)) as { data: { tasks: { taskId: string; state: string }[] } }).data.tasks.find((t) => t.taskId === taskId)?.state).toBe('done'));
    const pageTasks = async (sender: Runtime.MessageSender) => ((await handle({ type: 'clone.tasks' }, sender)) as { data: { tasks: object[] } }).data.tasks;

    // The page that asked is reloading when the checkout ends: nobody hears its answer.
    const reloaded = checkout('co6');
    await vi.waitFor(() => expect(sentToHost.some((m) => m.type === 'clone')).toBe(true));
    reloaded.leave();
    finish();
    await ended('co6');
    // Only what the page would have known of its own task: no profile, no error.
    expect(await pageTasks(fromContent)).toEqual([{ taskId: 'co6', repo, state: 'done', checkout: { pullRequestId: 1, mode: 'branch', worktree: false } }]);
    expect(await pageTasks(onContoso)).toEqual([]);
    expect(await handle({ type: 'pullRequest.follow', taskId: 'co6' }, onContoso)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // The reloaded page follows it to its answer; then no page is told it again.
    expect(await handle({ type: 'pullRequest.follow', taskId: 'co6' }, fromContent)).toMatchObject({ ok: true, data: { cloned: true, branch: 'feature/x' } });
    expect(await pageTasks(fromContent)).toEqual([]);

    // A page still there when its checkout ends had its answer: nothing to tell.
    const stayed = checkout('co7');
    await vi.waitFor(() => expect(sentToHost.some((m) => m.type === 'clone')).toBe(true));
    finish();
    await ended('co7');
    expect(stayed.posted.at(-1)).toMatchObject({ reply: { ok: true } });
    expect(await pageTasks(fromContent)).toEqual([]);

    // Unheard, but minutes ago: a page loaded now is not told.
    const left = checkout('co8');
    await vi.waitFor(() => expect(sentToHost.some((m) => m.type === 'clone')).toBe(true));
    left.leave();
    finish();
    await ended('co8');
    expect(await pageTasks(fromContent)).toEqual([expect.objectContaining({ taskId: 'co8' })]);
    now += 5 * 60_000 + 1;
    expect(await pageTasks(fromContent)).toEqual([]);
    hostOverrides.clear();
  });

  it("refuses another request under a running checkout's id, also between its steps (it would take over its Cancel)", async () => {
    const { handle } = await setup();
    hostOverrides.clear();
    hostOverrides.set('localClones', () => ({ data: { clones: [clone], truncated: false } }));
    let added!: () => void;
    // Between steps: the fork's remote is being added, no git step runs under the id.
    hostOverrides.set('addRemote', () => new Promise((resolve) => (added = () => resolve({ data: { path: clone.path, name: 'security-team', url: 'https://dev.azure.com/fabrikam/Security%20Team/_git/platform-fork' } }))));
    sentToHost.length = 0;
    const checkout = handle({ type: 'pullRequest.checkout', profileId: 'pat1', repo, pullRequestId: 2, mode: 'branch', taskId: 'co3' }, fromPage);
    await vi.waitFor(() => expect(sentToHost.some((m) => m.type === 'addRemote')).toBe(true));
    expect(await handle({ type: 'local.checkoutBranch', profileId: 'pat1', repo, branch: 'main', taskId: 'co3' }, fromPage)).toMatchObject({ ok: false, error: { code: 'companion.BUSY' } });
    added();
    const done = await checkout;
    expect(done, JSON.stringify(done)).toMatchObject({ ok: true, data: { remote: 'security-team' } });
    hostOverrides.clear();
  });

  it("adds a fork as a remote named after its project, fetches its branch with the profile's credential, and names the branch apart when one is taken", async () => {
    const { handle } = await setup();
    sentToHost.length = 0;
    hostOverrides.clear();
    hostOverrides.set('localClones', () => ({ data: { clones: [clone], truncated: false } }));
    hostOverrides.set('checkout', (req) =>
      req.newBranch ? { data: { path: clone.path, branch: req.newBranch, head: 'b'.repeat(40), upstream: 'security-team/feature/x', result: 'created' } } : { error: { code: 'BRANCH_EXISTS', message: 'taken' } },
    );
    const reply = await handle({ type: 'pullRequest.checkout', profileId: 'pat1', repo, pullRequestId: 2, mode: 'branch', taskId: 't' }, fromPage);
    expect(reply).toMatchObject({ ok: true, data: { cloned: false, remote: 'security-team', branch: 'pr/2/feature/x', clonePath: clone.path } });
    expect(sentToHost.find((m) => m.type === 'addRemote')).toMatchObject({ path: clone.path, name: 'security-team', url: 'https://dev.azure.com/fabrikam/Security%20Team/_git/platform-fork' });
    const checkouts = sentToHost.filter((m) => m.type === 'checkout');
    expect(checkouts).toHaveLength(2);
    expect(checkouts[0]).toMatchObject({ remote: 'security-team', branch: 'feature/x', auth: { kind: 'pat', token: PAT } });
    expect(checkouts[1]).toMatchObject({ newBranch: 'pr/2/feature/x' });
    expect(JSON.stringify(reply)).not.toContain(PAT);
    hostOverrides.clear();
  });

  it('checks out only in a clone of the repository itself: a clone of another organization’s with it as a remote is not its clone', async () => {
    const { handle } = await setup();
    sentToHost.length = 0;
    hostOverrides.clear();
    // contoso's clone, with fabrikam's repository added as a remote (by a page before, or by anyone).
    listClone('/home/ada/source/repos/contoso/Web/Web', 'https://dev.azure.com/contoso/Web/_git/Web', [{ name: 'planted', fetchUrl: clone.remotes[0]!.fetchUrl }]);
    expect((await handle({ type: 'clone.plan', repo }, fromContent)) as { data: object }).not.toHaveProperty('data.existing');
    const branch = await handle({ type: 'local.checkoutBranch', repo, branch: 'feature/x', taskId: 'b' }, fromContent);
    expect(branch).toMatchObject({ ok: true, data: { cloned: true } });
    const pr = await handle({ type: 'pullRequest.checkout', repo, pullRequestId: 1, mode: 'merge', taskId: 'p' }, fromContent);
    expect(pr).toMatchObject({ ok: true, data: { cloned: true } });
    expect(sentToHost.filter((m) => m.type === 'clone')).toHaveLength(2);
    expect(sentToHost.filter((m) => m.path === '/home/ada/source/repos/contoso/Web/Web')).toEqual([]);
    hostOverrides.clear();
  });

  it('on a server: a clone of another server at the same name on another port, with the same path, is not the repository’s clone', async () => {
    const collectionUrl = 'https://ado.corp.example:8080/tfs/DefaultCollection';
    const onServerAdo: typeof fetch = async (input) =>
      new URL(String(input)).pathname.endsWith('/_apis/git/repositories/r1')
        ? json({ id: 'r1', name: 'Platform', url: 'https://x', remoteUrl: `${collectionUrl}/Platform/_git/Platform`, project: { id: 'p1', name: 'Platform' } })
        : fakeAdo(input);
    const { handle, local } = await setup(onServerAdo);
    await createProfileStore(local).save(Profile.parse({ id: 'srv', name: 'Server', host: { kind: 'onprem', collectionUrl }, organization: 'DefaultCollection', auth: 'pat' }), { kind: 'pat', pat: PAT });
    const onServer = { id: 'abc', url: `${collectionUrl}/Platform/_git/Platform`, tab: { id: 6, url: `${collectionUrl}/Platform/_git/Platform` } } as Runtime.MessageSender;
    listClone('/src/other-port', 'https://ado.corp.example/tfs/DefaultCollection/Platform/_git/Platform');
    expect((await handle({ type: 'clone.plan', repo }, onServer)) as { data: object }).not.toHaveProperty('data.existing');
    expect((await handle({ type: 'clone.plan', profileId: 'srv', repo }, fromPage)) as { data: object }).not.toHaveProperty('data.existing');
    listClone('/src/own', `${collectionUrl}/Platform/_git/Platform`);
    expect(await handle({ type: 'clone.plan', repo }, onServer)).toMatchObject({ ok: true, data: { existing: { path: '/src/own' } } });
  });

  it('checks a branch out in a clone of its organization where the repository was added as a remote (Forks), through that remote', async () => {
    const { handle } = await setup();
    sentToHost.length = 0;
    hostOverrides.clear();
    // The clone of fabrikam's Upstream, with Platform (a fork of it, say) added as `ada-fork`.
    listClone('/home/ada/source/repos/fabrikam/Platform/Upstream', 'https://dev.azure.com/fabrikam/Platform/_git/Upstream', [{ name: 'ada-fork', fetchUrl: clone.remotes[0]!.fetchUrl }]);
    const branch = await handle({ type: 'local.checkoutBranch', repo, branch: 'feature/x', taskId: 'b' }, fromContent);
    expect(branch).toMatchObject({ ok: true, data: { cloned: false } });
    expect(sentToHost.filter((m) => m.type === 'clone')).toEqual([]);
    expect(sentToHost.find((m) => m.type === 'checkout')).toMatchObject({ path: '/home/ada/source/repos/fabrikam/Platform/Upstream', remote: 'ada-fork' });
    hostOverrides.clear();
  });

  it('passes a dirty clone on as WORKTREE_DIRTY, and makes the worktree next to the clone when asked', async () => {
    const { handle } = await setup();
    sentToHost.length = 0;
    hostOverrides.clear();
    // A worktree of the clone shares its remotes, and may be listed first: the clone is the one used.
    hostOverrides.set('localClones', () => ({ data: { clones: [{ ...clone, path: `${clone.path}-pr-9`, worktree: true }, { ...clone, dirty: true }], truncated: false } }));
    hostOverrides.set('checkout', () => ({ error: { code: 'WORKTREE_DIRTY', message: `${clone.path} has uncommitted changes; nothing was changed.` } }));
    expect(await handle({ type: 'pullRequest.checkout', profileId: 'pat1', repo, pullRequestId: 1, mode: 'merge', taskId: 't' }, fromPage)).toMatchObject({
      ok: false,
      error: { code: 'companion.WORKTREE_DIRTY' },
    });
    const reply = await handle({ type: 'pullRequest.checkout', profileId: 'pat1', repo, pullRequestId: 1, mode: 'merge', worktree: true, taskId: 't' }, fromPage);
    expect(reply).toMatchObject({ ok: true, data: { worktree: true, clonePath: clone.path } });
    expect(sentToHost.find((m) => m.type === 'worktree')).toMatchObject({ path: clone.path, remote: 'origin', pullRequest: 1, folder: 'Platform-pr-1-merge' });
    hostOverrides.clear();
  });

  it("opens with the editor chosen in Options, a file at its line", async () => {
    const { handle } = await setup();
    listClone('/x', FABRIKAM_PLATFORM);
    sentToHost.length = 0;
    expect(await handle({ type: 'settings.setEditor', editor: 'jetbrains' }, fromPage)).toMatchObject({ ok: true, data: { editor: 'jetbrains' } });
    await handle({ type: 'local.open', path: '/x', target: 'editor', file: '/src/a.ts', line: 7 }, fromContent);
    expect(sentToHost.find((m) => m.type === 'open')).toMatchObject({ editor: 'jetbrains', file: '/src/a.ts', line: 7 });
    expect(await handle({ type: 'settings.setEditor', editor: 'jetbrains' }, fromContent)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('says that a missing editor is fixed in Options, and only for the editor', async () => {
    const { handle } = await setup();
    listClone('/x', FABRIKAM_PLATFORM);
    hostOverrides.set('open', () => ({ error: { code: 'TOOL_MISSING', message: 'VS Code was not found on this computer' } }));
    try {
      const editorMissing = await handle({ type: 'local.open', path: '/x', target: 'editor' }, fromContent);
      expect(editorMissing).toMatchObject({ ok: false, error: { code: 'companion.EDITOR_MISSING', message: 'VS Code was not found on this computer. Install it, or choose another editor in Options › Editor.' } });
      expect(nextStepFor((editorMissing as { error: { code: string } }).error.code)).toEqual(['Choose another editor', 'editor']);
      // No file manager is not a matter of the editor setting.
      expect(await handle({ type: 'local.open', path: '/x', target: 'folder' }, fromContent)).toMatchObject({ ok: false, error: { code: 'companion.TOOL_MISSING' } });
    } finally {
      hostOverrides.clear();
    }
  });
});

/** The request types the injected features send: every `type: 'area.name'` in src/content. */
function typesTheFeaturesSend(): string[] {
  const dir = join(import.meta.dirname, '../../src/content');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const types = files.flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/\btype: '([a-zA-Z]+\.[a-zA-Z.]+)'/g)].map((m) => m[1]!));
  return [...new Set(types)].toSorted();
}

describe('the contract', () => {
  it('opens to content scripts exactly what the injected features send', () => {
    const sent = typesTheFeaturesSend();
    expect(sent.length).toBeGreaterThan(10);
    expect(REQUEST_TYPES.filter((t) => sendersOf(t).includes('content')).toSorted()).toEqual(sent);
  });

  it('answers our own pages in the shape it declares', async () => {
    const { handle } = await setup();
    for (const req of everyRequest) {
      const reply = await handle(req, fromPage);
      if (reply.ok) expect(REQUESTS[req.type].answer.safeParse(reply.data).success, req.type).toBe(true);
    }
  });
});

/** Every call to Azure DevOps: which organization, and with which credential. */
function recordingAdo(calls: { org: string; auth: string }[]): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    calls.push({ org: new URL(String(input instanceof Request ? input.url : input)).pathname.split('/')[1] ?? '', auth: headers.get('authorization') ?? '' });
    return fakeAdo(input, init);
  };
}

const onPage = (url: string) => ({ id: 'abc', url, tab: { id: 4, url } }) as Runtime.MessageSender;
const onFabrikam = onPage('https://dev.azure.com/fabrikam/Platform/_git/Platform');
/** An organization the user has no profile for. */
const onNorthwind = onPage('https://dev.azure.com/northwind/Web/_git/Web');
const repo = { id: 'r1', name: 'Platform', project: 'Platform' };

/** fabrikam's profiles (pat1, oa1) and contoso's, which is active. */
async function withContosoActive() {
  const calls: { org: string; auth: string }[] = [];
  const s = await setup(recordingAdo(calls));
  const store = createProfileStore(s.local);
  await store.save(Profile.parse({ id: 'c1', name: 'Contoso', auth: 'pat', host: { kind: 'cloud' }, organization: 'contoso' }), { kind: 'pat', pat: CONTOSO_PAT });
  await store.setActive('c1');
  sentToHost.length = 0;
  return { ...s, calls };
}
const CONTOSO_PAT = 'contoso-pat-0123456789';
const contosoAuth = `Basic ${btoa(`:${CONTOSO_PAT}`)}`;

describe('a page', () => {
  it('may send only what the injected features send; everything else is refused unheard', async () => {
    const { handle, calls } = await withContosoActive();
    const closed = everyRequest.filter((r) => !sendersOf(r.type).includes('content'));
    expect(closed.map((r) => r.type)).toEqual(expect.arrayContaining(['repos.create', 'repos.list', 'prs.create', 'prs.mine', 'local.clones', 'profiles.list', 'ping']));
    for (const req of closed) expect(await handle(req, onFabrikam), req.type).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(calls).toEqual([]);
    expect(sentToHost).toEqual([]);
    // Our own pages still may.
    expect(await handle({ type: 'repos.list' }, fromPage)).toMatchObject({ ok: true });
  });

  it('may not name a profile, not even its own organization’s', async () => {
    const { handle, calls } = await withContosoActive();
    for (const profileId of ['c1', 'pat1']) {
      for (const req of [
        { type: 'projects.list', profileId },
        { type: 'forks.list', profileId, repo },
        { type: 'local.fetch', profileId, path: '/x', remote: 'origin' },
        { type: 'clone.start', profileId, repo, taskId: 't' },
        { type: 'pullRequest.addReviewers', profileId, repo, pullRequestId: 1, reviewers: [{ id: 'u1', isRequired: false }] },
      ]) {
        expect(await handle(req, onFabrikam), `${req.type} ${profileId}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
    }
    expect(calls).toEqual([]);
    expect(sentToHost).toEqual([]);
  });

  it('is served by its own organization’s profile, not the active one of another', async () => {
    const { handle, calls } = await withContosoActive();
    listClone('/x', FABRIKAM_PLATFORM);
    expect(await handle({ type: 'page.context' }, onFabrikam)).toMatchObject({ ok: true, data: { profile: { organization: 'fabrikam' } } });
    expect(await handle({ type: 'projects.list' }, onFabrikam)).toMatchObject({ ok: true, data: { profileId: expect.stringMatching(/^(pat1|oa1)$/) } });
    expect(await handle({ type: 'local.fetch', path: '/x', remote: 'origin' }, onFabrikam)).toMatchObject({ ok: true });
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.org === 'fabrikam' && c.auth !== contosoAuth)).toBe(true);
    expect(JSON.stringify(sentToHost)).not.toContain(CONTOSO_PAT);
    // Bound to the page's organization: the companion sends it to no other remote.
    expect(sentToHost.find((m) => m.type === 'fetch')).toMatchObject({ auth: { kind: expect.any(String), orgUrl: 'https://dev.azure.com/fabrikam' } });
  });

  it('of an organization without a profile gets NO_PROFILE, and nothing reaches the active one', async () => {
    const { handle, calls } = await withContosoActive();
    listClone('/x', 'https://dev.azure.com/northwind/Web/_git/Web');
    expect(await handle({ type: 'page.context' }, onNorthwind)).toMatchObject({ ok: true, data: { onPremHosts: [] } });
    expect(((await handle({ type: 'page.context' }, onNorthwind)) as { data: { profile?: unknown } }).data.profile).toBeUndefined();
    for (const req of [
      { type: 'projects.list' },
      { type: 'people.search', query: 'grace' },
      { type: 'groups.list', project: 'Web' },
      { type: 'prs.suggestReviewers', repo, sourceBranch: 'feature/x', targetBranch: 'main' },
      { type: 'forks.list', repo },
      { type: 'forks.create', repo, projectId: 'p1', name: 'Web-fork' },
      { type: 'local.addRemote', path: '/x', name: 'fork', repo },
      { type: 'pullRequest.reviewers', repo, pullRequestId: 1 },
      { type: 'pullRequest.addReviewers', repo, pullRequestId: 1, reviewers: [{ id: 'u1', isRequired: false }] },
      { type: 'clone.plan', repo },
    ] satisfies Request[]) {
      expect(await handle(req, onNorthwind), req.type).toMatchObject({ ok: false, error: { code: 'NO_PROFILE' } });
    }
    // Fetching without the organization's profile: git's own credentials, never contoso's token.
    expect(await handle({ type: 'local.fetch', path: '/x', remote: 'origin' }, onNorthwind)).toMatchObject({ ok: true });
    expect(sentToHost.find((m) => m.type === 'fetch')).not.toHaveProperty('auth');
    expect(calls).toEqual([]);
    expect(JSON.stringify(sentToHost)).not.toContain(CONTOSO_PAT);
  });

  it('cannot lead a call with its profile’s credential out of its organization with a name of `..`', async () => {
    const urls: string[] = [];
    const { handle } = await setup(async (input, init) => {
      urls.push(new URL(String(input)).href);
      return fakeAdo(input, init);
    });
    for (const req of [
      { type: 'forks.list', repo: { ...repo, project: '..' } },
      { type: 'pullRequest.reviewers', repo: { ...repo, project: '..' }, pullRequestId: 1 },
      { type: 'workItem.plan', project: '..', id: 5 },
      { type: 'forks.create', repo, projectId: '..', name: 'planted' },
      { type: 'forks.list', repo: { ...repo, id: '..' } },
    ] satisfies Request[]) {
      expect((await handle(req, onFabrikam)).ok, req.type).toBe(false);
    }
    // Every call that went out stayed below the page's organization.
    expect(urls.filter((u) => !u.startsWith('https://dev.azure.com/fabrikam/'))).toEqual([]);
  });
});
