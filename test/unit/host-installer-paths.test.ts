import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADO_COMPANION_CHROME_ID, ADO_COMPANION_GECKO_ID } from '../../src/shared/extension-ids';
import { HOST_NAME } from '../../src/shared/host-protocol';
import { companionDirs } from '../../src/host/companion-dirs';
import { BROWSERS, manifestLocation, type Browser } from '../../src/host/installer/browser-locations';
import { extensionIds, hostManifest } from '../../src/host/installer/host-manifest';
import { chooseBrowsers, type Machine } from '../../src/host/installer/install';
import { posixLauncher, windowsLauncher } from '../../src/host/installer/launcher';
import { parseRegDefault, regAddArgs, regDeleteArgs, regQueryArgs } from '../../src/host/installer/windows-registry';
import { versionAtLeast } from '../../src/shared/git-help';

const file = `${HOST_NAME}.json`;
const at = (platform: NodeJS.Platform, browser: Browser, env: NodeJS.ProcessEnv = {}, userDataDir?: string) =>
  manifestLocation({ platform, browser, home: platform === 'win32' ? 'C:\\Users\\ann' : platform === 'darwin' ? '/Users/ann' : '/home/ann', env, installDir: 'C:\\Users\\ann\\AppData\\Local\\ado-companion\\host', userDataDir });

describe('manifest locations', () => {
  it.each([
    ['chrome', `/home/ann/.config/google-chrome/NativeMessagingHosts/${file}`],
    ['chromium', `/home/ann/.config/chromium/NativeMessagingHosts/${file}`],
    ['edge', `/home/ann/.config/microsoft-edge/NativeMessagingHosts/${file}`],
    ['brave', `/home/ann/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts/${file}`],
    ['firefox', `/home/ann/.mozilla/native-messaging-hosts/${file}`],
  ] as const)('linux %s', (browser, path) => {
    expect(at('linux', browser).manifestPath).toBe(path);
    expect(at('linux', browser).registryKey).toBeUndefined();
  });

  it('linux follows XDG_CONFIG_HOME for Chromium browsers, not Firefox', () => {
    expect(at('linux', 'chrome', { XDG_CONFIG_HOME: '/x/cfg' }).manifestPath).toBe(`/x/cfg/google-chrome/NativeMessagingHosts/${file}`);
    expect(at('linux', 'firefox', { XDG_CONFIG_HOME: '/x/cfg' }).manifestPath).toBe(`/home/ann/.mozilla/native-messaging-hosts/${file}`);
  });

  it.each([
    ['chrome', 'Google/Chrome'],
    ['chromium', 'Chromium'],
    ['edge', 'Microsoft Edge'],
    ['brave', 'BraveSoftware/Brave-Browser'],
    ['firefox', 'Mozilla'],
  ] as const)('macOS %s', (browser, dir) => {
    expect(at('darwin', browser).manifestPath).toBe(`/Users/ann/Library/Application Support/${dir}/NativeMessagingHosts/${file}`);
  });

  it.each([
    ['chrome', 'Software\\Google\\Chrome'],
    ['chromium', 'Software\\Chromium'],
    ['edge', 'Software\\Microsoft\\Edge'],
    ['brave', 'Software\\BraveSoftware\\Brave-Browser'],
    ['firefox', 'Software\\Mozilla'],
  ] as const)('Windows %s: registry key and manifest file', (browser, key) => {
    const location = at('win32', browser);
    expect(location.registryKey).toBe(`HKCU\\${key}\\NativeMessagingHosts\\${HOST_NAME}`);
    expect(location.manifestPath).toBe(`C:\\Users\\ann\\AppData\\Local\\ado-companion\\host\\manifests\\${browser}\\${file}`);
  });

  it('a custom Chromium profile gets {dir}/NativeMessagingHosts/{name}.json', () => {
    expect(at('linux', 'chromium', {}, '/tmp/profile').manifestPath).toBe(`/tmp/profile/NativeMessagingHosts/${file}`);
    expect(at('darwin', 'chrome', {}, '/tmp/p').manifestPath).toBe(`/tmp/p/NativeMessagingHosts/${file}`);
    expect(() => at('linux', 'firefox', {}, '/tmp/p')).toThrow(/Chromium-based/);
    expect(() => at('win32', 'chrome', {}, 'C:\\p')).toThrow(/Windows/);
  });

  it('covers every browser on every OS', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const paths = BROWSERS.map((b) => at(platform, b).manifestPath);
      expect(new Set(paths).size).toBe(BROWSERS.length);
    }
  });
});

