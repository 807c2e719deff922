import type { EntraApps } from './entra/apps';
import type { EntraTokens } from './entra/tokens';
import type { Faults } from './faults';
import type { GitRepos } from './git-repos';
import type { RequestLog } from './request-log';
import type { Sessions } from './sessions';
import type { Store } from './store';

/** Everything a route handler may use, shared by one running sandbox. */
export interface Services {
  store: Store;
  git: GitRepos;
  sessions: Sessions;
  /** The Entra ID stand-in: app registrations, issued codes and tokens, its own sign-in sessions (ESTSAUTH). */
  entra: { apps: EntraApps; tokens: EntraTokens; sessions: Sessions };
  faults: Faults;
  log: RequestLog;
  dataDir: string;
}
