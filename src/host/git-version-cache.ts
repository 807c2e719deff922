/**
 * `git --version` for `hello`, remembered per git program. Starting git is a process start on the
 * way to the first answer (several ms, more on a busy machine), and its answer only changes when
 * git does: the program found on PATH, with its size, modification time and inode, keys the
 * remembered version (state/git-version.json). A hit is checked again once the first answer is out
 * (`refresh`), so a wrapper whose git changed behind it (Xcode's /usr/bin/git) reports the new
 * version from the next start on.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { findProgram } from './find-program';
import { gitVersion } from './git-repo';
import { readJsonFile, writeJsonFile } from './json-file';

interface Remembered {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
  version: string;
}

export interface GitVersionLookup {
  /** The git program found on PATH (undefined: none). */
  program: string | undefined;
  version: Promise<string | null>;
  /** Asks git itself when the version came from the file, and corrects the file if it differs. */
  refresh(): Promise<void>;
}

export const gitVersionFile = (stateDir: string): string => join(stateDir, 'git-version.json');

export function lookUpGitVersion(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, stateDir: string): GitVersionLookup {
  const file = gitVersionFile(stateDir);
  const program = findProgram('git', env, platform);
  const key = program === undefined ? undefined : identity(program);
  /** Asks git, and remembers its answer unless it is `known` (the file already says so: no write on every start). */
  const ask = async (known?: string): Promise<string | null> => {
    const version = await gitVersion(env);
    if (program !== undefined && key !== undefined && version !== null && version !== known) {
      try {
        writeJsonFile(file, { path: program, ...key, version } satisfies Remembered);
      } catch {
        // Only a later start is slower.
      }
    }
    return version;
  };
  const known = key === undefined ? undefined : remembered(file, program!, key);
  if (known === undefined) {
    const version = ask();
    return { program, version, refresh: async () => void (await version) };
  }
  return { program, version: Promise.resolve(known), refresh: async () => void (await ask(known)) };
}

function identity(path: string): Omit<Remembered, 'path' | 'version'> | undefined {
  try {
    const s = statSync(path);
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  } catch {
    return undefined;
  }
}

function remembered(file: string, path: string, key: Omit<Remembered, 'path' | 'version'>): string | undefined {
  try {
    const r = readJsonFile(file) as Partial<Remembered> | undefined;
    const same = r?.path === path && r.size === key.size && r.mtimeMs === key.mtimeMs && r.ino === key.ino;
    return same && typeof r.version === 'string' && r.version.length > 0 && r.version.length <= 200 ? r.version : undefined;
  } catch {
    return undefined;
  }
}
