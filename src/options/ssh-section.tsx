import { useEffect, useRef, useState } from 'preact/hooks';
import { sshKeysPageUrl } from '../shared/ado/urls';
import { ask } from '../shared/ask';
import type { SshKeyData, SshTestData } from '../shared/host-protocol';
import type { CompanionStatus, ReplyError } from '../shared/messages';
import { companionNeed, mayTryAgain, nextStepFor } from '../shared/next-step';
import { orgBaseUrl, sshHosts, type Profile } from '../shared/profile';
import { copyText } from '../shared/ui/clipboard';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { useFocusOnChange } from '../shared/ui/focus';
import { openTab, optionsHash } from '../shared/ui/open';
import { Path } from '../shared/ui/path';
import { useChosenProfile } from './use-chosen-profile';

/**
 * The SSH key for Azure DevOps: find or create one (RSA: the only kind Azure DevOps accepts),
 * register it (by API with a Microsoft sign-in; by hand on the keys page with a token), test it.
 */
export function SshSection(props: { profiles: Profile[]; activeId?: string | undefined; companion: CompanionStatus['state'] | undefined }) {
  // Undefined while the status is on its way.
  const companionReady = props.companion && props.companion === 'ready';
  const [data, setData] = useState<SshKeyData>();
  const [loadError, setLoadError] = useState<ReplyError>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<ReplyError>();
  const [outcome, setOutcome] = useState<string>();
  const [test, setTest] = useState<SshTestData>();
  const [profile, setProfileId] = useChosenProfile(props.profiles, props.activeId);
  // The action that failed, for its note's Try again.
  const again = useRef<() => void>(undefined);

  const load = (action: 'find' | 'generate') => {
    if (action === 'generate') again.current = () => load('generate');
    setBusy(action);
    setError(undefined);
    ask({ type: 'ssh.key', action })
      .then((d) => {
        setData(d);
        setLoadError(undefined);
      })
      .catch(async (e: unknown) => {
        const failed = toReplyError(e);
        if (action === 'find') return setLoadError(failed);
        // A key is there already (made by a companion that stopped before it answered, or by hand):
        // it is the one to use, shown as it is, not a failure.
        const there = failed.code === 'companion.KEY_EXISTS' ? await ask({ type: 'ssh.key', action: 'find' }).catch(() => undefined) : undefined;
        if (!there?.key) return setError(failed);
        setData(there);
        setOutcome('An RSA key was there already, so no new one was made: it is shown above, left as it was.');
      })
      .finally(() => setBusy(undefined));
  };
  // The key is looked for through the companion: as soon as it is there (installed while this page was open, too),
  // and again when a profile brings a server (or the cloud) the key may not be configured for yet.
  const hosts = sshHosts(props.profiles).join(' ');
  useEffect(() => {
    if (companionReady) load('find');
  }, [companionReady, hosts]);
  // Looking for the key is loading, not an action: its end must not take the focus (nor scroll the page to here).
  const box = useFocusOnChange<HTMLElement>(companionReady === false ? 'no companion' : data && busy !== 'find' ? `${busy ?? ''}|${!!data.key}` : undefined);

  const key = data?.key;
  const addToAdo = async () => {
    if (!key || !profile) return;
    setError(undefined);
    setOutcome(undefined);
    // Azure DevOps takes new keys from a token only through its web page.
    if (profile.auth === 'pat') return addByHand();
    again.current = () => void addToAdo();
    setBusy('add');
    try {
      const added = await ask({ type: 'ssh.addToAdo', profileId: profile.id, publicKey: key.publicKey });
      setOutcome(`Added to ${profile.organization} as “${added.name}”, valid until ${new Date(added.validTo).toLocaleDateString()}.`);
    } catch (e) {
      setError(toReplyError(e));
    } finally {
      setBusy(undefined);
    }
  };
  /** The key copied and the keys page opened, for the person to add it there. */
  const addByHand = async () => {
    if (!key || !profile) return;
    setError(undefined);
    const copied = await copyText(key.publicKey);
    openTab(sshKeysPageUrl(orgBaseUrl(profile)));
    setOutcome(
      copied
        ? 'The public key is copied. On the page that opened, choose “New Key”, paste it, name it and save.'
        : 'Copy the public key above, then on the page that opened choose “New Key”, paste it and save.',
    );
  };
  /** Names the key shown in the companion's block of ~/.ssh/config, so ssh uses it for Azure DevOps (a key made by hand has no block). */
  const configure = async () => {
    if (!key) return;
    again.current = () => void configure();
    setBusy('configure');
    setError(undefined);
    setOutcome(undefined);
    try {
      const configured = await ask({ type: 'ssh.key', action: 'configure', keyPath: key.privateKeyPath });
      setData(configured);
      const named = configured.sshConfig?.hosts;
      setOutcome(`~/.ssh/config now uses this key for ${named ? new Intl.ListFormat('en').format(named) : 'Azure DevOps'}.`);
    } catch (e) {
      setError(toReplyError(e));
    } finally {
      setBusy(undefined);
    }
  };
  const runTest = async () => {
    again.current = () => void runTest();
    setBusy('test');
    setTest(undefined);
    setError(undefined);
    try {
      const host = profile?.host.kind === 'onprem' ? new URL(orgBaseUrl(profile)).hostname : undefined;
      setTest(await ask({ type: 'ssh.test', ...(host ? { host } : {}) }));
    } catch (e) {
      setError(toReplyError(e));
    } finally {
      setBusy(undefined);
    }
  };

  // A failed action's way on, in its note: the part of Options that fixes it (a lapsed sign-in, no
  // companion), or Try again where the same again may work (a server failure, no answer, a companion
  // that stopped: trying again starts a new one). It, not the action's button, then takes the focus.
  const step = error && nextStepFor(error.code);
  const retry = !!error && (mayTryAgain(error.code) || restartsCompanion(error.code));
  // A Microsoft sign-in refused the key (403): the keys page may still take it by hand, and shows why not.
  const byHand = error?.code === 'signInForbidden';
  const main = step || retry || byHand ? undefined : true;

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
      ) : loadError ? (
        <ErrorNote error={loadError} title="Could not look for your SSH key">
          {!restartsCompanion(loadError.code) && (
            <a class="button" href="#companion">
              Set up the companion
            </a>
          )}
          <button type="button" onClick={() => load('find')}>
            Try again
          </button>
        </ErrorNote>
      ) : !data ? (
        <p class="muted" aria-busy="true">
          Looking for your SSH key…
        </p>
      ) : !key ? (
        <div class="note info">
          <p>No RSA key for Azure DevOps was found in ~/.ssh. Azure DevOps accepts RSA keys only (not ed25519).</p>
          <button type="button" class="primary" id="ssh-generate" data-main={main} disabled={!!busy} onClick={() => load('generate')}>
            {busy === 'generate' ? 'Creating a key…' : 'Create an RSA key'}
          </button>
        </div>
      ) : (
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
              {key.configured ? (
                'uses this key for Azure DevOps'
              ) : (
                <>
                  does not name this key for Azure DevOps yet{' '}
                  <button type="button" class="small" id="ssh-configure" disabled={!!busy} onClick={() => void configure()}>
                    {busy === 'configure' ? 'Writing ~/.ssh/config…' : 'Use it for Azure DevOps'}
                  </button>
                </>
              )}
            </dd>
          </dl>
          <p class="small muted">Azure DevOps lets a public key live one year: when it expires, add it again.</p>
          {props.profiles.length > 0 && (
            <div class="row">
              <label for="ssh-profile" class="small">
                Add to
              </label>
              <select id="ssh-profile" style={{ width: 'auto' }} value={profile?.id} onChange={(e) => setProfileId(e.currentTarget.value)}>
                {props.profiles.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
              <button type="button" class="primary" id="ssh-add" data-main={main} disabled={!!busy} onClick={() => void addToAdo()}>
                {busy === 'add' ? 'Adding…' : profile?.auth === 'pat' ? 'Copy and open the keys page' : 'Add to Azure DevOps'}
              </button>
              <button type="button" id="ssh-test" disabled={!!busy} onClick={() => void runTest()}>
                {busy === 'test' ? 'Testing…' : 'Test the connection'}
              </button>
            </div>
          )}
        </div>
      )}
      <div aria-live="polite">
        {outcome && <p class="note success" data-testid="ssh-outcome" role="status">{outcome}</p>}
        {test && (
          <div class={`note ${test.ok ? 'success' : 'warning'}`}>
            <p>{test.summary}</p>
            {test.detail && <pre class="small">{test.detail}</pre>}
          </div>
        )}
        {error && (
          <ErrorNote error={error}>
            {step && (
              <a class="button primary" data-main href={`#${optionsHash(step[1], error.profileId)}`}>
                {step[0]}
              </a>
            )}
            {byHand && (
              <button type="button" class="primary" data-main onClick={() => void addByHand()}>
                Copy and open the keys page
              </button>
            )}
            {retry && (
              <button type="button" data-main={step ? undefined : true} onClick={() => again.current?.()}>
                Try again
              </button>
            )}
          </ErrorNote>
        )}
      </div>
    </section>
  );
}

/** A companion that hung or stopped is set up: trying again starts a new one. */
const restartsCompanion = (code: string) => code === 'companion.hung' || code === 'companion.stopped';
