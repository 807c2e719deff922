import type { RequestContext } from '../context';
import { readCookie } from '../sessions';
import type { Router } from '../router';
import { html } from './html';
import { documentShell, regions, renderDocument } from './layout';
import { isLanguage, LANGUAGE_COOKIE, localize, type Language } from './language';
import { applyVariantToHtml, isMarkupVariant, MARKUP_COOKIE, type MarkupVariant } from './markup-variant';
import { isFailure, resolvePage, type PageFailure, type PageRequest } from './page-request';
import { parsePagePath } from './page-url';
import { pageScript, stylesheet } from './static-assets';
import { isThemePref, THEME_COOKIE, type ThemePref } from './theme';
import { renderPart, renderView } from './views/index';

/**
 * The web pages and their endpoints:
 * - pages, below every organization in every host form (`/`, `/{project}`, `/_pulls`,
 *   `[/{project}]/_git/{repo}[/...]`), signed in with the browser session cookie (anonymous
 *   visitors are sent to `/_sandbox/signin`);
 * - `/_sandbox/web/view?url=` (the regions of a page, for in-app navigation) and
 *   `/_sandbox/web/part?slot=&url=` (late parts and callouts), same-origin with the cookie;
 * - `/_sandbox/web/app.js`, `/_sandbox/web/app.css?variant=`;
 * - `/_sandbox/theme?mode=light|dark|auto`, `/_sandbox/markup?variant=modern|legacy|broken` and
 *   `/_sandbox/lang?lang=en|de` (cookie setters, optional `returnUrl`).
 * Register last: the page patterns are the broadest.
 */
export function registerWebPages(router: Router): void {
  const patterns = ['/', '/{project}', '/_pulls', '/{project}/_git/{repo}', '/{project}/_git/{repo}/{*rest}', '/_git/{repo}', '/_git/{repo}/{*rest}', '/{project}/_workitems/{*rest}', '/{project}/_queries/{*rest}', '/{project}/_boards/{*rest}'];
  for (const pattern of patterns) router.get('collection', pattern, fullPage, { auth: 'page' });

  router.get('admin', '/web/view', viewRegions, { auth: 'optional' });
  router.get('admin', '/web/part', pagePart, { auth: 'optional' });
  router.get('admin', '/web/app.js', async (ctx) => ctx.send(200, await pageScript(), { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }));
  router.get('admin', '/web/app.css', async (ctx) =>
    ctx.send(200, await stylesheet(variantOf(ctx, ctx.query.get('variant'))), { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }),
  );
  router.get('admin', '/theme', (ctx) => setPreference(ctx, THEME_COOKIE, ctx.query.get('mode'), isThemePref, 'mode', 'light, dark, auto'));
  router.get('admin', '/markup', (ctx) => setPreference(ctx, MARKUP_COOKIE, ctx.query.get('variant'), isMarkupVariant, 'variant', 'modern, legacy, broken'));
  router.get('admin', '/lang', (ctx) => setPreference(ctx, LANGUAGE_COOKIE, ctx.query.get('lang'), isLanguage, 'lang', 'en, de'));
}

function themeOf(ctx: RequestContext): ThemePref {
  const v = readCookie(ctx.req.headers.cookie, THEME_COOKIE);
  return isThemePref(v) ? v : 'light';
}

function variantOf(ctx: RequestContext, explicit?: string | null): MarkupVariant {
  const v = explicit ?? readCookie(ctx.req.headers.cookie, MARKUP_COOKIE);
  return isMarkupVariant(v) ? v : 'modern';
}

function languageOf(ctx: RequestContext): Language {
  const v = readCookie(ctx.req.headers.cookie, LANGUAGE_COOKIE);
  return isLanguage(v) ? v : 'en';
}

/** A page's HTML in the markup variant and the language the browser chose. */
function finish(ctx: RequestContext, text: string): string {
  return localize(applyVariantToHtml(text, variantOf(ctx)), languageOf(ctx));
}

