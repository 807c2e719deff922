import { useEffect, useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import type { ProfilesAnswer, ReplyError } from '../shared/messages';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { Shell } from '../shared/ui/shell';
import { AdvancedSection } from './advanced-section';
import { CompanionSection } from './companion-section';
import { FeaturesSection } from './features-section';
import { MicrosoftSignIn } from './microsoft-sign-in';
import { PatForm } from './pat-form';
import { ProfilesSection } from './profiles-section';
import { ReviewerGroupsSection } from './reviewer-groups-section';
import { SshSection } from './ssh-section';

const SECTIONS = [
  ['profiles', 'Profiles'],
  ['accounts', 'Add an account'],
  ['companion', 'Companion'],
  ['ssh', 'SSH key'],
  ['groups', 'Reviewer groups'],
  ['features', 'Page features'],
  ['advanced', 'Advanced'],
] as const;

export function Options() {
  const [state, setState] = useState<ProfilesAnswer>();
  const [error, setError] = useState<ReplyError>();
  const [oauthConfigured, setOauthConfigured] = useState(true);
  // Set by "use a token instead": the PAT form opens for that organization.
  const [patFor, setPatFor] = useState<{ organization: string; at: number }>();

  const reload = () =>
    ask({ type: 'profiles.list' })
      .then((s) => {
        setState(s);
        setError(undefined);
      })
      .catch((e: unknown) => setError(toReplyError(e)));
  useEffect(() => {
    void reload();
  }, []);
  // Sections render after data arrives, so a link to one (options.html#companion) is followed then.
  useEffect(() => {
    if (state && location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  }, [!!state]);

  const active = state?.profiles.find((p) => p.id === state.activeId) ?? state?.profiles[0];
  const usePat = (organization: string) => {
    setPatFor({ organization, at: Date.now() });
    requestAnimationFrame(() => document.getElementById('pat-heading')?.scrollIntoView({ behavior: 'smooth' }));
  };

  return (
    <Shell title="Azure DevOps Companion — Options" profile={active ? `Active: ${active.name}` : undefined}>
      <div class="options-layout">
        <nav aria-label="Sections" class="options-nav">
          <ul>
            {SECTIONS.map(([id, label]) => (
              <li key={id}>
                <a href={`#${id}`}>{label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="options-content">
          {error && <ErrorNote error={error} title="Could not read your profiles" />}
          {!state ? (
            <section id="profiles" aria-labelledby="profiles-heading" class="card" aria-busy="true">
              <h2 id="profiles-heading">Profiles</h2>
              <p class="muted">Loading…</p>
            </section>
          ) : (
            <ProfilesSection state={state} onChange={setState} reload={() => void reload()} />
          )}
          <section id="accounts" aria-labelledby="accounts-heading" class="card">
            <h2 id="accounts-heading">Add an account</h2>
            <div class="account-ways">
              <MicrosoftSignIn configured={oauthConfigured} onAdded={() => void reload()} onUsePat={usePat} />
              <PatForm key={patFor?.at ?? 0} organization={patFor?.organization} onAdded={() => void reload()} />
            </div>
          </section>
          <CompanionSection profile={active} onProfileChanged={() => void reload()} />
          {state && <SshSection profiles={state.profiles} activeId={state.activeId} />}
          {state && <ReviewerGroupsSection profiles={state.profiles} activeId={state.activeId} />}
          <FeaturesSection />
          <AdvancedSection onSaved={(s) => setOauthConfigured(s.oauth.configured)} />
        </div>
      </div>
    </Shell>
  );
}
