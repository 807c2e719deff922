/** Where a person installs Git Credential Manager, for git without a credential helper (NO_CREDENTIAL_HELPER). */
export const GCM_INSTALL_URL = 'https://github.com/git-ecosystem/git-credential-manager/blob/release/docs/install.md';

/** Where a person gets git itself (a newer one, for GIT_TOO_OLD). */
export const GIT_DOWNLOAD_URL = 'https://git-scm.com/downloads';

/**
 * The oldest git the companion runs. It gives git every setting of a command (the token's header,
 * and the settings that keep a repository's own programs from running) as GIT_CONFIG_COUNT/KEY/VALUE
 * in the environment, which git reads from 2.31 on; an older git ignores them without a word.
 */
export const MIN_GIT_VERSION = [2, 31] as const;

/** Whether `version` (`2.39.5`, `2.45.0.windows.1`, `2.39.3 (Apple Git-145)`) is `minimum` or newer; an unreadable one is not. */
export function versionAtLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split(/[.-]/).map((p) => Number.parseInt(p, 10));
  for (const [i, min] of minimum.entries()) {
    const part = parts[i] ?? 0;
    if (Number.isNaN(part)) return false;
    if (part !== min) return part > min;
  }
  return true;
}

/** What `git --version` said (without `git version `), when the companion must not run that git. */
export const gitTooOld = (version: string | null | undefined): version is string => typeof version === 'string' && !versionAtLeast(version, MIN_GIT_VERSION);

/** What to do about a git older than MIN_GIT_VERSION: the last sentence of gitTooOldMessage. */
export const GIT_TOO_OLD_NEXT = `Install a newer git (${GIT_DOWNLOAD_URL}), then try again.`;

/** The companion's words for a git older than MIN_GIT_VERSION (GIT_TOO_OLD): what is wrong, then what to do. */
export function gitTooOldMessage(version: string): string {
  const minimum = MIN_GIT_VERSION.join('.');
  return `git ${version.slice(0, 60)} on this computer is too old for the companion: it needs git ${minimum} or newer to keep your token and a repository's own programs under its control. ${GIT_TOO_OLD_NEXT}`;
}
