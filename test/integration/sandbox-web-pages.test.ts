/**
 * The sandbox web pages without a browser: which URLs are pages in every host form, the markup
 * variants, and the HTTP behaviour of the pages and their endpoints (sign-in, who may see what,
 * escaping, clone URLs per host form, render-time data).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyHost } from '../../sandbox/hosts';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { applyVariantToCss, applyVariantToHtml } from '../../sandbox/web/markup-variant';
import { parsePagePath, type PagePath } from '../../sandbox/web/page-url';

describe('parsePagePath', () => {
  const cases: [string, Omit<PagePath, 'form'> & { form: PagePath['form'] } | undefined][] = [
    ['https://dev.azure.com/fabrikam', { form: 'cloud', org: 'fabrikam', kind: 'org' }],
    ['https://dev.azure.com/fabrikam/Fabrikam%20Fiber', { form: 'cloud', org: 'fabrikam', kind: 'project', project: 'Fabrikam Fiber' }],
    ['https://dev.azure.com/fabrikam/_pulls', { form: 'cloud', org: 'fabrikam', kind: 'orgPulls' }],
    ['https://dev.azure.com/fabrikam/Platform/_git/Caf%C3%A9%20Service', { form: 'cloud', org: 'fabrikam', kind: 'repo', project: 'Platform', repo: 'Café Service' }],
    ['https://dev.azure.com/fabrikam/_git/Platform/branches', { form: 'cloud', org: 'fabrikam', kind: 'branches', project: undefined, repo: 'Platform' }],
    // No public source shows a forks page: forks are made from the Files page's ⋮ menu.
    ['https://dev.azure.com/fabrikam/_git/Platform/Forks', undefined],
    ['https://dev.azure.com/fabrikam/_git/Platform/pullrequests', { form: 'cloud', org: 'fabrikam', kind: 'pullRequests', project: undefined, repo: 'Platform' }],
    ['https://dev.azure.com/fabrikam/P/_git/R/pullrequestcreate', { form: 'cloud', org: 'fabrikam', kind: 'pullRequestCreate', project: 'P', repo: 'R' }],
    ['https://dev.azure.com/fabrikam/P/_git/R/pullrequest/12', { form: 'cloud', org: 'fabrikam', kind: 'pullRequest', project: 'P', repo: 'R', pullRequestId: 12 }],
    ['https://fabrikam.visualstudio.com/P/_git/R', { form: 'legacy', org: 'fabrikam', kind: 'repo', project: 'P', repo: 'R' }],
    ['https://fabrikam.visualstudio.com/DefaultCollection/_git/R/pullrequest/3', { form: 'legacy', org: 'fabrikam', kind: 'pullRequest', project: undefined, repo: 'R', pullRequestId: 3 }],
    ['https://tfs.fabrikam.test/tfs/DefaultCollection/Legacy/_git/Legacy', { form: 'onprem', org: 'DefaultCollection', kind: 'repo', project: 'Legacy', repo: 'Legacy' }],
    ['https://tfs.fabrikam.test/DefaultCollection/Legacy/_git/Legacy', undefined],
    ['https://dev.azure.com/fabrikam/_git/Platform/pullrequest/0', undefined],
    ['https://dev.azure.com/fabrikam/_git/Platform/pullrequest/x', undefined],
    ['https://dev.azure.com/fabrikam/_git/Platform/commit/abc', undefined],
    ['https://dev.azure.com/fabrikam/Platform/_git', undefined],
    ['https://dev.azure.com/fabrikam/_apis/projects', undefined],
    ['https://dev.azure.com/_sandbox/web/view', undefined],
    ['https://dev.azure.com/fabrikam/%E0%A4%A/_git/R', undefined],
    ['https://app.vssps.visualstudio.com/fabrikam/_git/R', undefined],
  ];
  it.each(cases)('%s', (href, expected) => {
    const url = new URL(href);
    expect(parsePagePath(classifyHost(url.host)!, url.pathname)).toEqual(expected);
  });
});

describe('MARKUP.md', () => {
  it('names every Azure DevOps-style class the sandbox pages draw (with its source, or marked invented)', () => {
    const dir = new URL('../../sandbox/web/', import.meta.url);
    const markup = readFileSync(new URL('MARKUP.md', dir), 'utf8');
    const files = [...readdirSync(new URL('views/', dir)).map((f) => new URL(`views/${f}`, dir)), new URL('layout.ts', dir), new URL('routes.ts', dir)];
    const classes = new Set(files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/class="([^"$]*)/g)].flatMap((m) => m[1]!.split(/\s+/))));
    const unnamed = [...classes].filter((c) => /^(bolt|repos|pr|clone|version|region|navigation|project)-/.test(c) && !markup.includes(c));
    expect(unnamed).toEqual([]);
  });
});

describe('markup variants', () => {
  const page = '<body class="ms-vss-web-vsts-theme-dark"><div class="bolt-header-commandbar flex-row" role="menubar"><button id="__bolt-vote-button" class="bolt-button repos-x">Go</button><span class="reviewer-name">A</span></div></body>';

  it('leaves the modern markup alone', () => {
    expect(applyVariantToHtml(page, 'modern')).toBe(page);
  });

  it('renames to older names in legacy, keeping structure and unknown names', () => {
    const legacy = applyVariantToHtml(page, 'legacy');
    expect(legacy).toContain('class="ms-CommandBar flex-row"');
    expect(legacy).toContain('id="vote-button"');
    expect(legacy).toContain('class="ms-Button repos-x"');
    expect(applyVariantToCss('.bolt-button:hover{x:1}', 'legacy')).toBe('.ms-Button:hover{x:1}');
  });

  it('leaves nothing recognisable in broken except the theme class, consistently in HTML and CSS', () => {
    const broken = applyVariantToHtml(page, 'broken');
    expect(broken).not.toMatch(/bolt-|repos-|reviewer-|__bolt|menubar/);
    expect(broken).toContain('class="ms-vss-web-vsts-theme-dark"');
    const hashedButton = /<button class="(x[0-9a-f]{6}) /.exec(broken)?.[1];
    expect(applyVariantToCss('.bolt-button{x:1}', 'broken')).toBe(`.${hashedButton}{x:1}`);
  });
});

/** The `#dataProviders` JSON of a page's HTML. */
function providers(body: string): { data: Record<string, Record<string, unknown>> } {
  return JSON.parse(/<script id="dataProviders" type="application\/json">(.*?)<\/script>/s.exec(body)![1]!) as { data: Record<string, Record<string, unknown>> };
}

