import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { basicAuthHeader, createAdoClient, identityMail, type AdoClient } from '../../src/shared/ado/client';
import {
  bodySchema,
  exampleAnswer,
  expectedApiVersion,
  findOperation,
  loadSpec,
  queryNames,
  undeclaredFields,
  type Operation,
  type Spec,
} from './ado-spec-helpers';

/**
 * The client against a local HTTP server that plays Azure DevOps from Microsoft's own specs: each
 * request must match a documented path and method, carry the api-version the spec names, use only
 * declared query parameters and body fields; the answer is the spec's example, which the client's
 * schemas must accept.
 */

const orgSpecs = [loadSpec('git/7.1/git.json'), loadSpec('core/7.1/core.json'), loadSpec('wit/7.1/workItemTracking.json')];
const vsspsSpecs = [loadSpec('ims/7.1/identities.json')];
const appSpecs = [loadSpec('profile/7.1/profile.json'), loadSpec('account/7.1/accounts.json')];

const GIT = '/{organization}/{project}/_apis/git/repositories';
const PR = `${GIT}/{repositoryId}/pullRequests/{pullRequestId}`;

/** Operations without an example in the spec (or with the wrong one first) get one named here. */
const answers: Record<string, (body: unknown) => string | { status: number; body: unknown }> = {
  [`GET ${GIT}/{repositoryId}/refs`]: () => './httpExamples/refs/GET__git_repositories__repositoryId__refs_heads.json',
  [`GET ${GIT}/{repositoryId}/commits`]: () =>
    './httpExamples/commits/GET__git_repositories__repositoryId__commits_branch_itemPath-_itemPath_.json',
  [`POST ${GIT}`]: (body) =>
    typeof body === 'object' && body !== null && 'parentRepository' in body
      ? './httpExamples/repositories/POST__git_repositories_fork.json'
      : './httpExamples/repositories/POST__git_repositories.json',
  [`PATCH ${GIT}/{repositoryId}/pullrequests/{pullRequestId}`]: () =>
    './httpExamples/pullRequests/PATCH__git_repositories__repositoryId__pullRequests__pullRequestId_.json',
  // The same answer type (IdentityRefWithVote[]) as listing reviewers.
  [`POST ${PR}/reviewers`]: () => './httpExamples/pullRequestReviewers/GET__git_repositories__repositoryId__pullRequests__pullRequestId__reviewers.json',
  // Forks answer GitRepositoryRef[]: the repository list example has that shape.
  [`GET ${GIT}/{repositoryNameOrId}/forks/{collectionId}`]: () => './httpExamples/repositories/GET__git_repositories.json',
  // The spec has no example for iterations: a minimal GitPullRequestIteration[] answer.
  [`GET ${PR}/iterations`]: () => ({ status: 200, body: { count: 2, value: [{ id: 1 }, { id: 2 }] } }),
  // Creating a branch: the refs update example (the spec lists the PATCH example first).
  [`POST ${GIT}/{repositoryId}/refs`]: () => './httpExamples/refs/POST__git_repositories__repositoryId__refs.json',
  ['GET /{organization}/{project}/_apis/wit/workitems']: () => './httpExamples/workItems/GET__wit_WorkItems_ids-_ids__fields-_columns_.json',
  ['PATCH /{organization}/{project}/_apis/wit/workitems/{id}']: () => './httpExamples/workItems/PATCH__wit_workitems__taskId_3.json',
  ['GET /{organization}/_apis/identities']: () => './httpExamples/Identities/SearchIdentityByEmail.json',
  ['GET /_apis/accounts']: () => './httpExamples/accounts/GET__Accounts_memberId-_userId_.json',
};

/** The commits list is documented under GitQueryCommitsCriteria; the spec merges it with push commits. */
const alsoAllowedQuery: Record<string, string[]> = {
  [`GET ${GIT}/{repositoryId}/commits`]: ['searchCriteria.itemPath', 'searchCriteria.$top', 'searchCriteria.itemVersion.version'],
};

interface Seen {
  method: string;
  path: string;
  template?: string;
  problems: string[];
}
let seen: Seen[] = [];
let server: http.Server;
let client: AdoClient;

function checkAgainstSpec(o: Operation, url: URL, method: string, body: unknown): string[] {
  const problems: string[] = [];
  const key = `${method} ${o.template}`;
  const version = url.searchParams.get('api-version');
  if (version !== expectedApiVersion(o)) problems.push(`api-version ${version}, spec wants ${expectedApiVersion(o)}`);
  const allowed = new Set([...queryNames(o), 'api-version', ...(alsoAllowedQuery[key] ?? [])]);
  for (const name of url.searchParams.keys()) if (!allowed.has(name)) problems.push(`query ${name} not in spec`);
  if (body !== undefined) {
    const schema = bodySchema(o);
    if (!schema) problems.push('sent a body the spec does not take');
    else problems.push(...undeclaredFields(body, schema, o.spec.json.definitions).map((f) => `body field ${f} not in spec`));
  }
  return problems;
}

