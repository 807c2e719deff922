/**
 * The host as a browser starts it: for an extension it was installed for only, frames on stdin
 * and stdout, a log file, crash cleanup of earlier companions, and a clean exit when the browser
 * closes the port or asks it to stop.
 */
import * as z from 'zod';
import { MAX_FRAME_TO_BROWSER } from '../shared/host-protocol';
import { callerOf, isAllowedCaller } from './caller';
import { configFile, locksDir, logFile, type CompanionDirs } from './companion-dirs';
import { loadConfig } from './config';
import { sweepStaleLocks } from './destination-lock';
import { encodeFrame } from './frame-codec';
import type { HostContext } from './host-context';
import { fileLogger } from './log';
import { Redactor } from './redact';
import { Session } from './session';
import { COMPANION_VERSION } from './version';

export interface NativeMessagingStart {
  home: string;
  dirs: CompanionDirs;
  /** `git --version`, already asked (see main.ts). */
  gitVersion: Promise<string | null>;
}

export async function nativeMessaging({ home, dirs, gitVersion }: NativeMessagingStart): Promise<void> {
  // The same schemas run jitless in the extension; behave the same here.
  z.config({ jitless: true });
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
    gitVersion: () => gitVersion,
  };
  const args = process.argv.slice(2);
  log.info(`started ${COMPANION_VERSION} (node ${process.versions.node}) for ${args.join(' ') || 'no caller'}`);
  // Checked before anything else runs (even the sweep below writes): one error frame, then exit.
  const caller = callerOf(args);
  if (!caller || !isAllowedCaller(caller, dirs.install)) {
    const message = caller
      ? `${caller.id} is not an extension the companion was installed for; install the companion again with --extension-id ${caller.id} to allow it`
      : 'the companion serves only a browser extension it was installed for; it was started without one';
    log.warn(`refused the caller: ${message}`);
    process.stdout.write(encodeFrame({ id: null, ok: false, error: { code: 'FORBIDDEN_CALLER', message } }, MAX_FRAME_TO_BROWSER)!, () => process.exit(3));
    return;
  }
  // A companion killed mid-clone (the browser crashed, the user ended it) could not clean up; do it
  // now, before any request can ask for the same folder.
  try {
    for (const swept of sweepStaleLocks(locksDir(dirs), ctx.config().cloneRoots)) {
      for (const kept of swept.kept) log.warn(`left ${kept.path}, which a companion that stopped mid-clone had made: ${kept.reason}`);
      if (swept.kept.length === 0) log.info(`${swept.removed ? 'removed' : 'could not remove'} ${swept.path ?? 'a folder'} left by a companion that stopped mid-clone`);
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
