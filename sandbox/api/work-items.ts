import { accountNames } from '../account-names';
import type { RequestContext } from '../context';
import { AzdoError, azdoErrors } from '../errors';
import type { Router } from '../router';
import type { User } from '../store';
import { IDENTITY_FIELDS, type WorkItem, type WorkItemRelation, type WorkItemState, type WorkItemType } from '../work-items';
import { atProjectAndOrg } from './route-helpers';
import { identityRef } from './shapes';
import { runWiql } from './wiql';

/**
 * Azure Boards (wit 7.1): one work item (`$expand=relations`), several by `ids`, updates as JSON
 * Patch (fields and relations, e.g. the `ArtifactLink` to a branch), WIQL, and each project's
 * work item types and their states. Documented in sandbox/README.md.
 */
export function registerWorkItems(router: Router): void {
  const read = { scope: 'vso.work' };
  atProjectAndOrg(router, 'GET', '/_apis/wit/workitems', list, read);
  atProjectAndOrg(router, 'GET', '/_apis/wit/workitems/{id}', getOne, read);
  atProjectAndOrg(router, 'PATCH', '/_apis/wit/workitems/{id}', update, { scope: 'vso.work_write' });
  // WIQL answers across the organization's projects unless the query names one (`@project`).
  router.post('collection', '/{project}/{team}/_apis/wit/wiql', wiql, read);
  atProjectAndOrg(router, 'POST', '/_apis/wit/wiql', wiql, read);
  router.get('collection', '/{project}/_apis/wit/workitemtypes', types, read);
  router.get('collection', '/{project}/_apis/wit/workitemtypes/{type}', oneType, read);
  router.get('collection', '/{project}/_apis/wit/workitemtypes/{type}/states', states, read);
}

const WIT = 'Microsoft.TeamFoundation.WorkItemTracking.Server';
const witError = (status: number, message: string, typeKey: string) => new AzdoError(status, message, typeKey, `${WIT}.${typeKey}, ${WIT}`);
const notFound = (id: number | string) =>
  witError(404, `TF401232: Work item ${id} does not exist, or you do not have permissions to read it.`, 'WorkItemUnauthorizedAccessException');
const MAX_IDS = 200;

type Expand = 'none' | 'relations' | 'fields' | 'links' | 'all';

function expandOf(ctx: RequestContext): Expand {
  const raw = (ctx.query.get('$expand') ?? 'none').toLowerCase();
  if (!['none', 'relations', 'fields', 'links', 'all'].includes(raw)) throw azdoErrors.badRequest(`The value '${raw}' is not valid for $expand.`, 'InvalidArgumentValueException');
  return raw as Expand;
}

function fieldsOf(ctx: RequestContext, expand: Expand): string[] | undefined {
  const raw = ctx.query.get('fields');
  if (!raw) return undefined;
  if (expand !== 'none') throw witError(400, 'The expand parameter can not be used with the fields parameter.', 'ConflictingParametersException');
  return raw.split(',').map((f) => f.trim()).filter(Boolean);
}

function workItemId(ctx: RequestContext): number {
  const raw = ctx.params.id!;
  if (!/^\d{1,9}$/.test(raw)) throw azdoErrors.badRequest(`The value '${raw}' is not valid for id.`, 'InvalidArgumentValueException');
  return Number(raw);
}

/** The item, also checked against the `{project}` of the path when there is one. */
function findItem(ctx: RequestContext, id: number): WorkItem {
  const item = ctx.store.workItems.get(ctx.organization().id, id);
  const project = ctx.optionalProject();
  if (!item || (project && item.projectId !== project.id)) throw notFound(id);
  return item;
}

