// Azure DevOps page-URL detection and web-URL building. Ships in the content script, so it stays
// dependency-free and small: only the WHATWG URL class.

export type AdoHostKind = 'cloud' | 'legacy' | 'onprem';

/**
 * What a page URL shows. `'other'` is any Azure DevOps page this module has no name for, including
 * `/{org}/{project}/_git` with no repository (the Repos landing page, which redirects to whichever
 * repository the user last visited: the URL does not say which).
 *
 * An empty repository is served at the same URL as a repository's home page, so it cannot be told
 * apart from the URL alone; this module does not try.
 */
export type AdoPageKind =
  | 'repoHome'
  | 'repoFiles'
  | 'pullRequest'
  | 'pullRequestCreate'
  | 'pullRequestList'
  | 'branches'
  | 'forks'
  | 'commit'
  | 'compare'
  | 'orgPullRequests'
  | 'workItem'
  | 'boards'
  | 'project'
  | 'organization'
  | 'other';

export interface AdoPage {
  readonly hostKind: AdoHostKind;
  /** `https://dev.azure.com`, `https://fabrikam.visualstudio.com`, `https://tfs.fabrikam.test:8080`. */
  readonly origin: string;
  /** The organization; on-prem, the collection. Percent-decoded. */
  readonly organization: string;
  /** The path before the project, spelled as in the URL: `''` cloud, `''` or `'/DefaultCollection'`
   *  legacy, `'/tfs/DefaultCollection'` or `'/DefaultCollection'` on-prem. */
  readonly collectionPath: string;
  /** Where `/_apis/...` is appended for REST calls: `https://dev.azure.com/{org}`,
   *  `https://{org}.visualstudio.com` (never with DefaultCollection), `https://server[:port][/tfs]/{collection}`. */
  readonly orgBaseUrl: string;
  readonly page: AdoPageKind;
  readonly project?: string;
  readonly repository?: string;
  /** From `version=GB...`; on pull-request create, from `sourceRef`; on compare, from `targetVersion`. */
  readonly branch?: string;
  readonly pullRequestId?: number;
  readonly commitId?: string;
  /** The `path` query (file or folder shown). */
  readonly path?: string;
  readonly sourceRef?: string;
  readonly targetRef?: string;
  readonly sourceRepositoryId?: string;
  readonly targetRepositoryId?: string;
  /** Compare page: the raw `baseVersion` / `targetVersion` queries, such as `GBmain`. */
  readonly baseVersion?: string;
  readonly targetVersion?: string;
  /** The work item of the form (`/_workitems/edit/{id}`, `/_queries/edit/{id}`), or the one a board or backlog shows as a dialog (`?workitem={id}`). */
  readonly workItemId?: number;
}

export interface ParseOptions {
  /**
   * Azure DevOps Server hosts the user configured. Each entry names a server, never a collection:
   * - `host` or `host:port` (`tfs.fabrikam.test`, `ado.corp.example:8080`): http or https; the
   *   collection may sit under `/tfs/` or at the root (`/tfs/{collection}/...` or `/{collection}/...`).
   * - a URL (`https://tfs.fabrikam.test/tfs`): that scheme and port only; its path, if any, is the
   *   virtual directory that every collection sits under (`/tfs/{collection}/...` only).
   * To derive an entry from a collection URL, drop its last path segment. A host-only entry reads a
   * first segment `tfs` as the virtual directory, so a collection named `tfs` at the root is not seen.
   * Invalid entries are ignored.
   */
  readonly onPremHosts?: readonly string[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Site = Pick<AdoPage, 'hostKind' | 'origin' | 'organization' | 'collectionPath' | 'orgBaseUrl'>;

/** Service hosts under visualstudio.com that are not organizations. */
const LEGACY_SERVICE_HOSTS = new Set(['www', 'app', 'aex', 'vssps', 'vs-ssh', 'marketplace', 'status', 'go']);

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    // A stray `%` that the browser would never produce: keep the text as written.
    return text;
  }
};

