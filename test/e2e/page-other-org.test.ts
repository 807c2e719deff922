import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { ask, askWithProgress, gitEnv, launchWithCompanion, privateHome, type Session } from './harness';
import { ContentWorld, signedInPage } from './page-helpers';

/**
 * A page of one organization (fabrikam, no profile) while the profile of another (contoso) is
 * active: the content script there, even one that sends whatever it likes, reaches nothing of
 * contoso. The sandbox's request log is the witness: no request to contoso, and none with a
 * profile's credential, from the moment the page opens.
 */
const HELPER = '.adoc-pull-request-reviewers';

let sandbox: Sandbox;
let session: Session;
let home: Awaited<ReturnType<typeof privateHome>>;
let page: Page;
let world: ContentWorld;
let contosoId: string;
let contosoRepo: { id: string; name: string; project: string };
let contosoPr: number;
/** The user's clone of contoso's repository, below the clone root. */
let contosoClone: string;
/** Where the request log stood when the page opened. */
let mark: number;

const contoso = () => sandbox.store.organization('contoso')!;
const grace = () => [...sandbox.store.users.values()].find((u) => u.alias === 'grace')!;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  ({ session, home } = await launchWithCompanion(sandbox));
  const options = await session.openExtensionPage('options');
  const added = await ask(options, { type: 'profiles.addPat', organization: 'contoso', pat: sandbox.pats.contoso });
  expect(added).toMatchObject({ ok: true });
  contosoId = (added.data as { profile: { id: string } }).profile.id;
  expect(await ask(options, { type: 'companion.setCloneRoot', cloneRoot: join(home.home, 'code') })).toMatchObject({ ok: true });
  const repos = (await ask(options, { type: 'repos.list' })).data as { items: { id: string; name: string; project: { name: string } }[] };
  const web = repos.items.find((r) => r.name === 'contoso-web')!;
  contosoRepo = { id: web.id, name: web.name, project: web.project.name };
  const cloned = await askWithProgress(options, { type: 'clone.start', profileId: contosoId, repo: contosoRepo, taskId: 'contoso-web' });
  expect(cloned.reply).toMatchObject({ ok: true });
  contosoClone = (cloned.reply.data as { path: string }).path;
  await options.close();
  contosoPr = sandbox.store.pullRequestsOf(sandbox.store.repository(contoso(), web.id)!).find((p) => p.title === 'Add HTTP retries')!.pullRequestId;

  mark = sandbox.services.log.entries().length;
  const platform = sandbox.store.repository(sandbox.store.organization('fabrikam')!, 'Platform', sandbox.store.project(sandbox.store.organization('fabrikam')!, 'Platform'))!;
  const pr = sandbox.store.pullRequestsOf(platform).find((p) => p.title === 'Add a retry policy to the HTTP client')!;
  page = await signedInPage(session, `/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`);
  world = await ContentWorld.of(page, session.extensionId);
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
});

/** Sends a message from the page's content script world, as a compromised content script could. */
const fromContentScript = (request: object) =>
  world.run<{ ok: boolean; error?: { code: string; message: string } }>('(r) => chrome.runtime.sendMessage(r)', request);

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: { ...process.env, ...gitEnv(sandbox) }, encoding: 'utf8' }).trim();

/** The same through a task port, the way clones are asked for. */
const throughPort = (request: object) =>
  world.run<{ ok: boolean; error?: { code: string } }>(
    `(r) => new Promise((done) => { const port = chrome.runtime.connect({ name: 'task' }); port.onMessage.addListener((m) => m.reply && done(m.reply)); port.postMessage(r); })`,
    request,
  );

/** Requests since the page opened that reached contoso, or carried any profile's credential. */
const reachedAnotherOrganization = () =>
  sandbox.services.log
    .entries()
    .slice(mark)
    .filter((e) => /^\/contoso(\/|$)/i.test(e.path) || e.host.startsWith('contoso.') || (e.auth !== undefined && !['none', 'cookie'].includes(e.auth)));

