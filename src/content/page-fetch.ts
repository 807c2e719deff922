import { PAGE_FETCH, type PageFetchAnswer, type PageFetchRequest } from '../shared/page-fetch';

/**
 * Makes the REST calls the background asks for with this page's own session, for a page of an
 * organization without a profile: same origin only, with the page's cookies, as the web UI makes
 * its own calls. Nothing is stored here; the background checks and uses the answers.
 */
export async function pageFetch(m: PageFetchRequest): Promise<PageFetchAnswer> {
  let url: URL;
  try {
    url = new URL(m.url);
  } catch {
    return { error: 'Not a URL.' };
  }
  if (url.origin !== location.origin) return { error: `Only ${location.origin} is reached with this page's sign-in.` };
  const init: RequestInit = { method: m.method, headers: m.headers, credentials: 'include', redirect: 'manual', ...(m.body === undefined ? {} : { body: m.body }) };
  // Firefox: the content script's own fetch is the extension's; `content.fetch` is the page's.
  const page = (globalThis as { content?: { fetch?: typeof fetch } }).content;
  try {
    const res = await (page?.fetch ? page.fetch(url.href, init) : fetch(url.href, init));
    const redirect = res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400);
    return { status: redirect ? 302 : res.status, headers: [...res.headers], text: redirect ? '' : await res.text() };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

type Runtime = typeof chrome.runtime;

/** Answers the background's page-session calls (only the background can send to this tab). */
export function answerPageFetches(runtime: Runtime): void {
  runtime.onMessage.addListener((m: unknown, sender: chrome.runtime.MessageSender, reply: (a: PageFetchAnswer) => void) => {
    if (sender.id !== runtime.id || sender.tab || (m as { type?: unknown } | null)?.type !== PAGE_FETCH) return false;
    void pageFetch(m as PageFetchRequest).then(reply);
    return true;
  });
}
