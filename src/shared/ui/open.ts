import browser from 'webextension-polyfill';
import { ask } from '../ask';
import type { OptionsSection } from '../messages';

/** Opens a page of Azure DevOps (or any web page) in a new tab next to the current one. */
export function openTab(url: string): void {
  void browser.tabs.create({ url });
}

/** Where in Options: a section (`#companion`), or one profile's editor (`#profiles/ID`, where its token is replaced). */
export const optionsHash = (section: OptionsSection, profileId?: string) => (section === 'profiles' && profileId ? `profiles/${encodeURIComponent(profileId)}` : section);

/** The options page's address, at a section when given (`…/index.html#companion`). */
export function optionsUrl(section?: OptionsSection, profileId?: string): string {
  const page = browser.runtime.getManifest().options_ui?.page ?? 'src/options/index.html';
  return browser.runtime.getURL(section ? `${page}#${optionsHash(section, profileId)}` : page);
}

/**
 * Opens the options page, at a section (or a profile's editor) when given: the worker moves the
 * Options tab already open there (src/background/open-options.ts), as it does for pages, so the
 * popup's links do not add a tab each. A worker that cannot be asked still gets Options opened.
 */
export function openOptions(section?: OptionsSection, profileId?: string): void {
  if (!section) {
    void browser.runtime.openOptionsPage();
    return;
  }
  void ask({ type: 'options.open', section, ...(profileId && { profileId }) }).catch(() => browser.tabs.create({ url: optionsUrl(section, profileId) }));
}

/**
 * What the worker tells the Options page after showing it at `url`: a page already there gets no
 * hashchange, and a second "Update the token" must still bring its field back.
 */
export interface ShownAgain {
  type: 'options.shown';
  url: string;
}
export const isShownAgain = (m: unknown): m is ShownAgain => (m as ShownAgain | null)?.type === 'options.shown' && typeof (m as ShownAgain).url === 'string';
