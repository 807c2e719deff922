import type { Runtime } from 'webextension-polyfill';
import { describe, expect, it } from 'vitest';
import { createCompanion, type NativePort } from '../../src/background/companion';
import { createGateway } from '../../src/background/gateway';
import type { CompanionHandlerDeps } from '../../src/background/handlers/companion';
import { CAPABILITIES, HOST_NAME, PROTOCOL_VERSION } from '../../src/shared/host-protocol';
import { createProfileStore, memoryKeyValue } from '../../src/background/profile-store';
import { Request } from '../../src/shared/messages';
import { Profile } from '../../src/shared/profile';

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
  if (url.pathname.endsWith('/_apis/git/repositories'))
    return json({ count: 1, value: [{ id: 'r1', name: 'Platform', url: 'https://x', remoteUrl: 'https://x', project: { id: 'p1', name: 'Platform' } }] });
  return new Response('{}', { status: 404 });
};

/** A companion that answers every request plausibly, and remembers the credentials it was given. */
const ignore = () => undefined;
const sentToHost: { type: string; [k: string]: unknown }[] = [];
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
  };
  return {
    postMessage(m) {
      const req = m as { id: string; type: string };
      sentToHost.push(req);
      queueMicrotask(() => listener({ id: req.id, ok: true, data: answers[req.type] }));
    },
    disconnect() {},
    onMessage: { addListener: (cb) => void (listener = cb) },
    onDisconnect: { addListener: () => undefined },
  };
}

async function setup(fetch: typeof globalThis.fetch = fakeAdo) {
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
    userAgent: 'Chrome/150',
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
  };
  return { handle: createGateway(deps).handleMessage, local };
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
  { type: 'profiles.signIn' },
  { type: 'profiles.finishSignIn', pending: 'x', organization: 'fabrikam' },
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
  { type: 'local.clones' },
  { type: 'local.open', path: '/x', target: 'folder' },
  { type: 'local.fetch', path: '/x', remote: 'origin' },
  { type: 'local.addRemote', path: '/x', name: 'fork', repo: { id: 'r1', name: 'Platform', project: 'Platform' } },
  { type: 'ssh.key', action: 'find' },
  { type: 'ssh.test' },
  { type: 'repos.gitignoreTemplates', project: 'Platform' },
  { type: 'repos.create', projectId: 'p1', name: 'new-repo', readme: true, defaultBranch: 'main' },
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
  { type: 'features.setEnabled', feature: 'clone-to-desktop', enabled: false },
  { type: 'features.missingAnchor', feature: 'clone-to-desktop', page: 'repoHome', selectors: ['.repos-files-header-commandbar'] },
  { type: 'features.clearLog' },
  { type: 'forks.list', repo: { id: 'r1', name: 'Platform', project: 'Platform' } },
  { type: 'forks.create', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, projectId: 'p1', name: 'Platform-fork' },
  { type: 'pullRequest.reviewers', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, pullRequestId: 1 },
  { type: 'pullRequest.suggestReviewers', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, pullRequestId: 1 },
  { type: 'pullRequest.addReviewers', repo: { id: 'r1', name: 'Platform', project: 'Platform' }, pullRequestId: 1, reviewers: [{ id: 'u1', isRequired: false }] },
  { type: 'profiles.remove', id: 'pat1' },
];

describe('gateway', () => {
  it('covers every request type in this test', () => {
    const covered = new Set(everyRequest.map((r) => r.type));
    const declared = Request.options.map((o) => o.shape.type.value);
    expect([...covered].toSorted()).toEqual([...new Set(declared)].toSorted());
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
