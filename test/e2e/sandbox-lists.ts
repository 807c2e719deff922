import type { Sandbox } from '../../sandbox/index';

/** An organization's repository names in the popup's order: by project, then name. */
export function sandboxRepos(sandbox: Sandbox, orgName: string): string[] {
  const org = sandbox.store.organization(orgName)!;
  const projectOf = new Map(sandbox.store.projectsOf(org).map((p) => [p.id, p.name]));
  return sandbox.store
    .repositoriesOf(org)
    .map((r) => ({ name: r.name, project: projectOf.get(r.projectId)! }))
    .toSorted((a, b) => a.project.toLowerCase().localeCompare(b.project.toLowerCase()) || a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
    .map((r) => r.name);
}
