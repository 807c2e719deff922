/**
 * A hand-written check for large answers whose zod schema is too slow to run on every item (zod
 * runs jitless in the extension: a 3,000-repository list took several times as long to check as to
 * parse). A shape lists the fields the product reads, as the zod schema does; `conforms` checks a
 * parsed body against it in place, turning optional nulls into undefined as `opt()` does, and says
 * whether it fits. When it does not, the caller runs the zod schema, whose issue names the field,
 * so a malformed answer gets the same clear error as before.
 */

export type Kind = 'string' | 'number' | 'boolean' | Shape;

export interface Shape {
  required: Readonly<Record<string, Kind>>;
  optional: Readonly<Record<string, Kind>>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fits(value: unknown, kind: Kind): boolean {
  if (kind === 'string') return typeof value === 'string';
  if (kind === 'number') return typeof value === 'number' && Number.isFinite(value);
  if (kind === 'boolean') return typeof value === 'boolean';
  return conforms(value, kind);
}

/** Whether `value` is an object with the shape's fields; optional nulls become undefined. */
export function conforms(value: unknown, shape: Shape): boolean {
  if (!isRecord(value)) return false;
  for (const key in shape.required) if (!fits(value[key], shape.required[key]!)) return false;
  for (const key in shape.optional) {
    const field = value[key];
    if (field === null) value[key] = undefined;
    else if (field !== undefined && !fits(field, shape.optional[key]!)) return false;
  }
  return true;
}

/** A list answer (`{value: [...]}` or a bare array) whose every item conforms, as its array; else undefined. */
export function conformingList(body: unknown, item: Shape): unknown[] | undefined {
  const list = Array.isArray(body) ? body : isRecord(body) ? body.value : undefined;
  if (!Array.isArray(list)) return undefined;
  for (const entry of list) if (!conforms(entry, item)) return undefined;
  return list;
}
