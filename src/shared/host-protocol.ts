/**
 * The companion host protocol: every request the extension may send over native messaging, every
 * answer the host gives, and the limits both sides keep. Shared by the extension (background) and
 * the host, so it imports nothing from Node. Schemas avoid anything that needs zod's JIT: the
 * extension runs with `z.config({ jitless: true })`. Prose documentation: src/host/PROTOCOL.md.
 */
import * as z from 'zod';

export {
  ALIVE_EVERY_MS,
  CAPABILITIES,
  LONG_REQUESTS,
  CLOUD_GIT_HOSTS,
  CLOUD_HOST_SUFFIX,
  CLOUD_SSH_HOSTS,
  HOST_NAME,
  MAX_FRAME_FROM_BROWSER,
  MAX_FRAME_TO_BROWSER,
  MAX_LOCAL_CLONES,
  MAX_LOCAL_CLONE_PATHS,
  PROGRESS_EVENTS_PER_SECOND,
  PROTOCOL_VERSION,
} from './host-constants';
import { gitTooOld, gitTooOldMessage } from './git-help';
import { CAPABILITIES, HOST_NAME, MAX_LOCAL_CLONE_PATHS, PROTOCOL_VERSION } from './host-constants';

export type Capability = (typeof CAPABILITIES)[number];

export const ERROR_CODES = [
  'BAD_FRAME',
  'FRAME_TOO_LARGE',
  'RESPONSE_TOO_LARGE',
  'BAD_REQUEST',
  'URL_REFUSED',
  'HOST_NOT_ALLOWED',
  'DEST_OUTSIDE_ROOT',
  'DEST_EXISTS',
  'BUSY',
  'GIT_FAILED',
  'AUTH_FAILED',
  'NO_CREDENTIAL_HELPER',
  'NETWORK_FAILED',
  'BRANCH_NOT_FOUND',
  'NOT_FOUND',
  'REMOTE_EXISTS',
  'UNSAFE_REPOSITORY',
  'WORKTREE_DIRTY',
  'BRANCH_EXISTS',
  'CANCELLED',
  'KEY_EXISTS',
  'KEY_UNREADABLE',
  'SSH_CONFIG_CONFLICT',
  'TOOL_MISSING',
  'GIT_TOO_OLD',
  'CANNOT_WRITE',
  'FORBIDDEN_CALLER',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

// ---------------------------------------------------------------------------------------------
// Building blocks

/** Request ids are chosen by the extension and echoed in every answer and event. */
export const RequestIdSchema = z.string().min(1).max(128);

/** Length-limited, single-line text without control characters. */
const line = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    // oxlint-disable-next-line no-control-regex -- control characters are exactly what is refused
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

/** An absolute path as the host's OS writes it; the host checks it further. */
export const PathSchema = line(4096);

/** Credentials for one HTTPS command; they reach git through its environment only. */
/**
 * `orgUrl`: the organization (or collection) the token belongs to. When it is given, the host
 * sends the token only to a remote under it (`URL_REFUSED` otherwise); the extension always gives
 * it, so a page naming another remote of a clone cannot carry its organization's token elsewhere.
 */
const orgUrl = line(2048).optional();
export const GitAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pat'), token: line(1024), orgUrl }).strict(),
  z.object({ kind: z.literal('bearer'), token: line(8192), orgUrl }).strict(),
]);
export type GitAuth = z.infer<typeof GitAuthSchema>;

// ---------------------------------------------------------------------------------------------
// Requests

const base = { id: RequestIdSchema };

export const HelloRequestSchema = z
  .object({ ...base, type: z.literal('hello'), protocolVersion: z.number().int().optional(), extensionVersion: line(64).optional() })
  .strict();

/** No fields: read the configuration. With fields: replace those settings. */
export const ConfigureRequestSchema = z
  .object({
    ...base,
    type: z.literal('configure'),
    cloneRoots: z.array(PathSchema).max(32).optional(),
    allowedHosts: z.array(line(253)).max(64).optional(),
  })
  .strict();

