import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Holding sandbox answers to Microsoft's Swagger 2.0 specs (test/fixtures/ado-rest-specs):
 * finding the operation for a method and path (paths and x-ms-paths), validating a JSON body
 * against the operation's response schema ($ref, allOf, enums, formats, undeclared fields), and
 * comparing it with the operation's recorded example answers (every field the example has must
 * be in ours, with the same JSON type).
 *
 * The specs describe a few types differently from what goes over the wire; QUIRKS says how the
 * wire looks, each with the reason.
 */

// Specs and answers are free-form JSON walked by key.
// oxlint-disable-next-line typescript/no-explicit-any
export type Json = any;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SPECS_DIR = path.resolve(repoRoot, 'test/fixtures/ado-rest-specs');

export type SpecSurface = 'collection' | 'vssps' | 'profile';

export interface SpecDoc {
  name: string;
  file: string;
  json: Json;
  surface: SpecSurface;
  /** git has a separate on-prem (Azure DevOps Server 2022, 7.0) document. */
  hosting: 'cloud' | 'onprem' | 'any';
}

const DOCS: Omit<SpecDoc, 'json' | 'file'>[] = [
  { name: 'git/7.1/git.json', surface: 'collection', hosting: 'cloud' },
  { name: 'git/azure-devops-server-7.0/git-onprem.json', surface: 'collection', hosting: 'onprem' },
  { name: 'core/7.1/core.json', surface: 'collection', hosting: 'any' },
  { name: 'wit/7.1/workItemTracking.json', surface: 'collection', hosting: 'any' },
  { name: 'graph/7.1/graph.json', surface: 'vssps', hosting: 'any' },
  { name: 'ims/7.1/identities.json', surface: 'vssps', hosting: 'any' },
  { name: 'tokens/7.1/tokens.json', surface: 'vssps', hosting: 'any' },
  { name: 'profile/7.1/profile.json', surface: 'profile', hosting: 'cloud' },
  { name: 'account/7.1/accounts.json', surface: 'profile', hosting: 'cloud' },
];

/** Every spec JSON file starts with a UTF-8 byte-order mark. */
export function readJson(file: string): Json {
  return JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
}

export function loadSpecs(): SpecDoc[] {
  if (!fs.existsSync(path.join(SPECS_DIR, 'git/7.1/git.json'))) throw new Error(`Azure DevOps REST specs not found at ${SPECS_DIR}`);
  return DOCS.map((d) => ({ ...d, file: path.join(SPECS_DIR, d.name), json: readJson(path.join(SPECS_DIR, d.name)) }));
}

export interface SpecOperation {
  spec: SpecDoc;
  method: string;
  /** As written in the spec, e.g. `/{organization}/{project}/_apis/git/repositories/{repositoryId}/commits?`. */
  key: string;
  /** Path segments below the organization / collection (profile: below the host). */
  segments: string[];
  /** Query names an x-ms-path fixes (`?includeParent={includeParent}`). */
  pathQuery: string[];
  requiredQuery: string[];
  op: Json;
}

export function operations(specs: SpecDoc[]): SpecOperation[] {
  const out: SpecOperation[] = [];
  for (const spec of specs) {
    for (const paths of [spec.json.paths ?? {}, spec.json['x-ms-paths'] ?? {}]) {
      for (const [key, ops] of Object.entries<Json>(paths)) {
        const [pathPart, queryPart = ''] = key.split('?');
        let segments = pathPart!.split('/').filter(Boolean);
        if (spec.surface !== 'profile') segments = segments.slice(1); // {organization} or {collection}
        const pathQuery = queryPart.split('&').filter(Boolean).map((kv) => kv.split('=')[0]!);
        for (const [method, op] of Object.entries<Json>(ops)) {
          if (method === 'parameters') continue;
          const requiredQuery = (op.parameters ?? []).filter((p: Json) => p.in === 'query' && p.required).map((p: Json) => p.name as string);
          out.push({ spec, method: method.toUpperCase(), key, segments, pathQuery, requiredQuery, op });
        }
      }
    }
  }
  return out;
}

const isParam = (s: string) => /^\{.+\}$/.test(s);

/** Literal segments equal (any case), parameters line up; the spec's `{project}` (and wit's `{project}/{team}`) may be left out. */
function segmentsMatch(actual: string[], template: string[], actualIsPattern: boolean): boolean {
  const attempt = (tpl: string[]) =>
    tpl.length === actual.length &&
    tpl.every((t, i) => {
      const a = actual[i]!;
      if (isParam(t)) return actualIsPattern ? isParam(a) : !a.startsWith('_');
      return !isParam(a) && a.toLowerCase() === t.toLowerCase();
    });
  if (attempt(template)) return true;
  if (template[0] !== '{project}') return false;
  return attempt(template.slice(1)) || (template[1] === '{team}' && (attempt([template[0], ...template.slice(2)]) || attempt(template.slice(2))));
}

