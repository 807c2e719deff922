import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Spec files are free-form JSON walked by key; typing them fully would add nothing.
// oxlint-disable-next-line typescript/no-explicit-any
export type Json = any;

/**
 * Reading Microsoft's REST specs (test/fixtures/ado-rest-specs, copied with their license) so tests
 * can hold the client to them: paths, api-versions, query names, body field names, example answers.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SPECS_DIR = path.resolve(repoRoot, 'test/fixtures/ado-rest-specs');
if (!fs.existsSync(path.join(SPECS_DIR, 'git/7.1/git.json'))) {
  throw new Error(`Azure DevOps REST specs not found at ${SPECS_DIR}: see test/fixtures/ado-rest-specs/README.md.`);
}

/** Every spec JSON file starts with a UTF-8 BOM. */
export function readJson(file: string): Json {
  return JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
}

export interface Spec {
  file: string;
  json: Json;
}

export const loadSpec = (rel: string): Spec => ({ file: path.join(SPECS_DIR, rel), json: readJson(path.join(SPECS_DIR, rel)) });

/** Example refs differ in letter case from the folders: walk the path case-insensitively. */
export function resolveCaseInsensitive(dir: string, rel: string): string {
  let current = dir;
  for (const part of rel.split('/').filter((p) => p !== '.' && p !== '')) {
    const match = fs.readdirSync(current).find((entry) => entry.toLowerCase() === part.toLowerCase());
    if (!match) throw new Error(`No ${part} in ${current}`);
    current = path.join(current, match);
  }
  return current;
}

export interface Operation {
  spec: Spec;
  template: string;
  op: Json;
  params: Record<string, string>;
}

function templateRegex(template: string): { re: RegExp; names: string[]; literal: number } {
  const names: string[] = [];
  let source = '';
  for (const piece of template.split(/(\/\{[^}]+\})/)) {
    const m = /^\/\{([^}]+)\}$/.exec(piece);
    if (!m) {
      source += piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    names.push(m[1]!);
    // The project (and wit's team) segment is optional in the real service (org-wide lists); no parameter is ever `_apis`.
    source += m[1] === 'project' || m[1] === 'team' ? '(?:/((?!_apis(?:/|$))[^/]+))?' : '/((?!_apis(?:/|$))[^/]+)';
  }
  return { re: new RegExp(`^${source}/?$`), names, literal: template.replace(/\{[^}]+\}/g, '').length };
}

/** The spec operation for a method and path (decoded), preferring the most literal template. */
export function findOperation(specs: Spec[], method: string, pathname: string): Operation | undefined {
  let best: (Operation & { literal: number }) | undefined;
  for (const spec of specs) {
    for (const [template, ops] of Object.entries<Json>(spec.json.paths)) {
      const op = ops[method.toLowerCase()];
      if (!op) continue;
      const { re, names, literal } = templateRegex(template);
      const m = re.exec(pathname);
      if (!m || (best && best.literal >= literal)) continue;
      const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')]));
      best = { spec, template, op, params, literal };
    }
  }
  return best;
}

/** '7.1', '7.1-preview.1' …: what the spec's api-version parameter asks for. */
export function expectedApiVersion(o: Operation): string {
  const ref = o.op.parameters.find((p: Json) => p.$ref)?.$ref as string;
  const param = o.spec.json.parameters[ref.replace('#/parameters/', '')];
  const m = /set to '([^']+)'/.exec(param.description);
  if (!m) throw new Error(`No api-version in ${ref}`);
  return m[1]!;
}

export const queryNames = (o: Operation): string[] =>
  o.op.parameters.filter((p: Json) => p.in === 'query').map((p: Json) => p.name as string);

/** The answer of the operation's first example, or of `exampleFile` (relative to the spec's folder). */
export function exampleAnswer(o: Operation, exampleFile?: string): { status: number; body: unknown } {
  const dir = path.dirname(o.spec.file);
  const ref = exampleFile ?? (Object.values<Json>(o.op['x-ms-examples'] ?? {})[0]?.$ref as string | undefined);
  if (!ref) throw new Error(`${o.template} has no example: give one`);
  const example = readJson(resolveCaseInsensitive(dir, ref));
  const [status, answer] = Object.entries<Json>(example.responses)[0]!;
  return { status: Number(status), body: answer.body };
}

function resolveSchema(schema: Json, defs: Json): Json {
  if (schema?.$ref) return resolveSchema(defs[String(schema.$ref).replace('#/definitions/', '')], defs);
  return schema;
}

function propertiesOf(schema: Json, defs: Json): Record<string, Json> | undefined {
  const s = resolveSchema(schema, defs);
  if (!s) return undefined;
  const own = s.properties as Record<string, Json> | undefined;
  const inherited = (s.allOf ?? []).map((a: Json) => propertiesOf(a, defs) ?? {});
  if (!own && inherited.length === 0) return undefined;
  return Object.assign({}, ...inherited, own ?? {});
}

/** Field paths in `value` that the spec's schema does not declare (names only, recursively). */
export function undeclaredFields(value: unknown, schema: Json, defs: Json, at = '$'): string[] {
  const s = resolveSchema(schema, defs);
  if (Array.isArray(value)) {
    return s?.type === 'array' ? value.flatMap((v, i) => undeclaredFields(v, s.items, defs, `${at}[${i}]`)) : [];
  }
  if (value === null || typeof value !== 'object') return [];
  const props = propertiesOf(s, defs);
  if (!props) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k in props ? undeclaredFields(v, props[k], defs, `${at}.${k}`) : [`${at}.${k}`],
  );
}

export function bodySchema(o: Operation): Json {
  return o.op.parameters.find((p: Json) => p.in === 'body')?.schema;
}
