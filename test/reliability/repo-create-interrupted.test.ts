/**
 * "Create repository" cut short by the browser stopping the service worker at the worst moment:
 * Azure DevOps has created the repository, the first commit (the push of README etc.) has been
 * sent but is cut off with the worker. Afterwards the user must be able to finish: either the
 * repository exists with its first commit, or asking again succeeds instead of ending in
 * "a repository with this name already exists".
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { addFault, ask, clearFaults, gitEnvFor, loadProductAsker, startRig, startTask, taskOutcome, waitUntil, type Rig } from './harness';

let sandbox: Sandbox;
let rig: Rig;
const run = promisify(execFile);

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  rig = await startRig(sandbox);
});
afterEach(() => clearFaults(sandbox));
afterAll(async () => {
  await rig?.close();
  await sandbox?.close();
});

/** The branches the server has for a repository (asynchronously: the sandbox runs in this process). */
async function headsOf(project: string, name: string): Promise<string[]> {
  const url = `https://dev.azure.com/fabrikam/${encodeURIComponent(project)}/_git/${encodeURIComponent(name)}`;
  const { stdout } = await run('git', ['ls-remote', '--heads', url], { env: gitEnvFor(sandbox) });
  return stdout.split('\n').filter(Boolean).map((l) => l.split('refs/heads/')[1]!);
}

async function profileAndProject(): Promise<{ profileId: string; projectId: string }> {
  const profiles = await ask(rig.page, { type: 'profiles.list' });
  const profileId = (profiles.data as { activeId: string }).activeId;
  const projects = await ask(rig.page, { type: 'projects.list', profileId, refresh: true });
  const project = (projects.data as { items: { id: string; name: string }[] }).items.find((p) => p.name === 'Platform')!;
  return { profileId, projectId: project.id };
}

const repositoriesNamed = (name: string) => [...sandbox.store.repositories.values()].filter((r) => r.name === name);

/**
 * Asks for a new repository (as the popup does, runtime.sendMessage) while the sandbox holds back
 * the request matching `pathRegex`, and stops the worker once that request has arrived.
 */
async function createInterrupted(pathRegex: string): Promise<{ create: Record<string, unknown>; name: string }> {
  const { profileId, projectId } = await profileAndProject();
  const name = `interrupted-${Date.now().toString(36)}`;
  const create = { type: 'repos.create', profileId, projectId, name, readme: true, defaultBranch: 'main' };
  await addFault(sandbox, { match: { method: 'POST', pathRegex }, latencyMs: HOLD_MS, times: 1 });
  await loadProductAsker(rig.page);
  await startTask(rig.page, 'create', create, 'ask');
  await waitUntil('the held-back request to arrive', () => sandbox.services.faults.list().length === 0);
  await rig.session.stopWorker();
  // The asker hears that no answer will come (it does not wait for ever).
  expect(await taskOutcome(rig.page, 'create', 5_000)).toMatchObject({ ok: false, message: expect.any(String) });
  // Whatever Azure DevOps does with the request it got, it has done it by now.
  await new Promise((r) => setTimeout(r, HOLD_MS + 500));
  return { create, name };
}

/** Either the repository is there with its first commit, or asking again gets it there; never two of it. */
async function userCanFinish(create: Record<string, unknown>, name: string): Promise<void> {
  expect(repositoriesNamed(name).length).toBeLessThanOrEqual(1);
  if (repositoriesNamed(name).length === 0 || (await headsOf('Platform', name)).length === 0) {
    const again = await ask(rig.page, create);
    expect(again, `asking again after the interruption answered ${JSON.stringify(again.error)}`).toMatchObject({ ok: true, data: { repo: { name }, branch: 'main', files: ['/README.md'] } });
  }
  expect(repositoriesNamed(name)).toHaveLength(1);
  expect(await headsOf('Platform', name)).toEqual(['main']);
}

const HOLD_MS = 2500;

describe('creating a repository, interrupted by the service worker stopping', () => {
  it('between the repository and its first commit: afterwards the repository can be had, with its first commit', async () => {
    const { create, name } = await createInterrupted('/pushes$');
    // The repository exists; its first commit was cut off.
    expect(repositoriesNamed(name)).toHaveLength(1);
    await userCanFinish(create, name);
  });
});
