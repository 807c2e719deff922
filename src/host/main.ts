/**
 * The companion host program. Started by a browser (argv[2] is the caller: `chrome-extension://ID/`,
 * or for Firefox the manifest path and the add-on id) it speaks native messaging on stdio; started
 * with a CLI verb it installs, uninstalls or checks itself.
 *
 * A browser starts the host for every connection and waits for its `hello`. Evaluating zod and
 * the protocol's schemas is most of the host's own start, so this file decides the mode with
 * nothing of that loaded, starts `git --version` (which `hello` reports; remembered per git
 * program, see git-version-cache.ts), and only then imports the mode's code: git runs while the
 * rest loads. (The build keeps one file: esbuild turns these imports into lazily evaluated parts
 * of the same bundle.)
 */
import { homedir } from 'node:os';
import { isSea } from 'node:sea';
import { fileURLToPath } from 'node:url';
import { isCliVerb } from './cli-verbs';
import { companionDirs } from './companion-dirs';
import { shieldProgramLookups } from './find-program';
import { lookUpGitVersion } from './git-version-cache';

async function main(): Promise<void> {
  shieldProgramLookups(process.env, process.platform);
  const home = homedir();
  const dirs = companionDirs(process.platform, process.env, home);
  const arg = process.argv[2];
  if (isCliVerb(arg) || (arg === undefined && process.stdin.isTTY)) {
    // Before cli.ts and the schemas it imports are evaluated (see zod-setup.ts).
    (await import('./zod-setup')).useJitlessZod();
    const { runCli, USAGE } = await import('./cli');
    // In a single executable the script is CommonJS (import.meta is empty) and the program is the executable itself.
    const program = isSea() ? { kind: 'executable' as const, path: process.execPath } : { kind: 'bundle' as const, node: process.execPath, path: fileURLToPath(import.meta.url) };
    const machine = { platform: process.platform, home, env: process.env, dirs, program };
    if (arg === undefined) console.log(USAGE);
    else process.exitCode = await runCli(process.argv.slice(2), machine, (t) => console.log(t));
    return;
  }
  const git = lookUpGitVersion(process.env, process.platform, dirs.state);
  const { nativeMessaging } = await import('./native-messaging');
  await nativeMessaging({ home, dirs, git });
}

void main();
