/**
 * Where a clone may land: a folder below one of the configured clone roots, reached without
 * leaving the root (no `..`, no symlink that points elsewhere), that does not exist yet or is
 * empty. `prepareDestination` creates the missing folders and remembers exactly which (by path and
 * identity), so a failed clone can remove what it made and nothing else.
 */
import { lstatSync, mkdirSync, readdirSync, realpathSync, rmSync, rmdirSync, type Dirent } from 'node:fs';
import { basename, dirname, join, relative, isAbsolute, sep } from 'node:path';
import type { CloneJournal } from './clone-journal';
import { FOLDER_BAD_CHAR, SHORT_NAME_TILDE, WINDOWS_DEVICE_NAME } from '../shared/folder-name';
import { HostError } from './host-error';


/** A name Windows would not keep as written: a device name, or a trailing dot or space it drops. */
export function windowsAltersName(name: string): boolean {
  return /[. ]$/.test(name) || WINDOWS_DEVICE_NAME.test(name);
}

/** Splits a relative folder (`a/b/c`) into checked segments, or throws DEST_OUTSIDE_ROOT / BAD_REQUEST. */
export function folderSegments(folder: string): string[] {
  if (isAbsolute(folder) || folder.startsWith('/') || /^[A-Za-z]:/.test(folder)) {
    throw new HostError('DEST_OUTSIDE_ROOT', `folder "${folder}" must be relative to the clone root`);
  }
  const segments = folder.split('/');
  for (const segment of segments) {
    if (segment === '..') throw new HostError('DEST_OUTSIDE_ROOT', `folder "${folder}" must not contain ".."`);
    if (segment === '' || segment === '.') throw new HostError('BAD_REQUEST', `folder "${folder}" has an empty or "." segment`);
    // File systems count bytes (ext4, APFS) or UTF-16 units (NTFS): 255 bytes of UTF-8 fits all of them.
    if (Buffer.byteLength(segment) > 255) throw new HostError('BAD_REQUEST', `the folder name "${[...segment].slice(0, 40).join('')}…" is too long: at most 255 bytes, which is fewer characters outside plain ASCII`);
    if (FOLDER_BAD_CHAR.test(segment)) throw new HostError('BAD_REQUEST', `folder name "${segment}" contains a character folders cannot have (< > : " | ? * \\ or control characters)`);
    // Leading dots would reach .git, .ssh and the like below a root that is a home folder.
    if (segment.startsWith('-') || segment.startsWith('.')) throw new HostError('BAD_REQUEST', `folder name "${segment}" must not start with "-" or "."`);
    // Windows drops trailing dots and spaces, so "repo." would be "repo".
    if (windowsAltersName(segment)) throw new HostError('BAD_REQUEST', `"${segment}" is not a portable folder name`);
    if (SHORT_NAME_TILDE.test(segment)) throw new HostError('BAD_REQUEST', `"${segment}" looks like a Windows short name (NAME~1), which can stand for another folder`);
  }
  return segments;
}

/** True when `child` is `parent` or below it (both real, absolute paths). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  // `..foo` is a name inside; only `..` itself as the first segment leads out.
  return rel === '' || (!isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/**
 * `path` with links resolved as far as it exists yet, so that one folder reached through a link
 * and directly gets one lock (and folders inside one another are seen to be).
 */
export function resolveExisting(path: string): string {
  const rest: string[] = [];
  for (let current = path; ; ) {
    try {
      return join(realpathSync(current), ...rest.toReversed());
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      rest.push(basename(current));
      current = parent;
    }
  }
}

/**
 * `resolveExisting(join(realRoot, ...segments))` for a root that is a real path already: only the
 * segments are looked at, and a missing one ends the walk without an exception (a new clone's
 * folder usually does not exist: realpath of it failed, then resolved the whole root again).
 */
export function resolveBelow(realRoot: string, segments: readonly string[]): string {
  let current = realRoot;
  for (const [index, segment] of segments.entries()) {
    const next = join(current, segment);
    let stat;
    try {
      stat = lstatSync(next, { throwIfNoEntry: false });
    } catch {
      // Below a file, say: whatever resolveExisting makes of it.
      return resolveExisting(join(realRoot, ...segments));
    }
    if (stat === undefined) return join(next, ...segments.slice(index + 1));
    current = stat.isSymbolicLink() ? resolveExisting(next) : next;
  }
  return current;
}

