/** Finds a program on PATH (with PATHEXT on Windows), since browsers start hosts with a minimal environment. */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, posix, win32 } from 'node:path';

/** `extensions`: those tried on Windows (PATHEXT's unless given). */
export function findProgram(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, extensions?: readonly string[]): string | undefined {
  // A relative folder (".", or an empty entry) means wherever the program is started: a repository,
  // for git. Windows allows an entry in quotes ("C:\Program Files\Git\cmd"), as libuv reads it.
  const dirs = (env.PATH ?? env.Path ?? '')
    .split(delimiter)
    .map((d) => (platform === 'win32' ? d.replace(/^"(.*)"$/, '$1') : d))
    .filter((d) => (platform === 'win32' ? win32 : posix).isAbsolute(d));
  const suffixes = platform === 'win32' ? (extensions ?? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean)]) : [''];
  for (const dir of dirs) {
    for (const ext of suffixes) {
      const candidate = join(dir, name + ext);
      if (isExecutableFile(candidate, platform)) return candidate;
    }
  }
  return undefined;
}

export function isExecutableFile(path: string, platform: NodeJS.Platform = process.platform): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Called once as the host starts. Unless this is set, a program started by a bare name is looked
 * for in the working folder before PATH: by Node's own spawn (libuv reads it from the host's
 * environment since 1.48), by cmd.exe and by programs that ask Windows to find one. The programs
 * the host starts work in repositories, which may carry a git.exe.
 */
export function shieldProgramLookups(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): void {
  if (platform === 'win32') env.NoDefaultCurrentDirectoryInExePath = '1';
}
