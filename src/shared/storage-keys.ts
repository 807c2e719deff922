import type { CachedKind } from './list-cache';

/**
 * Every key the extension keeps in browser storage: where it lives, who reads and writes it, what
 * it holds and whether that is a secret. Code names a stored key only through these entries
 * (test/unit/storage-keys.test.ts fails on one named anywhere else), so this file is the whole list.
 *
 * The key strings must never change: users' data is stored under them. The content script and the
 * popup's first-frame script import this file, so an entry is only its key, area and secrecy (what
 * it holds and who uses it are comments, which the bundles leave out).
 */
export type StorageArea =
  /**
   * The extension's IndexedDB database `worker` (background/worker-store.ts): the worker only; no
   * content script can open it. Earlier versions kept these keys in `storage.local`, which a content
   * script can write in Firefox: moved from there once, and nothing is kept there now.
   */
  | 'IndexedDB worker'
  /** `browser.storage.session`: in memory until the browser quits (the worker's IndexedDB where a browser has none). */
  | 'storage.session'
  /** The extension's IndexedDB database `cached-lists` (src/shared/list-cache.ts): the worker and the popup. */
  | 'IndexedDB cached-lists'
  /** The extension's IndexedDB database `secrets` (background/secret-store.ts): the worker only; no content script can open it. */
  | 'IndexedDB secrets'
  /** `localStorage` of the extension's origin: only the extension's own pages can read it. */
  | 'popup localStorage'
  /** `sessionStorage` of the Azure DevOps page: the page can read it too, so it holds nothing private. */
  | 'page sessionStorage';

export interface StoredKey {
  /** The key, or a function making the keys of a family (one per profile, …). */
  key: string | ((...args: never[]) => string);
  area: StorageArea;
  /** Only entries marked secret may hold a token (test/unit/storage-keys.test.ts). */
  secret: boolean;
}

// The worker's IndexedDB database `worker` (src/background/worker-store.ts)

/** The profiles: name, organization, host, identity, auth kind; never a token. background/profile-store.ts (index.ts watches it). */
export const PROFILES = { key: 'profiles', area: 'IndexedDB worker', secret: false } as const satisfies StoredKey;

/** The active profile's id. background/profile-store.ts. */
export const ACTIVE_PROFILE = { key: 'activeProfileId', area: 'IndexedDB worker', secret: false } as const satisfies StoredKey;

/** Named groups of colleagues per profile and project. background/reviewer-groups.ts. */
export const REVIEWER_GROUPS = { key: 'reviewerGroups', area: 'IndexedDB worker', secret: false } as const satisfies StoredKey;

/** The Entra app's client id and tenant (Options › Advanced; a public client: no client secret). background/settings.ts. */
export const OAUTH_SETTINGS = { key: 'settings:oauth', area: 'IndexedDB worker', secret: false } as const satisfies StoredKey;

/** The editor files open in (Options › Editor). background/handlers/companion.ts. */
export const EDITOR_SETTING = { key: 'settings:editor', area: 'IndexedDB worker', secret: false } as const satisfies StoredKey;

/** Start work's branch name template (Options › Branch names). background/handlers/work-items.ts. */
export const BRANCH_TEMPLATE_SETTING = { key: 'settings:branchTemplate', area: 'IndexedDB worker', secret: false } as const satisfies StoredKey;

/**
 * The repository Start work last used in a project. background/handlers/work-items.ts. The project
 * id in lower case: one project is one key whichever case its id arrives in.
 */
export const START_WORK_REPO = {
  key: (profileId: string, projectId: string) => `startWork:lastRepo:${profileId}:${projectId.toLowerCase()}`,
  area: 'IndexedDB worker',
  secret: false,
} as const satisfies StoredKey;

/** Set when what an earlier version kept in storage.local has been moved here. background/worker-store.ts. */
export const MOVED_FROM_STORAGE_LOCAL = { key: 'movedFromStorageLocal', area: 'IndexedDB worker', secret: false } as const satisfies StoredKey;

/** Which injected features are switched off (Options › Features). background/handlers/features.ts. */
export const FEATURE_SWITCHES = { key: 'featureSwitches', area: 'IndexedDB worker', secret: false } as const satisfies StoredKey;

/** The page anchors features did not find: feature, page, selectors, origin, counts. background/handlers/features.ts. */
export const MISSING_ANCHORS = { key: 'featureMissingAnchors', area: 'IndexedDB worker', secret: false } as const satisfies StoredKey;

