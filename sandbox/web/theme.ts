/**
 * The user's theme. Azure DevOps keeps it as a user setting and draws the page with
 * `<body class="ms-vss-web-vsts-theme[-dark]" data-theme="ms.vss-web.vsts-theme[-dark]">`;
 * the sandbox keeps it in a cookie (set by `/_sandbox/theme?mode=`). `auto` follows the
 * browser's `prefers-color-scheme`, switching while the page lives.
 */
export type ThemePref = 'light' | 'dark' | 'auto';

export const THEME_COOKIE = 'sandbox-theme';
export const THEME_PREFS: readonly ThemePref[] = ['light', 'dark', 'auto'];

export function isThemePref(v: string | undefined | null): v is ThemePref {
  return !!v && (THEME_PREFS as readonly string[]).includes(v);
}

export interface ThemeMarkup {
  bodyClass: string;
  themeId: string;
}

export const LIGHT: ThemeMarkup = { bodyClass: 'ms-vss-web-vsts-theme', themeId: 'ms.vss-web.vsts-theme' };
export const DARK: ThemeMarkup = { bodyClass: 'ms-vss-web-vsts-theme-dark', themeId: 'ms.vss-web.vsts-theme-dark' };

/** What the server writes; for `auto` the page script corrects it before first paint. */
export function themeMarkup(pref: ThemePref): ThemeMarkup {
  return pref === 'dark' ? DARK : LIGHT;
}

/** The id the page's data providers report (`auto` is the sandbox's own, plausible name). */
export function requestedThemeId(pref: ThemePref): string {
  return pref === 'auto' ? 'ms.vss-web.vsts-theme-auto' : themeMarkup(pref).themeId;
}
