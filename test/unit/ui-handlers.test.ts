/**
 * The background handlers behind the popup and options (repositories, pull requests, people,
 * reviewer groups, SSH keys), through the real gateway with a scripted Azure DevOps.
 */
import type { Runtime } from 'webextension-polyfill';
import { describe, expect, it } from 'vitest';
import { createCompanion } from '../../src/background/companion';
import { createGateway } from '../../src/background/gateway';
import type { CompanionHandlerDeps } from '../../src/background/handlers/companion';
import { createProfileStore, memoryKeyValue } from '../../src/background/profile-store';
import { builtInGitignore } from '../../src/shared/ado/gitignore-templates';
import { renderLicense } from '../../src/shared/ado/licenses';
import type { Request } from '../../src/shared/messages';
import { Profile } from '../../src/shared/profile';

const EXT = 'chrome-extension://abc/';
const fromPage = { id: 'abc', url: `${EXT}src/popup/index.html` } as Runtime.MessageSender;
const fromContent = { id: 'abc', url: 'https://dev.azure.com/fabrikam/Platform', tab: { id: 1, url: 'https://dev.azure.com/fabrikam/Platform' } } as Runtime.MessageSender;
const NOW = Date.parse('2026-08-20T12:00:00Z');

interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  auth: string | null;
}
type Route = (req: Seen) => Response | undefined;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const failure = (status: number, message: string, typeKey = 'Exception') => json({ message, typeKey, $id: '1' }, status);

const project = (name: string) => ({ id: `p-${name}`, name });
const repository = (name: string, projectName = 'Platform') => ({
  id: `r-${name}`,
  name,
  url: `https://dev.azure.com/fabrikam/_apis/git/repositories/r-${name}`,
  project: project(projectName),
  remoteUrl: `https://fabrikam@dev.azure.com/fabrikam/${projectName}/_git/${name}`,
  sshUrl: `git@ssh.dev.azure.com:v3/fabrikam/${projectName}/${name}`,
  webUrl: `https://dev.azure.com/fabrikam/${projectName}/_git/${name}`,
  defaultBranch: 'refs/heads/main',
});
const pullRequest = (id: number, title: string, repo = 'Platform', extra: object = {}) => ({
  pullRequestId: id,
  status: 'active',
  title,
  sourceRefName: 'refs/heads/feature/x',
  targetRefName: 'refs/heads/main',
  creationDate: `2026-08-1${id}T10:00:00Z`,
  createdBy: { id: 'me', displayName: 'Ada Lovelace' },
  repository: { id: `r-${repo}`, name: repo, project: project('Platform') },
  reviewers: [{ id: 'g1', displayName: 'Grace Hopper', vote: 10 }],
  ...extra,
});

async function setup(...routes: Route[]) {
  const local = memoryKeyValue();
  const store = createProfileStore(local);
  const base = { host: { kind: 'cloud' as const }, organization: 'fabrikam', identity: { id: 'me', displayName: 'Ada Lovelace' }, instanceId: 'inst-1' };
  await store.save(Profile.parse({ ...base, id: 'pat1', name: 'PAT', auth: 'pat' }), { kind: 'pat', pat: 'pat-secret-0123456789' });
  await store.save(Profile.parse({ ...base, id: 'oa1', name: 'OAuth', auth: 'oauth' }), { kind: 'oauth', accessToken: 'access-secret', expiresAt: NOW + 3_600_000 });
  const seen: Seen[] = [];
  const fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const req: Seen = {
      method: init.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: Object.fromEntries(url.searchParams),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      auth: new Headers(init.headers).get('authorization'),
    };
    seen.push(req);
    for (const r of routes) {
      const answer = r(req);
      if (answer) return answer;
    }
    return failure(404, `No route for ${req.method} ${req.path}`, 'NotFoundException');
  }) as typeof globalThis.fetch;
  const deps: CompanionHandlerDeps = {
    companion: createCompanion({
      connect: () => {
        throw new Error('no companion in these tests');
      },
      lastError: () => undefined,
      extensionVersion: '1.0.0',
    }),
    extensionId: 'abc',
    extensionOrigin: EXT,
    version: '1.0.0',
    local,
    session: memoryKeyValue(),
    store,
    fetch,
    now: () => NOW,
    newId: (() => {
      let n = 0;
      return () => `id-${++n}`;
    })(),
    oauthConfig: async () => ({ clientId: 'c', tenant: 'organizations', authority: 'https://login.microsoftonline.com' }),
    oauth: { launchWebAuthFlow: async () => '', redirectUrl: 'https://abc.chromiumapp.org/' },
  };
  const gateway = createGateway(deps);
  const send = async <T = unknown>(req: Request, sender = fromPage) => (await gateway.handleMessage(req, sender)) as { ok: boolean; data: T; error: { code: string; message: string; helpUrl?: string } };
  return { send, seen, local };
}

