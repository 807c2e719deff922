import type { z } from 'zod';
import { parseRetryAfter } from './backoff';
import { AdoError, type AdoErrorDetails, type AdoErrorKind } from './errors';

/** What the requester knows about the call, for building errors. */
export type CallContext = Pick<AdoErrorDetails, 'what' | 'scope' | 'authScheme'> & {
  url: string;
  /** Strings to scrub from anything Azure DevOps echoes back. */
  secrets: string[];
  nowMs: number;
};

const SIGN_IN_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'login.live.com',
]);

/** A redirect target that is a sign-in page: Entra/MSA login hosts or Azure DevOps' own `/_signin`. */
export function isSignInUrl(location: string, base: string): boolean {
  try {
    const u = new URL(location, base);
    return SIGN_IN_HOSTS.has(u.hostname.toLowerCase()) || /\/_signin|\/_signedin|\/oauth2\//i.test(u.pathname);
  } catch {
    return false;
  }
}

export function looksLikeHtml(contentType: string | null, text: string): boolean {
  return /\btext\/html\b/i.test(contentType ?? '') || /^\s*<(!doctype|html|head|body)\b/i.test(text);
}

/** Azure DevOps' error answer: `{message, typeKey, …}` in the body, or an X-TFS-ServiceError header. */
export function readServiceError(text: string, headers: Headers): { message?: string; typeKey?: string } {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null) {
      const { message, typeKey } = body as Record<string, unknown>;
      if (typeof message === 'string')
        return { message, ...(typeof typeKey === 'string' ? { typeKey } : {}) };
    }
  } catch {
    // Not JSON: fall back to the header.
  }
  const header = headers.get('x-tfs-serviceerror');
  if (!header) return {};
  try {
    return { message: decodeURIComponent(header.replace(/\+/g, ' ')) };
  } catch {
    return { message: header };
  }
}

export function redact(text: string, secrets: string[]): string {
  return secrets.reduce((out, s) => out.split(s).join('[redacted]'), text);
}

function kindForStatus(status: number, adoMessage: string, typeKey: string, scheme: CallContext['authScheme']): AdoErrorKind {
  // TF400813 for no one ("…anonymous access", "The user ''") is a credential not accepted at all,
  // e.g. a mistyped PAT or an expired sign-in: not a scope, not the OAuth policy.
  const tf400813 = /TF400813/.test(adoMessage) && !/TF400813: (Resource not available for anonymous|The user '' )/.test(adoMessage);
  const bearer = scheme === 'Bearer';
  // A page's session that is not accepted (anonymous, TF400813 included) is signed out, never a scope.
  if (status === 401) return tf400813 && scheme !== 'Session' ? (bearer ? 'oauthDisabled' : 'forbidden') : 'unauthorized';
  if (status === 403) return tf400813 && bearer ? 'oauthDisabled' : 'forbidden';
  if (status === 404) return 'notFound';
  // Not what was sent but the server's age: an older server refuses a newer api-version outright.
  if (status === 400 && (/VssVersionOutOfRange/i.test(typeKey) || /REST API version .* out of (the valid )?range/i.test(adoMessage))) return 'serverTooOld';
  if (status === 409 || /TF400948/.test(adoMessage) || /AlreadyExists/i.test(typeKey)) return 'conflict';
  if (status === 429) return 'rateLimited';
  if (status >= 500) return 'server';
  return 'badRequest';
}

/** Turns a non-success answer (3xx, 203, 4xx, 5xx) into an AdoError. */
export function failureFor(res: Response, text: string, ctx: CallContext): AdoError {
  const base = { what: ctx.what, scope: ctx.scope, authScheme: ctx.authScheme, status: res.status || undefined };
  if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
    const location = res.headers.get('location');
    // A browser's manual redirect hides the target: an API call that redirects is almost always sign-in.
    if (location === null || isSignInUrl(location, ctx.url)) {
      return new AdoError({ ...base, kind: 'signInPage', host: hostOf(location ?? '', ctx.url) });
    }
    const host = hostOf(location, ctx.url);
    return new AdoError({
      ...base,
      kind: 'invalidResponse',
      field: 'redirect',
      userMessage: `Azure DevOps sent the request to ${ctx.what} on to ${host}, which this extension does not follow. Check the organization or server address in Options.`,
    });
  }
  if (res.status === 203) return new AdoError({ ...base, kind: 'signInPage' });
  const found = readServiceError(text, res.headers);
  const adoMessage = found.message === undefined ? undefined : redact(found.message, ctx.secrets);
  const typeKey = found.typeKey === undefined ? undefined : redact(found.typeKey, ctx.secrets);
  const kind = kindForStatus(res.status, adoMessage ?? '', typeKey ?? '', ctx.authScheme);
  const retryAfterSeconds = parseRetryAfter(res.headers.get('retry-after'), ctx.nowMs);
  return new AdoError({ ...base, kind, adoMessage, typeKey, retryAfterSeconds });
}

function hostOf(location: string, base: string): string {
  try {
    return new URL(location, base).host;
  } catch {
    return location;
  }
}

/** Parses a success answer and checks it against the schema; an HTML page here means sign-in. */
export function parseSuccess<T>(res: Response, text: string, schema: z.ZodType<T>, ctx: CallContext): T {
  const base = { what: ctx.what, scope: ctx.scope, authScheme: ctx.authScheme, status: res.status };
  if (looksLikeHtml(res.headers.get('content-type'), text)) return fail(new AdoError({ ...base, kind: 'signInPage' }));
  let body: unknown;
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  try {
    body = trimmed === '' ? undefined : JSON.parse(trimmed);
  } catch (cause) {
    // A cut connection or a proxy's page, far more often than a change in Azure DevOps: asking again is the step.
    const userMessage = `Azure DevOps' answer to the request to ${ctx.what} was not readable (not JSON): the connection may have been cut, or something between you and Azure DevOps answered instead. Try again; if it keeps happening, please report this.`;
    return fail(new AdoError({ ...base, kind: 'invalidResponse', field: '(body is not JSON)', userMessage, cause }));
  }
  const checked = schema.safeParse(body);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  const field = issue ? `${formatPath(issue.path)}: ${issue.message}` : '(body)';
  return fail(new AdoError({ ...base, kind: 'invalidResponse', field, cause: checked.error }));
}

function fail(e: AdoError): never {
  throw e;
}

/** `['value', 0, 'id']` → `value[0].id` */
export function formatPath(parts: ReadonlyArray<PropertyKey>): string {
  if (parts.length === 0) return '(root)';
  return parts
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}
