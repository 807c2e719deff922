import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { ask } from '../shared/ask';
import type { ReplyError, SettingsAnswer } from '../shared/messages';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';

/** The Microsoft Entra app used for "Sign in with Microsoft": configuration, not a constant. */
export function AdvancedSection(props: { onSaved: (s: SettingsAnswer) => void }) {
  const [clientId, setClientId] = useState('');
  const [tenant, setTenant] = useState('');
  const [error, setError] = useState<ReplyError>();
  const [saved, setSaved] = useState(false);
  // Nothing to save until the settings are read: Save would write the blank form over a client id
  // that is set, and what was typed would be overwritten when they come.
  const [loaded, setLoaded] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const redirect = browser.identity?.getRedirectURL?.() ?? '';

  useEffect(() => {
    setError(undefined);
    ask({ type: 'settings.get' })
      .then((s) => {
        setClientId(s.oauth.clientId);
        setTenant(s.oauth.tenant);
        setLoaded(true);
        props.onSaved(s);
      })
      .catch((e: unknown) => setError(toReplyError(e)));
  }, [attempt]);

  const problem = clientId.trim() && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(clientId.trim()) ? 'A client id looks like 00000000-0000-0000-0000-000000000000.' : undefined;
  const save = async (e: Event) => {
    e.preventDefault();
    if (problem || !loaded) return;
    setError(undefined);
    setSaved(false);
    try {
      props.onSaved(await ask({ type: 'settings.setOAuth', clientId: clientId.trim(), tenant: tenant.trim() || 'organizations' }));
      setSaved(true);
    } catch (err) {
      setError(toReplyError(err));
    }
  };
  return (
    <section id="advanced" aria-labelledby="advanced-heading" class="card">
      <h2 id="advanced-heading">Advanced: Microsoft sign-in</h2>
      <p class="muted small">
        “Sign in with Microsoft” uses a Microsoft Entra app registration (single-page application) with the Azure DevOps permission
        {redirect && (
          <>
            {' '}
            and the redirect URI <code>{redirect}</code>
          </>
        )}
        .
      </p>
      <form onSubmit={save} noValidate>
        <div class="field">
          <label for="oauth-client-id">Application (client) id</label>
          <input id="oauth-client-id" type="text" disabled={!loaded} spellcheck={false} value={clientId} aria-invalid={!!problem} onInput={(e) => setClientId(e.currentTarget.value)} />
          <div class="problem">{problem}</div>
        </div>
        <div class="field">
          <label for="oauth-tenant">Tenant</label>
          <input id="oauth-tenant" type="text" disabled={!loaded} spellcheck={false} value={tenant} placeholder="organizations" onInput={(e) => setTenant(e.currentTarget.value)} />
          <div class="hint">“organizations” lets any work or school account sign in; a tenant id or domain limits it to one.</div>
        </div>
        <div class="actions">
          <button type="submit" id="oauth-save" disabled={!loaded}>
            Save
          </button>
          {saved && <span class="small muted" role="status">Saved.</span>}
        </div>
      </form>
      {error && (
        <ErrorNote error={error} title={loaded ? undefined : 'Could not read the sign-in settings'}>
          {!loaded && (
            <button type="button" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </button>
          )}
        </ErrorNote>
      )}
    </section>
  );
}