/** (a) Operations whose method and path template fit a sandbox route pattern. */
export function operationsForRoute(ops: SpecOperation[], surface: SpecSurface | 'collection', method: string, pattern: string): SpecOperation[] {
  const segs = pattern.split('/').filter(Boolean);
  // On-prem servers and vssps share the identity APIs; collection routes may match either.
  const surfaces: SpecSurface[] = surface === 'profile' ? ['profile'] : ['collection', 'vssps'];
  return ops.filter((o) => o.method === method && surfaces.includes(o.spec.surface) && segmentsMatch(segs, o.segments, true));
}

/** The operation a concrete request is, choosing by the query where several share a path. */
export function operationForRequest(
  ops: SpecOperation[],
  where: { surface: SpecSurface; hosting: 'cloud' | 'onprem' },
  method: string,
  segments: string[],
  query: URLSearchParams,
): SpecOperation | undefined {
  const surfaces: SpecSurface[] = where.surface === 'profile' ? ['profile'] : ['collection', 'vssps'];
  const fits = ops.filter(
    (o) =>
      o.method === method &&
      surfaces.includes(o.spec.surface) &&
      (o.spec.hosting === 'any' || o.spec.hosting === where.hosting) &&
      segmentsMatch(segments, o.segments, false) &&
      o.requiredQuery.every((q) => query.has(q)) &&
      o.pathQuery.every((q) => query.has(q)),
  );
  const literal = (o: SpecOperation) => o.segments.filter((s) => !isParam(s)).length;
  return fits.toSorted((a, b) => b.pathQuery.length - a.pathQuery.length || literal(b) - literal(a))[0];
}

/** The first 2xx response's schema (the specs say 200 where the service answers 201). */
export function responseSchema(o: SpecOperation): Json | undefined {
  const ok = Object.entries<Json>(o.op.responses ?? {}).find(([status]) => /^2\d\d$/.test(status));
  return ok?.[1]?.schema;
}

export interface Example {
  file: string;
  status: number;
  body: Json;
}

/** The operation's recorded answers. Example refs differ in letter case from the folders. */
export function examplesOf(o: SpecOperation): Example[] {
  const dir = path.dirname(o.spec.file);
  return Object.values<Json>(o.op['x-ms-examples'] ?? {}).map((e) => {
    const file = resolveCaseInsensitive(dir, String(e.$ref));
    const [status, answer] = Object.entries<Json>(readJson(file).responses)[0]!;
    return { file: path.relative(dir, file), status: Number(status), body: answer?.body };
  });
}

/**
 * An example by path below the spec's folder (`httpExamples/pullRequests/PATCH__....json`):
 * some operations have recorded answers in httpExamples that their x-ms-examples do not name.
 */
export function exampleFile(o: SpecOperation, rel: string): Example {
  const dir = path.dirname(o.spec.file);
  const file = resolveCaseInsensitive(dir, rel);
  const [status, answer] = Object.entries<Json>(readJson(file).responses)[0]!;
  return { file: path.relative(dir, file), status: Number(status), body: answer?.body };
}

function resolveCaseInsensitive(dir: string, rel: string): string {
  let current = dir;
  for (const part of rel.split('/').filter((p) => p !== '.' && p !== '')) {
    const match = fs.readdirSync(current).find((entry) => entry.toLowerCase() === part.toLowerCase());
    if (!match) throw new Error(`No ${part} in ${current}`);
    current = path.join(current, match);
  }
  return current;
}

// ---- schema validation -------------------------------------------------------------------

/** How Azure DevOps serializes types its Swagger describes otherwise. */
const QUIRKS: Record<string, { schema: Json; reason: string }> = {
  ReferenceLinks: {
    reason: 'the spec models the .NET class ({links: ...}); the wire has one {href} object per link name',
    schema: { type: 'object', additionalProperties: { type: 'object', properties: { href: { type: 'string' } }, required: ['href'] } },
  },
  IdentityDescriptor: {
    reason: 'descriptors are serialized as "IdentityType;Identifier" strings',
    schema: { type: 'string' },
  },
  PropertiesCollection: {
    reason: 'the spec models the .NET class (count, keys, values); the wire is a dictionary of {$type, $value}',
    schema: { type: 'object', additionalProperties: { type: 'object', properties: { $type: { type: 'string' }, $value: {} }, required: ['$type', '$value'] } },
  },
};