function route(pathname: string): { specs: Spec[]; rest: string } {
  if (pathname.startsWith('/vssps/')) return { specs: vsspsSpecs, rest: pathname.slice('/vssps'.length) };
  if (pathname.startsWith('/app/')) return { specs: appSpecs, rest: pathname.slice('/app'.length) };
  return { specs: orgSpecs, rest: pathname };
}

beforeAll(async () => {
  // As the extension does at startup: MV3 pages refuse zod's `new Function` fast path.
  z.config({ jitless: true });
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = req.method ?? 'GET';
      const text = Buffer.concat(chunks).toString('utf8');
      const body: unknown = text ? JSON.parse(text) : undefined;
      const { specs, rest } = route(url.pathname);
      const o = findOperation(specs, method, rest);
      const entry: Seen = { method, path: url.pathname, problems: [] };
      seen.push(entry);
      if (!o) {
        entry.problems.push('no such operation in the spec');
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not in spec"}');
        return;
      }
      entry.template = o.template;
      entry.problems.push(...checkAgainstSpec(o, url, method, body));
      const chosen = answers[`${method} ${o.template}`]?.(body);
      const answer = typeof chosen === 'object' ? chosen : exampleAnswer(o, chosen);
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = createAdoClient({
    orgBaseUrl: `${base}/fabrikam`,
    vsspsBaseUrl: `${base}/vssps/fabrikam`,
    profileBaseUrl: `${base}/app`,
    auth: async () => basicAuthHeader('examplepat0000000000000000000000000000000000000000'),
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const repoRef = { project: 'Fabrikam-Fiber-Git', repositoryId: '3411ebc1-d5aa-464f-9615-0b527bc66719' };
const prRef = { ...repoRef, pullRequestId: 22 };

const scenarios: Array<[string, (c: AdoClient) => Promise<unknown>, (result: never) => void]> = [
  ['profile', (c) => c.profile(), (p: { id: string; emailAddress?: string }) => expect(p.emailAddress).toBe('fabrikamfiber16@hotmail.com')],
  ['accounts', (c) => c.accounts('d6245f20-2af8-44f4-9451-8107cb2767db'), (a: Array<{ accountName: string }>) =>
    expect(a.map((x) => x.accountName)).toEqual(['Fabrikam-Fiber-Inc', 'NormalPaulk'])],
  ['projects', (c) => c.projects(), (p: unknown[]) => expect(p).toHaveLength(3)],
  ['teams', (c) => c.teams('eb6e4656-77fc-42a1-9181-4c6d8e9da5d1'), (t: Array<{ name: string }>) => expect(t[0]?.name).toBe('Quality assurance')],
  ['team members', (c) => c.teamMembers('eb6e4656-77fc-42a1-9181-4c6d8e9da5d1', '564e8204-a90b-4432-883b-d4363c6125ca'),
    (m: Array<{ identity: { displayName: string }; isTeamAdmin?: boolean }>) => expect(m.find((x) => x.isTeamAdmin)?.identity.displayName).toBe('Johnnie McLeod')],
  ['identity search', (c) => c.searchIdentities('jtseng@vscsi.us'), (ids: Parameters<typeof identityMail>[0][]) =>
    expect(ids.map(identityMail)).toEqual(['jtseng@vscsi.us'])],
  ['repositories of the organization', (c) => c.repositories(), (r: Array<{ name: string }>) =>
    expect(r.map((x) => x.name)).toEqual(['AnotherRepository', 'Fabrikam-Fiber-Git', 'TestGit'])],
  ['repositories of a project', (c) => c.repositories('Fabrikam-Fiber-Git'), (r: unknown[]) => expect(r).toHaveLength(3)],
  ['one repository', (c) => c.repository(repoRef), (r: { name: string }) => expect(r.name).toBeTruthy()],
  ['create a repository', (c) => c.createRepository({ projectId: '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c', name: 'AnotherRepository' }),
    (r: { remoteUrl: string }) => expect(r.remoteUrl).toMatch(/^https:/)],
  ['create a fork', (c) => c.createFork({ projectId: 'p2', name: 'forkRepository', parentRepositoryId: 'r1', parentProjectId: 'p1', sourceRef: 'refs/heads/main' }),
    (r: { isFork?: boolean }) => expect(r.isFork).toBe(true)],
  ['forks', (c) => c.forks(repoRef, 'collection-id'), (r: unknown[]) => expect(r).toHaveLength(3)],
  ['branches', (c) => c.branches(repoRef), (b: Array<{ name: string }>) => expect(b.map((x) => x.name)).toContain('refs/heads/master')],
  ['commits touching a file', (c) => c.commitsByPath(repoRef, '/debug.log', 5, { branch: 'master' }), (cs: Array<{ author: { name: string } }>) =>
    expect(cs[0]?.author.name).toBe('Norman Paulk')],
  ['first push', (c) => c.initialPush({ ...repoRef, readme: '# Hi', gitignore: { template: 'VisualStudio' }, license: 'MIT…' }),
    (p: { pushId: number }) => expect(p.pushId).toBe(83)],
  ['pull requests of a repository', (c) => c.pullRequests(repoRef, { status: 'active', creatorId: 'u1', reviewerId: 'u2', top: 10, skip: 0 }),
    (p: unknown[]) => expect(p.length).toBeGreaterThan(0)],
  ['pull requests of a project', (c) => c.pullRequests({ project: 'Fabrikam-Fiber-Git' }, { status: 'all' }), (p: unknown[]) => expect(p.length).toBeGreaterThan(0)],
  ['one pull request', (c) => c.pullRequest('Fabrikam-Fiber-Git', 22), (p: { title: string; reviewers: unknown[] }) => {
    expect(p.title).toBe('A new feature');
    expect(p.reviewers).toHaveLength(1);
  }],
  ['create a pull request', (c) => c.createPullRequest(repoRef, { sourceRefName: 'npaulk/my_work', targetRefName: 'new_feature', title: 'A new feature',
    description: 'Adding a new feature', isDraft: false, reviewers: [{ id: 'd6245f20-2af8-44f4-9451-8107cb2767db', isRequired: true }], forkSourceRepositoryId: 'f1' }),
    (p: { pullRequestId: number }) => expect(p.pullRequestId).toBe(22)],
  ['update a pull request', (c) => c.updatePullRequest(prRef, { title: 'Updated pull request title' }), (p: { title: string }) =>
    expect(p.title).toBe('Updated pull request title')],
  ['files of a pull request', (c) => c.pullRequestChanges(prRef), (ch: Array<{ item: { path: string } }>) => {
    expect(ch.map((x) => x.item.path)).toEqual(['/new_feature.cpp', '/new_feature.h']);
    expect(seen.at(-1)?.path).toMatch(/\/iterations\/2\/changes$/);
  }],
  ['reviewers', (c) => c.listReviewers(prRef), (r: Array<{ vote: number }>) => expect(r[0]?.vote).toBe(0)],
  ['add a reviewer', (c) => c.addReviewer(prRef, '19d9411e-9a34-45bb-b985-d24d9d87c0c9', { isRequired: true }), (r: { displayName: string }) =>
    expect(r.displayName).toBe('Normal Paulk')],
  ['add reviewers', (c) => c.addReviewers(prRef, ['19d9411e-9a34-45bb-b985-d24d9d87c0c9']), (r: unknown[]) => expect(r).toHaveLength(1)],
  ['work items assigned to me (WIQL)', (c) => c.queryWorkItemIds('SELECT [System.Id] FROM WorkItems', 50), (ids: number[]) => expect(ids).toContain(300)],
  ['work items by id', (c) => c.workItemsByIds([297, 299, 300], ['System.Id', 'System.Title']), (w: Array<{ id: number }>) => expect(w.map((x) => x.id)).toEqual([297, 299, 300])],
  ['one work item with its links', (c) => c.workItem('Fabrikam-Fiber-Git', 12), (w: { id: number; fields: Record<string, unknown> }) => expect(w.fields['System.Title']).toBe('Epic 2')],
  ['link a branch to a work item', (c) => c.updateWorkItem('Fabrikam-Fiber-Git', 299, [{ op: 'add', path: '/relations/-', value: { rel: 'ArtifactLink', url: 'vstfs:///Git/Ref/p%2Fr%2FGBmain', attributes: { name: 'Branch' } } }]),
    (w: { relations?: unknown[] }) => expect(w.relations?.length).toBeGreaterThan(0)],
  ['states of a work item type', (c) => c.workItemTypeStates('Fabrikam-Fiber-Git', 'Bug'), (s: Array<{ name: string; category: string }>) =>
    expect(s.find((x) => x.category === 'InProgress')?.name).toBe('Active')],
  ['the tip of a branch', (c) => c.branchTip(repoRef, 'master'), (id: string | undefined) => expect(id).toMatch(/^[0-9a-f]{40}$/)],
  ['create a branch', (c) => c.createBranch(repoRef, 'vsts-api-sample/answer-woman-flame', 'ffe9cba521f00d7f60e322845072238635edb451'), (r: undefined) => expect(r).toBeUndefined()],
  ['remove a reviewer', (c) => c.removeReviewer(prRef, '19d9411e-9a34-45bb-b985-d24d9d87c0c9'), (r: undefined) => expect(r).toBeUndefined()],
];

describe('the client agrees with the REST specs and accepts their examples', () => {
  for (const [name, call, check] of scenarios) {
    it(name, async () => {
      seen = [];
      const result = await call(client);
      expect(seen.length).toBeGreaterThan(0);
      for (const s of seen) expect({ request: `${s.method} ${s.path}`, template: s.template, problems: s.problems }).toMatchObject({ problems: [] });
      check(result as never);
    });
  }
});
