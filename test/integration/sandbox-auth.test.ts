import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { entraSignIn, patAuthorization } from '../../sandbox/testing';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
});
afterAll(() => sandbox?.close());

async function call(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await sandbox.fetch(url, { headers });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
const pat = (name: string) => ({ authorization: patAuthorization(sandbox.patsByName[name]!) });
const PROJECTS = 'https://dev.azure.com/fabrikam/_apis/projects?api-version=7.1';
const REPOS = 'https://dev.azure.com/fabrikam/_apis/git/repositories?api-version=7.1';
const ME = 'https://app.vssps.visualstudio.com/_apis/profile/profiles/me?api-version=7.1';
const ONPREM = 'https://tfs.fabrikam.test/tfs/DefaultCollection';

function azdoError(text: string): Record<string, unknown> {
  const body = JSON.parse(text);
  expect(Object.keys(body)).toEqual(['$id', 'innerException', 'message', 'typeName', 'typeKey', 'errorCode', 'eventId']);
  return body;
}

describe('without credentials', () => {
  it('answers 203 with a sign-in page, like the real service', async () => {
    const res = await call(PROJECTS);
    expect(res.status).toBe(203);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toContain('Sign In');
  });

  it('answers a plain 401 with challenges when redirects are suppressed', async () => {
    const res = await call(PROJECTS, { 'X-TFS-FedAuthRedirect': 'Suppress' });
    expect(res.status).toBe(401);
    const challenges = res.headers.get('www-authenticate')!;
    expect(challenges).toContain('Basic realm=');
    expect(challenges).toContain(`Bearer authorization_uri=https://login.microsoftonline.com/${sandbox.store.organization('fabrikam')!.tenantId}`);
    expect(azdoError(res.text).message).toMatch(/^TF400813: Resource not available for anonymous access/);
    // As microsoft/azure-pipelines-agent#5616 shows it, byte for byte.
    expect(res.headers.get('x-tfs-serviceerror')).toBe('TF400813%3A%20Resource%20not%20available%20for%20anonymous%20access.%20Client%20authentication%20required.');
    // The issuer names the organization (curl/curl#13899), not the bare host.
    expect(res.headers.get('x-tfs-fedauthissuer')).toBe('https://dev.azure.com/fabrikam/');
  });

  it('answers the on-prem server with its 401 error page, never the cloud sign-in page, whatever the request', async () => {
    const connectionData = `${ONPREM}/_apis/connectionData`;
    const unknown = { authorization: patAuthorization('not-a-real-token') };
    const answers = [
      await call(connectionData),
      await call(`${ONPREM}/_apis/projects?api-version=7.0`, unknown),
      await call(connectionData, { 'X-TFS-FedAuthRedirect': 'Suppress' }),
      await sandbox.fetch(`${ONPREM}/_apis/wit/workitems/1?api-version=7.0`, { method: 'PATCH', headers: { 'content-type': 'application/json-patch+json' }, body: '[]' }).then(async (r) => ({ status: r.status, text: await r.text(), headers: r.headers })),
    ];
    for (const res of answers) {
      // As edgafner/dorkag#331 (Azure DevOps Server, 2026) shows it.
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.text).toContain('<title>TF400813: Resource not available for anonymous access. Client authentication required. - Azure DevOps Server</title>');
      expect(res.text).not.toContain('Sign In');
      expect(res.headers.get('x-tfs-serviceerror')).toBe('TF400813%3A%20Resource%20not%20available%20for%20anonymous%20access.%20Client%20authentication%20required.');
      // microsoft/azure-pipelines-agent#2486: Windows authentication offered too, no FedAuth headers.
      expect(res.headers.get('www-authenticate')).toBe('Bearer, Basic realm="https://tfs.fabrikam.test/tfs", Negotiate, NTLM');
      expect(res.headers.get('x-tfs-fedauthredirect')).toBeNull();
      expect(res.headers.get('x-tfs-fedauthissuer')).toBeNull();
    }
  });
});

