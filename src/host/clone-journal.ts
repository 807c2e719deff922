/**
 * A clone's journal: what one companion process has made for a clone so far, kept in the
 * destination's lock file. A process that is killed (SIGKILL, a crash, the machine going down)
 * cannot clean up after itself; whoever later finds its journal with the process gone stops the
 * git it left running and removes exactly the folders the journal lists, nothing else: only while
 * each still has the identity recorded when it was made, and only inside the configured clone
 * roots. A folder re-created since, or one the journal gives no identity for (journals of older
 * companions), is left where it is and reported.
 */
import { lstatSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import * as z from 'zod';
import { isInside, removeCreated } from './destination';
import { stopOrphanedGroup } from './orphaned-group';
import { isSameProcess } from './process-start';

const Identity = z.string().min(1).max(200);

const JournalSchema = z.object({
  pid: z.number().int().positive(),
  /** When the process started (process-start.ts), so that a reused pid is not taken for it. */
  started: z.string().min(1).max(200).optional(),
  /** The destination the lock is for, so that clones into folders inside one another can see each other. */
  dest: z.string().min(1).optional(),
  /** The clone folder (absolute, as created). */
  path: z.string().min(1).optional(),
  /**
   * Folders this clone created, outermost first; the last one may be `path` itself. Each with its
   * identity (destination.ts `folderIdentity`); a bare path is the older format.
   */
  created: z
    .array(z.union([z.string().min(1), z.object({ path: z.string().min(1), id: Identity })]))
    .max(256)
    .optional(),
  /** `path` existed (empty) before: only its contents are the clone's. */
  existedEmpty: z.boolean().optional(),
  /** The identity of `path` when it existed empty. */
  emptyId: Identity.optional(),
  /** git's process group (on POSIX git leads its own group). */
  git: z.number().int().positive().optional(),
  /** git finished: the folder is a complete clone, nothing is to be undone. */
  done: z.boolean().optional(),
});

export type CloneJournal = z.infer<typeof JournalSchema>;

/** A lock file's journal; a bare pid (the old lock format) is a journal without folders. */
export function parseJournal(text: string): CloneJournal | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const parsed = JournalSchema.safeParse(JSON.parse(trimmed));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces the journal in one step (write aside, then rename), so a reader never sees half of it. */
export function writeJournal(file: string, journal: CloneJournal): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(journal), { mode: 0o600 });
  try {
    renameSync(temp, file);
  } catch (error) {
    unlinkQuiet(temp);
    throw error;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists and belongs to someone else.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** The process that wrote a journal still runs: its pid is taken, and not by a process that started later. */
export function isWriterAlive(journal: Pick<CloneJournal, 'pid' | 'started'>): boolean {
  return isProcessAlive(journal.pid) && isSameProcess(journal.pid, journal.started) !== false;
}

export type LockState = { kind: 'gone' } | { kind: 'live'; journal?: CloneJournal } | { kind: 'dead'; journal?: CloneJournal };

/** Whether the process that wrote a lock (or claim) file still runs. */
export function inspectLock(file: string): LockState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    return { kind: 'dead' };
  }
  if (text.trim() === '') {
    // Created with O_EXCL and about to be written, unless its writer died long ago.
    const age = Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    return age > 10_000 ? { kind: 'dead' } : { kind: 'live' };
  }
  const journal = parseJournal(text);
  if (!journal) return { kind: 'dead' };
  return isWriterAlive(journal) ? { kind: 'live', journal } : { kind: 'dead', journal };
}

export interface Undone {
  /** Nothing is left to retry (false: something could not be removed; the journal should stay). */
  removed: boolean;
  /** Folders left on purpose, each with why: for the log, so that the user can look at them. */
  kept: { path: string; reason: string }[];
}

/**
 * Undoes the clone of a process that is gone: stops its git, then removes the clone folder and the
 * parents it created (parents only while empty; a folder that existed before keeps itself and
 * loses only what was written into it). Only folders that still have the identity the journal
 * recorded, and only inside `roots` (the configured clone roots) are touched. A journal whose
 * folders do not fit together is not trusted with any deletion.
 */
export function undoDeadClone(journal: CloneJournal, roots: readonly string[]): Undone {
  if (journal.git !== undefined) stopOrphanedGroup(journal.git);
  if (journal.done || journal.path === undefined || journal.created === undefined) return { removed: true, kept: [] };
  const path = journal.path;
  const existedEmpty = journal.existedEmpty === true;
  const created = journal.created.map((entry) => (typeof entry === 'string' ? { path: entry, id: undefined } : entry));
  const paths = created.map((entry) => entry.path);
  if (!plausible(path, paths, existedEmpty)) return { removed: true, kept: [] };
  const ours = existedEmpty ? [path, ...paths] : paths;
  const existing = ours.filter((dir) => lstatSync(dir, { throwIfNoEntry: false }) !== undefined);
  if (existing.length === 0) return { removed: true, kept: [] };
  const realRoots = roots.flatMap((root) => {
    try {
      return [realpathSync(root)];
    } catch {
      return [];
    }
  });
  // Strictly inside: a clone root is the user's, even when it is a folder a clone once made.
  if (!existing.every((dir) => realRoots.some((root) => dir !== root && isInside(root, dir)))) {
    return { removed: true, kept: [{ path: existing.at(-1)!, reason: 'it is not inside a configured clone folder' }] };
  }
  if (created.some((entry) => entry.id === undefined) || (existedEmpty && journal.emptyId === undefined)) {
    return { removed: true, kept: [{ path: existing.at(-1)!, reason: 'an older companion did not record which folders it made' }] };
  }
  const kept = removeCreated({ path, created: paths, ids: created.map((entry) => entry.id!), existedEmpty, emptyId: journal.emptyId });
  if (kept.length > 0) return { removed: true, kept };
  const cloneFolderOurs = paths.at(-1) === path;
  return { removed: cloneFolderOurs ? statSync(path, { throwIfNoEntry: false }) === undefined : true, kept: [] };
}

const normal = (p: string) => isAbsolute(p) && resolve(p) === p;

/** Every folder absolute and normalized, each inside the one before it, the clone folder inside all. */
function plausible(path: string, created: string[], existedEmpty: boolean): boolean {
  if (!normal(path) || !created.every(normal)) return false;
  if (existedEmpty && created.includes(path)) return false;
  return created.every((dir, i) => isInside(dir, path) && (i === 0 || (isInside(created[i - 1]!, dir) && created[i - 1] !== dir)));
}

export function unlinkQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}
