import type { Answers, OptionsSection, Request, Sender } from '../../shared/messages';
import { parseAdoUrl } from '../../shared/ado/urls';
import { onPremServers, profileForPage, type Profile } from '../../shared/profile';
import type { AccountDeps } from '../accounts';
import type { KeyValue } from '../profile-store';
import type { PageFetchRequest } from '../../shared/page-fetch';
import type { Wait } from '../../shared/ado/request';

export interface GatewayDeps extends AccountDeps {
  extensionId: string;
  extensionOrigin: string;
  version: string;
  local: KeyValue;
  /**
   * Opens the options page at a section (absent where there is no browser, as in unit tests);
   * `profileId`: the profile whose editor `profiles` opens at (other sections ignore it).
   */
  openOptions?: (section: OptionsSection, profileId?: string) => Promise<void>;
  /**
   * Sends a message to the content script in one frame of a tab (browser.tabs.sendMessage): how a
   * page without a profile makes REST calls with its own session (src/background/page-session.ts).
   * Absent, such pages get NO_PROFILE.
   */
  tabMessage?: (tabId: number, frameId: number, message: PageFetchRequest) => Promise<unknown>;
  /**
   * Runs the injected features' own code in one frame of a tab (browser.scripting.executeScript
   * of `src/content/panels.js`), the first time the page uses a feature. Absent, `features.load`
   * fails with a clear message.
   */
  injectFeatures?: (tabId: number, frameId: number) => Promise<void>;
  /** Whether the browser lets the extension reach an origin (the person can take an Azure DevOps Server's access back). */
  hostAccess?: (origin: string) => Promise<boolean>;
}

/** Who asks; what each may ask is the contract's (`REQUESTS`). */
export type SenderKind = Sender;

export interface HandlerContext {
  from: SenderKind;
  /** The page (content scripts) or extension page that asked. */
  senderUrl?: string | undefined;
  /** The tab and frame of a content script that asked. */
  tab?: { tabId: number; frameId: number } | undefined;
  /** For long tasks asked through a port: report progress to the asker. */
  progress?: ((event: unknown) => void) | undefined;
  /** For requests asked through a port: a request to Azure DevOps waits before its next attempt (a 429's hold, a retry); tell the asker. */
  onWait?: ((wait: Wait | undefined) => void) | undefined;
  /**
   * For requests asked through a port: aborted when the asker stops waiting (Stop waiting), so that
   * its requests to Azure DevOps stop too. Not when the asker just goes: a refresh still fills the cache.
   */
  stopped?: AbortSignal | undefined;
  /**
   * For requests asked through a port: aborts when the asker has gone (its page reloaded or left, its
   * popup closed). A clone goes on without it; what only its page wanted (adding an account) stops.
   */
  askerGone?: AbortSignal | undefined;
  /** For a task the background starts for its asker: called once the task is on the board, so the asker may follow it. */
  onBoard?: (() => void) | undefined;
}

export type Handlers = {
  [T in Request['type']]: (req: Extract<Request, { type: T }>, ctx: HandlerContext) => Promise<Answers[T]>;
};

/** The profile of the page's organization (or Azure DevOps Server collection), if the user has one. */
export async function pageProfile(deps: Pick<GatewayDeps, 'store'>, pageUrl: string | undefined): Promise<{ profile: Profile | undefined; profiles: Profile[] }> {
  const { profiles, activeId } = await deps.store.snapshot();
  const page = pageUrl ? parseAdoUrl(pageUrl, { onPremHosts: onPremServers(profiles) }) : undefined;
  return { profile: page ? profileForPage(profiles, page, activeId) : undefined, profiles };
}

/**
 * The profile for a request. For a content script, the one of its page's organization, whatever
 * the request names and whichever profile is active (a page reaches only its own organization);
 * for our own pages, the one the request names, else the active one.
 */
export async function requestProfile(deps: Pick<GatewayDeps, 'store'>, id: string | undefined, ctx: Pick<HandlerContext, 'from' | 'senderUrl'>): Promise<Profile | undefined> {
  if (ctx.from === 'content') return (await pageProfile(deps, ctx.senderUrl)).profile;
  const want = id ?? (await deps.store.activeId());
  return want ? deps.store.get(want) : undefined;
}

/** requestProfile, or a clear `NO_PROFILE` error when there is none. */
export async function profileOrThrow(deps: Pick<GatewayDeps, 'store'>, id: string | undefined, ctx: Pick<HandlerContext, 'from' | 'senderUrl'>): Promise<Profile> {
  const profile = await requestProfile(deps, id, ctx);
  if (profile) return profile;
  const message = ctx.from === 'content'
    ? 'No profile is connected for this organization: add an account in Options.'
    : 'No profile is connected yet: add an account in Options.';
  throw Object.assign(new Error(message), { code: 'NO_PROFILE' });
}
