import { createAdoClient, type AdoClient } from '../shared/ado/client';
import { PAGE_SESSION } from '../shared/ado/auth-header';
import { parseAdoUrl } from '../shared/ado/urls';
import { PAGE_FETCH, type PageFetchAnswer, type PageFetchRequest } from '../shared/page-fetch';
import { onPremServers, orgBaseUrl, type Profile } from '../shared/profile';
import { clientOf } from './connections';
import { requestProfile, type GatewayDeps, type HandlerContext } from './handlers/types';

/**
 * Where the REST calls of a request go. With a profile for the page's organization (or, for our
 * own pages, the named or active one), through that profile's credential. For a page of an
 * organization without one, through the page's own signed-in session: the same client and
 * endpoints, but each call is made by the content script of the tab that asked, same origin, with
 * the page's cookies, as the web UI makes its own calls. Nothing of that session is stored.
 */

/** A `fetch` whose requests the content script of one tab makes. */
export function relayFetch(send: (m: PageFetchRequest) => Promise<unknown>): typeof fetch {
  return (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const signal = init.signal;
    const message: PageFetchRequest = {
      type: PAGE_FETCH,
      url: String(input),
      method: init.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init.headers)),
      ...(typeof init.body === 'string' ? { body: init.body } : {}),
    };
    const sent = send(message) as Promise<PageFetchAnswer | undefined>;
    // The requester's timeout and cancel end the wait; the page's answer is then dropped.
    const answer = await (signal
      ? Promise.race([sent, new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true }))])
      : sent);
    if (!answer || 'error' in answer) throw new TypeError(answer?.error ?? 'The page did not answer: reload it and try again.');
    const empty = answer.status === 204 || answer.status === 205 || answer.status === 304;
    return new Response(empty ? null : answer.text, { status: answer.status, headers: answer.headers });
  }) as typeof fetch;
}

/**
 * When a page's session last answered, per tab and organization: a write soon after is not checked
 * first. An answer older than SESSION_FRESH_MS spares no check, so it is dropped as the next one is
 * kept: the map holds only the tabs whose sessions answered moments ago.
 */
const answered = new Map<string, number>();
export const sessionAnswered: ReadonlyMap<string, number> = answered;
export const SESSION_FRESH_MS = 10_000;

/**
 * A write through a page's session makes sure first that the session still signs in. A write must
 * ask for a plain 401 (ado/request.ts), whose Basic challenge the browser answers with a password
 * dialog that holds the call; a read asks for the sign-in page instead. So unless the session
 * answered moments ago, a read of connectionData goes first, and a sign-in page or a refusal there
 * is the write's answer: the write is not sent, and says the page's sign-in was not accepted.
 */
export function sessionChecked(send: typeof fetch, key: string, org: string, now: () => number): typeof fetch {
  return (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    const answeredAt = answered.get(key);
    if (method !== 'GET' && method !== 'HEAD' && !(answeredAt !== undefined && now() - answeredAt < SESSION_FRESH_MS)) {
      const probe = await send(`${org}/_apis/connectionData`, { method: 'GET', headers: { Accept: 'application/json' }, signal: init.signal });
      if (notSignedIn(probe)) return probe;
    }
    const res = await send(input, init);
    if (res.status === 200 && /json/i.test(res.headers.get('content-type') ?? '')) {
      const at = now();
      for (const [k, then] of answered) if (at - then >= SESSION_FRESH_MS) answered.delete(k);
      answered.set(key, at);
    }
    return res;
  }) as typeof fetch;
}

const notSignedIn = (res: Response) => res.status === 203 || res.status === 401 || (res.status >= 300 && res.status < 400) || /html/i.test(res.headers.get('content-type') ?? '');

export interface Api {
  api: AdoClient;
  /** Where the organization's pages and APIs live. */
  orgBaseUrl: string;
  /** Absent when the page's own session signs in. */
  profile?: Profile;
}

const noProfile = () =>
  Object.assign(new Error('No profile is connected for this organization: add an account in Options.'), { code: 'NO_PROFILE' });

/** The client for a page of an organization without a profile, through that page's session. */
export async function pageSessionApi(deps: GatewayDeps, ctx: Pick<HandlerContext, 'from' | 'senderUrl' | 'tab' | 'onWait'>): Promise<Api> {
  const { tabMessage } = deps;
  const tab = ctx.tab;
  if (ctx.from !== 'content' || !ctx.senderUrl || !tab || !tabMessage) throw noProfile();
  const page = parseAdoUrl(ctx.senderUrl, { onPremHosts: onPremServers(await deps.store.list()) });
  if (!page) throw noProfile();
  const api = createAdoClient({
    orgBaseUrl: page.orgBaseUrl,
    // Identity calls stay on the page's origin: the session reaches nothing else.
    vsspsBaseUrl: page.orgBaseUrl,
    // Azure DevOps Server 2019 and later all accept 5.0; the cloud speaks 7.1.
    apiVersion: page.hostKind === 'onprem' ? '5.0' : '7.1',
    auth: async () => PAGE_SESSION,
    fetch: sessionChecked(relayFetch((m) => tabMessage(tab.tabId, tab.frameId, m)), `${tab.tabId}|${page.orgBaseUrl}`, page.orgBaseUrl, deps.now ?? Date.now),
    now: deps.now,
    // Its panel says why it is slow, as a profile's does (connections.ts).
    onWait: ctx.onWait,
  });
  return { api, orgBaseUrl: page.orgBaseUrl };
}

/** The profile's client, else the page's session, else `NO_PROFILE`. */
export async function apiFor(deps: GatewayDeps, profileId: string | undefined, ctx: Pick<HandlerContext, 'from' | 'senderUrl' | 'tab' | 'onWait'>): Promise<Api> {
  const profile = await requestProfile(deps, profileId, ctx);
  if (!profile) return pageSessionApi(deps, ctx);
  const api = clientOf(deps, profile, ctx);
  return { api, orgBaseUrl: orgBaseUrl(profile), profile };
}
