import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { ask, askWithProgress, gitEnvWithPat, launchWithCompanion, privateHome, type Session } from './harness';

let sandbox: Sandbox;
let session: Session;
let home: Awaited<ReturnType<typeof privateHome>>;
let options: Page;
let cloneRoot: string;

const run = promisify(execFile);
const platform = { name: 'Platform', project: 'Platform' };

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else out.push(full);
  }
  return out;
}

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  ({ session, home } = await launchWithCompanion(sandbox));
  options = await session.openExtensionPage('options');
  cloneRoot = join(home.home, 'code');
  const added = await ask(options, { type: 'profiles.addPat', organization: 'fabrikam', pat: sandbox.pats.fabrikam });
  expect(added).toMatchObject({ ok: true });
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
  await home?.cleanup();
});

describe('clone through the real companion (connectNative)', () => {
  it('reports the installed companion as ready', async () => {
    const status = await ask(options, { type: 'companion.status' });
    expect(status).toMatchObject({ ok: true, data: { state: 'ready', version: expect.any(String) } });
    const set = await ask(options, { type: 'companion.setCloneRoot', cloneRoot });
    expect(set).toMatchObject({ ok: true, data: { cloneRoots: expect.arrayContaining([cloneRoot]) } });
  });

  it('clones the branch being viewed, with progress, and no credential on disk', async () => {
    const repos = (await ask(options, { type: 'repos.list' })) as { data: { items: { id: string; name: string; project: { name: string } }[] } };
    const repo = repos.data.items.find((r) => r.name === platform.name && r.project.name === platform.project)!;
    // Asynchronous: the sandbox answers from this same process.
    const { stdout: branches } = await run('git', ['ls-remote', '--heads', `https://dev.azure.com/fabrikam/Platform/_git/Platform`], {
      env: gitEnvWithPat(sandbox, sandbox.pats.fabrikam!),
    });
    const branch = branches.split('\n').map((l) => l.split('refs/heads/')[1]).find((b) => b && b !== 'main');
    if (!branch) throw new Error('the seeded Platform repository should have a branch besides main');

    const plan = await ask(options, { type: 'clone.plan', repo: { id: repo.id, name: repo.name, project: repo.project.name }, branch });
    expect(plan).toMatchObject({ ok: true, data: { root: cloneRoot, folder: 'fabrikam/Platform/Platform', branch } });

    const { reply, progress } = await askWithProgress(options, {
      type: 'clone.start',
      repo: { id: repo.id, name: repo.name, project: repo.project.name },
      branch,
      taskId: 'task-1',
    });
    expect(reply).toMatchObject({ ok: true, data: { branch } });
    const path = (reply.data as { path: string }).path;
    expect(path).toBe(join(cloneRoot, 'fabrikam/Platform/Platform'));
    expect(progress.length).toBeGreaterThan(0);
    expect(execFileSync('git', ['-C', path, 'rev-parse', '--abbrev-ref', 'HEAD'], { encoding: 'utf8' }).trim()).toBe(branch);
    expect(execFileSync('git', ['-C', path, 'remote', 'get-url', 'origin'], { encoding: 'utf8' }).trim()).toBe('https://dev.azure.com/fabrikam/_git/Platform');
    for (const file of await filesUnder(join(path, '.git'))) {
      if ((await stat(file)).size > 5_000_000) continue;
      expect(await readFile(file, 'latin1'), file).not.toContain(sandbox.pats.fabrikam!);
    }
  });

  it('knows the clone afterwards and refuses to clone over it', async () => {
    const repos = (await ask(options, { type: 'repos.list' })) as { data: { items: { id: string; name: string; project: { name: string } }[] } };
    const repo = repos.data.items.find((r) => r.name === platform.name && r.project.name === platform.project)!;
    const key = { id: repo.id, name: repo.name, project: repo.project.name };
    const plan = await ask(options, { type: 'clone.plan', repo: key });
    expect(plan).toMatchObject({ ok: true, data: { existing: { path: join(cloneRoot, 'fabrikam/Platform/Platform') } } });
    const again = await askWithProgress(options, { type: 'clone.start', repo: key, taskId: 'task-2' });
    expect(again.reply).toMatchObject({ ok: false, error: { code: 'companion.DEST_EXISTS' } });
  });
});
