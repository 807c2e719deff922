import type { RequestContext } from './context';

/**
 * Where a route lives:
 * - collection: below an organization / collection, in every host form
 *   (`dev.azure.com/{org}`, `{org}.visualstudio.com[/DefaultCollection]`, `tfs.fabrikam.test/tfs/{collection}`);
 *   patterns are relative to it, e.g. `/{project}/_apis/git/repositories`.
 * - vssps: `vssps.dev.azure.com/{org}/...` (identity APIs); relative to the organization too.
 * - profile: `app.vssps.visualstudio.com/...` (profile, accounts).
 * - login: `login.microsoftonline.com/...` (the Entra ID stand-in).
 * - admin: `/_sandbox/...` on any host; patterns relative to `/_sandbox`.
 */
export type Surface = 'collection' | 'vssps' | 'profile' | 'login' | 'admin';

/**
 * - required: REST API semantics (203 sign-in page, or 401 with X-TFS-FedAuthRedirect: Suppress).
 * - git: git smart HTTP semantics (401 with WWW-Authenticate: Basic so git asks its credential helper).
 * - page: web page semantics (302 to the sign-in page).
 * - optional: the principal is filled in when credentials are valid, anonymous otherwise.
 * - none: no authentication at all.
 */
export type AuthMode = 'required' | 'git' | 'page' | 'optional' | 'none';

export interface RouteOptions {
  /** Default: `required` on collection/vssps/profile, `none` on login/admin. */
  auth?: AuthMode;
  /** Scope a PAT needs (e.g. `vso.code`, `vso.code_write`); full-access PATs, OAuth and cookies pass. */
  scope?: string;
  /** Whether `api-version` must be given. Default: required when the pattern has `_apis`. */
  apiVersion?: 'required' | 'optional' | 'none';
  /** The resource exists only as preview: api-version must end in `-preview[.n]`. */
  preview?: boolean;
}

export type Handler = (ctx: RequestContext) => void | Promise<void>;

export interface Route {
  method: string;
  surface: Surface;
  pattern: string;
  handler: Handler;
  options: Required<Pick<RouteOptions, 'auth' | 'apiVersion'>> & RouteOptions;
  segments: Segment[];
}

type Segment = { literal: string } | { param: string } | { rest: string };

export type Match = { route: Route; params: Record<string, string> } | { methodNotAllowed: true } | undefined;

/**
 * A small router. Patterns are `/`-separated; `{name}` matches one segment (never one that
 * starts with `_`, so `/{project}/_apis/...` and `/_apis/...` do not collide, like Azure DevOps
 * whose project names cannot start with `_`), `{*name}` matches the rest. Literal segments
 * compare case-insensitively (Azure DevOps paths do: `pullRequests` = `pullrequests`).
 * Parameters arrive percent-decoded. First registered match wins.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, surface: Surface, pattern: string, handler: Handler, options: RouteOptions = {}): this {
    const defaultAuth: AuthMode = surface === 'login' || surface === 'admin' ? 'none' : 'required';
    this.routes.push({
      method: method.toUpperCase(),
      surface,
      pattern,
      handler,
      segments: parsePattern(pattern),
      options: { ...options, auth: options.auth ?? defaultAuth, apiVersion: options.apiVersion ?? (/\/_apis(\/|$)/i.test(pattern) ? 'required' : 'none') },
    });
    return this;
  }

  get(surface: Surface, pattern: string, handler: Handler, options?: RouteOptions): this {
    return this.add('GET', surface, pattern, handler, options);
  }
  post(surface: Surface, pattern: string, handler: Handler, options?: RouteOptions): this {
    return this.add('POST', surface, pattern, handler, options);
  }
  put(surface: Surface, pattern: string, handler: Handler, options?: RouteOptions): this {
    return this.add('PUT', surface, pattern, handler, options);
  }
  patch(surface: Surface, pattern: string, handler: Handler, options?: RouteOptions): this {
    return this.add('PATCH', surface, pattern, handler, options);
  }
  delete(surface: Surface, pattern: string, handler: Handler, options?: RouteOptions): this {
    return this.add('DELETE', surface, pattern, handler, options);
  }

  match(surface: Surface, method: string, path: string): Match {
    const parts = splitPath(path);
    if (!parts) return undefined;
    let methodNotAllowed = false;
    for (const route of this.routes) {
      if (route.surface !== surface) continue;
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method.toUpperCase() || (route.method === 'GET' && method.toUpperCase() === 'HEAD')) return { route, params };
      methodNotAllowed = true;
    }
    return methodNotAllowed ? { methodNotAllowed: true } : undefined;
  }

  list(): { method: string; surface: Surface; pattern: string }[] {
    return this.routes.map(({ method, surface, pattern }) => ({ method, surface, pattern }));
  }
}

function parsePattern(pattern: string): Segment[] {
  return pattern
    .split('/')
    .filter(Boolean)
    .map((s) => {
      const m = /^\{(\*?)([A-Za-z][A-Za-z0-9]*)\}$/.exec(s);
      if (!m) return { literal: s.toLowerCase() };
      return m[1] ? { rest: m[2]! } : { param: m[2]! };
    });
}

/** Raw path segments, percent-decoded; undefined when the encoding is broken. */
function splitPath(path: string): string[] | undefined {
  try {
    return path
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if ('rest' in seg) {
      params[seg.rest] = parts.slice(i).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if ('literal' in seg) {
      if (part.toLowerCase() !== seg.literal) return undefined;
    } else {
      if (part.startsWith('_')) return undefined;
      params[seg.param] = part;
    }
  }
  return parts.length === segments.length ? params : undefined;
}
