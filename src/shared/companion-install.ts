/**
 * What a user runs to install the companion on their system: the one source for the extension's
 * pages (Options, the in-page "needs the companion" panel) and README. Pure: the OS and the
 * architecture come from the caller (`runtime.getPlatformInfo()`), and so does the running
 * extension's id (`runtime.id`).
 *
 * The executables are release files with these names (no version in the name, so a link to the
 * latest release stays right); scripts/build-companion.mjs builds them under the same names.
 */

import { ADO_COMPANION_CHROME_ID, ADO_COMPANION_GECKO_ID, CHROME_ID, GECKO_ID } from './extension-ids';

export type CompanionOs = 'linux' | 'mac' | 'win';

/** The npm package of the companion; its command has the same name. */
export const COMPANION_NPM_PACKAGE = 'ado-companion';

/** Release file per system (`os-arch`, with getPlatformInfo's os names). */
export const COMPANION_DOWNLOADS = {
  'linux-x64': 'ado-companion-linux-x64',
  'mac-x64': 'ado-companion-macos-x64',
  'mac-arm64': 'ado-companion-macos-arm64',
  'win-x64': 'ado-companion-win-x64.exe',
} as const;

export interface InstallInstructions {
  /** The release file to download first into the Downloads folder; null when there is none for this system (then `commands` use npx). */
  download: string | null;
  /** Lines to type, in order, in a terminal opened in the home folder (where new terminals start). */
  commands: string[];
  /** What the commands do, in one sentence. */
  explanation: string;
  /** The same through npm, for users who have Node 20.19 or newer. */
  npx: string[];
}

/** getPlatformInfo's arch ('x86-64', 'arm64'; Firefox may say 'aarch64') or Node's ('x64'). */
function normalArch(arch: string): 'x64' | 'arm64' | 'other' {
  if (arch === 'x86-64' || arch === 'x64' || arch === 'amd64') return 'x64';
  if (arch === 'arm64' || arch === 'aarch64') return 'arm64';
  return 'other';
}

/** getPlatformInfo's os as one of ours: ChromeOS (Linux apps) and the rest run the Linux companion. */
export function companionOs(os: string): CompanionOs {
  return os === 'win' || os === 'mac' ? os : 'linux';
}

/**
 * ` --extension-id ID` when the running extension is not the development build: a store gives it
 * its own id, which the companion refuses unless `install` was told it.
 */
function extensionIdOption(extensionId: string | undefined): string {
  if (extensionId === undefined || extensionId === ADO_COMPANION_CHROME_ID || extensionId === ADO_COMPANION_GECKO_ID) return '';
  return CHROME_ID.test(extensionId) || GECKO_ID.test(extensionId) ? ` --extension-id ${extensionId}` : '';
}

export function installInstructions(os: CompanionOs, arch: string, extensionId?: string): InstallInstructions {
  const install = `install${extensionIdOption(extensionId)}`;
  const npx = [`npx ${COMPANION_NPM_PACKAGE} ${install}`];
  const cpu = normalArch(arch);
  // Windows 11 on Arm runs x64 programs, so the x64 executable serves both.
  const key = os === 'win' ? 'win-x64' : `${os}-${cpu}`;
  const download = (COMPANION_DOWNLOADS as Record<string, string>)[key] ?? null;
  if (download === null) {
    return {
      download: null,
      commands: npx,
      explanation: `There is no ready-made companion for this system, so npm (with Node 20.19 or newer) fetches it, copies it into your user folder and registers it with every browser it finds.`,
      npx,
    };
  }
  const commands = os === 'win' ? ['cd Downloads', `.\\${download} ${install}`] : ['cd ~/Downloads', `chmod +x ${download}`, `./${download} ${install}`];
  return {
    download,
    commands,
    explanation: 'The downloaded program copies itself into your user folder and registers there with every browser it finds (no administrator rights needed); the download can be deleted afterwards.',
    npx,
  };
}
