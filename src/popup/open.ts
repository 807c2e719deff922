import type { OptionsSection, RepoSummary } from '../shared/messages';
import type { Profile } from '../shared/profile';

/**
 * Opening tabs from the popup. The modules this needs (the browser API polyfill; the profile
 * module, which brings zod) load on the first click instead of with the popup, whose first
 * paint should carry only what draws the repository list.
 */

export function openTab(url: string): void {
  void import('../shared/ui/open').then((m) => m.openTab(url));
}

/** `profileId`: with `profiles`, that profile's editor (a refused token names its profile). */
export function openOptions(section?: OptionsSection, profileId?: string): void {
  void import('../shared/ui/open').then((m) => m.openOptions(section, profileId));
}

/** The repository's page in Azure DevOps (`/pullrequests`: its pull requests): the web URL it came with, else one built from the profile. */
export function openRepoPage(profile: Profile, repo: RepoSummary, page = ''): void {
  if (repo.webUrl) return openTab(repo.webUrl + page);
  void import('./repo-page-url').then((m) => openTab(m.builtRepoPageUrl(profile, repo) + page));
}
