import { accessSync, constants } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * For tests that run programs (git, the companion) which run `ssh` with a private `$HOME`.
 * OpenSSH ignores `$HOME`: it reads `~/.ssh/config`, expands `~` and finds known_hosts through
 * the password database, so a private home would be bypassed (and the real ~/.ssh touched).
 * This writes an `ssh` into `{dir}` (put it first on PATH) that runs the real ssh with
 * `-F` = a copy of `$HOME/.ssh/config` whose `~/` are spelled out as `$HOME/`. Everything else
 * (Host sections, IdentityFile, IdentitiesOnly, known hosts checks) is the real ssh's doing.
 * Returns `dir`. The copies (`{dir}/config.PID`) go when `dir` is removed.
 */
export async function writeSshHomeShim(dir: string, searchPath = process.env.PATH ?? ''): Promise<string> {
  const realSsh = findProgram('ssh', searchPath, dir);
  if (/['\\]/.test(realSsh) || /['\\]/.test(dir)) throw new Error(`unsupported characters in ${realSsh} or ${dir}`);
  await mkdir(dir, { recursive: true });
  const script = [
    '#!/bin/sh',
    `config='${dir}'/config.$$`,
    'if [ -f "$HOME/.ssh/config" ]; then',
    // `~/` at the start of a value (after a blank, `=` or `"`) becomes `$HOME/`.
    `  home=$(printf '%s' "$HOME" | sed 's/[&#\\\\]/\\\\&/g')`,
    `  sed "s#\\\\(^\\\\|[[:space:]=\\"]\\\\)~/#\\\\1$home/#g" "$HOME/.ssh/config" > "$config"`,
    'else',
    '  : > "$config"',
    'fi',
    `exec '${realSsh}' -F "$config" "$@"`,
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'ssh'), script, { mode: 0o755 });
  return dir;
}

function findProgram(name: string, searchPath: string, skip: string): string {
  for (const entry of searchPath.split(path.delimiter)) {
    if (!entry || path.resolve(entry) === path.resolve(skip)) continue;
    const candidate = path.join(entry, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} is not on PATH (install openssh-client)`);
}