export interface PreparedDestination {
  /** Absolute path of the clone, below the real path of the root. */
  path: string;
  /** Folders this preparation created, outermost first. */
  created: string[];
  /** `folderIdentity` of each folder in `created`; when given, only folders that still have it are removed. */
  ids?: string[];
  /** The clone folder existed already (empty): on failure only its contents are removed. */
  existedEmpty: boolean;
  /** `folderIdentity` of the clone folder that existed empty; when given, it is emptied only while it has it. */
  emptyId?: string;
}

/**
 * Device, inode and birth time of a folder (its change time where the file system keeps no birth
 * time): a folder deleted and made again has another identity even when the file system hands out
 * the same inode number again, which ext4 does at once. Undefined when it is not a folder.
 */
export function folderIdentity(path: string): string | undefined {
  const stat = lstatSync(path, { bigint: true, throwIfNoEntry: false });
  if (!stat?.isDirectory()) return undefined;
  const time = stat.birthtimeNs > 0n ? `b${stat.birthtimeNs}` : `c${stat.ctimeNs}`;
  return `${stat.dev}:${stat.ino}:${time}`;
}

/**
 * A change time moves whenever git writes into the folder: the clone that is still running, and
 * knows it wrote there, goes by device and inode alone; after a crash such a folder is left.
 */
function sameFolder(current: string | undefined, recorded: string, running: boolean): boolean {
  if (current === recorded) return true;
  const changeTime = /^(.*):c\d+$/.exec(recorded);
  return running && changeTime !== null && current?.replace(/:[bc]\d+$/, '') === changeTime[1];
}

/** What a clone's journal records of its prepared destination: a successor undoes exactly this after a crash. */
export function journalOf(prepared: PreparedDestination): Pick<CloneJournal, 'path' | 'created' | 'existedEmpty' | 'emptyId'> {
  return {
    path: prepared.path,
    created: prepared.created.map((path, i) => (prepared.ids?.[i] ? { path, id: prepared.ids[i] } : path)),
    existedEmpty: prepared.existedEmpty,
    ...(prepared.emptyId === undefined ? {} : { emptyId: prepared.emptyId }),
  };
}

/** Identities are taken once every folder exists, so a change time (where used) no longer moves because of us. */
function withIdentities(prepared: PreparedDestination): PreparedDestination {
  const ids = prepared.created.map((dir) => folderIdentity(dir) ?? '');
  const emptyId = prepared.existedEmpty ? folderIdentity(prepared.path) : undefined;
  return { ...prepared, ids, ...(emptyId === undefined ? {} : { emptyId }) };
}

/**
 * Checks the way from `realRoot` (what `makeRoot` answered for the clone root: a clone needs it for
 * its lock first) to `folder` and creates the folders that are missing. Throws DEST_OUTSIDE_ROOT or
 * DEST_EXISTS without creating anything when the destination is not acceptable.
 */
export function prepareDestination(realRoot: string, folder: string): PreparedDestination {
  const segments = folderSegments(folder);
  const created: string[] = [];
  try {
    return withIdentities({ ...walkDestination(realRoot, segments, created), created });
  } catch (error) {
    removeCreated({ path: '', created, existedEmpty: false });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new HostError('DEST_EXISTS', `${folder} appeared while preparing the clone`);
    throw error;
  }
}

/**
 * The way from `realRoot` down `segments`, checked as `prepareDestination` documents. Given `made`,
 * the missing folders are made and listed in it; else nothing is made, and the walk ends at the
 * first missing folder, below which nothing can be in the way.
 */
function walkDestination(realRoot: string, segments: readonly string[], made?: string[]): { path: string; existedEmpty: boolean } {
  let current = realRoot;
  for (const [index, segment] of segments.entries()) {
    const next = join(current, segment);
    const last = index === segments.length - 1;
    const stat = lstatOrUndefined(next);
    if (stat === undefined) {
      if (!made) return { path: join(next, ...segments.slice(index + 1)), existedEmpty: false };
      mkdirSync(next);
      made.push(next);
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
      return { path: next, existedEmpty: true };
    }
    current = next;
  }
  return { path: current, existedEmpty: false };
}

