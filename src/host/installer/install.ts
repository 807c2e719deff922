/**
 * `install` and `uninstall`: puts a copy of the host and its launcher in the companion's folder,
 * and registers it with each browser (a manifest file; on Windows also a registry value).
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_NAME } from '../../shared/host-protocol';
import type { CompanionDirs } from '../companion-dirs';
import { BROWSERS, manifestLocation, type Browser, type ManifestLocation } from './browser-locations';
import { extensionIds, hostManifest } from './host-manifest';
import { BUNDLE_NAME, launcherName, posixLauncher, windowsLauncher } from './launcher';
import { reg, regAddArgs, regDeleteArgs } from './windows-registry';

export interface Machine {
  platform: NodeJS.Platform;
  home: string;
  env: NodeJS.ProcessEnv;
  dirs: CompanionDirs;
  /** The node that runs the installer: the launcher starts the host with it. */
  execPath: string;
  /** The built host (this very file, when run from dist/host). */
  bundlePath: string;
}

export interface Selection {
  browsers: Browser[];
  userDataDir?: string;
}

export function locationsFor(selection: Selection, machine: Machine): ManifestLocation[] {
  return selection.browsers.map((browser) =>
    manifestLocation({ platform: machine.platform, browser, home: machine.home, env: machine.env, installDir: machine.dirs.install, userDataDir: selection.userDataDir }),
  );
}

/** The browsers to act on: those named, else those whose folders exist (all of them on Windows). */
export function chooseBrowsers(named: readonly Browser[], userDataDir: string | undefined, machine: Machine): Browser[] {
  if (named.length > 0) return [...new Set(named)];
  if (userDataDir !== undefined) throw new Error('with --user-data-dir, name the browser too (e.g. --browser chromium)');
  if (machine.platform === 'win32') return [...BROWSERS];
  const present = BROWSERS.filter((browser) => {
    const { browserDir } = manifestLocation({ platform: machine.platform, browser, home: machine.home, env: machine.env, installDir: machine.dirs.install });
    return browserDir !== undefined && existsSync(browserDir);
  });
  if (present.length === 0) throw new Error(`no browser profile was found under ${machine.home}; name one with --browser (${BROWSERS.join(', ')})`);
  return present;
}

export interface InstallResult {
  launcher: string;
  bundle: string;
  manifests: ManifestLocation[];
  ids: { chrome: string[]; gecko: string[] };
}

export async function install(selection: Selection, extraIds: readonly string[], machine: Machine): Promise<InstallResult> {
  const ids = extensionIds(extraIds);
  const locations = locationsFor(selection, machine);
  mkdirSync(machine.dirs.install, { recursive: true, mode: 0o755 });
  const bundle = join(machine.dirs.install, BUNDLE_NAME);
  if (!existsSync(bundle) || realpathSync(bundle) !== realpathSync(machine.bundlePath)) copyFileSync(machine.bundlePath, bundle);
  const launcher = join(machine.dirs.install, launcherName(machine.platform));
  const home = machine.env.ADO_COMPANION_HOME;
  writeFileSync(launcher, machine.platform === 'win32' ? windowsLauncher(machine.execPath, bundle, home) : posixLauncher(machine.execPath, bundle, home));
  chmodSync(launcher, 0o755);
  for (const location of locations) {
    mkdirSync(join(location.manifestPath, '..'), { recursive: true });
    writeFileSync(location.manifestPath, JSON.stringify(hostManifest(location.browser, launcher, ids), null, 2) + '\n');
    if (location.registryKey) {
      const result = await reg(regAddArgs(location.registryKey, location.manifestPath));
      if (!result.ok) throw new Error(`reg.exe could not write ${location.registryKey}: ${result.output.trim()}`);
    }
  }
  return { launcher, bundle, manifests: locations, ids };
}

export interface UninstallResult {
  removed: string[];
}

/** Removes the manifests (only files naming this host) and, when no browser was named, the installed copy. */
export async function uninstall(selection: Selection, everything: boolean, machine: Machine): Promise<UninstallResult> {
  const removed: string[] = [];
  for (const location of locationsFor(selection, machine)) {
    if (existsSync(location.manifestPath) && namesThisHost(location.manifestPath)) {
      unlinkSync(location.manifestPath);
      removed.push(location.manifestPath);
    }
    if (location.registryKey) {
      const result = await reg(regDeleteArgs(location.registryKey));
      if (result.ok) removed.push(location.registryKey);
    }
  }
  if (everything && existsSync(machine.dirs.install)) {
    rmSync(machine.dirs.install, { recursive: true, force: true });
    removed.push(machine.dirs.install);
  }
  return { removed };
}

function namesThisHost(manifestPath: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: unknown }).name === HOST_NAME;
  } catch {
    return false;
  }
}