/** WorkItem as the service answers it: identities as IdentityRefs, relations and links when asked. */
export function workItemJson(ctx: RequestContext, item: WorkItem, opts: { expand: Expand; fields?: string[] | undefined; links: boolean }): Record<string, unknown> {
  const url = ctx.urls.api(`wit/workItems/${item.id}`);
  const fields: Record<string, unknown> = {};
  const wanted = opts.fields?.map((f) => f.toLowerCase());
  const all = { 'System.Id': item.id, ...item.fields };
  for (const [name, value] of Object.entries(all)) {
    if (wanted ? !wanted.includes(name.toLowerCase()) : name === 'System.Id') continue;
    const user = IDENTITY_FIELDS.has(name) ? ctx.store.users.get(String(value)) : undefined;
    fields[name] = user ? identityRef(ctx, user) : value;
  }
  const project = ctx.store.projects.get(item.projectId)!;
  const withRelations = opts.expand === 'relations' || opts.expand === 'all';
  const withLinks = opts.links || opts.expand === 'links' || opts.expand === 'all';
  return {
    id: item.id,
    rev: item.rev,
    fields,
    ...(withRelations && item.relations.length ? { relations: item.relations.map(relationJson) } : {}),
    ...(withLinks
      ? {
          _links: {
            self: { href: url },
            workItemUpdates: { href: `${url}/updates` },
            workItemRevisions: { href: `${url}/revisions` },
            workItemHistory: { href: `${url}/history` },
            workItemComments: { href: `${url}/comments` },
            html: { href: `${ctx.collectionUrl}/web/wi.aspx?pcguid=${ctx.organization().id}&id=${item.id}` },
            workItemType: { href: `${ctx.collectionUrl}/${project.id}/_apis/wit/workItemTypes/${encodeURIComponent(String(item.fields['System.WorkItemType']))}` },
            fields: { href: ctx.urls.api('wit/fields') },
          },
        }
      : {}),
    url,
  };
}

function relationJson(r: WorkItemRelation): Record<string, unknown> {
  return { rel: r.rel, url: r.url, attributes: { isLocked: false, ...r.attributes } };
}

async function getOne(ctx: RequestContext): Promise<void> {
  const expand = expandOf(ctx);
  const fields = fieldsOf(ctx, expand);
  const item = findItem(ctx, workItemId(ctx));
  ctx.reply(workItemJson(ctx, item, { expand, fields, links: !fields }));
}

async function list(ctx: RequestContext): Promise<void> {
  const raw = ctx.query.get('ids');
  if (!raw) throw azdoErrors.badRequest('Value cannot be null.\r\nParameter name: ids', 'ArgumentNullException');
  const ids = raw.split(',').map((s) => s.trim());
  if (ids.some((s) => !/^\d{1,9}$/.test(s))) throw azdoErrors.badRequest(`The value '${raw}' is not valid for ids.`, 'InvalidArgumentValueException');
  if (ids.length > MAX_IDS) throw witError(400, `VS402337: The number of work items requested exceeds the limit of ${MAX_IDS}.`, 'WorkItemPageSizeExceededException');
  const expand = expandOf(ctx);
  const fields = fieldsOf(ctx, expand);
  const omit = (ctx.query.get('errorPolicy') ?? 'fail').toLowerCase() === 'omit';
  const project = ctx.optionalProject();
  const value = ids.map(Number).map((id) => {
    const item = ctx.store.workItems.get(ctx.organization().id, id);
    if (item && (!project || item.projectId === project.id)) return workItemJson(ctx, item, { expand, fields, links: false });
    if (omit) return null;
    throw notFound(id);
  });
  ctx.replyList(value);
}

// ---- updates (JSON Patch) ---------------------------------------------------------------

interface PatchOp {
  op: string;
  path: string;
  value?: unknown;
  from?: string | null;
}

const patchInvalid = (message: string) => witError(400, message, 'WorkItemPatchInvalidException');