/**
 * Where a clone into `folder` below `root` (a configured clone root) would go, or the error the
 * clone would stop with before running git, found without making anything (`destination`). A
 * root that does not exist yet is made by the clone, so nothing can be in the way.
 */
export function checkDestination(root: string, folder: string): string {
  const segments = folderSegments(folder);
  const unusable = () => new HostError('DEST_EXISTS', `the clone folder ${root} cannot be used: it is a file, or a link in a loop or to nothing`, { path: root });
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch (error) {
    if (!isOddPath(error)) throw error;
    // Missing, unless it is a link to nothing, which the clone could not make into a folder.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && lstatOrUndefined(root) === undefined) return join(root, ...segments);
    throw unusable();
  }
  if (!lstatSync(realRoot).isDirectory()) throw unusable();
  return walkDestination(realRoot, segments).path;
}

export interface KeptFolder {
  path: string;
  reason: string;
}

const REMADE = 'it was made again or replaced since';

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

/**
 * Undoes `prepareDestination` plus whatever git wrote into the destination. Answers the folders
 * it left: those that are no longer the ones this clone made (another identity: deleted and made
 * again, or replaced by a link), and repositories made inside the clone folder meanwhile; whatever
 * contains such a folder is left too.
 */
export function removeCreated(prepared: PreparedDestination, options: { running?: boolean } = {}): KeptFolder[] {
  const isOurs = (dir: string, id: string | undefined) => prepared.ids === undefined || (id !== undefined && id !== '' && sameFolder(folderIdentity(dir), id, options.running === true));
  if (prepared.existedEmpty) {
    if (!isOurs(prepared.path, prepared.emptyId)) return lstatSync(prepared.path, { throwIfNoEntry: false }) ? [{ path: prepared.path, reason: REMADE }] : [];
    const nested = removeTree(prepared.path, true);
    if (nested.length > 0) return nested;
  }
  // Innermost first: the clone folder is ours entirely; a parent we made may meanwhile hold
  // another clone, so parents are removed only while empty.
  for (let index = prepared.created.length - 1; index >= 0; index--) {
    const dir = prepared.created[index]!;
    if (lstatSync(dir, { throwIfNoEntry: false }) === undefined) continue;
    if (!isOurs(dir, prepared.ids?.[index])) return [{ path: dir, reason: REMADE }];
    if (index === prepared.created.length - 1 && dir === prepared.path) {
      const nested = removeTree(dir, false);
      if (nested.length > 0) return nested;
      continue;
    }
    try {
      rmdirSync(dir);
    } catch {
      break;
    }
  }
  return [];
}

/**
 * Removes `dir` (only what is in it, with `keepDir`), except repositories made inside it by
 * someone else (a folder below it that holds a `.git`: git never writes one into a work tree) and
 * the folders leading to them. Answers those repositories.
 */
function removeTree(dir: string, keepDir: boolean): KeptFolder[] {
  const nested = nestedRepositories(dir);
  if (nested.length === 0 && !keepDir) {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    return [];
  }
  removeAround(dir, nested);
  return nested.map((path) => ({ path, reason: 'it is a repository made inside the clone folder since' }));
}

function nestedRepositories(top: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (dir !== top && entries.some((entry) => entry.name === '.git')) {
      found.push(dir);
      return;
    }
    // The clone's own .git holds no work tree to look into.
    for (const entry of entries) if (entry.isDirectory() && !(dir === top && entry.name === '.git')) walk(join(dir, entry.name));
  };
  walk(top);
  return found;
}

/** Removes every entry of `dir` that neither is nor holds one of `keep`. */
function removeAround(dir: string, keep: string[]): void {
  for (const name of readdirOrEmpty(dir)) {
    const path = join(dir, name);
    if (keep.includes(path)) continue;
    if (keep.some((kept) => isInside(path, kept))) removeAround(path, keep);
    else rmSync(path, { recursive: true, force: true, maxRetries: 3 });
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
