import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exampleOptions,
  examples,
  isAzureDevOps,
  isBoardWorkItem,
  isBranches,
  isCommit,
  isCompare,
  isForks,
  isOrgPullRequests,
  isPullRequest,
  isPullRequestCreate,
  isPullRequestList,
  isRepo,
  isRepoFiles,
  isRepoHome,
  isWorkItem,
  orgPolicyPageUrl,
  parseAdoUrl,
  pullRequestCreateWebUrl,
  pullRequestWebUrl,
  repoWebUrl,
  sshKeysPageUrl,
  tokensPageUrl,
  workItemWebUrl,
  type AdoPage,
  type PageInput,
  type ParseOptions,
} from '../../src/shared/ado/urls';

const predicates: Record<keyof typeof examples, (input: PageInput, options?: ParseOptions) => boolean> = {
  isRepoHome,
  isRepoFiles,
  isPullRequest,
  isPullRequestCreate,
  isPullRequestList,
  isBranches,
  isForks,
  isCommit,
  isCompare,
  isOrgPullRequests,
  isWorkItem,
  isBoardWorkItem,
};
const names = Object.keys(predicates) as (keyof typeof examples)[];
const allExamples = names.flatMap((name) => examples[name].map((url) => [name, url] as const));

describe('example URLs, as a cross product', () => {
  it('has an example list for every page predicate, and enough of them', () => {
    expect(Object.keys(examples).toSorted()).toEqual(names.toSorted());
    for (const name of names) expect(examples[name].length, name).toBeGreaterThanOrEqual(5);
    expect(allExamples.length).toBeGreaterThanOrEqual(60);
  });

  it.each(allExamples)('%s: %s', (own, url) => {
    for (const name of names) {
      const expected = name === own;
      expect(predicates[name](url, exampleOptions), `${name}(${url})`).toBe(expected);
      // The same answer from a parsed page, a URL object and a Location-like object.
      const page = parseAdoUrl(url, exampleOptions);
      expect(page).toBeDefined();
      expect(predicates[name](page as AdoPage), `${name}(parsed ${url})`).toBe(expected);
      expect(predicates[name](new URL(url), exampleOptions)).toBe(expected);
      expect(predicates[name]({ href: url }, exampleOptions)).toBe(expected);
    }
    expect(isAzureDevOps(url, exampleOptions)).toBe(true);
    expect(isRepo(url, exampleOptions)).toBe(own !== 'isOrgPullRequests' && own !== 'isWorkItem' && own !== 'isBoardWorkItem');
  });

  it('recognises on-prem examples only when their host is configured', () => {
    const onPrem = allExamples.filter(([, url]) => /fabrikam\.test|corp\.example/.test(url));
    expect(onPrem.length).toBeGreaterThanOrEqual(10);
    for (const [name, url] of onPrem) {
      expect(predicates[name](url), url).toBe(false);
      expect(isAzureDevOps(url), url).toBe(false);
    }
  });
});

