import * as z from 'zod';
import { conformingList, type Shape } from './quick-check';

/**
 * Shapes of Azure DevOps answers, checked at the boundary. Objects are loose (Azure DevOps adds
 * fields over time) but the fields the product relies on are required and typed. Optional fields
 * accept null, which Azure DevOps sends for some (`defaultTeamImageUrl: null`), and come out as
 * undefined. Field names follow ../ado-rest-specs.
 */

const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/**
 * A list answer. Azure DevOps wraps arrays as `{count, value}`; the specs sometimes describe a bare
 * array, so both are accepted and come out as the array.
 */
export const listOf = <T extends z.ZodType>(item: T) =>
  z
    .preprocess((v) => (Array.isArray(v) ? { value: v } : v), z.looseObject({ value: z.array(item) }))
    .transform((v) => v.value);

export const IdentityRef = z.looseObject({
  id: z.string(),
  displayName: z.string(),
  uniqueName: opt(z.string()),
  imageUrl: opt(z.string()),
  descriptor: opt(z.string()),
  isContainer: opt(z.boolean()),
});
export type IdentityRef = z.infer<typeof IdentityRef>;

export const ProjectRef = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: opt(z.string()),
  url: opt(z.string()),
  state: opt(z.string()),
  visibility: opt(z.string()),
  lastUpdateTime: opt(z.string()),
});
export type ProjectRef = z.infer<typeof ProjectRef>;

/** Repository as it appears inside other answers (pull requests, forks): fewer fields. */
export const RepositoryRef = z.looseObject({
  id: z.string(),
  name: z.string(),
  url: opt(z.string()),
  project: opt(ProjectRef),
  remoteUrl: opt(z.string()),
  sshUrl: opt(z.string()),
  isFork: opt(z.boolean()),
});
export type RepositoryRef = z.infer<typeof RepositoryRef>;

export const Repository = z.looseObject({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  project: ProjectRef,
  /** Absent while the repository is empty. */
  defaultBranch: opt(z.string()),
  remoteUrl: z.string(),
  sshUrl: opt(z.string()),
  webUrl: opt(z.string()),
  size: opt(z.number()),
  isDisabled: opt(z.boolean()),
  isFork: opt(z.boolean()),
  isInMaintenance: opt(z.boolean()),
  parentRepository: opt(RepositoryRef),
});
export type Repository = z.infer<typeof Repository>;

const projectRefShape: Shape = {
  required: { id: 'string', name: 'string' },
  optional: { description: 'string', url: 'string', state: 'string', visibility: 'string', lastUpdateTime: 'string' },
};
const repositoryRefShape: Shape = {
  required: { id: 'string', name: 'string' },
  optional: { url: 'string', project: projectRefShape, remoteUrl: 'string', sshUrl: 'string', isFork: 'boolean' },
};
/** `Repository`'s fields, for quick-check.ts (a unit test holds the two to the same answers). */
const repositoryShape: Shape = {
  required: { id: 'string', name: 'string', url: 'string', project: projectRefShape, remoteUrl: 'string' },
  optional: { defaultBranch: 'string', sshUrl: 'string', webUrl: 'string', size: 'number', isDisabled: 'boolean', isFork: 'boolean', isInMaintenance: 'boolean', parentRepository: repositoryRefShape },
};
const repositoryListSchema = listOf(Repository);

/**
 * Every repository of an organization (thousands): checked by hand (quick-check.ts), and only an
 * answer that does not fit goes through `listOf(Repository)`, whose issue becomes the error.
 */
export const RepositoryList: z.ZodType<Repository[]> = z.unknown().transform((body, ctx) => {
  const quick = conformingList(body, repositoryShape);
  if (quick) return quick as Repository[];
  const checked = repositoryListSchema.safeParse(body);
  if (checked.success) return checked.data;
  for (const issue of checked.error.issues) ctx.issues.push({ ...issue, input: undefined } as never);
  return z.NEVER;
});

export const ConnectionData = z.looseObject({
  authenticatedUser: z.looseObject({
    id: z.string(),
    providerDisplayName: opt(z.string()),
    subjectDescriptor: opt(z.string()),
    /** `Account.$value`: the sign-in name (`ada@fabrikam.test`). */
    properties: opt(z.looseObject({ Account: opt(z.looseObject({ $value: opt(z.string()) })) })),
  }),
  /** The organization's (collection's) id. */
  instanceId: z.string(),
  /** 'hosted' / 'onPremises', or 1 / 2 in some serializations. */
  deploymentType: opt(z.union([z.string(), z.number()])),
});
export type ConnectionData = z.infer<typeof ConnectionData>;

export const Profile = z.looseObject({
  id: z.string(),
  displayName: z.string(),
  emailAddress: opt(z.string()),
  publicAlias: opt(z.string()),
});
export type Profile = z.infer<typeof Profile>;

export const Account = z.looseObject({
  accountId: z.string(),
  accountName: z.string(),
  accountUri: opt(z.string()),
});
export type Account = z.infer<typeof Account>;

export const GitRef = z.looseObject({
  name: z.string(),
  objectId: z.string(),
  creator: opt(IdentityRef),
  isLocked: opt(z.boolean()),
});
export type GitRef = z.infer<typeof GitRef>;

const GitUserDate = z.looseObject({ name: z.string(), email: opt(z.string()), date: z.string() });

export const Commit = z.looseObject({
  commitId: z.string(),
  author: GitUserDate,
  committer: opt(GitUserDate),
  comment: opt(z.string()),
  remoteUrl: opt(z.string()),
});
export type Commit = z.infer<typeof Commit>;

