/**
 * Branch names for work items, from a template the user may change in Options:
 * `{alias}` (the user's sign-in name before the @), `{id}`, `{title-slug}`, `{type}` (the work
 * item type as a slug). The result must be a valid git branch name (git check-ref-format).
 */

/**
 * What Start work's failure before the branch is known says first (the page's panel and the
 * popup's Work tab). With no answer (a reset, a timeout) Azure DevOps may have made the branch,
 * and trying again takes it (background/handlers/work-items.ts).
 */
export const startWorkFailedTitle = (code: string | undefined): string => (code === 'network' ? 'The branch may have been created' : 'Nothing was created');

export const DEFAULT_BRANCH_TEMPLATE = 'users/{alias}/{id}-{title-slug}';
export const BRANCH_PLACEHOLDERS = ['alias', 'id', 'title-slug', 'type'] as const;
export type BranchPlaceholder = (typeof BRANCH_PLACEHOLDERS)[number];

/** A title's words cut at this length (at a word boundary): long enough to say what, short enough to type. */
const SLUG_MAX = 48;
const ALIAS_MAX = 40;
const TYPE_MAX = 30;

/** `Crash when the cart is empty!` → `crash-when-the-cart-is-empty`; letters lose their accents, other scripts stay. */
export function slugify(text: string, max = SLUG_MAX): string {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  let out = '';
  for (const w of words) {
    const next = out ? `${out}-${w}` : w;
    if (next.length > max) {
      if (!out) out = w.slice(0, max);
      break;
    }
    out = next;
  }
  return out;
}

/** What is wrong with a branch name by git's rules, for a person; undefined when it is fine. */
export function gitBranchNameProblem(name: string): string | undefined {
  if (name === '') return 'The branch name is empty.';
  if (name.length > 250) return 'The branch name is longer than 250 characters.';
  if (/[\s\p{Cc}~^:?*[\\]/u.test(name)) return 'A branch name cannot contain spaces or any of ~ ^ : ? * [ \\';
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return 'A branch name cannot contain “..”, “@{” or “//”.';
  if (name === '@' || name.startsWith('-') || name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) return 'A branch name cannot be “@”, start with - or /, or end with / or a dot.';
  if (name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) return 'No part of a branch name may start with a dot or end with “.lock”.';
  return undefined;
}

/** What is wrong with a template (unknown placeholders, characters git refuses); undefined when it is fine. */
export function branchTemplateProblem(template: string): string | undefined {
  if (!template.trim()) return 'Enter a template, for example users/{alias}/{id}-{title-slug}.';
  const unknown = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!).filter((p) => !(BRANCH_PLACEHOLDERS as readonly string[]).includes(p));
  if (unknown.length) return `Unknown placeholder {${unknown[0]}}: use ${BRANCH_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}.`;
  if (/[{}]/.test(template.replace(/\{[^{}]*\}/g, ''))) return 'A brace without its pair: placeholders are written {id}.';
  if (!template.includes('{id}') && !template.includes('{title-slug}')) return 'Include {id} or {title-slug}, so each work item gets its own branch.';
  // Try it with a plain sample: what git refuses comes from the template's own characters.
  const problem = gitBranchNameProblem(expandBranchTemplate(template, { alias: 'ada', id: 1, title: 'Sample title', type: 'Task' }));
  if (problem) return `With this template: ${problem}`;
  // The length with the longest each placeholder can be: a template that fits a short title would
  // still fail Start work on a long one.
  if (expandBranchTemplate(template, LONGEST).length > 250) return 'With this template, a work item with a long title would get a branch name longer than 250 characters: shorten it.';
  return undefined;
}

export interface BranchNameInput {
  alias: string;
  id: number;
  title: string;
  type: string;
}

/** Work item ids are 32-bit: the largest has 10 digits. */
const LONGEST: BranchNameInput = { alias: 'a'.repeat(ALIAS_MAX), id: 2 ** 31 - 1, title: 'a'.repeat(SLUG_MAX), type: 'a'.repeat(TYPE_MAX) };

export function expandBranchTemplate(template: string, input: BranchNameInput): string {
  const values: Record<BranchPlaceholder, string> = {
    alias: slugify(input.alias, ALIAS_MAX) || 'me',
    id: String(input.id),
    'title-slug': slugify(input.title) || 'work',
    type: slugify(input.type, TYPE_MAX) || 'item',
  };
  return template.replace(/\{(alias|id|title-slug|type)\}/g, (_, name: BranchPlaceholder) => values[name]);
}

/** The alias of a sign-in name: `ada@fabrikam.test` → `ada`, `FABRIKAM\ada` → `ada`. */
export function aliasOf(uniqueName: string | undefined, displayName = ''): string {
  const name = uniqueName?.split('@')[0]?.split('\\').pop() ?? '';
  return name || displayName;
}

/**
 * What a checkout says when the local branch had commits of its own (the companion's `diverged`):
 * switched to, but not moved to the remote's, which the user would otherwise think they have.
 */
export const keptOwnCommits = (checkout: { result: string; branch?: string | null }): string | undefined =>
  checkout.result === 'diverged' ? `Your local ${checkout.branch ?? 'branch'} has commits of its own, so it was left where it is; pull or rebase it yourself.` : undefined;