const on = (method: string, path: RegExp, answer: (req: Seen) => Response): Route => (req) => (req.method === method && path.test(req.path) ? answer(req) : undefined);

const create = (extra: Partial<Extract<Request, { type: 'repos.create' }>> = {}): Request => ({
  type: 'repos.create',
  projectId: 'p-Platform',
  name: 'new-repo',
  readme: true,
  defaultBranch: 'main',
  gitignore: { name: 'VisualStudio', builtIn: false },
  license: { id: 'MIT', year: '2026', holder: 'Fabrikam Ltd' },
  ...extra,
});

describe('repos.create', () => {
  const created = on('POST', /^\/fabrikam\/p-Platform\/_apis\/git\/repositories$/, (req) => json(repository((req.body as { name: string }).name), 201));
  const pushed = on('POST', /\/_apis\/git\/repositories\/r-new-repo\/pushes$/, () => json({ pushId: 1, commits: [{ commitId: 'c0ffee' }] }, 201));

  it('creates the repository, then its first commit with README, .gitignore template and license', async () => {
    const { send, seen } = await setup(created, pushed);
    const reply = await send<{ repo: { name: string; defaultBranch: string }; files: string[]; commitId: string; branch: string }>(create());
    expect(reply.ok).toBe(true);
    expect(reply.data).toMatchObject({ branch: 'main', files: ['/README.md', '/.gitignore', '/LICENSE'], commitId: 'c0ffee', repo: { name: 'new-repo', defaultBranch: 'refs/heads/main' } });
    expect(seen.map((s) => s.method)).toEqual(['POST', 'POST']);
    expect(seen[0]!.body).toEqual({ name: 'new-repo', project: { id: 'p-Platform' } });
    const push = seen[1]!.body as { refUpdates: unknown[]; commits: { changes: unknown[] }[] };
    expect(push.refUpdates).toEqual([{ name: 'refs/heads/main', oldObjectId: '0'.repeat(40) }]);
    expect(push.commits[0]!.changes).toEqual([
      { changeType: 'add', item: { path: '/README.md' }, newContent: { content: '# new-repo\n', contentType: 'rawtext' } },
      { changeType: 'add', item: { path: '/.gitignore' }, newContentTemplate: { name: 'VisualStudio.gitignore', type: 'gitignore' } },
      { changeType: 'add', item: { path: '/LICENSE' }, newContent: { content: renderLicense('MIT', { year: 2026, holder: 'Fabrikam Ltd' }), contentType: 'rawtext' } },
    ]);
  });

  it('writes a built-in .gitignore as content, and makes no commit when no file is wanted', async () => {
    const { send, seen } = await setup(created, pushed);
    expect((await send(create({ readme: false, license: undefined, gitignore: { name: 'Node', builtIn: true } }))).ok).toBe(true);
    expect((seen[1]!.body as { commits: { changes: unknown[] }[] }).commits[0]!.changes).toEqual([
      { changeType: 'add', item: { path: '/.gitignore' }, newContent: { content: builtInGitignore('Node'), contentType: 'rawtext' } },
    ]);
    const empty = await setup(created, pushed);
    const reply = await empty.send<{ files: string[] }>(create({ readme: false, license: undefined, gitignore: undefined }));
    expect(reply.data.files).toEqual([]);
    expect(empty.seen).toHaveLength(1);
  });

  it('checks the license and template before creating anything', async () => {
    const { send, seen } = await setup(created, pushed);
    const badYear = await send(create({ license: { id: 'MIT', year: 'last year', holder: 'X' } }));
    expect(badYear.error.message).toMatch(/should look like 2026/);
    const noHolder = await send(create({ license: { id: 'BSD-3-Clause', year: '2026', holder: ' ' } }));
    expect(noHolder.error.message).toMatch(/copyright holder/);
    const noTemplate = await send(create({ gitignore: { name: 'Cobol', builtIn: true } }));
    expect(noTemplate.error.message).toMatch(/no built-in .gitignore template named “Cobol”/);
    expect(seen).toHaveLength(0);
  });

  it('says the repository exists when only its first commit failed', async () => {
    const refused = on('POST', /\/pushes$/, () => failure(400, 'TF401028: The reference has already been updated by another client.'));
    const { send } = await setup(created, refused);
    const reply = await send<{ repo: { id: string }; files: string[]; warning: string }>(create());
    expect(reply.ok).toBe(true);
    expect(reply.data.repo.id).toBe('r-new-repo');
    expect(reply.data.files).toEqual([]);
    expect(reply.data.warning).toMatch(/^The repository was created, but its first files could not be added\. .*TF401028/);
  });

  const exists = on('POST', /\/_apis\/git\/repositories$/, () => failure(409, 'TF400948: A Git repository with the name new-repo already exists.', 'GitRepositoryNameAlreadyExistsException'));
  const existing = (repo: object) => on('GET', /\/_apis\/git\/repositories\/new-repo$/, () => json(repo));

  it('reports a name Azure DevOps already has', async () => {
    const { send } = await setup(exists, existing({ ...repository('new-repo'), size: 2048 }));
    expect((await send(create())).error).toMatchObject({ code: 'conflict', message: 'A repository with this name already exists in the project. Choose another name.' });
  });

  const { defaultBranch: _none, ...emptyRepo } = repository('new-repo') as { defaultBranch?: string };
  /** Azure DevOps answers the first create with `first`, and every later one: the name is taken. */
  const createdFirst = (first: () => Response) => {
    let creates = 0;
    return on('POST', /\/_apis\/git\/repositories$/, () => (++creates === 1 ? first() : failure(409, 'TF400948: A Git repository with the name new-repo already exists.', 'GitRepositoryNameAlreadyExistsException')));
  };

  it('finishes the empty repository an earlier Create of ours left (its answer lost, before its first commit)', async () => {
    // The first answer never arrives whole, though Azure DevOps made the repository.
    const { send, seen } = await setup(createdFirst(() => failure(503, 'Service Unavailable')), existing({ ...emptyRepo, size: 0 }), pushed);
    expect((await send(create())).ok).toBe(false);
    const reply = await send<{ files: string[] }>(create());
    expect(reply.ok).toBe(true);
    expect(reply.data.files).toEqual(['/README.md', '/.gitignore', '/LICENSE']);
    expect(seen.map((s) => s.method)).toEqual(['POST', 'POST', 'GET', 'POST']);
  });

  it('refuses an empty repository of that name that someone else made: not ours to commit to', async () => {
    const { send, seen } = await setup(exists, existing({ ...emptyRepo, size: 0 }), pushed);
    expect((await send(create())).error).toMatchObject({ code: 'conflict' });
    expect(seen.map((s) => s.method)).toEqual(['POST']);
    // A refusal leaves no mark: asked again, the same.
    expect((await send(create())).error).toMatchObject({ code: 'conflict' });
  });

  it('answers a Create sent again with what the first made, and tells a popup opened later', async () => {
    const { send, seen } = await setup(createdFirst(() => json(repository('new-repo'), 201)), pushed, existing({ ...repository('new-repo'), size: 2048 }));
    const first = await send(create());
    expect(first.ok).toBe(true);
    const again = await send(create());
    expect(again).toEqual(first);
    expect(seen.filter((s) => s.path.endsWith('/pushes'))).toHaveLength(1);
    expect((await send({ type: 'repos.ourCreate', projectId: 'p-Platform', name: 'New-Repo' })).data).toEqual({ created: first.data });
    expect((await send({ type: 'repos.ourCreate', projectId: 'p-Platform', name: 'other' })).data).toEqual({});
  });

  it('finishes its own repository whose first files failed, when Create is sent again', async () => {
    let pushes = 0;
    const pushedSecond = on('POST', /\/pushes$/, () => (++pushes === 1 ? failure(500, 'Internal error') : json({ pushId: 1, commits: [{ commitId: 'c0ffee' }] }, 201)));
    const { send } = await setup(createdFirst(() => json(repository('new-repo'), 201)), pushedSecond, existing({ ...emptyRepo, size: 0 }));
    expect((await send<{ warning: string }>(create())).data.warning).toMatch(/first files could not be added/);
    expect((await send<{ files: string[]; commitId: string }>(create())).data).toMatchObject({ files: ['/README.md', '/.gitignore', '/LICENSE'], commitId: 'c0ffee' });
  });
});

