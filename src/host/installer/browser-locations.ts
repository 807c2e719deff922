/**
 * Where each browser looks for native messaging host manifests, per OS, for the current user.
 * Pure: computed from the platform, the home folder and the environment, so every case is tested
 * on any machine.
 */
import { posix, win32 } from 'node:path';
import { HOST_NAME } from '../../shared/host-protocol';

export const BROWSERS = ['chrome', 'chromium', 'edge', 'brave', 'firefox'] as const;
export type Browser = (typeof BROWSERS)[number];

export const isFirefox = (browser: Browser) => browser === 'firefox';

const MAC_DIRS: Record<Browser, string> = {
  chrome: 'Google/Chrome',
  chromium: 'Chromium',
  edge: 'Microsoft Edge',
  brave: 'BraveSoftware/Brave-Browser',
  firefox: 'Mozilla',
};
const LINUX_DIRS: Record<Exclude<Browser, 'firefox'>, string> = {
  chrome: 'google-chrome',
  chromium: 'chromium',
  edge: 'microsoft-edge',
  brave: 'BraveSoftware/Brave-Browser',
};
const WINDOWS_KEYS: Record<Browser, string> = {
  chrome: 'Software\\Google\\Chrome',
  chromium: 'Software\\Chromium',
  edge: 'Software\\Microsoft\\Edge',
  brave: 'Software\\BraveSoftware\\Brave-Browser',
  firefox: 'Software\\Mozilla',
};

export interface ManifestLocation {
  browser: Browser;
  /** The manifest file to write. */
  manifestPath: string;
  /**
   * The browser's own folders: one holding anything besides the manifests folder (which install
   * makes and uninstall leaves) means the browser is (or was) used here.
   */
  browserDirs: string[];
  /** Windows: the HKCU key whose default value is `manifestPath`. */
  registryKey?: string;
}

export interface LocationInput {
  platform: NodeJS.Platform;
  browser: Browser;
  home: string;
  env: NodeJS.ProcessEnv;
  /** Windows keeps the manifest files with the companion; the registry points at them. */
  installDir: string;
  /** A custom Chromium-family profile (`--user-data-dir`). */
  userDataDir?: string;
}

const manifestName = `${HOST_NAME}.json`;

export function manifestLocation(input: LocationInput): ManifestLocation {
  const { platform, browser, home, env, installDir, userDataDir } = input;
  if (userDataDir !== undefined) {
    if (isFirefox(browser)) throw new Error('--user-data-dir is for Chromium-based browsers; Firefox reads only its per-user folder');
    if (platform === 'win32') throw new Error('--user-data-dir is not supported on Windows: browsers there read the registry only');
    return { browser, manifestPath: posix.join(userDataDir, 'NativeMessagingHosts', manifestName), browserDirs: [userDataDir] };
  }
  if (platform === 'win32') {
    return {
      browser,
      manifestPath: win32.join(installDir, 'manifests', browser, manifestName),
      registryKey: `HKCU\\${WINDOWS_KEYS[browser]}\\NativeMessagingHosts\\${HOST_NAME}`,
      browserDirs: [],
    };
  }
  if (platform === 'darwin') {
    const support = posix.join(home, 'Library', 'Application Support');
    const browserDir = posix.join(support, MAC_DIRS[browser]);
    // Firefox keeps its profiles in …/Firefox; …/Mozilla may hold nothing but manifests.
    const browserDirs = isFirefox(browser) ? [browserDir, posix.join(support, 'Firefox')] : [browserDir];
    return { browser, manifestPath: posix.join(browserDir, 'NativeMessagingHosts', manifestName), browserDirs };
  }
  const config = env.XDG_CONFIG_HOME || posix.join(home, '.config');
  if (isFirefox(browser)) {
    const mozilla = posix.join(home, '.mozilla');
    // Ubuntu's snap Firefox and Firefox 147+'s new profiles (XDG) live elsewhere, but every Firefox
    // still reads manifests from ~/.mozilla/native-messaging-hosts only.
    const browserDirs = [mozilla, posix.join(home, 'snap', 'firefox', 'common', '.mozilla'), posix.join(config, 'mozilla')];
    return { browser, manifestPath: posix.join(mozilla, 'native-messaging-hosts', manifestName), browserDirs };
  }
  const browserDir = posix.join(config, LINUX_DIRS[browser]);
  return { browser, manifestPath: posix.join(browserDir, 'NativeMessagingHosts', manifestName), browserDirs: [browserDir] };
}

/** Windows registry keys are the browsers' own (HKCU\Software\...); used to tell whether a browser is present. */
export const windowsBrowserKey = (browser: Browser) => `HKCU\\${WINDOWS_KEYS[browser]}`;
