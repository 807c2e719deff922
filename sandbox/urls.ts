import { CLOUD_HOST, legacyHost, ONPREM_HOST, ONPREM_PREFIX, VSSPS_HOST } from './hosts';
import type { Organization, Project, Repository } from './store';

/** How the caller addressed the organization; answers use the same form. */
export type HostForm = 'cloud' | 'legacy' | 'onprem';

/** URLs as the real service writes them for one organization in one host form. */
export class CollectionUrls {
  /** `https://dev.azure.com/fabrikam`, `https://fabrikam.visualstudio.com`, `https://tfs.fabrikam.test/tfs/DefaultCollection`. */
  readonly base: string;

  constructor(readonly org: Organization, readonly form: HostForm) {
    const name = encodeURIComponent(org.name);
    this.base =
      form === 'onprem'
        ? `https://${ONPREM_HOST}${ONPREM_PREFIX}/${name}`
        : form === 'legacy'
          ? `https://${legacyHost(org.name)}`
          : `https://${CLOUD_HOST}/${name}`;
  }

  /** `{base}/_apis/{path}` */
  api(path: string): string {
    return `${this.base}/_apis/${path}`;
  }

  /** `https://vssps.dev.azure.com/{org}` in the cloud; the collection itself on-prem. */
  get vssps(): string {
    return this.form === 'onprem' ? this.base : `https://${VSSPS_HOST}/${encodeURIComponent(this.org.name)}`;
  }

  projectUrl(project: Project): string {
    return this.api(`projects/${project.id}`);
  }

  repositoryUrl(project: Project, repo: Repository): string {
    return `${this.base}/${project.id}/_apis/git/repositories/${repo.id}`;
  }

  /** The web page, and (for cloud with user name) the clone URL. The project segment is dropped when repo = project. */
  webUrl(project: Project, repo: Repository): string {
    return `${this.base}/${repoPath(project, repo)}`;
  }

  remoteUrl(project: Project, repo: Repository): string {
    if (this.form === 'cloud') return `https://${encodeURIComponent(this.org.name)}@${CLOUD_HOST}/${encodeURIComponent(this.org.name)}/${repoPath(project, repo)}`;
    return this.webUrl(project, repo);
  }

  sshUrl(project: Project, repo: Repository): string {
    const org = encodeURIComponent(this.org.name);
    const p = encodeURIComponent(project.name);
    const r = encodeURIComponent(repo.name);
    if (this.form === 'onprem') return `ssh://${ONPREM_HOST}:22${ONPREM_PREFIX}/${org}/${p}/_git/${r}`;
    if (this.form === 'legacy') return `${org}@vs-ssh.visualstudio.com:v3/${org}/${p}/${r}`;
    return `git@ssh.dev.azure.com:v3/${org}/${p}/${r}`;
  }
}

function repoPath(project: Project, repo: Repository): string {
  const r = encodeURIComponent(repo.name);
  return project.name.toLowerCase() === repo.name.toLowerCase() ? `_git/${r}` : `${encodeURIComponent(project.name)}/_git/${r}`;
}