// Azure DevOps pages that no page predicate names.
const unnamedPages = [
  'https://dev.azure.com/fabrikam',
  'https://dev.azure.com/fabrikam/',
  'https://dev.azure.com/fabrikam/FabrikamFiber',
  'https://dev.azure.com/fabrikam/FabrikamFiber/_git',
  'https://dev.azure.com/fabrikam/FabrikamFiber/_git/',
  'https://dev.azure.com/fabrikam/_git',
  'https://dev.azure.com/fabrikam/_settings/organizationPolicy',
  'https://dev.azure.com/fabrikam/_usersSettings/tokens',
  'https://dev.azure.com/fabrikam/_apis/git/repositories',
  'https://dev.azure.com/fabrikam/_build',
  'https://dev.azure.com/fabrikam/_pulls/extra',
  'https://dev.azure.com/fabrikam/FabrikamFiber/_boards/board',
  'https://dev.azure.com/fabrikam/FabrikamFiber/_pulls',
  'https://dev.azure.com/fabrikam/FabrikamFiber/_git/web/commits',
  'https://dev.azure.com/fabrikam/FabrikamFiber/_git/web/tags',
  'https://dev.azure.com/fabrikam/FabrikamFiber/_git/web?_a=history',
  'https://dev.azure.com/fabrikam/FabrikamFiber/_git/web/pullrequest',
  'https://dev.azure.com/fabrikam/FabrikamFiber/_git/web/pullrequest/abc',
  'https://dev.azure.com/fabrikam/FabrikamFiber/_git/web/pullrequest/0',
  'https://dev.azure.com/fabrikam/FabrikamFiber/_git/web/pullrequest/42/extra',
  'https://dev.azure.com/fabrikam/FabrikamFiber/_git/web/pullrequests/mine',
  'https://dev.azure.com/fabrikam/FabrikamFiber/_git/web/commit',
  'https://dev.azure.com/fabrikam/FabrikamFiber/_git/web/commit/not-a-sha',
  'https://dev.azure.com/fabrikam/FabrikamFiber/_git/web/branches/main',
  'https://fabrikam.visualstudio.com/',
  'https://fabrikam.visualstudio.com/DefaultCollection',
  'https://fabrikam.visualstudio.com/FabrikamFiber/_wiki',
];

describe('Azure DevOps pages without a page predicate', () => {
  it.each(unnamedPages)('%s', (url) => {
    expect(isAzureDevOps(url)).toBe(true);
    for (const name of names) expect(predicates[name](url), name).toBe(false);
  });

  it('isRepo is true inside a repository even for unnamed pages', () => {
    expect(isRepo('https://dev.azure.com/fabrikam/FabrikamFiber/_git/web/commits')).toBe(true);
    expect(isRepo('https://dev.azure.com/fabrikam/FabrikamFiber/_git/web?_a=history')).toBe(true);
    expect(isRepo('https://dev.azure.com/fabrikam/FabrikamFiber/_git')).toBe(false);
    expect(isRepo('https://dev.azure.com/fabrikam/FabrikamFiber')).toBe(false);
  });
});

