import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGunzip } from 'node:zlib';
import { type AzdoError, azdoErrors, sendAzdoError, sendJson } from './errors';
import type { HostInfo } from './hosts';
import type { Services } from './services';
import type { Organization, Pat, Project, Repository, User } from './store';
import { CollectionUrls, type HostForm } from './urls';

/** Who is calling: the user and how they proved it. */
export interface Principal {
  user: User;
  via: 'pat' | 'bearer' | 'cookie';
  pat?: Pat;
  /** OAuth client id for bearer tokens. */
  clientId?: string;
}

const MAX_BODY = 50 * 1024 * 1024;

/**
 * One request as a route handler sees it, with the helpers routes share:
 * who is calling (`user()`), lookups that answer Azure DevOps' 404s (`project()`,
 * `repository()`), URLs in the caller's host form (`urls`), body parsing and replies.
 */
export class RequestContext {
  params: Record<string, string> = {};
  principal?: Principal;
  /** The api-version the caller asked for, e.g. `7.1` or `7.1-preview.1`. */
  apiVersion?: string;
  /** The organization / collection in the path or host (collection and vssps routes). */
  org?: Organization;
  private bodyPromise?: Promise<Buffer>;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly services: Services,
    readonly host: HostInfo,
    /** The request URL with the real host name (no port). */
    readonly url: URL,
  ) {}

  get method(): string {
    return (this.req.method ?? 'GET').toUpperCase();
  }

  get query(): URLSearchParams {
    return this.url.searchParams;
  }

  get store() {
    return this.services.store;
  }

  get git() {
    return this.services.git;
  }

  /** `cloud`, `legacy` or `onprem`: how the caller addressed the organization. */
  get hostForm(): HostForm {
    return this.host.kind === 'legacy' ? 'legacy' : this.host.kind === 'onprem' ? 'onprem' : 'cloud';
  }

  /** URLs for answers, in the caller's host form (dev.azure.com vs visualstudio.com vs on-prem). */
  get urls(): CollectionUrls {
    return new CollectionUrls(this.organization(), this.hostForm);
  }

  /** The collection URL for this request's host form, e.g. `https://dev.azure.com/fabrikam`. */
  get collectionUrl(): string {
    return this.urls.base;
  }

  // ---- who and what ---------------------------------------------------------------------

  /** The authenticated user; throws 401 when the route let an anonymous caller through. */
  user(): User {
    if (!this.principal) throw azdoErrors.unauthorized('TF400813: Resource not available for anonymous access. Client authentication required.');
    return this.principal.user;
  }

  organization(): Organization {
    if (!this.org) throw azdoErrors.internal('This route is not below an organization.');
    return this.org;
  }

  /** Project by name or id (default: the `{project}` path parameter); 404 TF200016 when missing. */
  project(nameOrId = this.params.project): Project {
    if (!nameOrId) throw azdoErrors.internal('No project in this route.');
    const p = this.store.project(this.organization(), nameOrId);
    if (!p) throw azdoErrors.projectNotFound(nameOrId);
    return p;
  }

  /** The `{project}` path parameter's project, or undefined for organization-level routes. */
  optionalProject(): Project | undefined {
    return this.params.project ? this.project() : undefined;
  }

  /**
   * Repository by name or id (default: the `{repositoryId}` or `{repo}` path parameter), within
   * `project` (default: the `{project}` path parameter, if any); 404 TF401019 when missing.
   */
  repository(nameOrId = this.params.repositoryId ?? this.params.repo, project = this.optionalProject()): Repository {
    if (!nameOrId) throw azdoErrors.internal('No repository in this route.');
    const r = this.store.repository(this.organization(), nameOrId, project);
    if (!r) throw azdoErrors.repositoryNotFound(nameOrId);
    return r;
  }

  projectOf(repo: Repository): Project {
    const p = this.store.projects.get(repo.projectId);
    if (!p) throw azdoErrors.internal(`Repository ${repo.id} has no project.`);
    return p;
  }

  // ---- request body ---------------------------------------------------------------------

  /** The raw body (gunzipped when sent with Content-Encoding: gzip). */
  body(): Promise<Buffer> {
    this.bodyPromise ??= new Promise<Buffer>((resolve, reject) => {
      const gz = /gzip/i.test(String(this.req.headers['content-encoding'] ?? ''));
      const source = gz ? this.req.pipe(createGunzip()) : this.req;
      const chunks: Buffer[] = [];
      let size = 0;
      source.on('data', (b: Buffer) => {
        size += b.length;
        if (size > MAX_BODY) {
          source.destroy();
          reject(azdoErrors.badRequest('The request body is too large.'));
        } else chunks.push(b);
      });
      source.on('end', () => resolve(Buffer.concat(chunks)));
      source.on('error', () => reject(azdoErrors.badRequest('The request body could not be read.')));
    });
    return this.bodyPromise;
  }

  /** The body parsed as JSON; 400 in Azure DevOps' shape when it is not. */
  async json(): Promise<unknown> {
    const text = (await this.body()).toString('utf8').replace(/^\uFEFF/, '');
    if (!text.trim()) throw azdoErrors.badRequest('Value cannot be null.\r\nParameter name: body', 'ArgumentNullException');
    try {
      return JSON.parse(text);
    } catch {
      throw azdoErrors.badRequest('The request body is not valid JSON.', 'InvalidArgumentValueException');
    }
  }

  /** The body as `application/x-www-form-urlencoded` fields. */
  async form(): Promise<URLSearchParams> {
    return new URLSearchParams((await this.body()).toString('utf8'));
  }

  // ---- replies --------------------------------------------------------------------------

  get responded(): boolean {
    return this.res.headersSent;
  }

  send(status: number, body: string | Buffer, headers: Record<string, string | string[] | number> = {}): void {
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    this.res.writeHead(status, { 'content-length': buf.length, ...headers });
    this.res.end(this.method === 'HEAD' ? undefined : buf);
  }

  /** A JSON answer (the usual 200 with a body). */
  reply(body: unknown, status = 200, headers: Record<string, string | string[]> = {}): void {
    sendJson(this.res, status, body, headers);
  }

  /** A list the way Azure DevOps wraps them: `{count, value}`. */
  replyList(items: unknown[], headers: Record<string, string | string[]> = {}): void {
    this.reply({ count: items.length, value: items }, 200, headers);
  }

  html(html: string, status = 200, headers: Record<string, string | string[]> = {}): void {
    this.send(status, html, { 'content-type': 'text/html; charset=utf-8', ...headers });
  }

  redirect(location: string, status = 302, headers: Record<string, string | string[]> = {}): void {
    this.send(status, '', { location, ...headers });
  }

  error(err: AzdoError): void {
    sendAzdoError(this.res, err);
  }
}

