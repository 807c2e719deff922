/**
 * Pull request REST routes against real repositories: create (and 409 for a twin), list with
 * search criteria, get, update, iterations and their changes from the real diff, reviewers (what
 * is recorded in the store), completing with a real merge, and a pull request from a fork.
 * One sandbox for the file; the pull requests here live in repositories this file creates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { PullRequest, Reviewer, listOf } from '../../src/shared/ado/schemas';
import { addFiles, git, restClient, ZERO, type Json } from './sandbox-rest-harness';

let sandbox: Sandbox;
let ada: ReturnType<typeof restClient>;
let grace: ReturnType<typeof restClient>;
let readOnly: ReturnType<typeof restClient>;
let repoId: string;
let repoGitDir: string;
let mainTip: string;
let featureTip: string;
const ids: Record<string, string> = {};

const ORG = 'https://dev.azure.com/fabrikam';
const V = 'api-version=7.1';
const REPO = () => `${ORG}/Platform/_apis/git/repositories/${repoId}`;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  ada = restClient(sandbox, { pat: sandbox.pats.fabrikam! });
  grace = restClient(sandbox, { pat: sandbox.patsByName['grace-full']! });
  readOnly = restClient(sandbox, { pat: sandbox.patsByName['ada-read-code']! });
  const org = sandbox.store.organization('fabrikam')!;
  for (const alias of ['ada', 'grace', 'alan', 'edsger', 'ken']) ids[alias] = sandbox.store.user(alias)!.id;
  for (const g of sandbox.store.groupsOf(org)) ids[g.displayName.replace(/^.*\\/, '')] = g.id;
  const project = sandbox.store.project(org, 'Platform')!;
  const created = await ada('POST', `${ORG}/Platform/_apis/git/repositories?${V}`, { name: 'pr-playground', project: { id: project.id } });
  repoId = created.body.id;
  repoGitDir = sandbox.store.repositories.get(repoId)!.gitDir;
  const first = await ada('POST', `${REPO()}/pushes?${V}`, addFiles('refs/heads/main', ZERO, { '/shared.txt': 'one\n', '/a.txt': 'a\n' }, 'Start'));
  mainTip = first.body.refUpdates[0].newObjectId;
  const feature = await ada('POST', `${REPO()}/pushes?${V}`, {
    refUpdates: [{ name: 'refs/heads/feature/a', oldObjectId: mainTip }],
    commits: [
      {
        comment: 'Feature A',
        changes: [
          { changeType: 'add', item: { path: '/b.txt' }, newContent: { content: 'b\n', contentType: 'rawtext' } },
          { changeType: 'edit', item: { path: '/shared.txt' }, newContent: { content: 'one\ntwo\n', contentType: 'rawtext' } },
        ],
      },
    ],
  });
  featureTip = feature.body.refUpdates[0].newObjectId;
  // A second branch for a second pull request.
  await ada('POST', `${REPO()}/pushes?${V}`, addFiles('refs/heads/feature/b', mainTip, { '/c.txt': 'c\n' }, 'Feature B'));
});

afterAll(async () => {
  await sandbox?.close();
});

const listIds = async (query: string, base = `${REPO()}/pullrequests`) => {
  const res = await ada('GET', `${base}?${query}${query ? '&' : ''}${V}`);
  expect(res.status).toBe(200);
  return listOf(PullRequest).parse(res.body).map((p) => p.pullRequestId);
};

const reviewers = () => `${REPO()}/pullRequests/${prId}/reviewers`;
const recorded = async () => {
  const res = await sandbox.fetch(`https://dev.azure.com/_sandbox/pullrequests/fabrikam/${prId}`);
  return ((await res.json()) as Json).reviewers as { id: string; vote: number; isRequired: boolean }[];
};

let prId: number;

describe('creating', () => {
  it('creates a pull request with the full shape, computed from the real branches', async () => {
    const res = await ada('POST', `${REPO()}/pullrequests?${V}`, {
      sourceRefName: 'refs/heads/feature/a',
      targetRefName: 'refs/heads/main',
      title: 'Feature A',
      description: 'Adds b and extends shared.',
      reviewers: [{ id: ids.grace, isRequired: true }, { id: ids['Release Approvers'] }],
    });
    expect(res.status).toBe(201);
    const pr = PullRequest.parse(res.body);
    prId = pr.pullRequestId;
    expect(res.body).toMatchObject({
      codeReviewId: prId,
      status: 'active',
      title: 'Feature A',
      description: 'Adds b and extends shared.',
      sourceRefName: 'refs/heads/feature/a',
      targetRefName: 'refs/heads/main',
      isDraft: false,
      mergeStatus: 'succeeded',
      supportsIterations: true,
      createdBy: { id: ids.ada, displayName: 'Ada Lovelace', uniqueName: 'ada@fabrikam.test' },
      repository: { id: repoId, name: 'pr-playground' },
      lastMergeSourceCommit: { commitId: featureTip },
      lastMergeTargetCommit: { commitId: mainTip },
      url: `${ORG}/${res.body.repository.project.id}/_apis/git/repositories/${repoId}/pullRequests/${prId}`,
    });
    expect(res.body.reviewers.map((r: Json) => [r.displayName, r.vote, r.isRequired ?? false])).toEqual([
      ['Grace Hopper', 0, true],
      ['[fabrikam]\\Release Approvers', 0, false],
    ]);
    // lastMergeCommit is a real merge commit of target and source.
    const merge = res.body.lastMergeCommit.commitId;
    expect((await git(sandbox, ['rev-parse', `${merge}^1`, `${merge}^2`], { gitDir: repoGitDir })).trim().split('\n')).toEqual([mainTip, featureTip]);
    expect(res.body['_links'].iterations.href).toBe(`${res.body.url}/iterations`);
  });

  it('refuses a second active pull request for the same branches with 409 TF401179', async () => {
    const res = await grace('POST', `${REPO()}/pullrequests?${V}`, { sourceRefName: 'refs/heads/feature/a', targetRefName: 'refs/heads/main', title: 'Again' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      message: 'TF401179: An active pull request for the source and target branch already exists.',
      typeKey: 'GitPullRequestExistsException',
      typeName: 'Microsoft.TeamFoundation.Git.Server.GitPullRequestExistsException, Microsoft.TeamFoundation.Git.Server',
      $id: '1',
      innerException: null,
      errorCode: 0,
      eventId: 3000,
    });
  });

  it('refuses a missing branch (TF401398), an unknown reviewer and a read-only PAT', async () => {
    const missing = await ada('POST', `${REPO()}/pullrequests?${V}`, { sourceRefName: 'refs/heads/nope', targetRefName: 'refs/heads/main', title: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/^TF401398: /);
    const unknown = await ada('POST', `${REPO()}/pullrequests?${V}`, {
      sourceRefName: 'refs/heads/feature/b',
      targetRefName: 'refs/heads/main',
      title: 'x',
      reviewers: [{ id: '11111111-2222-4333-8444-555555555555' }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ message: 'Invalid argument value.\r\nParameter name: A valid reviewer must be supplied.', typeKey: 'InvalidArgumentValueException' });
    const denied = await readOnly('POST', `${REPO()}/pullrequests?${V}`, { sourceRefName: 'refs/heads/feature/b', targetRefName: 'refs/heads/main', title: 'x' });
    expect(denied.status).toBe(403);
  });
});

describe('listing and reading', () => {
  let secondId: number;

  beforeAll(async () => {
    const res = await grace('POST', `${REPO()}/pullrequests?${V}`, { sourceRefName: 'refs/heads/feature/b', targetRefName: 'refs/heads/main', title: 'Feature B', isDraft: true, reviewers: [{ id: ids.alan }] });
    expect(res.status).toBe(201);
    secondId = res.body.pullRequestId;
  });

  it('filters by status, creator, reviewer and branches, newest first, with $top and $skip', async () => {
    expect(await listIds('')).toEqual([secondId, prId]);
    expect(await listIds(`searchCriteria.creatorId=${ids.grace}`)).toEqual([secondId]);
    expect(await listIds(`searchCriteria.reviewerId=${ids.grace}`)).toEqual([prId]);
    expect(await listIds(`searchCriteria.reviewerId=${ids['Release Approvers']}`)).toEqual([prId]);
    expect(await listIds('searchCriteria.sourceRefName=refs/heads/feature/b')).toEqual([secondId]);
    expect(await listIds('searchCriteria.targetRefName=refs/heads/main&$top=1')).toEqual([secondId]);
    expect(await listIds('$top=1&$skip=1')).toEqual([prId]);
    expect(await listIds('searchCriteria.status=completed')).toEqual([]);
    const bad = await ada('GET', `${REPO()}/pullrequests?searchCriteria.status=bogus&${V}`);
    expect(bad.status).toBe(400);
  });

  it('lists per project (seeded Platform pull requests included) and gets one by id at project and repository level', async () => {
    const inProject = await listIds('searchCriteria.status=all', `${ORG}/Platform/_apis/git/pullrequests`);
    expect(inProject).toEqual(expect.arrayContaining([prId, secondId, 1, 2, 3, 4]));
    expect(inProject).toEqual(inProject.toSorted((a, b) => b - a));
    const byId = await ada('GET', `${ORG}/Platform/_apis/git/pullrequests/${prId}?${V}`);
    expect(byId.status).toBe(200);
    expect(byId.body.pullRequestId).toBe(prId);
    const inRepo = await ada('GET', `${REPO()}/pullRequests/${prId}?${V}`);
    expect(inRepo.body.title).toBe('Feature A');
    const elsewhere = await ada('GET', `${ORG}/Mobile/_apis/git/pullrequests/${prId}?${V}`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toMatchObject({ message: 'TF401180: The requested pull request was not found.', typeKey: 'GitPullRequestNotFoundException' });
  });

  it('updates title, description and draft; abandons and reactivates', async () => {
    const url = `${REPO()}/pullrequests/${secondId}?${V}`;
    const renamed = await grace('PATCH', url, { title: 'Feature B, renamed', description: 'Now described.', isDraft: false });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ title: 'Feature B, renamed', description: 'Now described.', isDraft: false, status: 'active' });
    const abandoned = await grace('PATCH', url, { status: 'abandoned' });
    expect(abandoned.body).toMatchObject({ status: 'abandoned', closedBy: { id: ids.grace } });
    expect(Date.parse(abandoned.body.closedDate)).toBeGreaterThan(Date.now() - 60_000);
    expect(await listIds('searchCriteria.status=abandoned')).toEqual([secondId]);
    const edit = await grace('PATCH', url, { title: 'no' });
    expect(edit.status).toBe(400);
    expect(edit.body.typeKey).toBe('GitPullRequestNotEditableException');
    const active = await grace('PATCH', url, { status: 'active' });
    expect(active.body.status).toBe('active');
    expect(active.body.closedDate).toBeUndefined();
  });
});

describe('iterations and changes', () => {
  it('answers iteration 1 with the files of the real diff', async () => {
    const its = await ada('GET', `${REPO()}/pullRequests/${prId}/iterations?${V}`);
    expect(its.body.value.map((i: Json) => [i.id, i.sourceRefCommit.commitId, i.targetRefCommit.commitId, i.commonRefCommit.commitId])).toEqual([[1, featureTip, mainTip, mainTip]]);
    const changes = await ada('GET', `${REPO()}/pullRequests/${prId}/iterations/1/changes?${V}`);
    expect(changes.body.changeEntries.map((c: Json) => [c.changeType, c.item.path])).toEqual([
      ['add', '/b.txt'],
      ['edit', '/shared.txt'],
    ]);
    const paged = await ada('GET', `${REPO()}/pullRequests/${prId}/iterations/1/changes?$top=1&${V}`);
    expect(paged.body).toMatchObject({ nextSkip: 1, nextTop: 1 });
    expect(paged.body.changeEntries).toHaveLength(1);
    expect((await ada('GET', `${REPO()}/pullRequests/${prId}/iterations/9/changes?${V}`)).status).toBe(404);
  });

  it('adds an iteration when the source branch moves', async () => {
    const push = await ada('POST', `${REPO()}/pushes?${V}`, addFiles('refs/heads/feature/a', featureTip, { '/d.txt': 'd\n' }, 'More A'));
    expect(push.status).toBe(201);
    featureTip = push.body.refUpdates[0].newObjectId;
    const its = await ada('GET', `${REPO()}/pullRequests/${prId}/iterations?${V}`);
    expect(its.body.value.map((i: Json) => [i.id, i.reason, i.sourceRefCommit.commitId])).toEqual([
      [1, 'create', expect.any(String)],
      [2, 'push', featureTip],
    ]);
    const changes = await ada('GET', `${REPO()}/pullRequests/${prId}/iterations/2/changes?${V}`);
    expect(changes.body.changeEntries.map((c: Json) => c.item.path)).toEqual(['/b.txt', '/d.txt', '/shared.txt']);
  });
});

describe('reviewers', () => {
  it('lists, adds (PUT), votes for oneself, and records it all in the store', async () => {
    const listed = await ada('GET', `${reviewers()}?${V}`);
    expect(listOf(Reviewer).parse(listed.body).map((r) => r.id)).toEqual([ids.grace, ids['Release Approvers']]);
    const added = await ada('PUT', `${reviewers()}/${ids.alan}?${V}`, { vote: 0, isRequired: true });
    expect(added.status).toBe(200);
    expect(Reviewer.parse(added.body)).toMatchObject({ id: ids.alan, vote: 0, isRequired: true, displayName: 'Alan Turing' });
    expect(added.body.reviewerUrl).toMatch(new RegExp(`/_apis/git/repositories/${repoId}/pullRequests/${prId}/reviewers/${ids.alan}$`));
    const voted = await grace('PUT', `${reviewers()}/${ids.grace}?${V}`, { vote: 10 });
    expect(voted.body.vote).toBe(10);
    expect(await recorded()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: ids.grace, vote: 10, isRequired: true }),
        expect.objectContaining({ id: ids.alan, vote: 0, isRequired: true }),
      ]),
    );
  });

  it('refuses votes for someone else, bad votes and unknown identities', async () => {
    const forOther = await ada('PUT', `${reviewers()}/${ids.grace}?${V}`, { vote: -10 });
    expect(forOther.status).toBe(400);
    const badVote = await grace('PUT', `${reviewers()}/${ids.grace}?${V}`, { vote: 7 });
    expect(badVote.status).toBe(400);
    const unknown = await ada('PUT', `${reviewers()}/11111111-2222-4333-8444-555555555555?${V}`, { vote: 0 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe('Invalid argument value.\r\nParameter name: A valid reviewer must be supplied.');
    // Someone outside the organization is no valid reviewer either.
    const outsider = await ada('PUT', `${reviewers()}/${sandbox.store.user('morgan')!.id}?${V}`, { vote: 0 });
    expect(outsider.status).toBe(400);
    expect((await recorded()).find((r) => r.id === ids.grace)?.vote).toBe(10);
  });

  it('adds several with POST and removes one with DELETE', async () => {
    const many = await ada('POST', `${reviewers()}?${V}`, [{ id: ids.edsger }, { id: ids['Security Reviewers'] }]);
    expect(many.status).toBe(200);
    expect(many.body.value.map((r: Json) => r.id)).toEqual([ids.edsger, ids['Security Reviewers']]);
    const bad = await ada('POST', `${reviewers()}?${V}`, [{ id: ids.ken }, { id: 'not-a-guid' }]);
    expect(bad.status).toBe(400);
    expect((await recorded()).some((r) => r.id === ids.ken)).toBe(false);
    const removed = await ada('DELETE', `${reviewers()}/${ids.edsger}?${V}`);
    expect(removed.status).toBe(200);
    expect(removed.text).toBe('');
    expect((await recorded()).map((r) => r.id)).not.toContain(ids.edsger);
    expect((await ada('GET', `${reviewers()}?${V}`)).body.value.map((r: Json) => r.id)).not.toContain(ids.edsger);
  });
});

describe('completing', () => {
  it('refuses a stale lastMergeSourceCommit, then merges for real into the target branch', async () => {
    const url = `${REPO()}/pullrequests/${prId}?${V}`;
    const staleRes = await ada('PATCH', url, { status: 'completed', lastMergeSourceCommit: { commitId: mainTip } });
    expect(staleRes.status).toBe(409);
    expect(staleRes.body.typeKey).toBe('GitPullRequestStaleException');
    const done = await ada('PATCH', url, { status: 'completed', lastMergeSourceCommit: { commitId: featureTip }, completionOptions: { deleteSourceBranch: true } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', mergeStatus: 'succeeded', closedBy: { id: ids.ada }, lastMergeSourceCommit: { commitId: featureTip } });
    const merged = done.body.lastMergeCommit.commitId;
    const refs = await ada('GET', `${REPO()}/refs?filter=heads/&${V}`);
    expect(refs.body.value.map((r: Json) => [r.name, r.objectId])).toEqual([
      ['refs/heads/feature/b', expect.any(String)],
      ['refs/heads/main', merged],
    ]);
    expect((await git(sandbox, ['log', '-1', '--format=%P|%an|%s', merged], { gitDir: repoGitDir })).trim()).toBe(`${mainTip} ${featureTip}|Ada Lovelace|Merged PR ${prId}: Feature A`);
    expect((await git(sandbox, ['ls-tree', '--name-only', 'refs/heads/main'], { gitDir: repoGitDir })).trim().split('\n')).toEqual(['a.txt', 'b.txt', 'd.txt', 'shared.txt']);
    const again = await ada('PATCH', url, { title: 'late' });
    expect(again.status).toBe(400);
  });
});

describe('from a fork', () => {
  it('creates a pull request from a fork branch and completes it into the parent', async () => {
    const org = sandbox.store.organization('fabrikam')!;
    const security = sandbox.store.project(org, 'Security')!;
    const fork = await ada('POST', `${ORG}/Security/_apis/git/repositories?${V}`, { name: 'playground-fork', project: { id: security.id }, parentRepository: { id: repoId } });
    expect(fork.status).toBe(201);
    const forkTip = (await ada('GET', `${ORG}/Security/_apis/git/repositories/${fork.body.id}/refs?filter=heads/main&${V}`)).body.value[0].objectId;
    const pushed = await ada('POST', `${ORG}/Security/_apis/git/repositories/${fork.body.id}/pushes?${V}`, addFiles('refs/heads/fork-work', forkTip, { '/from-fork.txt': 'hello\n' }, 'From the fork'));
    expect(pushed.status).toBe(201);
    const created = await ada('POST', `${REPO()}/pullrequests?${V}`, {
      sourceRefName: 'refs/heads/fork-work',
      targetRefName: 'refs/heads/main',
      title: 'From the fork',
      forkSource: { repository: { id: fork.body.id } },
    });
    expect(created.status).toBe(201);
    expect(created.body.forkSource).toMatchObject({ name: 'refs/heads/fork-work', repository: { id: fork.body.id, name: 'playground-fork' } });
    expect(created.body.mergeStatus).toBe('succeeded');
    const changes = await ada('GET', `${REPO()}/pullRequests/${created.body.pullRequestId}/iterations/1/changes?${V}`);
    expect(changes.body.changeEntries.map((c: Json) => [c.changeType, c.item.path])).toEqual([['add', '/from-fork.txt']]);
    const done = await ada('PATCH', `${REPO()}/pullrequests/${created.body.pullRequestId}?${V}`, { status: 'completed' });
    expect(done.status).toBe(200);
    expect((await git(sandbox, ['ls-tree', '--name-only', 'refs/heads/main'], { gitDir: repoGitDir })).trim().split('\n')).toContain('from-fork.txt');
    // The parent's objects are complete on their own: fsck finds nothing missing.
    expect((await git(sandbox, ['fsck', '--connectivity-only', '--no-dangling'], { gitDir: repoGitDir })).trim()).toBe('');
  });
});