describe('parseAdoUrl fields', () => {
  const table: [string, Partial<AdoPage>][] = [
    [
      'https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/Fabrikam%20Fiber?path=/src&version=GBfeature/deep/branch',
      {
        hostKind: 'cloud',
        origin: 'https://dev.azure.com',
        organization: 'fabrikam',
        collectionPath: '',
        orgBaseUrl: 'https://dev.azure.com/fabrikam',
        project: 'Fabrikam Fiber',
        repository: 'Fabrikam Fiber',
        page: 'repoFiles',
        branch: 'feature/deep/branch',
        path: '/src',
      },
    ],
    [
      'https://DEV.AZURE.COM/Fabrikam/Proyecto%20%C3%91and%C3%BA/_git/Caf%C3%A9/',
      {
        hostKind: 'cloud',
        origin: 'https://dev.azure.com',
        organization: 'Fabrikam',
        orgBaseUrl: 'https://dev.azure.com/Fabrikam',
        project: 'Proyecto Ñandú',
        repository: 'Café',
        page: 'repoHome',
      },
    ],
    [
      'https://dev.azure.com/fabrikam/_git/FabrikamFiber/pullrequest/42?_a=files',
      { project: 'FabrikamFiber', repository: 'FabrikamFiber', page: 'pullRequest', pullRequestId: 42 },
    ],
    [
      'https://fabrikam.visualstudio.com/FabrikamFiber/_git/web?version=GBmain',
      {
        hostKind: 'legacy',
        origin: 'https://fabrikam.visualstudio.com',
        organization: 'fabrikam',
        collectionPath: '',
        orgBaseUrl: 'https://fabrikam.visualstudio.com',
        project: 'FabrikamFiber',
        repository: 'web',
        page: 'repoFiles',
        branch: 'main',
      },
    ],
    [
      'https://Fabrikam.VisualStudio.com/DefaultCollection/FabrikamFiber/_git/web/pullrequest/7',
      {
        hostKind: 'legacy',
        origin: 'https://fabrikam.visualstudio.com',
        organization: 'fabrikam',
        collectionPath: '/DefaultCollection',
        orgBaseUrl: 'https://fabrikam.visualstudio.com',
        project: 'FabrikamFiber',
        page: 'pullRequest',
        pullRequestId: 7,
      },
    ],
    [
      'https://tfs.fabrikam.test/tfs/DefaultCollection/FabrikamFiber/_git/web/commit/3b18e512dba79e4c8300dd08aeb37f8e728b8dad',
      {
        hostKind: 'onprem',
        origin: 'https://tfs.fabrikam.test',
        organization: 'DefaultCollection',
        collectionPath: '/tfs/DefaultCollection',
        orgBaseUrl: 'https://tfs.fabrikam.test/tfs/DefaultCollection',
        project: 'FabrikamFiber',
        repository: 'web',
        page: 'commit',
        commitId: '3b18e512dba79e4c8300dd08aeb37f8e728b8dad',
      },
    ],
    [
      'https://ado.corp.example:8080/Projects/Proyecto%20%C3%91and%C3%BA/_git/Caf%C3%A9/branches',
      {
        hostKind: 'onprem',
        origin: 'https://ado.corp.example:8080',
        organization: 'Projects',
        collectionPath: '/Projects',
        orgBaseUrl: 'https://ado.corp.example:8080/Projects',
        project: 'Proyecto Ñandú',
        repository: 'Café',
        page: 'branches',
      },
    ],
    [
      'https://dev.azure.com/fabrikam/FabrikamFiber/_git/web/pullrequestcreate?sourceRef=feature%2Fx&targetRef=main&sourceRepositoryId=s-id&targetRepositoryId=t-id',
      {
        page: 'pullRequestCreate',
        branch: 'feature/x',
        sourceRef: 'feature/x',
        targetRef: 'main',
        sourceRepositoryId: 's-id',
        targetRepositoryId: 't-id',
      },
    ],
    [
      'https://dev.azure.com/fabrikam/FabrikamFiber/_git/web/pullrequestcreate?sourceRef=refs/heads/topic',
      { page: 'pullRequestCreate', branch: 'topic', sourceRef: 'refs/heads/topic' },
    ],
    [
      'https://dev.azure.com/fabrikam/FabrikamFiber/_git/web/branchCompare?baseVersion=GBmain&targetVersion=GBfeature/y',
      { page: 'compare', branch: 'feature/y', baseVersion: 'GBmain', targetVersion: 'GBfeature/y' },
    ],
    ['https://dev.azure.com/fabrikam/FabrikamFiber/_git/web?version=GTv1.0', { page: 'repoFiles', branch: undefined }],
    ['https://dev.azure.com/fabrikam/_pulls', { page: 'orgPullRequests', project: undefined, repository: undefined }],
    ['https://dev.azure.com/fabrikam/Caf%C3%A9', { page: 'project', project: 'Café', repository: undefined }],
    ['https://dev.azure.com/fabrikam/', { page: 'organization', organization: 'fabrikam', project: undefined }],
    ['https://dev.azure.com/fabrikam/_settings', { page: 'other', project: undefined }],
    ['https://dev.azure.com/fabrikam/FabrikamFiber/_git', { page: 'other', project: 'FabrikamFiber', repository: undefined }],
    // A stray `%` is kept as written rather than rejected.
    ['https://dev.azure.com/fabrikam/100%/_git/web', { page: 'repoHome', project: '100%' }],
  ];

  it.each(table)('%s', (url, expected) => {
    const page = parseAdoUrl(url, exampleOptions);
    expect(page).toBeDefined();
    for (const [key, value] of Object.entries(expected)) {
      expect(page?.[key as keyof AdoPage], key).toBe(value);
    }
  });

  it('leaves out fields a page does not have', () => {
    expect(parseAdoUrl('https://dev.azure.com/fabrikam/FabrikamFiber/_git/web')).toEqual({
      hostKind: 'cloud',
      origin: 'https://dev.azure.com',
      organization: 'fabrikam',
      collectionPath: '',
      orgBaseUrl: 'https://dev.azure.com/fabrikam',
      project: 'FabrikamFiber',
      repository: 'web',
      page: 'repoHome',
    });
  });
});

