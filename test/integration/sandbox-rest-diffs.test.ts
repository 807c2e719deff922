/**
 * Diffs - Get (`.../diffs/commits`) against a real repository this file builds with REST pushes:
 * a feature branch that edits, adds, deletes and renames files while main moves on, so the answer
 * from the merge base, from the base itself, paged, by commit and tag, and its errors are all
 * known by construction. Also on-prem (7.0) and in a fork that borrows its parent's objects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { addFiles, git, restClient, ZERO, type Json } from './sandbox-rest-harness';

let sandbox: Sandbox;
let ada: ReturnType<typeof restClient>;
let repoId: string;
let startTip: string;
let mainTip: string;
let featureTip: string;

const ORG = 'https://dev.azure.com/fabrikam';
const V = 'api-version=7.1';
const DIFF = () => `${ORG}/Platform/_apis/git/repositories/${repoId}/diffs/commits`;
const TF401175 = /^TF401175:The version descriptor <Branch: (.+) > could not be resolved to a version in the repository diff-playground$/;

const tipOf = (b: Json): string => b.refUpdates[0].newObjectId;
const text = (content: string) => ({ content, contentType: 'rawtext' });

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  ada = restClient(sandbox, { pat: sandbox.pats.fabrikam! });
  const org = sandbox.store.organization('fabrikam')!;
  const project = sandbox.store.project(org, 'Platform')!;
  repoId = (await ada('POST', `${ORG}/Platform/_apis/git/repositories?${V}`, { name: 'diff-playground', project: { id: project.id } })).body.id;
  const pushes = `${ORG}/Platform/_apis/git/repositories/${repoId}/pushes?${V}`;
  startTip = tipOf(
    (await ada('POST', pushes, addFiles('refs/heads/main', ZERO, { '/src/app.ts': 'app\n', '/old.txt': 'old\n', '/lib/x.ts': 'export const x = 1;\n' }, 'Start'))).body,
  );
  const feature = await ada('POST', pushes, {
    refUpdates: [{ name: 'refs/heads/feature/diff', oldObjectId: startTip }],
    commits: [
      {
        comment: 'Feature work',
        changes: [
          { changeType: 'edit', item: { path: '/src/app.ts' }, newContent: text('app\nmore\n') },
          { changeType: 'add', item: { path: '/docs/new.md' }, newContent: text('# new\n') },
          { changeType: 'delete', item: { path: '/old.txt' } },
          { changeType: 'rename', sourceServerItem: '/lib/x.ts', item: { path: '/lib/y.ts' } },
        ],
      },
    ],
  });
  expect(feature.status, feature.text).toBe(201);
  featureTip = tipOf(feature.body);
  // main moves on after the branch started: a change the feature branch does not have.
  mainTip = tipOf((await ada('POST', pushes, addFiles('refs/heads/main', startTip, { '/main-only.txt': 'main\n' }, 'Main moves on'))).body);
});

afterAll(async () => {
  await sandbox?.close();
});

const summary = (body: Json) => body.changes.map((c: Json) => `${c.changeType} ${c.item.gitObjectType} ${c.item.path}${c.originalPath ? ` from ${c.originalPath}` : ''}`);

const FEATURE_CHANGES = [
  'add tree /docs',
  'add blob /docs/new.md',
  'edit tree /lib',
  'rename blob /lib/y.ts from /lib/x.ts',
  'delete blob /old.txt',
  'edit tree /src',
  'edit blob /src/app.ts',
];

describe('diffs/commits', () => {
  it('compares a branch with main from their merge base, by default', async () => {
    const r = await ada('GET', `${DIFF()}?baseVersion=main&targetVersion=feature/diff&${V}`);
    expect(r.status, r.text).toBe(200);
    expect(summary(r.body).toSorted()).toEqual(FEATURE_CHANGES.toSorted());
    expect(r.body).toMatchObject({
      allChangesIncluded: true,
      changeCounts: { Add: 2, Edit: 3, Delete: 1, Rename: 1 },
      commonCommit: startTip,
      baseCommit: mainTip,
      targetCommit: featureTip,
      aheadCount: 1,
      behindCount: 1,
    });
    const app = r.body.changes.find((c: Json) => c.item.path === '/src/app.ts');
    expect(app.item).toMatchObject({ commitId: featureTip, url: expect.stringMatching(/\/_apis\/git\/repositories\/[0-9a-f-]{36}\/items\/src\/app\.ts\?versionType=Commit&version=[0-9a-f]{40}$/) });
    // The object ids are the real blobs on either side.
    expect(app.item.objectId).toBe((await git(sandbox, ['rev-parse', `${featureTip}:src/app.ts`], { gitDir: repoGitDir() })).trim());
    expect(app.item.originalObjectId).toBe((await git(sandbox, ['rev-parse', `${startTip}:src/app.ts`], { gitDir: repoGitDir() })).trim());
    expect(r.body.changes.find((c: Json) => c.item.path === '/docs').item.isFolder).toBe(true);
  });

  it('compares with the base itself when diffCommonCommit=false, so main’s own change shows as a delete', async () => {
    const r = await ada('GET', `${DIFF()}?baseVersion=main&targetVersion=feature/diff&diffCommonCommit=false&${V}`);
    expect(r.status, r.text).toBe(200);
    expect(summary(r.body).toSorted()).toEqual([...FEATURE_CHANGES, 'delete blob /main-only.txt'].toSorted());
    expect(r.body.changeCounts).toEqual({ Add: 2, Edit: 3, Delete: 2, Rename: 1 });
  });

  it('pages with $top and $skip, keeping the counts of the whole diff', async () => {
    const all = (await ada('GET', `${DIFF()}?baseVersion=main&targetVersion=feature/diff&${V}`)).body;
    const r = await ada('GET', `${DIFF()}?baseVersion=main&targetVersion=feature/diff&$top=2&$skip=3&${V}`);
    expect(r.status, r.text).toBe(200);
    expect(r.body.changes).toEqual(all.changes.slice(3, 5));
    expect(r.body.changeCounts).toEqual(all.changeCounts);
    expect(r.body).not.toHaveProperty('allChangesIncluded');
    expect((await ada('GET', `${DIFF()}?baseVersion=main&targetVersion=feature/diff&$top=0&${V}`)).status).toBe(400);
  });

  it('takes commits and tags as versions, and the default branch when a version is left out', async () => {
    const byCommit = await ada('GET', `${DIFF()}?baseVersionType=commit&baseVersion=${startTip}&targetVersionType=commit&targetVersion=${featureTip}&${V}`);
    expect(byCommit.status, byCommit.text).toBe(200);
    expect(byCommit.body).toMatchObject({ commonCommit: startTip, baseCommit: startTip, targetCommit: featureTip, aheadCount: 1, behindCount: 0 });

    await git(sandbox, ['tag', 'v1', startTip], { gitDir: repoGitDir() });
    const byTag = await ada('GET', `${DIFF()}?baseVersionType=tag&baseVersion=v1&targetVersion=feature/diff&${V}`);
    expect(byTag.status, byTag.text).toBe(200);
    expect(byTag.body.baseCommit).toBe(startTip);

    const defaulted = await ada('GET', `${DIFF()}?targetVersion=feature/diff&${V}`);
    expect(defaulted.body.baseCommit).toBe(mainTip);
    const firstParent = await ada('GET', `${DIFF()}?baseVersion=main&baseVersionOptions=firstParent&targetVersion=feature/diff&${V}`);
    expect(firstParent.body).toMatchObject({ baseCommit: startTip, behindCount: 0 });
  });

  it('answers Azure DevOps’ errors for unknown versions and bad arguments', async () => {
    const unknown = await ada('GET', `${DIFF()}?baseVersion=main&targetVersion=no/such/branch&${V}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ typeKey: 'GitUnresolvableToCommitException', message: expect.stringMatching(TF401175) });
    expect(TF401175.exec(unknown.body.message)![1]).toBe('no/such/branch');

    const badId = await ada('GET', `${DIFF()}?baseVersionType=commit&baseVersion=1234&${V}`);
    expect(badId.status).toBe(404);
    expect(badId.body.message).toContain('<Commit: 1234 >');
    const revSyntax = await ada('GET', `${DIFF()}?baseVersion=main~1&${V}`);
    expect(revSyntax.status).toBe(404);

    const badType = await ada('GET', `${DIFF()}?baseVersionType=changeset&baseVersion=main&${V}`);
    expect(badType.status).toBe(400);
    expect(badType.body.message).toContain('baseVersionType');
    expect((await ada('GET', `${DIFF()}?diffCommonCommit=maybe&${V}`)).status).toBe(400);
  });

  it('needs a credential with vso.code and an api-version, like the other git routes', async () => {
    const anonymous = restClient(sandbox, { none: true });
    expect((await anonymous('GET', `${DIFF()}?${V}`)).status).toBe(401);
    expect((await ada('GET', DIFF())).status).toBe(400);
    const readCode = restClient(sandbox, { pat: sandbox.patsByName['ada-read-code']! });
    expect((await readCode('GET', `${DIFF()}?baseVersion=main&targetVersion=feature/diff&${V}`)).status).toBe(200);
    const missingRepo = await ada('GET', `${ORG}/Platform/_apis/git/repositories/no-such-repo/diffs/commits?${V}`);
    expect(missingRepo.status).toBe(404);
    expect(missingRepo.body.message).toMatch(/^TF401019/);
  });

  it('works on-prem with api-version 7.0 and in a fork that borrows its parent’s objects', async () => {
    const onprem = restClient(sandbox, { pat: sandbox.patsByName['ada-onprem']! });
    const legacy = 'https://tfs.fabrikam.test/tfs/DefaultCollection/Legacy/_apis/git/repositories/Legacy/diffs/commits?baseVersion=master&targetVersion=feature/readme-update';
    const r = await onprem('GET', `${legacy}&api-version=7.0`);
    expect(r.status, r.text).toBe(200);
    expect(r.body.changes.length).toBeGreaterThan(0);
    expect(r.body.changes[0].item.url).toMatch(/^https:\/\/tfs\.fabrikam\.test\/tfs\/DefaultCollection\//);
    expect((await onprem('GET', `${legacy}&api-version=7.1`)).status).toBe(400);

    const fork = await ada('GET', `${ORG}/Security/_apis/git/repositories/platform-fork/diffs/commits?baseVersion=main&targetVersion=feature/retry-policy&${V}`);
    const parent = await ada('GET', `${ORG}/Platform/_apis/git/repositories/Platform/diffs/commits?baseVersion=main&targetVersion=feature/retry-policy&${V}`);
    expect(fork.status, fork.text).toBe(200);
    expect(summary(fork.body)).toEqual(summary(parent.body));
    expect(summary(parent.body)).toContain('edit blob /src/lib/http-client.ts');
  });
});

function repoGitDir(): string {
  return sandbox.store.repositories.get(repoId)!.gitDir;
}