describe('repos.gitignoreTemplates and repos.branches', () => {
  it('offers Azure DevOps’ templates, sorted, or this extension’s own when they cannot be read', async () => {
    const listed = on('GET', /\/Platform\/_apis\/git\/templates$/, () => json({ count: 2, value: [{ name: 'VisualStudio.gitignore' }, { name: 'Android.gitignore' }] }));
    const ok = await setup(listed);
    expect((await ok.send({ type: 'repos.gitignoreTemplates', project: 'Platform' })).data).toEqual({ names: ['Android', 'VisualStudio'], builtIn: false });
    expect(ok.seen[0]!.query).toMatchObject({ type: 'gitignore' });

    const denied = await setup(on('GET', /templates$/, () => failure(403, "Access Denied: The Personal Access Token used does not have the scope 'vso.code_full'.")));
    const reply = await denied.send<{ names: string[]; builtIn: boolean }>({ type: 'repos.gitignoreTemplates', project: 'Platform' });
    expect(reply.data.builtIn).toBe(true);
    expect(reply.data.names).toContain('VisualStudio');
    expect(reply.data.names).toContain('Node');

    // A server that fails is not a token that cannot read the list: the failure is said.
    const down = await setup(on('GET', /templates$/, () => failure(503, 'The service is temporarily unavailable.')));
    expect((await down.send({ type: 'repos.gitignoreTemplates', project: 'Platform' })).ok).toBe(false);
  });

  it('lists branches by short name with the default branch', async () => {
    const { send } = await setup(
      on('GET', /\/repositories\/r-Platform$/, () => json(repository('Platform'))),
      on('GET', /\/repositories\/r-Platform\/refs$/, () => json({ count: 3, value: ['refs/heads/main', 'refs/heads/feature/b', 'refs/heads/develop'].map((name) => ({ name, objectId: 'a'.repeat(40) })) })),
    );
    const reply = await send({ type: 'repos.branches', repo: { id: 'r-Platform', name: 'Platform', project: 'Platform' } });
    expect(reply.data).toEqual({ branches: ['develop', 'feature/b', 'main'], defaultBranch: 'main' });
  });
});

