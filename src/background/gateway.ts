import type { Runtime } from 'webextension-polyfill';
import { isAzureDevOps, parseAdoUrl } from '../shared/ado/urls';
import { pagesOnly, Request, type Answers, type Reply } from '../shared/messages';
import { Profile, profileForPage, ProfilesExport } from '../shared/profile';
import { addPatProfile, finishOAuth, startOAuth, type AccountDeps } from './accounts';
import { clientFor } from './connections';
import { toReplyError } from './errors';
import { dropCaches, listing } from './lists';
import type { KeyValue } from './profile-store';
import { oauthConfig, setOAuthConfig } from './settings';

export interface GatewayDeps extends AccountDeps {
  extensionId: string;
  extensionOrigin: string;
  version: string;
  local: KeyValue;
}

type SenderKind = 'extension' | 'content';

/**
 * Who is asking. Our own pages (popup, options) come from the extension origin; content scripts
 * come from a tab whose URL must be an Azure DevOps page. Anything else is refused.
 */
export function classifySender(sender: Runtime.MessageSender, deps: Pick<GatewayDeps, 'extensionId' | 'extensionOrigin'>): SenderKind | undefined {
  if (sender.id !== deps.extensionId) return undefined;
  if (sender.url?.startsWith(deps.extensionOrigin)) return 'extension';
  if (sender.tab && sender.url && isAzureDevOps(sender.url)) return 'content';
  return undefined;
}

type Handlers = { [T in Request['type']]: (req: Extract<Request, { type: T }>, ctx: { from: SenderKind; senderUrl?: string | undefined }) => Promise<Answers[T]> };

function handlers(deps: GatewayDeps): Handlers {
  const { store } = deps;
  const listProfiles = async () => ({ profiles: await store.list(), activeId: await store.activeId() });
  const profileOrThrow = async (id?: string): Promise<Profile> => {
    const want = id ?? (await store.activeId());
    const profile = want ? await store.get(want) : undefined;
    if (!profile) throw Object.assign(new Error('No profile is connected yet. Open Options to sign in or add a token.'), { code: 'NO_PROFILE' });
    return profile;
  };
  const conn = (p: Profile) => () => clientFor(p, { store, fetch: deps.fetch, now: deps.now, oauthConfig: deps.oauthConfig });
  const settings = async () => {
    const c = await oauthConfig(deps.local);
    return { oauth: { clientId: c.clientId, tenant: c.tenant, configured: c.clientId !== '' } };
  };

  return {
    ping: async (_req, { from }) => ({ version: deps.version, sender: from }),
    'profiles.list': listProfiles,
    'profiles.addPat': (req) => addPatProfile(req, deps),
    'profiles.signIn': () => startOAuth(deps),
    'profiles.finishSignIn': (req) => finishOAuth(req.pending, req.organization, deps),
    'profiles.update': async (req) => {
      const next = Profile.parse({ ...(await profileOrThrow(req.id)), ...req.patch });
      await store.save(next);
      return next;
    },
    'profiles.remove': async (req) => {
      await store.remove(req.id);
      await dropCaches(deps.local, req.id);
      return listProfiles();
    },
    'profiles.setActive': async (req) => {
      await store.setActive(req.id);
      return listProfiles();
    },
    'profiles.export': async () => JSON.stringify({ format: 'azure-devops-companion/profiles@1', profiles: await store.list() }, null, 2),
    'profiles.import': async (req) => {
      const parsed = ProfilesExport.safeParse(JSON.parse(req.json));
      if (!parsed.success) throw new Error('This file is not an Azure DevOps Companion profiles export.');
      const existing = new Set((await store.list()).map((p) => p.id));
      // Imported profiles carry no secret: they ask for sign-in on first use.
      for (const p of parsed.data.profiles) if (!existing.has(p.id)) await store.save(p);
      return listProfiles();
    },
    'settings.get': settings,
    'settings.setOAuth': async (req) => {
      await setOAuthConfig(deps.local, req);
      return settings();
    },
    'projects.list': async (req) => {
      const p = await profileOrThrow(req.profileId);
      return listing('projects', p.id, { refresh: req.refresh, kv: deps.local, client: conn(p), now: deps.now });
    },
    'repos.list': async (req) => {
      const p = await profileOrThrow(req.profileId);
      return listing('repos', p.id, { refresh: req.refresh, kv: deps.local, client: conn(p), now: deps.now });
    },
    'page.context': async (_req, { senderUrl }) => {
      const page = senderUrl ? parseAdoUrl(senderUrl) : undefined;
      const p = page ? profileForPage(await store.list(), page, await store.activeId()) : undefined;
      return p ? { profile: { id: p.id, name: p.name, organization: p.organization, protocol: p.protocol, layout: p.layout, cloneRoot: p.cloneRoot } } : {};
    },
  };
}

export function createGateway(deps: GatewayDeps) {
  const table = handlers(deps);
  return async function handleMessage(message: unknown, sender: Runtime.MessageSender): Promise<Reply> {
    const from = classifySender(sender, deps);
    if (!from) return { ok: false, error: { code: 'FORBIDDEN', message: 'This sender may not talk to Azure DevOps Companion.' } };
    const parsed = Request.safeParse(message);
    if (!parsed.success) return { ok: false, error: { code: 'BAD_REQUEST', message: parsed.error.issues[0]?.message ?? 'Invalid request.' } };
    const req = parsed.data;
    if (from === 'content' && pagesOnly.has(req.type))
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Pages may not manage accounts.' } };
    let profile: Profile | undefined;
    try {
      if ('profileId' in req || req.type === 'projects.list' || req.type === 'repos.list') {
        const id = ('profileId' in req ? req.profileId : undefined) ?? (await deps.store.activeId());
        profile = id ? await deps.store.get(id) : undefined;
      }
      const handler = table[req.type] as (r: Request, c: { from: SenderKind; senderUrl?: string | undefined }) => Promise<unknown>;
      return { ok: true, data: await handler(req, { from, senderUrl: sender.tab?.url ?? sender.url }) };
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'NO_PROFILE') return { ok: false, error: { code, message: (e as Error).message } };
      return { ok: false, error: toReplyError(e, profile) };
    }
  };
}
