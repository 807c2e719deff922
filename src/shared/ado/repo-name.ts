/**
 * Azure Repos' naming restrictions for Git repositories (Microsoft Learn, "Naming restrictions and
 * conventions"): answers what is wrong with a name, in words for the person typing it, or undefined.
 */

const FORBIDDEN = /[\\/:*?"<>|;#${},+=[\]]/;
const MAX_LENGTH = 64;

// Windows device names and names ASP.NET reserves: Azure DevOps refuses them whatever the case.
const RESERVED = new Set(
  [
    'App_Browsers',
    'App_code',
    'App_Data',
    'App_GlobalResources',
    'App_LocalResources',
    'App_Themes',
    'App_WebResources',
    'bin',
    'web.config',
    'CON',
    'PRN',
    'AUX',
    'NUL',
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`COM${n}`, `LPT${n}`]),
  ].map((n) => n.toLowerCase()),
);

export function repoNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Enter a name for the repository.';
  if (name.trim() !== name) return 'The name cannot start or end with a space.';
  if (name.length > MAX_LENGTH) return `The name is ${name.length} characters long; Azure DevOps allows at most ${MAX_LENGTH}.`;
  if (name === '.' || name === '..') return `“${name}” cannot be used as a repository name.`;
  if (/\p{Cc}/u.test(name)) return 'The name cannot contain control characters (such as tabs or line breaks).';
  if (/[\uD800-\uDFFF]/.test(name)) return 'The name cannot contain emoji or other characters outside the basic Unicode range.';
  const bad = FORBIDDEN.exec(name)?.[0];
  if (bad !== undefined) return `The name cannot contain “${bad}”. Not allowed: \\ / : * ? " < > | ; # $ { } , + = [ ]`;
  if (name.startsWith('_')) return 'The name cannot start with an underscore (_).';
  if (name.startsWith('.') || name.endsWith('.')) return 'The name cannot start or end with a period (.).';
  if (RESERVED.has(name.toLowerCase())) return `“${name}” is a name Azure DevOps reserves; choose another.`;
  return undefined;
}