describe('A page of another organization than the active profile’s', () => {
  it('shows the features with the page’s own session, and nothing of the active organization', async () => {
    const [text] = await world.waitForText(HELPER, (t) => (t[0] ?? '').includes('Reviewer groups are saved with an account, and fabrikam has none'));
    expect(text).not.toMatch(/contoso/i);
  });

  it('is refused every request the injected features do not send, and any that names a profile', async () => {
    const refused: Record<string, object> = {
      'reads of the active organization': { type: 'prs.mine' },
      'its repositories, named': { type: 'repos.list', profileId: contosoId },
      'local clones': { type: 'local.clones' },
      'account management': { type: 'profiles.list' },
      'a repository created': { type: 'repos.create', profileId: contosoId, projectId: 'x', name: 'planted', readme: true, defaultBranch: 'main' },
      'a pull request created': {
        type: 'prs.create', repo: contosoRepo, sourceBranch: 'feature/retry-policy', targetBranch: 'main', title: 'planted', reviewerIds: [],
      },
      'projects of a named profile': { type: 'projects.list', profileId: contosoId },
      'a reviewer added with a named profile': {
        type: 'pullRequest.addReviewers', profileId: contosoId, repo: contosoRepo, pullRequestId: contosoPr, reviewers: [{ id: grace().id, isRequired: true }],
      },
      'a fork made with a named profile': { type: 'forks.create', profileId: contosoId, repo: contosoRepo, projectId: 'x', name: 'planted' },
    };
    // All are sent before any is judged, so whatever got through shows in the last test too.
    const codes: Record<string, string | undefined> = {};
    for (const [what, request] of Object.entries(refused)) codes[what] = (await fromContentScript(request)).error?.code;
    codes['a clone with a named profile'] = (await throughPort({ type: 'clone.start', profileId: contosoId, repo: contosoRepo, taskId: 'planted' })).error?.code;
    expect(codes).toEqual(Object.fromEntries(Object.keys(codes).map((what) => [what, 'FORBIDDEN'])));
  });

  it('is answered with its own organization through its own session where it used to get the active profile', async () => {
    const projects = (await fromContentScript({ type: 'projects.list' })) as { ok: boolean; data?: { items: { name: string }[] } };
    expect(projects.ok).toBe(true);
    const fabrikamProjects = sandbox.store.projectsOf(sandbox.store.organization('fabrikam')!).map((p) => p.name);
    expect(projects.data!.items.map((p) => p.name).toSorted()).toEqual(fabrikamProjects.toSorted());
    // Reviewer groups live with a profile: none here.
    expect((await fromContentScript({ type: 'groups.list', project: 'Platform' })).error?.code).toBe('NO_PROFILE');
    // contoso's repository and pull request, asked for by id, are looked for in fabrikam only.
    const codes: Record<string, string | undefined> = {};
    for (const request of [
      { type: 'forks.list', repo: contosoRepo },
      { type: 'pullRequest.reviewers', repo: contosoRepo, pullRequestId: contosoPr },
      { type: 'pullRequest.addReviewers', repo: contosoRepo, pullRequestId: contosoPr, reviewers: [{ id: grace().id, isRequired: true }] },
    ]) {
      const reply = await fromContentScript(request);
      expect(reply.ok, request.type).toBe(false);
      codes[request.type] = reply.error?.code;
    }
    expect(Object.values(codes).every((c) => c !== 'FORBIDDEN' && c !== undefined)).toBe(true);
  });

  it('cannot add its repository as a remote of the user’s contoso clone, fetch it or open it, nor learn which files exist', async () => {
    const remotes = git(contosoClone, 'remote', '-v');
    const fabrikamRepo = { id: 'Platform', name: 'Platform', project: 'Platform' };
    const refusals = new Set<string>();
    // The clone roots and the folders' layout are no secret (companion.status, a clone plan): any path can be named.
    for (const path of [contosoClone, '/etc/passwd', '/etc/no-such-file']) {
      for (const request of [
        { type: 'local.addRemote', repo: fabrikamRepo, path, name: 'planted' },
        { type: 'local.fetch', path, remote: 'origin' },
        { type: 'local.open', path, target: 'folder' },
        { type: 'local.open', path, target: 'editor', file: '/README.md' },
      ]) {
        const reply = await fromContentScript(request);
        expect(reply, `${request.type} ${path}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        refusals.add(reply.error!.message.replace(path, 'PATH'));
      }
    }
    // One answer whatever is at the path: not whether a file exists, nor whether a clone is there.
    expect(refusals.size).toBe(1);
    expect(git(contosoClone, 'remote', '-v')).toBe(remotes);
  });

  it('left no trace in the other organization', () => {
    expect(reachedAnotherOrganization()).toEqual([]);
    expect(sandbox.store.pullRequest(contoso(), contosoPr)!.reviewers.map((r) => r.id)).not.toContain(grace().id);
  });

  // Last: the options page it asks through lists contoso's own things.
  it('finds nothing of ours in storage.local, and what it writes there is not what the worker uses', async () => {
    // Any content script may read and write storage.local (Firefox cannot close it to them): the
    // worker keeps profiles, settings and tokens in its IndexedDB instead.
    expect(await world.run<unknown>('() => chrome.storage.local.get(null)')).toEqual({});
    const options = await session.openExtensionPage('options');
    const before = await ask(options, { type: 'profiles.list' });
    const { profiles } = before.data as { profiles: object[] };
    // contoso's profile with its clone root moved up to the whole disk.
    await world.run('(p) => chrome.storage.local.set({ profiles: p })', profiles.map((p) => ({ ...p, cloneRoot: '/' })));
    expect(await ask(options, { type: 'profiles.list' })).toEqual(before);
    await options.close();
  });
});