/**
 * Properties the spec types wrongly because they are generic in C# (Change<T>.item is a GitItem in
 * git) or `object` in C# (a work item's fields hold strings, numbers and IdentityRefs).
 */
const PROPERTY_QUIRKS: Record<string, Record<string, Json>> = {
  Change: { item: { $ref: '#/definitions/GitItem' } },
  WorkItem: { fields: { type: 'object', additionalProperties: {} } },
  Link: { attributes: { type: 'object', additionalProperties: {} } },
  WorkItemRelation: { attributes: { type: 'object', additionalProperties: {} } },
};

interface Ctx {
  defs: Json;
  /** Field paths the examples show: fields an example has are part of the shape even when undeclared. */
  allowed: Set<string>;
}

function resolve(schema: Json, ctx: Ctx): { schema: Json; name?: string } {
  let s = schema;
  let name: string | undefined;
  for (let guard = 0; s?.$ref && guard < 20; guard++) {
    name = String(s.$ref).replace('#/definitions/', '');
    s = QUIRKS[name]?.schema ?? ctx.defs[name];
    if (s === undefined) throw new Error(`Unresolvable $ref ${name}`);
  }
  return { schema: s, name };
}

/** Properties, additionalProperties and required of an object schema, allOf merged in. */
function objectShape(schema: Json, name: string | undefined, ctx: Ctx): { props: Record<string, Json>; additional?: Json; required: string[] } {
  const props: Record<string, Json> = {};
  let additional: Json;
  const required: string[] = [...(schema.required ?? [])];
  for (const part of schema.allOf ?? []) {
    const r = resolve(part, ctx);
    const inner = objectShape(r.schema, r.name, ctx);
    Object.assign(props, inner.props);
    additional ??= inner.additional;
    required.push(...inner.required);
  }
  Object.assign(props, schema.properties ?? {}, name ? PROPERTY_QUIRKS[name] : {});
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') additional = schema.additionalProperties;
  return { props, additional, required };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function check(value: Json, schema: Json, ctx: Ctx, at: string, key: string): string[] {
  if (schema === undefined) return [];
  const { schema: s, name } = resolve(schema, ctx);
  if (s === undefined || value === null || value === undefined) return [];
  const errors: string[] = [];
  const type = s.type ?? (s.enum ? 'string' : s.properties || s.allOf || s.additionalProperties ? 'object' : undefined);
  const kind = Array.isArray(value) ? 'array' : typeof value;
  switch (type) {
    case 'string':
      if (kind !== 'string') return [`${at}: expected a string, got ${kind}`];
      if (s.enum && !s.enum.includes(value)) errors.push(`${at}: '${value}' is not one of ${s.enum.join(', ')}`);
      if (s.format === 'uuid' && !GUID.test(value)) errors.push(`${at}: '${value}' is not a uuid`);
      if (s.format === 'date-time' && Number.isNaN(Date.parse(value))) errors.push(`${at}: '${value}' is not a date-time`);
      return errors;
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: expected an integer, got ${JSON.stringify(value)}`];
    case 'number':
      return kind === 'number' ? [] : [`${at}: expected a number, got ${kind}`];
    case 'boolean':
      return kind === 'boolean' ? [] : [`${at}: expected a boolean, got ${kind}`];
    case 'array':
      if (kind !== 'array') return [`${at}: expected an array, got ${kind}`];
      return (value as Json[]).flatMap((v, i) => check(v, s.items, ctx, `${at}[${i}]`, `${key}[]`));
    case 'object': {
      if (kind !== 'object') return [`${at}: expected an object, got ${kind}`];
      const shape = objectShape(s, name, ctx);
      for (const r of shape.required) if (!(r in value)) errors.push(`${at}.${r}: required by the spec, missing`);
      for (const [k, v] of Object.entries<Json>(value)) {
        if (k in shape.props) errors.push(...check(v, shape.props[k], ctx, `${at}.${k}`, `${key}.${k}`));
        else if (shape.additional) errors.push(...check(v, shape.additional, ctx, `${at}.${k}`, `${key}.*`));
        else if (!ctx.allowed.has(`${key}.${k}`)) errors.push(`${at}.${k}: not declared by ${name ?? 'the schema'}`);
      }
      return errors;
    }
    default:
      return [];
  }
}

/**
 * (b) Errors of `body` against the operation's response schema. Lists arrive wrapped as
 * `{count, value}` although the specs describe a bare array.
 */
export function schemaErrors(o: SpecOperation, body: Json, examples: Example[] = []): string[] {
  const schema = responseSchema(o);
  if (!schema) return body === undefined || body === '' ? [] : ['the spec declares no answer body, but there is one'];
  const ctx: Ctx = { defs: o.spec.json.definitions ?? {}, allowed: new Set(examples.flatMap((e) => fieldPaths(e.body))) };
  const top = resolve(schema, ctx).schema;
  if (top?.type === 'array' && body && typeof body === 'object' && !Array.isArray(body)) {
    const errors = Object.keys(body)
      .filter((k) => k !== 'count' && k !== 'value')
      .map((k) => `$.${k}: not part of a {count, value} list`);
    if (!Array.isArray(body.value)) return [...errors, '$.value: a list answer needs a value array'];
    if (body.count !== body.value.length) errors.push(`$.count: ${body.count} but value has ${body.value.length} items`);
    return [...errors, ...check(body.value, top, ctx, '$.value', '$.value')];
  }
  return check(body, schema, ctx, '$', '$');
}

/** `$.a.b[].c` for every field in an example (lists as `$.value[]...`). */
function fieldPaths(value: Json, at = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => fieldPaths(v, `${at}[]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries<Json>(value).flatMap(([k, v]) => [`${at}.${k}`, ...fieldPaths(v, `${at}.${k}`)]);
}

// ---- comparing with examples -------------------------------------------------------------

const jsonType = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** What every item of an example list has in common (fields present in all of them). */
function common(items: Json[]): Json {
  const present = items.filter((i) => i !== null && i !== undefined);
  if (present.length === 0) return null;
  if (!present.every((i) => typeof i === 'object' && !Array.isArray(i))) return present[0];
  const keys = Object.keys(present[0]).filter((k) => present.every((i) => k in i));
  return Object.fromEntries(keys.map((k) => [k, common(present.map((i) => i[k]))]));
}

/** (b) Every field of the example is in ours with the same JSON type (nulls in examples say nothing). */
export function exampleErrors(ours: Json, example: Json, at = '$'): string[] {
  if (example === null || example === undefined) return [];
  if (Array.isArray(example)) {
    if (!Array.isArray(ours)) return [`${at}: the example has an array, ours is ${jsonType(ours)}`];
    if (example.length === 0) return [];
    if (ours.length === 0) return [`${at}: empty, so it cannot be compared with the example's items`];
    const shape = common(example);
    return ours.flatMap((item, i) => exampleErrors(item, shape, `${at}[${i}]`));
  }
  if (typeof example === 'object') {
    if (jsonType(ours) !== 'object') return [`${at}: the example has an object, ours is ${jsonType(ours)}`];
    return Object.entries<Json>(example).flatMap(([k, v]) => {
      if (v === null) return [];
      if (!(k in ours)) return [`${at}.${k}: in the example, missing in ours`];
      return exampleErrors(ours[k], v, `${at}.${k}`);
    });
  }
  return jsonType(ours) === jsonType(example) ? [] : [`${at}: the example has a ${jsonType(example)}, ours is ${jsonType(ours)}`];
}

/**
 * A copy of `example` without the fields at `paths` (`$._links.forkSyncOperation`, `$.value[].x`;
 * a name with dots in brackets: `$.fields["System.Tags"]`).
 */
export function withoutFields(example: Json, paths: string[]): Json {
  const copy = structuredClone(example);
  for (const p of paths) {
    const parts = [...p.replace(/^\$/, '').matchAll(/\.([^.[\]"]+(?:\[\])?)|\["([^"]+)"\](\[\])?/g)].map((m) => m[1] ?? `${m[2]}${m[3] ?? ''}`);
    const drop = (node: Json, i: number): void => {
      if (node === null || typeof node !== 'object') return;
      const part = parts[i]!;
      const list = part.endsWith('[]');
      const name = list ? part.slice(0, -2) : part;
      if (i === parts.length - 1 && !list) {
        delete node[name];
        return;
      }
      const next = node[name];
      if (list && Array.isArray(next)) next.forEach((n) => drop(n, i + 1));
      else drop(next, i + 1);
    };
    drop(copy, 0);
  }
  return copy;
}

/** Errors of `body` against a schema written in the same Swagger dialect (for undocumented APIs). */
export function errorsAgainst(schema: Json, body: Json): string[] {
  return check(body, schema, { defs: {}, allowed: new Set() }, '$', '$');
}
