import { html, raw, type Html } from '../html';
import type { PageRequest } from '../page-request';
import type { View } from '../view';
import { parseBranchArtifactUri, type WorkItem } from '../../work-items';
import { pageHeader, rowMoreButton } from './common';
import { EXTENSION_MENUS, extensionItems } from './extension-menus';

/**
 * Azure Boards pages (see MARKUP.md, "Work items"): the work item form as a full page
 * (`/{project}/_workitems/edit/{id}`) and as the dialog a board opens over itself
 * (`/{project}/_boards/board/t/{team}/{backlog}?workitem={id}`). The form's header follows the
 * public evidence (`.work-item-form-headerContent`, `.work-item-form-id`, `.work-item-form-title`,
 * `.work-item-form-header-controls-container`); the Development section's markup is not public,
 * so its names are the sandbox's own.
 */

const field = (w: WorkItem, name: string) => String(w.fields[name] ?? '');

/** The look of these pages (kept here, beside their markup, rather than in the shared app.css). */
const STYLE = raw(`<style>
.witform-layout { background: var(--background-color, #fff); padding: 12px 16px; }
.work-item-form-main-header { padding: 4px 12px; margin-bottom: 8px; }
.work-item-form-headerContent { display: flex; align-items: center; gap: 8px; padding: 4px 0; }
.work-item-form-id { font-weight: 600; }
.work-item-form-title input { font: inherit; font-size: 1.25em; width: 100%; border: 1px solid transparent; background: transparent; color: inherit; }
.work-item-form-header-controls-container { display: flex; align-items: center; gap: 12px; }
.work-item-form-coreContent-row1 { display: flex; gap: 24px; }
.form-body { padding-top: 12px; }
.sandbox-board-column { min-width: 180px; }
.sandbox-board-card { display: block; padding: 8px; border: 1px solid rgba(0,0,0,.15); border-radius: 4px; text-decoration: none; }
.work-item-form-dialog { position: fixed; inset: 48px 64px; box-shadow: 0 8px 32px rgba(0,0,0,.35); border-radius: 6px; overflow: auto; z-index: 10; background: var(--background-color, #fff); }
</style>`);

export function workItemForm(req: PageRequest, w: WorkItem): Html {
  const assignee = w.fields['System.AssignedTo'] ? req.store.users.get(String(w.fields['System.AssignedTo'])) : undefined;
  const type = field(w, 'System.WorkItemType');
  const color = req.store.workItems.type(w.projectId, type)?.color ?? '009ccc';
  return html`<div class="witform-layout" data-sandbox-work-item="${w.id}">
<div class="witform-layout-scrollable-frame"><div class="witform-layout-content-container">
<div class="work-item-form-main-header" style="border-left: 6px solid #${color}">
<div class="work-item-form-headerContent flex-row rhythm-horizontal-8">
<div class="work-item-form-id" aria-label="ID Field"><span>${w.id}</span></div>
<div class="work-item-form-title flex-grow"><input class="flex-grow" type="text" aria-label="Title Field" value="${field(w, 'System.Title')}" readonly></div>
</div>
<div class="work-item-form-headerContent flex-row">
<div class="work-item-form-header-controls-container flex-row flex-grow rhythm-horizontal-8">
<div class="work-item-form-assignedTo" aria-label="Assigned To Field">${assignee ? assignee.displayName : 'Unassigned'}</div>
<div class="discussion-adornment-container"></div>
<div class="work-item-form-tags"></div>
</div>
<div class="work-item-form-toolbar-container">${rowMoreButton('More actions', ['Copy link', 'Templates', 'Delete'], extensionItems(req, EXTENSION_MENUS.workItemToolbar, { workItemId: w.id, id: w.id, workItemTypeName: type }))}</div>
</div>
</div>
<div class="work-item-form-main-core"><div class="work-item-form-coreContent"><div class="work-item-form-coreContent-row1 flex-row rhythm-horizontal-16">
<div class="work-item-form-coreContent-stateContainer"><span class="secondary-text">State</span> <span class="work-item-form-state" aria-label="State Field">${field(w, 'System.State')}</span></div>
<div class="work-item-form-coreContent-areaPathContainer"><span class="secondary-text">Area</span> <span class="work-item-form-areaIteration">${field(w, 'System.AreaPath')}</span></div>
<div class="work-item-form-coreContent-reasonContainer"><span class="secondary-text">Reason</span> <span class="work-item-form-reason">${field(w, 'System.Reason')}</span></div>
</div></div></div>
<div class="form-body flex-column rhythm-vertical-8">
<div class="secondary-text">${type}</div>
${developmentSection(req, w)}
</div>
</div></div>
</div>`;
}

