import type { Runtime } from 'webextension-polyfill';
import { isAzureDevOps } from '../shared/ado/urls';
import { parseRequest, type Reply, type Request, type Waiting } from '../shared/messages';
import { onPremServers } from '../shared/profile';
import { toReplyError } from './errors';
import { requestProfile, type GatewayDeps, type HandlerContext, type Handlers, type SenderKind } from './handlers/types';
import { companionHandlers, type CompanionHandlerDeps } from './handlers/companion';
import { listHandlers } from './handlers/lists';
import { profileHandlers } from './handlers/profiles';
import { peopleHandlers } from './handlers/people';
import { pullRequestHandlers } from './handlers/pull-requests';
import { repoHandlers } from './handlers/repos';
import { featureHandlers } from './handlers/features';
import { forkHandlers } from './handlers/forks';
import { workItemHandlers } from './handlers/work-items';
import { pullRequestReviewerHandlers } from './handlers/pull-request-reviewers';

export type { GatewayDeps } from './handlers/types';

/**
 * Who is asking. Our own pages (popup, options) come from the extension origin; content scripts
 * come from a tab whose URL must be an Azure DevOps page. Anything else is refused. What each may
 * ask is the contract's (`REQUESTS` in src/shared/messages.ts): content scripts only what the
 * injected features send, answered with their page's organization only.
 */
export function classifySender(
  sender: Runtime.MessageSender,
  deps: Pick<GatewayDeps, 'extensionId' | 'extensionOrigin'>,
  onPremHosts: readonly string[] = [],
): SenderKind | undefined {
  if (sender.id !== deps.extensionId) return undefined;
  if (sender.url?.startsWith(deps.extensionOrigin)) return 'extension';
  if (sender.tab && sender.url && isAzureDevOps(sender.url, { onPremHosts })) return 'content';
  return undefined;
}

export function createGateway(deps: CompanionHandlerDeps) {
  // Each area of the product brings its own handlers; together they must cover every request.
  const companion = companionHandlers(deps);
  const table: Handlers = {
    ...profileHandlers(deps),
    ...listHandlers(deps),
    ...companion,
    ...repoHandlers(deps),
    ...pullRequestHandlers(deps),
    ...peopleHandlers(deps),
    ...featureHandlers(deps),
    ...forkHandlers(deps),
    ...workItemHandlers(deps, companion['local.checkoutBranch']),
    ...pullRequestReviewerHandlers(deps),
  };
  async function run(message: unknown, sender: Runtime.MessageSender, port?: Pick<HandlerContext, 'progress' | 'askerGone' | 'onWait' | 'stopped'>): Promise<Reply> {
    const from = classifySender(sender, deps, onPremServers(await deps.store.list()));
    if (!from) return { ok: false, error: { code: 'FORBIDDEN', message: 'This sender may not talk to Azure DevOps Companion.' } };
    const parsed = parseRequest(message, from);
    if (!parsed.ok) return parsed;
    const req = parsed.request;
    // The URL of the document that asked: for a content script, the page whose organization it gets.
    const tab = from === 'content' && sender.tab?.id !== undefined ? { tabId: sender.tab.id, frameId: sender.frameId ?? 0 } : undefined;
    const ctx: HandlerContext = { from, senderUrl: sender.url, tab, ...port };
    try {
      const handler = table[req.type] as (r: Request, c: HandlerContext) => Promise<unknown>;
      return { ok: true, data: await handler(req, ctx) };
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'NO_PROFILE' || code === 'FORBIDDEN' || code === 'TASK_GONE') return { ok: false, error: { code, message: (e as Error).message } };
      // The help link (tokens page, policies) is for the profile the request used: on a page of
      // another organization that is the page's profile, not the active one.
      const profile = await requestProfile(deps, 'profileId' in req ? req.profileId : undefined, ctx).catch(() => undefined);
      const error = toReplyError(e, profile);
      // Which profile is the extension's business: a page's Update the token is resolved here again (options.open).
      if (from === 'content') delete error.profileId;
      return { ok: false, error };
    }
  }

  return {
    handleMessage: (message: unknown, sender: Runtime.MessageSender) => run(message, sender),
    /**
     * Long tasks (a clone) ask through a port: progress events flow back, then `{ reply }`. So do
     * lists that should say why they are slow: `{ waiting }` while a request waits to try again
     * or for a slow answer (`{ waiting: null }` once that answer is in).
     */
    handlePort(port: Runtime.Port): void {
      const gone = new AbortController();
      port.onDisconnect.addListener(() => gone.abort());
      const stop = new AbortController();
      port.onMessage.addListener(async (message: unknown) => {
        // Stop waiting: the asker's requests to Azure DevOps stop with it (see HandlerContext.stopped).
        if (isStop(message)) return stop.abort();
        const post = (m: unknown) => {
          try {
            port.postMessage(m);
          } catch {
            // The asker went away (popup closed); the task itself goes on.
          }
        };
        const reply = await run(message, port.sender ?? {}, {
          progress: (event) => post({ progress: event }),
          askerGone: gone.signal,
          stopped: stop.signal,
          onWait: (w) =>
            post({
              progress: {
                waiting: w ? ({ until: w.until, error: toReplyError(w.error), ...(w.host ? { host: w.host } : {}), ...(w.sent ? { sent: w.sent } : {}) } satisfies Waiting) : null,
              },
            }),
        });
        post({ reply });
      });
    },
  };
}

const isStop = (m: unknown): boolean => typeof m === 'object' && m !== null && (m as { stop?: unknown }).stop === true;
