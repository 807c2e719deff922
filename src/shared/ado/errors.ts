/**
 * The one error type the Azure DevOps client throws. `kind` says what went wrong in terms a caller
 * can act on; `userMessage` says it to a person, with a next step. Neither ever contains a credential.
 */

export type AdoErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'oauthDisabled'
  | 'notFound'
  | 'conflict'
  | 'badRequest'
  /** An Azure DevOps Server older than the api-version asked for (VssVersionOutOfRangeException). */
  | 'serverTooOld'
  | 'rateLimited'
  | 'server'
  | 'network'
  | 'cancelled'
  | 'invalidResponse'
  | 'signInPage';

export type AuthScheme = 'Basic' | 'Bearer' | 'Session';

/** Token scopes the product asks for, as Azure DevOps' token page names them. */
export const SCOPE_LABELS = {
  'vso.code': 'Code (Read)',
  'vso.code_write': 'Code (Read & write)',
  'vso.code_manage': 'Code (Read, write, & manage)',
  'vso.project': 'Project and Team (Read)',
  'vso.work': 'Work Items (Read)',
  'vso.work_write': 'Work Items (Read & write)',
  'vso.graph': 'Graph (Read)',
  'vso.identity': 'Identity (Read)',
  'vso.profile': 'User Profile (Read)',
  'vso.tokens': 'Tokens (Read & manage)',
} as const;
export type Scope = keyof typeof SCOPE_LABELS;

/**
 * What Options tells a user to tick for a personal access token: enough for every request the
 * extension makes (a broader scope covers its narrower ones, as Code (Read, write, & manage) covers
 * Code (Read)). Work Items is for the popup's Work tab and Start work.
 */
export const TOKEN_SCOPES = ['vso.code_manage', 'vso.project', 'vso.graph', 'vso.identity', 'vso.profile', 'vso.work_write'] as const satisfies readonly Scope[];

export interface AdoErrorDetails {
  kind: AdoErrorKind;
  /** What the caller was doing, as a verb phrase: "list repositories". */
  what: string;
  status?: number;
  /** Azure DevOps' own error class, e.g. `GitRepositoryNameAlreadyExistsException`. */
  typeKey?: string;
  /** Azure DevOps' own message, e.g. `TF400813: The user '…' is not authorized…`. */
  adoMessage?: string;
  retryAfterSeconds?: number;
  /** For network: the request was sent and no answer came within this many seconds (a host reached but silent). */
  noAnswerWithinSeconds?: number;
  /** For invalidResponse: the path of the field that did not fit, e.g. `value[0].id`. */
  field?: string;
  /** The scope the request needs, to name it when a token lacks it. */
  scope?: Scope;
  authScheme?: AuthScheme;
  /** Host that could not be reached (network) or that redirected (signInPage). */
  host?: string;
  /** Overrides the generated `userMessage` when the caller knows better (local validation). */
  userMessage?: string;
  cause?: unknown;
}

const PAT_NEXT_STEP =
  'Create a new one on Azure DevOps (User settings › Personal access tokens), then update the token in Options.';
const OAUTH_NEXT_STEP = 'Sign in with Microsoft again from Options: the profile keeps its settings.';
const SESSION_NEXT_STEP = 'Reload the page to sign in to Azure DevOps again, or add an account for this organization in Options.';

export class AdoError extends Error {
  override readonly name = 'AdoError';
  readonly kind: AdoErrorKind;
  readonly what: string;
  readonly status: number | undefined;
  readonly typeKey: string | undefined;
  readonly adoMessage: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly noAnswerWithinSeconds: number | undefined;
  readonly field: string | undefined;
  /** The token scope the failed call needs (for a "create a token with…" link). */
  readonly scope: Scope | undefined;
  /** How the failed call signed in: `Session` is a page's own sign-in, with no token of ours. */
  readonly authScheme: AuthScheme | undefined;
  readonly userMessage: string;

  constructor(d: AdoErrorDetails) {
    super(technicalMessage(d), d.cause === undefined ? undefined : { cause: d.cause });
    this.kind = d.kind;
    this.what = d.what;
    this.status = d.status;
    this.typeKey = d.typeKey;
    this.adoMessage = d.adoMessage;
    this.retryAfterSeconds = d.retryAfterSeconds;
    this.noAnswerWithinSeconds = d.noAnswerWithinSeconds;
    this.field = d.field;
    this.scope = d.scope;
    this.authScheme = d.authScheme;
    this.userMessage = d.userMessage ?? describe(d);
  }
}

