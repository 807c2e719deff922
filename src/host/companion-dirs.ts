/**
 * Where the companion keeps its files. `ADO_COMPANION_HOME` puts everything in one folder (tests,
 * portable setups); otherwise each OS's usual places for per-user configuration and state.
 */
import { join, win32, posix } from 'node:path';

export interface CompanionDirs {
  /** config.json: clone roots and allowed hosts. */
  config: string;
  /** clones.json (the clones the companion made), lock files. */
  state: string;
  /** companion.log. */
  logs: string;
  /** The installed copy of the host and its launcher. */
  install: string;
}

export function companionDirs(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): CompanionDirs {
  const override = env.ADO_COMPANION_HOME;
  const path = platform === 'win32' ? win32 : posix;
  if (override) {
    return {
      config: override,
      state: path.join(override, 'state'),
      logs: path.join(override, 'logs'),
      install: path.join(override, 'host'),
    };
  }
  if (platform === 'win32') {
    const roaming = env.APPDATA || path.join(home, 'AppData', 'Roaming');
    const local = env.LOCALAPPDATA || path.join(home, 'AppData', 'Local');
    const mine = path.join(local, 'ado-companion');
    return {
      config: path.join(roaming, 'ado-companion'),
      state: path.join(mine, 'state'),
      logs: path.join(mine, 'logs'),
      install: path.join(mine, 'host'),
    };
  }
  if (platform === 'darwin') {
    const support = path.join(home, 'Library', 'Application Support', 'ado-companion');
    return {
      config: support,
      state: path.join(support, 'state'),
      logs: path.join(home, 'Library', 'Logs', 'ado-companion'),
      install: path.join(support, 'host'),
    };
  }
  const config = env.XDG_CONFIG_HOME || path.join(home, '.config');
  const state = path.join(env.XDG_STATE_HOME || path.join(home, '.local', 'state'), 'ado-companion');
  const data = path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'ado-companion');
  return {
    config: path.join(config, 'ado-companion'),
    state,
    logs: path.join(state, 'logs'),
    install: path.join(data, 'host'),
  };
}

export const configFile = (dirs: CompanionDirs): string => join(dirs.config, 'config.json');
export const logFile = (dirs: CompanionDirs): string => join(dirs.logs, 'companion.log');
export const registryFile = (dirs: CompanionDirs): string => join(dirs.state, 'clones.json');
export const locksDir = (dirs: CompanionDirs): string => join(dirs.state, 'locks');

/**
 * The hooks folder git is given in a folder the companion did not just create: one that can hold
 * no hooks. On POSIX that is `/dev/null` (`/dev/null/pre-commit` cannot exist). Git for Windows
 * reads `/dev/null/…` as `\dev\null\…` on the current drive, a folder any local user may create,
 * so there it is a folder below the user's own state folder that the companion never creates.
 */
export function noHooksDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  return platform === 'win32' ? win32.join(companionDirs(platform, env, home).state, 'no-hooks') : '/dev/null';
}