describe('prs.mine', () => {
  const projects = on('GET', /^\/fabrikam\/_apis\/projects$/, () => json({ count: 2, value: [project('Platform'), project('Mobile')] }));

  it('collects my pull requests and those I review from every project, newest first', async () => {
    const prs = on('GET', /^\/fabrikam\/Platform\/_apis\/git\/pullrequests$/, (req) =>
      json({ value: req.query['searchCriteria.creatorId'] === 'me' ? [pullRequest(1, 'Mine, older'), pullRequest(3, 'Mine, newer', 'Platform', { isDraft: true })] : [pullRequest(2, 'For review')] }),
    );
    const mobile = on('GET', /^\/fabrikam\/Mobile\/_apis\/git\/pullrequests$/, () => failure(404, 'TF200016: The project does not exist.'));
    const { send, seen } = await setup(projects, prs, mobile);
    const reply = await send<{ created: { title: string; isDraft: boolean; webUrl: string }[]; reviewing: { title: string; reviewers: unknown[] }[]; failed: { project: string; code: string }[] }>({ type: 'prs.mine' });
    expect(reply.data.created.map((p) => [p.title, p.isDraft])).toEqual([
      ['Mine, newer', true],
      ['Mine, older', false],
    ]);
    expect(reply.data.created[0]!.webUrl).toBe('https://dev.azure.com/fabrikam/Platform/_git/Platform/pullrequest/3');
    expect(reply.data.reviewing.map((p) => p.title)).toEqual(['For review']);
    expect(reply.data.reviewing[0]!.reviewers).toEqual([{ id: 'g1', displayName: 'Grace Hopper', vote: 10, isRequired: false, isGroup: false }]);
    // With its code, for the popup's Options button when the failure has a next step.
    expect(reply.data.failed.map((f) => [f.project, f.code])).toEqual([['Mobile', 'notFound']]);
    const asked = seen.filter((s) => s.path.endsWith('/pullrequests'));
    expect(asked.every((s) => s.query['searchCriteria.status'] === 'active')).toBe(true);
    expect(asked.filter((s) => s.query['searchCriteria.reviewerId'] === 'me')).toHaveLength(2);
  });

  it('fails with the reason when no project could be read', async () => {
    const { send } = await setup(projects, on('GET', /pullrequests$/, () => failure(401, 'Access Denied: The Personal Access Token used has expired.')));
    const reply = await send({ type: 'prs.mine' });
    expect(reply.error.code).toBe('unauthorized');
    expect(reply.error.helpUrl).toBe('https://dev.azure.com/fabrikam/_usersSettings/tokens');
  });
});