describe('sandbox web pages over HTTP', () => {
  let sandbox: Sandbox;
  let cookie: string;

  const signIn = async (alias: string) => {
    const res = await sandbox.fetch(`https://dev.azure.com/_sandbox/signin?user=${alias}`);
    return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  };
  const get = async (url: string, headers: Record<string, string> = { cookie }) => {
    const res = await sandbox.fetch(url, { headers, redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location'), body: await res.text() };
  };
  const view = (host: string, path: string, headers?: Record<string, string>) => get(`https://${host}/_sandbox/web/view?url=${encodeURIComponent(path)}`, headers);
  const part = (slot: string, path: string, withCookie = cookie) => get(`https://dev.azure.com/_sandbox/web/part?slot=${slot}&url=${encodeURIComponent(path)}`, { cookie: withCookie });

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
    cookie = await signIn('ada');
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('sends anonymous visitors to sign in, and refuses the page endpoints without a browser session', async () => {
    const anon = await get('https://dev.azure.com/fabrikam/_git/Platform?path=/src', {});
    expect(anon.status).toBe(302);
    expect(anon.location).toBe('/_sandbox/signin?returnUrl=%2Ffabrikam%2F_git%2FPlatform%3Fpath%3D%2Fsrc');
    expect((await view('dev.azure.com', '/fabrikam/_git/Platform', {})).status).toBe(401);
    const pat = Buffer.from(`:${sandbox.pats.fabrikam}`).toString('base64');
    expect((await view('dev.azure.com', '/fabrikam/_git/Platform', { authorization: `Basic ${pat}` })).status).toBe(401);
    const ok = await view('dev.azure.com', '/fabrikam/_git/Platform');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ title: 'Platform - Repos', main: expect.stringContaining('repos-files-hub-page') });
  });

  it('answers only same-host page paths on the view endpoint', async () => {
    for (const path of ['//evil.example/x', 'https://evil.example/fabrikam/_git/Platform', '/fabrikam/_apis/projects']) {
      const r = await view('dev.azure.com', path);
      expect(r.status).toBe(404);
      expect(JSON.parse(r.body)).toEqual({ notPage: true });
    }
  });

  it('shows pages of an organization to its members only', async () => {
    const ken = await signIn('ken');
    const page = await get('https://dev.azure.com/contoso/Contoso%20Web/_git/contoso-web', { cookie: ken });
    expect(page.status).toBe(401);
    expect(page.body).toContain('TF400813');
    const v = await view('dev.azure.com', '/contoso/Contoso%20Web/_git/contoso-web', { cookie: ken });
    expect(v.status).toBe(401);
    expect(JSON.parse(v.body).main).toContain('TF400813');
  });

  it('answers Azure DevOps messages for missing things, inside the page shell', async () => {
    const repo = await get('https://dev.azure.com/fabrikam/Platform/_git/nope');
    expect(repo.status).toBe(404);
    expect(repo.body).toContain('TF401019: The Git repository with name or identifier nope does not exist');
    expect((await get('https://dev.azure.com/fabrikam/Nope/_git/nope')).body).toContain('TF200016');
    expect((await get('https://dev.azure.com/fabrikam/_git/Platform/pullrequest/999')).status).toBe(404);
    const branch = await get('https://dev.azure.com/fabrikam/_git/Platform?version=GBno-such-branch');
    expect(branch.status).toBe(200);
    expect(branch.body).toContain('TF401175: The version descriptor &lt;Branch: no-such-branch&gt; could not be resolved');
  });

  it('decodes and encodes names with spaces and non-ASCII characters', async () => {
    const r = await get('https://dev.azure.com/fabrikam/Platform/_git/Caf%C3%A9%20Service');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Café Service - Repos</title>');
    expect(r.body).toContain('href="/fabrikam/Platform/_git/Caf%C3%A9%20Service/branches"');
    const clone = await part('clone-panel', '/fabrikam/Platform/_git/Caf%C3%A9%20Service');
    expect(clone.body).toContain('value="https://fabrikam@dev.azure.com/fabrikam/Platform/_git/Caf%C3%A9%20Service"');
    expect(clone.body).toContain('data-sandbox-ssh="git@ssh.dev.azure.com:v3/fabrikam/Platform/Caf%C3%A9%20Service"');
  });

  it('writes clone URLs and suiteHomeUrl for the host form the page was opened with', async () => {
    const legacy = await get('https://fabrikam.visualstudio.com/DefaultCollection/Platform/_git/Platform');
    expect(legacy.status).toBe(200);
    expect(providers(legacy.body).data['ms.vss-tfs-web.header-action-data']).toEqual({ suiteHomeUrl: '/' });
    expect(providers(legacy.body).data['ms.vss-code-web.versioncontrol-viewmodel-data-provider']).toMatchObject({
      gitRepository: { remoteUrl: 'https://fabrikam.visualstudio.com/_git/Platform', sshUrl: 'fabrikam@vs-ssh.visualstudio.com:v3/fabrikam/Platform/Platform', defaultBranch: 'refs/heads/main' },
    });
    const onprem = await get('https://tfs.fabrikam.test/tfs/DefaultCollection/Legacy/_git/tfs-tools');
    expect(onprem.status).toBe(200);
    expect(providers(onprem.body).data['ms.vss-tfs-web.header-action-data']).toEqual({ suiteHomeUrl: '/tfs/DefaultCollection/' });
    expect(providers(onprem.body).data['ms.vss-code-web.versioncontrol-viewmodel-data-provider']).toMatchObject({
      gitRepository: { remoteUrl: 'https://tfs.fabrikam.test/tfs/DefaultCollection/Legacy/_git/tfs-tools', sshUrl: 'ssh://tfs.fabrikam.test:22/tfs/DefaultCollection/Legacy/_git/tfs-tools', defaultBranch: 'refs/heads/master' },
    });
    expect(onprem.body).toContain('href="/tfs/DefaultCollection/Legacy/_git/tfs-tools/pullrequests"');
  });

  it('escapes what users wrote', async () => {
    const org = sandbox.store.organization('fabrikam')!;
    const repo = sandbox.store.repository(org, 'Platform')!;
    const pr = sandbox.store.addPullRequest({
      orgId: org.id,
      repositoryId: repo.id,
      title: '<img src=x onerror=alert(1)>',
      description: '</script><script>alert(2)</script>',
      status: 'active',
      isDraft: false,
      sourceRefName: 'refs/heads/feature/retry-policy',
      targetRefName: 'refs/heads/main',
      createdById: sandbox.store.user('ada')!.id,
      creationDate: '2026-08-20T10:00:00.000Z',
      reviewers: [],
    });
    const r = await get(`https://dev.azure.com/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`);
    expect(r.status).toBe(200);
    expect(r.body).not.toContain('<img src=x');
    expect(r.body).not.toContain('<script>alert');
    expect(r.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(providers(r.body).data['ms.vss-code-web.pr-detail-data-provider']).toMatchObject({ pullRequest: { title: '<img src=x onerror=alert(1)>' } });
    expect((await part('pr-reviewers', `/fabrikam/_git/Platform/pullrequest/${pr.pullRequestId}`)).body).toContain('repos-pr-no-items-well');
  });

  it('renders the Reviewers part from the store on every request, and only on pull request pages', async () => {
    const org = sandbox.store.organization('fabrikam')!;
    const pr = sandbox.store.pullRequest(org, 2)!;
    const before = await part('pr-reviewers', '/fabrikam/_git/Platform/pullrequest/2');
    expect(before.body).not.toContain('Margaret Hamilton');
    pr.reviewers.push({ id: sandbox.store.user('margaret')!.id, vote: -5, isRequired: true, hasDeclined: false, isFlagged: false });
    const after = await part('pr-reviewers', '/fabrikam/_git/Platform/pullrequest/2');
    expect(after.body).toContain('aria-label="Margaret Hamilton, Waiting for author, Required"');
    expect((await part('pr-reviewers', '/fabrikam/_git/Platform')).status).toBe(404);
    expect((await part('no-such-part', '/fabrikam/_git/Platform')).status).toBe(404);
  });

  it('sets theme and markup cookies, refusing bad values and foreign return URLs', async () => {
    const bad = await get('https://dev.azure.com/_sandbox/theme?mode=purple');
    expect(bad.status).toBe(400);
    const foreign = await sandbox.fetch('https://dev.azure.com/_sandbox/theme?mode=dark&returnUrl=//evil.example/', { redirect: 'manual' });
    expect(foreign.status).toBe(200);
    expect(foreign.headers.get('location')).toBeNull();
    expect(foreign.headers.get('set-cookie')).toMatch(/^sandbox-theme=dark; Path=\//);
    const markup = await sandbox.fetch('https://dev.azure.com/_sandbox/markup?variant=legacy&returnUrl=/fabrikam/_git/Platform', { redirect: 'manual' });
    expect(markup.status).toBe(302);
    expect(markup.headers.get('location')).toBe('/fabrikam/_git/Platform');
    const legacyCss = await get('https://dev.azure.com/_sandbox/web/app.css?variant=legacy');
    expect(legacyCss.body).toContain('.ms-Button');
    expect(legacyCss.body).not.toContain('.bolt-button');
    const dark = await get('https://dev.azure.com/fabrikam/_git/Platform', { cookie: `${cookie}; sandbox-theme=dark; sandbox-markup=legacy` });
    expect(dark.body).toContain('<body class="ms-vss-web-vsts-theme-dark fluent-icons-enabled" data-theme="ms.vss-web.vsts-theme-dark"');
    expect(dark.body).toContain('vc-explorer-view');
    expect(dark.body).not.toContain('repos-files-hub-page');
  });

  it('draws the pages in German with /_sandbox/lang, keeping the markup', async () => {
    expect((await get('https://dev.azure.com/_sandbox/lang?lang=xx')).status).toBe(400);
    const de = await part('files-commandbar', '/fabrikam/_git/Platform', `${cookie}; sandbox-lang=de`);
    expect(de.body).toContain('<span class="bolt-button-text body-m">Klonen</span>');
    expect(de.body).toContain('aria-label="Weitere Aktionen"');
    expect(de.body).not.toMatch(/>Clone</);
    expect(de.body).toContain('repos-files-header-commandbar');
    const page = await get('https://dev.azure.com/fabrikam/_git/Platform', { cookie: `${cookie}; sandbox-lang=de` });
    expect(page.body).toContain('<html lang="de"');
  });
});
