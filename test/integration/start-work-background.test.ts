/**
 * The server side of "Start work" through the real gateway and REST client against the sandbox:
 * the plan (alias from the sign-in name, the in-progress state of the item's process, usable
 * repositories, the branch template), and that a failure before the branch exists changes
 * nothing while one after it is reported with the branch kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../src/background/gateway';
import type { CompanionHandlerDeps } from '../../src/background/handlers/companion';
import { createProfileStore, memoryKeyValue } from '../../src/background/profile-store';
import type { CloneTaskView, Reply, StartWorkPlan, StartWorkResult } from '../../src/shared/messages';
import { Profile } from '../../src/shared/profile';
import { startSandbox, type Sandbox } from '../../sandbox/index';

const EXT = 'chrome-extension://abc/';
const fromPopup = { id: 'abc', url: `${EXT}src/popup/index.html` };
let sandbox: Sandbox;
let handle: (message: unknown, sender: unknown) => Promise<Reply>;

const ask = async <T>(request: Record<string, unknown>): Promise<Reply<T>> => (await handle(request, fromPopup)) as Reply<T>;
const data = async <T>(request: Record<string, unknown>): Promise<T> => {
  const r = await ask<T>(request);
  if (!r.ok) throw new Error(`${String(request.type)}: ${r.error.code} ${r.error.message}`);
  return r.data;
};
const item = (title: string) => {
  const org = sandbox.store.organization('fabrikam')!;
  return sandbox.store.workItems.ofOrganization(org.id).find((w) => w.fields['System.Title'] === title)!;
};
const repoKey = (project: string, name: string) => {
  const org = sandbox.store.organization('fabrikam')!;
  const r = sandbox.store.repository(org, name, sandbox.store.project(org, project))!;
  return { id: r.id, name: r.name, project };
};

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  const local = memoryKeyValue();
  const store = createProfileStore(local);
  // A token profile as Options saves it: no sign-in name (the alias comes from connectionData).
  await store.save(Profile.parse({ host: { kind: 'cloud' }, organization: 'fabrikam', id: 'p1', name: 'fabrikam', auth: 'pat', identity: { id: sandbox.store.user('ada')!.id, displayName: 'Ada Lovelace' } }), {
    kind: 'pat',
    pat: sandbox.pats.fabrikam!,
  });
  await store.setActive('p1');
  const deps = {
    companion: {},
    extensionId: 'abc',
    extensionOrigin: EXT,
    version: '1.0.0',
    local,
    session: memoryKeyValue(),
    store,
    fetch: (input: RequestInfo | URL, init?: RequestInit) => sandbox.fetch(String(input instanceof Request ? input.url : input), init),
    now: Date.now,
    newId: () => crypto.randomUUID(),
    oauthConfig: async () => ({ clientId: 'c', tenant: 'organizations', authority: 'https://login.microsoftonline.com' }),
  } as unknown as CompanionHandlerDeps;
  handle = createGateway(deps).handleMessage as never;
});

afterAll(async () => {
  await sandbox?.close();
});

describe('the plan', () => {
  it('names the branch from the template with the sign-in alias, offers the usable repositories and the Active state', async () => {
    const w = item('Show the delivery date in the order summary');
    const plan = await data<StartWorkPlan>({ type: 'workItem.plan', project: 'Fabrikam Fiber', id: w.id });
    expect(plan.branch).toBe(`users/ada/${w.id}-show-the-delivery-date-in-the-order-summary`);
    expect(plan.activeState).toBe('Active');
    expect(plan.alreadyActive).toBe(false);
    expect(plan.suggested).toBeUndefined();
    expect(plan.repos.map((r) => r.name)).toContain('fabrikam-web');
    expect(plan.repos.map((r) => r.name)).not.toContain('Legacy Portal');
    expect(plan.repos.find((r) => r.name === 'fabrikam-api')?.defaultBranch).toBe('develop');
  });

  it('follows the template saved in Options, and refuses a template git would not accept', async () => {
    expect(await ask({ type: 'settings.setBranchTemplate', template: 'feature {id}' })).toMatchObject({ ok: false, error: { code: 'badRequest' } });
    expect(await data({ type: 'settings.setBranchTemplate', template: '{type}/{id}-{title-slug}' })).toEqual({ template: '{type}/{id}-{title-slug}', isDefault: false });
    const w = item('Dark mode on the settings screen');
    expect((await data<StartWorkPlan>({ type: 'workItem.plan', project: 'Mobile', id: w.id })).branch).toBe(`issue/${w.id}-dark-mode-on-the-settings-screen`);
    expect(await data({ type: 'settings.setBranchTemplate', template: '' })).toMatchObject({ isDefault: true });
  });

  it('suggests the repository the item links to', async () => {
    const w = item('Retry policy for the HTTP client');
    const plan = await data<StartWorkPlan>({ type: 'workItem.plan', project: 'Platform', id: w.id });
    expect(plan.suggested).toMatchObject({ name: 'Platform', reason: 'linked' });
    expect(plan.linked).toEqual([{ repo: expect.objectContaining({ name: 'Platform' }), branch: 'feature/retry-policy' }]);
    expect(plan.alreadyActive).toBe(true);
  });
});

describe('starting work', () => {
  it('changes nothing when the branch exists already or the base branch is missing', async () => {
    const w = item('Plugin layout: load plugins from a folder');
    const before = structuredClone(w);
    const exists = await ask({ type: 'workItem.startWork', repo: repoKey('Platform', 'Platform'), workItemProject: 'Platform', id: w.id, branch: 'feature/retry-policy', setActive: true });
    expect(exists).toMatchObject({ ok: false, error: { message: expect.stringContaining('exists already') } });
    const noBase = await ask({ type: 'workItem.startWork', repo: repoKey('Platform', 'Platform'), workItemProject: 'Platform', id: w.id, branch: 'users/ada/x', base: 'no-such-branch', setActive: true });
    expect(noBase).toMatchObject({ ok: false, error: { code: 'badRequest', message: expect.stringContaining('no-such-branch') } });
    const badName = await ask({ type: 'workItem.startWork', repo: repoKey('Platform', 'Platform'), workItemProject: 'Platform', id: w.id, branch: 'users/ada/a..b', setActive: true });
    expect(badName).toMatchObject({ ok: false, error: { code: 'badRequest' } });
    expect(w).toEqual(before);
    const refs = await sandbox.fetch(`https://dev.azure.com/fabrikam/Platform/_apis/git/repositories/Platform/refs?filter=heads/users/ada/x&api-version=7.1`, {
      headers: { authorization: `Basic ${Buffer.from(`:${sandbox.pats.fabrikam}`).toString('base64')}` },
    });
    expect(((await refs.json()) as { count: number }).count).toBe(0);
  });

  it('creates the branch from the base, links it, sets the in-progress state; the same branch again is refused', async () => {
    const w = item('Dark mode on the settings screen');
    const r = await data<StartWorkResult>({ type: 'workItem.startWork', repo: repoKey('Mobile', 'mobile-ios'), workItemProject: 'Mobile', id: w.id, branch: 'users/ada/dark-mode', setActive: true });
    expect(r).toMatchObject({ branch: 'users/ada/dark-mode', linked: true, state: 'Doing', repo: { name: 'mobile-ios' } });
    expect(w.fields['System.State']).toBe('Doing');
    expect(w.relations.map((x) => decodeURIComponent(x.url))).toContainEqual(expect.stringMatching(/GBusers\/ada\/dark-mode$/));
    // Linking again changes nothing (the link is there), and the plan now suggests that repository.
    expect(await data({ type: 'workItem.linkBranch', repo: repoKey('Mobile', 'mobile-ios'), workItemProject: 'Mobile', id: w.id, branch: 'users/ada/dark-mode' })).toEqual({ linked: true });
    expect(w.relations).toHaveLength(1);
    expect((await data<StartWorkPlan>({ type: 'workItem.plan', project: 'Mobile', id: w.id })).suggested).toMatchObject({ name: 'mobile-ios', reason: 'linked' });
    const again = await ask({ type: 'workItem.startWork', repo: repoKey('Mobile', 'mobile-ios'), workItemProject: 'Mobile', id: w.id, branch: 'users/ada/dark-mode', setActive: true });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('exists already') } });
  });

  it('works on a branch that exists as it is when asked to (offered after "exists already"), and makes one that does not', async () => {
    const w = item('Plugin layout: load plugins from a folder');
    const refs = `https://dev.azure.com/fabrikam/Platform/_apis/git/repositories/Platform/refs`;
    const auth = { authorization: `Basic ${Buffer.from(`:${sandbox.pats.fabrikam}`).toString('base64')}` };
    const tipOf = async (branch: string) =>
      ((await (await sandbox.fetch(`${refs}?filter=heads/${branch}&api-version=7.1`, { headers: auth })).json()) as { value: { name: string; objectId: string }[] }).value.find((r) => r.name === `refs/heads/${branch}`)?.objectId;
    const [tip, mainTip] = [await tipOf('feature/retry-policy'), await tipOf('main')];
    // Not where a new branch would start: taken at its own commit, not moved to the base's.
    expect(tip).toBeDefined();
    expect(tip).not.toBe(mainTip);
    const r = await data<StartWorkResult>({ type: 'workItem.startWork', repo: repoKey('Platform', 'Platform'), workItemProject: 'Platform', id: w.id, branch: 'feature/retry-policy', base: 'main', setActive: false, existing: true });
    expect(r).toMatchObject({ branch: 'feature/retry-policy', commitId: tip, existing: true, linked: true });
    expect(await tipOf('feature/retry-policy')).toBe(tip);
    expect(w.relations.map((x) => decodeURIComponent(x.url))).toContainEqual(expect.stringMatching(/GBfeature\/retry-policy$/));
    // Asked for a branch that is not there, it is made from the base as usual.
    const made = await data<StartWorkResult>({ type: 'workItem.startWork', repo: repoKey('Platform', 'Platform'), workItemProject: 'Platform', id: w.id, branch: 'users/ada/plugins', base: 'main', setActive: false, existing: true });
    expect(made).toMatchObject({ branch: 'users/ada/plugins', commitId: mainTip, linked: true });
    expect(made.existing).toBeUndefined();
    expect(await tipOf('users/ada/plugins')).toBe(mainTip);
  });

  it('takes the branch Azure DevOps made when its answer was lost (the connection reset), and goes on to link it', async () => {
    const w = item('Gift cards at checkout');
    const refs = `https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_apis/git/repositories/fabrikam-web/refs`;
    const auth = { authorization: `Basic ${Buffer.from(`:${sandbox.pats.fabrikam}`).toString('base64')}` };
    const tipOf = async (branch: string) =>
      ((await (await sandbox.fetch(`${refs}?filter=heads/${branch}&api-version=7.1`, { headers: auth })).json()) as { value: { name: string; objectId: string }[] }).value.find((r) => r.name === `refs/heads/${branch}`)?.objectId;
    const tip = (await tipOf('main'))!;
    // Azure DevOps made the branch, then the connection broke before its answer came back.
    const made = await sandbox.fetch(`${refs}?api-version=7.1`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify([{ name: 'refs/heads/users/ada/gift-cards', oldObjectId: '0'.repeat(40), newObjectId: tip }]) });
    expect(made.status).toBe(200);
    const reset = () => sandbox.services.faults.add({ match: { method: 'POST', pathRegex: '/_apis/git/repositories/[^/]+/refs$' }, drop: true, times: 1 });
    reset();
    try {
      const r = await data<StartWorkResult>({ type: 'workItem.startWork', repo: repoKey('Fabrikam Fiber', 'fabrikam-web'), workItemProject: 'Fabrikam Fiber', id: w.id, branch: 'users/ada/gift-cards', setActive: false });
      expect(r).toMatchObject({ branch: 'users/ada/gift-cards', commitId: tip, linked: true });
      expect(w.relations.map((x) => decodeURIComponent(x.url))).toContainEqual(expect.stringMatching(/GBusers\/ada\/gift-cards$/));
      // A branch of that name at another commit is not the one asked for: the reset is said, nothing taken.
      const before = structuredClone(w);
      reset();
      const other = await ask({ type: 'workItem.startWork', repo: repoKey('Platform', 'Platform'), workItemProject: 'Fabrikam Fiber', id: w.id, branch: 'feature/retry-policy', base: 'main', setActive: false });
      expect(other).toMatchObject({ ok: false, error: { code: 'network' } });
      expect(w).toEqual(before);
    } finally {
      sandbox.services.faults.clear();
    }
  });

  it('puts the checkout it begins on the board under the work item, so only that item\'s pages read themselves for it', async () => {
    const w = item('Retry policy for the HTTP client');
    const r = await data<StartWorkResult>({ type: 'workItem.startWork', repo: repoKey('Platform', 'Platform'), workItemProject: 'Platform', id: w.id, branch: 'users/ada/retry-board', setActive: false, checkoutTaskId: 'sw1' });
    expect(r.linked).toBe(true);
    // No companion here: the checkout fails, and is listed all the same, as a page reloaded meanwhile would find it.
    const { tasks } = await data<{ tasks: CloneTaskView[] }>({ type: 'clone.tasks' });
    expect(tasks.find((t) => t.taskId === 'sw1')?.checkout).toEqual({ branch: 'users/ada/retry-board', worktree: false, workItem: w.id });
  });

  it('keeps the branch and says so when linking fails; linking a branch that does not exist is refused', async () => {
    const w = item('Crash when the cart is empty');
    sandbox.services.faults.add({ match: { method: 'PATCH', pathRegex: `/_apis/wit/workitems/${w.id}$` }, status: 500, times: 1 });
    const r = await data<StartWorkResult>({ type: 'workItem.startWork', repo: repoKey('Fabrikam Fiber', 'docs'), workItemProject: 'Fabrikam Fiber', id: w.id, branch: 'users/ada/cart', setActive: true });
    sandbox.services.faults.clear();
    expect(r.linked).toBe(false);
    expect(r.linkError?.message).toBeTruthy();
    expect(r.state).toBeUndefined();
    expect(w.relations).toEqual([]);
    expect(await ask({ type: 'workItem.linkBranch', repo: repoKey('Fabrikam Fiber', 'docs'), workItemProject: 'Fabrikam Fiber', id: w.id, branch: 'users/ada/nope' })).toMatchObject({ ok: false, error: { code: 'badRequest' } });
    expect(await data({ type: 'workItem.linkBranch', repo: repoKey('Fabrikam Fiber', 'docs'), workItemProject: 'Fabrikam Fiber', id: w.id, branch: 'users/ada/cart', setActive: true })).toEqual({ linked: true, state: 'Active' });
    expect(w.relations).toHaveLength(1);
  });
});

describe('my work items', () => {
  it('lists the active items assigned to me across projects, with their projects and links', async () => {
    const { items } = await data<{ items: { title: string; project: string; webUrl: string }[] }>({ type: 'workItems.mine' });
    expect(items.map((i) => i.title)).not.toContain('Update the privacy notice');
    expect(new Set(items.map((i) => i.project))).toEqual(new Set(['Fabrikam Fiber', 'Platform', 'Mobile']));
    expect(items.every((i) => /^https:\/\/dev\.azure\.com\/fabrikam\/[^/]+\/_workitems\/edit\/\d+$/.test(i.webUrl))).toBe(true);
  });
});
