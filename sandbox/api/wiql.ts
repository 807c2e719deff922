import { AzdoError } from '../errors';
import type { Project, User } from '../store';
import { IDENTITY_FIELDS, type WorkItem } from '../work-items';

/**
 * A small WIQL interpreter for flat queries over work items:
 * `SELECT [f], … FROM WorkItems [WHERE cond] [ORDER BY [f] [ASC|DESC], …]`, conditions joined by
 * AND / OR / NOT and parentheses, operators `= <> > < >= <= IN (…) NOT IN (…) CONTAINS`, values
 * as 'strings', numbers, `@Me`, `@project`. Field names as reference names (`[System.State]`) or
 * the friendly ones the web UI writes (`[State]`, `[Assigned To]`). Link queries (`FROM
 * WorkItemLinks`), `ASOF` and `@today` are refused with the reason.
 */

export interface WiqlContext {
  items: WorkItem[];
  me: User;
  /** The project of the request's path, for `@project`. */
  project: Project | undefined;
  users: Map<string, User>;
  /** How the organization names a person: a mail address in the cloud, DOMAIN\\user on a server. */
  uniqueName: (user: User) => string;
  projectName: (id: string) => string;
}

export interface WiqlResult {
  columns: string[];
  sort: { field: string; descending: boolean }[];
  ids: number[];
}

type Token = { kind: 'field' | 'string' | 'number' | 'word' | 'macro' | 'op' | 'punct'; text: string };

type Value = string | number | { macro: string };
type Cond =
  | { and: Cond[] }
  | { or: Cond[] }
  | { not: Cond }
  | { field: string; op: string; values: Value[] };

const syntax = (message: string) =>
  new AzdoError(400, `TF51006: The query statement is not valid WIQL. ${message}`, 'WiqlSyntaxException', 'Microsoft.TeamFoundation.WorkItemTracking.Server.WiqlSyntaxException, Microsoft.TeamFoundation.WorkItemTracking.Server');
const unknownField = (name: string) =>
  new AzdoError(400, `TF51005: The query references a field that does not exist. The error is caused by «${name}».`, 'WorkItemTrackingFieldDefinitionNotFoundException', 'Microsoft.TeamFoundation.WorkItemTracking.Server.WorkItemTrackingFieldDefinitionNotFoundException, Microsoft.TeamFoundation.WorkItemTracking.Server');

const FIELDS = [
  'System.Id',
  'System.Title',
  'System.State',
  'System.Reason',
  'System.AssignedTo',
  'System.WorkItemType',
  'System.TeamProject',
  'System.AreaPath',
  'System.IterationPath',
  'System.CreatedDate',
  'System.CreatedBy',
  'System.ChangedDate',
  'System.ChangedBy',
  'System.Tags',
  'Microsoft.VSTS.Common.Priority',
];

/** `[System.State]`, `[State]`, `[Assigned To]` → the reference name. */
export function fieldRef(name: string): string {
  const squashed = name.replace(/\s+/g, '').toLowerCase();
  const found = FIELDS.find((f) => f.toLowerCase() === squashed || f.split('.').pop()!.toLowerCase() === squashed);
  if (!found) throw unknownField(name);
  return found;
}

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:\[([^\]]+)\]|'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)\b|(@[A-Za-z]+)|(<>|>=|<=|=|<|>)|([(),])|([A-Za-z][A-Za-z0-9_.]*))/y;
  let i = 0;
  while (i < q.length) {
    if (/^\s*$/.test(q.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(q);
    if (!m) throw syntax(`Unexpected text «${q.slice(i).trim().slice(0, 20)}».`);
    i = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'field', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'string', text: m[2].replace(/''/g, "'") });
    else if (m[3] !== undefined) tokens.push({ kind: 'number', text: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'macro', text: m[4].toLowerCase() });
    else if (m[5] !== undefined) tokens.push({ kind: 'op', text: m[5] });
    else if (m[6] !== undefined) tokens.push({ kind: 'punct', text: m[6] });
    else tokens.push({ kind: 'word', text: m[7]! });
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly t: Token[]) {}

  private peek(): Token | undefined {
    return this.t[this.i];
  }
  private isWord(w: string, at = 0): boolean {
    const tok = this.t[this.i + at];
    return tok?.kind === 'word' && tok.text.toUpperCase() === w;
  }
  private expectWord(w: string): void {
    if (!this.isWord(w)) throw syntax(`Expecting ${w}${this.peek() ? ` before «${this.peek()!.text}»` : ' at the end'}.`);
    this.i++;
  }
  private expectPunct(p: string): void {
    if (this.peek()?.kind !== 'punct' || this.peek()!.text !== p) throw syntax(`Expecting «${p}».`);
    this.i++;
  }
  private field(): string {
    const tok = this.peek();
    if (tok?.kind !== 'field' && tok?.kind !== 'word') throw syntax(`Expecting a field name${tok ? ` before «${tok.text}»` : ''}.`);
    this.i++;
    return fieldRef(tok.text);
  }

  query(): { columns: string[]; where?: Cond; sort: { field: string; descending: boolean }[] } {
    this.expectWord('SELECT');
    const columns = [this.field()];
    while (this.peek()?.text === ',') {
      this.i++;
      columns.push(this.field());
    }
    this.expectWord('FROM');
    const source = this.peek();
    if (!source || source.kind !== 'word' || source.text.toLowerCase() !== 'workitems') throw syntax('The sandbox answers FROM WorkItems only (no link queries).');
    this.i++;
    let where: Cond | undefined;
    if (this.isWord('WHERE')) {
      this.i++;
      where = this.or();
    }
    const sort: { field: string; descending: boolean }[] = [];
    if (this.isWord('ORDER')) {
      this.i++;
      this.expectWord('BY');
      do {
        if (this.peek()?.text === ',') this.i++;
        const field = this.field();
        let descending = false;
        if (this.isWord('ASC')) this.i++;
        else if (this.isWord('DESC')) {
          this.i++;
          descending = true;
        }
        sort.push({ field, descending });
      } while (this.peek()?.text === ',');
    }
    if (this.isWord('ASOF')) throw syntax('ASOF is not supported by the sandbox.');
    if (this.peek()) throw syntax(`Expecting end of string. The error is caused by «${this.peek()!.text}».`);
    return { columns, where, sort };
  }

  private or(): Cond {
    const parts = [this.and()];
    while (this.isWord('OR')) {
      this.i++;
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0]! : { or: parts };
  }
  private and(): Cond {
    const parts = [this.factor()];
    while (this.isWord('AND')) {
      this.i++;
      parts.push(this.factor());
    }
    return parts.length === 1 ? parts[0]! : { and: parts };
  }
  private factor(): Cond {
    if (this.isWord('NOT') && !this.isWord('IN', 1)) {
      this.i++;
      return { not: this.factor() };
    }
    if (this.peek()?.text === '(') {
      this.i++;
      const inner = this.or();
      this.expectPunct(')');
      return inner;
    }
    const field = this.field();
    const tok = this.peek();
    if (tok?.kind === 'op') {
      this.i++;
      return { field, op: tok.text, values: [this.value()] };
    }
    if (this.isWord('CONTAINS')) {
      this.i++;
      return { field, op: 'CONTAINS', values: [this.value()] };
    }
    let op = 'IN';
    if (this.isWord('NOT')) {
      this.i++;
      op = 'NOT IN';
    }
    this.expectWord('IN');
    this.expectPunct('(');
    const values = [this.value()];
    while (this.peek()?.text === ',') {
      this.i++;
      values.push(this.value());
    }
    this.expectPunct(')');
    return { field, op, values };
  }
  private value(): Value {
    const tok = this.peek();
    if (!tok) throw syntax('Expecting a value at the end.');
    this.i++;
    if (tok.kind === 'string') return tok.text;
    if (tok.kind === 'number') return Number(tok.text);
    if (tok.kind === 'macro') {
      if (tok.text !== '@me' && tok.text !== '@project') throw syntax(`The macro ${tok.text} is not supported by the sandbox.`);
      return { macro: tok.text };
    }
    throw syntax(`Expecting a value before «${tok.text}».`);
  }
}