async function update(ctx: RequestContext): Promise<void> {
  const type = String(ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json-patch+json') {
    throw new AzdoError(
      415,
      `The request indicated a Content-Type of "${type || 'none'}" for method type "PATCH" which is not supported. Valid content types for this method are: application/json-patch+json.`,
      'VssRequestContentTypeNotSupportedException',
      'Microsoft.VisualStudio.Services.WebApi.VssRequestContentTypeNotSupportedException, Microsoft.VisualStudio.Services.WebApi',
    );
  }
  const ops = await ctx.json();
  if (!Array.isArray(ops) || ops.length === 0) throw patchInvalid('You must pass a valid patch document in the body of the request.');
  const item = findItem(ctx, workItemId(ctx));
  // Applied to a copy: a failing operation leaves the stored item as it was.
  const next: WorkItem = { ...item, fields: { ...item.fields }, relations: item.relations.map((r) => ({ ...r, attributes: { ...r.attributes } })) };
  const itemType = ctx.store.workItems.type(item.projectId, String(item.fields['System.WorkItemType']))!;
  for (const raw of ops as PatchOp[]) applyOp(ctx, next, itemType, raw);

  const now = new Date().toISOString();
  const stateChanged = next.fields['System.State'] !== item.fields['System.State'];
  if (stateChanged) {
    next.fields['System.Reason'] = `Moved to state ${next.fields['System.State']}`;
    next.fields['Microsoft.VSTS.Common.StateChangeDate'] = now;
  }
  next.fields['System.ChangedDate'] = now;
  next.fields['System.ChangedBy'] = ctx.user().id;
  next.rev = item.rev + 1;
  if (ctx.query.get('validateOnly') !== 'true') Object.assign(item, next);
  ctx.reply(workItemJson(ctx, next, { expand: 'relations', links: true }));
}

function applyOp(ctx: RequestContext, item: WorkItem, type: WorkItemType, raw: PatchOp): void {
  if (!raw || typeof raw !== 'object' || typeof raw.op !== 'string' || typeof raw.path !== 'string') throw patchInvalid('Each operation needs op and path.');
  const op = raw.op.toLowerCase();
  const path = raw.path;
  if (op === 'test') {
    if (path.toLowerCase() !== '/rev') throw patchInvalid(`The test operation is supported on /rev only, not ${path}.`);
    if (raw.value !== item.rev) throw witError(412, `TF26071: This work item has been changed by someone else since you opened it. You will need to refresh it and discard your changes. (rev ${item.rev}, expected ${String(raw.value)})`, 'WorkItemRevisionMismatchException');
    return;
  }
  const field = /^\/fields\/(.+)$/i.exec(path);
  if (field) return setField(ctx, item, type, op, field[1]!, raw.value);
  if (/^\/relations\/-$/i.test(path) && op === 'add') return addRelation(item, raw.value);
  const index = /^\/relations\/(\d+)$/i.exec(path);
  if (index && op === 'remove') {
    const i = Number(index[1]);
    if (i >= item.relations.length) throw patchInvalid(`The work item has no relation at index ${i}.`);
    item.relations.splice(i, 1);
    return;
  }
  throw patchInvalid(`The operation '${raw.op}' on '${path}' is not supported.`);
}

const READ_ONLY = new Set(['system.id', 'system.rev', 'system.createddate', 'system.createdby', 'system.changeddate', 'system.changedby', 'system.teamproject', 'system.workitemtype']);

