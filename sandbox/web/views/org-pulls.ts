import { html } from '../html';
import type { PageRequest } from '../page-request';
import type { View } from '../view';
import { pageHeader } from './common';
import { pullRequestRows } from './pull-request-list';

/** `/{org}/_pulls`: active pull requests the user created or reviews, across the organization. */
export function orgPullsView(req: PageRequest): View {
  const active = [...req.store.pullRequests.values()]
    .filter((p) => p.orgId === req.org.id && p.status === 'active')
    .toSorted((a, b) => b.pullRequestId - a.pullRequestId);
  const created = active.filter((p) => p.createdById === req.user.id);
  const assigned = active.filter((p) => p.createdById !== req.user.id && p.reviewers.some((r) => r.id === req.user.id));
  const main = html`<div class="bolt-page repos-pr-list-page org-pull-requests-page flex-column">
${pageHeader({ title: 'Pull requests' })}
<div class="page-content flex-column rhythm-vertical-8">
<div role="heading" aria-level="2" class="font-weight-semibold">Created by me</div>
${pullRequestRows(req, created, req.links)}
<div role="heading" aria-level="2" class="font-weight-semibold">Assigned to me</div>
${pullRequestRows(req, assigned, req.links)}
</div>
</div>`;
  return { title: 'Pull requests - Home', main };
}
