import browser from 'webextension-polyfill';
import * as z from 'zod';
import { createCompanion } from './companion';
import { createGateway } from './gateway';
import { withCachedListsIn } from './cached-lists';
import { listStore } from '../shared/list-cache';
import { PROFILES } from '../shared/storage-keys';
import { extensionPath, syncOnPremContentScripts, type ScriptingApi } from './onprem-scripts';
import { createProfileStore, type KeyValue } from './profile-store';
import { secretStore } from './secret-store';
import { workerStore } from './worker-store';
import { oauthConfig } from './settings';
import { optionsUrl, type ShownAgain } from '../shared/ui/open';
import { optionsOpener } from './open-options';
import { unlessHostAccessTaken } from './errors';
import { grantedPattern } from '../shared/profile';

/** The injected features' own code, loaded on first use (src/content/lazy.ts); vite.config.ts builds it. */
const FEATURES_SCRIPT = 'src/content/panels.js';

// zod's JIT path uses `new Function`, which extension CSPs refuse.
z.config({ jitless: true });

const kv = (area: browser.Storage.StorageArea): KeyValue => ({
  get: (keys) => area.get(keys),
  set: (items) => area.set(items),
  remove: (keys) => area.remove(keys),
});

// Everything the worker keeps is in its IndexedDB, which no content script can open (worker-store.ts).
const secrets = secretStore();
const local = workerStore(browser.storage.local, secrets, (keys) => {
  if (keys.includes(PROFILES.key)) void syncOnPrem();
});
// storage.session keeps half-finished sign-ins across worker restarts but never on disk.
const session = browser.storage.session ? kv(browser.storage.session) : local;
const store = createProfileStore(local, secrets);
// Cached lists live in IndexedDB, where the popup reads them too.
const withLists = withCachedListsIn(listStore(), local);

const hostAccess = async (origin: string) => (await grantedPattern(origin, (pattern) => browser.permissions.contains({ origins: [pattern] }))) !== undefined;

const gateway = createGateway({
  extensionId: browser.runtime.id,
  extensionOrigin: browser.runtime.getURL(''),
  version: browser.runtime.getManifest().version,
  local: withLists,
  session,
  store,
  // A server whose site access the person took back answers nothing: say so instead of a network failure.
  fetch: (input, init) =>
    fetch(input, init).catch(async (e: unknown) => {
      throw await unlessHostAccessTaken(e, input instanceof Request ? input.url : String(input), hostAccess);
    }),
  now: Date.now,
  newId: () => crypto.randomUUID(),
  oauthConfig: () => oauthConfig(local),
  openOptions: optionsOpener(
    {
      ownPages: async () =>
        (await browser.runtime.getContexts({ contextTypes: ['TAB'] })).flatMap((c) =>
          c.tabId >= 0 && c.documentUrl ? [{ tabId: c.tabId, windowId: c.windowId, url: c.documentUrl }] : [],
        ),
      loading: (tabId) => browser.tabs.get(tabId).then((t) => t.status === 'loading', () => false),
      create: async (url) => {
        const tab = await browser.tabs.create({ url });
        return tab.id === undefined ? undefined : { tabId: tab.id, windowId: tab.windowId ?? browser.windows.WINDOW_ID_CURRENT };
      },
      show: (tabId, url) => browser.tabs.update(tabId, { url, active: true }),
      focusWindow: (windowId) => browser.windows.update(windowId, { focused: true }),
      tell: (url) => browser.runtime.sendMessage({ type: 'options.shown', url } satisfies ShownAgain),
    },
    optionsUrl(),
    optionsUrl,
  ),
  tabMessage: (tabId, frameId, message) => browser.tabs.sendMessage(tabId, message, { frameId }),
  hostAccess,
  injectFeatures: async (tabId, frameId) => void (await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [FEATURES_SCRIPT] })),
  companion: createCompanion({
    connect: (name) => browser.runtime.connectNative(name),
    lastError: () => chrome.runtime.lastError?.message,
    extensionVersion: browser.runtime.getManifest().version,
  }),
  oauth: {
    launchWebAuthFlow: (details) => browser.identity.launchWebAuthFlow(details),
    redirectUrl: browser.identity.getRedirectURL(),
  },
});

// Content scripts for the Azure DevOps Server hosts the user granted, kept in step with profiles.
const syncOnPrem = async () =>
  syncOnPremContentScripts(await store.list(), {
    scripting: browser.scripting as unknown as ScriptingApi | undefined,
    hasPermission: (origins) => browser.permissions.contains({ origins }),
    contentScript: extensionPath(browser.runtime.getManifest().content_scripts?.[0]?.js?.[0] ?? 'src/content/index.js', browser.runtime.getURL('')),
  }).catch((e: unknown) => console.warn('Could not register content scripts for Azure DevOps Server hosts:', e));
// A new user is led through the first steps: connect, the companion, a first clone.
browser.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === 'install') void browser.tabs.create({ url: optionsUrl('welcome') });
});
browser.permissions.onAdded.addListener(() => void syncOnPrem());
browser.permissions.onRemoved.addListener(() => void syncOnPrem());
void syncOnPrem();

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => gateway.handleMessage(message, sender));
browser.runtime.onConnect.addListener((port) => {
  if (port.name === 'task') gateway.handlePort(port);
});
