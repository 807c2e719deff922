import { describe, expect, it } from 'vitest';
import { optionsOpener, type OptionsTabs, type TabRef } from '../../src/background/open-options';

const PAGE = 'chrome-extension://id/src/options/index.html';

/** Tabs as a browser keeps them: a new tab's page is listed as the extension's own only once it has loaded. */
function browserTabs() {
  const tabs = new Map<number, { windowId: number; url: string; loaded: boolean; active: boolean }>();
  const focused: number[] = [];
  const told: string[] = [];
  let nextId = 1;
  const api: OptionsTabs = {
    ownPages: async () => [...tabs].filter(([, t]) => t.loaded && t.url.startsWith('chrome-extension://id/')).map(([tabId, t]) => ({ tabId, windowId: t.windowId, url: t.url })),
    loading: async (tabId) => tabs.get(tabId)?.loaded === false,
    create: async (url): Promise<TabRef> => {
      const tabId = nextId++;
      tabs.set(tabId, { windowId: 1, url, loaded: false, active: true });
      return { tabId, windowId: 1 };
    },
    show: async (tabId, url) => tabs.set(tabId, { ...tabs.get(tabId)!, url, active: true }),
    focusWindow: async (windowId) => focused.push(windowId),
    tell: async (url) => told.push(url),
  };
  const load = () => tabs.forEach((t) => (t.loaded = true));
  return { api, tabs, focused, told, load };
}

const urlOf = (section: string, profileId?: string) => `${PAGE}#${section}${profileId ? `/${profileId}` : ''}`;

describe('opening Options', () => {
  it('opens one tab however often it is asked, at once or later, and moves it to the section asked last', async () => {
    const browser = browserTabs();
    const open = optionsOpener(browser.api, PAGE, urlOf);
    // All at once: the first tab is still loading when the others are asked.
    await Promise.all(Array.from({ length: 20 }, () => open('companion')));
    expect([...browser.tabs.values()].map((t) => t.url)).toEqual([`${PAGE}#companion`]);
    browser.load();
    await open('profiles', 'p1');
    expect([...browser.tabs.values()].map((t) => t.url)).toEqual([`${PAGE}#profiles/p1`]);
    expect(browser.focused).toContain(1);
    // Asked again at the address it is at: no hashchange tells the page, so the worker does.
    await open('profiles', 'p1');
    expect([...browser.tabs.values()].map((t) => t.url)).toEqual([`${PAGE}#profiles/p1`]);
    expect(browser.told.slice(-2)).toEqual([`${PAGE}#profiles/p1`, `${PAGE}#profiles/p1`]);
  });

  it('opens a new tab once the Options tab is closed, and never takes over another tab', async () => {
    const browser = browserTabs();
    const open = optionsOpener(browser.api, PAGE, urlOf);
    await open('companion');
    browser.load();
    browser.tabs.clear();
    // Another page of ours (the popup opened in a tab) is not Options.
    browser.tabs.set(50, { windowId: 2, url: 'chrome-extension://id/src/popup/index.html', loaded: true, active: false });
    await open('editor');
    expect([...browser.tabs.values()].map((t) => t.url)).toEqual(['chrome-extension://id/src/popup/index.html', `${PAGE}#editor`]);
  });
});

describe('opening Options where the browser cannot list its pages', () => {
  it('opens it in a new tab', async () => {
    const browser = browserTabs();
    const open = optionsOpener({ ...browser.api, ownPages: () => Promise.reject(new Error('runtime.getContexts is not a function')) }, PAGE, urlOf);
    await open('companion');
    expect([...browser.tabs.values()].map((t) => t.url)).toEqual([`${PAGE}#companion`]);
  });
});
