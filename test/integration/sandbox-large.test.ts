import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { gitEnvFor, patAuthorization } from '../../sandbox/testing';

const exec = promisify(execFile);
let sandbox: Sandbox;
let work: string;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true, large: true });
  work = await mkdtemp(path.join(tmpdir(), 'sandbox-large-test-'));
});
afterAll(async () => {
  await sandbox?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('large organization', () => {
  it('has hundreds of projects and thousands of repositories, whose git repositories appear on first use', async () => {
    const auth = { authorization: patAuthorization(sandbox.pats.fabrikam!) };
    const projects = await sandbox.fetch('https://dev.azure.com/northwind/_apis/projects?api-version=7.1&$top=100', { headers: auth });
    expect(((await projects.json()) as { count: number }).count).toBe(100);
    expect(projects.headers.get('x-ms-continuationtoken')).toBe('100');
    const repos = (await (await sandbox.fetch('https://dev.azure.com/northwind/_apis/git/repositories?api-version=7.1', { headers: auth })).json()) as {
      count: number;
      value: { name: string; defaultBranch?: string }[];
    };
    expect(repos.count).toBeGreaterThanOrEqual(3000);
    expect(repos.value.every((r) => r.defaultBranch === 'refs/heads/main')).toBe(true);

    const northwind = sandbox.store.organization('northwind')!;
    const repo = sandbox.store.repository(northwind, 'service-042-07')!;
    expect(existsSync(repo.gitDir)).toBe(false);
    await exec('git', ['clone', '-q', 'https://dev.azure.com/northwind/Northwind%20042/_git/service-042-07', 'svc'], {
      cwd: work,
      env: gitEnvFor(sandbox, { pat: sandbox.pats.fabrikam, home: work }),
    });
    expect(await readFile(path.join(work, 'svc', 'README.md'), 'utf8')).toContain('# Northwind service');
    expect(existsSync(repo.gitDir)).toBe(true);
  });
});
