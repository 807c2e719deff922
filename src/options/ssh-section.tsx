import { useEffect, useState } from 'preact/hooks';
import { sshKeysPageUrl } from '../shared/ado/urls';
import type { CompanionStatus, ReplyError } from '../shared/messages';
import { companionNeed, mayTryAgain, nextStepFor } from '../shared/next-step';
import { orgBaseUrl, sshHosts, type Profile } from '../shared/profile';
import { copyText } from '../shared/ui/clipboard';
import { ErrorNote } from '../shared/ui/error-note';
import { focusAfter, useFocusOnChange } from '../shared/ui/focus';
import { openTab, optionsHash } from '../shared/ui/open';
import { Path } from '../shared/ui/path';
import { addToAdo, configSays, configure, load, runTest, said, type Shown, type SshAction, type SshState } from './ssh-state';
import { useChosenProfile } from './use-chosen-profile';

/** What the buttons do, for the key shown and the profile chosen now (a Try again too). */
type Act = Record<SshAction | 'byHand', () => void>;

/**
 * The SSH key for Azure DevOps: find or create one (RSA: the only kind Azure DevOps accepts),
 * register it (by API with a Microsoft sign-in; by hand on the keys page with a token), test it.
 */
export function SshSection(props: { profiles: Profile[]; activeId?: string | undefined; companion: CompanionStatus['state'] | undefined }) {
  // Undefined while the status is on its way.
  const companionReady = props.companion && props.companion === 'ready';
  const [state, set] = useState<SshState>({ kind: 'looking' });
  const [profile, setProfileId] = useChosenProfile(props.profiles, props.activeId);
  // The key is looked for through the companion: as soon as it is there (installed while this page was open, too),
  // and again when a profile brings a server (or the cloud) the key may not be configured for yet.
  const hosts = sshHosts(props.profiles).join(' ');
  useEffect(() => {
    if (companionReady) void load(set, 'find');
  }, [companionReady, hosts]);
  const shown = state.kind === 'shown' ? state : undefined;
  // Looking for the key is loading, not an action: its end must not take the focus (nor scroll the page to here).
  const box = useFocusOnChange<HTMLElement>(companionReady === false ? 'no companion' : shown && shown.busy !== 'find' ? `${shown.busy ?? ''}|${!!shown.data.key}` : undefined);

  const key = shown?.data.key;
  /** The key copied and the keys page opened, for the person to add it there. */
  const byHand = async () => {
    if (!key || !profile) return;
    set((s) => said(s, { failed: undefined, outcome: undefined }));
    const copied = await copyText(key.publicKey);
    openTab(sshKeysPageUrl(orgBaseUrl(profile)));
    const outcome = copied
      ? 'The public key is copied. On the page that opened, choose “New Key”, paste it, name it and save.'
      : 'Copy the public key above, then on the page that opened choose “New Key”, paste it and save.';
    set((s) => said(s, { outcome }));
  };
  const act: Act = {
    find: () => void load(set, 'find'),
    generate: () => void load(set, 'generate'),
    // Azure DevOps takes new keys from a token only through its web page.
    add: () => void (profile?.auth === 'pat' ? byHand() : key && profile && addToAdo(set, key, profile)),
    byHand: () => void byHand(),
    configure: () => void (key && configure(set, key)),
    test: () => void runTest(set, profile),
  };
  return (
    <section id="ssh" aria-labelledby="ssh-heading" class="card" ref={box}>
      <h2 id="ssh-heading" tabIndex={-1}>
        SSH key
      </h2>
      {companionReady === false ? (
        <div class="note info">
          <p>The SSH key is found and created by the desktop companion.</p>
          <a class="button" href="#companion" data-main>
            {companionNeed(props.companion!).fix[0]}
          </a>
        </div>
      ) : (
        view(state, act, props.profiles, profile, setProfileId)
      )}
      <div aria-live="polite">{shown && notes(shown, act)}</div>
    </section>
  );
}

