import type { Answers, Request } from '../../shared/messages';
import { parseAdoUrl } from '../../shared/ado/urls';
import { onPremServers, profileForPage, type Profile } from '../../shared/profile';
import type { AccountDeps } from '../accounts';
import type { KeyValue } from '../profile-store';

export interface GatewayDeps extends AccountDeps {
  extensionId: string;
  extensionOrigin: string;
  version: string;
  local: KeyValue;
}

export type SenderKind = 'extension' | 'content';

export interface HandlerContext {
  from: SenderKind;
  /** The page (content scripts) or extension page that asked. */
  senderUrl?: string | undefined;
  /** For long tasks asked through a port: report progress to the asker. */
  progress?: ((event: unknown) => void) | undefined;
}

export type Handlers = {
  [T in Request['type']]: (req: Extract<Request, { type: T }>, ctx: HandlerContext) => Promise<Answers[T]>;
};

/**
 * The profile for a request: the one it names; for a content script, the one of its page's
 * organization (never the active one, which may belong to another organization); for our own
 * pages, the active one.
 */
export async function requestProfile(deps: Pick<GatewayDeps, 'store'>, id: string | undefined, ctx: HandlerContext): Promise<Profile | undefined> {
  if (id) return deps.store.get(id);
  if (ctx.from === 'content') {
    const { profiles, activeId } = await deps.store.snapshot();
    const page = ctx.senderUrl ? parseAdoUrl(ctx.senderUrl, { onPremHosts: onPremServers(profiles) }) : undefined;
    return page ? profileForPage(profiles, page, activeId) : undefined;
  }
  const active = await deps.store.activeId();
  return active ? deps.store.get(active) : undefined;
}

/** The profile a request names, or the active one; a clear error when there is none. */
export async function profileOrThrow(deps: Pick<GatewayDeps, 'store'>, id?: string): Promise<Profile> {
  const want = id ?? (await deps.store.activeId());
  const profile = want ? await deps.store.get(want) : undefined;
  if (!profile) throw Object.assign(new Error('No profile is connected yet. Open Options to sign in or add a token.'), { code: 'NO_PROFILE' });
  return profile;
}
