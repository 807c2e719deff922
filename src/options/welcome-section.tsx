import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { GIT_DOWNLOAD_URL } from '../shared/git-help';
import type { OptionsSection } from '../shared/messages';
import type { Profile } from '../shared/profile';
import { useFocusOnChange } from '../shared/ui/focus';
import { InstallSteps } from '../shared/ui/install-steps';
import { Path } from '../shared/ui/path';
import type { CompanionState } from '../shared/ui/use-companion';
import { WELCOME_STEPS, type WelcomeStep } from '../shared/welcome-steps';

/** The step to do now: the first one not done. */
export function currentStep(connected: boolean, companionReady: boolean): WelcomeStep {
  if (!connected) return 'connect';
  return companionReady ? 'clone' : 'companion';
}

/** The shortcut that opens the popup, as the browser has it (the user may have changed it). */
function usePopupShortcut(): string | undefined {
  const [shortcut, setShortcut] = useState<string>();
  useEffect(() => {
    browser.commands
      ?.getAll()
      .then((all) => setShortcut(all.find((c) => c.name === '_execute_action')?.shortcut || undefined))
      .catch(() => undefined);
  }, []);
  return shortcut;
}

/**
 * Options opens here after the extension is installed (and whenever no account is connected yet).
 * Each step says whether it is done; the focus follows the step to do.
 */
export function WelcomeSection(props: { profiles: Profile[]; active: Profile | undefined; companion: CompanionState; goTo: (section: OptionsSection) => void }) {
  const status = props.companion.status;
  const connected = props.profiles.length > 0;
  const ready = status?.state === 'ready';
  const step = currentStep(connected, ready);
  // Connecting happens in the accounts section: from there, the focus follows to the next step.
  const box = useFocusOnChange<HTMLElement>(step, { alsoFrom: '#accounts' });
  const shortcut = usePopupShortcut();
  // Where the active profile's clones go (Change leads to its clone folder), not another profile's.
  const root = props.active?.cloneRoot ?? status?.cloneRoots?.[0];
  const state = (s: WelcomeStep) => (s === step ? 'current' : (s === 'connect' && connected) || (s === 'companion' && ready) ? 'done' : 'todo');
  const mark = (s: WelcomeStep) => (state(s) === 'done' ? <span class="badge success">done</span> : null);

  return (
    <section id="welcome" aria-labelledby="welcome-heading" class="card welcome" ref={box} data-step={step}>
      <h2 id="welcome-heading" tabIndex={-1}>
        Welcome: three steps to your first clone
      </h2>
      <ol class="steps">
        <li data-state={state('connect')} aria-current={step === 'connect' ? 'step' : undefined}>
          <h3>
            {WELCOME_STEPS.connect} {mark('connect')}
          </h3>
          {connected ? (
            <p>Connected: {props.profiles.map((p) => p.name).join(', ')}.</p>
          ) : (
            <>
              <p>Add your organization with a personal access token. On Azure DevOps pages, cloning also works without one, through the page’s own sign-in.</p>
              <button type="button" class="primary" data-main={step === 'connect' ? true : undefined} onClick={() => props.goTo('accounts')}>
                Connect an account
              </button>
            </>
          )}
        </li>
        <li data-state={state('companion')} aria-current={step === 'companion' ? 'step' : undefined}>
          <h3>
            {WELCOME_STEPS.companion} {mark('companion')}
          </h3>
          {!status ? (
            <p class="muted">Looking for the companion…</p>
          ) : ready ? (
            <p>The companion is ready{status.version ? ` (version ${status.version})` : ''}.</p>
          ) : (
            <>
              <p>A small program on this computer that runs git for the extension.</p>
              {/* A hung one is installed: its words say what happened, and the next ask starts a new one. */}
              {status.state === 'hung' ? (
                <p>{status.message}</p>
              ) : status.state === 'gitTooOld' ? (
                <p>
                  {status.message}{' '}
                  <a href={GIT_DOWNLOAD_URL} target="_blank" rel="noreferrer">
                    Download git
                  </a>
                </p>
              ) : (
                <>
                  {/* Installed but failing (it stopped, or refused this browser): its words say so, with its doctor command. */}
                  {status.state !== 'missing' && status.message && <p>{status.message}</p>}
                  <InstallSteps update={status.state === 'outdated'} main={step === 'companion'} />
                </>
              )}
              <p class="small muted" role="status">
                Waiting for the companion: this page notices it by itself.
              </p>
            </>
          )}
        </li>
        <li data-state={state('clone')} aria-current={step === 'clone' ? 'step' : undefined}>
          <h3>{WELCOME_STEPS.clone}</h3>
          <p>
            Open a repository in Azure DevOps and choose <strong>Clone to desktop</strong> next to Clone, or open this extension from the toolbar
            {shortcut ? (
              <>
                {' '}
                (<kbd>{shortcut}</kbd>)
              </>
            ) : null}
            , pick a repository and choose <strong>Clone</strong>.
          </p>
          <p class="small">
            Clones go to {root ? <Path value={root} /> : 'a folder you choose'}.{' '}
            <button type="button" class="link" data-main={step === 'clone' ? true : undefined} onClick={() => props.goTo('companion')}>
              {root ? 'Change the clone folder' : 'Choose the clone folder'}
            </button>
          </p>
        </li>
      </ol>
    </section>
  );
}
