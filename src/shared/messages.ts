import { z } from 'zod';
import type { Profile } from './profile';

/**
 * What the popup, the options page and content scripts may ask the background worker. Requests
 * are checked with these schemas on arrival; answers never carry credentials. Requests marked
 * `pagesOnly` are refused from content scripts: a web page must not manage accounts.
 */
const id = z.string().min(1).max(200);
const profileId = id.optional();

export const Request = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping') }),
  z.object({ type: z.literal('profiles.list') }),
  z.object({
    type: z.literal('profiles.addPat'),
    /** Absent for Azure DevOps Services; the collection URL for Azure DevOps Server. */
    collectionUrl: z.string().url().optional(),
    organization: z.string().trim().min(1).max(200),
    pat: z.string().trim().min(1).max(1000),
    name: z.string().trim().max(100).optional(),
  }),
  z.object({ type: z.literal('profiles.signIn') }),
  z.object({ type: z.literal('profiles.finishSignIn'), pending: id, organization: z.string().min(1).max(200) }),
  z.object({
    type: z.literal('profiles.update'),
    id,
    patch: z.object({
      name: z.string().trim().min(1).max(100).optional(),
      cloneRoot: z.string().trim().min(1).max(1000).optional(),
      layout: z.string().trim().min(1).max(200).optional(),
      protocol: z.enum(['https', 'ssh']).optional(),
    }),
  }),
  z.object({ type: z.literal('profiles.remove'), id }),
  z.object({ type: z.literal('profiles.setActive'), id }),
  z.object({ type: z.literal('profiles.export') }),
  z.object({ type: z.literal('profiles.import'), json: z.string().max(1_000_000) }),
  z.object({ type: z.literal('settings.get') }),
  z.object({
    type: z.literal('settings.setOAuth'),
    clientId: z.string().trim().max(100),
    tenant: z.string().trim().max(100),
  }),
  z.object({ type: z.literal('projects.list'), profileId, refresh: z.boolean().optional() }),
  z.object({ type: z.literal('repos.list'), profileId, refresh: z.boolean().optional() }),
  /** A content script asks which profile serves its page (if any); the page is the sender's tab. */
  z.object({ type: z.literal('page.context') }),
]);
export type Request = z.infer<typeof Request>;
export type RequestType = Request['type'];

export const pagesOnly: ReadonlySet<RequestType> = new Set([
  'profiles.list',
  'profiles.addPat',
  'profiles.signIn',
  'profiles.finishSignIn',
  'profiles.update',
  'profiles.remove',
  'profiles.setActive',
  'profiles.export',
  'profiles.import',
  'settings.get',
  'settings.setOAuth',
]);

export interface ReplyError {
  /** `BAD_REQUEST`, `FORBIDDEN`, `NO_PROFILE`, or an Azure DevOps failure kind such as `oauthDisabled`. */
  code: string;
  /** For a person: what happened and what to do next. */
  message: string;
  /** A page that helps: the tokens page, the organization policy page. */
  helpUrl?: string;
}
export type Reply<T = unknown> = { ok: true; data: T } | { ok: false; error: ReplyError };

export interface PingAnswer {
  version: string;
  /** Where the ping came from, as the worker saw it: proves sender checks run. */
  sender: 'extension' | 'content';
}

export interface ProfilesAnswer {
  profiles: Profile[];
  activeId?: string;
}

export interface SignInAnswer {
  pending: string;
  user: { displayName: string; emailAddress?: string };
  organizations: { name: string; id: string }[];
}

export interface SettingsAnswer {
  oauth: { clientId: string; tenant: string; configured: boolean };
}

export interface ProjectSummary {
  id: string;
  name: string;
  description?: string;
}

export interface RepoSummary {
  id: string;
  name: string;
  project: { id: string; name: string };
  defaultBranch?: string;
  remoteUrl?: string;
  sshUrl?: string;
  webUrl?: string;
  isDisabled?: boolean;
  isFork?: boolean;
  size?: number;
}

/** Cached lists draw at once; `stale` says a refresh is worth asking for. */
export interface Listing<T> {
  items: T[];
  fetchedAt: number;
  stale: boolean;
  profileId: string;
}

export interface PageContextAnswer {
  profile?: Pick<Profile, 'id' | 'name' | 'organization' | 'protocol' | 'layout' | 'cloneRoot'>;
}

/** Typed view for senders: the answer each request type gets. */
export interface Answers {
  ping: PingAnswer;
  'profiles.list': ProfilesAnswer;
  'profiles.addPat': Profile;
  'profiles.signIn': SignInAnswer;
  'profiles.finishSignIn': Profile;
  'profiles.update': Profile;
  'profiles.remove': ProfilesAnswer;
  'profiles.setActive': ProfilesAnswer;
  'profiles.export': string;
  'profiles.import': ProfilesAnswer;
  'settings.get': SettingsAnswer;
  'settings.setOAuth': SettingsAnswer;
  'projects.list': Listing<ProjectSummary>;
  'repos.list': Listing<RepoSummary>;
  'page.context': PageContextAnswer;
}
