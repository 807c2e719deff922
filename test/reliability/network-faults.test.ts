/**
 * Bursts of 503 and 429 and dropped connections from Azure DevOps (the sandbox's fault rules),
 * asked through the real extension the way its pages ask: the profile check and the project and
 * repository lists still arrive when a retry can get them, a 429's Retry-After is waited for, and
 * when the server stays down the answer is a clear error while the list fetched earlier is kept.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { addFault, ask, clearFaults, startRig, type Reply, type Rig } from './harness';

let sandbox: Sandbox;
let rig: Rig;
let profileId: string | undefined;

/** The profile the first case adds (added here without faults when that case failed, so each case stands alone). */
async function profile(): Promise<string> {
  if (!profileId) {
    const added = await ask(rig.page, { type: 'profiles.addPat', organization: 'fabrikam', pat: sandbox.pats.fabrikam });
    profileId = (added.data as { profile: { id: string } }).profile.id;
  }
  return profileId;
}

const REPOS = '^/fabrikam/_apis/git/repositories$';
const PROJECTS = '^/fabrikam/_apis/projects$';

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  rig = await startRig(sandbox, { profile: false });
});
afterEach(() => clearFaults(sandbox));
afterAll(async () => {
  await rig?.close();
  await sandbox?.close();
});

/** The sandbox's answers to requests whose path matches, in order (status and fault id). */
function answersTo(pathRegex: string, since: number): string[] {
  return sandbox.services.log
    .entries()
    .slice(since)
    .filter((e) => new RegExp(pathRegex).test(e.path.split('?')[0]!))
    .map((e) => (e.status === 0 ? 'dropped' : String(e.status)));
}

async function timed(request: unknown): Promise<{ reply: Reply; ms: number }> {
  const started = Date.now();
  const reply = await ask(rig.page, request);
  return { reply, ms: Date.now() - started };
}

type Listing = { items: { name: string }[]; fetchedAt: number };
const names = (reply: Reply) => (reply.data as Listing).items.map((i) => i.name).toSorted();

describe('Azure DevOps failing for a while', () => {
  it('the profile check gets through two 503s in a row (it retries)', async () => {
    const since = sandbox.services.log.entries().length;
    await addFault(sandbox, { match: { method: 'GET', pathRegex: '/_apis/connectionData$' }, status: 503, times: 2 });
    const { reply } = await timed({ type: 'profiles.addPat', organization: 'fabrikam', pat: sandbox.pats.fabrikam });
    expect(reply).toMatchObject({ ok: true, data: { profile: { organization: 'fabrikam', auth: 'pat' } } });
    profileId = (reply.data as { profile: { id: string } }).profile.id;
    expect(answersTo('/_apis/connectionData$', since)).toEqual(['503', '503', '200']);
  });

  it('the repository list gets through two 503s in a row', async () => {
    const since = sandbox.services.log.entries().length;
    await addFault(sandbox, { match: { method: 'GET', pathRegex: REPOS }, status: 503, times: 2 });
    const { reply } = await timed({ type: 'repos.list', profileId: await profile(), refresh: true });
    expect(reply.ok).toBe(true);
    expect(names(reply)).toEqual(expect.arrayContaining(['Platform', 'fabrikam-web']));
    expect(answersTo(REPOS, since)).toEqual(['503', '503', '200']);
  });

  it('a 429 with Retry-After: 1 is waited out (at least 1 s), then the list arrives', async () => {
    const since = sandbox.services.log.entries().length;
    await addFault(sandbox, { match: { method: 'GET', pathRegex: REPOS }, status: 429, retryAfter: 1, times: 1 });
    const { reply, ms } = await timed({ type: 'repos.list', profileId: await profile(), refresh: true });
    expect(reply.ok).toBe(true);
    expect(names(reply)).toContain('Platform');
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(answersTo(REPOS, since)).toEqual(['429', '200']);
    // Seen from the server: the second request came at least 1 s after the 429 went out.
    const [limited, served] = sandbox.services.log.entries().slice(since).filter((e) => new RegExp(REPOS).test(e.path.split('?')[0]!));
    const gap = Date.parse(served!.time) - served!.ms - Date.parse(limited!.time);
    expect(gap).toBeGreaterThanOrEqual(990);
  });

  it('a dropped connection is tried again', async () => {
    const since = sandbox.services.log.entries().length;
    await addFault(sandbox, { match: { method: 'GET', pathRegex: PROJECTS }, drop: true, times: 1 });
    const { reply } = await timed({ type: 'projects.list', profileId: await profile(), refresh: true });
    expect(reply.ok).toBe(true);
    expect(names(reply)).toEqual(expect.arrayContaining(['Platform', 'Fabrikam Fiber']));
    expect(answersTo(PROJECTS, since)).toEqual(['dropped', '200']);
  });

  it('a server that stays down gives a clear "server" error, and the lists fetched before are still served', async () => {
    const id = await profile();
    const repos = await ask(rig.page, { type: 'repos.list', profileId: id });
    const projects = await ask(rig.page, { type: 'projects.list', profileId: id });
    expect(repos.ok && projects.ok).toBe(true);

    await addFault(sandbox, { match: { method: 'GET', pathRegex: REPOS }, status: 503 });
    await addFault(sandbox, { match: { method: 'GET', pathRegex: PROJECTS }, status: 503 });
    for (const type of ['repos.list', 'projects.list']) {
      const failed = await ask(rig.page, { type, profileId: id, refresh: true });
      expect(failed).toMatchObject({ ok: false, error: { code: 'server', message: expect.stringMatching(/Azure DevOps/) } });
      expect(failed.error!.message).not.toMatch(/undefined|\[object/);
    }

    // Nothing lost: without `refresh` the last good lists answer, as they were.
    const cachedRepos = await ask(rig.page, { type: 'repos.list', profileId: id });
    const cachedProjects = await ask(rig.page, { type: 'projects.list', profileId: id });
    expect(cachedRepos).toMatchObject({ ok: true, data: { fetchedAt: (repos.data as Listing).fetchedAt } });
    expect(names(cachedRepos)).toEqual(names(repos));
    expect(cachedProjects).toMatchObject({ ok: true, data: { fetchedAt: (projects.data as Listing).fetchedAt } });
    expect(names(cachedProjects)).toEqual(names(projects));
  });
});