describe('personal access tokens', () => {
  it('accepts a PAT with any user name', async () => {
    const res = await call(PROJECTS, { authorization: `Basic ${Buffer.from(`someone:${sandbox.pats.fabrikam}`).toString('base64')}` });
    expect(res.status).toBe(200);
  });

  it('answers a PAT it does not know as it answers no credential: sign-in page, anonymous TF400813, 401 for no one to a PATCH', async () => {
    const unknown = { authorization: patAuthorization('not-a-real-token') };
    const page = await call(PROJECTS, unknown);
    expect(page.status).toBe(203);
    expect(page.text).toContain('Sign In');
    const suppressed = await call(PROJECTS, { ...unknown, 'X-TFS-FedAuthRedirect': 'Suppress' });
    expect(suppressed.status).toBe(401);
    expect(azdoError(suppressed.text).message).toBe('TF400813: Resource not available for anonymous access. Client authentication required.');
    for (const headers of [unknown, {}]) {
      const patch = await sandbox.fetch('https://dev.azure.com/fabrikam/_apis/wit/workitems/1?api-version=7.1', {
        method: 'PATCH',
        headers: { ...headers, 'content-type': 'application/json-patch+json' },
        body: '[]',
      });
      expect(patch.status).toBe(401);
      expect(azdoError(await patch.text())).toMatchObject({ message: "TF400813: The user '' is not authorized to access this resource.", typeKey: 'UnauthorizedRequestException' });
    }
  });

  it('answers 401 AccessCheckException for an expired and a revoked PAT', async () => {
    for (const [name, says] of [
      ['ada-expired', 'has expired'],
      ['ada-revoked', 'has been revoked'],
    ] as const) {
      const res = await call(PROJECTS, pat(name));
      expect(res.status).toBe(401);
      const body = JSON.parse(res.text);
      expect(Object.keys(body)).toEqual(['$id', 'customProperties', 'innerException', 'message', 'typeName', 'typeKey', 'errorCode', 'eventId']);
      expect(body).toMatchObject({
        message: `Access Denied: The Personal Access Token used ${says}.`,
        typeKey: 'AccessCheckException',
        typeName: 'Microsoft.VisualStudio.Services.Security.AccessCheckException, Microsoft.VisualStudio.Services.WebApi',
        customProperties: { Descriptor: null, RequestedPermissions: 0, NamespaceId: '00000000-0000-0000-0000-000000000000' },
      });
      expect(decodeURIComponent(res.headers.get('x-tfs-serviceerror')!)).toBe(body.message);
    }
    // microsoft/azure-pipelines-agent#1559, byte for byte.
    expect((await call(PROJECTS, pat('ada-expired'))).headers.get('x-tfs-serviceerror')).toBe('Access%20Denied%3A%20The%20Personal%20Access%20Token%20used%20has%20expired.');
  });

  it('refuses a revoked PAT on the on-prem server with the server’s challenges, not the cloud’s', async () => {
    const onprem = sandbox.store.pats.get(sandbox.patsByName['ada-onprem']!)!;
    onprem.revoked = true;
    try {
      const res = await call(`${ONPREM}/_apis/projects?api-version=7.0`, pat('ada-onprem'));
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text)).toMatchObject({ typeKey: 'AccessCheckException' });
      expect(res.headers.get('www-authenticate')).toBe('Bearer, Basic realm="https://tfs.fabrikam.test/tfs", Negotiate, NTLM');
      expect(res.headers.get('x-tfs-fedauthissuer')).toBeNull();
    } finally {
      onprem.revoked = false;
    }
  });

  it('answers 403 when the PAT lacks the scope', async () => {
    expect((await call(REPOS, pat('ada-read-code'))).status).toBe(200);
    const res = await call(PROJECTS, pat('ada-read-code'));
    expect(res.status).toBe(403);
    expect(azdoError(res.text).message).toContain('vso.project');
    // Seen on 401s only; what a 403 carries is not known.
    expect(res.headers.get('x-tfs-serviceerror')).toBeNull();
  });

  it('keeps an organization-scoped PAT to its organization and away from profiles/me and accounts', async () => {
    expect((await call('https://dev.azure.com/fabrikam/_apis/connectionData', pat('ada-fabrikam-only'))).status).toBe(200);
    const other = await call('https://dev.azure.com/contoso/_apis/connectionData', pat('ada-fabrikam-only'));
    expect(other.status).toBe(401);
    const me = await call(ME, pat('ada-fabrikam-only'));
    expect(me.status).toBe(401);
    expect(azdoError(me.text).message).toMatch(/^TF400813: The user '[0-9a-f-]{36}' is not authorized to access this resource\.$/);
    // Quotes escaped as the service does (curl/curl#13899): `%27`, which encodeURIComponent leaves alone.
    expect(me.headers.get('x-tfs-serviceerror')).toMatch(/^TF400813%3A%20The%20user%20%27[0-9a-f-]{36}%27%20is%20not%20authorized%20to%20access%20this%20resource\.$/);
    const ada = sandbox.store.user('ada')!.id;
    expect((await call(`https://app.vssps.visualstudio.com/_apis/accounts?memberId=${ada}&api-version=7.1`, pat('ada-fabrikam-only'))).status).toBe(401);
    expect((await call(ME, pat('ada-full-fabrikam'))).status).toBe(200);
  });

  it('keeps cloud PATs off the on-prem server and its PAT off the cloud: each is a stranger to the other', async () => {
    const onprem = `${ONPREM}/_apis/projects?api-version=7.0`;
    const anonymous = 'TF400813: Resource not available for anonymous access. Client authentication required.';
    for (const name of ['ada-full-fabrikam', 'ada-fabrikam-only']) {
      // Answered as a token the server does not know: its 401 page, its own challenges (no Entra, no FedAuth headers).
      const refused = await call(onprem, pat(name));
      expect(refused.status).toBe(401);
      expect(refused.text).toContain(`<title>${anonymous} - Azure DevOps Server</title>`);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer, Basic realm="https://tfs.fabrikam.test/tfs", Negotiate, NTLM');
      expect(refused.headers.get('x-tfs-fedauthrealm')).toBeNull();
    }
    expect((await call(onprem, pat('ada-onprem'))).status).toBe(200);
    // And the cloud does not know the server's: its sign-in page, or the anonymous 401 when redirects are suppressed.
    expect((await call(PROJECTS, pat('ada-onprem'))).status).toBe(203);
    const suppressed = await call(PROJECTS, { ...pat('ada-onprem'), 'X-TFS-FedAuthRedirect': 'Suppress' });
    expect(suppressed.status).toBe(401);
    expect(azdoError(suppressed.text).message).toBe(anonymous);
  });

  it('refuses users who are not members of the organization', async () => {
    const edsger = sandbox.store.user('edsger')!;
    expect(sandbox.store.organization('contoso')!.memberIds).not.toContain(edsger.id);
    const token = sandbox.store.addPat({
      name: 'edsger-test',
      displayName: 'edsger-test',
      token: 'edsgertesttokenedsgertesttokenedsgertesttokenedsger',
      userId: edsger.id,
      scopes: ['app_token'],
      orgs: 'all',
      validFrom: '2026-01-01T00:00:00Z',
      validTo: '2099-01-01T00:00:00Z',
      revoked: false,
    }).token;
    expect((await call('https://dev.azure.com/contoso/_apis/projects?api-version=7.1', { authorization: patAuthorization(token) })).status).toBe(401);
    expect((await call(PROJECTS, { authorization: patAuthorization(token) })).status).toBe(200);
  });

  it('never writes credentials into the request log', async () => {
    await call(PROJECTS, pat('ada-full-fabrikam'));
    const log = (await (await sandbox.fetch('https://dev.azure.com/_sandbox/log')).text()).trim();
    expect(log.length).toBeGreaterThan(0);
    for (const value of Object.values(sandbox.patsByName)) expect(log).not.toContain(value);
    expect(log).not.toContain(patAuthorization(sandbox.pats.fabrikam!));
    const last = JSON.parse(log.split('\n').at(-2)!);
    expect(last).toMatchObject({ method: 'GET', host: 'dev.azure.com', path: '/fabrikam/_apis/projects?api-version=7.1', status: 200, auth: 'pat' });
  });
});

