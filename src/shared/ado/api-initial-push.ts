import type { ApiContext, CallOptions } from './api-context';
import { AdoError } from './errors';
import { headRef, projectBase, repoPath, restUrl, type RepoRef } from './rest-url';
import { Push } from './schemas';

export interface InitialPushInput extends RepoRef {
  /** The first branch, which becomes the default branch. Default `main`. */
  branch?: string | undefined;
  /** README.md content. */
  readme?: string | undefined;
  /** A template Azure DevOps fills in server-side (name as listed, e.g. `VisualStudio`), or raw content. */
  gitignore?: { template: string } | { content: string } | undefined;
  /** LICENSE content, already rendered (see licenses.ts). */
  license?: string | undefined;
  comment?: string | undefined;
}

const NO_COMMIT = '0'.repeat(40);

/** Git's ref-name rules (git check-ref-format), the parts a person can get wrong when typing a branch. */
export function branchNameProblem(branch: string): string | undefined {
  const name = branch.replace(/^refs\/heads\//, '');
  if (name === '') return 'Enter a branch name.';
  if (/[\s\p{Cc}~^:?*[\\]/u.test(name)) return 'A branch name cannot contain spaces or any of ~ ^ : ? * [ \\';
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return 'A branch name cannot contain “..”, “@{” or “//”.';
  if (/^[/.-]|[/.]$|\.lock$|\/\./.test(name)) return 'A branch name cannot start with / . or -, end with / . or .lock, or have a part starting with a dot.';
  return undefined;
}

const add = (file: string, content: string) => ({
  changeType: 'add',
  item: { path: file },
  newContent: { content, contentType: 'rawtext' },
});

function changes(input: InitialPushInput): object[] {
  const list: object[] = [];
  if (input.readme !== undefined) list.push(add('/README.md', input.readme));
  if (input.gitignore && 'content' in input.gitignore) list.push(add('/.gitignore', input.gitignore.content));
  if (input.gitignore && 'template' in input.gitignore) {
    const name = input.gitignore.template.replace(/\.gitignore$/i, '');
    list.push({
      changeType: 'add',
      item: { path: '/.gitignore' },
      newContentTemplate: { name: `${name}.gitignore`, type: 'gitignore' },
    });
  }
  if (input.license !== undefined) list.push(add('/LICENSE', input.license));
  return list;
}

/** The first commit of an empty repository: README, .gitignore and LICENSE in one push. */
export async function initialPush(ctx: ApiContext, input: InitialPushInput, o: CallOptions = {}): Promise<Push> {
  const what = 'add the first files';
  const branch = input.branch ?? 'main';
  const problem = branchNameProblem(branch);
  const files = changes(input);
  const invalid = problem ?? (files.length === 0 ? 'Choose at least one file to add (README, .gitignore or LICENSE).' : undefined);
  if (invalid) throw new AdoError({ kind: 'badRequest', what, userMessage: invalid, adoMessage: invalid });
  const body = {
    refUpdates: [{ name: headRef(branch), oldObjectId: NO_COMMIT }],
    commits: [{ comment: input.comment ?? 'Initial commit', changes: files }],
  };
  const url = restUrl(projectBase(ctx.orgBaseUrl, input.project), `${repoPath(input)}/pushes`, { 'api-version': ctx.apiVersion });
  return (await ctx.request({ method: 'POST', url, body, what, schema: Push, scope: 'vso.code_write', signal: o.signal })).data;
}
