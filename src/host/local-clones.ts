/**
 * The clones the companion knows (its registry) and the repositories found below the clone roots,
 * each with its remotes, branch and whether it has changes. Also decides which folders count as
 * "a known clone" for addRemote, fetch and open.
 */
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { MAX_LOCAL_CLONES, type LocalClone, type LocalClonesData, type LocalClonesRequest } from '../shared/host-protocol';
import { inspectLock } from './clone-journal';
import { readRegistry } from './clone-registry';
import { locksDir, registryFile } from './companion-dirs';
import { isInside } from './destination';
import { currentBranch, repositoryState, workTreeTop } from './git-repo';
import { HostError } from './host-error';
import type { HostContext } from './host-context';

/** root/org/project/repo: deep enough for the usual layouts, shallow enough to stay quick. */
const MAX_DEPTH = 4;
const MAX_DIRS_VISITED = 20_000;
const SKIP = new Set(['node_modules', '$RECYCLE.BIN', 'System Volume Information']);

/** Folders holding a `.git` below `root`; symlinks are not followed, hidden folders not entered. */
export function findRepositories(root: string, limit: number): { found: string[]; truncated: boolean } {
  const found: string[] = [];
  let visited = 0;
  let queue: Array<[string, number]> = [[root, 0]];
  while (queue.length > 0) {
    const next: Array<[string, number]> = [];
    for (const [dir, depth] of queue) {
      if (++visited > MAX_DIRS_VISITED) return { found, truncated: true };
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      if (entries.some((e) => e.name === '.git' && (e.isDirectory() || e.isFile()))) {
        if (depth > 0) found.push(dir);
        if (found.length >= limit) return { found, truncated: true };
        if (depth > 0) continue;
      }
      if (depth >= MAX_DEPTH) continue;
      for (const entry of entries) {
        if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIP.has(entry.name)) next.push([join(dir, entry.name), depth + 1]);
      }
    }
    queue = next;
  }
  return { found, truncated: false };
}

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** `path` with its links resolved, or undefined when it does not exist. */
export const realOrUndefined = (path: string) => {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
};

/**
 * The folders a clone or a new worktree is being made in right now, by any companion process: git made
 * their `.git` first, so they look like clones, but they are not usable (nor kept, if it fails).
 */
function foldersBeingCloned(dir: string): Set<string> {
  const folders = new Set<string>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return folders;
  }
  for (const name of names) {
    if (!name.endsWith('.lock')) continue;
    const state = inspectLock(join(dir, name));
    const folder = state.kind === 'live' ? (state.journal?.path ?? state.journal?.dest) : undefined;
    const real = folder && realOrUndefined(folder);
    if (real) folders.add(real);
  }
  return folders;
}

export async function listLocalClones(request: LocalClonesRequest, ctx: HostContext): Promise<LocalClonesData> {
  if (request.paths) return readClones(request.paths, ctx);
  const config = ctx.config();
  const paths = new Map<string, boolean>();
  let truncated = false;
  for (const entry of readRegistry(registryFile(ctx.dirs))) {
    const real = realOrUndefined(entry.path);
    if (real && existsSync(join(real, '.git'))) paths.set(real, true);
  }
  for (const root of config.cloneRoots) {
    const realRoot = realOrUndefined(root);
    if (!realRoot) continue;
    const scan = findRepositories(realRoot, MAX_LOCAL_CLONES);
    truncated ||= scan.truncated;
    for (const repo of scan.found) if (!paths.has(repo)) paths.set(repo, false);
  }
  const selected = [...paths.entries()].slice(0, MAX_LOCAL_CLONES);
  truncated ||= paths.size > MAX_LOCAL_CLONES;
  const cloning = foldersBeingCloned(locksDir(ctx.dirs));
  const clones = await mapLimited(selected, 4, async ([path, known]) => ({ ...(await describe(path, known, ctx.env)), ...(cloning.has(path) ? { cloning: true } : {}) }));
  return { clones, truncated };
}