describe('OAuth bearer tokens', () => {
  let accessToken: string;
  beforeAll(async () => {
    ({ accessToken } = await entraSignIn(sandbox, 'ada'));
  });

  it('work where third-party OAuth is allowed, and for profiles/me', async () => {
    expect((await call(PROJECTS, { authorization: `Bearer ${accessToken}` })).status).toBe(200);
    const me = await call(ME, { authorization: `Bearer ${accessToken}` });
    expect(JSON.parse(me.text).displayName).toBe('Ada Lovelace');
  });

  it('answer TF400813 where the organization turned third-party OAuth off', async () => {
    const res = await call('https://dev.azure.com/contoso/_apis/projects?api-version=7.1', { authorization: `Bearer ${accessToken}` });
    expect(res.status).toBe(401);
    const body = azdoError(res.text);
    expect(body).toEqual({
      $id: '1',
      innerException: null,
      message: `TF400813: The user '${sandbox.store.user('ada')!.id}' is not authorized to access this resource.`,
      typeName: 'Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server',
      typeKey: 'UnauthorizedRequestException',
      errorCode: 0,
      eventId: 3000,
    });
  });

  it('are refused on-prem, as tokens the server does not know, and when forged', async () => {
    const onprem = await call(`${ONPREM}/_apis/projects?api-version=7.0`, { authorization: `Bearer ${accessToken}` });
    expect(onprem.status).toBe(401);
    expect(onprem.text).toContain('<title>TF400813: Resource not available for anonymous access. Client authentication required. - Azure DevOps Server</title>');
    const forged = { authorization: `Bearer ${accessToken.slice(0, -2)}xx` };
    expect((await call(PROJECTS, forged)).status).toBe(203);
    expect((await call(PROJECTS, { ...forged, 'X-TFS-FedAuthRedirect': 'Suppress' })).status).toBe(401);
  });
});

