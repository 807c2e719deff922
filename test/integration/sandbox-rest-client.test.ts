/**
 * The product's own REST client (src/shared/ado/client.ts) against the sandbox: every endpoint
 * function once, with the credential kinds the product uses. If the client and the sandbox
 * disagree on a path, an api-version, a body or an answer's shape, a call here fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { entraSignIn } from '../../sandbox/testing';
import { basicAuthHeader, createAdoClient, isAdoError, type AuthHeader } from '../../src/shared/ado/client';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from './sandbox-rest-harness';
import { addPatProfile } from '../../src/background/accounts';
import { accountDeps } from '../unit/account-deps';

let sandbox: Sandbox;
let client: ReturnType<typeof createAdoClient>;
let oauth: ReturnType<typeof createAdoClient>;
let keys: { dir: string; remove: () => Promise<void> };

const clientFor = (auth: AuthHeader, orgBaseUrl = 'https://dev.azure.com/fabrikam', apiVersion?: string) =>
  createAdoClient({ orgBaseUrl, apiVersion, auth: async () => auth, fetch: sandbox.fetch, maxConcurrency: 4, timeoutMs: 20_000 });

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  client = clientFor(basicAuthHeader(sandbox.pats.fabrikam!));
  oauth = clientFor({ scheme: 'Bearer', value: (await entraSignIn(sandbox, 'ada')).accessToken });
  keys = await tempDir('sandbox-rest-client-');
});

afterAll(async () => {
  await sandbox?.close();
  await keys?.remove();
});

describe('the product REST client against the sandbox', () => {
  it('creates a repository, adds the first files with a template, and reads branches and commits', async () => {
    const me = await client.connectionData();
    const projects = await client.projects();
    const platform = projects.find((p) => p.name === 'Platform')!;
    const templates = await client.gitignoreTemplates('Platform');
    expect(templates).toContain('VisualStudio');
    const repo = await client.createRepository({ projectId: platform.id, name: 'client-made' });
    const push = await client.initialPush({
      project: platform.id,
      repositoryId: repo.id,
      readme: '# client-made\n',
      gitignore: { template: 'VisualStudio' },
      license: 'MIT\n',
    });
    expect(push.commits).toHaveLength(1);
    const branches = await client.branches({ project: 'Platform', repositoryId: repo.id });
    expect(branches.map((b) => b.name)).toEqual(['refs/heads/main']);
    const commits = await client.commitsByPath({ project: 'Platform', repositoryId: repo.id }, '/LICENSE', 5, { branch: 'main' });
    expect(commits.map((c) => c.commitId)).toEqual([push.commits![0]!.commitId]);
    expect((await client.repository({ project: 'Platform', repositoryId: repo.id })).defaultBranch).toBe('refs/heads/main');

    const fork = await client.createFork({ projectId: platform.id, name: 'client-fork', parentRepositoryId: repo.id, parentProjectId: platform.id, sourceRef: 'refs/heads/main' });
    expect(fork.isFork).toBe(true);
    expect((await client.forks({ project: 'Platform', repositoryId: repo.id }, me.instanceId)).map((f) => f.name)).toEqual(['client-fork']);
    expect((await client.repositories()).some((r) => r.name === 'client-fork')).toBe(true);
  });

  it('creates, lists, reads, updates pull requests and manages reviewers', async () => {
    const ref = { project: 'Platform', repositoryId: 'Platform' };
    const grace = (await client.searchIdentities('grace@fabrikam.test'))[0]!;
    const pr = await client.createPullRequest(ref, {
      sourceRefName: 'users/ada/spike',
      targetRefName: 'release/2026.08',
      title: 'Client-made',
      description: 'Made by the product client.',
      reviewers: [{ id: grace.id, isRequired: true }],
    });
    expect(pr.reviewers.map((r) => r.id)).toEqual([grace.id]);
    const mine = await client.pullRequests({ project: 'Platform', repositoryId: 'Platform' }, { creatorId: pr.createdBy.id, status: 'active' });
    expect(mine.map((p) => p.pullRequestId)).toContain(pr.pullRequestId);
    expect((await client.allPullRequests({ project: 'Platform' }, { status: 'all' }, { pageSize: 2 })).length).toBeGreaterThanOrEqual(5);
    expect((await client.pullRequest('Platform', pr.pullRequestId)).title).toBe('Client-made');
    const prRef = { ...ref, pullRequestId: pr.pullRequestId };
    expect((await client.pullRequestChanges(prRef)).length).toBeGreaterThan(0);

    const people = await client.searchPeople('alan');
    const alan = people.find((p) => p.displayName === 'Alan Turing')!;
    await client.addReviewer(prRef, alan.localId!, { isRequired: true });
    const edsger = (await client.searchIdentities('edsger@fabrikam.test'))[0]!;
    await client.addReviewers(prRef, [edsger.id]);
    await client.removeReviewer(prRef, grace.id);
    expect((await client.listReviewers(prRef)).map((r) => [r.displayName, r.isRequired ?? false])).toEqual([
      ['Alan Turing', true],
      ['Edsger Dijkstra', false],
    ]);
    const updated = await client.updatePullRequest(prRef, { title: 'Client-made, renamed', isDraft: true });
    expect(updated).toMatchObject({ title: 'Client-made, renamed', isDraft: true });
    expect((await client.updatePullRequest(prRef, { status: 'abandoned' })).status).toBe('abandoned');
  });

  it('reads teams and their members', async () => {
    const platform = (await client.projects()).find((p) => p.name === 'Platform')!;
    const teams = await client.teams(platform.id);
    expect(teams.map((t) => t.name)).toContain('Platform Team');
    const members = await client.teamMembers(platform.id, teams.find((t) => t.name === 'Platform Team')!.id);
    expect(members.map((m) => m.identity.displayName)).toContain('Ada Lovelace');
  });

  it('adds and lists an SSH key with OAuth; with a PAT Azure DevOps refuses', async () => {
    const file = path.join(keys.dir, 'id_rsa');
    await new Promise<void>((resolve, reject) =>
      execFile('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'client', '-f', file], (err) => (err ? reject(err) : resolve())),
    );
    const publicKey = (await readFile(`${file}.pub`, 'utf8')).trim();
    const { instanceId } = await oauth.connectionData();
    const key = await oauth.addSshKey({ displayName: 'client key', publicKey, validTo: new Date(Date.now() + 30 * 86_400_000), instanceId });
    expect((await oauth.sshKeys()).map((k) => k.authorizationId)).toEqual([key.authorizationId]);
    const refused = await client.sshKeys().catch((e: unknown) => e);
    expect(isAdoError(refused) && refused.status).toBe(401);
  });

  it('works against the on-prem collection at api-version 7.0', async () => {
    const onprem = clientFor(basicAuthHeader(sandbox.patsByName['ada-onprem']!), 'https://tfs.fabrikam.test/tfs/DefaultCollection', '7.0');
    const legacy = (await onprem.projects()).find((p) => p.name === 'Legacy')!;
    const repo = await onprem.createRepository({ projectId: legacy.id, name: 'client-onprem' });
    await onprem.initialPush({ project: 'Legacy', repositoryId: repo.id, branch: 'master', readme: '# on-prem\n' });
    expect((await onprem.branches({ project: 'Legacy', repositoryId: repo.id })).map((b) => b.name)).toEqual(['refs/heads/master']);
    expect((await onprem.searchIdentities('grace@fabrikam.test')).map((i) => i.providerDisplayName)).toEqual(['Grace Hopper']);
    // A server's people are Windows accounts: DOMAIN\user, not a mail address (account-names.ts).
    const pr = await onprem.createPullRequest({ project: 'Legacy', repositoryId: 'tfs-tools' }, { sourceRefName: 'feature/readme-update', targetRefName: 'master', title: 'On-prem' });
    expect(pr.createdBy).toMatchObject({ displayName: 'Ada Lovelace', uniqueName: 'FABRIKAM\\ada', descriptor: expect.stringMatching(/^win\./) });
  });

  it('a profile whose api-version the server is too old for (7.1 on a server of 7.0): says so with the way on; adding the account again picks 7.0', async () => {
    const collectionUrl = 'https://tfs.fabrikam.test/tfs/DefaultCollection';
    const pat = sandbox.patsByName['ada-onprem']!;
    const e = await clientFor(basicAuthHeader(pat), collectionUrl, '7.1').repositories().catch((err: unknown) => err);
    expect(isAdoError(e, 'serverTooOld')).toBe(true);
    expect((e as { userMessage: string }).userMessage).toContain('it supports the REST API up to version 7.0, and the profile asks for version 7.1');
    const { profile } = await addPatProfile({ collectionUrl, organization: 'DefaultCollection', pat }, accountDeps(sandbox.fetch));
    expect(profile.apiVersion).toBe('7.0');
  });
});
