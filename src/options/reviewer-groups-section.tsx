import { useEffect, useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import type { Person, ProjectSummary, ReplyError, ReviewerGroup } from '../shared/messages';
import type { Profile } from '../shared/profile';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { cancelOnEscape, useFocusOnChange } from '../shared/ui/focus';
import { PeoplePicker } from '../shared/ui/people-picker';
import { useChosenProfile } from './use-chosen-profile';
import { RemoveButton } from './remove-button';

/** Named sets of reviewers per project, added to a new pull request in one step. */
export function ReviewerGroupsSection(props: { profiles: Profile[]; activeId?: string | undefined }) {
  const [profile, setProfileId] = useChosenProfile(props.profiles, props.activeId);
  const [groups, setGroups] = useState<ReviewerGroup[]>();
  const [projects, setProjects] = useState<ProjectSummary[]>();
  const [editing, setEditing] = useState<ReviewerGroup | 'new'>();
  const [error, setError] = useState<ReplyError>();
  const [confirming, setConfirming] = useState<string>();
  const [attempt, setAttempt] = useState(0);
  // The editor replaces New reviewer group (or the group's row): the focus goes into it, and back to that button after.
  const box = useFocusOnChange<HTMLElement>(groups && (editing === undefined ? 'list' : editing === 'new' ? 'new' : `edit ${editing.id}`));
  // A group's editor closes to its row's Edit: marked the main action (before New reviewer group)
  // for the one redraw that closes it, then no more, so going to the section later still finds New.
  const [reopen, setReopen] = useState<string>();
  useEffect(() => {
    if (editing && editing !== 'new') setReopen(editing.id);
    else if (!editing) setReopen(undefined);
  }, [editing]);

  // Another profile's groups: a group being written belongs to the one before. Try again keeps it.
  useEffect(() => setEditing(undefined), [profile?.id]);
  useEffect(() => {
    if (!profile) return;
    let live = true;
    setGroups(undefined);
    setError(undefined);
    ask({ type: 'groups.list', profileId: profile.id })
      .then((a) => live && setGroups(a.groups))
      .catch((e: unknown) => live && setError(toReplyError(e)));
    ask({ type: 'projects.list', profileId: profile.id })
      .then((a) => live && setProjects(a.items))
      .catch((e: unknown) => live && setError(toReplyError(e)));
    return () => {
      live = false;
    };
  }, [profile?.id, attempt]);

  if (!profile) {
    return (
      <section id="groups" aria-labelledby="groups-heading" class="card" ref={box}>
        <h2 id="groups-heading">Reviewer groups</h2>
        <p class="muted">Add an account first: groups are kept per organization and project.</p>
      </section>
    );
  }
  const remove = async (g: ReviewerGroup) => {
    setError(undefined);
    try {
      setGroups((await ask({ type: 'groups.remove', id: g.id })).groups);
      setConfirming(undefined);
      // Its row, and the focused button in it, are gone: New reviewer group, which stays, takes the focus.
      document.getElementById('group-new')?.focus();
    } catch (e) {
      setError(toReplyError(e));
    }
  };
  return (
    <section id="groups" aria-labelledby="groups-heading" class="card" ref={box}>
      <h2 id="groups-heading">Reviewer groups</h2>
      <p class="muted small">Named sets of people per project, offered when you create a pull request from the toolbar popup.</p>
      {props.profiles.length > 1 && (
        <div class="field">
          <label for="groups-profile">Profile</label>
          <select id="groups-profile" value={profile.id} onChange={(e) => setProfileId(e.currentTarget.value)}>
            {props.profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {!groups && error ? (
        <ErrorNote error={error} title="Could not load the reviewer groups">
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </ErrorNote>
      ) : !groups ? (
        <p class="muted" aria-busy="true">
          Loading groups…
        </p>
      ) : groups.length === 0 && editing === undefined ? (
        <p class="muted">No reviewer groups yet.</p>
      ) : (
        <ul class="group-list">
          {groups.map((g) =>
            editing !== 'new' && editing?.id === g.id ? null : (
              <li key={g.id} data-group={g.name}>
                <div class="row">
                  <div class="grow">
                    <strong>{g.name}</strong> <span class="muted small">in {g.project}</span>
                    <div class="small muted">{g.members.map((m) => m.displayName).join(', ')}</div>
                  </div>
                  <button type="button" class="small" data-main={reopen === g.id ? '' : undefined} onClick={() => setEditing(g)}>
                    Edit
                  </button>
                  <RemoveButton asking={confirming === g.id} onAsk={(asking) => setConfirming(asking ? g.id : undefined)} onRemove={() => void remove(g)}>
                    Remove “{g.name}”
                  </RemoveButton>
                </div>
              </li>
            ),
          )}
        </ul>
      )}
      {editing ? (
        <GroupEditor
          key={editing === 'new' ? 'new' : editing.id}
          profileId={profile.id}
          projects={projects}
          group={editing === 'new' ? undefined : editing}
          onSaved={(g) => {
            setGroups((all) => [...(all ?? []).filter((x) => x.id !== g.id), g].toSorted((a, b) => a.project.localeCompare(b.project) || a.name.localeCompare(b.name)));
            setEditing(undefined);
          }}
          onCancel={() => setEditing(undefined)}
        />
      ) : (
        // Only once the groups are there: opened while they load, the editor would not take the
        // focus (data arriving moves none), and a group saved then would be drawn alone.
        groups && (
          <div class="actions">
            <button type="button" id="group-new" data-main onClick={() => setEditing('new')}>
              New reviewer group
            </button>
          </div>
        )
      )}
      {error && groups && (
        <ErrorNote error={error}>
          {!projects && (
            <button type="button" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </button>
          )}
        </ErrorNote>
      )}
    </section>
  );
}

function GroupEditor(props: {
  profileId: string;
  projects?: ProjectSummary[] | undefined;
  group?: ReviewerGroup | undefined;
  onSaved: (g: ReviewerGroup) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(props.group?.name ?? '');
  const [chosenProject, setProject] = useState(props.group?.project);
  // The first project until one is chosen: the list may arrive after the editor opened (Try again).
  const project = chosenProject ?? props.projects?.[0]?.name ?? '';
  const [members, setMembers] = useState<Person[]>(props.group?.members ?? []);
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<ReplyError>();
  const [busy, setBusy] = useState(false);
  const problem = !name.trim() ? 'Name the group.' : !project ? 'Choose a project.' : members.length === 0 ? 'Add at least one person.' : undefined;

  const save = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (problem || busy) return;
    setError(undefined);
    setBusy(true);
    try {
      props.onSaved(
        await ask({
          type: 'groups.save',
          profileId: props.profileId,
          group: { ...(props.group ? { id: props.group.id } : {}), name: name.trim(), project, members },
        }),
      );
    } catch (err) {
      setError(toReplyError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="group-editor" onSubmit={save} onKeyDown={cancelOnEscape(props.onCancel)} noValidate aria-label={props.group ? `Edit ${props.group.name}` : 'New reviewer group'}>
      <div class="row">
        <div class="field grow">
          <label for="group-name">Group name</label>
          <input id="group-name" data-main type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field grow">
          <label for="group-project">Project</label>
          <select id="group-project" value={project} onChange={(e) => setProject(e.currentTarget.value)}>
            {!props.projects && <option value={project}>{project || 'Loading…'}</option>}
            {props.projects?.map((p) => (
              <option key={p.id} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="field">
        <span class="label">People</span>
        {members.length > 0 && (
          <ul class="chips" style={{ listStyle: 'none', padding: 0, margin: '0 0 6px' }} aria-label="Group members">
            {members.map((m) => (
              <li class="chip" key={m.id} data-member={m.displayName}>
                {m.displayName}
                <button type="button" aria-label={`Remove ${m.displayName}`} onClick={() => setMembers(members.filter((x) => x.id !== m.id))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <PeoplePicker id="group-people" label="Add a person" profileId={props.profileId} exclude={members.map((m) => m.id)} onPick={(p) => setMembers([...members, p])} />
      </div>
      <div class="problem">{tried ? problem : ''}</div>
      {error && <ErrorNote error={error} />}
      <div class="actions">
        <button type="submit" class="primary" id="group-save" disabled={busy}>
          {busy ? 'Saving…' : 'Save group'}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
