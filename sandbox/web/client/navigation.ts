import { closeCallouts } from './callouts';
import { fillSlots } from './slots';
import { currentGeneration, nextGeneration, pageUrlOf, region, WEB_ENDPOINT } from './state';

interface ViewAnswer {
  title?: string;
  breadcrumb?: string;
  nav?: string;
  main?: string;
}

/**
 * In-app navigation like Azure DevOps' single-page app: same-origin page links are followed with
 * `history.pushState` and only the page's regions are replaced (the document, its scripts and
 * `#dataProviders` stay); back and forward re-render from `popstate` (the browser's own only).
 */
export function startNavigation(): void {
  document.addEventListener('click', onLinkClick);
  // Back and forward only: like Azure DevOps' router (U, checked live), a popstate a script
  // dispatched does nothing.
  window.addEventListener('popstate', (e) => {
    if (e.isTrusted) void showView(location.href);
  });
}

function onLinkClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const target = e.target instanceof Element ? e.target : null;
  const a = target?.closest<HTMLAnchorElement>('a[href]');
  if (!a || (a.target && a.target !== '_self') || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/_sandbox') || /\/_apis(\/|$)/i.test(url.pathname)) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  e.preventDefault();
  void navigateTo(url.href);
}

export async function navigateTo(href: string): Promise<void> {
  history.pushState({ sandbox: true }, '', href);
  await showView(href);
}

async function showView(href: string): Promise<void> {
  const generation = nextGeneration();
  closeCallouts();
  const main = region('main');
  if (!main) {
    location.reload();
    return;
  }
  const loading = document.createElement('div');
  loading.className = 'sandbox-loading';
  loading.setAttribute('role', 'progressbar');
  loading.textContent = 'Loading…';
  main.replaceChildren(loading);
  const pageUrl = pageUrlOf(href);
  let answer: ViewAnswer;
  try {
    const res = await fetch(`${WEB_ENDPOINT}/view?url=${encodeURIComponent(pageUrl)}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    answer = (await res.json()) as ViewAnswer;
  } catch {
    answer = {};
  }
  if (generation !== currentGeneration()) return;
  if (answer.main === undefined) {
    // Not a page this app draws, or the session ended: let the server answer the whole URL.
    location.reload();
    return;
  }
  if (answer.title) document.title = answer.title;
  const breadcrumb = region('breadcrumb');
  if (breadcrumb && answer.breadcrumb !== undefined) breadcrumb.innerHTML = answer.breadcrumb;
  const nav = region('nav');
  if (nav && answer.nav !== undefined) nav.innerHTML = answer.nav;
  main.innerHTML = answer.main;
  main.scrollTop = 0;
  fillSlots(main, pageUrl, generation);
}
