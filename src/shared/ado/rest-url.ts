/** Building REST URLs: path parts encoded one segment at a time, query values encoded, keys kept. */

export type Query = Record<string, string | number | boolean | undefined>;

/**
 * A tagged template for REST paths: each `${part}` is one path segment and gets percent-encoded
 * (project and repository names may contain spaces, `#` or non-ASCII letters).
 */
export function path(strings: TemplateStringsArray, ...parts: Array<string | number>): string {
  return strings.reduce((out, literal, i) => {
    if (i === 0) return literal;
    const part = String(parts[i - 1]);
    if (part === '') throw new Error(`Empty path segment in ${strings.join('…')}`);
    // `..` would climb out of the organization (URLs resolve dot segments); no name in Azure DevOps is one.
    if (part === '.' || part === '..') throw new Error(`"${part}" is not a name in Azure DevOps.`);
    return out + encodeURIComponent(part) + literal;
  }, '');
}

/** `base` without trailing slashes + `apiPath` (starting with `/`) + the query, undefined values left out. */
export function restUrl(base: string, apiPath: string, query: Query = {}): string {
  const search = Object.entries(query)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join('&');
  return `${base.replace(/\/+$/, '')}${apiPath}${search ? `?${search}` : ''}`;
}

/** `main` → `refs/heads/main`; names already under `refs/` are kept. */
export const headRef = (branch: string): string => (branch.startsWith('refs/') ? branch : `refs/heads/${branch}`);

/** `{org}/{project}`: the base for project-level APIs. */
export const projectBase = (orgBaseUrl: string, project: string): string =>
  `${orgBaseUrl.replace(/\/+$/, '')}${path`/${project}`}`;

/** A repository addressed within its project (ids or names both work for each). */
export interface RepoRef {
  project: string;
  repositoryId: string;
}

export const repoPath = (r: RepoRef): string => path`/_apis/git/repositories/${r.repositoryId}`;
