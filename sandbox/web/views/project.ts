import { html } from '../html';
import type { PageRequest } from '../page-request';
import type { View } from '../view';
import { pageHeader } from './common';

/** `/{org}/{project}`: a minimal project summary with its repositories. */
export function projectView(req: PageRequest): View {
  const project = req.project!;
  const repos = req.store.repositoriesOf(project);
  const main = html`<div class="bolt-page project-overview-page flex-column">
${pageHeader({ title: project.name })}
<div class="page-content flex-column rhythm-vertical-8">
<div class="bolt-card">${project.description ?? ''}</div>
<div role="heading" aria-level="2" class="font-weight-semibold">Repositories</div>
<div class="bolt-list" role="list">${repos.map(
    (r) => html`<a class="bolt-list-row" role="listitem" href="${req.links.repo(r)}"><span class="flex-grow">${r.name}</span>${r.isDisabled && html`<span class="secondary-text">Disabled</span>`}</a>`,
  )}</div>
</div>
</div>`;
  return { title: `${project.name} - Overview`, main };
}

/** `/{org}/`: the organization's projects. */
export function organizationView(req: PageRequest): View {
  const projects = req.store.projectsOf(req.org);
  const main = html`<div class="bolt-page organization-projects-page flex-column">
${pageHeader({ title: 'Projects' })}
<div class="page-content"><div class="bolt-list" role="list">${projects.map(
    (p) => html`<a class="bolt-list-row" role="listitem" href="${req.links.project(p)}"><span class="flex-grow">${p.name}</span><span class="secondary-text">${p.description ?? ''}</span></a>`,
  )}</div></div>
</div>`;
  return { title: `Projects - Home`, main };
}
