/**
 * Azure DevOps PAT / OAuth scopes and what each includes. `app_token` is "Full access".
 * Only the scopes the sandbox's routes check are listed; unknown ones imply nothing.
 */
const IMPLIES: Record<string, string[]> = {
  'vso.code_full': ['vso.code_manage', 'vso.code_status'],
  'vso.code_manage': ['vso.code_write'],
  'vso.code_write': ['vso.code'],
  'vso.code_status': ['vso.code'],
  'vso.work_full': ['vso.work_write'],
  'vso.work_write': ['vso.work'],
  'vso.project_manage': ['vso.project_write'],
  'vso.project_write': ['vso.project'],
  'vso.graph_manage': ['vso.graph'],
  'vso.identity_manage': ['vso.identity'],
  'vso.profile_write': ['vso.profile'],
  'vso.tokenadministration': ['vso.tokens'],
};

export const FULL_ACCESS = 'app_token';

export function grantsScope(granted: readonly string[], needed: string): boolean {
  const seen = new Set<string>();
  const stack = [...granted];
  while (stack.length) {
    const s = stack.pop()!;
    if (s === FULL_ACCESS || s === needed) return true;
    if (seen.has(s)) continue;
    seen.add(s);
    stack.push(...(IMPLIES[s] ?? []));
  }
  return false;
}