describe('which browsers install finds in HOME', () => {
  let home = '';
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const found = (platform: NodeJS.Platform = 'linux', env: NodeJS.ProcessEnv = {}) => {
    const machine: Machine = { platform, home, env, dirs: companionDirs(platform, env, home), program: { kind: 'executable', path: '/x/ado-companion' } };
    try {
      return chooseBrowsers([], undefined, machine);
    } catch (error) {
      return (error as Error).message;
    }
  };
  const touch = (...path: string[]) => {
    mkdirSync(join(home, ...path.slice(0, -1)), { recursive: true });
    writeFileSync(join(home, ...path), '');
  };

  it('Firefox by ~/.mozilla, Ubuntu’s snap folder or the XDG folder of Firefox 147+', () => {
    home = mkdtempSync(join(tmpdir(), 'adoc-home-'));
    expect(found()).toMatch(/^no browser profile was found/);
    touch('snap', 'firefox', 'common', '.mozilla', 'firefox', 'profiles.ini');
    expect(found()).toEqual(['firefox']);
    rmSync(join(home, 'snap'), { recursive: true });
    touch('.config', 'mozilla', 'firefox', 'profiles.ini');
    expect(found()).toEqual(['firefox']);
    expect(found('linux', { XDG_CONFIG_HOME: join(home, 'elsewhere') })).toMatch(/^no browser profile was found/);
    rmSync(join(home, '.config'), { recursive: true });
    touch('.mozilla', 'firefox', 'profiles.ini');
    expect(found()).toEqual(['firefox']);
  });

  it('the manifests folder an uninstall leaves is not a browser', () => {
    home = mkdtempSync(join(tmpdir(), 'adoc-home-'));
    mkdirSync(join(home, '.mozilla', 'native-messaging-hosts'), { recursive: true });
    mkdirSync(join(home, '.config', 'chromium', 'NativeMessagingHosts'), { recursive: true });
    mkdirSync(join(home, 'Library', 'Application Support', 'Mozilla', 'NativeMessagingHosts'), { recursive: true });
    expect(found()).toMatch(/^no browser profile was found/);
    expect(found('darwin')).toMatch(/^no browser profile was found/);
    touch('.config', 'chromium', 'Local State');
    expect(found()).toEqual(['chromium']);
    touch('Library', 'Application Support', 'Firefox', 'profiles.ini');
    expect(found('darwin')).toEqual(['firefox']);
  });
});

describe('companion folders', () => {
  it('uses ADO_COMPANION_HOME for everything when set', () => {
    expect(companionDirs('linux', { ADO_COMPANION_HOME: '/t/h' }, '/home/ann')).toEqual({ config: '/t/h', state: '/t/h/state', logs: '/t/h/logs', install: '/t/h/host' });
  });
  it('follows each OS convention', () => {
    expect(companionDirs('linux', {}, '/home/ann')).toEqual({
      config: '/home/ann/.config/ado-companion',
      state: '/home/ann/.local/state/ado-companion',
      logs: '/home/ann/.local/state/ado-companion/logs',
      install: '/home/ann/.local/share/ado-companion/host',
    });
    expect(companionDirs('darwin', {}, '/Users/ann').logs).toBe('/Users/ann/Library/Logs/ado-companion');
    expect(companionDirs('win32', { APPDATA: 'C:\\R', LOCALAPPDATA: 'C:\\L' }, 'C:\\Users\\ann')).toEqual({
      config: 'C:\\R\\ado-companion',
      state: 'C:\\L\\ado-companion\\state',
      logs: 'C:\\L\\ado-companion\\logs',
      install: 'C:\\L\\ado-companion\\host',
    });
  });
});

