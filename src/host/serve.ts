/**
 * The host after its caller check and first answer (native-messaging.ts): zod and the schemas,
 * crash cleanup of earlier companions, then the session until the browser closes the port or
 * asks it to stop.
 */
import { configFile, locksDir, type CompanionDirs } from './companion-dirs';
import { loadConfig } from './config';
import { prepareCloning } from './clone';
import { sweepStaleLocks } from './destination-lock';
import { gitEnv } from './git-env';
import { handlerFor } from './handlers';
import { collectYoungGeneration } from './idle-gc';
import type { HostContext } from './host-context';
import type { Logger } from './log';
import { ReadyProcess } from './ready-process';
import type { Redactor } from './redact';
import { Session } from './session';

export interface Serve {
  home: string;
  dirs: CompanionDirs;
  log: Logger;
  redactor: Redactor;
  gitVersion: Promise<string | null>;
  /** The git program main.ts found on PATH (undefined: none). */
  gitProgram: string | undefined;
  /** Bytes already read from stdin and not answered yet. */
  pending: Buffer;
}

export async function serve({ home, dirs, log, redactor, gitVersion, gitProgram, pending }: Serve): Promise<void> {
  // Known before any request is read: whether this git may run at all (handlers.ts) is decided once.
  const handle = handlerFor(await gitVersion);
  // Only where starting a program forks the whole host (ready-process.ts).
  const git = process.platform === 'linux' ? gitProgram : undefined;
  const ctx: HostContext = {
    dirs,
    home,
    env: process.env,
    platform: process.platform,
    log,
    redactor,
    config: () => loadConfig(configFile(dirs), home),
    gitVersion: () => gitVersion,
    readyGit: git === undefined ? undefined : new ReadyProcess(git, gitEnv(process.env)),
  };
  // A companion killed mid-clone (the browser crashed, the user ended it) could not clean up; do it
  // now, before any request but the first `hello` can ask for the same folder.
  try {
    for (const swept of sweepStaleLocks(locksDir(dirs), ctx.config().cloneRoots)) {
      for (const kept of swept.kept) log.warn(`left ${kept.path}, which a companion that stopped mid-clone had made: ${kept.reason}`);
      if (swept.kept.length === 0) log.info(`${swept.removed ? 'removed' : 'could not remove'} ${swept.path ?? 'a folder'} left by a companion that stopped mid-clone`);
    }
  } catch (error) {
    log.warn(`sweeping clones of stopped companions failed: ${(error as Error).message}`);
  }
  // V8 runs a young-generation collection as an idle task once that generation is 80 % full. A
  // host is idle mainly while git runs for it, so that task landed in nearly every clone (5–15 ms
  // of collector threads, against git, on a two-core machine); now the collection runs only when
  // the generation is full. node:v8 is loaded here, not imported: at the bundle's top it would
  // load before `hello` is answered.
  process.getBuiltinModule('node:v8').setFlagsFromString('--no-minor-gc-task');
  prepareCloning(locksDir(dirs));
  // The next clone's git, started before any request but hello is read (the fork blocks the host
  // for a few ms); once a clone took it, the next one is started when the host is idle again.
  ctx.readyGit?.prepare();
  // Emptied now and whenever the host turns idle, so that a clone does not pause to do it.
  collectYoungGeneration();
  const session = new Session(ctx, process.stdout, handle, () => {
    ctx.readyGit?.prepare();
    collectYoungGeneration();
  });
  const stop = (signal: string) => {
    log.info(`${signal}: cancelling running requests`);
    session.cancelAll();
    void session.settle().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  if (pending.length > 0) session.push(pending);
  await session.run(process.stdin);
  log.info('input ended; exiting');
  process.stdout.write('', () => process.exit(0));
}