function setField(ctx: RequestContext, item: WorkItem, type: WorkItemType, op: string, name: string, value: unknown): void {
  if (op !== 'add' && op !== 'replace' && op !== 'remove') throw patchInvalid(`The operation '${op}' is not supported on fields.`);
  if (READ_ONLY.has(name.toLowerCase())) throw witError(400, `TF401326: Invalid field status 'ReadOnly' for field '${name}'.`, 'RuleValidationException');
  const known = Object.keys(item.fields).find((f) => f.toLowerCase() === name.toLowerCase()) ?? name;
  if (op === 'remove') {
    if (known === 'System.Title' || known === 'System.State') throw witError(400, `TF401320: Rule Error for field ${known}. Error code: Required, InvalidEmpty.`, 'RuleValidationException');
    delete item.fields[known];
    return;
  }
  if (known === 'System.State') {
    const state = type.states.find((s) => s.name.toLowerCase() === String(value).toLowerCase());
    if (!state) throw witError(400, `TF401320: Rule Error for field State. Error code: Required, HasValues, LimitedToValues, AllowsOldValue, InvalidUnknown. The value '${String(value)}' is not a state of ${type.name}.`, 'RuleValidationException');
    item.fields[known] = state.name;
    return;
  }
  if (IDENTITY_FIELDS.has(known)) {
    const user = personNamed(ctx, value);
    if (!user) throw witError(400, `TF401320: Rule Error for field ${known}. Error code: ValidIdentity. '${String(value)}' is not a known identity.`, 'RuleValidationException');
    item.fields[known] = user.id;
    return;
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw patchInvalid(`The value of ${known} must be a string or a number.`);
  item.fields[known] = value;
}

/** `Ada Lovelace`, `ada@fabrikam.test`, `Ada Lovelace <ada@fabrikam.test>` or an identity object with an id. */
function personNamed(ctx: RequestContext, value: unknown): User | undefined {
  if (value && typeof value === 'object' && 'id' in value) return ctx.store.users.get(String((value as { id: unknown }).id).toLowerCase());
  if (typeof value !== 'string') return undefined;
  const mail = /<([^>]+)>\s*$/.exec(value)?.[1] ?? value;
  const byMail = ctx.store.user(mail.trim());
  if (byMail) return byMail;
  return [...ctx.store.users.values()].find((u) => u.displayName.toLowerCase() === value.trim().toLowerCase());
}

function addRelation(item: WorkItem, value: unknown): void {
  const v = value as { rel?: unknown; url?: unknown; attributes?: unknown } | null;
  if (!v || typeof v.rel !== 'string' || typeof v.url !== 'string') throw patchInvalid('A relation needs rel and url.');
  const attributes = (v.attributes && typeof v.attributes === 'object' ? v.attributes : {}) as Record<string, string | number | boolean>;
  if (v.rel === 'ArtifactLink') {
    if (!/^vstfs:\/\/\/[^/]+\/[^/]+\/.+/i.test(v.url)) throw witError(400, `TF401263: The artifact link ${v.url} is not a valid artifact URI (vstfs:///{tool}/{type}/{id}).`, 'InvalidArtifactLinkException');
    if (typeof attributes.name !== 'string' || !attributes.name) throw witError(400, 'TF401264: An artifact link needs the name attribute (its link type, e.g. Branch).', 'InvalidArtifactLinkException');
  } else if (v.rel !== 'Hyperlink') {
    throw patchInvalid(`The sandbox does not support relations of type ${v.rel}.`);
  }
  if (item.relations.some((r) => r.rel === v.rel && r.url.toLowerCase() === String(v.url).toLowerCase())) {
    throw witError(400, `TF201035: The link to ${v.url} already exists on work item ${item.id}.`, 'WorkItemLinkAlreadyExistsException');
  }
  const now = new Date().toISOString();
  const extra: Record<string, string | number> = v.rel === 'ArtifactLink' ? { authorizedDate: now, id: item.relations.length + 1, resourceCreatedDate: now, resourceModifiedDate: now, revisedDate: '9999-01-01T00:00:00Z' } : {};
  item.relations.push({ rel: v.rel, url: v.url, attributes: { ...extra, ...attributes } });
}

// ---- WIQL ----------------------------------------------------------------------------------

async function wiql(ctx: RequestContext): Promise<void> {
  const body = (await ctx.json()) as { query?: unknown } | null;
  if (!body || typeof body.query !== 'string' || !body.query.trim()) throw azdoErrors.badRequest('Value cannot be null.\r\nParameter name: wiql.Query', 'ArgumentNullException');
  const topRaw = ctx.query.get('$top');
  const top = topRaw === null ? 20_000 : Number(topRaw);
  if (!Number.isInteger(top) || top < 1) throw azdoErrors.badRequest(`The value '${topRaw}' is not valid for $top.`, 'InvalidArgumentValueException');
  const project = ctx.optionalProject();
  const result = runWiql(body.query, {
    items: ctx.store.workItems.ofOrganization(ctx.organization().id),
    me: ctx.user(),
    project,
    users: ctx.store.users,
    uniqueName: (user) => accountNames(ctx.organization(), user).uniqueName,
    projectName: (id) => ctx.store.projects.get(id)?.name ?? '',
  });
  const field = (ref: string) => ({ referenceName: ref, name: friendlyName(ref), url: ctx.urls.api(`wit/fields/${ref}`) });
  ctx.reply({
    queryType: 'flat',
    queryResultType: 'workItem',
    asOf: new Date().toISOString(),
    columns: result.columns.map(field),
    sortColumns: result.sort.map((s) => ({ field: field(s.field), descending: s.descending })),
    workItems: result.ids.slice(0, top).map((id) => ({ id, url: ctx.urls.api(`wit/workItems/${id}`) })),
  });
}

const FRIENDLY: Record<string, string> = { 'System.Id': 'ID', 'System.AssignedTo': 'Assigned To', 'System.WorkItemType': 'Work Item Type', 'System.TeamProject': 'Team Project', 'System.ChangedDate': 'Changed Date', 'System.CreatedDate': 'Created Date' };
const friendlyName = (ref: string) => FRIENDLY[ref] ?? ref.split('.').pop()!;

// ---- work item types and states ------------------------------------------------------------

function typeOf(ctx: RequestContext): WorkItemType {
  const project = ctx.project();
  const t = ctx.store.workItems.type(project.id, ctx.params.type!);
  if (!t) throw witError(404, `TF401325: The work item type ${ctx.params.type} does not exist in project ${project.name}.`, 'WorkItemTypeNotFoundException');
  return t;
}

function typeJson(ctx: RequestContext, t: WorkItemType): Record<string, unknown> {
  const project = ctx.project();
  const field = (referenceName: string, name: string, alwaysRequired: boolean) => ({ alwaysRequired, helpText: '', referenceName, name, url: ctx.urls.api(`wit/fields/${referenceName}`) });
  const fields = [field('System.Title', 'Title', true), field('System.State', 'State', true), field('System.AssignedTo', 'Assigned To', false), field('System.Description', 'Description', false)];
  const transitions: Record<string, { to: string; actions: string[] | null }[]> = { '': [{ to: t.states[0]!.name, actions: null }] };
  for (const from of t.states) transitions[from.name] = t.states.map((to) => ({ to: to.name, actions: transitionActions(from, to) }));
  const url = `${ctx.collectionUrl}/${project.id}/_apis/wit/workItemTypes/${encodeURIComponent(t.name)}`;
  return {
    name: t.name,
    referenceName: t.referenceName,
    description: t.description,
    color: t.color,
    icon: { id: t.icon, url: `${ctx.collectionUrl}/_apis/wit/workItemIcons/${t.icon}?color=${t.color}&v=2` },
    isDisabled: false,
    xmlForm: `<FORM><Layout><Control FieldName="System.Title" Type="FieldControl" /></Layout></FORM>`,
    fields,
    fieldInstances: fields,
    transitions,
    states: t.states,
    _links: { self: { href: url } },
    url,
  };
}

/** The actions the service names on some transitions (tools react to StartWork, e.g. to set "Activated By"). */
function transitionActions(from: WorkItemState, to: WorkItemState): string[] | null {
  if (from.category === 'Proposed' && to.category === 'InProgress') return ['Microsoft.VSTS.Actions.StartWork'];
  if (from.category === 'InProgress' && to.category === 'Proposed') return ['Microsoft.VSTS.Actions.StopWork'];
  if (from.category === 'InProgress' && (to.category === 'Resolved' || to.category === 'Completed')) return ['Microsoft.VSTS.Actions.Checkin'];
  return null;
}

function types(ctx: RequestContext): void {
  const project = ctx.project();
  ctx.replyList(ctx.store.workItems.types(project.id).map((t) => typeJson(ctx, t)));
}

function oneType(ctx: RequestContext): void {
  ctx.reply(typeJson(ctx, typeOf(ctx)));
}

function states(ctx: RequestContext): void {
  ctx.replyList(typeOf(ctx).states.map((s) => ({ name: s.name, color: s.color, category: s.category })));
}
