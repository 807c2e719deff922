import type { Router } from '../router';
import { registerWebPages } from '../web/routes';
import { registerAdmin } from './admin';
import { registerConnectionData } from './connection-data';
import { registerEntra } from './entra';
import { registerGitHttp } from './git-http';
import { registerProfile } from './profile';
import { registerProjects } from './projects';
import { registerRepositories } from './repositories';
import { registerCommits } from './commits';
import { registerDiffs } from './diffs';
import { registerGitTemplates } from './git-templates';
import { registerIdentities } from './identities';
import { registerIdentityPicker } from './identity-picker';
import { registerPullRequestIterations } from './pull-request-iterations';
import { registerPullRequestReviewers } from './pull-request-reviewers';
import { registerPullRequests } from './pull-requests';
import { registerPushes } from './pushes';
import { registerRefs } from './refs';
import { registerRepositoryCreation } from './repository-create';
import { registerSshKeys } from './ssh-keys';
import { registerTeams } from './teams';
import { registerWorkItems } from './work-items';

/** Every route of the sandbox. New areas: add a file under sandbox/api/ and one line here. */
export function registerAll(router: Router): void {
  registerAdmin(router);
  registerEntra(router);
  registerProfile(router);
  registerConnectionData(router);
  registerProjects(router);
  registerRepositories(router);
  registerGitHttp(router);
  registerRepositoryCreation(router);
  registerGitTemplates(router);
  registerPushes(router);
  registerRefs(router);
  registerCommits(router);
  registerPullRequests(router);
  registerPullRequestIterations(router);
  registerPullRequestReviewers(router);
  registerIdentities(router);
  registerIdentityPicker(router);
  registerTeams(router);
  registerSshKeys(router);
  registerDiffs(router);
  registerWorkItems(router);
  // Pages last: their patterns are the broadest.
  registerWebPages(router);
}
