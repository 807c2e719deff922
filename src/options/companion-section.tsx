import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import { GIT_DOWNLOAD_URL } from '../shared/git-help';
import type { CompanionStatus, ReplyError } from '../shared/messages';
import { cloneRootProblem, type Profile } from '../shared/profile';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { InstallSteps } from '../shared/ui/install-steps';
import { Path } from '../shared/ui/path';
import type { CompanionState } from '../shared/ui/use-companion';

/** What the status note says: the last answer, or that the ask on its way is taking long. */
type NoteState = CompanionStatus['state'] | 'slow';

const STATE_TITLES: Record<NoteState, string> = {
  ready: 'The desktop companion is ready',
  missing: 'The desktop companion is not installed',
  outdated: 'The desktop companion needs an update',
  gitTooOld: 'The desktop companion needs a newer git',
  failed: 'The desktop companion did not start',
  hung: 'The desktop companion did not answer',
  slow: 'The desktop companion is slow to answer',
};

/**
 * The note's ref. The focus on something in it that a change of state took away (the install steps'
 * Copy button, once the companion is ready or slow) goes to the note, not to the page; nothing else
 * moves it. The state changes by itself, at every poll while the companion is slow and then fails:
 * a reader in the clone folder form, elsewhere, or scrolling with the focus nowhere is not brought
 * back to the note each time.
 */
function useFocusKeptInNote(state: NoteState | undefined) {
  const note = useRef<HTMLDivElement>(null);
  // Read as the new state draws, before that takes away what had the focus.
  const had = !!note.current?.contains(document.activeElement);
  useLayoutEffect(() => {
    if (had && !note.current?.contains(document.activeElement)) note.current?.focus();
  }, [state]);
  return note;
}

/**
 * The companion program that runs git and ssh-keygen: is it there, and where clones go. The status
 * is the page's one status (`companion`), which notices an install by itself.
 */
export function CompanionSection(props: { companion: CompanionState; profile?: Profile | undefined; onProfileChanged: () => void }) {
  const { status, slow } = props.companion;
  const state: NoteState | undefined = slow ? 'slow' : status?.state;
  const note = useFocusKeptInNote(state);
  return (
    <section id="companion" aria-labelledby="companion-heading" class="card">
      <h2 id="companion-heading" tabIndex={-1}>
        Desktop companion
      </h2>
      <p class="muted small">A small program on this computer that clones repositories, opens them in your editor and manages SSH keys.</p>
      {!state ? (
        <p class="muted" aria-busy="true">
          Looking for the companion…
        </p>
      ) : (
        <div class={`note ${state === 'ready' ? 'success' : 'warning'}`} data-state={state} data-testid="companion-status" role="status" tabIndex={-1} ref={note}>
          <span class="title">{STATE_TITLES[state]}</span>
          {state === 'slow' ? (
            <p>It has not answered yet. This page waits for its answer; if none comes in time, the next ask starts a new one.</p>
          ) : status?.state === 'ready' ? (
            <dl class="key-value">
              {status.version && (
                <>
                  <dt>Version</dt>
                  <dd>{status.version}</dd>
                </>
              )}
              {status.git !== undefined && (
                <>
                  <dt>git</dt>
                  <dd>{status.git ?? 'not found: install git to clone'}</dd>
                </>
              )}
              <dt>Clone folders</dt>
              <dd>{status.cloneRoots?.length ? status.cloneRoots.map((r, i) => <span key={r}>{i > 0 && ', '}<Path value={r} /></span>) : 'none yet'}</dd>
              {status.logFile && (
                <>
                  <dt>Log file</dt>
                  <dd>
                    <Path value={status.logFile} />
                  </dd>
                </>
              )}
            </dl>
          ) : (
            <>
              {state !== 'missing' && status?.message && <p>{status.message}</p>}
              {/* A hung one is installed: the page's next ask starts a new one. */}
              {state === 'hung' ? (
                <p class="small muted">This page asks it again by itself.</p>
              ) : state === 'gitTooOld' ? (
                <>
                  <p>
                    <a class="button" href={GIT_DOWNLOAD_URL} target="_blank" rel="noreferrer">
                      Download git
                    </a>
                  </p>
                  <p class="small muted">This page notices the newer git by itself once it is installed.</p>
                </>
              ) : (
                <>
                  <InstallSteps update={state === 'outdated'} />
                  <p class="small muted">This page notices the companion by itself once it is installed.</p>
                </>
              )}
            </>
          )}
        </div>
      )}
      {props.profile && (
        <CloneRoot
          key={props.profile.id}
          profile={props.profile}
          status={status}
          onSaved={(s) => {
            // The answer names the clone folders only: the rest of the status stays as it was.
            props.companion.update({ cloneRoots: s.cloneRoots });
            props.onProfileChanged();
          }}
        />
      )}
    </section>
  );
}

function CloneRoot(props: { profile: Profile; status?: CompanionStatus | undefined; onSaved: (s: CompanionStatus) => void }) {
  // What is typed shows until the profile's folder changes: a folder saved since (here, or in the
  // profile editor) shows then, so Save cannot write an old one back. Noticed in the draw, not by
  // an effect: an effect runs after the paint, in a tab not shown after the first keys, and wiped them.
  const over = `${props.profile.id}\n${props.profile.cloneRoot ?? ''}`;
  const [typed, setTyped] = useState<{ over: string; value: string }>();
  const drawnOver = useRef(over);
  if (drawnOver.current !== over) {
    drawnOver.current = over;
    if (typed) setTyped(undefined);
  }
  const root = typed?.over === over ? typed.value : props.profile.cloneRoot ?? '';
  const [error, setError] = useState<ReplyError>();
  const [saved, setSaved] = useState<string>();
  const problem = cloneRootProblem(root);
  const save = async (e: Event) => {
    e.preventDefault();
    if (!root.trim() || problem) return;
    setError(undefined);
    setSaved(undefined);
    try {
      props.onSaved(await ask({ type: 'companion.setCloneRoot', profileId: props.profile.id, cloneRoot: root.trim() }));
      setSaved(root.trim());
    } catch (err) {
      setError(toReplyError(err));
    }
  };
  return (
    <form onSubmit={save} noValidate class="clone-root">
      <div class="field">
        <label for="clone-root">Clone folder for “{props.profile.name}”</label>
        <div class="row">
          <input
            id="clone-root"
            data-main
            class="grow"
            type="text"
            value={root}
            placeholder={props.status?.cloneRoots?.[0] ?? '/home/you/src'}
            aria-invalid={!!problem}
            onInput={(e) => {
              setTyped({ over, value: e.currentTarget.value });
              setSaved(undefined);
            }}
          />
          <button type="submit" disabled={!root.trim() || !!problem}>
            Save
          </button>
        </div>
        <div class="problem">{problem}</div>
        {saved && <div class="hint">Saved: new clones of this profile go to {saved}.</div>}
      </div>
      {error && <ErrorNote error={error} />}
    </form>
  );
}