export const CloneRequestSchema = z
  .object({
    ...base,
    type: z.literal('clone'),
    url: line(2048),
    /** One of the configured clone roots. */
    root: PathSchema,
    /** Relative folder below the root: one or more segments separated by `/`. */
    folder: line(1024),
    /** The branch the user was viewing; `refs/heads/` is accepted and stripped. */
    branch: line(255).optional(),
    /** Partial clone: `--filter=blob:none`. */
    partial: z.boolean().optional(),
    depth: z.number().int().min(1).max(1_000_000).optional(),
    auth: GitAuthSchema.optional(),
  })
  .strict();

export const CancelRequestSchema = z.object({ ...base, type: z.literal('cancel'), target: RequestIdSchema }).strict();

export const LocalClonesRequestSchema = z
  .object({
    ...base,
    type: z.literal('localClones'),
    /** Only these folders, each resolved as `open` resolves its path; nothing is scanned (capability `localClones.paths`). */
    paths: z.array(PathSchema).min(1).max(MAX_LOCAL_CLONE_PATHS).optional(),
  })
  .strict();

/** What `clone` would say of `root` and `folder` before running git, with nothing made. */
export const DestinationRequestSchema = z.object({ ...base, type: z.literal('destination'), root: PathSchema, folder: line(1024) }).strict();

export const AddRemoteRequestSchema = z
  .object({ ...base, type: z.literal('addRemote'), path: PathSchema, name: line(64), url: line(2048) })
  .strict();

export const FetchRequestSchema = z
  .object({ ...base, type: z.literal('fetch'), path: PathSchema, remote: line(64), auth: GitAuthSchema.optional() })
  .strict();

export const SshKeyRequestSchema = z.discriminatedUnion('action', [
  z
    .object({
      ...base,
      type: z.literal('sshKey'),
      action: z.literal('find'),
      /** The hosts the key must be named for to count as `configured`; default: the Azure DevOps Services SSH hosts. */
      hosts: z.array(line(253)).min(1).max(16).optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('sshKey'),
      action: z.literal('generate'),
      comment: line(200).optional(),
      /** Hosts for the ~/.ssh/config block; default: the Azure DevOps Services SSH hosts. */
      hosts: z.array(line(253)).min(1).max(16).optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('sshKey'),
      action: z.literal('configure'),
      /** An RSA private key in ~/.ssh; default: the key `find` reports. */
      keyPath: PathSchema.optional(),
      hosts: z.array(line(253)).min(1).max(16).optional(),
    })
    .strict(),
]);

/** `port`: a server's own SSH port, as its clone URLs name it; 22 when left out. */
export const SshTestRequestSchema = z.object({ ...base, type: z.literal('sshTest'), host: line(253), port: z.number().int().min(1).max(65535).optional() }).strict();

export const EDITORS = ['vscode', 'visualstudio', 'jetbrains', 'default'] as const;
export type Editor = (typeof EDITORS)[number];

export const OpenRequestSchema = z
  .object({
    ...base,
    type: z.literal('open'),
    path: PathSchema,
    target: z.enum(['folder', 'editor', 'terminal']),
    /** `editor` only: a file of the work tree, relative to its top (`/src/a.ts` as Azure DevOps writes it, or `src/a.ts`). */
    file: line(4096).optional(),
    /** With `file`: the line to show (1-based). */
    line: z.number().int().min(1).max(10_000_000).optional(),
    /** `editor` only; default `vscode`. */
    editor: z.enum(EDITORS).optional(),
  })
  .strict();

export const StatusRequestSchema = z.object({ ...base, type: z.literal('status'), path: PathSchema }).strict();