describe('prs.create', () => {
  const repo = { id: 'r-Platform', name: 'Platform', project: 'Platform' };

  it('creates the pull request with its reviewers once each, and answers its page', async () => {
    const { send, seen } = await setup(on('POST', /\/repositories\/r-Platform\/pullrequests$/, (req) => json(pullRequest(7, (req.body as { title: string }).title), 201)));
    const reply = await send<{ id: number; webUrl: string }>({
      type: 'prs.create',
      repo,
      sourceBranch: 'refs/heads/feature/x',
      targetBranch: 'main',
      title: 'Add retries',
      description: 'Why and how.',
      isDraft: true,
      reviewerIds: ['g1', 'a1', 'g1'],
    });
    expect(reply.data).toMatchObject({ id: 7, webUrl: 'https://dev.azure.com/fabrikam/Platform/_git/Platform/pullrequest/7' });
    expect(seen[0]!.body).toEqual({
      sourceRefName: 'refs/heads/feature/x',
      targetRefName: 'refs/heads/main',
      title: 'Add retries',
      description: 'Why and how.',
      isDraft: true,
      reviewers: [{ id: 'g1' }, { id: 'a1' }],
    });
  });

  const twin = on('POST', /\/repositories\/r-Platform\/pullrequests$/, () =>
    failure(409, 'TF401179: An active pull request for the source and target branch already exists.', 'GitPullRequestExistsException'),
  );
  const ask: Request = { type: 'prs.create', repo, sourceBranch: 'feature/x', targetBranch: 'main', title: 'Again', reviewerIds: [] };

  it('refused as one is open for the branches (TF401179), names that one: found by its branches', async () => {
    const { send, seen } = await setup(
      twin,
      on('GET', /\/repositories\/r-Platform\/pullrequests$/, () => json({ count: 1, value: [pullRequest(4, 'The first')] })),
    );
    const reply = await send(ask);
    expect(reply.ok).toBe(false);
    expect(reply.error).toMatchObject({ code: 'conflict', pullRequest: { id: 4, webUrl: 'https://dev.azure.com/fabrikam/Platform/_git/Platform/pullrequest/4' } });
    expect(reply.error.message).toMatch(/^Pull request 4 from this branch into that one is already open/);
    expect(seen[1]!.query).toMatchObject({
      'searchCriteria.status': 'active',
      'searchCriteria.sourceRefName': 'refs/heads/feature/x',
      'searchCriteria.targetRefName': 'refs/heads/main',
    });
  });

  it('refused as one is open, and that one not found (the search failed): says so as Azure DevOps did', async () => {
    const { send } = await setup(twin, on('GET', /\/repositories\/r-Platform\/pullrequests$/, () => failure(500, 'Boom')));
    const reply = await send(ask);
    expect(reply.error.code).toBe('conflict');
    expect(reply.error).not.toHaveProperty('pullRequest');
    expect(reply.error.message).toMatch(/^A pull request from this branch into that one is already open/);
  });

  it('refuses a pull request from a branch into itself', async () => {
    const { send, seen } = await setup();
    const reply = await send({ type: 'prs.create', repo, sourceBranch: 'main', targetBranch: 'refs/heads/main', title: 'x', reviewerIds: [] });
    expect(reply.error.message).toMatch(/two different branches/);
    expect(seen).toHaveLength(0);
  });
});