export const isAdoError = (e: unknown, kind?: AdoErrorKind): e is AdoError =>
  e instanceof AdoError && (kind === undefined || e.kind === kind);

function technicalMessage(d: AdoErrorDetails): string {
  const status = d.status === undefined ? '' : ` (HTTP ${d.status})`;
  const detail = d.adoMessage ?? d.field ?? '';
  return `Could not ${d.what}: ${d.kind}${status}${detail ? `: ${detail}` : ''}`;
}

/** Reads a scope name (`vso.code_write`) out of Azure DevOps' message, when it names one. */
export function scopeInMessage(message: string | undefined): Scope | undefined {
  const found = message?.match(/\bvso\.[a-z_]+/i)?.[0]?.toLowerCase();
  return found !== undefined && found in SCOPE_LABELS ? (found as Scope) : undefined;
}

function quote(msg: string | undefined): string {
  return msg ? ` Azure DevOps said: “${msg}”` : '';
}

function seconds(s: number): string {
  return s < 90 ? `${Math.max(1, Math.ceil(s))} seconds` : `${Math.ceil(s / 60)} minutes`;
}

function describe(d: AdoErrorDetails): string {
  const session = d.authScheme === 'Session';
  const pat = d.authScheme !== 'Bearer' && !session;
  const signInAgain = pat ? PAT_NEXT_STEP : OAUTH_NEXT_STEP;
  switch (d.kind) {
    case 'unauthorized':
    case 'signInPage':
      if (session) return `Azure DevOps did not accept this page's sign-in: it may have expired. ${SESSION_NEXT_STEP}`;
      if (d.kind === 'signInPage') {
        return `Azure DevOps answered with a sign-in page instead of data, so it did not accept your ${
          pat ? 'personal access token' : 'sign-in'
        }. ${signInAgain}`;
      }
      return pat
        ? `Your personal access token was rejected: it may be expired or revoked. ${PAT_NEXT_STEP}`
        : `Your Azure DevOps sign-in was rejected: it may have expired or been revoked. ${OAUTH_NEXT_STEP}`;
    case 'oauthDisabled':
      return (
        'This organization has turned off third-party application access via OAuth, so Azure DevOps ' +
        'refuses this sign-in (TF400813). An organization administrator can turn it on under Organization ' +
        'settings › Policies › Third-party application access via OAuth. Or use a personal access token ' +
        'instead: create one under User settings › Personal access tokens, then add a token in Options.'
      );
    case 'forbidden':
      return forbiddenMessage(d, pat);
    case 'notFound':
      return `Could not ${d.what}: Azure DevOps did not find it. It may have been deleted or renamed, or you may not have access to it.${quote(d.adoMessage)}`;
    case 'conflict':
      if (/TF400948/.test(d.adoMessage ?? '') || /NameAlreadyExists/i.test(d.typeKey ?? '')) return 'A repository with this name already exists in the project. Choose another name.';
      if (pullRequestAlreadyOpen(d)) {
        return 'A pull request from this branch into that one is already open: there is one per pair of branches. Open the pull requests to find it, or choose other branches.';
      }
      return `Could not ${d.what}: it conflicts with something that already exists.${quote(d.adoMessage)}`;
    case 'badRequest':
      return `Azure DevOps refused to ${d.what}.${quote(d.adoMessage)}`;
    case 'serverTooOld':
      return serverTooOldMessage(d.adoMessage);
    case 'rateLimited':
      return `Azure DevOps is limiting how many requests you can make right now (TF400733). ${
        d.retryAfterSeconds === undefined ? 'Try again in a few minutes.' : `Try again in about ${seconds(d.retryAfterSeconds)}.`
      }`;
    case 'server':
      return `Azure DevOps had a problem and could not ${d.what}${d.status ? ` (HTTP ${d.status})` : ''}. Try again in a moment; if it keeps happening, check the Azure DevOps service status.`;
    case 'network':
      // Silence is not a failed connection: the server is there but busy or stuck, not mistyped.
      if (d.noAnswerWithinSeconds !== undefined) {
        return `${d.host && !isMicrosoftHost(d.host) ? `The server ${d.host}` : 'Azure DevOps'} did not answer within ${d.noAnswerWithinSeconds} s when asked to ${d.what}. It may be busy or stuck: try again in a few minutes.`;
      }
      // A company's own server is reached on its network or through its VPN: the internet connection may be fine.
      return d.host && !isMicrosoftHost(d.host)
        ? `Could not reach the server ${d.host} to ${d.what}. Check that this computer can reach it (on your company’s network, or through its VPN) and try again.`
        : `Could not reach Azure DevOps${d.host ? ` at ${d.host}` : ''} to ${d.what}. Check your internet connection (or VPN) and try again.`;
    case 'cancelled':
      return `Stopped: the request to ${d.what} was cancelled.`;
    case 'invalidResponse':
      return `Azure DevOps answered the request to ${d.what} in a form this extension does not understand${
        d.field ? ` (field ${d.field})` : ''
      }. Azure DevOps may have changed; please report this.`;
  }
}

