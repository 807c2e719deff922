import { useEffect, useRef, useState } from 'preact/hooks';
import browser, { type Runtime } from 'webextension-polyfill';
import { ask } from '../shared/ask';
import type { OptionsSection, ProfilesAnswer, ReplyError } from '../shared/messages';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { mainActionIn } from '../shared/ui/focus';
import { isShownAgain } from '../shared/ui/open';
import { Shell } from '../shared/ui/shell';
import { useCompanionStatus } from '../shared/ui/use-companion';
import { AdvancedSection } from './advanced-section';
import { BranchNamesSection } from './branch-names-section';
import { CompanionSection } from './companion-section';
import { EditorSection } from './editor-section';
import { FeaturesSection } from './features-section';
import { MicrosoftSignIn } from './microsoft-sign-in';
import { PatForm } from './pat-form';
import { ProfilesSection } from './profiles-section';
import { ReviewerGroupsSection } from './reviewer-groups-section';
import { SshSection } from './ssh-section';
import { WelcomeSection } from './welcome-section';
import { useCurrentSection } from './current-section';
import { useKeptInView } from './kept-in-view';
import { SECTIONS } from './sections';

const FIELD = 'input, textarea, select';

/**
 * Puts the focus on a section's main action (or its heading), unless the reader is in a field: the
 * page may still be drawing as they begin to type, and the rest of what they type must not land elsewhere.
 */
function focusSection(id: string): void {
  const section = document.getElementById(id);
  if (!section || document.activeElement?.matches(FIELD)) return;
  (section.querySelector<HTMLElement>('[data-main]:not(:disabled)') ?? section.querySelector<HTMLElement>('h2[tabindex]') ?? mainActionIn(section))?.focus({ preventScroll: true });
}

/** Goes to a section; the address says where, so going back returns. */
function goTo(section: OptionsSection): void {
  if (location.hash !== `#${section}`) location.hash = section;
  else {
    document.getElementById(section)?.scrollIntoView({ block: 'start' });
    focusSection(section);
  }
}

