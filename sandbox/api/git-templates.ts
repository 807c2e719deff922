import type { RequestContext } from '../context';
import type { Router } from '../router';
import { FULL_ACCESS } from '../scopes';
import { gitignoreTemplateNames } from './gitignore-templates';
import { atProjectAndOrg } from './route-helpers';

/**
 * `GET {org}/{project}/_apis/git/templates?type=gitignore` (undocumented; what the web UI's
 * "Add a .gitignore" list reads). Like the real service it needs OAuth, a browser session or a
 * full-access PAT: no scope of a scoped PAT grants it.
 */
export function registerGitTemplates(router: Router): void {
  atProjectAndOrg(router, 'GET', '/_apis/git/templates', list, { scope: FULL_ACCESS, preview: true });
}

function list(ctx: RequestContext): void {
  if (ctx.params.project) ctx.project();
  const type = ctx.query.get('type');
  const names = type === null || type.toLowerCase() === 'gitignore' ? gitignoreTemplateNames() : [];
  ctx.replyList(names.map((name) => ({ name, type: 'gitignore' })));
}