export function runWiql(query: string, ctx: WiqlContext): WiqlResult {
  const parsed = new Parser(tokenize(query)).query();
  const matches = (w: WorkItem, c: Cond): boolean => {
    if ('and' in c) return c.and.every((x) => matches(w, x));
    if ('or' in c) return c.or.some((x) => matches(w, x));
    if ('not' in c) return !matches(w, c.not);
    const actual = valueOf(w, c.field, ctx);
    const wanted = c.values.map((v) => resolve(v, c.field, ctx));
    const cmp = (b: string | number) => compare(actual, b);
    switch (c.op) {
      case '=':
        return cmp(wanted[0]!) === 0;
      case '<>':
        return cmp(wanted[0]!) !== 0;
      case '>':
        return cmp(wanted[0]!) > 0;
      case '<':
        return cmp(wanted[0]!) < 0;
      case '>=':
        return cmp(wanted[0]!) >= 0;
      case '<=':
        return cmp(wanted[0]!) <= 0;
      case 'IN':
        return wanted.some((b) => cmp(b) === 0);
      case 'NOT IN':
        return wanted.every((b) => cmp(b) !== 0);
      default:
        return String(actual).toLowerCase().includes(String(wanted[0]).toLowerCase());
    }
  };
  const found = ctx.items.filter((w) => !parsed.where || matches(w, parsed.where));
  const sort = parsed.sort;
  const ordered = found.toSorted((a, b) => {
    for (const s of sort) {
      const d = compare(valueOf(a, s.field, ctx), valueOf(b, s.field, ctx));
      if (d !== 0) return s.descending ? -d : d;
    }
    return a.id - b.id;
  });
  return { columns: parsed.columns, sort, ids: ordered.map((w) => w.id) };
}

/** A field's value as WIQL compares it: people by display name, projects by name. */
function valueOf(w: WorkItem, field: string, ctx: WiqlContext): string | number {
  if (field === 'System.Id') return w.id;
  if (field === 'System.TeamProject') return ctx.projectName(w.projectId);
  const v = w.fields[field];
  if (v === undefined) return '';
  if (IDENTITY_FIELDS.has(field)) {
    const u = ctx.users.get(String(v));
    return u ? `${u.displayName} <${ctx.uniqueName(u)}>` : '';
  }
  return v;
}

function resolve(v: Value, field: string, ctx: WiqlContext): string | number {
  if (typeof v !== 'object') {
    if (!IDENTITY_FIELDS.has(field) || typeof v !== 'string') return v;
    // People are named by display name, unique name, or both ("Ada Lovelace <ada@fabrikam.test>",
    // on a server "Ada Lovelace <FABRIKAM\\ada>").
    const u = [...ctx.users.values()].find((x) => [x.displayName, x.mail, ctx.uniqueName(x), `${x.displayName} <${ctx.uniqueName(x)}>`].some((n) => n.toLowerCase() === v.toLowerCase()));
    return u ? `${u.displayName} <${ctx.uniqueName(u)}>` : v;
  }
  if (v.macro === '@me') return `${ctx.me.displayName} <${ctx.uniqueName(ctx.me)}>`;
  if (!ctx.project) throw syntax('@project needs a project in the request path.');
  return ctx.project.name;
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { sensitivity: 'accent' });
}