describe('on-prem host configuration', () => {
  const url = 'https://tfs.fabrikam.test/tfs/DefaultCollection/FabrikamFiber/_git/web';

  it('accepts a host, a host with port, or a base URL with a virtual directory', () => {
    expect(parseAdoUrl(url, { onPremHosts: ['tfs.fabrikam.test'] })?.orgBaseUrl).toBe(
      'https://tfs.fabrikam.test/tfs/DefaultCollection',
    );
    expect(parseAdoUrl(url, { onPremHosts: ['https://tfs.fabrikam.test/tfs'] })?.collectionPath).toBe(
      '/tfs/DefaultCollection',
    );
    expect(parseAdoUrl(url, { onPremHosts: ['https://TFS.Fabrikam.test/TFS/'] })?.organization).toBe('DefaultCollection');
    const corp = 'http://ado.corp.example:8080/tfs/Main/P/_git/R/pullrequests';
    expect(parseAdoUrl(corp, { onPremHosts: ['ado.corp.example:8080'] })).toMatchObject({
      origin: 'http://ado.corp.example:8080',
      organization: 'Main',
      orgBaseUrl: 'http://ado.corp.example:8080/tfs/Main',
      page: 'pullRequestList',
    });
  });

  it('uses a configured virtual directory other than /tfs', () => {
    const page = parseAdoUrl('https://git.corp.example/ado/Coll/P/_git/R', { onPremHosts: ['https://git.corp.example/ado'] });
    expect(page).toMatchObject({ organization: 'Coll', collectionPath: '/ado/Coll', project: 'P', repository: 'R' });
    // Without the directory configured, `ado` would be taken for the collection.
    expect(parseAdoUrl('https://git.corp.example/ado/Coll/P/_git/R', { onPremHosts: ['git.corp.example'] })?.organization).toBe(
      'ado',
    );
  });

  it('prefers the most specific entry for a host', () => {
    const options = { onPremHosts: ['git.corp.example', 'https://git.corp.example/ado'] };
    expect(parseAdoUrl('https://git.corp.example/ado/Coll/P/_git/R', options)?.organization).toBe('Coll');
    expect(parseAdoUrl('https://git.corp.example/Other/P/_git/R', options)?.organization).toBe('Other');
  });

  it('rejects other hosts, ports, schemes and directories', () => {
    const cases: [string, string][] = [
      ['https://tfs.fabrikam.test.evil.com/tfs/DefaultCollection/P/_git/R', 'tfs.fabrikam.test'],
      ['https://evil.com/tfs.fabrikam.test/DefaultCollection/P/_git/R', 'tfs.fabrikam.test'],
      ['https://tfs.fabrikam.test:8443/tfs/DefaultCollection/P/_git/R', 'tfs.fabrikam.test'],
      ['https://ado.corp.example/DefaultCollection/P/_git/R', 'ado.corp.example:8080'],
      ['http://tfs.fabrikam.test/tfs/DefaultCollection/P/_git/R', 'https://tfs.fabrikam.test'],
      ['http://ado.corp.example:8080/DefaultCollection/P/_git/R', 'https://ado.corp.example:8080'],
      ['https://tfs.fabrikam.test/DefaultCollection/P/_git/R', 'https://tfs.fabrikam.test/tfs'],
      ['https://tfs.fabrikam.test/tfs/', 'tfs.fabrikam.test'],
      ['https://tfs.fabrikam.test/tfs/_apis/projects', 'tfs.fabrikam.test'],
      ['ftp://tfs.fabrikam.test/tfs/DefaultCollection/P/_git/R', 'tfs.fabrikam.test'],
    ];
    for (const [page, entry] of cases) expect(parseAdoUrl(page, { onPremHosts: [entry] }), `${page} with ${entry}`).toBeUndefined();
  });

  it('ignores invalid entries', () => {
    const onPremHosts = ['', '::', 'javascript:alert(1)', 'ftp://tfs.fabrikam.test', 'tfs.fabrikam.test'];
    expect(() => parseAdoUrl(url, { onPremHosts })).not.toThrow();
    expect(parseAdoUrl(url, { onPremHosts })?.hostKind).toBe('onprem');
    expect(parseAdoUrl(url, { onPremHosts: ['', 'ftp://tfs.fabrikam.test'] })).toBeUndefined();
  });
});