/** What `checkout` and `worktree` fetch: a branch of the remote, or a pull request's merge preview. */
const checkoutSource = {
  path: PathSchema,
  /** A remote of the clone (a fork is added with `addRemote` first). */
  remote: line(64),
  /** A branch of the remote (`refs/heads/` is stripped); exclusive with `pullRequest`. */
  branch: line(255).optional(),
  /** A pull request id: its merge preview `refs/pull/{id}/merge`, always detached; exclusive with `branch`. */
  pullRequest: z.number().int().min(1).max(2_147_483_647).optional(),
  /** The local branch to make for `branch`; default: the same name. */
  newBranch: line(255).optional(),
  /** Leave HEAD detached at the fetched commit instead of making a local branch. */
  detach: z.boolean().optional(),
  auth: GitAuthSchema.optional(),
};

export const CheckoutRequestSchema = z
  .object({
    ...base,
    type: z.literal('checkout'),
    ...checkoutSource,
    /** The new local branch tracks the remote's (default true). */
    track: z.boolean().optional(),
  })
  .strict();

export const WorktreeRequestSchema = z
  .object({
    ...base,
    type: z.literal('worktree'),
    ...checkoutSource,
    /** The new work tree's folder name, made next to the clone (in the same parent folder). */
    folder: line(255),
  })
  .strict();

export const REQUEST_SCHEMAS = {
  hello: HelloRequestSchema,
  configure: ConfigureRequestSchema,
  clone: CloneRequestSchema,
  cancel: CancelRequestSchema,
  localClones: LocalClonesRequestSchema,
  destination: DestinationRequestSchema,
  addRemote: AddRemoteRequestSchema,
  fetch: FetchRequestSchema,
  sshKey: SshKeyRequestSchema,
  sshTest: SshTestRequestSchema,
  open: OpenRequestSchema,
  status: StatusRequestSchema,
  checkout: CheckoutRequestSchema,
  worktree: WorktreeRequestSchema,
} as const;
export type RequestType = keyof typeof REQUEST_SCHEMAS;
export const REQUEST_TYPES = Object.keys(REQUEST_SCHEMAS) as RequestType[];

export type HelloRequest = z.infer<typeof HelloRequestSchema>;
export type ConfigureRequest = z.infer<typeof ConfigureRequestSchema>;
export type CloneRequest = z.infer<typeof CloneRequestSchema>;
export type CancelRequest = z.infer<typeof CancelRequestSchema>;
export type LocalClonesRequest = z.infer<typeof LocalClonesRequestSchema>;
export type DestinationRequest = z.infer<typeof DestinationRequestSchema>;
export type AddRemoteRequest = z.infer<typeof AddRemoteRequestSchema>;
export type FetchRequest = z.infer<typeof FetchRequestSchema>;
export type SshKeyRequest = z.infer<typeof SshKeyRequestSchema>;
export type SshTestRequest = z.infer<typeof SshTestRequestSchema>;
export type OpenRequest = z.infer<typeof OpenRequestSchema>;
export type StatusRequest = z.infer<typeof StatusRequestSchema>;
export type CheckoutRequest = z.infer<typeof CheckoutRequestSchema>;
export type WorktreeRequest = z.infer<typeof WorktreeRequestSchema>;
export type HostRequest = {
  [K in RequestType]: z.infer<(typeof REQUEST_SCHEMAS)[K]>;
}[RequestType];

/** Distributes `Omit` over a union, so each request type keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** What a caller passes to send a request; the bridge adds the id. */
export type HostRequestBody = DistributiveOmit<HostRequest, 'id'>;

// ---------------------------------------------------------------------------------------------
// Responses

export const HelloDataSchema = z.object({
  name: z.literal(HOST_NAME),
  version: z.string(),
  protocolVersion: z.number().int(),
  capabilities: z.array(z.string()),
  platform: z.string(),
  node: z.string(),
  git: z.string().nullable(),
  sshKeygen: z.boolean(),
  logFile: z.string(),
  limits: z.object({ maxFrameToBrowser: z.number(), maxFrameFromBrowser: z.number() }),
});
export type HelloData = z.infer<typeof HelloDataSchema>;

