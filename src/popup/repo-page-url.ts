import { repoWebUrl } from '../shared/ado/urls';
import type { RepoSummary } from '../shared/messages';
import { orgBaseUrl, type Profile } from '../shared/profile';

/** A repository's page built from the profile, for a repository that came without its web URL. */
export const builtRepoPageUrl = (profile: Profile, repo: RepoSummary): string => repoWebUrl(orgBaseUrl(profile), repo.project.name, repo.name);