export function Options() {
  const [state, setState] = useState<ProfilesAnswer>();
  const [error, setError] = useState<ReplyError>();
  // Unknown until the settings are read: "Sign in with Microsoft" is offered only once a client id is known to exist.
  const [oauthConfigured, setOauthConfigured] = useState<boolean>();
  // Set by "use a token instead": the PAT form opens for that organization.
  const [patFor, setPatFor] = useState<{ organization: string; at: number }>();
  // Set by a Microsoft sign-in profile's "Sign in with Microsoft again": the sign-in starts for that organization.
  const [signInFor, setSignInFor] = useState<{ organization: string; at: number }>();
  const [hash, setHash] = useState(() => location.hash.slice(1));
  const companion = useCompanionStatus();

  const reload = () =>
    ask({ type: 'profiles.list' })
      .then((s) => {
        setState(s);
        setError(undefined);
      })
      .catch((e: unknown) => setError(toReplyError(e)));
  // Options shown again at the address it is at (a second Update the token): no hashchange comes,
  // so the worker says so (src/background/open-options.ts), and the section is brought back.
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    void reload();
    const onHash = () => setHash(location.hash.slice(1));
    // From the worker only: a content script's message reaches extension pages too.
    const onShown = (m: unknown, sender: Runtime.MessageSender) => {
      if (!isShownAgain(m) || sender.tab || m.url !== location.href) return;
      // It may come before the hashchange: the address is read here too, for the same draw.
      setHash(location.hash.slice(1));
      setAsked((n) => n + 1);
    };
    addEventListener('hashchange', onHash);
    browser.runtime.onMessage.addListener(onShown);
    return () => {
      removeEventListener('hashchange', onHash);
      browser.runtime.onMessage.removeListener(onShown);
    };
  }, []);
  // `profiles/ID`: that profile's editor, opened where its token is replaced (a refused token's Update button).
  const [section, profilePart] = hash.split('/');
  // Compared encoded: a hash typed by hand may not decode.
  const editProfile = profilePart ? state?.profiles.find((p) => encodeURIComponent(p.id) === profilePart)?.id : undefined;
  // Sections render after data arrives, so a link to one (options.html#companion) is followed then:
  // useKeptInView brings it into view, unless the reader has scrolled on since the link was followed.
  const followed = state && section && !editProfile ? section : undefined;
  useEffect(() => {
    if (followed) requestAnimationFrame(() => focusSection(followed));
  }, [!!state, hash]);
  useEffect(() => {
    if (!asked || !followed) return;
    // Never the address: a section's own, it is where the page is already.
    document.getElementById(followed)?.scrollIntoView({ block: 'start' });
    focusSection(followed);
  }, [asked]);
  // A profile this page has not read yet (added, or its token replaced, in another tab): read them again.
  useEffect(() => {
    if (profilePart && state && !editProfile) void reload();
  }, [hash, asked]);
  useKeptInView(followed);

  const current = useCurrentSection(section, !!state);

  const active = state?.profiles.find((p) => p.id === state.activeId) ?? state?.profiles[0];
  const usePat = (organization: string) => {
    setPatFor({ organization, at: Date.now() });
    requestAnimationFrame(() => document.getElementById('pat-heading')?.scrollIntoView({ behavior: 'smooth' }));
  };
  // Without a client id there is no sign-in to start: Add an account says where to set it.
  const signInAgain = (organization: string) => (oauthConfigured ? setSignInFor({ organization, at: Date.now() }) : goTo('accounts'));
  // The welcome walks a new user through: shown when asked for or while nothing is connected, it
  // then stays for this visit, so the steps after connecting are still there to follow.
  const welcomeShown = useRef(false);
  welcomeShown.current ||= !!state && (hash === 'welcome' || state.profiles.length === 0);
  const welcome = !!state && welcomeShown.current;

  return (
    <Shell title="Azure DevOps Companion — Options" profile={active ? `Active: ${active.name}` : undefined}>
      <div class="options-layout">
        <nav aria-label="Sections" class="options-nav">
          <ul>
            {(welcome ? [['welcome', 'Welcome'] as const, ...SECTIONS] : SECTIONS).map(([id, label]) => (
              <li key={id}>
                <a href={`#${id}`} aria-current={current === id ? 'location' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="options-content">
          {error && <ErrorNote error={error} title="Could not read your profiles" />}
          {welcome && <WelcomeSection profiles={state.profiles} active={active} companion={companion} goTo={goTo} />}
          {!state ? (
            <section id="profiles" aria-labelledby="profiles-heading" class="card" aria-busy="true">
              <h2 id="profiles-heading">Profiles</h2>
              <p class="muted">Loading…</p>
            </section>
          ) : (
            <ProfilesSection state={state} onChange={setState} reload={() => void reload()} edit={editProfile} asked={asked} onSignIn={signInAgain} companionRoot={companion.status?.cloneRoots?.[0]} />
          )}
          <section id="accounts" aria-labelledby="accounts-heading" class="card">
            <h2 id="accounts-heading" tabIndex={-1}>
              Add an account
            </h2>
            <div class="account-ways">
              {oauthConfigured && <MicrosoftSignIn key={signInFor?.at ?? 0} organization={signInFor?.organization} onAdded={() => void reload()} onUsePat={usePat} />}
              <PatForm key={patFor?.at ?? 0} organization={patFor?.organization} profiles={state?.profiles ?? []} onAdded={() => void reload()} />
              {oauthConfigured === false && (
                <p class="small muted">
                  Work or school accounts can also sign in with Microsoft once this extension knows an Entra app’s client id:{' '}
                  <button type="button" class="link" onClick={() => goTo('advanced')}>
                    set it under Advanced
                  </button>
                  .
                </p>
              )}
            </div>
          </section>
          <CompanionSection companion={companion} profile={active} onProfileChanged={() => void reload()} />
          <EditorSection />
          <BranchNamesSection />
          {state && <SshSection profiles={state.profiles} activeId={state.activeId} companion={companion.status?.state} />}
          {state && <ReviewerGroupsSection profiles={state.profiles} activeId={state.activeId} />}
          <FeaturesSection />
          <AdvancedSection onSaved={(s) => setOauthConfigured(s.oauth.configured)} />
        </div>
      </div>
    </Shell>
  );
}