export const ConfigDataSchema = z.object({
  cloneRoots: z.array(z.string()),
  allowedHosts: z.array(z.string()),
  /** Always allowed; not part of `allowedHosts`. */
  cloudHosts: z.array(z.string()),
  configFile: z.string(),
});
export type ConfigData = z.infer<typeof ConfigDataSchema>;

export const CloneDataSchema = z.object({ path: z.string(), branch: z.string().nullable(), remoteUrl: z.string() });
export type CloneData = z.infer<typeof CloneDataSchema>;

export const CancelDataSchema = z.object({ cancelled: z.boolean() });

export const RemoteSchema = z.object({ name: z.string(), fetchUrl: z.string(), pushUrl: z.string().optional() });
export const LocalCloneSchema = z.object({
  path: z.string(),
  /** Cloned by the companion (rather than only found under a root). */
  known: z.boolean(),
  remotes: z.array(RemoteSchema),
  /** null: detached HEAD or unreadable. */
  branch: z.string().nullable(),
  /** null: could not be determined (see `error`). */
  dirty: z.boolean().nullable(),
  /** A linked work tree (`git worktree add`) of another clone, rather than a clone of its own. */
  worktree: z.boolean().optional(),
  /** A clone or a new worktree is still being made in this folder (its git runs): not a clone to use yet. */
  cloning: z.boolean().optional(),
  error: z.string().optional(),
});
export type LocalClone = z.infer<typeof LocalCloneSchema>;
export const LocalClonesDataSchema = z.object({ clones: z.array(LocalCloneSchema), truncated: z.boolean() });
export type LocalClonesData = z.infer<typeof LocalClonesDataSchema>;

export const AddRemoteDataSchema = z.object({ path: z.string(), name: z.string(), url: z.string() });
export const FetchDataSchema = z.object({ path: z.string(), remote: z.string() });

export const SshKeyInfoSchema = z.object({
  privateKeyPath: z.string(),
  publicKeyPath: z.string(),
  publicKey: z.string(),
  fingerprint: z.string().nullable(),
  /** Named by the companion's block in ~/.ssh/config, for every host asked (`find`) or written. */
  configured: z.boolean(),
  /**
   * Set by `find`: the hosts among the Azure DevOps Services pair and the hosts asked that the block
   * names this key for (some, when a server was added since it was written). Older companions leave it out.
   */
  configuredFor: z.array(z.string()).optional(),
  /**
   * Set by `find` when the user's own lines of ~/.ssh/config (outside the block; included files
   * too) give ssh this key: for which of the Azure DevOps Services pair and the hosts asked (so ssh
   * uses it there already), and whether `configure` can name it in the block (its real file is
   * inside ~/.ssh). Older companions leave it out.
   */
  userConfig: z.object({ hosts: z.array(z.string()), configurable: z.boolean() }).optional(),
  /** Whether the private key has a passphrase (git, run with no terminal, cannot ask for it). Older companions leave it out. */
  passphrase: z.boolean().optional(),
  /** With a passphrase: whether ssh-agent holds the key, so ssh can use it all the same. */
  inAgent: z.boolean().optional(),
});
export type SshKeyInfo = z.infer<typeof SshKeyInfoSchema>;
export const SshKeyDataSchema = z.object({
  key: SshKeyInfoSchema.nullable(),
  /** Set by `generate` and `configure`. */
  sshConfig: z.object({ path: z.string(), changed: z.boolean(), hosts: z.array(z.string()) }).optional(),
  /** Set by `generate`. */
  created: z.boolean().optional(),
  /**
   * Set by `find` when ~/.ssh/config (or a file it includes) has Match sections that hold IdentityFile
   * lines: the files. ssh alone can tell which hosts they give a key for; the companion counts them for none.
   */
  matchFiles: z.array(z.string()).optional(),
  /**
   * Set by `find` when it did not read all that ssh reads: a file too large (~/.ssh/config, or one it
   * includes), or one whose Include lines name more than the companion reads. What they give ssh cannot be told.
   */
  unreadFiles: z.array(z.string()).optional(),
});
export type SshKeyData = z.infer<typeof SshKeyDataSchema>;