describe('people.search', () => {
  it('offers the picker’s people and groups that belong to the organization', async () => {
    const picker = on('POST', /\/_apis\/IdentityPicker\/Identities$/, () =>
      json({
        results: [
          {
            identities: [
              { entityId: 'e1', entityType: 'User', localId: 'g1', displayName: 'Grace Hopper', mail: 'grace@fabrikam.test' },
              { entityId: 'e2', entityType: 'Group', localId: 'grp', displayName: '[fabrikam]\\Release Approvers' },
              { entityId: 'e3', entityType: 'User', localId: null, displayName: 'Not A Member' },
            ],
          },
        ],
      }),
    );
    const { send, seen } = await setup(picker);
    expect((await send({ type: 'people.search', query: 'gr' })).data).toEqual({
      people: [
        { id: 'g1', displayName: 'Grace Hopper', mail: 'grace@fabrikam.test' },
        { id: 'grp', displayName: '[fabrikam]\\Release Approvers', isGroup: true },
      ],
    });
    expect(seen[0]!.body).toMatchObject({ query: 'gr', identityTypes: ['user', 'group'] });
  });

  it('falls back to the documented identity search where the picker is missing', async () => {
    const identities = on('GET', /\/_apis\/identities$/, () =>
      json({ value: [{ id: 'g1', providerDisplayName: 'Grace Hopper', properties: { Mail: { $type: 'System.String', $value: 'grace@fabrikam.test' } } }] }),
    );
    const { send } = await setup(identities);
    expect((await send({ type: 'people.search', query: 'grace' })).data).toEqual({ people: [{ id: 'g1', displayName: 'Grace Hopper', mail: 'grace@fabrikam.test' }] });
  });
});

/** Whom the PUTs added, in order. */
const puts = (seen: Seen[]) => seen.filter((s) => s.method === 'PUT').map((s) => s.path.split('/').at(-1));

describe('pullRequest.addReviewers', () => {
  const repo = { id: 'r-Platform', name: 'Platform', project: 'Platform' };
  const refusal = 'TF401027: You need the Git permission Contribute to perform this action.';
  /** Pull request 1, whose reviewers are those its PUTs added; the PUT for someone in `refused` answers 403. */
  const pullRequestWith = (refused: string[]): Route[] => {
    const reviewers = [{ id: 'g1', displayName: 'Grace Hopper', vote: 10 }];
    return [
      on('GET', /\/Platform\/_apis\/git\/pullrequests\/1$/, () => json(pullRequest(1, 'Add a retry policy', 'Platform', { reviewers }))),
      on('PUT', /\/pullRequests\/1\/reviewers\/[^/]+$/, (req) => {
        const id = req.path.split('/').at(-1)!;
        if (refused.includes(id)) return failure(403, refusal, 'GitNeedsPermissionException');
        const added = { id, displayName: id, vote: 0, isRequired: (req.body as { isRequired: boolean }).isRequired };
        reviewers.push(added);
        return json(added);
      }),
    ];
  };
  const add = (ids: string[]): Request => ({ type: 'pullRequest.addReviewers', repo, pullRequestId: 1, reviewers: ids.map((id) => ({ id, isRequired: false })) });

  it('adds everyone it can when one is refused, and answers who was added and who was not, with why', async () => {
    const { send, seen } = await setup(...pullRequestWith(['u2']));
    const reply = await send<{ added: string[]; alreadyReviewing: string[]; failed: unknown[]; reviewers: { id: string }[] }>(add(['u1', 'u2', 'u3', 'g1']), fromContent);
    expect(reply.ok).toBe(true);
    expect(puts(seen)).toEqual(['u1', 'u2', 'u3']);
    expect(reply.data).toMatchObject({ added: ['u1', 'u3'], alreadyReviewing: ['g1'], failed: [{ id: 'u2', message: expect.stringContaining('TF401027') }] });
    expect(reply.data.reviewers.map((r) => r.id)).toEqual(['g1', 'u1', 'u3']);
  });

  it('fails as a whole, with the reason, when nobody could be added', async () => {
    const { send, seen } = await setup(...pullRequestWith(['u1', 'u2']));
    const reply = await send(add(['u1', 'u2']), fromContent);
    expect(reply.ok).toBe(false);
    expect(reply.error.message).toContain('TF401027');
    expect(puts(seen)).toEqual(['u1', 'u2']);
  });

  it('answers an empty list of failures when everyone was added', async () => {
    const { send } = await setup(...pullRequestWith([]));
    expect((await send(add(['u1', 'u2']), fromContent)).data).toMatchObject({ added: ['u1', 'u2'], alreadyReviewing: [], failed: [] });
  });
});