/** Diffs - Get: only what the product reads of it. */
export const CommitDiffs = z.looseObject({
  changes: z
    .array(z.looseObject({ item: z.looseObject({ path: z.string(), isFolder: opt(z.boolean()), gitObjectType: opt(z.string()) }) }))
    .nullish(),
});

export const Push = z.looseObject({
  pushId: z.number().int(),
  commits: opt(z.array(z.looseObject({ commitId: z.string() }))),
  refUpdates: opt(z.array(z.looseObject({ name: z.string(), newObjectId: opt(z.string()) }))),
});
export type Push = z.infer<typeof Push>;

export const GitTemplate = z.looseObject({ name: z.string(), type: opt(z.string()) });

export const Reviewer = IdentityRef.extend({
  /** 10 approved, 5 approved with suggestions, 0 none, -5 waiting for author, -10 rejected. */
  vote: z.number().int(),
  isRequired: opt(z.boolean()),
  hasDeclined: opt(z.boolean()),
  isFlagged: opt(z.boolean()),
});
export type Reviewer = z.infer<typeof Reviewer>;

export const PullRequest = z.looseObject({
  pullRequestId: z.number().int(),
  status: z.string(),
  title: z.string(),
  description: opt(z.string()),
  sourceRefName: z.string(),
  targetRefName: z.string(),
  isDraft: opt(z.boolean()),
  creationDate: z.string(),
  closedDate: opt(z.string()),
  createdBy: IdentityRef,
  repository: RepositoryRef,
  reviewers: opt(z.array(Reviewer)).transform((v) => v ?? []),
  mergeStatus: opt(z.string()),
  url: opt(z.string()),
  forkSource: opt(z.looseObject({ repository: opt(RepositoryRef) })),
});
export type PullRequest = z.infer<typeof PullRequest>;

export const PullRequestIteration = z.looseObject({ id: z.number().int() });

export const PullRequestChange = z.looseObject({
  changeType: z.string(),
  item: z.looseObject({ path: z.string(), objectId: opt(z.string()) }),
  originalPath: opt(z.string()),
});
export type PullRequestChange = z.infer<typeof PullRequestChange>;

export const PullRequestIterationChanges = z.looseObject({
  changeEntries: z.array(PullRequestChange),
  nextSkip: opt(z.number().int()),
  nextTop: opt(z.number().int()),
});

export const Team = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: opt(z.string()),
  url: opt(z.string()),
  projectId: opt(z.string()),
});
export type Team = z.infer<typeof Team>;

export const TeamMember = z.looseObject({ identity: IdentityRef, isTeamAdmin: opt(z.boolean()) });
export type TeamMember = z.infer<typeof TeamMember>;

/** An identity from vssps `_apis/identities` (documented search). */
export const Identity = z.looseObject({
  id: z.string(),
  providerDisplayName: z.string(),
  descriptor: opt(z.string()),
  subjectDescriptor: opt(z.string()),
  isActive: opt(z.boolean()),
  isContainer: opt(z.boolean()),
  properties: opt(z.record(z.string(), z.unknown())),
});
export type Identity = z.infer<typeof Identity>;

/** An entry of the (undocumented) IdentityPicker answer: `localId` is what a reviewer needs. */
export const PickerIdentity = z.looseObject({
  entityId: z.string(),
  entityType: z.string(),
  /** Null for directory users who were never added to the organization. */
  localId: opt(z.string()),
  displayName: z.string(),
  mail: opt(z.string()),
  signInAddress: opt(z.string()),
  subjectDescriptor: opt(z.string()),
  active: opt(z.boolean()),
});
export type PickerIdentity = z.infer<typeof PickerIdentity>;

export const IdentityPickerAnswer = z.looseObject({
  results: z.array(z.looseObject({ identities: opt(z.array(PickerIdentity)).transform((v) => v ?? []) })),
});

/** A public SSH key as the token service lists it (undocumented). */
export const SshKey = z.looseObject({
  authorizationId: z.string(),
  displayName: z.string(),
  validTo: z.string(),
  validFrom: opt(z.string()),
  publicData: opt(z.string()),
  isValid: opt(z.boolean()),
  isPublic: opt(z.boolean()),
});
export type SshKey = z.infer<typeof SshKey>;

export const HierarchyQueryAnswer = z.looseObject({
  dataProviders: opt(z.record(z.string(), z.unknown())),
  dataProviderExceptions: opt(z.record(z.string(), z.looseObject({ message: opt(z.string()), typeKey: opt(z.string()) }))),
});

/** For answers whose body the caller does not use (DELETE). */
export const Ignored = z.unknown();

// ── Work items (wit) ───────────────────────────────────────────────────────────────────────

export const WorkItemRelation = z.looseObject({
  rel: z.string(),
  url: z.string(),
  attributes: opt(z.record(z.string(), z.unknown())),
});

/** Field values are strings, numbers, or IdentityRefs (`System.AssignedTo`). */
export const WorkItem = z.looseObject({
  id: z.number(),
  rev: opt(z.number()),
  fields: z.record(z.string(), z.unknown()),
  relations: opt(z.array(WorkItemRelation)),
  url: opt(z.string()),
});
export type WorkItem = z.infer<typeof WorkItem>;

export const WiqlResult = z.looseObject({
  workItems: z.array(z.looseObject({ id: z.number() })),
});

export const WorkItemState = z.looseObject({
  name: z.string(),
  color: opt(z.string()),
  category: z.string(),
});
export type WorkItemState = z.infer<typeof WorkItemState>;

export const RefUpdateResult = z.looseObject({
  name: z.string(),
  newObjectId: opt(z.string()),
  success: z.boolean(),
  updateStatus: z.string(),
  customMessage: opt(z.string()),
});
export type RefUpdateResult = z.infer<typeof RefUpdateResult>;
