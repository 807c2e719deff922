/**
 * Work items (Azure Boards) in the sandbox's model: the items, and the process each project uses.
 * State names differ per process (Agile: New/Active/Resolved/Closed, Scrum: New/Approved/
 * Committed/Done, Basic: To Do/Doing/Done); clients find the "in progress" one by its category,
 * as the real service's `workitemtypes/{type}/states` answers it.
 */

export type StateCategory = 'Proposed' | 'InProgress' | 'Resolved' | 'Completed' | 'Removed';

export interface WorkItemState {
  name: string;
  color: string;
  category: StateCategory;
}

export interface WorkItemType {
  name: string;
  referenceName: string;
  color: string;
  icon: string;
  description: string;
  states: WorkItemState[];
}

export type ProcessName = 'Agile' | 'Scrum' | 'Basic';

const s = (name: string, color: string, category: StateCategory): WorkItemState => ({ name, color, category });

const AGILE_STATES = [s('New', 'b2b2b2', 'Proposed'), s('Active', '007acc', 'InProgress'), s('Resolved', 'ff9d00', 'Resolved'), s('Closed', '339933', 'Completed'), s('Removed', 'ffffff', 'Removed')];
const SCRUM_STATES = [s('New', 'b2b2b2', 'Proposed'), s('Approved', '5688e0', 'Proposed'), s('Committed', '007acc', 'InProgress'), s('Done', '339933', 'Completed'), s('Removed', 'ffffff', 'Removed')];
const SCRUM_TASK_STATES = [s('To Do', 'b2b2b2', 'Proposed'), s('In Progress', '007acc', 'InProgress'), s('Done', '339933', 'Completed'), s('Removed', 'ffffff', 'Removed')];
const BASIC_STATES = [s('To Do', 'b2b2b2', 'Proposed'), s('Doing', '007acc', 'InProgress'), s('Done', '339933', 'Completed')];

const type = (name: string, color: string, icon: string, states: WorkItemState[]): WorkItemType => ({
  name,
  referenceName: `Microsoft.VSTS.WorkItemTypes.${name.replace(/\s+/g, '')}`,
  color,
  icon,
  description: `Tracks a ${name.toLowerCase()}.`,
  states,
});

export const PROCESSES: Record<ProcessName, WorkItemType[]> = {
  Agile: [type('User Story', '009ccc', 'icon_book', AGILE_STATES), type('Bug', 'cc293d', 'icon_insect', AGILE_STATES), type('Task', 'f2cb1d', 'icon_clipboard', AGILE_STATES)],
  Scrum: [type('Product Backlog Item', '009ccc', 'icon_list', SCRUM_STATES), type('Bug', 'cc293d', 'icon_insect', SCRUM_STATES), type('Task', 'f2cb1d', 'icon_clipboard', SCRUM_TASK_STATES)],
  Basic: [type('Issue', '339947', 'icon_clipboard_issue', BASIC_STATES), type('Task', 'f2cb1d', 'icon_clipboard', BASIC_STATES), type('Epic', 'ff7b00', 'icon_crown', BASIC_STATES)],
};

export interface WorkItemRelation {
  /** `ArtifactLink`, `System.LinkTypes.Hierarchy-Reverse`, `Hyperlink`, … */
  rel: string;
  url: string;
  attributes: Record<string, string | number | boolean>;
}

export interface WorkItem {
  id: number;
  orgId: string;
  projectId: string;
  rev: number;
  /** Every field by reference name (`System.Title`, `System.State`, …); identities as user ids in `…By`/`AssignedTo`. */
  fields: Record<string, string | number>;
  relations: WorkItemRelation[];
}

/** Fields whose values are people: the model keeps user ids, answers carry identity references. */
export const IDENTITY_FIELDS = new Set(['System.AssignedTo', 'System.CreatedBy', 'System.ChangedBy']);

export class WorkItems {
  readonly items = new Map<string, WorkItem>();
  private readonly processOf = new Map<string, ProcessName>();
  private readonly nextId = new Map<string, number>();

  setProcess(projectId: string, process: ProcessName): void {
    this.processOf.set(projectId, process);
  }

  process(projectId: string): ProcessName {
    return this.processOf.get(projectId) ?? 'Agile';
  }

  types(projectId: string): WorkItemType[] {
    return PROCESSES[this.process(projectId)];
  }

  /** A type of the project's process by name (case-insensitive), like the service. */
  type(projectId: string, name: string): WorkItemType | undefined {
    return this.types(projectId).find((t) => t.name.toLowerCase() === name.toLowerCase());
  }

  /** Ids count up per organization (collection), across its projects, like the real service. */
  add(item: Omit<WorkItem, 'id' | 'rev'>): WorkItem {
    const id = this.nextId.get(item.orgId) ?? 1;
    this.nextId.set(item.orgId, id + 1);
    const full: WorkItem = { ...item, id, rev: 1 };
    this.items.set(`${item.orgId}/${id}`, full);
    return full;
  }

  get(orgId: string, id: number): WorkItem | undefined {
    return this.items.get(`${orgId}/${id}`);
  }

  ofOrganization(orgId: string): WorkItem[] {
    return [...this.items.values()].filter((w) => w.orgId === orgId);
  }
}

/** `vstfs:///Git/Ref/{projectId}%2F{repositoryId}%2FGB{branch}`: the link the web UI makes to a branch. */
export function branchArtifactUri(projectId: string, repositoryId: string, branch: string): string {
  return `vstfs:///Git/Ref/${encodeURIComponent(`${projectId}/${repositoryId}/GB${branch}`)}`;
}

/** The project, repository and branch a `vstfs:///Git/Ref/…` URI names, or undefined. */
export function parseBranchArtifactUri(uri: string): { projectId: string; repositoryId: string; branch: string } | undefined {
  const m = /^vstfs:\/\/\/Git\/Ref\/(.+)$/i.exec(uri);
  if (!m) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
  const [projectId, repositoryId, ...rest] = decoded.split('/');
  const ref = rest.join('/');
  if (!projectId || !repositoryId || !ref.startsWith('GB') || ref.length < 3) return undefined;
  return { projectId, repositoryId, branch: ref.slice(2) };
}
