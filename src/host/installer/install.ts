/**
 * `install` and `uninstall`: puts a copy of the host (the single executable, or the bundle) and its
 * launcher in the companion's folder, and registers it with each browser (a manifest file; on
 * Windows also a registry value). The copy is what browsers start, so the file the user ran (a
 * download, or npx's temporary cache) may be moved or deleted afterwards.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { HOST_NAME } from '../../shared/host-protocol';
import type { CompanionDirs } from '../companion-dirs';
import { callersFile, readCallerRecord } from '../caller';
import { writeJsonFile } from '../json-file';
import { BROWSERS, isFirefox, manifestLocation, type Browser, type ManifestLocation } from './browser-locations';
import { CHROME_ID, GECKO_ID } from '../../shared/extension-ids';
import { extensionIds, hostManifest } from './host-manifest';
import { BUNDLE_NAME, executableName, launcherName, posixLauncher, windowsLauncher } from './launcher';
import { reg, regAddArgs, regDeleteArgs } from './windows-registry';

export interface Machine {
  platform: NodeJS.Platform;
  home: string;
  env: NodeJS.ProcessEnv;
  dirs: CompanionDirs;
  /** What runs this installer; the installed launcher runs a copy of the same. */
  program: CompanionProgram;
}

/**
 * A single executable (Node built in: `node` need not exist on the machine), or the host bundle
 * and the node that runs it (a checkout, or the npm package).
 */
export type CompanionProgram = { kind: 'executable'; path: string } | { kind: 'bundle'; node: string; path: string };

/** The npm package of the companion (scripts/build-companion.mjs); its bin has the same name. */
export const NPM_PACKAGE = 'ado-companion';