describe('reviewer groups through the gateway', () => {
  it('saves, lists and removes groups; pages cannot change them', async () => {
    const { send } = await setup();
    const group = { project: 'Platform', name: 'Web', members: [{ id: 'g1', displayName: 'Grace Hopper' }] };
    const saved = await send<{ id: string; profileId: string }>({ type: 'groups.save', group });
    expect(saved.data).toMatchObject({ id: 'id-1', profileId: 'pat1', name: 'Web' });
    expect((await send<{ groups: unknown[] }>({ type: 'groups.list', project: 'Platform' })).data.groups).toHaveLength(1);
    expect((await send<{ groups: unknown[] }>({ type: 'groups.list', profileId: 'oa1' })).data.groups).toHaveLength(0);
    expect((await send({ type: 'groups.list' }, fromContent)).ok).toBe(true);
    expect((await send({ type: 'groups.save', group }, fromContent)).error.code).toBe('FORBIDDEN');
    expect((await send({ type: 'groups.remove', id: 'id-1' }, fromContent)).error.code).toBe('FORBIDDEN');
    expect((await send({ type: 'groups.remove', id: 'id-1' })).data).toEqual({ groups: [] });
  });
});

describe('ssh.addToAdo', () => {
  const KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 ada@laptop';

  it('registers the key for the organization with a Microsoft sign-in, valid for just under a year', async () => {
    const provider = 'ms.vss-token-web.personal-access-token-issue-session-token-provider';
    const { send, seen } = await setup(
      on('POST', /\/_apis\/Contribution\/HierarchyQuery$/, () =>
        json({ dataProviders: { [provider]: { authorizationId: 'k1', displayName: 'Azure DevOps Companion 2026-08-20', validTo: '2027-08-19T12:00:00Z' } } }),
      ),
    );
    const reply = await send({ type: 'ssh.addToAdo', profileId: 'oa1', publicKey: KEY });
    expect(reply.data).toEqual({ name: 'Azure DevOps Companion 2026-08-20', validTo: '2027-08-19T12:00:00Z' });
    expect(seen[0]!.auth).toBe('Bearer access-secret');
    const props = (seen[0]!.body as { dataProviderContext: { properties: Record<string, unknown> } }).dataProviderContext.properties;
    expect(props).toMatchObject({ publicData: KEY, targetAccounts: ['inst-1'], isPublic: true });
    expect(Date.parse(props.validTo as string) - NOW).toBe(364 * 86_400_000);
  });

  it('a 403 to a Microsoft sign-in says the organization decides, not a project administrator', async () => {
    const { send } = await setup(on('POST', /\/_apis\/Contribution\/HierarchyQuery$/, () => json({ message: 'Access Denied', typeKey: 'UnauthorizedRequestException' }, 403)));
    const reply = await send({ type: 'ssh.addToAdo', profileId: 'oa1', publicKey: KEY });
    expect(reply.error.code).toBe('signInForbidden');
    expect(reply.error.message).toMatch(/^Azure DevOps did not let your sign-in add an SSH key to fabrikam\. Azure DevOps said: “Access Denied”/);
    expect(reply.error.message).toContain('Organization settings › Policies');
    expect(reply.error.message).not.toContain('project');
  });

  it('explains that a token cannot add keys, naming the keys page, and sends nothing', async () => {
    const { send, seen } = await setup();
    const reply = await send({ type: 'ssh.addToAdo', profileId: 'pat1', publicKey: KEY });
    expect(reply.error.message).toContain('https://dev.azure.com/fabrikam/_usersSettings/keys');
    expect(seen).toHaveLength(0);
    expect((await send({ type: 'ssh.addToAdo', profileId: 'oa1', publicKey: KEY }, fromContent)).error.code).toBe('FORBIDDEN');
  });
});