/** The links to branches, as the Development section lists them. */
function developmentSection(req: PageRequest, w: WorkItem): Html {
  const branches = w.relations.filter((r) => r.rel === 'ArtifactLink' && r.attributes.name === 'Branch').map((r) => parseBranchArtifactUri(r.url));
  return html`<div class="sandbox-wit-development" role="region" aria-label="Development">
<div class="body-s secondary-text font-weight-semibold">Development</div>
${
  branches.length
    ? branches.map((b) => {
        const repo = b && req.store.repositories.get(b.repositoryId.toLowerCase());
        return html`<div class="sandbox-wit-development-link" data-sandbox-branch="${b?.branch ?? ''}">${repo && b ? html`<a class="bolt-link" href="${req.links.repo(repo, '', { version: `GB${b.branch}` })}">${b.branch}</a> <span class="secondary-text">${repo.name}</span>` : 'A link this page cannot read'}</div>`;
      })
    : html`<div class="secondary-text">Create a branch to link it to this work item.</div>`
}
</div>`;
}

/** `/{project}/_workitems/edit/{id}`, and `/{project}/_queries/edit/{id}` (the item opened from query results). */
export function workItemView(req: PageRequest): View {
  const w = req.workItem!;
  return {
    title: `${field(w, 'System.WorkItemType')} ${w.id}: ${field(w, 'System.Title')} - Boards`,
    main: html`${STYLE}<div class="bolt-page work-item-form-page flex-column">${workItemForm(req, w)}</div>`,
  };
}

/**
 * A board: one column per state, a card per work item of the project; `?workitem={id}` opens
 * that item's form in a dialog over the board, as Azure Boards does.
 */
export function boardView(req: PageRequest): View {
  const project = req.project!;
  const items = req.store.workItems.ofOrganization(req.org.id).filter((w) => w.projectId === project.id);
  const states = req.store.workItems.types(project.id)[0]!.states.filter((s) => s.category !== 'Removed');
  const open = req.workItem;
  const cardLink = (w: WorkItem) => {
    const u = new URL(req.url.href);
    u.searchParams.set('workitem', String(w.id));
    return `${u.pathname}${u.search}`;
  };
  const main = html`${STYLE}<div class="bolt-page sandbox-board-page flex-column">
${pageHeader({ title: `${req.page.team ?? project.name} board` })}
<div class="page-content flex-row rhythm-horizontal-16">${states.map(
    (s) => html`<div class="sandbox-board-column flex-column rhythm-vertical-8" aria-label="${s.name}"><div class="font-weight-semibold">${s.name}</div>${items
      .filter((w) => w.fields['System.State'] === s.name)
      .map(
        (w) =>
          html`<a class="sandbox-board-card bolt-card" href="${cardLink(w)}" data-sandbox-card="${w.id}" data-sandbox-context-menu>${w.id} ${field(w, 'System.Title')}${extensionItems(req, EXTENSION_MENUS.workItemContext, { workItemIds: [w.id], ids: [w.id], workItemTypeNames: [field(w, 'System.WorkItemType')] })}</a>`,
      )}</div>`,
  )}</div>
${open && html`<div class="bolt-dialog-root work-item-form-dialog" role="dialog" aria-modal="true" aria-label="${field(open, 'System.WorkItemType')} ${open.id}">${workItemForm(req, open)}</div>`}
</div>`;
  return { title: `${project.name} board - Boards`, main };
}
