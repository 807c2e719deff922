import browser from 'webextension-polyfill';
import type { OptionsSection } from '../messages';

/** Opens a page of Azure DevOps (or any web page) in a new tab next to the current one. */
export function openTab(url: string): void {
  void browser.tabs.create({ url });
}

/** The options page's address, at a section when given (`…/index.html#companion`). */
export function optionsUrl(section?: OptionsSection): string {
  const page = browser.runtime.getManifest().options_ui?.page ?? 'src/options/index.html';
  return browser.runtime.getURL(section ? `${page}#${section}` : page);
}

/** Opens the options page, at a section when given. */
export function openOptions(section?: OptionsSection): void {
  if (!section) {
    void browser.runtime.openOptionsPage();
    return;
  }
  void browser.tabs.create({ url: optionsUrl(section) });
}