const defaultPort = (protocol: string): string => (protocol === 'https:' ? '443' : '80');

interface Server {
  readonly protocol: string | undefined; // undefined: http or https
  readonly hostname: string;
  readonly port: string | undefined; // undefined: the page scheme's default
  readonly prefix: readonly string[]; // lower-cased raw segments
}

function serverOf(entry: string): Server | undefined {
  const text = String(entry).trim();
  const hasScheme = /^[a-z][a-z\d+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `https://${text}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return {
    protocol: hasScheme ? url.protocol : undefined,
    hostname: url.hostname,
    port: url.port || (hasScheme ? defaultPort(url.protocol) : undefined),
    prefix: segmentsOf(url.pathname).map((s) => s.toLowerCase()),
  };
}

const segmentsOf = (pathname: string): string[] => pathname.split('/').filter(Boolean);

function siteOf(url: URL, raw: readonly string[], onPremHosts: readonly string[] | undefined): [Site, number] | undefined {
  const origin = url.origin;
  const https = url.protocol === 'https:';
  // `count` path segments name the organization or collection; the last of them is its name.
  const at = (count: number, hostKind: 'cloud' | 'onprem'): [Site, number] | undefined => {
    const name = raw[count - 1];
    if (name === undefined || name.startsWith('_')) return undefined;
    const path = raw.slice(0, count).map((s) => `/${s}`).join('');
    const collectionPath = hostKind === 'cloud' ? '' : path;
    return [{ hostKind, origin, organization: decode(name), collectionPath, orgBaseUrl: origin + path }, count];
  };

  if (https && url.host === 'dev.azure.com') return at(1, 'cloud');

  const legacy = https ? /^([a-z\d][a-z\d-]*)\.visualstudio\.com$/.exec(url.host) : null;
  if (legacy?.[1] !== undefined) {
    if (LEGACY_SERVICE_HOSTS.has(legacy[1])) return undefined;
    const inCollection = raw[0]?.toLowerCase() === 'defaultcollection';
    const site: Site = {
      hostKind: 'legacy',
      origin,
      organization: legacy[1],
      collectionPath: inCollection ? `/${raw[0]}` : '',
      orgBaseUrl: origin,
    };
    return [site, inCollection ? 1 : 0];
  }

  const port = url.port || defaultPort(url.protocol);
  const servers = (Array.isArray(onPremHosts) ? onPremHosts : [])
    .map(serverOf)
    .filter(
      (s): s is Server =>
        s !== undefined &&
        s.hostname === url.hostname &&
        (s.protocol ?? url.protocol) === url.protocol &&
        (s.port ?? defaultPort(url.protocol)) === port,
    )
    // The most specific virtual directory wins.
    .toSorted((a, b) => b.prefix.length - a.prefix.length);
  const lower = raw.map((s) => s.toLowerCase());
  for (const server of servers) {
    if (server.prefix.length === 0) return at(lower[0] === 'tfs' ? 2 : 1, 'onprem');
    if (server.prefix.every((s, i) => lower[i] === s)) return at(server.prefix.length + 1, 'onprem');
  }
  return undefined;
}

type PageFields = Omit<Mutable<AdoPage>, keyof Site>;

const branchOf = (version: string | null): string | undefined =>
  version?.startsWith('GB') ? version.slice(2) : undefined;

const shortBranch = (ref: string): string => ref.replace(/^refs\/heads\//, '');

function repoPage(project: string, repository: string, tail: readonly string[], query: URLSearchParams): PageFields {
  const fields: PageFields = { project, repository, page: 'other' };
  const path = query.get('path');
  const version = query.get('version');
  if (path !== null) fields.path = path;
  const versionBranch = branchOf(version);
  if (versionBranch !== undefined) fields.branch = versionBranch;

  const [route = '', arg = ''] = tail;
  const action = query.get('_a')?.toLowerCase();
  switch (tail.length === 0 ? '' : `${route.toLowerCase()}/${tail.length}`) {
    case '':
      if (path !== null || version !== null || action === 'contents') fields.page = 'repoFiles';
      else if (action === undefined) fields.page = 'repoHome';
      break;
    case 'pullrequest/2':
      if (/^[1-9]\d{0,14}$/.test(arg)) {
        fields.page = 'pullRequest';
        fields.pullRequestId = Number(arg);
      }
      break;
    case 'pullrequests/1':
      fields.page = 'pullRequestList';
      break;
    case 'pullrequestcreate/1': {
      fields.page = 'pullRequestCreate';
      const names = ['sourceRef', 'targetRef', 'sourceRepositoryId', 'targetRepositoryId'] as const;
      for (const name of names) {
        const value = query.get(name);
        if (value !== null) fields[name] = value;
      }
      if (fields.sourceRef !== undefined) fields.branch = shortBranch(fields.sourceRef);
      break;
    }
    case 'branches/1':
      fields.page = 'branches';
      break;
    case 'forks/1':
      fields.page = 'forks';
      break;
    case 'commit/2':
      if (/^[\da-f]{4,64}$/i.test(arg)) {
        fields.page = 'commit';
        fields.commitId = arg;
      }
      break;
    case 'branchcompare/1': {
      fields.page = 'compare';
      const base = query.get('baseVersion');
      const target = query.get('targetVersion');
      if (base !== null) fields.baseVersion = base;
      if (target !== null) fields.targetVersion = target;
      const targetBranch = branchOf(target);
      if (targetBranch !== undefined) fields.branch = targetBranch;
      break;
    }
  }
  return fields;
}

const BOARD_ROUTES = new Set(['_boards', '_backlogs', '_sprints', '_workitems', '_queries']);
const WORK_ITEM_ID = /^[1-9]\d{0,9}$/;

/**
 * `{project}/_workitems/edit/{id}` (the form), or a board, backlog, sprint or query page, with the
 * dialog's `?workitem={id}`. A work item opened from query results is the same form at
 * `{project}/_queries/edit/{id}` (sandbox/web/MARKUP.md, Q).
 */
function boardsPage(project: string, tail: readonly string[], query: URLSearchParams): PageFields | undefined {
  const route = tail[0]!.toLowerCase();
  if (!BOARD_ROUTES.has(route)) return undefined;
  if ((route === '_workitems' || route === '_queries') && tail[1]?.toLowerCase() === 'edit' && tail.length === 3 && WORK_ITEM_ID.test(tail[2]!)) {
    return { project, page: 'workItem', workItemId: Number(tail[2]) };
  }
  const dialog = query.get('workitem');
  return { project, page: 'boards', ...(dialog !== null && WORK_ITEM_ID.test(dialog) ? { workItemId: Number(dialog) } : {}) };
}

function pageOf(rest: readonly string[], query: URLSearchParams): PageFields {
  const [first, second, third] = rest;
  if (first === undefined) return { page: 'organization' };
  // Underscore segments are routes (`_git`, `_pulls`, `_settings`, `_apis`, ...): names cannot start with one.
  if (first.startsWith('_')) {
    const route = first.toLowerCase();
    // `/{org}/_git/{repo}`: a repository named like its project.
    if (route === '_git' && second !== undefined) return repoPage(second, second, rest.slice(2), query);
    return { page: route === '_pulls' && rest.length === 1 ? 'orgPullRequests' : 'other' };
  }
  if (second === undefined) return { project: first, page: 'project' };
  if (second.toLowerCase() === '_git' && third !== undefined) return repoPage(first, third, rest.slice(3), query);
  return boardsPage(first, rest.slice(1), query) ?? { project: first, page: 'other' };
}

/**
 * Reads an Azure DevOps web URL. Returns undefined for anything else (other hosts, other schemes,
 * junk) and never throws. Cloud and legacy hosts are https only; on-prem hosts are recognised only
 * when listed in `options.onPremHosts`.
 */
export function parseAdoUrl(url: string | URL, options?: ParseOptions): AdoPage | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const raw = segmentsOf(parsed.pathname);
  const found = siteOf(parsed, raw, options?.onPremHosts);
  if (found === undefined) return undefined;
  const [site, used] = found;
  return { ...site, ...pageOf(raw.slice(used).map(decode), parsed.searchParams) };
}

// ---------------------------------------------------------------------------------------------
// Predicates. Each accepts a URL (string, URL, Location, anchor) or an already parsed page; pass
// `options` to recognise on-prem hosts from a URL.

export type PageInput = string | URL | { readonly href: string } | AdoPage;

const pageFrom = (input: PageInput, options?: ParseOptions): AdoPage | undefined => {
  // Plain JavaScript callers may pass anything: it must not throw.
  if (typeof input !== 'object' || input === null || input instanceof URL) return parseAdoUrl(input as string, options);
  if ('hostKind' in input) return input;
  return parseAdoUrl(String(input.href), options);
};

const pageIs =
  (kind: AdoPageKind) =>
  (input: PageInput, options?: ParseOptions): boolean =>
    pageFrom(input, options)?.page === kind;

/** On-prem hosts the example URLs below assume to be configured. */
export const exampleOptions: ParseOptions = { onPremHosts: ['tfs.fabrikam.test', 'https://ado.corp.example:8080'] };

const CLOUD = 'https://dev.azure.com/fabrikam';
const FIBER = `${CLOUD}/Fabrikam%20Fiber/_git/Fabrikam%20Fiber`;
const WEB = `${CLOUD}/FabrikamFiber/_git/web`;
const LEGACY = 'https://fabrikam.visualstudio.com/FabrikamFiber/_git/web';
const LEGACY_DC = 'https://fabrikam.visualstudio.com/DefaultCollection/FabrikamFiber/_git/web';
const TFS = 'https://tfs.fabrikam.test/tfs/DefaultCollection/FabrikamFiber/_git/web';
const CORP = 'https://ado.corp.example:8080/Projects/Proyecto%20%C3%91and%C3%BA/_git/Caf%C3%A9';

/** Example URLs for each page predicate: each is true for its own predicate and false for every other. */
export const examples = {
  isRepoHome: [
    FIBER,
    `${WEB}/`,
    `${CLOUD}/_git/FabrikamFiber`,
    `${CLOUD}/_git/FabrikamFiber/`,
    `${CLOUD}/Proyecto%20%C3%91and%C3%BA/_git/Caf%C3%A9`,
    'https://dev.azure.com/fabrikam/Proyecto Ñandú/_git/Café',
    'https://DEV.Azure.COM/fabrikam/FabrikamFiber/_git/web',
    LEGACY,
    LEGACY_DC,
    'https://Fabrikam.VisualStudio.com/DefaultCollection/_git/FabrikamFiber/',
    TFS,
    'http://tfs.fabrikam.test/DefaultCollection/FabrikamFiber/_git/web',
    CORP,
  ],
  isRepoFiles: [
    `${WEB}?path=/src/index.ts`,
    `${WEB}?version=GBfeature/deep/branch`,
    `${WEB}?path=%2FREADME.md&version=GBmain&_a=contents`,
    `${WEB}?_a=contents`,
    `${WEB}?path=/src&_a=history`,
    `${FIBER}?path=/docs/read%20me.md&version=GBusers/jos%C3%A9/fix`,
    `${CLOUD}/_git/FabrikamFiber?path=/`,
    `${LEGACY}?path=/`,
    `${LEGACY_DC}/?version=GBrelease/2024`,
    `${TFS}?path=/src&version=GBmain`,
    `${CORP}?version=GBmain`,
    'https://DEV.AZURE.COM/fabrikam/FabrikamFiber/_git/web?path=/',
  ],
  isPullRequest: [
    `${WEB}/pullrequest/42`,
    `${WEB}/pullrequest/42?_a=files`,
    `${WEB}/pullRequest/42/`,
    `${FIBER}/pullrequest/7?_a=commits&path=/src/app.ts`,
    `${CLOUD}/_git/FabrikamFiber/pullrequest/1`,
    `${LEGACY}/pullrequest/9000`,
    `${LEGACY_DC}/pullrequest/3?_a=overview`,
    `${TFS}/pullrequest/12`,
    `${CORP}/pullrequest/5`,
  ],
  isPullRequestCreate: [
    `${WEB}/pullrequestcreate?sourceRef=feature/login&targetRef=main`,
    `${WEB}/pullrequestcreate?sourceRef=feature%2Fdeep%2Fbranch&targetRef=main&sourceRepositoryId=0f2c9a8e-1b3d-4c5e-8f70-112233445566&targetRepositoryId=6a7b8c9d-0e1f-4a2b-9c3d-aabbccddeeff`,
    `${WEB}/pullrequestcreate`,
    `${FIBER}/pullrequestcreate?sourceRef=users%2Fjos%C3%A9%2Ffix&targetRef=main`,
    `${CLOUD}/_git/FabrikamFiber/pullRequestCreate/?sourceRef=dev`,
    `${LEGACY_DC}/pullrequestcreate?sourceRef=dev&targetRef=main`,
    `${TFS}/pullrequestcreate?sourceRef=topic&targetRef=develop`,
  ],
  isPullRequestList: [
    `${WEB}/pullrequests`,
    `${WEB}/pullrequests?_a=mine`,
    `${WEB}/pullrequests/?_a=active`,
    `${FIBER}/pullrequests/`,
    `${CLOUD}/_git/FabrikamFiber/pullrequests?_a=completed`,
    `${LEGACY}/pullrequests`,
    `${TFS}/pullrequests?_a=mine`,
  ],
  isBranches: [
    `${WEB}/branches`,
    `${WEB}/branches?_a=all`,
    `${FIBER}/branches/`,
    `${CLOUD}/_git/FabrikamFiber/branches`,
    `${LEGACY_DC}/branches?_a=mine`,
    `${CORP}/branches`,
  ],
  isForks: [
    `${WEB}/forks`,
    `${FIBER}/forks/`,
    `${CLOUD}/_git/FabrikamFiber/forks`,
    `${LEGACY}/forks`,
    `${TFS}/forks`,
  ],
  isCommit: [
    `${WEB}/commit/3b18e512dba79e4c8300dd08aeb37f8e728b8dad`,
    `${WEB}/commit/3b18e512dba79e4c8300dd08aeb37f8e728b8dad?refName=refs/heads/main`,
    `${FIBER}/commit/0123456789abcdef0123456789abcdef01234567/`,
    `${CLOUD}/_git/FabrikamFiber/commit/ABCDEF0123456789ABCDEF0123456789ABCDEF01?path=/src/app.ts&_a=compare`,
    `${LEGACY_DC}/commit/3b18e512dba79e4c8300dd08aeb37f8e728b8dad`,
    `${TFS}/commit/3b18e512dba79e4c8300dd08aeb37f8e728b8dad`,
  ],
  isCompare: [
    `${WEB}/branchCompare?baseVersion=GBmain&targetVersion=GBfeature/deep/branch`,
    `${WEB}/branchcompare?baseVersion=GBmain&targetVersion=GBfeature&_a=files`,
    `${FIBER}/branchCompare/?baseVersion=GBmain&targetVersion=GBusers%2Fjos%C3%A9%2Ffix`,
    `${CLOUD}/_git/FabrikamFiber/branchCompare?baseVersion=GBmain&targetVersion=GBdev`,
    `${LEGACY}/branchCompare?baseVersion=GBmain&targetVersion=GBdev`,
    `${TFS}/branchCompare?baseVersion=GBmain&targetVersion=GBdev`,
  ],
  isOrgPullRequests: [
    `${CLOUD}/_pulls`,
    `${CLOUD}/_pulls/`,
    `${CLOUD}/_pulls?_a=mine`,
    'https://dev.azure.com/Fabrikam%20Labs/_pulls',
    'https://fabrikam.visualstudio.com/_pulls',
    'https://fabrikam.visualstudio.com/DefaultCollection/_pulls',
    'https://tfs.fabrikam.test/tfs/DefaultCollection/_pulls',
    'https://ado.corp.example:8080/Projects/_pulls',
  ],
  isWorkItem: [
    `${CLOUD}/FabrikamFiber/_workitems/edit/42`,
    `${CLOUD}/Fabrikam%20Fiber/_workitems/edit/7/`,
    `${CLOUD}/Fabrikam%20Fiber/_workitems/Edit/7?fullScreen=true`,
    'https://fabrikam.visualstudio.com/FabrikamFiber/_workitems/edit/1',
    'https://fabrikam.visualstudio.com/DefaultCollection/FabrikamFiber/_workitems/edit/9000',
    'https://tfs.fabrikam.test/tfs/DefaultCollection/FabrikamFiber/_workitems/edit/12',
    `${CLOUD}/FabrikamFiber/_queries/edit/1516804/?queryId=447cfb06-b57c-4c39-83f9-8b13fc14a8ef`,
    `${CLOUD}/Fabrikam%20Fiber/_queries/edit/32613`,
    'https://fabrikam.visualstudio.com/FabrikamFiber/_queries/edit/3982342',
    'https://tfs.fabrikam.test/tfs/DefaultCollection/FabrikamFiber/_queries/edit/1183224/?triage=true',
  ],
  isBoardWorkItem: [
    `${CLOUD}/FabrikamFiber/_boards/board/t/FabrikamFiber%20Team/Stories?workitem=42`,
    `${CLOUD}/Fabrikam%20Fiber/_backlogs/backlog/Fabrikam%20Fiber%20Team/Stories?workitem=7`,
    `${CLOUD}/FabrikamFiber/_sprints/taskboard/FabrikamFiber%20Team/FabrikamFiber/Sprint%201?workitem=3`,
    `${CLOUD}/FabrikamFiber/_workitems/recentlyupdated/?workitem=5`,
    'https://fabrikam.visualstudio.com/FabrikamFiber/_boards/board/t/Team/Issues?workitem=11',
    'https://tfs.fabrikam.test/tfs/DefaultCollection/FabrikamFiber/_boards/board/t/Team/Backlog%20items?workitem=12',
  ],
} as const satisfies Record<string, readonly string[]>;

export const isAzureDevOps = (input: PageInput, options?: ParseOptions): boolean =>
  pageFrom(input, options) !== undefined;
/** Any page inside a repository, whether this module names it or not (history, tags, pushes...). */
export const isRepo = (input: PageInput, options?: ParseOptions): boolean =>
  pageFrom(input, options)?.repository !== undefined;
export const isRepoHome = pageIs('repoHome');
export const isRepoFiles = pageIs('repoFiles');
export const isPullRequest = pageIs('pullRequest');
export const isPullRequestCreate = pageIs('pullRequestCreate');
export const isPullRequestList = pageIs('pullRequestList');
export const isBranches = pageIs('branches');
export const isForks = pageIs('forks');
export const isCommit = pageIs('commit');
export const isCompare = pageIs('compare');
export const isOrgPullRequests = pageIs('orgPullRequests');
export const isWorkItem = pageIs('workItem');
/** A board, backlog, sprint or query page showing a work item's form as a dialog. */
export const isBoardWorkItem = (input: PageInput, options?: ParseOptions): boolean => {
  const page = pageFrom(input, options);
  return page?.page === 'boards' && page.workItemId !== undefined;
};
/** `{org}/{project}/_workitems/edit/{id}`. */
export const workItemWebUrl = (orgBaseUrl: string, project: string, id: number): string =>
  `${baseOf(orgBaseUrl)}/${encodeName(project, 'project')}/_workitems/edit/${id}`;

// ---------------------------------------------------------------------------------------------
// Builders. They throw on bad input (parsing never does).

function baseOf(orgBaseUrl: string): string {
  let url: URL | undefined;
  try {
    url = new URL(orgBaseUrl);
  } catch {
    // reported below
  }
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw new TypeError('orgBaseUrl must be an absolute http(s) URL');
  }
  // Credentials, query and fragment never belong in a base URL.
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function encodeName(name: string, what: 'project' | 'repository'): string {
  // `.` and `..` are resolved away by every URL parser; a project starting with `_` reads as a route.
  if (typeof name !== 'string' || name === '' || name === '.' || name === '..' || (what === 'project' && name.startsWith('_'))) {
    throw new TypeError(`Invalid ${what} name: ${JSON.stringify(name)}`);
  }
  try {
    return encodeURIComponent(name);
  } catch {
    throw new TypeError(`Invalid ${what} name: not well-formed Unicode`);
  }
}

export const repoWebUrl = (orgBaseUrl: string, project: string, repo: string): string =>
  `${baseOf(orgBaseUrl)}/${encodeName(project, 'project')}/_git/${encodeName(repo, 'repository')}`;

export function pullRequestWebUrl(orgBaseUrl: string, project: string, repo: string, pullRequestId: number): string {
  if (!Number.isSafeInteger(pullRequestId) || pullRequestId < 1) {
    throw new RangeError(`Invalid pull request id: ${String(pullRequestId)}`);
  }
  return `${repoWebUrl(orgBaseUrl, project, repo)}/pullrequest/${pullRequestId}`;
}

export interface PullRequestCreateRefs {
  /** Branch names; a leading `refs/heads/` is dropped, as the page expects short names. */
  readonly sourceRef: string;
  readonly targetRef: string;
  /** For pull requests from a fork: repository ids (GUIDs). */
  readonly sourceRepositoryId?: string;
  readonly targetRepositoryId?: string;
}

export function pullRequestCreateWebUrl(
  orgBaseUrl: string,
  project: string,
  repo: string,
  refs: PullRequestCreateRefs,
): string {
  const params = [
    ['sourceRef', typeof refs.sourceRef === 'string' ? shortBranch(refs.sourceRef) : refs.sourceRef],
    ['targetRef', typeof refs.targetRef === 'string' ? shortBranch(refs.targetRef) : refs.targetRef],
    ['sourceRepositoryId', refs.sourceRepositoryId],
    ['targetRepositoryId', refs.targetRepositoryId],
  ] as const;
  const query: string[] = [];
  for (const [key, value] of params) {
    if (value === undefined && key.endsWith('RepositoryId')) continue;
    if (typeof value !== 'string' || value === '') throw new TypeError(`Invalid ${key}: ${JSON.stringify(value)}`);
    let encoded: string;
    try {
      encoded = encodeURIComponent(value);
    } catch {
      throw new TypeError(`Invalid ${key}: not well-formed Unicode`);
    }
    // Slashes are legal in a query and keep branch names readable.
    query.push(`${key}=${encoded.replace(/%2F/g, '/')}`);
  }
  return `${repoWebUrl(orgBaseUrl, project, repo)}/pullrequestcreate?${query.join('&')}`;
}

/** Personal access tokens page (User settings). */
export const tokensPageUrl = (orgBaseUrl: string): string => `${baseOf(orgBaseUrl)}/_usersSettings/tokens`;
/** SSH public keys page (User settings). */
export const sshKeysPageUrl = (orgBaseUrl: string): string => `${baseOf(orgBaseUrl)}/_usersSettings/keys`;
/** Organization settings › Policies (third-party OAuth access, SSH authentication). */
export const orgPolicyPageUrl = (orgBaseUrl: string): string =>
  `${baseOf(orgBaseUrl)}/_settings/organizationPolicy`;
