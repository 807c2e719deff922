/**
 * Where a clone may land: a folder below one of the configured clone roots, reached without
 * leaving the root (no `..`, no symlink that points elsewhere), that does not exist yet or is
 * empty. `prepareDestination` creates the missing folders and remembers exactly which, so a
 * failed clone can remove what it made and nothing else.
 */
import { lstatSync, mkdirSync, readdirSync, realpathSync, rmSync, rmdirSync } from 'node:fs';
import { join, relative, isAbsolute, sep } from 'node:path';
import { HostError } from './host-error';

// oxlint-disable-next-line no-control-regex -- control characters are exactly what is refused
const BAD_CHARS = /[\u0000-\u001f<>:"|?*\\]/;
// Device names Windows opens instead of a folder, with any extension (spaces before it too).
// Superscript digits count: Windows reserves COM¹-COM³ and LPT¹-LPT³ as well.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]) *(\..*)?$/i;
// An 8.3 short name (GIT~1, SSH~1, LONGNA~1.TXT) reaches the long name it stands for, hidden ones too.
const SHORT_NAME = /~\d+(\.|$)/;

/** Splits a relative folder (`a/b/c`) into checked segments, or throws DEST_OUTSIDE_ROOT / BAD_REQUEST. */
export function folderSegments(folder: string): string[] {
  if (isAbsolute(folder) || folder.startsWith('/') || /^[A-Za-z]:/.test(folder)) {
    throw new HostError('DEST_OUTSIDE_ROOT', `folder "${folder}" must be relative to the clone root`);
  }
  const segments = folder.split('/');
  for (const segment of segments) {
    if (segment === '..') throw new HostError('DEST_OUTSIDE_ROOT', `folder "${folder}" must not contain ".."`);
    if (segment === '' || segment === '.') throw new HostError('BAD_REQUEST', `folder "${folder}" has an empty or "." segment`);
    if (segment.length > 255) throw new HostError('BAD_REQUEST', `a folder name is longer than 255 characters`);
    if (BAD_CHARS.test(segment)) throw new HostError('BAD_REQUEST', `folder name "${segment}" contains a character folders cannot have (< > : " | ? * \\ or control characters)`);
    // Leading dots would reach .git, .ssh and the like below a root that is a home folder.
    if (segment.startsWith('-') || segment.startsWith('.')) throw new HostError('BAD_REQUEST', `folder name "${segment}" must not start with "-" or "."`);
    // Windows drops trailing dots and spaces, so "repo." would be "repo".
    if (/[. ]$/.test(segment) || WINDOWS_RESERVED.test(segment)) throw new HostError('BAD_REQUEST', `"${segment}" is not a portable folder name`);
    if (SHORT_NAME.test(segment)) throw new HostError('BAD_REQUEST', `"${segment}" looks like a Windows short name (NAME~1), which can stand for another folder`);
  }
  return segments;
}

/** True when `child` is `parent` or below it (both real, absolute paths). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

export interface PreparedDestination {
  /** Absolute path of the clone, below the real path of the root. */
  path: string;
  /** Folders this preparation created, outermost first. */
  created: string[];
  /** The clone folder existed already (empty): on failure only its contents are removed. */
  existedEmpty: boolean;
}

/**
 * Checks the way from `root` to `folder` and creates the folders that are missing (the root itself
 * too, since the user chose it). Throws DEST_OUTSIDE_ROOT or DEST_EXISTS without creating anything
 * when the destination is not acceptable.
 */
export function prepareDestination(root: string, folder: string): PreparedDestination {
  const segments = folderSegments(folder);
  const realRoot = makeRoot(root);
  const created: string[] = [];
  try {
    let current = realRoot;
    for (const [index, segment] of segments.entries()) {
      const next = join(current, segment);
      const last = index === segments.length - 1;
      const stat = lstatOrUndefined(next);
      if (stat === undefined) {
        mkdirSync(next);
        created.push(next);
        current = next;
        continue;
      }
      if (stat.isSymbolicLink()) {
        if (last) throw new HostError('DEST_EXISTS', `${next} exists (a symbolic link); choose another folder name`, { path: next });
        const target = followLink(next);
        if (!isInside(realRoot, target)) throw new HostError('DEST_OUTSIDE_ROOT', `${next} is a link that leads outside the clone folder ${realRoot}`);
        current = target;
        continue;
      }
      if (!stat.isDirectory()) throw new HostError('DEST_EXISTS', `${next} exists and is not a folder`, { path: next });
      if (last) {
        if (readdirSync(next).length > 0) throw new HostError('DEST_EXISTS', `${next} exists and is not empty`, { path: next });
        return { path: next, created, existedEmpty: true };
      }
      current = next;
    }
    return { path: current, created, existedEmpty: false };
  } catch (error) {
    removeCreated({ path: '', created, existedEmpty: false });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new HostError('DEST_EXISTS', `${folder} appeared while preparing the clone`);
    throw error;
  }
}

/**
 * The real path of a clone root, created when missing. A root that cannot be a folder (a file, a
 * link in a loop or to nowhere, below a file) is DEST_EXISTS, like such a thing inside the root.
 */
export function makeRoot(root: string): string {
  let real: string | undefined;
  try {
    mkdirSync(root, { recursive: true });
    real = realpathSync(root);
  } catch (error) {
    if (!isOddPath(error)) throw error;
  }
  if (real === undefined || !lstatSync(real).isDirectory()) {
    throw new HostError('DEST_EXISTS', `the clone folder ${root} cannot be used: it is a file, or a link in a loop or to nothing`, { path: root });
  }
  return real;
}

function followLink(link: string): string {
  try {
    return realpathSync(link);
  } catch (error) {
    if (isOddPath(error)) throw new HostError('DEST_EXISTS', `${link} is a link that cannot be followed (a loop, or its target is missing)`, { path: link });
    throw error;
  }
}

const isOddPath = (error: unknown) => ['EEXIST', 'ELOOP', 'ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

/** Undoes `prepareDestination` plus whatever git wrote into the destination. */
export function removeCreated(prepared: PreparedDestination): void {
  if (prepared.existedEmpty) {
    for (const name of readdirOrEmpty(prepared.path)) rmSync(join(prepared.path, name), { recursive: true, force: true, maxRetries: 3 });
  }
  // Innermost first: the clone folder is ours entirely; a parent we made may meanwhile hold
  // another clone, so parents are removed only while empty.
  const created = prepared.created.toReversed();
  for (const [index, dir] of created.entries()) {
    if (index === 0 && dir === prepared.path) {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      continue;
    }
    try {
      rmdirSync(dir);
    } catch {
      break;
    }
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function readdirOrEmpty(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
