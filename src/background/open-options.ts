import type { OptionsSection } from '../shared/messages';
import { inTurns } from './in-turn';

/** A tab, and the window it is in. */
export interface TabRef {
  tabId: number;
  windowId: number;
}

/** The parts of the browser opening Options needs (browser.runtime, browser.tabs, browser.windows). */
export interface OptionsTabs {
  /**
   * The tabs showing one of the extension's own pages, with its address (runtime.getContexts: the
   * `tabs` permission, which we do not ask for, would be needed to read other tabs' addresses).
   */
  ownPages(): Promise<(TabRef & { url: string })[]>;
  /** Whether a tab is still loading; false once loaded, or when it is gone. */
  loading(tabId: number): Promise<boolean>;
  create(url: string): Promise<TabRef | undefined>;
  /** Shows `url` in the tab and makes it its window's current tab. */
  show(tabId: number, url: string): Promise<unknown>;
  /** Tells the Options page it was shown at `url` (`ShownAgain`): one at that address already gets no hashchange. */
  tell(url: string): Promise<unknown>;
  focusWindow(windowId: number): Promise<unknown>;
}

/**
 * Opens Options at a section in the Options tab already open, moved to that section and brought
 * forward, or in a new tab when none is. Pages may ask for it without a click: however often they
 * do, one tab opens. One opening at a time, so the next finds the tab the last one made.
 */
export function optionsOpener(
  tabs: OptionsTabs,
  /** The Options page's address, without a section. */
  page: string,
  urlOf: (section: OptionsSection, profileId?: string) => string,
): (section: OptionsSection, profileId?: string) => Promise<void> {
  const isOptions = (url: string) => url === page || url.startsWith(`${page}#`);
  /** The tab the last opening made: until its page has loaded, the browser does not list it as ours. */
  let made: TabRef | undefined;
  async function open(section: OptionsSection, profileId: string | undefined): Promise<void> {
    const url = urlOf(section, profileId);
    // A browser that cannot list them still opens Options, in a new tab.
    const tab = (await tabs.ownPages().catch(() => [])).find((t) => isOptions(t.url)) ?? (made && (await tabs.loading(made.tabId)) ? made : undefined);
    if (!tab) {
      made = await tabs.create(url);
      return;
    }
    await tabs.show(tab.tabId, url);
    await tabs.focusWindow(tab.windowId);
    // Not waited for: an answer that never came would hold every later opening.
    void tabs.tell(url).catch(() => undefined);
  }
  const inTurn = inTurns();
  return (section, profileId) => inTurn(() => open(section, profileId));
}
