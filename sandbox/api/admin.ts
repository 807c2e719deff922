import { z } from 'zod';
import type { RequestContext } from '../context';
import { DEFAULT_LIFETIMES } from '../entra/tokens';
import { azdoErrors } from '../errors';
import { faultSchema } from '../faults';
import { escapeHtml, page } from '../pages';
import type { Router } from '../router';
import { readCookie, SESSION_COOKIE } from '../sessions';

/**
 * `/_sandbox/...` on any sandbox host: controls for tests (no authentication; the sandbox
 * listens on 127.0.0.1 only). Later areas add their own admin routes here the same way.
 */
export function registerAdmin(router: Router): void {
  router.get('admin', '/health', (ctx) => ctx.reply({ ok: true }));

  router.get('admin', '/routes', (ctx) => ctx.reply(router.list()));

  // Browser session for web pages: sets the UserAuthentication cookie on the host asked.
  router.get('admin', '/signin', (ctx) => {
    const returnUrl = safeReturnUrl(ctx.query.get('returnUrl'));
    const alias = ctx.query.get('user');
    if (!alias) return signinPicker(ctx, returnUrl);
    const user = ctx.store.user(alias);
    if (!user || user.kind !== 'aad') throw azdoErrors.badRequest(`Unknown user '${alias}'. Use one of: ${[...ctx.store.users.values()].filter((u) => u.kind === 'aad').map((u) => u.alias).join(', ')}.`);
    const cookie = `${SESSION_COOKIE}=${ctx.services.sessions.create(user.id)}; Path=/; Secure; HttpOnly; SameSite=None`;
    if (returnUrl) ctx.redirect(returnUrl, 302, { 'set-cookie': cookie });
    else ctx.reply({ user: { id: user.id, displayName: user.displayName, mail: user.mail } }, 200, { 'set-cookie': cookie });
  });

  router.get('admin', '/signout', (ctx) => {
    const cookie = readCookie(ctx.req.headers.cookie, SESSION_COOKIE);
    if (cookie) ctx.services.sessions.end(cookie);
    ctx.reply({ signedOut: true }, 200, { 'set-cookie': `${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; Max-Age=0` });
  });

  router.get('admin', '/faults', (ctx) => ctx.reply(ctx.services.faults.list()));
  router.post('admin', '/faults', async (ctx) => {
    const spec = parse(faultSchema, await ctx.json());
    ctx.reply(ctx.services.faults.add(spec), 201);
  });
  router.delete('admin', '/faults', (ctx) => {
    ctx.services.faults.clear();
    ctx.send(204, '');
  });

  router.get('admin', '/log', (ctx) => ctx.send(200, ctx.services.log.read(), { 'content-type': 'application/x-ndjson; charset=utf-8' }));

  router.post('admin', '/entra/lifetimes', async (ctx) => {
    const body = parse(lifetimesSchema, await ctx.json());
    const tokens = ctx.services.entra.tokens;
    tokens.lifetimes = { ...tokens.lifetimes, ...body };
    ctx.reply(tokens.lifetimes);
  });
  router.delete('admin', '/entra/lifetimes', (ctx) => {
    ctx.services.entra.tokens.lifetimes = { ...DEFAULT_LIFETIMES };
    ctx.reply(ctx.services.entra.tokens.lifetimes);
  });
  router.post('admin', '/entra/apps', async (ctx) => {
    const body = parse(appSchema, await ctx.json());
    ctx.services.entra.apps.register({ clientId: body.clientId, displayName: body.displayName ?? body.clientId, redirectUris: body.redirectUris, audience: 'AzureADMultipleOrgs' });
    ctx.reply(body, 201);
  });
}

const lifetimesSchema = z
  .object({
    accessTokenSeconds: z.number().int().min(1).optional(),
    refreshTokenSeconds: z.number().int().min(1).optional(),
    codeSeconds: z.number().int().min(1).optional(),
  })
  .strict();

const appSchema = z
  .object({
    clientId: z.string().regex(/^[0-9a-f-]{36}$/i, 'clientId must be a GUID'),
    displayName: z.string().min(1).optional(),
    redirectUris: z.array(z.string().url()).min(1),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw azdoErrors.badRequest(r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
}

/** Only same-site paths: never an open redirect. */
function safeReturnUrl(value: string | null): string | undefined {
  return value && value.startsWith('/') && !value.startsWith('//') ? value : undefined;
}

function signinPicker(ctx: RequestContext, returnUrl: string | undefined): void {
  const users = [...ctx.store.users.values()].filter((u) => u.kind === 'aad');
  const links = users
    .map((u) => {
      const q = new URLSearchParams({ user: u.alias, ...(returnUrl ? { returnUrl } : {}) });
      return `<li><a href="/_sandbox/signin?${escapeHtml(q.toString())}" data-user="${u.alias}">${escapeHtml(u.displayName)}</a> &lt;${escapeHtml(u.mail)}&gt;</li>`;
    })
    .join('');
  ctx.html(page('Sign in to Azure DevOps', `<h1>Sign in to Azure DevOps</h1><p>Pick an account.</p><ul>${links}</ul>`));
}
