import browser from 'webextension-polyfill';
import { useEffect, useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import type { FeatureId, FeatureSettings, MissingAnchor, ReplyError } from '../shared/messages';
import { copyText } from '../shared/ui/clipboard';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { relativeTime } from '../shared/ui/relative-time';
import { SECTIONS } from './sections';

/**
 * A plain-text report of the missing anchors for a bug report: page kinds and origins, never a
 * page's URL (it names projects and repositories).
 */
export function missingAnchorsReport(missing: MissingAnchor[], version: string, agent: string): string {
  const lines = [`Azure DevOps Companion ${version} — page parts not found`, agent, ''];
  for (const m of missing) {
    lines.push(`${m.feature} on ${m.page} pages of ${m.origin}: ${m.count} time(s), ${new Date(m.firstAt).toISOString()} .. ${new Date(m.lastAt).toISOString()}`);
    for (const s of m.selectors) lines.push(`  tried ${s}`);
  }
  return lines.join('\n');
}

/**
 * The features injected into Azure DevOps pages, each with its switch (it counts from the page's
 * next view), and the page anchors they could not find lately.
 */
export function FeaturesSection() {
  const [settings, setSettings] = useState<FeatureSettings>();
  const [error, setError] = useState<ReplyError>();
  const [copied, setCopied] = useState<boolean>();
  const [saving, setSaving] = useState<FeatureId>();
  useEffect(() => {
    ask({ type: 'features.settings' })
      .then(setSettings)
      .catch((e: unknown) => setError(toReplyError(e)));
  }, []);
  const toggle = async (feature: FeatureId, enabled: boolean) => {
    setSaving(feature);
    setError(undefined);
    try {
      setSettings(await ask({ type: 'features.setEnabled', feature, enabled }));
    } catch (e) {
      setError(toReplyError(e));
    } finally {
      setSaving(undefined);
    }
  };
  return (
    <section id="features" aria-labelledby="features-heading" class="card">
      <h2 id="features-heading">Page features</h2>
      {error && <ErrorNote error={error} />}
      {!settings && !error && <p class="muted">Loading…</p>}
      {settings && (
        <>
          <p class="small muted">What this extension adds to Azure DevOps pages. A change counts on the next page you open (or reload).</p>
          <ul class="feature-list">
            {settings.features.map((f) => (
              <li key={f.id} data-feature={f.id}>
                <label class="check">
                  <input
                    type="checkbox"
                    id={`feature-${f.id}`}
                    checked={f.enabled}
                    // Not \`disabled\` while its change is saved: that would drop the focus to the page.
                    aria-disabled={saving === f.id}
                    aria-describedby={`feature-${f.id}-about`}
                    onClick={(e) => saving === f.id && e.preventDefault()}
                    onChange={(e) => void toggle(f.id, e.currentTarget.checked)}
                  />
                  <strong>{f.title}</strong>
                </label>
                <div class="small muted" id={`feature-${f.id}-about`}>
                  <WithSectionLinks text={f.description} />
                </div>
              </li>
            ))}
          </ul>
          <h3>Page parts not found</h3>
          {settings.missingAnchors.length === 0 ? (
            <p class="small muted">None lately: every feature found its place on the page.</p>
          ) : (
            <>
              <p class="small muted">These features sat in the floating box at the bottom right instead, because Azure DevOps' page looked different from what they know.</p>
              <ul class="small missing-anchors">
                {settings.missingAnchors.map((m) => (
                  <li key={`${m.feature}:${m.page}:${m.origin}`} data-page={m.page}>
                    <strong>{m.feature}</strong> on <strong>{m.page}</strong> pages of {m.origin}, {m.count}×, last {relativeTime(m.lastAt, Date.now())}. Tried:{' '}
                    {m.selectors.map((sel, i) => (
                      <span key={sel}>
                        {i > 0 && ', '}
                        <code>{sel}</code>
                      </span>
                    ))}
                  </li>
                ))}
              </ul>
              <button
                type="button"
                onClick={() =>
                  void copyText(missingAnchorsReport(settings.missingAnchors, browser.runtime.getManifest().version, navigator.userAgent)).then((ok) => {
                    setCopied(ok);
                    setTimeout(() => setCopied(undefined), 2000);
                  })
                }
              >
                {copied === undefined ? 'Copy report' : copied ? 'Copied' : 'Could not copy: select the list above instead'}
              </button>
            </>
          )}
        </>
      )}
    </section>
  );
}

/**
 * A feature's description (written for pages too) with "Options › Editor" as a link to that
 * section: here the reader is on Options already, a click away from it.
 */
function WithSectionLinks(props: { text: string }) {
  const parts = props.text.split(/Options › ([A-Z][a-z]*(?: [a-z]+)*)/);
  return (
    <>
      {parts.map((part, i) => {
        if (i % 2 === 0) return part;
        const id = SECTIONS.find(([, label]) => label === part)?.[0];
        return id ? (
          <a key={i} href={`#${id}`}>
            {part}
          </a>
        ) : (
          `Options › ${part}`
        );
      })}
    </>
  );
}