export const SshTestDataSchema = z.object({
  ok: z.boolean(),
  /** One plain sentence for the user. */
  summary: z.string(),
  /** What ssh said (last lines), for the curious. */
  detail: z.string(),
});
export type SshTestData = z.infer<typeof SshTestDataSchema>;

export const OpenDataSchema = z.object({ opened: z.string(), with: z.string() });

export const StatusDataSchema = z.object({
  path: z.string(),
  /** null: detached HEAD. */
  branch: z.string().nullable(),
  /** The commit checked out; null in a repository without commits. */
  head: z.string().nullable(),
  /** `remote/branch` the branch tracks, or null. */
  upstream: z.string().nullable(),
  /** Commits ahead of and behind the upstream (0 without one). */
  ahead: z.number().int().nonnegative(),
  behind: z.number().int().nonnegative(),
  dirty: z.boolean(),
});
export type StatusData = z.infer<typeof StatusDataSchema>;

export const CheckoutDataSchema = z.object({
  path: z.string(),
  /** The local branch now checked out; null when detached. */
  branch: z.string().nullable(),
  head: z.string(),
  upstream: z.string().nullable(),
  /**
   * `created`: a new local branch; `updated`: an existing one fast-forwarded; `unchanged`: it was
   * up to date; `diverged`: it has commits of its own, so it was switched to but not moved;
   * `detached`: HEAD at the fetched commit.
   */
  result: z.enum(['created', 'updated', 'unchanged', 'diverged', 'detached']),
  /** `worktree` only: the folder was already a worktree of the clone, and was checked out in as `checkout` does. */
  reused: z.literal(true).optional(),
});
export type CheckoutData = z.infer<typeof CheckoutDataSchema>;

export const RESPONSE_DATA_SCHEMAS = {
  hello: HelloDataSchema,
  configure: ConfigDataSchema,
  clone: CloneDataSchema,
  cancel: CancelDataSchema,
  localClones: LocalClonesDataSchema,
  destination: z.object({ path: z.string() }),
  addRemote: AddRemoteDataSchema,
  fetch: FetchDataSchema,
  sshKey: SshKeyDataSchema,
  sshTest: SshTestDataSchema,
  open: OpenDataSchema,
  status: StatusDataSchema,
  checkout: CheckoutDataSchema,
  worktree: CheckoutDataSchema,
} as const satisfies Record<RequestType, z.ZodType>;
export type ResponseData<T extends RequestType> = z.infer<(typeof RESPONSE_DATA_SCHEMAS)[T]>;

export const HostErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type HostErrorBody = z.infer<typeof HostErrorSchema>;

/** `id` is null when the frame that caused the error had no readable id. */
export const ErrorResponseSchema = z.object({ id: RequestIdSchema.nullable(), ok: z.literal(false), error: HostErrorSchema });
export const OkResponseSchema = z.object({ id: RequestIdSchema, ok: z.literal(true), data: z.unknown() });

export const PROGRESS_PHASES = ['counting', 'compressing', 'receiving', 'resolving', 'checkout'] as const;
export type ProgressPhase = (typeof PROGRESS_PHASES)[number];
export const ProgressEventSchema = z.object({
  id: RequestIdSchema,
  event: z.literal('progress'),
  phase: z.enum(PROGRESS_PHASES),
  percent: z.number().min(0).max(100),
  done: z.number().int().nonnegative().optional(),
  total: z.number().int().nonnegative().optional(),
});
export type ProgressEvent = z.infer<typeof ProgressEventSchema>;

/** A sign of life while a long request runs without progress to report (PROTOCOL.md, Signs of life). */
export const AliveEventSchema = z.object({ id: RequestIdSchema, event: z.literal('alive') });

export const HostMessageSchema = z.union([ProgressEventSchema, AliveEventSchema, OkResponseSchema, ErrorResponseSchema]);
export type HostMessage = z.infer<typeof HostMessageSchema>;
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Helpers for both sides

