import { Shell } from '../shared/ui/shell';

export function Options() {
  return (
    <Shell title="Azure DevOps Companion — Options">
      <section aria-labelledby="profiles-heading">
        <h2 id="profiles-heading">Profiles</h2>
        <p class="muted">No profile yet. Profiles for Azure DevOps Services and Azure DevOps Server appear here.</p>
      </section>
    </Shell>
  );
}