function resolveFor(ctx: RequestContext, url: URL): PageRequest | PageFailure {
  return resolvePage({ store: ctx.store, git: ctx.git, user: ctx.user(), host: ctx.host, url, theme: themeOf(ctx), variant: variantOf(ctx) });
}

const NO_STORE = { 'cache-control': 'no-store' };

async function fullPage(ctx: RequestContext): Promise<void> {
  const req = resolveFor(ctx, ctx.url);
  const variant = variantOf(ctx);
  if (isFailure(req)) {
    ctx.html(finish(ctx, documentShell({ title: `${req.title} - Azure DevOps`, theme: themeOf(ctx), variant, main: failureMain(req) })), req.status, NO_STORE);
    return;
  }
  const doc = await renderDocument(req, await renderView(req));
  ctx.html(finish(ctx, doc), 200, NO_STORE);
}

function failureMain(f: PageFailure) {
  return html`<div class="bolt-page sandbox-page-error flex-column"><div class="bolt-header"><div role="heading" aria-level="1" class="bolt-header-title title-m l">${f.title}</div></div><div class="page-content">${f.message}</div></div>`;
}

/** The page URL a view/part request is about: a same-host path, never another origin. */
function pageUrl(ctx: RequestContext): URL | undefined {
  const raw = ctx.query.get('url');
  if (!raw || !raw.startsWith('/') || raw.startsWith('//')) return undefined;
  const url = new URL(raw, ctx.url.origin);
  return url.origin === ctx.url.origin ? url : undefined;
}

/** Only a browser session may use the page endpoints (like the real pages' own requests). */
function signedIn(ctx: RequestContext): boolean {
  return ctx.principal?.via === 'cookie';
}

async function viewRegions(ctx: RequestContext): Promise<void> {
  const url = pageUrl(ctx);
  if (!signedIn(ctx)) return ctx.reply({ signIn: `/_sandbox/signin?returnUrl=${encodeURIComponent(url ? url.pathname + url.search : '/')}` }, 401, NO_STORE);
  if (!url || !parsePagePath(ctx.host, url.pathname)) return ctx.reply({ notPage: true }, 404, NO_STORE);
  const req = resolveFor(ctx, url);
  const v = (text: string) => finish(ctx, text);
  if (isFailure(req)) return ctx.reply({ title: `${req.title} - Azure DevOps`, breadcrumb: '', nav: '', main: v(failureMain(req).text) }, req.status, NO_STORE);
  const r = regions(req, await renderView(req));
  ctx.reply({ title: r.title, breadcrumb: v(r.breadcrumb), nav: v(r.nav), main: v(r.main) }, 200, NO_STORE);
}

async function pagePart(ctx: RequestContext): Promise<void> {
  const url = pageUrl(ctx);
  if (!signedIn(ctx)) return ctx.send(401, '', NO_STORE);
  const req = url && resolveFor(ctx, url);
  const part = req && !isFailure(req) ? await renderPart(req, ctx.query.get('slot') ?? '', ctx.query.get('which')) : undefined;
  if (!part) return ctx.send(404, '', NO_STORE);
  ctx.html(finish(ctx, part.text), 200, NO_STORE);
}

function setPreference(ctx: RequestContext, cookie: string, value: string | null, valid: (v: string | null) => boolean, param: string, allowed: string): void {
  if (!valid(value)) {
    ctx.html(documentShell({ title: 'Bad request', theme: 'light', variant: 'modern', main: html`<p>${param} must be one of: ${allowed}.</p>` }), 400);
    return;
  }
  const setCookie = `${cookie}=${value}; Path=/; Secure; SameSite=Lax; Max-Age=31536000`;
  const back = ctx.query.get('returnUrl');
  if (back && back.startsWith('/') && !back.startsWith('//')) return ctx.redirect(back, 302, { 'set-cookie': setCookie });
  ctx.html(documentShell({ title: `${param}: ${value}`, theme: cookie === THEME_COOKIE ? (value as ThemePref) : themeOf(ctx), variant: 'modern', main: html`<p>Set ${param} to ${value} for ${ctx.host.hostname}.</p>` }), 200, {
    'set-cookie': setCookie,
  });
}