/** The key found, or the lack of one, or the look for it. */
function view(state: SshState, act: Act, profiles: Profile[], profile: Profile | undefined, choose: (id: string) => void) {
  if (state.kind === 'looking') {
    return (
      <p class="muted" aria-busy="true">
        Looking for your SSH key…
      </p>
    );
  }
  if (state.kind === 'lookFailed') {
    return (
      <ErrorNote error={state.error} title={state.error.code === 'companion.KEY_UNREADABLE' ? 'Your SSH key cannot be shown' : 'Could not look for your SSH key'}>
        {/* Only for a companion that did not start: a look that failed on a file needs no set-up. */}
        {state.error.code === 'companion.failed' && (
          <a class="button" href="#companion">
            Set up the companion
          </a>
        )}
        {/* Its note goes while the key is looked for again (a key mended, too): the heading holds the focus, a Tab before what is found. */}
        <button type="button" onClick={focusAfter(act.find, 'ssh-heading')}>
          Try again
        </button>
      </ErrorNote>
    );
  }
  const { data, busy } = state;
  const key = data.key;
  // A failure's note takes the focus when it offers a way on; else the main button keeps it.
  const main = waysOn(state.failed?.error).any ? undefined : true;
  if (!key) {
    return (
      <div class="note info">
        <p>No RSA key for Azure DevOps was found in ~/.ssh. Azure DevOps accepts RSA keys only (not ed25519).</p>
        <button type="button" class="primary" id="ssh-generate" data-main={main} disabled={!!busy} onClick={act.generate}>
          {busy === 'generate' ? 'Creating a key…' : 'Create an RSA key'}
        </button>
      </div>
    );
  }
  const use = configSays(key, sshHosts(profiles), data);
  return (
    <div class="ssh-key">
      {data.created && <p class="note success">A new RSA key was created{data.sshConfig?.changed ? ' and ~/.ssh/config now uses it for Azure DevOps' : ''}.</p>}
      <div class="field">
        <label for="ssh-public-key">Public key</label>
        <textarea id="ssh-public-key" class="mono" rows={3} readOnly value={key.publicKey} />
      </div>
      <dl class="key-value">
        <dt>Fingerprint</dt>
        <dd>
          <code>{key.fingerprint ?? 'unknown'}</code>
        </dd>
        <dt>File</dt>
        <dd>
          <Path value={key.publicKeyPath} />
        </dd>
        <dt>~/.ssh/config</dt>
        <dd>
          {use.says}
          {use.offer && (
            <button type="button" class="small" id="ssh-configure" disabled={!!busy} onClick={act.configure}>
              {busy === 'configure' ? 'Writing ~/.ssh/config…' : 'Use it for Azure DevOps'}
            </button>
          )}
        </dd>
        {key.passphrase && key.inAgent && (
          <>
            <dt>Passphrase</dt>
            <dd>Yes, and ssh-agent holds the key, so ssh can use it</dd>
          </>
        )}
      </dl>
      {key.passphrase && !key.inAgent && <Locked path={key.privateKeyPath} busy={busy} act={act} />}
      <p class="small muted">Azure DevOps lets a public key live one year: when it expires, add it again.</p>
      {profiles.length > 0 && (
        <div class="row">
          <label for="ssh-profile" class="small">
            Add to
          </label>
          <select id="ssh-profile" style={{ width: 'auto' }} value={profile?.id} onChange={(e) => choose(e.currentTarget.value)}>
            {profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <button type="button" class="primary" id="ssh-add" data-main={main} disabled={!!busy} onClick={act.add}>
            {busy === 'add' ? 'Adding…' : profile?.auth === 'pat' ? 'Copy and open the keys page' : 'Add to Azure DevOps'}
          </button>
          <button type="button" id="ssh-test" disabled={!!busy} onClick={act.test}>
            {busy === 'test' ? 'Testing…' : 'Test the connection'}
          </button>
        </div>
      )}
    </div>
  );
}

/**
 * A key with a passphrase that ssh-agent does not hold: git runs ssh with no terminal to ask for
 * the passphrase, so Azure DevOps refuses the key even once it is added there. Create is offered
 * unless this is the companion's own key (it never replaces one).
 */
function Locked(props: { path: string; busy: SshAction | undefined; act: Act }) {
  const { path, busy, act } = props;
  const own = /[\\/]id_rsa_azure_devops$/.test(path);
  return (
    <div class="note warning" id="ssh-passphrase">
      <p>
        This key has a passphrase, and ssh-agent does not hold it: git, run by the companion, cannot ask for the passphrase, so ssh cannot use the key, and Azure DevOps
        refuses it even once it is added there.
      </p>
      <p>
        Load it into ssh-agent: run <code>ssh-add {/\s/.test(path) ? `"${path}"` : path}</code> (on Windows, start the “OpenSSH Authentication Agent” service first), then
        check again.{own ? '' : ' Or create a key for Azure DevOps, without a passphrase.'}
      </p>
      <div class="row">
        <button type="button" id="ssh-check-again" disabled={!!busy} onClick={act.find}>
          {busy === 'find' ? 'Checking…' : 'Check again'}
        </button>
        {!own && (
          <button type="button" id="ssh-generate" disabled={!!busy} onClick={act.generate}>
            {busy === 'generate' ? 'Creating a key…' : 'Create a key for Azure DevOps'}
          </button>
        )}
      </div>
    </div>
  );
}

/** What the last actions said, under the key: an outcome, a test, a failure. */
function notes({ outcome, test, failed }: Shown, act: Act) {
  const ways = waysOn(failed?.error);
  return (
    <>
      {outcome && <p class="note success" data-testid="ssh-outcome" role="status">{outcome}</p>}
      {test && (
        <div class={`note ${test.ok ? 'success' : 'warning'}`}>
          <p>{test.summary}</p>
          {test.detail && <pre class="small">{test.detail}</pre>}
        </div>
      )}
      {failed && (
        <ErrorNote error={failed.error}>
          {ways.step && (
            <a class="button primary" data-main href={`#${optionsHash(ways.step[1], failed.error.profileId)}`}>
              {ways.step[0]}
            </a>
          )}
          {/* It goes with its note: the focus waits on the next step, testing the key once it is added there. */}
          {ways.byHand && (
            <button type="button" class="primary" data-main onClick={focusAfter(act.byHand, 'ssh-test')}>
              Copy and open the keys page
            </button>
          )}
          {ways.retry && (
            <button type="button" data-main={ways.step ? undefined : true} onClick={act[failed.again]}>
              Try again
            </button>
          )}
        </ErrorNote>
      )}
    </>
  );
}

/**
 * A failed action's way on, in its note: the part of Options that fixes it (a lapsed sign-in, no
 * companion), or Try again where the same again may work (a server failure, no answer, a companion
 * that stopped: trying again starts a new one), or, for a key a Microsoft sign-in may not add (403),
 * the keys page, which may still take it by hand and shows why not.
 */
function waysOn(error: ReplyError | undefined) {
  const step = error && nextStepFor(error.code);
  const retry = !!error && (mayTryAgain(error.code) || restartsCompanion(error.code));
  const byHand = error?.code === 'signInForbidden';
  return { step, retry, byHand, any: !!step || retry || byHand };
}

/** A companion that hung or stopped is set up: trying again starts a new one. */
const restartsCompanion = (code: string) => code === 'companion.hung' || code === 'companion.stopped';
