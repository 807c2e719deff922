import { useEffect, useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import type { FeatureSettings, ReplyError } from '../shared/messages';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { relativeTime } from '../shared/ui/relative-time';

/**
 * The features injected into Azure DevOps pages and the page anchors they could not find lately.
 * A first, read-only view: switching features on and off comes with the features' own work.
 */
export function FeaturesSection() {
  const [settings, setSettings] = useState<FeatureSettings>();
  const [error, setError] = useState<ReplyError>();
  useEffect(() => {
    ask({ type: 'features.settings' })
      .then(setSettings)
      .catch((e: unknown) => setError(toReplyError(e)));
  }, []);
  return (
    <section id="features" aria-labelledby="features-heading" class="card">
      <h2 id="features-heading">Features on Azure DevOps pages</h2>
      {error && <ErrorNote error={error} />}
      {!settings && !error && <p class="muted">Loading…</p>}
      {settings && (
        <>
          <ul class="feature-list">
            {settings.features.map((f) => (
              <li key={f.id} data-feature={f.id}>
                <strong>{f.title}</strong> <span class={`badge ${f.enabled ? 'success' : ''}`}>{f.enabled ? 'on' : 'off'}</span>
                <div class="small muted">{f.description}</div>
              </li>
            ))}
          </ul>
          <h3>Page parts not found</h3>
          {settings.missingAnchors.length === 0 ? (
            <p class="small muted">None lately: every feature found its place on the page.</p>
          ) : (
            <ul class="small">
              {settings.missingAnchors.map((m) => (
                <li key={`${m.feature}:${m.page}:${m.origin}`}>
                  {m.feature} on {m.page} pages of {m.origin}, {relativeTime(m.lastAt, Date.now())}: none of <code>{m.selectors.join(', ')}</code>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