describe('not Azure DevOps', () => {
  const junk: unknown[] = [
    '',
    ' ',
    'not a url',
    'dev.azure.com/fabrikam/P/_git/R',
    '//dev.azure.com/fabrikam/P/_git/R',
    'javascript:alert(1)',
    'javascript://dev.azure.com/fabrikam/P/_git/R',
    'data:text/html,https://dev.azure.com/fabrikam',
    'file:///dev.azure.com/fabrikam/P/_git/R',
    'ftp://dev.azure.com/fabrikam/P/_git/R',
    // Azure DevOps serves https only; an http page is not one to trust with REST calls.
    'http://dev.azure.com/fabrikam/P/_git/R',
    'http://fabrikam.visualstudio.com/P/_git/R',
    'https://dev.azure.com:8443/fabrikam/P/_git/R',
    'https://dev.azure.com.evil.com/fabrikam/P/_git/R',
    'https://evil.com/dev.azure.com/x',
    'https://evil.com/?u=https://dev.azure.com/fabrikam/P/_git/R',
    'https://evil.com/#https://dev.azure.com/fabrikam/P/_git/R',
    'https://dev.azure.com@evil.com/fabrikam/P/_git/R',
    'https://evildev.azure.com/fabrikam/P/_git/R',
    'https://ssh.dev.azure.com/v3/fabrikam/P/R',
    'https://vssps.dev.azure.com/fabrikam/_apis/identities',
    'git@ssh.dev.azure.com:v3/fabrikam/P/R',
    'https://dev.azure.com',
    'https://dev.azure.com/',
    'https://dev.azure.com/_signin',
    'https://visualstudio.com/fabrikam/P/_git/R',
    'https://app.vssps.visualstudio.com/_apis/profile/profiles/me',
    'https://vs-ssh.visualstudio.com/v3/fabrikam/P/R',
    'https://www.visualstudio.com/',
    'https://fabrikam.visualstudio.com.evil.com/P/_git/R',
    'https://evilvisualstudio.com/P/_git/R',
    'https://fabrikam.visualstudio.com:444/P/_git/R',
    'https://github.com/fabrikam/web',
    'https://tfs.fabrikam.test/tfs/DefaultCollection/P/_git/R',
    '\u0000\uFFFF%%%',
    null,
    undefined,
    42,
    {},
    Symbol('x'),
  ];

  it.each(junk.map((value) => [String(value), value]))('%s', (_label, value) => {
    expect(() => parseAdoUrl(value as string)).not.toThrow();
    expect(parseAdoUrl(value as string)).toBeUndefined();
    for (const name of names) expect(predicates[name](value as string)).toBe(false);
    expect(isAzureDevOps(value as string)).toBe(false);
    expect(isRepo(value as string)).toBe(false);
  });
});