/**
 * Only the folders asked for, each resolved as `open` resolves its path, with nothing scanned: to
 * check one clone without waiting for every clone's git. A path that is not a known clone is left
 * out, whatever the reason, so each such path gets the same answer. `dirty` is not looked at
 * (null): `git status` reads the work tree's files, which none who asks for a path needs.
 */
async function readClones(asked: readonly string[], ctx: HostContext): Promise<LocalClonesData> {
  const resolved = await Promise.all(asked.map((path) => resolveKnownClone(path, ctx).catch(() => undefined)));
  const paths = [...new Set(resolved.filter((p) => p !== undefined))];
  const registered = new Set(readRegistry(registryFile(ctx.dirs)).map((e) => realOrUndefined(e.path)));
  const cloning = foldersBeingCloned(locksDir(ctx.dirs));
  const clones = await mapLimited(paths, 4, async (path) => ({
    ...(await describe(path, registered.has(path), ctx.env, { dirty: false })),
    ...(cloning.has(path) ? { cloning: true } : {}),
  }));
  return { clones, truncated: false };
}

/** A linked work tree (`git worktree add`) has a `.git` file; its main work tree a `.git` folder. */
const isLinkedWorktree = (path: string) => {
  try {
    return lstatSync(join(path, '.git')).isFile();
  } catch {
    return false;
  }
};

async function describe(path: string, known: boolean, env: NodeJS.ProcessEnv, read = { dirty: true }): Promise<LocalClone> {
  try {
    const [state, branch] = await Promise.all([repositoryState(path, env, read), currentBranch(path, env)]);
    return { path, known, remotes: state.remotes, branch, dirty: state.dirty, ...(isLinkedWorktree(path) ? { worktree: true } : {}) };
  } catch (error) {
    return { path, known, remotes: [], branch: null, dirty: null, error: (error as Error).message };
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Whether a path, as written, names a clone the companion made or something below a clone root.
 * Read from the path alone (the roots' and the registry's own real paths aside), so what is at the
 * path, or whether anything is, cannot change the answer.
 */
function inCloneFolders(path: string, ctx: HostContext): boolean {
  const asked = resolve(path);
  const same = (a: string) => relative(a, asked) === '';
  const registered = readRegistry(registryFile(ctx.dirs)).flatMap((e) => [e.path, realOrUndefined(e.path) ?? e.path]);
  if (registered.some(same)) return true;
  return ctx.config().cloneRoots.some((root) => [root, realOrUndefined(root) ?? root].some((r) => !same(r) && isInside(resolve(r), asked)));
}

/**
 * The real path of a work tree the companion may act on: one it cloned, or one below a clone
 * root; and the top of that work tree, not a folder inside it. Otherwise NOT_FOUND. Outside the
 * clone folders every path gets the same answer, decided before the disk is looked at: a page
 * cannot learn this way whether a file exists.
 */
export async function resolveKnownClone(path: string, ctx: HostContext): Promise<string> {
  const unknown = new HostError('NOT_FOUND', `${path} is not a clone the companion knows (nor below a clone folder)`);
  if (!isAbsolute(path) || !inCloneFolders(path, ctx)) throw unknown;
  const real = realOrUndefined(path);
  if (!real) throw new HostError('NOT_FOUND', `${path} does not exist (or is a link that leads nowhere)`);
  const known = readRegistry(registryFile(ctx.dirs)).some((e) => realOrUndefined(e.path) === real);
  const belowRoot = ctx.config().cloneRoots.some((root) => {
    const realRoot = realOrUndefined(root);
    return realRoot !== undefined && realRoot !== real && isInside(realRoot, real);
  });
  // Written below a root, but a link there leads elsewhere.
  if (!known && !belowRoot) throw unknown;
  if (!isDirectory(real)) throw new HostError('NOT_FOUND', `${path} is not a folder`);
  const top = await workTreeTop(real, ctx.env);
  if (top === null || realOrUndefined(top) !== real) throw new HostError('NOT_FOUND', `${path} is not the top folder of a git repository`);
  return real;
}
