import type { Router } from '../router';
import { registerWebPages } from '../web/routes';
import { registerAdmin } from './admin';
import { registerConnectionData } from './connection-data';
import { registerEntra } from './entra';
import { registerGitHttp } from './git-http';
import { registerProfile } from './profile';
import { registerProjects } from './projects';
import { registerRepositories } from './repositories';

/** Every route of the sandbox. New areas: add a file under sandbox/api/ and one line here. */
export function registerAll(router: Router): void {
  registerAdmin(router);
  registerEntra(router);
  registerProfile(router);
  registerConnectionData(router);
  registerProjects(router);
  registerRepositories(router);
  registerGitHttp(router);
  // Pages last: their patterns are the broadest.
  registerWebPages(router);
}
