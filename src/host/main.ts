/**
 * The companion host program. Started by a browser (argv[2] is the caller: `chrome-extension://ID/`,
 * or for Firefox the manifest path and the add-on id) it speaks native messaging on stdio; started
 * with a CLI verb it installs, uninstalls or checks itself.
 */
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isCliVerb, runCli, USAGE } from './cli';
import { companionDirs, configFile, locksDir, logFile } from './companion-dirs';
import { sweepStaleLocks } from './destination-lock';
import { loadConfig } from './config';
import type { HostContext } from './host-context';
import { fileLogger } from './log';
import { Redactor } from './redact';
import { Session } from './session';
import { COMPANION_VERSION } from './version';

async function main(): Promise<void> {
  // The same schemas run jitless in the extension; behave the same here.
  z.config({ jitless: true });
  const home = homedir();
  const dirs = companionDirs(process.platform, process.env, home);
  const arg = process.argv[2];
  if (isCliVerb(arg) || (arg === undefined && process.stdin.isTTY)) {
    const machine = { platform: process.platform, home, env: process.env, dirs, execPath: process.execPath, bundlePath: fileURLToPath(import.meta.url) };
    if (arg === undefined) console.log(USAGE);
    else process.exitCode = await runCli(process.argv.slice(2), machine, (t) => console.log(t));
    return;
  }
  await nativeMessaging(home, dirs);
}

async function nativeMessaging(home: string, dirs: ReturnType<typeof companionDirs>): Promise<void> {
  const redactor = new Redactor();
  const log = fileLogger(logFile(dirs), redactor);
  // stdout carries frames only: anything printed by accident goes to the log.
  console.log = console.info = console.debug = console.warn = (...args: unknown[]) => log.warn(`console: ${args.map(String).join(' ')}`);
  process.on('uncaughtException', (error) => {
    log.error(`uncaught: ${error.stack ?? error.message}`);
    process.exit(70);
  });
  process.on('unhandledRejection', (reason) => log.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
  const ctx: HostContext = {
    dirs,
    home,
    env: process.env,
    platform: process.platform,
    log,
    redactor,
    config: () => loadConfig(configFile(dirs), home),
  };
  log.info(`started ${COMPANION_VERSION} (node ${process.versions.node}) for ${process.argv.slice(2).join(' ') || 'no caller'}`);
  // A companion killed mid-clone (the browser crashed, the user ended it) could not clean up; do it
  // now, before any request can ask for the same folder.
  try {
    for (const swept of sweepStaleLocks(locksDir(dirs))) {
      log.info(`${swept.removed ? 'removed' : 'could not remove'} ${swept.path ?? 'a folder'} left by a companion that stopped mid-clone`);
    }
  } catch (error) {
    log.warn(`sweeping clones of stopped companions failed: ${(error as Error).message}`);
  }
  const session = new Session(ctx, process.stdout);
  const stop = (signal: string) => {
    log.info(`${signal}: cancelling running requests`);
    session.cancelAll();
    void session.settle().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  await session.run(process.stdin);
  log.info('input ended; exiting');
  process.stdout.write('', () => process.exit(0));
}

void main();
