/**
 * The sandbox's repository REST routes against real git: creating repositories and forks, the
 * first push (README, a .gitignore template, LICENSE) cloned back with git, stale pushes,
 * edits, a push made with git showing up in refs and commits, commits by path, refs paging,
 * and the on-prem collection at api-version 7.0. One sandbox for the file.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { entraSignIn } from '../../sandbox/testing';
import { Push, Repository, listOf, GitRef, Commit } from '../../src/shared/ado/schemas';
import { addFiles, git, restClient, tempDir, ZERO, type Answer, type Json } from './sandbox-rest-harness';

let sandbox: Sandbox;
let ada: ReturnType<typeof restClient>;
let readOnly: ReturnType<typeof restClient>;
let work: { dir: string; remove: () => Promise<void> };
let platformProjectId: string;

const ORG = 'https://dev.azure.com/fabrikam';
const V = 'api-version=7.1';

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  ada = restClient(sandbox, { pat: sandbox.pats.fabrikam! });
  readOnly = restClient(sandbox, { pat: sandbox.patsByName['ada-read-code']! });
  work = await tempDir('sandbox-rest-repos-');
  platformProjectId = sandbox.store.project(sandbox.store.organization('fabrikam')!, 'Platform')!.id;
});

afterAll(async () => {
  await sandbox?.close();
  await work?.remove();
});

const createRepo = (name: string, extra: Json = {}, query = '') =>
  ada('POST', `${ORG}/Platform/_apis/git/repositories?${V}${query}`, { name, project: { id: platformProjectId }, ...extra });

describe('creating repositories', () => {
  it('creates an empty repository that git sees as a real, empty repository', async () => {
    const res = await createRepo('rest-empty');
    expect(res.status).toBe(201);
    const repo = Repository.parse(res.body);
    expect(repo).toMatchObject({ name: 'rest-empty', project: { id: platformProjectId, name: 'Platform' }, size: 0 });
    expect(repo.defaultBranch).toBeUndefined();
    expect(repo.remoteUrl).toBe('https://fabrikam@dev.azure.com/fabrikam/Platform/_git/rest-empty');
    const listed = await ada('GET', `${ORG}/Platform/_apis/git/repositories?${V}`);
    expect(listed.body.value.map((r: Json) => r.name)).toContain('rest-empty');
    // The bare repository answers git over HTTPS with no refs at all.
    expect(await git(sandbox, ['ls-remote', repo.remoteUrl], { pat: sandbox.pats.fabrikam })).toBe('');
  });

  it('refuses a second repository with the same name (any case) with 409 TF400948', async () => {
    const res = await createRepo('REST-EMPTY');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      $id: '1',
      innerException: null,
      message: 'TF400948: A Git repository with the name REST-EMPTY already exists.',
      typeName: 'Microsoft.TeamFoundation.Git.Server.GitRepositoryNameAlreadyExistsException, Microsoft.TeamFoundation.Git.Server',
      typeKey: 'GitRepositoryNameAlreadyExistsException',
      errorCode: 0,
      eventId: 3000,
    });
  });

  it.each(['_hidden', 'a/b', 'semi;colon', 'CON', 'trailing.', ' padded', 'x'.repeat(65), ''])('refuses the invalid name %j with 400 TF401025', async (name) => {
    const res = await createRepo(name);
    expect(res.status).toBe(400);
    expect(res.body.typeKey).toBe('InvalidGitRepositoryNameException');
    expect(res.body.message).toBe(`TF401025: '${name}' is not a valid name for a Git repository.`);
  });

  it('needs vso.code_manage: a read-only PAT gets 403, an unknown project 404', async () => {
    const denied = await readOnly('POST', `${ORG}/Platform/_apis/git/repositories?${V}`, { name: 'nope', project: { id: platformProjectId } });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain("scope 'vso.code_manage'");
    const missing = await ada('POST', `${ORG}/_apis/git/repositories?${V}`, { name: 'nope', project: { id: 'No Such Project' } });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/^TF200016: /);
  });
});

describe('the first push', () => {
  const readme = '# Shiny\n\nA repository made through the REST API.\n';
  const license = 'MIT License\n\nCopyright (c) 2026 Ada Lovelace\n';
  let repoId: string;
  let remoteUrl: string;
  let clone: string;

  it('lists .gitignore templates for a full-access PAT and for OAuth, not for a scoped PAT', async () => {
    const full = await ada('GET', `${ORG}/Platform/_apis/git/templates?type=gitignore&api-version=7.1-preview.1`);
    expect(full.status).toBe(200);
    expect(full.body.count).toBe(full.body.value.length);
    expect(full.body.value).toContainEqual({ name: 'VisualStudio.gitignore', type: 'gitignore' });
    expect(full.body.value).toContainEqual({ name: 'Node.gitignore', type: 'gitignore' });
    const scoped = await readOnly('GET', `${ORG}/Platform/_apis/git/templates?type=gitignore&api-version=7.1-preview.1`);
    expect(scoped.status).toBe(403);
    const { accessToken } = await entraSignIn(sandbox, 'ada');
    const oauth = await restClient(sandbox, { bearer: accessToken })('GET', `${ORG}/Platform/_apis/git/templates?type=gitignore&api-version=7.1-preview.1`);
    expect(oauth.status).toBe(200);
    expect(oauth.body.value).toEqual(full.body.value);
  });

  it('commits README, a .gitignore template and LICENSE as one real commit by the caller', async () => {
    const created = await createRepo('rest-first-push');
    repoId = created.body.id;
    remoteUrl = created.body.remoteUrl;
    const res = await ada('POST', `${ORG}/Platform/_apis/git/repositories/${repoId}/pushes?${V}`, {
      refUpdates: [{ name: 'refs/heads/main', oldObjectId: ZERO }],
      commits: [
        {
          comment: 'Initial commit',
          changes: [
            { changeType: 'add', item: { path: '/README.md' }, newContent: { content: readme, contentType: 'rawtext' } },
            { changeType: 'add', item: { path: '/.gitignore' }, newContentTemplate: { name: 'VisualStudio.gitignore', type: 'gitignore' } },
            { changeType: 'add', item: { path: '/LICENSE' }, newContent: { content: Buffer.from(license).toString('base64'), contentType: 'base64encoded' } },
          ],
        },
      ],
    });
    expect(res.status).toBe(201);
    const push = Push.parse(res.body);
    expect(push.pushId).toBe(1);
    const commitId = push.commits![0]!.commitId;
    expect(res.body.refUpdates).toEqual([{ repositoryId: repoId, name: 'refs/heads/main', oldObjectId: ZERO, newObjectId: commitId }]);
    expect(res.body.commits[0]).toMatchObject({ author: { name: 'Ada Lovelace', email: 'ada@fabrikam.test' }, comment: 'Initial commit', parents: [] });
    expect(res.body.pushedBy.id).toBe(sandbox.store.user('ada')!.id);
    // The first branch pushed becomes the default branch.
    expect((await ada('GET', `${ORG}/Platform/_apis/git/repositories/${repoId}?${V}`)).body.defaultBranch).toBe('refs/heads/main');
  });

  it('clones with git to exactly those three files, with the content sent', async () => {
    clone = path.join(work.dir, 'first-push');
    await git(sandbox, ['clone', '--quiet', remoteUrl, clone], { pat: sandbox.pats.fabrikam });
    expect((await readdir(clone)).filter((f) => f !== '.git').toSorted()).toEqual(['.gitignore', 'LICENSE', 'README.md']);
    expect(await readFile(path.join(clone, 'README.md'), 'utf8')).toBe(readme);
    expect(await readFile(path.join(clone, 'LICENSE'), 'utf8')).toBe(license);
    expect(await readFile(path.join(clone, '.gitignore'), 'utf8')).toContain('.vs/');
    expect((await git(sandbox, ['log', '--format=%an <%ae>|%s'], { cwd: clone })).trim()).toBe('Ada Lovelace <ada@fabrikam.test>|Initial commit');
  });

  it('refuses a stale oldObjectId with 409 TF401028 and leaves the branch alone', async () => {
    const before = (await ada('GET', `${ORG}/Platform/_apis/git/repositories/${repoId}/refs?filter=heads/&${V}`)).body.value[0].objectId;
    for (const old of [ZERO, 'f'.repeat(40)]) {
      const res = await ada('POST', `${ORG}/Platform/_apis/git/repositories/${repoId}/pushes?${V}`, addFiles('refs/heads/main', old, { '/late.txt': 'late' }));
      expect(res.status).toBe(409);
      expect(res.body.typeKey).toBe('GitReferenceStaleException');
      expect(res.body.message).toBe("TF401028: The reference 'refs/heads/main' has already been updated by another client, so you cannot update it. Please try again.");
    }
    expect((await ada('GET', `${ORG}/Platform/_apis/git/repositories/${repoId}/refs?filter=heads/&${V}`)).body.value[0].objectId).toBe(before);
  });

  it('refuses changes that do not fit the tree (add over a file, edit a missing file) with 400', async () => {
    const tip = (await ada('GET', `${ORG}/Platform/_apis/git/repositories/${repoId}/refs?filter=heads/main&${V}`)).body.value[0].objectId;
    const again = await ada('POST', `${ORG}/Platform/_apis/git/repositories/${repoId}/pushes?${V}`, addFiles('refs/heads/main', tip, { '/README.md': 'x' }));
    expect(again.status).toBe(400);
    expect(again.body.message).toContain("'/README.md' specified in the add operation already exists");
    const edit = await ada('POST', `${ORG}/Platform/_apis/git/repositories/${repoId}/pushes?${V}`, {
      refUpdates: [{ name: 'refs/heads/main', oldObjectId: tip }],
      commits: [{ comment: 'x', changes: [{ changeType: 'edit', item: { path: '/nope.md' }, newContent: { content: 'x', contentType: 'rawtext' } }] }],
    });
    expect(edit.status).toBe(400);
    const below = await ada('POST', `${ORG}/Platform/_apis/git/repositories/${repoId}/pushes?${V}`, addFiles('refs/heads/main', tip, { '/README.md/inner.txt': 'x' }));
    expect(below.status).toBe(400);
    expect(below.body.message).toContain("'/README.md/inner.txt' would be below a file");
  });

  it('applies edit, delete and rename in a second push on top of the first', async () => {
    const tip = (await ada('GET', `${ORG}/Platform/_apis/git/repositories/${repoId}/refs?filter=heads/main&${V}`)).body.value[0].objectId;
    const res = await ada('POST', `${ORG}/Platform/_apis/git/repositories/${repoId}/pushes?${V}`, {
      refUpdates: [{ name: 'refs/heads/main', oldObjectId: tip }],
      commits: [
        {
          comment: 'Reshape',
          changes: [
            { changeType: 'edit', item: { path: '/README.md' }, newContent: { content: '# Shiny v2\n', contentType: 'rawtext' } },
            { changeType: 'delete', item: { path: '/LICENSE' } },
            { changeType: 'rename', sourceServerItem: '/.gitignore', item: { path: '/config/.gitignore' } },
          ],
        },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.pushId).toBe(2);
    expect(res.body.commits[0].parents).toEqual([tip]);
    await git(sandbox, ['pull', '--quiet', '--ff-only'], { cwd: clone, pat: sandbox.pats.fabrikam });
    expect((await readdir(clone)).filter((f) => f !== '.git').toSorted()).toEqual(['README.md', 'config']);
    expect(await readFile(path.join(clone, 'README.md'), 'utf8')).toBe('# Shiny v2\n');
    expect(await readFile(path.join(clone, 'config', '.gitignore'), 'utf8')).toContain('.vs/');
    const commits = await ada('GET', `${ORG}/Platform/_apis/git/repositories/${repoId}/commits?searchCriteria.$top=1&${V}`);
    expect(commits.body.value[0]).toMatchObject({ comment: 'Reshape', changeCounts: { Add: 1, Edit: 1, Delete: 2 } });
  });

  it('shows a branch pushed with git in refs and commits', async () => {
    await git(sandbox, ['checkout', '--quiet', '-b', 'feature/from-git'], { cwd: clone });
    await git(sandbox, ['-c', 'core.autocrlf=false', 'commit', '--quiet', '--allow-empty', '-m', 'Pushed with git'], { cwd: clone });
    const head = (await git(sandbox, ['rev-parse', 'HEAD'], { cwd: clone })).trim();
    await git(sandbox, ['push', '--quiet', 'origin', 'feature/from-git'], { cwd: clone, pat: sandbox.pats.fabrikam });
    const refs = await ada('GET', `${ORG}/Platform/_apis/git/repositories/${repoId}/refs?filter=heads/&${V}`);
    expect(listOf(GitRef).parse(refs.body).map((r) => [r.name, r.objectId])).toContainEqual(['refs/heads/feature/from-git', head]);
    const commits = await ada('GET', `${ORG}/Platform/_apis/git/repositories/${repoId}/commits?searchCriteria.itemVersion.version=feature/from-git&searchCriteria.$top=1&${V}`);
    const [top] = listOf(Commit).parse(commits.body);
    expect(top).toMatchObject({ commitId: head, comment: 'Pushed with git', author: { name: 'Sandbox Test', email: 'test@sandbox.test' } });
    const unknown = await ada('GET', `${ORG}/Platform/_apis/git/repositories/${repoId}/commits?searchCriteria.itemVersion.version=no-such-branch&${V}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/^TF401175:/);
  });
});

describe('reading history', () => {
  it('answers commits by itemPath like git log does, newest first, with $top', async () => {
    const org = sandbox.store.organization('fabrikam')!;
    const platform = sandbox.store.repository(org, 'Platform', sandbox.store.project(org, 'Platform'))!;
    const expected = (await git(sandbox, ['log', '--format=%H|%an|%ae', 'refs/heads/main', '--', 'src/lib/http-client.ts'], { gitDir: platform.gitDir })).trim().split('\n');
    expect(expected.length).toBeGreaterThan(1);
    const res = await ada('GET', `${ORG}/Platform/_apis/git/repositories/${platform.id}/commits?searchCriteria.itemPath=%2Fsrc%2Flib%2Fhttp-client.ts&searchCriteria.itemVersion.version=main&${V}`);
    expect(res.status).toBe(200);
    expect(res.body.value.map((c: Json) => `${c.commitId}|${c.author.name}|${c.author.email}`)).toEqual(expected);
    for (const c of res.body.value) expect(c.changes).toEqual([{ sourceServerItem: '/src/lib/http-client.ts', changeType: expect.stringMatching(/^(add|edit)$/) }]);
    const top = await ada('GET', `${ORG}/Platform/_apis/git/repositories/${platform.id}/commits?searchCriteria.itemPath=/src/lib/http-client.ts&searchCriteria.$top=1&${V}`);
    expect(top.body.value.map((c: Json) => c.commitId)).toEqual([expected[0]!.split('|')[0]]);
  });

  it('pages refs with $top and the x-ms-continuationtoken header, in name order', async () => {
    const org = sandbox.store.organization('fabrikam')!;
    const platform = sandbox.store.repository(org, 'Platform', sandbox.store.project(org, 'Platform'))!;
    const expected = (await git(sandbox, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/'], { gitDir: platform.gitDir })).trim().split('\n');
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const res: Answer = await ada('GET', `${ORG}/_apis/git/repositories/${platform.id}/refs?filter=heads/&$top=2${token ? `&continuationToken=${token}` : ''}&${V}`);
      expect(res.status).toBe(200);
      expect(res.body.value.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.value.map((r: Json) => `${r.name} ${r.objectId}`));
      token = res.headers.get('x-ms-continuationtoken');
      pages++;
    } while (token && pages < 20);
    expect(pages).toBe(Math.ceil(expected.length / 2));
    expect(seen).toEqual(expected);
  });
});

describe('forks', () => {
  it('forks one branch (sourceRef) sharing the parent objects, and lists it among the forks', async () => {
    const org = sandbox.store.organization('fabrikam')!;
    const parent = sandbox.store.repository(org, 'platform-tools', sandbox.store.project(org, 'Platform'))!;
    const security = sandbox.store.project(org, 'Security')!;
    const res = await ada('POST', `${ORG}/Security/_apis/git/repositories?sourceRef=refs/heads/main&${V}`, {
      name: 'tools-fork',
      project: { id: security.id },
      parentRepository: { id: parent.id, project: { id: platformProjectId } },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'tools-fork', isFork: true, project: { id: security.id }, parentRepository: { id: parent.id, name: 'platform-tools' }, defaultBranch: 'refs/heads/main' });
    const forkRefs = (await ada('GET', `${ORG}/Security/_apis/git/repositories/${res.body.id}/refs?${V}`)).body.value;
    const parentMain = (await ada('GET', `${ORG}/Platform/_apis/git/repositories/${parent.id}/refs?filter=heads/main&${V}`)).body.value[0].objectId;
    expect(forkRefs.map((r: Json) => [r.name, r.objectId])).toEqual([['refs/heads/main', parentMain]]);
    const fork = sandbox.store.repositories.get(res.body.id)!;
    expect(await readFile(path.join(fork.gitDir, 'objects', 'info', 'alternates'), 'utf8')).toContain(path.join(parent.gitDir, 'objects'));
    const dir = path.join(work.dir, 'tools-fork');
    await git(sandbox, ['clone', '--quiet', res.body.remoteUrl, dir], { pat: sandbox.pats.fabrikam });
    expect((await git(sandbox, ['rev-parse', 'HEAD'], { cwd: dir })).trim()).toBe(parentMain);

    const collectionId = org.id;
    const forks = await ada('GET', `${ORG}/Platform/_apis/git/repositories/platform-tools/forks/${collectionId}?${V}`);
    expect(forks.status).toBe(200);
    expect(forks.body.value.map((f: Json) => [f.name, f.isFork, f.project.name, f.collection.id])).toEqual([['tools-fork', true, 'Security', collectionId]]);
    const elsewhere = await ada('GET', `${ORG}/Platform/_apis/git/repositories/platform-tools/forks/${sandbox.store.organization('contoso')!.id}?${V}`);
    expect(elsewhere.body).toEqual({ count: 0, value: [] });
  });

  it('forks every ref without sourceRef, and refuses an unknown parent', async () => {
    const org = sandbox.store.organization('fabrikam')!;
    const parent = sandbox.store.repository(org, 'Platform', sandbox.store.project(org, 'Platform'))!;
    const res = await createRepo('platform-full-fork', { parentRepository: { id: parent.id } });
    expect(res.status).toBe(201);
    const parentRefs = (await ada('GET', `${ORG}/_apis/git/repositories/${parent.id}/refs?filter=heads/&${V}`)).body.value.map((r: Json) => r.name);
    const forkRefs = (await ada('GET', `${ORG}/_apis/git/repositories/${res.body.id}/refs?filter=heads/&${V}`)).body.value.map((r: Json) => r.name);
    expect(forkRefs).toEqual(parentRefs);
    const unknown = await createRepo('orphan-fork', { parentRepository: { id: '00000000-0000-4000-8000-000000000000' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.typeKey).toBe('GitRepositoryNotFoundException');
  });
});

describe('on-prem collection (Azure DevOps Server 2022)', () => {
  const BASE = 'https://tfs.fabrikam.test/tfs/DefaultCollection';

  it('creates and pushes at api-version 7.0 and refuses 7.1', async () => {
    const onprem = restClient(sandbox, { pat: sandbox.patsByName['ada-onprem']! });
    const legacy = sandbox.store.project(sandbox.store.organization('DefaultCollection')!, 'Legacy')!;
    const res = await onprem('POST', `${BASE}/Legacy/_apis/git/repositories?api-version=7.0`, { name: 'server-repo', project: { id: legacy.id } });
    expect(res.status).toBe(201);
    expect(res.body.remoteUrl).toBe(`${BASE}/Legacy/_git/server-repo`);
    const push = await onprem('POST', `${BASE}/Legacy/_apis/git/repositories/${res.body.id}/pushes?api-version=7.0`, addFiles('refs/heads/master', ZERO, { '/README.md': 'on prem\n' }));
    expect(push.status).toBe(201);
    const tooNew = await onprem('POST', `${BASE}/Legacy/_apis/git/repositories?api-version=7.1`, { name: 'too-new', project: { id: legacy.id } });
    expect(tooNew.status).toBe(400);
    expect(tooNew.body.typeKey).toBe('VssVersionOutOfRangeException');
  });
});
