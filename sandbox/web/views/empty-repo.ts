import { html } from '../html';
import type { PageRequest } from '../page-request';
import { slot } from '../slot';
import type { View } from '../view';
import { cloneUrls } from './clone';

/** What a repository without commits shows at its files URL. */
export function emptyRepoView(req: PageRequest): View {
  const repo = req.repo!;
  const urls = cloneUrls(req);
  const main = html`<div class="bolt-page flex-column">
<div class="bolt-header flex-row"><div class="bolt-header-title-area"><div role="heading" aria-level="1" class="bolt-header-title title-m l">${repo.name} is empty. Add some code!</div></div></div>
<div class="page-content flex-column">
${slot('empty-clone', 100, 400)}
<div class="bolt-card flex-column rhythm-vertical-8">
<div role="heading" aria-level="2" class="font-weight-semibold">Push an existing repository from command line</div>
<pre class="monospaced-text">git remote add origin ${urls.https}
git push -u origin --all</pre>
</div>
<div class="bolt-card flex-column rhythm-vertical-8">
<div role="heading" aria-level="2" class="font-weight-semibold">Import a repository</div>
<div><button class="bolt-button enabled" type="button" disabled>Import</button></div>
</div>
<div class="bolt-card flex-column rhythm-vertical-8">
<div role="heading" aria-level="2" class="font-weight-semibold">Initialize ${repo.initialBranch} branch with a README or gitignore</div>
<div class="flex-row flex-center rhythm-horizontal-8"><label><input type="checkbox" checked disabled> Add a README</label><button class="bolt-button enabled" type="button" disabled>Initialize</button></div>
</div>
</div>
</div>`;
  return { title: `${repo.name} - Repos`, main };
}
