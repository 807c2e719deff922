import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { tokensPageUrl } from '../shared/ado/urls';
import { ask } from '../shared/ask';
import type { ProfilesAnswer, ReplyError } from '../shared/messages';
import { clonePathSegments, cloneRootProblem, grantedPattern, layoutProblem as layoutProblemOf, orgBaseUrl, originPattern, type Profile } from '../shared/profile';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { cancelOnEscape } from '../shared/ui/focus';
import { forgetProfileInPopup } from '../popup/form-draft';
import { RemoveButton } from './remove-button';

/**
 * The connected accounts: which one is active, their clone settings, removal, export and import.
 * `edit`: a profile whose editor opens at once, at its token (Options was opened to replace it);
 * again each time `asked` grows (Options shown at that address again).
 */
export function ProfilesSection(props: {
  state: ProfilesAnswer;
  onChange: (next: ProfilesAnswer) => void;
  reload: () => void;
  edit?: string | undefined;
  asked?: number;
  /** Renews a Microsoft sign-in: Add an account's sign-in, started for this organization. */
  onSignIn: (organization: string) => void;
  /** Where a profile without a clone folder of its own clones: the companion's first, when it is known. */
  companionRoot?: string | undefined;
}) {
  const { activeId } = props.state;
  // By name, so saving a profile does not move it.
  const profiles = props.state.profiles.toSorted((a, b) => a.name.localeCompare(b.name));
  const [error, setError] = useState<ReplyError>();
  const [editing, setEditing] = useState<string | undefined>(props.edit);
  useEffect(() => {
    if (props.edit) setEditing(props.edit);
  }, [props.edit, props.asked]);
  const hostAccess = useHostAccess(profiles.map((p) => new URL(orgBaseUrl(p)).origin));
  const [confirming, setConfirming] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const file = useRef<HTMLInputElement>(null);

  const run = async (work: () => Promise<void>) => {
    setError(undefined);
    setNotice(undefined);
    try {
      await work();
    } catch (e) {
      setError(toReplyError(e));
    }
  };
  const exportProfiles = () =>
    run(async () => {
      const json = await ask({ type: 'profiles.export' });
      const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'azure-devops-companion-profiles.json';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setNotice(`Exported ${profiles.length} profile${profiles.length === 1 ? '' : 's'}. The file holds no tokens: sign in again after importing it elsewhere.`);
    });
  const importProfiles = (picked: File | undefined) =>
    run(async () => {
      if (!picked) return;
      const before = new Set(profiles.map((p) => p.id));
      const { skipped, ...state } = await ask({ type: 'profiles.import', json: await picked.text() });
      const added = state.profiles.filter((p) => !before.has(p.id)).length;
      props.onChange(state);
      const left = skipped === 0 ? '' : ` ${skipped} profile${skipped === 1 ? '' : 's'} in it could not be read and ${skipped === 1 ? 'was' : 'were'} skipped (made by a newer version?).`;
      setNotice(
        added === 0
          ? skipped === 0
            ? 'Nothing new in that file: every profile in it is here already.'
            : `Nothing imported.${left}`
          : `Imported ${added} profile${added === 1 ? '' : 's'}. Each needs its token or a sign-in again before use.${left}`,
      );
    });

  // The editor goes, with the focus in it: its Edit button, which stays, takes the focus back.
  const closeEditor = (id: string) => {
    setEditing(undefined);
    document.getElementById(`profile-${id}-edit`)?.focus();
  };

  return (
    <section id="profiles" aria-labelledby="profiles-heading" class="card">
      <h2 id="profiles-heading" tabIndex={-1}>
        Profiles
      </h2>
      {profiles.length === 0 ? (
        <p class="muted" data-testid="no-profiles">
          No profile yet. <a href="#accounts">Add an account</a> for Azure DevOps Services or Azure DevOps Server.
        </p>
      ) : (
        <ul class="profile-list">
          {profiles.map((p) => (
            <li key={p.id} class={p.id === activeId ? 'active' : ''} data-profile={p.name}>
              <div class="row">
                <div class="grow">
                  <strong>{p.name}</strong> {p.id === activeId && <span class="badge accent">active</span>}
                  <div class="small muted">
                    {p.identity?.displayName ?? 'Unknown user'} · {orgBaseUrl(p)} · {p.auth === 'pat' ? 'personal access token' : 'Microsoft sign-in'} ·{' '}
                    {p.protocol.toUpperCase()}
                  </div>
                  <HostAccess profile={p} allowed={hostAccess[new URL(orgBaseUrl(p)).origin] !== false} />
                </div>
                {p.id !== activeId && (
                  <button
                    type="button"
                    class="small"
                    onClick={() =>
                      run(async () => {
                        props.onChange(await ask({ type: 'profiles.setActive', id: p.id }));
                        // The button goes once the profile is active: its Edit button, beside it, takes the focus.
                        document.getElementById(`profile-${p.id}-edit`)?.focus();
                      })
                    }
                  >
                    Make active
                  </button>
                )}
                <button type="button" class="small" id={`profile-${p.id}-edit`} aria-expanded={editing === p.id} onClick={() => setEditing(editing === p.id ? undefined : p.id)}>
                  Edit
                </button>
                <RemoveButton
                  asking={confirming === p.id}
                  onAsk={(asking) => setConfirming(asking ? p.id : undefined)}
                  onRemove={() =>
                    run(async () => {
                      props.onChange(await ask({ type: 'profiles.remove', id: p.id }));
                      forgetProfileInPopup(p.id);
                      setConfirming(undefined);
                      // Its row, and the focused button in it, are gone: the list's heading takes the focus.
                      document.getElementById('profiles-heading')?.focus();
                    })
                  }
                >
                  Remove “{p.name}”, its token and its reviewer groups
                </RemoveButton>
              </div>
              {editing === p.id && (
                <ProfileEditor
                  profile={p}
                  toToken={p.id === props.edit}
                  asked={props.asked}
                  hostAccess={hostAccess[new URL(orgBaseUrl(p)).origin]}
                  companionRoot={props.companionRoot}
                  onSignIn={props.onSignIn}
                  onSaved={(saved) => {
                    closeEditor(p.id);
                    setNotice(saved);
                    props.reload();
                  }}
                  onCancel={() => closeEditor(p.id)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="button" disabled={profiles.length === 0} onClick={() => void exportProfiles()}>
          Export profiles…
        </button>
        <button type="button" onClick={() => file.current?.click()}>
          Import profiles…
        </button>
        <input
          ref={file}
          id="profiles-import"
          type="file"
          accept="application/json,.json"
          class="sr-only"
          // Out of the Tab order: the button opens it, and a Tab stop one cannot see loses the keyboard user.
          tabIndex={-1}
          aria-label="Import profiles from a file"
          onChange={(e) => {
            void importProfiles(e.currentTarget.files?.[0]);
            e.currentTarget.value = '';
          }}
        />
      </div>
      <div aria-live="polite">
        {notice && <p class="note success">{notice}</p>}
        {error && <ErrorNote error={error} />}
      </div>
    </section>
  );
}

/**
 * Whether the browser lets the extension reach each of these origins (absent until known). A
 * profile works only while it does, and the browser's own menus can take that back (an Azure
 * DevOps Server's granted access; in Firefox, dev.azure.com's too). Live: access is granted and
 * taken back outside this page too (the toolbar's site access menu, chrome://extensions, another
 * Options tab), and a stale note would send the user the wrong way.
 */
function useHostAccess(origins: string[]): Partial<Record<string, boolean>> {
  const [allowed, setAllowed] = useState<Partial<Record<string, boolean>>>({});
  const key = [...new Set(origins)].toSorted().join(' ');
  useEffect(() => {
    let current = true;
    const check = () =>
      void Promise.all(key.split(' ').filter(Boolean).map(async (o) => [o, (await grantedPattern(o, (pattern) => browser.permissions.contains({ origins: [pattern] }))) !== undefined] as const)).then(
        (answers) => current && setAllowed(Object.fromEntries(answers)),
      );
    check();
    browser.permissions.onAdded.addListener(check);
    browser.permissions.onRemoved.addListener(check);
    return () => {
      current = false;
      browser.permissions.onAdded.removeListener(check);
      browser.permissions.onRemoved.removeListener(check);
    };
  }, [key]);
  return allowed;
}

/** A profile whose host the browser no longer lets the extension reach says so, with the button that asks again (a click: the browser asks only after one). */
function HostAccess(props: { profile: Profile; allowed: boolean }) {
  const { host, origin } = new URL(orgBaseUrl(props.profile));
  if (props.allowed) return null;
  return (
    <p class="note warning small" role="alert" data-testid="host-access">
      The browser no longer lets Azure DevOps Companion reach {host}, so this profile and the features on its pages do not work.{' '}
      <button
        type="button"
        class="small"
        id={`profile-${props.profile.id}-allow`}
        onClick={() =>
          void browser.permissions.request({ origins: [originPattern(origin)] }).then(
            (granted) => {
              // The note goes with its button once allowed: the profile's Edit button takes the focus.
              if (granted) document.getElementById(`profile-${props.profile.id}-edit`)?.focus();
            },
            // Refused by the browser: the note stays, as nothing changed.
            () => undefined,
          )
        }
      >
        Allow access to {host}
      </button>
    </p>
  );
}

function ProfileEditor(props: { profile: Profile; toToken: boolean; asked?: number | undefined; hostAccess: boolean | undefined; companionRoot?: string | undefined; onSignIn: (organization: string) => void; onSaved: (notice: string | undefined) => void; onCancel: () => void }) {
  const p = props.profile;
  const form = useRef<HTMLFormElement>(null);
  // The focus goes into the editor as it opens (so Escape closes it at once): its first field, or,
  // opened to replace a refused token, the token field (for a Microsoft sign-in, Sign in again).
  // Layout effects, so a key pressed right after Edit lands in the editor.
  useLayoutEffect(() => {
    if (!props.toToken) form.current?.querySelector('input')?.focus();
  }, []);
  // The token field again whenever the address asks for it, the editor open or not; but not as the
  // address moves on (a menu link followed elsewhere): the focus would pull the page back up here.
  // A browser that no longer lets the extension reach the host refused the request, not Azure
  // DevOps: then the profile's Allow access button, above, is the fix. Known only once asked.
  const accessKnown = props.hostAccess !== undefined;
  useLayoutEffect(() => {
    if (!props.toToken || !accessKnown) return;
    const fix = props.hostAccess ? form.current?.querySelector<HTMLElement>('[data-renew]') : document.getElementById(`profile-${p.id}-allow`);
    fix?.scrollIntoView({ block: 'center' });
    fix?.focus({ preventScroll: true });
  }, [props.toToken, props.asked, accessKnown]);
  // Only what the user changes here: a field left alone shows the profile as it is now and is not
  // saved, so a change made meanwhile elsewhere (the companion's clone folder) is neither hidden
  // nor written back over.
  const [edits, setEdits] = useState<Partial<Record<'name' | 'cloneRoot' | 'layout', string>> & { protocol?: Profile['protocol'] }>({});
  const edit = (change: typeof edits) => setEdits((e) => ({ ...e, ...change }));
  const name = edits.name ?? p.name;
  const cloneRoot = edits.cloneRoot ?? p.cloneRoot ?? '';
  const layout = edits.layout ?? p.layout;
  const protocol = edits.protocol ?? p.protocol;
  const [token, setToken] = useState('');
  const [error, setError] = useState<ReplyError>();
  const [busy, setBusy] = useState(false);

  const segments = clonePathSegments(layout, { org: p.organization, project: 'Fabrikam Fiber', repo: 'fabrikam-web' });
  const layoutProblem = layoutProblemOf(layout);
  const nameProblem = name.trim() === '' ? 'Enter a name.' : undefined;
  const rootProblem = cloneRootProblem(cloneRoot);
  const tokenProblem = /\s/.test(token.trim()) ? 'A token has no spaces in it.' : undefined;

  const save = async (e: Event) => {
    e.preventDefault();
    if (layoutProblem || nameProblem || rootProblem || tokenProblem) return;
    setBusy(true);
    setError(undefined);
    try {
      // The token first: it is checked with Azure DevOps, and a refused one leaves everything as it was.
      const replacing = token.trim() !== '';
      if (replacing) {
        await ask({
          type: 'profiles.addPat',
          profileId: p.id,
          pat: token.trim(),
          ...(p.host.kind === 'onprem' ? { collectionUrl: p.host.collectionUrl, organization: p.organization } : { organization: p.organization }),
        });
        setToken('');
      }
      await ask({
        type: 'profiles.update',
        id: p.id,
        patch: {
          ...(edits.name !== undefined && { name: name.trim() }),
          ...(edits.layout !== undefined && { layout: layout.trim() }),
          ...(edits.protocol && { protocol }),
          // Emptied: clones go where the companion's do again.
          ...(edits.cloneRoot !== undefined && { cloneRoot: cloneRoot.trim() || null }),
        },
      });
      props.onSaved(replacing ? `“${name.trim()}” has its new token, and Azure DevOps accepts it.` : undefined);
    } catch (err) {
      setError(toReplyError(err));
    } finally {
      setBusy(false);
    }
  };
  const id = (field: string) => `profile-${p.id}-${field}`;
  return (
    <form ref={form} class="profile-editor" onSubmit={save} onKeyDown={cancelOnEscape(props.onCancel)} noValidate>
      <div class="field">
        <label for={id('name')}>Name</label>
        <input id={id('name')} type="text" value={name} aria-invalid={!!nameProblem} onInput={(e) => edit({ name: e.currentTarget.value })} />
        <div class="problem">{nameProblem}</div>
      </div>
      <div class="field">
        <label for={id('root')}>Clone folder</label>
        {/* Empty, it clones where the companion does: that folder is named, not described. */}
        <input id={id('root')} type="text" value={cloneRoot}
          placeholder={props.companionRoot ? `${props.companionRoot} (the companion’s)` : 'The companion’s clone folder'}
          aria-invalid={!!rootProblem}
          onInput={(e) => edit({ cloneRoot: e.currentTarget.value })}
        />
        <div class="problem">{rootProblem}</div>
      </div>
      <div class="field">
        <label for={id('layout')}>Folder layout</label>
        <input id={id('layout')} type="text" value={layout} spellcheck={false} aria-invalid={!!layoutProblem} onInput={(e) => edit({ layout: e.currentTarget.value })} />
        <div class="hint">
          <code>{'{org}'}</code>, <code>{'{project}'}</code> and <code>{'{repo}'}</code> are filled in. Example: {cloneRoot.trim() || '…'}/{segments.join('/')}
        </div>
        <div class="problem">{layoutProblem}</div>
      </div>
      {p.auth === 'pat' ? (
        <div class="field">
          <label for={id('token')}>New personal access token</label>
          <input data-renew id={id('token')} type="password" autocomplete="off" spellcheck={false} value={token} aria-invalid={!!tokenProblem}
            aria-describedby={id('token-hint')} onInput={(e) => setToken(e.currentTarget.value)}
          />
          <div class="hint" id={id('token-hint')}>
            Leave empty to keep the current one. A token that expired or was revoked is replaced here; it must be {p.identity?.displayName ?? 'the same user'}’s.{' '}
            <a href={tokensPageUrl(orgBaseUrl(p))} target="_blank" rel="noreferrer">
              Make a new token
            </a>
          </div>
          <div class="problem">{tokenProblem}</div>
        </div>
      ) : (
        <div class="field">
          <button type="button" data-renew aria-describedby={id('renew-hint')} onClick={() => props.onSignIn(p.organization)}>
            Sign in with Microsoft again
          </button>
          <div class="hint" id={id('renew-hint')}>
            Renews this sign-in: sign in as {p.identity?.displayName ?? 'the same user'} and choose {p.organization}. This profile keeps its settings.
          </div>
        </div>
      )}
      <fieldset>
        <legend>Clone with</legend>
        <label class="check">
          <input type="radio" name={id('protocol')} checked={protocol === 'https'} onChange={() => edit({ protocol: 'https' })} /> HTTPS (uses this profile’s token)
        </label>
        <label class="check">
          <input type="radio" name={id('protocol')} checked={protocol === 'ssh'} onChange={() => edit({ protocol: 'ssh' })} /> SSH (uses your SSH key)
        </label>
      </fieldset>
      {error && <ErrorNote error={error} />}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