// storage.session

/**
 * A Microsoft sign-in's tokens and the user's name, until the user picks an organization and they
 * move to a profile's secret. background/accounts.ts.
 */
export const PENDING_SIGN_IN = { key: (pendingId: string) => `pendingSignIn:${pendingId}`, area: 'storage.session', secret: true } as const satisfies StoredKey;

/**
 * The repositories this browser asked Azure DevOps to create for a profile, by `{projectId}/{name
 * in lower case}`, and each answer once it is done: a create whose popup closed is shown when it
 * opens again, and only a name of ours is finished rather than refused. One key per profile, gone
 * with it. background/handlers/repos.ts.
 */
export const OUR_NEW_REPO = {
  key: (profileId: string) => `newRepo:${profileId}`,
  area: 'storage.session',
  secret: false,
} as const satisfies StoredKey;

// The other IndexedDB databases

/**
 * A profile's personal access token, or its OAuth access and refresh tokens. background/profile-store.ts.
 * Kept in storage.local until content scripts were found able to read it there: one found there is
 * moved here (background/worker-store.ts).
 */
export const PROFILE_SECRET = { key: (profileId: string) => `secret:${profileId}`, area: 'IndexedDB secrets', secret: true } as const satisfies StoredKey;

/**
 * A profile's projects or repositories as Azure DevOps listed them, and when. background/lists.ts
 * (through cached-lists.ts); popup/use-repos.ts reads them. They were kept in storage.local until
 * they moved here: background/worker-store.ts removes those once.
 */
export const CACHED_LIST = { key: (profileId: string, kind: CachedKind) => `cache:${profileId}:${kind}`, area: 'IndexedDB cached-lists', secret: false } as const satisfies StoredKey;

/** The worker keeps these keys in `cached-lists` and the others in `worker` (background/cached-lists.ts). */
export const isCachedListKey = (key: string) => key.startsWith('cache:');

// The popup's localStorage

/** The last list's first screen: profile, organization, project and repository names, URLs, its markup. popup/snapshot.ts. */
export const POPUP_SNAPSHOT = { key: 'popup.snapshot', area: 'popup localStorage', secret: false } as const satisfies StoredKey;

/** The id of the profile the popup showed last. popup/startup.ts. */
export const POPUP_PROFILE = { key: 'popup.profile', area: 'popup localStorage', secret: false } as const satisfies StoredKey;

/** The project a repository was last created in. popup/new-repo-tab.tsx. */
export const NEW_REPO_PROJECT = { key: (profileId: string) => `newRepo.project:${profileId}`, area: 'popup localStorage', secret: false } as const satisfies StoredKey;

/** What was typed in the New repository form and not yet created, for a day: the popup closes without asking. popup/new-repo-tab.tsx. */
export const NEW_REPO_DRAFT = { key: (profileId: string) => `newRepo.draft:${profileId}`, area: 'popup localStorage', secret: false } as const satisfies StoredKey;

/**
 * What was chosen or typed in the New pull request form and not yet created, for a day, one per
 * repository: starting another repository's does not overwrite it. `key(profileId, '')` starts all
 * of a profile's. popup/new-pr-tab.tsx.
 */
export const NEW_PR_DRAFT = {
  key: (profileId: string, repoId: string) => `newPr.draft:${profileId}:${repoId}`,
  area: 'popup localStorage',
  secret: false,
} as const satisfies StoredKey;

/**
 * What was chosen or typed in a work item's Start work form (repository, branch name, whether to
 * set it active) and not yet created, for a day, one per work item: its row closes when another
 * opens, and the popup whenever the focus leaves it. `key(profileId, '')` starts all of a
 * profile's. popup/work-items-tab.tsx.
 */
export const START_WORK_DRAFT = {
  key: (profileId: string, workItemId: number | '') => `startWork.draft:${profileId}:${workItemId}`,
  area: 'popup localStorage',
  secret: false,
} as const satisfies StoredKey;

// The Azure DevOps page's sessionStorage

/** The page's URL and scroll position across the reload the reviewer panel offers (for a minute). content/pull-request-reviewers.ts. */
export const REVIEWERS_SCROLL = { key: 'adoc-reviewers-scroll', area: 'page sessionStorage', secret: false } as const satisfies StoredKey;