describe('builders', () => {
  const base = 'https://dev.azure.com/fabrikam';

  it('builds the pages the product links to', () => {
    expect(repoWebUrl(base, 'Fabrikam Fiber', 'Café')).toBe('https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/Caf%C3%A9');
    expect(pullRequestWebUrl(`${base}/`, 'P', 'R', 42)).toBe('https://dev.azure.com/fabrikam/P/_git/R/pullrequest/42');
    expect(
      pullRequestCreateWebUrl(base, 'P', 'R', { sourceRef: 'refs/heads/feature/a b', targetRef: 'main', sourceRepositoryId: 'abc' }),
    ).toBe('https://dev.azure.com/fabrikam/P/_git/R/pullrequestcreate?sourceRef=feature/a%20b&targetRef=main&sourceRepositoryId=abc');
    expect(tokensPageUrl(base)).toBe('https://dev.azure.com/fabrikam/_usersSettings/tokens');
    expect(sshKeysPageUrl('https://fabrikam.visualstudio.com/')).toBe('https://fabrikam.visualstudio.com/_usersSettings/keys');
    expect(orgPolicyPageUrl(base)).toBe('https://dev.azure.com/fabrikam/_settings/organizationPolicy');
    // Credentials, query and fragment are never carried into a link.
    expect(tokensPageUrl('https://user:secret@tfs.fabrikam.test:8080/tfs/Coll/?x=1#y')).toBe(
      'https://tfs.fabrikam.test:8080/tfs/Coll/_usersSettings/tokens',
    );
  });

  it('gives settings pages that parse back to the same organization', () => {
    for (const build of [tokensPageUrl, sshKeysPageUrl, orgPolicyPageUrl]) {
      const page = parseAdoUrl(build(base));
      expect(page).toMatchObject({ orgBaseUrl: base, page: 'other' });
      expect(page?.project).toBeUndefined();
    }
  });

  it('rejects bad input with a clear error', () => {
    expect(() => repoWebUrl('dev.azure.com/fabrikam', 'P', 'R')).toThrow(/absolute http\(s\) URL/);
    expect(() => repoWebUrl('javascript:alert(1)', 'P', 'R')).toThrow(/absolute http\(s\) URL/);
    expect(() => repoWebUrl(base, '', 'R')).toThrow(/Invalid project name/);
    expect(() => repoWebUrl(base, '..', 'R')).toThrow(/Invalid project name/);
    expect(() => repoWebUrl(base, '_git', 'R')).toThrow(/Invalid project name/);
    expect(() => repoWebUrl(base, 'P', '.')).toThrow(/Invalid repository name/);
    expect(() => repoWebUrl(base, 'P', 'bad\uD800')).toThrow(/not well-formed Unicode/);
    expect(() => pullRequestWebUrl(base, 'P', 'R', 0)).toThrow(/Invalid pull request id/);
    expect(() => pullRequestWebUrl(base, 'P', 'R', 1.5)).toThrow(/Invalid pull request id/);
    expect(() => pullRequestCreateWebUrl(base, 'P', 'R', { sourceRef: '', targetRef: 'main' })).toThrow(/Invalid sourceRef/);
    expect(() =>
      pullRequestCreateWebUrl(base, 'P', 'R', { targetRef: 'main' } as unknown as { sourceRef: string; targetRef: string }),
    ).toThrow(/Invalid sourceRef/);
  });
});

