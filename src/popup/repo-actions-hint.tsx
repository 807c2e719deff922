/** The actions' place before a repository is chosen (or before the actions' code has loaded). */
export function RepoActionsHint() {
  return (
    <section class="repo-actions" aria-label="Repository actions">
      <p class="muted small">Choose a repository to clone it, open it or copy its URL. ↑ ↓ move, Enter opens it in Azure DevOps.</p>
    </section>
  );
}