describe('host manifest', () => {
  it('allows the built-in ids plus the given ones, per browser family', () => {
    const ids = extensionIds(['abcdefghijklmnopabcdefghijklmnop', 'test@example.org', '{12345678-1234-1234-1234-123456789abc}']);
    const chrome = hostManifest('chromium', '/x/launcher.sh', ids);
    expect(chrome).toEqual({
      name: HOST_NAME,
      description: expect.any(String),
      path: '/x/launcher.sh',
      type: 'stdio',
      allowed_origins: [`chrome-extension://${ADO_COMPANION_CHROME_ID}/`, 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/'],
    });
    expect(hostManifest('firefox', '/x/l', ids).allowed_extensions).toEqual([ADO_COMPANION_GECKO_ID, 'test@example.org', '{12345678-1234-1234-1234-123456789abc}']);
    expect(hostManifest('firefox', '/x/l', ids).allowed_origins).toBeUndefined();
  });
  it('refuses ids of neither form', () => {
    expect(() => extensionIds(['chrome-extension://abc/'])).toThrow(/neither/);
    expect(() => extensionIds(['ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP'])).toThrow(/neither/);
  });
  it('the host name follows Chrome’s rule', () => {
    expect(HOST_NAME).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/);
  });
});

describe('launchers', () => {
  it('POSIX: absolute node and bundle, quoted, arguments passed on', () => {
    expect(posixLauncher(["/opt/node's/bin/node", '/a b/host.mjs'])).toBe(`#!/bin/sh\n# Azure DevOps Companion: started by the browser for native messaging.\nexec '/opt/node'\\''s/bin/node' '/a b/host.mjs' "$@"\n`);
    expect(posixLauncher(['/n', '/h'], '/tmp/home')).toContain("ADO_COMPANION_HOME='/tmp/home'\nexport ADO_COMPANION_HOME\n");
  });
  it('Windows: CRLF, %% for percent signs, %* for arguments', () => {
    const text = windowsLauncher(['C:\\Program Files\\nodejs\\node.exe', 'C:\\Users\\a%b\\host.mjs']);
    expect(text).toBe('@echo off\r\nrem Azure DevOps Companion: started by the browser for native messaging.\r\n"C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\a%%b\\host.mjs" %*\r\n');
  });
  it('a single executable companion is started directly: no node in the command', () => {
    expect(posixLauncher(['/home/a b/.local/share/ado-companion/host/ado-companion'])).toContain(`\nexec '/home/a b/.local/share/ado-companion/host/ado-companion' "$@"\n`);
    expect(windowsLauncher(['C:\\Users\\a\\ado-companion.exe'])).toContain('\r\n"C:\\Users\\a\\ado-companion.exe" %*\r\n');
  });
});

describe('registry commands', () => {
  it('builds reg.exe argument vectors', () => {
    expect(regAddArgs('HKCU\\Software\\X', 'C:\\m.json')).toEqual(['add', 'HKCU\\Software\\X', '/ve', '/t', 'REG_SZ', '/d', 'C:\\m.json', '/f']);
    expect(regDeleteArgs('HKCU\\K')).toEqual(['delete', 'HKCU\\K', '/f']);
    expect(regQueryArgs('HKCU\\K')).toEqual(['query', 'HKCU\\K', '/ve']);
  });
  it('reads the default value from reg query output', () => {
    const output = '\r\nHKEY_CURRENT_USER\\Software\\Google\\Chrome\\NativeMessagingHosts\\x\r\n    (Default)    REG_SZ    C:\\Users\\a b\\m.json\r\n\r\n';
    expect(parseRegDefault(output)).toBe('C:\\Users\\a b\\m.json');
    expect(parseRegDefault('ERROR: not found')).toBeUndefined();
  });
});

describe('version comparison', () => {
  it.each([
    ['20.19.0', [20, 19], true],
    ['20.20.2', [20, 19], true],
    ['20.18.9', [20, 19], false],
    ['22.1.0', [20, 19], true],
    ['2.39.5', [2, 31], true],
    ['2.30.1.windows.1', [2, 31], false],
    ['2.45.0.windows.1', [2, 31], true],
  ])('%s >= %j is %s', (version, min, expected) => {
    expect(versionAtLeast(version, min)).toBe(expected);
  });
});
