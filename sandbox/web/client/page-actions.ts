import { navigateTo } from './navigation';
import { refreshPart } from './slots';
import { pageUrlOf } from './state';

/**
 * What the pages do through the REST API, same-origin with the session cookie (as the real
 * pages do): create a pull request, vote on one.
 */
export function startPageActions(): void {
  document.addEventListener('submit', (e) => {
    const form = e.target instanceof HTMLFormElement ? e.target : null;
    if (!form?.dataset.sandboxCreatePr) return;
    e.preventDefault();
    void createPullRequest(form);
  });
  document.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-sandbox-action="vote"]') : null;
    if (button) void vote(button);
  });
}

async function createPullRequest(form: HTMLFormElement): Promise<void> {
  const data = new FormData(form);
  const body = {
    sourceRefName: form.dataset.sandboxSource,
    targetRefName: form.dataset.sandboxTarget,
    title: String(data.get('title') ?? ''),
    description: String(data.get('description') ?? ''),
  };
  const res = await fetch(form.dataset.sandboxCreatePr!, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-tfs-fedauthredirect': 'Suppress' },
    body: JSON.stringify(body),
  }).catch(() => undefined);
  const json = (await res?.json().catch(() => undefined)) as { pullRequestId?: number; message?: string } | undefined;
  if (res?.ok && json?.pullRequestId) {
    await navigateTo(location.pathname.replace(/\/pullrequestcreate$/i, `/pullrequest/${json.pullRequestId}`));
    return;
  }
  showMessage(form, json?.message ?? `The pull request could not be created (${res?.status ?? 'network error'}).`);
}

async function vote(button: HTMLElement): Promise<void> {
  const url = button.dataset.sandboxVoteUrl;
  if (!url) return;
  const res = await fetch(url, {
    method: 'PUT',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-tfs-fedauthredirect': 'Suppress' },
    body: JSON.stringify({ vote: Number(button.dataset.sandboxVote ?? 10) }),
  }).catch(() => undefined);
  const reviewers = document.querySelector('[data-sandbox-reviewers]');
  if (res?.ok && reviewers) await refreshPart(reviewers, 'pr-reviewers', pageUrlOf(location.href));
  else if (!res?.ok) button.title = `Voting failed (${res?.status ?? 'network error'}).`;
}

function showMessage(form: HTMLFormElement, text: string): void {
  const box = form.querySelector<HTMLElement>('[data-sandbox-form-message]');
  if (!box) return;
  box.setAttribute('role', 'alert');
  box.className = 'sandbox-message';
  box.textContent = text;
}
