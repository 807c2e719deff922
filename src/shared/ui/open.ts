import browser from 'webextension-polyfill';

/** Opens a page of Azure DevOps (or any web page) in a new tab next to the current one. */
export function openTab(url: string): void {
  void browser.tabs.create({ url });
}

/** Opens the options page, at a section when given (`#companion`). */
export function openOptions(section?: string): void {
  if (!section) {
    void browser.runtime.openOptionsPage();
    return;
  }
  void browser.tabs.create({ url: browser.runtime.getURL(`src/options/index.html#${section}`) });
}
