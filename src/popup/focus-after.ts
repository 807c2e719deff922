/**
 * A Try again that goes away with its note while the list is asked again: after `retry`, the
 * focus waits on `home` (the tab, the search field), one Tab from what comes back, instead of
 * falling to the page.
 */
export const focusAfter = (retry: () => void, home: string) => () => {
  retry();
  document.getElementById(home)?.focus();
};