/** Validates one request; the error names the first problem in plain words. */
const CLONE_KEYS = new Set(['id', 'type', 'url', 'root', 'folder', 'branch', 'partial', 'depth', 'auth']);
const AUTH_KEYS = new Set(['kind', 'token', 'orgUrl']);
// oxlint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;
const isLine = (v: unknown, max: number) => typeof v === 'string' && v.length >= 1 && v.length <= max && !CONTROL.test(v);
const onlyKeys = (v: object, keys: ReadonlySet<string>) => Object.keys(v).every((key) => keys.has(key));

/**
 * A clone request that CloneRequestSchema certainly accepts, checked by hand: the schema's first
 * parse in a companion process costs about a millisecond (jitless zod), on the way to every
 * clone's git. It errs on the side of no: anything else goes through the schema, whose issue
 * names what is wrong.
 */
export function isPlainClone(value: Record<string, unknown>): boolean {
  const { id, type, url, root, folder, branch, partial, depth, auth } = value;
  if (type !== 'clone' || !onlyKeys(value, CLONE_KEYS)) return false;
  if (typeof id !== 'string' || id.length < 1 || id.length > 128) return false;
  if (!isLine(url, 2048) || !isLine(root, 4096) || !isLine(folder, 1024)) return false;
  if (branch !== undefined && !isLine(branch, 255)) return false;
  if (partial !== undefined && typeof partial !== 'boolean') return false;
  if (depth !== undefined && !(Number.isSafeInteger(depth) && (depth as number) >= 1 && (depth as number) <= 1_000_000)) return false;
  if (auth === undefined) return true;
  if (typeof auth !== 'object' || auth === null || Array.isArray(auth) || !onlyKeys(auth, AUTH_KEYS)) return false;
  const { kind, token, orgUrl: org } = auth as Record<string, unknown>;
  if (org !== undefined && !isLine(org, 2048)) return false;
  return (kind === 'pat' && isLine(token, 1024)) || (kind === 'bearer' && isLine(token, 8192));
}

export function parseHostRequest(value: unknown): { ok: true; request: HostRequest } | { ok: false; message: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'a request must be a JSON object' };
  if (isPlainClone(value as Record<string, unknown>)) return { ok: true, request: value as CloneRequest };
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(REQUEST_SCHEMAS, type)) {
    return { ok: false, message: `unknown request type ${JSON.stringify(type)}; known: ${REQUEST_TYPES.join(', ')}` };
  }
  const result = REQUEST_SCHEMAS[type as RequestType].safeParse(value);
  if (result.success) return { ok: true, request: result.data as HostRequest };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') + ': ' : '';
  return { ok: false, message: `invalid ${type} request: ${where}${issue?.message ?? 'invalid'}` };
}

/**
 * Whether the extension can work with the companion that answered `hello`. When not, the reason
 * is meant for a "please update the companion" notice (`outdated`), or says to install a newer
 * git, which the companion refuses to run (`gitTooOld`).
 */
export function checkCompanion(
  hello: HelloData,
  needs: readonly Capability[] = CAPABILITIES,
): { ok: true } | { ok: false; problem: 'outdated' | 'gitTooOld'; reason: string } {
  if (hello.protocolVersion !== PROTOCOL_VERSION) {
    const older = hello.protocolVersion < PROTOCOL_VERSION;
    return {
      ok: false,
      problem: 'outdated',
      reason: older
        ? `The companion (version ${hello.version}) is older than this extension: please update the companion.`
        : `The companion (version ${hello.version}) is newer than this extension: please update the extension.`,
    };
  }
  const missing = needs.filter((c) => !hello.capabilities.includes(c));
  if (missing.length > 0) {
    return { ok: false, problem: 'outdated', reason: `The companion (version ${hello.version}) lacks ${missing.join(', ')}: please update the companion.` };
  }
  if (gitTooOld(hello.git)) return { ok: false, problem: 'gitTooOld', reason: gitTooOldMessage(hello.git) };
  return { ok: true };
}
