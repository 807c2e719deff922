/**
 * A clone's journal: what one companion process has made for a clone so far, kept in the
 * destination's lock file. A process that is killed (SIGKILL, a crash, the machine going down)
 * cannot clean up after itself; whoever later finds its journal with the process gone stops the
 * git it left running and removes exactly the folders the journal lists, nothing else.
 */
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import * as z from 'zod';
import { isInside, removeCreated } from './destination';
import { stopOrphanedGroup } from './orphaned-group';

const JournalSchema = z.object({
  pid: z.number().int().positive(),
  /** The clone folder (absolute, as created). */
  path: z.string().min(1).optional(),
  /** Folders this clone created, outermost first; the last one may be `path` itself. */
  created: z.array(z.string().min(1)).max(256).optional(),
  /** `path` existed (empty) before: only its contents are the clone's. */
  existedEmpty: z.boolean().optional(),
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
  return isProcessAlive(journal.pid) ? { kind: 'live', journal } : { kind: 'dead', journal };
}

/**
 * Undoes the clone of a process that is gone: stops its git, then removes the clone folder and the
 * parents it created (parents only while empty; a folder that existed before keeps itself and
 * loses only what was written into it). A journal whose folders do not fit together is not
 * trusted with any deletion. Answers false when something it should remove is still there.
 */
export function undoDeadClone(journal: CloneJournal): boolean {
  if (journal.git !== undefined) stopOrphanedGroup(journal.git);
  if (journal.done || journal.path === undefined || journal.created === undefined) return true;
  const path = journal.path;
  if (!plausible(path, journal.created, journal.existedEmpty === true)) return true;
  removeCreated({ path, created: journal.created, existedEmpty: journal.existedEmpty === true });
  const cloneFolderOurs = journal.created.at(-1) === path;
  return cloneFolderOurs ? statSync(path, { throwIfNoEntry: false }) === undefined : true;
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
