import { useEffect, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { SCOPE_LABELS, TOKEN_SCOPES } from '../shared/ado/errors';
import { tokensPageUrl } from '../shared/ado/urls';
import { ask, askWithProgress } from '../shared/ask';
import type { AddedProfile, ReplyError } from '../shared/messages';
import { orgBaseUrl, originPattern, type Profile } from '../shared/profile';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { WaitSaid } from '../shared/ui/waiting';
import { askTellingWaits, type Wait } from '../shared/waiting';
import { mayTryAgain } from '../shared/next-step';
import { forgetProfileInPopup } from '../popup/form-draft';
import {
  COLLECTION_EXAMPLE,
  collectionName,
  collectionUrlCaution,
  collectionUrlProblem,
  normalizeCollectionUrl,
  organizationFromInput,
  organizationProblem,
} from './pat-input';

/** The scopes to tick on Azure DevOps' token page, by the names that page uses. */
const SCOPES = TOKEN_SCOPES.map((s) => SCOPE_LABELS[s]);

type Check = { state: 'checking' } | { state: 'ok'; projects: number; repos: number } | { state: 'problem'; error: ReplyError };

/**
 * Adding an account with a personal access token. The token is checked at once (connectionData
 * says whose it is), then used to list projects and repositories so a missing scope shows now,
 * not at the first clone. For an organization that has a token profile already, the new token
 * can replace that profile's (an expired one) instead of making a second profile; not by
 * default, since a working token it replaced would be gone.
 */
export function PatForm(props: { organization?: string | undefined; profiles: readonly Profile[]; onAdded: () => void }) {
  const [host, setHost] = useState<'cloud' | 'onprem'>('cloud');
  const [org, setOrg] = useState(props.organization ?? '');
  const [collection, setCollection] = useState('');
  const [pat, setPat] = useState('');
  const [name, setName] = useState('');
  const [tried, setTried] = useState(false);
  /** Checking the token: with which host (said on the button), and the id that cancels the check. */
  const [busy, setBusy] = useState<{ host: string; taskId: string }>();
  const [failure, setFailure] = useState<ReplyError>();
  const [added, setAdded] = useState<AddedProfile>();
  const [check, setCheck] = useState<Check>();
  // The check's two lists each say when they wait; the first waiting is the one told.
  const [waits, setWaits] = useState<{ projects?: Wait | undefined; repos?: Wait | undefined }>({});
  const wait = waits.projects ?? waits.repos;
  /** The profile whose token the person chose to replace: only while the form is for its organization. */
  const [replaceId, setReplaceId] = useState<string>();
  const tokenInput = useRef<HTMLInputElement>(null);
  const outcome = useRef<HTMLDivElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  // Arriving from "use a token instead": the organization is known, the token is what is missing.
  useEffect(() => {
    if (props.organization) tokenInput.current?.focus();
  }, [props.organization]);

  // The focus goes to the field to change: the organization or collection not found, or a server not
  // reached (its address is as likely mistyped as the way to it is down), else the token.
  useEffect(() => {
    const place = failure?.code === 'notFound' || (failure?.code === 'network' && host === 'onprem');
    if (failure) (place ? document.getElementById(host === 'cloud' ? 'pat-org' : 'pat-collection') : tokenInput.current)?.focus();
  }, [failure]);

  // Add account, disabled while it checks, or Try again, gone with its note, dropped the focus: it
  // goes back to Add account once a check ends (not when the page opens, which takes no focus).
  const checked = useRef(false);
  useEffect(() => {
    if (busy) checked.current = true;
    else if (checked.current && document.activeElement === document.body) addButton.current?.focus();
  }, [busy]);

  const organization = organizationFromInput(org);
  const hostProblem = host === 'cloud' ? organizationProblem(organization) : collectionUrlProblem(collection);
  const patProblem = pat.trim() === '' ? 'Paste the personal access token.' : /\s/.test(pat.trim()) ? 'A token has no spaces in it.' : undefined;
  const base = hostProblem ? undefined : host === 'cloud' ? `https://dev.azure.com/${encodeURIComponent(organization)}` : normalizeCollectionUrl(collection);
  const existing = base ? props.profiles.find((p) => p.auth === 'pat' && orgBaseUrl(p).toLowerCase() === base.toLowerCase()) : undefined;
  const replace = !!existing && existing.id === replaceId;

  // It lands below the button the focus is on: Enter in the token field at the window's foot showed nothing.
  useEffect(() => {
    if (failure || added) outcome.current?.scrollIntoView({ block: 'nearest' });
  }, [failure, added]);

  const submit = (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (hostProblem || patProblem || !base) {
      // The first field to fix takes the focus; its problem is its description, so it is heard.
      (hostProblem ? document.getElementById(host === 'cloud' ? 'pat-org' : 'pat-collection') : tokenInput.current)?.focus();
      return;
    }
    // Chrome grants host permissions only in direct answer to a click: ask before anything is awaited.
    const permission = host === 'onprem' ? browser.permissions.request({ origins: [originPattern(base)] }) : Promise.resolve(true);
    void add(permission, base);
  };

  async function add(permission: Promise<boolean>, collectionOrOrg: string) {
    const taskId = crypto.randomUUID();
    setBusy({ host: new URL(collectionOrOrg).host, taskId });
    setFailure(undefined);
    setAdded(undefined);
    setCheck(undefined);
    try {
      let granted: boolean;
      try {
        granted = await permission;
      } catch (e) {
        throw new Error(`The browser did not allow access to ${new URL(collectionOrOrg).origin}: ${(e as Error).message}`, { cause: e });
      }
      if (!granted) {
        throw new Error(`Access to ${new URL(collectionOrOrg).origin} was not granted. The extension can only talk to your server with that permission: add the account again and choose “Allow”.`);
      }
      // Through a port: closing this page abandons the add, as Cancel does (the background sees the port go).
      const answer = await askWithProgress({
        type: 'profiles.addPat',
        pat: pat.trim(),
        ...(host === 'onprem' ? { collectionUrl: collectionOrOrg, organization: collectionName(collectionOrOrg) } : { organization }),
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(replace ? { profileId: existing.id } : {}),
        taskId,
      }, () => undefined);
      // The secret has done its job here; it lives on in the background only. The form is blank
      // again for another account: left as it was, it offered to replace the token just added.
      setPat('');
      setOrg('');
      setCollection('');
      setName('');
      setReplaceId(undefined);
      setTried(false);
      setAdded(answer);
      props.onAdded();
      const { profile } = answer;
      setCheck({ state: 'checking' });
      try {
        // Asked telling their waits, so that a 429's hold or a retry is said, not waited out in silence.
        const [projects, repos] = await Promise.all([
          askTellingWaits({ type: 'projects.list', profileId: profile.id, refresh: true }, (w) => setWaits((all) => ({ ...all, projects: w }))),
          askTellingWaits({ type: 'repos.list', profileId: profile.id, refresh: true }, (w) => setWaits((all) => ({ ...all, repos: w }))),
        ]);
        setCheck({ state: 'ok', projects: projects.items.length, repos: repos.items.length });
      } catch (err) {
        setCheck({ state: 'problem', error: toReplyError(err) });
      }
    } catch (err) {
      const reply = toReplyError(err);
      // Cancelled: the form stays as it was, to be sent again or changed.
      if (reply.code === 'cancelled') return;
      // The background names the help page of the active profile; this token is for another place.
      const tokenTrouble = ['unauthorized', 'forbidden', 'signInPage'].includes(reply.code);
      setFailure(tokenTrouble ? { ...reply, helpUrl: tokensPageUrl(collectionOrOrg) } : reply);
    } finally {
      setBusy(undefined);
    }
  }

  const removeAdded = async () => {
    if (!added) return;
    await ask({ type: 'profiles.remove', id: added.profile.id }).then(() => forgetProfileInPopup(added.profile.id), () => undefined);
    setAdded(undefined);
    setCheck(undefined);
    props.onAdded();
  };

  return (
    <form class="pat-form" onSubmit={submit} noValidate aria-labelledby="pat-heading">
      <h3 id="pat-heading">Add with a personal access token</h3>
      <fieldset>
        <legend>Where is Azure DevOps?</legend>
        <label class="check">
          <input type="radio" name="pat-host" value="cloud" checked={host === 'cloud'} onChange={() => setHost('cloud')} /> Azure DevOps Services
          (dev.azure.com)
        </label>
        <label class="check">
          <input type="radio" name="pat-host" value="onprem" checked={host === 'onprem'} onChange={() => setHost('onprem')} /> Azure DevOps Server
          (on your company’s network)
        </label>
      </fieldset>
      {host === 'cloud' ? (
        <div class="field">
          <label for="pat-org">Organization</label>
          <input
            id="pat-org"
            data-main
            type="text"
            value={org}
            placeholder="fabrikam"
            spellcheck={false}
            aria-invalid={tried && !!hostProblem}
            aria-describedby="pat-org-problem"
            onInput={(e) => setOrg(e.currentTarget.value)}
          />
          <div class="problem" id="pat-org-problem">
            {tried || org ? hostProblem : ''}
          </div>
        </div>
      ) : (
        <div class="field">
          <label for="pat-collection">Collection URL</label>
          <input
            id="pat-collection"
            type="url"
            value={collection}
            placeholder={COLLECTION_EXAMPLE}
            spellcheck={false}
            aria-invalid={tried && !!hostProblem}
            aria-describedby="pat-collection-problem"
            onInput={(e) => setCollection(e.currentTarget.value)}
          />
          <div class="problem" id="pat-collection-problem">
            {tried || collection ? hostProblem : ''}
          </div>
          {collectionUrlCaution(collection) && <div class="note warning small">{collectionUrlCaution(collection)}</div>}
          <div class="hint">Your browser will ask to let the extension reach this server.</div>
        </div>
      )}
      <div class="note info token-help">
        <p>
          {base ? (
            <a id="pat-generate" href={tokensPageUrl(base)} target="_blank" rel="noreferrer">
              Generate a token on Azure DevOps
            </a>
          ) : (
            <span class="muted">Generate a token on Azure DevOps (enter the {host === 'cloud' ? 'organization' : 'collection URL'} first)</span>
          )}
          , choose “Custom defined” scopes and tick:
        </p>
        <ul class="scopes">
          {SCOPES.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      </div>
      <div class="field">
        <label for="pat-token">Personal access token</label>
        <input
          id="pat-token"
          ref={tokenInput}
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={pat}
          aria-invalid={tried && !!patProblem}
          aria-describedby="pat-token-problem"
          onInput={(e) => setPat(e.currentTarget.value)}
        />
        <div class="problem" id="pat-token-problem">
          {tried ? patProblem : ''}
        </div>
      </div>
      {existing && (
        <label class="check">
          <input type="checkbox" id="pat-replace" checked={replace} onChange={(e) => setReplaceId(e.currentTarget.checked ? existing.id : undefined)} /> Replace the token of “{existing.name}”,
          which keeps its settings and reviewer groups, instead of adding a second profile for {host === 'cloud' ? organization : collectionName(base!)}
        </label>
      )}
      <div class="field">
        <label for="pat-name">Name in this extension (optional)</label>
        <input id="pat-name" type="text" value={name} disabled={replace} placeholder={host === 'cloud' ? organization || 'fabrikam' : 'server · collection'} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={!!busy} ref={addButton}>
          {busy && !added ? `Checking the token with ${busy.host}…` : 'Add account'}
        </button>
        {/* A server that does not answer holds the check until it times out: the person need not wait. */}
        {busy && !added && (
          <button type="button" onClick={() => void ask({ type: 'profiles.cancelAdd', taskId: busy.taskId }).catch(() => undefined)}>
            Cancel
          </button>
        )}
      </div>
      <div aria-live="polite" class="pat-outcome" ref={outcome}>
        {failure && (
          <ErrorNote error={failure} title="The token was not added">
            {mayTryAgain(failure.code) && (
              <button type="button" onClick={submit}>
                Try again
              </button>
            )}
          </ErrorNote>
        )}
        {added && (
          <div class="note success" data-testid="pat-added" id="pat-added" tabIndex={-1}>
            <span class="title">{added.replaced ? `Updated the token of “${added.profile.name}”` : `Added “${added.profile.name}”`}</span>
            <p>
              The token belongs to {added.profile.identity?.displayName ?? 'an unknown user'}.
              {added.replaced && ' The profile keeps its settings and reviewer groups.'}
            </p>
            {check?.state === 'checking' && (
              <p class="muted" aria-live="polite">
                Checking what the token may do…{' '}
                {wait && <WaitSaid wait={wait} home="pat-added" onStop={() => [waits.projects, waits.repos].forEach((w) => w?.stop())} />}
              </p>
            )}
            {check?.state === 'ok' && (
              <p>
                It can see {check.projects} project{check.projects === 1 ? '' : 's'} and {check.repos} repositor{check.repos === 1 ? 'y' : 'ies'}.
              </p>
            )}
          </div>
        )}
        {check?.state === 'problem' && (
          <ErrorNote error={check.error} title="The token works, but not for everything this extension does">
            {!added?.replaced && (
              <button type="button" onClick={() => void removeAdded()}>
                Remove this account
              </button>
            )}
          </ErrorNote>
        )}
      </div>
    </form>
  );
}