describe('browser session', () => {
  it('signs in with /_sandbox/signin and lets same-origin API calls through with the cookie', async () => {
    const res = await sandbox.fetch('https://dev.azure.com/_sandbox/signin?user=grace&returnUrl=/fabrikam', { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/fabrikam');
    const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
    expect(cookie).toMatch(/^UserAuthentication=/);
    const data = await call('https://dev.azure.com/fabrikam/_apis/connectionData', { cookie });
    expect(JSON.parse(data.text).authenticatedUser.providerDisplayName).toBe('Grace Hopper');
    expect((await call('https://dev.azure.com/fabrikam/_apis/connectionData', { cookie: 'UserAuthentication=forged' })).status).toBe(203);
  });

  it('takes a write on the cookie alone only as the web UI sends it: X-TFS-FedAuthRedirect, from its own origin', async () => {
    const res = await sandbox.fetch('https://dev.azure.com/_sandbox/signin?user=ada', { redirect: 'manual' });
    const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
    const create = (name: string, headers: Record<string, string>) =>
      sandbox.fetch('https://dev.azure.com/fabrikam/Platform/_apis/git/repositories?api-version=7.1', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name }),
      });
    // What a cross-site form or a simple request could send: refused, and nothing is created.
    const forged = await create('csrf-1', {});
    expect(forged.status).toBe(403);
    expect(azdoError(await forged.text()).message).toContain('must come from this site’s own pages');
    expect((await create('csrf-2', { 'x-tfs-fedauthredirect': 'Suppress', origin: 'https://evil.example' })).status).toBe(403);
    const repos = JSON.parse((await call(REPOS, { cookie })).text) as { value: { name: string }[] };
    expect(repos.value.map((r) => r.name)).not.toContain('csrf-1');
    // The page's own call, and a token's (no cookie), go through.
    expect((await create('same-origin', { 'x-tfs-fedauthredirect': 'Suppress', origin: 'https://dev.azure.com' })).status).toBe(201);
    expect((await call(PROJECTS, { cookie })).status).toBe(200);
  });

  it('refuses open redirects and unknown users', async () => {
    const res = await sandbox.fetch('https://dev.azure.com/_sandbox/signin?user=ada&returnUrl=//evil.example/', { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect((await sandbox.fetch('https://dev.azure.com/_sandbox/signin?user=nobody')).status).toBe(400);
  });
});