const quoted = (path: string) => (/[\s'"]/.test(path) ? `"${path}"` : path);

/** How the user runs this program again, for the fixes `doctor` suggests. */
export function programCommand(program: CompanionProgram): string {
  if (program.kind === 'executable') return quoted(program.path);
  if (/[\\/]node_modules[\\/]/.test(program.path)) return `npx ${NPM_PACKAGE}`;
  return `node ${quoted(program.path)}`;
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

/**
 * Chromium-family browsers installed as a Snap or a Flatpak (Linux): their sandbox starts no native
 * messaging host outside it, whatever manifest is written (keepassxreboot/keepassxc#12741,
 * andy-portmen/open-in#61, flathub/org.chromium.Chromium#2), so they are named, not installed for.
 */
const SANDBOXED = [
  ['Chromium from the Snap Store', 'snap/chromium'],
  ['Chromium (Flatpak)', '.var/app/org.chromium.Chromium'],
  ['Google Chrome (Flatpak)', '.var/app/com.google.Chrome'],
  ['Microsoft Edge (Flatpak)', '.var/app/com.microsoft.Edge'],
  ['Brave (Flatpak)', '.var/app/com.brave.Browser'],
] as const;

/** What to tell of the sandboxed browsers found on this machine, if any. */
export function sandboxedBrowsersNote(machine: Pick<Machine, 'platform' | 'home'>): string | undefined {
  if (machine.platform !== 'linux') return undefined;
  const found = SANDBOXED.filter(([, dir]) => existsSync(join(machine.home, dir))).map(([name]) => name);
  if (found.length === 0) return undefined;
  return `${found.join(', ')} cannot use the companion: ${found.length > 1 ? 'their' : 'its'} sandbox does not start programs outside it. Install the browser from your distribution's packages (.deb, .rpm) or from its maker's site instead.`;
}

/** The browsers to act on: those named, else those whose folders exist (all of them on Windows). */
export function chooseBrowsers(named: readonly Browser[], userDataDir: string | undefined, machine: Machine): Browser[] {
  if (named.length > 0) return [...new Set(named)];
  if (userDataDir !== undefined) throw new Error('with --user-data-dir, name the browser too (e.g. --browser chromium)');
  if (machine.platform === 'win32') return [...BROWSERS];
  const present = BROWSERS.filter((browser) => {
    const { browserDirs, manifestPath } = manifestLocation({ platform: machine.platform, browser, home: machine.home, env: machine.env, installDir: machine.dirs.install });
    const manifests = basename(dirname(manifestPath));
    return browserDirs.some((dir) => holdsOtherThan(dir, manifests));
  });
  if (present.length === 0) {
    const sandboxed = sandboxedBrowsersNote(machine);
    throw new Error(`no browser profile was found under ${machine.home}; name one with --browser (${BROWSERS.join(', ')})${sandboxed ? `. ${sandboxed}` : ''}`);
  }
  return present;
}

/** True when `dir` holds anything but `name` (the manifests folder an uninstall leaves behind). */
function holdsOtherThan(dir: string, name: string): boolean {
  try {
    return readdirSync(dir).some((entry) => entry !== name);
  } catch {
    return false;
  }
}

export interface InstallResult {
  launcher: string;
  /** The installed copy of the executable or the bundle. */
  program: string;
  manifests: ManifestLocation[];
  ids: { chrome: string[]; gecko: string[] };
}

export async function install(selection: Selection, extraIds: readonly string[], machine: Machine): Promise<InstallResult> {
  const locations = locationsFor(selection, machine);
  const record = readCallerRecord(machine.dirs.install);
  // Installed again (to update) without the --extension-id a store build was given the first time,
  // the manifest still lets that extension in; uninstall forgets the ids.
  const idsFor = (location: ManifestLocation) => extensionIds([...extraIds, ...(record[location.manifestPath] ?? []).filter((id) => CHROME_ID.test(id) || GECKO_ID.test(id))]);
  const allowed = new Map(locations.map((l) => [l, idsFor(l)]));
  const ids = extensionIds([...allowed.values()].flatMap((at) => [...at.chrome, ...at.gecko]));
  mkdirSync(machine.dirs.install, { recursive: true, mode: 0o755 });
  const { program, platform } = machine;
  const names = { executable: executableName(platform), bundle: BUNDLE_NAME };
  const installed = join(machine.dirs.install, names[program.kind]);
  copyInto(program.path, installed);
  // A copy of the other kind, left by an earlier install, would only mislead.
  rmSync(join(machine.dirs.install, names[program.kind === 'executable' ? 'bundle' : 'executable']), { force: true });
  const command = program.kind === 'executable' ? [installed] : [program.node, installed];
  const launcher = join(machine.dirs.install, launcherName(platform));
  const home = machine.env.ADO_COMPANION_HOME;
  writeFileSync(launcher, platform === 'win32' ? windowsLauncher(command, home) : posixLauncher(command, home));
  chmodSync(launcher, 0o755);
  // The host serves only the extensions its manifests allow; it reads them from this record.
  for (const [location, at] of allowed) record[location.manifestPath] = isFirefox(location.browser) ? at.gecko : at.chrome;
  writeJsonFile(callersFile(machine.dirs.install), record);
  for (const [location, at] of allowed) {
    mkdirSync(join(location.manifestPath, '..'), { recursive: true });
    writeFileSync(location.manifestPath, JSON.stringify(hostManifest(location.browser, launcher, at), null, 2) + '\n');
    if (location.registryKey) {
      const result = await reg(regAddArgs(location.registryKey, location.manifestPath));
      if (!result.ok) throw new Error(`reg.exe could not write ${location.registryKey}: ${result.output.trim()}`);
    }
  }
  return { launcher, program: installed, manifests: locations, ids };
}

/**
 * Copies `source` to `target` unless they are the same file. Through a temporary name and a
 * rename: writing over an executable that a browser is running fails on Linux (ETXTBSY), while
 * replacing its name works, and the running process keeps the old file.
 */
function copyInto(source: string, target: string): void {
  if (existsSync(target) && realpathSync(target) === realpathSync(source)) return;
  const temporary = `${target}.${process.pid}.tmp`;
  copyFileSync(source, temporary);
  chmodSync(temporary, 0o755);
  try {
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    // Windows keeps a running program's file locked.
    throw new Error(`could not replace ${target} (${(error as NodeJS.ErrnoException).code}); close the browsers that use the companion and run install again`, { cause: error });
  }
}

export interface UninstallResult {
  removed: string[];
}

/** Removes the manifests (only files naming this host) and, when no browser was named, the installed copy. */
export async function uninstall(selection: Selection, everything: boolean, machine: Machine): Promise<UninstallResult> {
  const removed: string[] = [];
  const locations = locationsFor(selection, machine);
  const record = readCallerRecord(machine.dirs.install);
  if (!everything && locations.some((l) => l.manifestPath in record)) {
    for (const location of locations) delete record[location.manifestPath];
    writeJsonFile(callersFile(machine.dirs.install), record);
  }
  for (const location of locations) {
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
    try {
      rmSync(machine.dirs.install, { recursive: true, force: true });
    } catch (error) {
      // Windows keeps a running program's file locked, this one's too when it is the installed copy.
      const done = removed.length > 0 ? `removed ${removed.join(', ')}, but ` : '';
      throw new Error(`${done}could not remove ${machine.dirs.install} (${(error as NodeJS.ErrnoException).code}); close the browsers that use the companion and run uninstall again (on Windows, from the downloaded program, not the installed copy)`, { cause: error });
    }
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
