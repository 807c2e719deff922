import { html } from '../html';
import type { PageRequest } from '../page-request';
import type { View } from '../view';
import { pageHeader } from './common';

/** `/_git/{repo}/forks`: the forks of this repository (and where it was forked from). */
export function forksView(req: PageRequest): View {
  const repo = req.repo!;
  const parent = repo.parentId ? req.store.repositories.get(repo.parentId) : undefined;
  const forks = req.store.forksOf(repo);
  const projectName = (id: string) => req.store.projects.get(id)?.name ?? '';
  const main = html`<div class="bolt-page repos-forks-page flex-column">
${pageHeader({ title: 'Forks' })}
<div class="page-content flex-column rhythm-vertical-8">
${parent && html`<div class="repos-fork-parent">Forked from <a class="bolt-link" href="${req.links.repo(parent)}">${projectName(parent.projectId)} / ${parent.name}</a></div>`}
${
  forks.length
    ? html`<div class="bolt-list" role="list" aria-label="Forks of ${repo.name}">${forks.map(
        (f) =>
          html`<a class="bolt-list-row bolt-table-row" role="listitem" href="${req.links.repo(f)}" data-sandbox-fork="${f.id}"><span class="flex-grow">${f.name}</span><span class="secondary-text">${projectName(f.projectId)}</span></a>`,
      )}</div>`
    : html`<div class="secondary-text">There are no forks of ${repo.name} yet.</div>`
}
</div>
</div>`;
  return { title: `Forks - ${repo.name} - Repos`, main };
}