/**
 * The REST API versions an Azure DevOps Server's refusal names: "The requested REST API version of
 * 7.1 is out of range for this server. The latest REST API version this server supports is 7.0."
 * (other releases word it "…supported by this server is 5.1"). Unnamed in a translated message.
 */
export function serverApiVersions(adoMessage: string | undefined): { requested?: number; latest?: number } {
  const requested = /REST API version of "?(\d+\.\d+)/i.exec(adoMessage ?? '')?.[1];
  const latest = /latest REST API version[^.]*?(\d+\.\d+)/i.exec(adoMessage ?? '')?.[1];
  return { ...(requested ? { requested: Number(requested) } : {}), ...(latest ? { latest: Number(latest) } : {}) };
}

/** REST API 5.0 (Azure DevOps Server 2019) is the oldest this extension speaks: no profile is made for an older server. */
export const OLDEST_API_VERSION = 5;

/** A server older than its profile's api-version, or than any this extension speaks. */
function serverTooOldMessage(adoMessage: string | undefined): string {
  const { requested, latest } = serverApiVersions(adoMessage);
  const range = latest === undefined ? '' : `: it supports the REST API up to version ${latest.toFixed(1)}`;
  if (latest !== undefined && latest < OLDEST_API_VERSION) {
    return `This server is too old for Azure DevOps Companion${range}, and the extension needs 5.0 or newer (Azure DevOps Server 2019 or later). Team Foundation Server 2018 and older are not supported.`;
  }
  const asked = requested === undefined ? 'a newer version' : `version ${requested.toFixed(1)}`;
  return (
    `This Azure DevOps Server is older than this profile expects${range}, and the profile asks for ${asked} ` +
    '(the server may have been moved to an older release since the profile was added). Enter the profile’s token again in ' +
    'Options › Profiles (a new one if you no longer have it): the version the server speaks is then checked afresh.'
  );
}

/** A pull request refused because one is open for the same two branches (TF401179): one per pair. */
export const pullRequestAlreadyOpen = (d: Pick<AdoErrorDetails, 'adoMessage' | 'typeKey'>): boolean =>
  /TF401179/.test(d.adoMessage ?? '') || /PullRequestExists/i.test(d.typeKey ?? '');

/** Azure DevOps Services' hosts (dev.azure.com, vssps.dev.azure.com, {org}.visualstudio.com), with or without a port. */
const isMicrosoftHost = (host: string): boolean => /(^|\.)(dev\.azure\.com|visualstudio\.com)(:\d+)?$/i.test(host);

/**
 * A permission the account lacks in the project or repository, which no token changes: "TF401027:
 * You need the Git 'CreateRepository' permission to perform this action" (the message quoted in
 * Azure/azure-functions-ux#4029).
 */
export const refusedForPermission = (adoMessage: string | undefined) => /TF401027|You need the Git '[^']+' permission/i.test(adoMessage ?? '');

function forbiddenMessage(d: AdoErrorDetails, pat: boolean): string {
  if (refusedForPermission(d.adoMessage)) {
    return `Azure DevOps did not allow you to ${d.what}: your account lacks a permission for it in this project, which a project administrator can grant.${quote(d.adoMessage)}`;
  }
  const named = scopeInMessage(d.adoMessage);
  // With a PAT, TF400813 ("not authorized to access this resource") is how Azure DevOps reports a
  // scope the token was not given.
  const scopeProblem = pat && (named !== undefined || /TF400813|\bscope/i.test(d.adoMessage ?? ''));
  const scope = named ?? d.scope;
  if (scopeProblem && scope) {
    const label = SCOPE_LABELS[scope];
    return `This token lacks the scope ${label} needed to ${d.what}. Create a token with ${label} on Azure DevOps (User settings › Personal access tokens), then update the token in Options.`;
  }
  const hint = pat && scope ? ` Check that your token has the scope ${SCOPE_LABELS[scope]}, and` : ' Check';
  return `Azure DevOps did not allow you to ${d.what}.${quote(d.adoMessage)}${hint} that you have permission in this project (a project administrator can grant it).`;
}