describe('properties', () => {
  // Names as Azure DevOps could hold them: any text but `.`, `..`, and (for projects) a leading `_`.
  const tricky = fc.constantFrom(' ', '#', '%', '?', '/', '&', '+', '.', 'ñ', 'é', '😀', '%2F');
  const anyChar = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
  const name = fc
    .string({ unit: fc.oneof(tricky, anyChar), minLength: 1, maxLength: 12 })
    .filter((s) => s !== '.' && s !== '..');
  const project = name.filter((s) => !s.startsWith('_'));
  const bases = fc.constantFrom(
    { orgBaseUrl: 'https://dev.azure.com/fabrikam', options: {} },
    { orgBaseUrl: 'https://dev.azure.com/Fabrikam%20Labs', options: {} },
    { orgBaseUrl: 'https://fabrikam.visualstudio.com', options: {} },
    { orgBaseUrl: 'https://tfs.fabrikam.test/tfs/DefaultCollection', options: exampleOptions },
    { orgBaseUrl: 'https://ado.corp.example:8080/Caf%C3%A9', options: exampleOptions },
  );

  it('parseAdoUrl never throws', () => {
    const prefixes = fc.constantFrom(
      '',
      'https://',
      'https://dev.azure.com/',
      'https://fabrikam.visualstudio.com/',
      'https://tfs.fabrikam.test/',
    );
    fc.assert(
      fc.property(prefixes, fc.string({ unit: 'binary', maxLength: 80 }), (prefix, rest) => {
        const page = parseAdoUrl(prefix + rest, exampleOptions);
        expect(page === undefined || typeof page.page === 'string').toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        parseAdoUrl(url, { onPremHosts: [new URL(url).host] });
      }),
      { numRuns: 500 },
    );
  });

  it('repository and pull request URLs round-trip', () => {
    fc.assert(
      fc.property(bases, project, name, fc.integer({ min: 1, max: 2 ** 31 - 1 }), ({ orgBaseUrl, options }, p, r, id) => {
        const home = parseAdoUrl(repoWebUrl(orgBaseUrl, p, r), options);
        expect(home).toMatchObject({ orgBaseUrl, project: p, repository: r, page: 'repoHome' });
        const pr = parseAdoUrl(pullRequestWebUrl(orgBaseUrl, p, r, id), options);
        expect(pr).toMatchObject({ orgBaseUrl, project: p, repository: r, page: 'pullRequest', pullRequestId: id });
      }),
      { numRuns: 500 },
    );
  });

  it('pull request create URLs round-trip', () => {
    fc.assert(
      fc.property(bases, project, name, name, name, fc.option(fc.uuid(), { nil: undefined }), (base, p, r, source, target, forkId) => {
        const { orgBaseUrl, options } = base;
        const sourceRef = source.replace(/^refs\/heads\//, '');
        const targetRef = target.replace(/^refs\/heads\//, '');
        fc.pre(sourceRef !== '' && targetRef !== '');
        const url = pullRequestCreateWebUrl(orgBaseUrl, p, r, { sourceRef, targetRef, sourceRepositoryId: forkId });
        const page = parseAdoUrl(url, options);
        expect(page).toMatchObject({ orgBaseUrl, project: p, repository: r, page: 'pullRequestCreate' });
        expect(page).toMatchObject({ sourceRef, targetRef, branch: sourceRef });
        expect(page?.sourceRepositoryId).toBe(forkId);
      }),
      { numRuns: 300 },
    );
  });
});

describe('work item pages', () => {
  it('reads the work item of the form and of a board\'s dialog, and builds the form\'s URL', () => {
    expect(parseAdoUrl('https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_workitems/edit/7')).toMatchObject({ page: 'workItem', project: 'Fabrikam Fiber', workItemId: 7 });
    expect(parseAdoUrl('https://dev.azure.com/fabrikam/P/_boards/board/t/T/Stories?workitem=12')).toMatchObject({ page: 'boards', project: 'P', workItemId: 12 });
    // Opened from query results: the same form, under the query's route.
    expect(parseAdoUrl('https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_queries/edit/7/?queryId=447cfb06-b57c-4c39-83f9-8b13fc14a8ef')).toMatchObject({ page: 'workItem', project: 'Fabrikam Fiber', workItemId: 7 });
    expect(parseAdoUrl('https://dev.azure.com/fabrikam/P/_queries/query/447cfb06-b57c-4c39-83f9-8b13fc14a8ef/')).toMatchObject({ page: 'boards' });
    const board = parseAdoUrl('https://dev.azure.com/fabrikam/P/_boards/board/t/T/Stories');
    expect(board?.page).toBe('boards');
    expect(board?.workItemId).toBeUndefined();
    for (const bad of ['_workitems/edit/0', '_workitems/edit/x', '_workitems/edit/1/2', '_queries/edit/x', '_queries/edit/0', '_boards/board/t/T/S?workitem=-1', '_boards/board/t/T/S?workitem=1e3']) {
      const page = parseAdoUrl(`https://dev.azure.com/fabrikam/P/${bad}`);
      expect(page?.workItemId, bad).toBeUndefined();
    }
    expect(workItemWebUrl('https://dev.azure.com/fabrikam/', 'Fabrikam Fiber', 7)).toBe('https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_workitems/edit/7');
  });
});
