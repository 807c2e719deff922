/**
 * What a folder name may not be, as the companion checks it (src/host/destination.ts
 * folderSegments, which refuses) and as a clone's folder is named (src/shared/profile.ts
 * clonePathSegments, which renames): one set of rules, so every name made is one taken.
 */

// oxlint-disable-next-line no-control-regex -- control characters are exactly what is refused
export const FOLDER_BAD_CHAR = /[\u0000-\u001f<>:"|?*\\]/;

/**
 * A device name Windows opens instead of a folder, with any extension (spaces before it too); the
 * match is the device name alone. Superscript digits count: Windows reserves COM¹-COM³ and LPT¹-LPT³.
 */
export const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(?= *(\..*)?$)/i;

/** The `~` of an 8.3 short name (GIT~1, SSH~1, LONGNA~1.TXT), which reaches the long name it stands for, hidden ones too. */
export const SHORT_NAME_TILDE = /~(?=\d+(\.|$))/;
