import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { finished } from 'node:stream/promises';
import { checkApiVersion, requestedApiVersion } from './api-version';
import { authenticate, authorize, challengeHeaders, gitChallengeHeaders } from './auth';
import { RequestContext } from './context';
import { AzdoError, azdoErrors, sendAzdoError, withServiceError } from './errors';
import type { Fault } from './faults';
import { classifyHost, CLOUD_HOST, type HostInfo, ONPREM_PREFIX } from './hosts';
import { randomGuid } from './ids';
import { escapeHtml, page, serviceErrorPage, signInRequiredPage } from './pages';
import { loggablePath } from './request-log';
import type { Route, Router, Surface } from './router';
import type { Services } from './services';
import type { Organization } from './store';
import type { TlsMaterial } from './tls';

export interface ServerOptions {
  services: Services;
  router: Router;
  tls: TlsMaterial;
  quiet: boolean;
}

/** The one HTTPS server: answers every sandbox host by its Host header. */
export function createSandboxServer(opts: ServerOptions): Server {
  const server = createServer({ cert: opts.tls.certPem, key: opts.tls.keyPem }, (req, res) => {
    handle(req, res, opts).catch((err: unknown) => {
      if (!opts.quiet) console.error('[sandbox] unhandled', err);
      if (!res.headersSent) sendAzdoError(res, azdoErrors.internal('An unexpected error occurred in the sandbox.'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  return server;
}

type Target = { surface: Surface; path: string; org?: Organization } | { error: AzdoError | 'not-found' };

async function handle(req: IncomingMessage, res: ServerResponse, opts: ServerOptions): Promise<void> {
  const { services, router } = opts;
  const started = performance.now();
  const host = classifyHost(req.headers.host);
  const url = new URL(req.url ?? '/', `https://${host?.hostname ?? 'localhost'}`);
  const method = (req.method ?? 'GET').toUpperCase();
  let auth = 'none';
  let fault: Fault | undefined;
  let logged = false;
  const log = () => {
    if (logged) return;
    logged = true;
    const entry = {
      time: new Date().toISOString(),
      method,
      host: host?.hostname ?? String(req.headers.host ?? ''),
      path: loggablePath(url),
      status: res.headersSent ? res.statusCode : 0,
      ms: Math.round(performance.now() - started),
      auth,
      ...(fault ? { fault: fault.id } : {}),
    };
    services.log.write(entry);
    if (!opts.quiet) console.error(`[sandbox] ${entry.status} ${method} ${entry.host}${entry.path} ${entry.ms}ms`);
  };
  res.on('finish', log);
  res.on('close', log);
  res.setHeader('activityid', randomGuid());
  res.setHeader('x-vss-e2eid', randomGuid());

  if (!host) {
    res.writeHead(421, { 'content-type': 'text/plain' }).end(`The sandbox does not serve host '${req.headers.host ?? ''}'.\n`);
    return;
  }

  const isAdmin = url.pathname === '/_sandbox' || url.pathname.startsWith('/_sandbox/');
  if (!isAdmin) {
    fault = services.faults.take(method, host.hostname, url.pathname);
    if (fault) {
      if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault!.latencyMs));
      // No answer at all: the request is held until the client closes the connection (or the sandbox closes all of them).
      if (fault.hang) return;
      // A server answers once the request has arrived: a fault answered mid-upload is a different
      // failure (the client's write may break) from the one the test asked for. (A latency alone
      // leaves the body to the route.)
      if ((fault.drop || fault.status) && !(await drained(req))) return;
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      if (fault.status) {
        sendAzdoError(res, faultError(fault));
        return;
      }
    }
  }

  const target: Target = isAdmin ? { surface: 'admin', path: url.pathname.slice('/_sandbox'.length) || '/' } : resolveTarget(host, url.pathname, services);
  if ('error' in target) {
    notFound(req, res, url, target.error);
    return;
  }
  const match = router.match(target.surface, method, target.path);
  if (!match) {
    notFound(req, res, url, 'not-found');
    return;
  }
  if ('methodNotAllowed' in match) {
    sendAzdoError(res, azdoErrors.methodNotAllowed(method, url.pathname));
    return;
  }

  const ctx = new RequestContext(req, res, services, host, url);
  ctx.params = match.params;
  ctx.org = target.org;
  try {
    if (!authenticateRoute(ctx, match.route, (via) => (auth = via))) return;
    const versionMode = match.route.options.apiVersion;
    if (versionMode !== 'none') {
      ctx.apiVersion = requestedApiVersion(url, req);
      const err = checkApiVersion(ctx.apiVersion, {
        method,
        required: versionMode === 'required',
        preview: !!match.route.options.preview,
        max: target.org?.maxApiVersion ?? 7.2,
      });
      if (err) throw err;
    }
    await match.route.handler(ctx);
    if (!ctx.responded) throw azdoErrors.internal(`The sandbox route ${match.route.pattern} did not answer.`);
  } catch (err) {
    if (!(err instanceof AzdoError)) throw err;
    if (res.headersSent) res.destroy();
    else sendAzdoError(res, err);
  }
}

/** Which surface and organization a path on a host belongs to. */
function resolveTarget(host: HostInfo, pathname: string, services: Services): Target {
  const segs = pathname.split('/');
  const orgAt = (name: string | undefined, hosting: 'cloud' | 'onprem'): Organization | AzdoError | undefined => {
    if (!name || name.startsWith('_')) return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      return undefined;
    }
    const org = services.store.organization(decoded);
    return org && org.hosting === hosting ? org : azdoErrors.notFound(`The organization or collection '${decoded}' could not be found.`);
  };
  const below = (skip: number) => '/' + segs.slice(skip + 1).join('/');
  switch (host.kind) {
    case 'cloud':
    case 'vssps': {
      const org = orgAt(segs[1], 'cloud');
      if (!org) return { error: 'not-found' };
      if (org instanceof AzdoError) return { error: org };
      return { surface: host.kind === 'cloud' ? 'collection' : 'vssps', path: below(1), org };
    }
    case 'legacy': {
      const org = orgAt(host.org, 'cloud');
      if (!org) return { error: 'not-found' };
      if (org instanceof AzdoError) return { error: org };
      const hasCollection = segs[1]?.toLowerCase() === 'defaultcollection';
      return { surface: 'collection', path: hasCollection ? below(1) : pathname, org };
    }
    case 'onprem': {
      if (`/${segs[1] ?? ''}`.toLowerCase() !== ONPREM_PREFIX) return { error: 'not-found' };
      const org = orgAt(segs[2], 'onprem');
      if (!org) return { error: 'not-found' };
      if (org instanceof AzdoError) return { error: org };
      return { surface: 'collection', path: below(2), org };
    }
    case 'profile':
      return { surface: 'profile', path: pathname };
    case 'login':
      return { surface: 'login', path: pathname };
    case 'local':
      return { error: 'not-found' };
  }
}

/**
 * Applies the route's authentication mode. Returns false when it already answered
 * (challenge, sign-in page, redirect or refusal).
 */
function authenticateRoute(ctx: RequestContext, route: Route, noteVia: (via: string) => void): boolean {
  const mode = route.options.auth;
  if (mode === 'none') return true;
  const cred = authenticate(ctx.req, ctx.services, ctx.org);
  if (cred.kind === 'ok') {
    noteVia(cred.principal.via);
    if (cred.principal.via === 'cookie' && mode !== 'page' && isForgeableWrite(ctx)) {
      ctx.error(azdoErrors.forbidden('A request signed in by the browser session must come from this site’s own pages: same origin, with the X-TFS-FedAuthRedirect header.'));
      return false;
    }
    const denied = authorize(cred.principal, ctx.org, route.options.scope);
    if (denied) {
      if (mode === 'git') gitRefusal(ctx, denied);
      else if (mode === 'page') ctx.html(page('Access denied', `<h1>Access denied</h1><p>${escapeHtml(denied.message)}</p>`), denied.status);
      else ctx.error(denied);
      return false;
    }
    ctx.principal = cred.principal;
    return true;
  }
  if (cred.kind === 'invalid') noteVia('invalid');
  if (mode === 'optional' && cred.kind === 'none') return true;
  if (mode === 'git') {
    gitRefusal(ctx, cred.kind === 'invalid' ? cred.error : azdoErrors.anonymous());
    return false;
  }
  if (mode === 'page') {
    ctx.redirect(`/_sandbox/signin?returnUrl=${encodeURIComponent(ctx.url.pathname + ctx.url.search)}`);
    return false;
  }
  if (cred.kind === 'invalid' && !cred.unknown) {
    ctx.error(cred.error);
    return false;
  }
  // Anonymous, or a credential the service does not recognise, which it answers the same way
  // (MicrosoftDocs/vsts-rest-api-specs#97: a mis-encoded PAT gets the sign-in page;
  // microsoft/azure-pipelines-agent#1500: a PAT not accepted gets the anonymous TF400813): 203 with
  // its sign-in page, or a plain 401 when the client asked not to be redirected; a PATCH gets
  // 401 for no one (microsoft/azure-devops-auth-samples#52: "different from a POST and GET").
  // An Azure DevOps Server has no sign-in page to send a client to: it answers 401 with its
  // error page (edgafner/dorkag#331, 2026: GET _apis/connectionData; microsoft/azure-repos-vscode#246;
  // microsoft/azure-pipelines-agent#996: "PAT was wrong").
  if (ctx.org?.hosting === 'onprem') {
    refusalPage(ctx, azdoErrors.anonymous(challengeHeaders(ctx.org)));
  } else if (ctx.method === 'PATCH') {
    ctx.error(azdoErrors.userNotAuthorized('', challengeHeaders(ctx.org)));
  } else if (String(ctx.req.headers['x-tfs-fedauthredirect'] ?? '').toLowerCase() === 'suppress') {
    ctx.error(azdoErrors.anonymous(challengeHeaders(ctx.org)));
  } else {
    ctx.html(signInRequiredPage(), 203, { 'x-tfs-fedauthredirect': `https://${CLOUD_HOST}/_sandbox/signin` });
  }
  return false;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A write that rides on the session cookie but may come from another site: the cookie is
 * SameSite=None, so the browser sends it with a cross-site form's POST too. The web UI's own calls
 * are same-origin and carry `X-TFS-FedAuthRedirect`, a header a cross-site page cannot add without
 * a CORS preflight the service does not grant. That is the rule here (an assumption about the
 * real service, sandbox/README.md): a cookie write needs the header, and an `Origin` that is this host.
 */
function isForgeableWrite(ctx: RequestContext): boolean {
  if (!WRITES.has(ctx.method)) return false;
  if (ctx.req.headers['x-tfs-fedauthredirect'] === undefined) return true;
  const origin = ctx.req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).hostname.toLowerCase() !== ctx.host.hostname;
  } catch {
    return true;
  }
}

/**
 * git reads the status and WWW-Authenticate (a 401 sends it to its credential helper, then to
 * "Authentication failed"); it shows a body only when it is text/plain. Azure DevOps answers a
 * git 401 with an HTML error page (text/html: microsoft/Git-Credential-Manager-for-Windows#415,
 * #811 in the cloud; #752, #848 on-prem, the page's title and `errorMessageDetailed` the message)
 * and the message in X-TFS-ServiceError, so git users never see it. Other refusals (403) stay
 * plain text: what the service sends there is not known.
 */
function gitRefusal(ctx: RequestContext, err: AzdoError): void {
  if (err.status !== 401) {
    ctx.send(err.status, `${err.message}\n`, { 'content-type': 'text/plain; charset=utf-8' });
    return;
  }
  refusalPage(ctx, new AzdoError(401, err.message, err.typeKey, err.typeName, gitChallengeHeaders(ctx.org)));
}

/** The service's error page for a 401, its message also in X-TFS-ServiceError (errors.ts). */
function refusalPage(ctx: RequestContext, err: AzdoError): void {
  ctx.html(serviceErrorPage(err.message, ctx.org?.hosting === 'onprem' ? 'Azure DevOps Server' : 'Azure DevOps Services'), err.status, withServiceError(err));
}

/** Reads and discards the request body; false when the client went away first. */
async function drained(req: IncomingMessage): Promise<boolean> {
  try {
    await finished(req.resume());
    return true;
  } catch {
    return false;
  }
}

function faultError(f: Fault): AzdoError {
  const retryAfter = f.retryAfter ?? (f.status === 429 ? 30 : undefined);
  const headers: Record<string, string> = retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {};
  if (f.status === 429) {
    Object.assign(headers, {
      'x-ratelimit-resource': 'Core',
      'x-ratelimit-delay': '0.5',
      'x-ratelimit-limit': '200',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + (retryAfter ?? 30)),
    });
    return new AzdoError(
      429,
      "TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource 'Core' in namespace 'User'. For more information on why your request was blocked, see the topic \"Rate limits\" on the Microsoft Web site (https://go.microsoft.com/fwlink/?LinkId=823950).",
      'RequestBlockedException',
      'Microsoft.TeamFoundation.Framework.Server.RequestBlockedException, Microsoft.TeamFoundation.Framework.Server',
      headers,
    );
  }
  // A refusal only part of the organization gives (one project's permissions, a scope one area needs).
  if (f.status === 403) return azdoErrors.forbidden('Access Denied: you do not have permission for the operation you are attempting.');
  if (f.status === 503) {
    return new AzdoError(503, 'The service is temporarily unavailable. Please try again later.', 'ServiceUnavailableException', 'Microsoft.VisualStudio.Services.WebApi.ServiceUnavailableException, Microsoft.VisualStudio.Services.WebApi', headers);
  }
  return new AzdoError(
    500,
    'TF246017: Azure DevOps Services could not connect to the database. Verify that the server that is hosting the database is operational, and that network problems are not blocking communication with the server.',
    'DatabaseConnectionException',
    'Microsoft.TeamFoundation.Framework.Server.DatabaseConnectionException, Microsoft.TeamFoundation.Framework.Server',
    headers,
  );
}

function notFound(req: IncomingMessage, res: ServerResponse, url: URL, err: AzdoError | 'not-found'): void {
  if (err !== 'not-found') {
    sendAzdoError(res, err);
    return;
  }
  if (/\/_apis(\/|$)/i.test(url.pathname) || !/html/.test(String(req.headers.accept ?? ''))) {
    sendAzdoError(res, azdoErrors.routeNotFound(url.pathname));
    return;
  }
  const html = page('Page not found', `<h1>404 - Page not found</h1><p>${escapeHtml(url.pathname)}</p>`);
  res.writeHead(404, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) }).end(html);
}
