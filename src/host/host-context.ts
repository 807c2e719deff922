/** What every request handler gets: the companion's places, settings, log, and its own request scope. */
import type { CompanionDirs } from './companion-dirs';
import type { CompanionConfig } from './config';
import type { GitProgress } from './git-progress';
import type { Logger } from './log';
import type { ReadyProcess } from './ready-process';
import type { Redactor } from './redact';

export interface HostContext {
  dirs: CompanionDirs;
  home: string;
  /** The environment programs inherit (the browser's, so tests can pass GIT_CONFIG_GLOBAL). */
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  log: Logger;
  redactor: Redactor;
  /** Reads the configuration file afresh (another companion process may have changed it). */
  config(): CompanionConfig;
  /** git's version (null: no git), asked once per process. */
  gitVersion(): Promise<string | null>;
  /** A git started ahead for the next clone, where starting one costs a fork of the host (ready-process.ts). */
  readyGit?: ReadyProcess;
}

export interface RequestScope {
  id: string;
  /** Aborted by a `cancel` request for this id, or when the browser disconnects. */
  signal: AbortSignal;
  progress(progress: GitProgress): void;
  /**
   * Runs `work` right after the request's answer is written, in the same turn of the event loop:
   * bookkeeping the answer does not depend on stays off the user's wait, and no later request
   * (which needs another turn to be read) can see the state before it. Not run when the request
   * fails.
   */
  afterAnswer(work: () => void): void;
}
