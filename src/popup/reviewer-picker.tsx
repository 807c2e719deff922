import { useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import type { Person } from '../shared/messages';
import { PeoplePicker } from '../shared/ui/people-picker';
import { FailedLine } from './fix-button';
import { focusAfter } from '../shared/ui/focus';
import { useAnswer } from './use-answer';

const SEARCH = 'pr-reviewer-search';

/**
 * Reviewers for a new pull request: found by name, added a whole reviewer group at a time, or
 * taken from suggestions (who recently changed the files this pull request changes).
 */
export function ReviewerPicker(props: {
  profileId: string;
  project: string;
  repo: { id: string; name: string; project: string };
  source?: string | undefined;
  target?: string | undefined;
  value: Person[];
  onChange: (people: Person[]) => void;
}) {
  const chosen = new Set(props.value.map((p) => p.id));
  const add = (people: Person[]) => props.onChange([...props.value, ...people.filter((p) => !chosen.has(p.id))]);
  /** Before the row holding `button` goes: the focus moves (so it never falls to the page) to the next row's button, else the previous one's, else the search field. */
  const focusBeside = (button: HTMLElement) => {
    const row = button.closest('li');
    ((row?.nextElementSibling ?? row?.previousElementSibling)?.querySelector('button') ?? document.getElementById(SEARCH))?.focus();
  };
  const remove = (person: Person, button: HTMLElement) => {
    focusBeside(button);
    props.onChange(props.value.filter((v) => v.id !== person.id));
  };

  const listed = useAnswer(() => ask({ type: 'groups.list', profileId: props.profileId, project: props.project }), [props.profileId, props.project]);
  const groups = listed.data?.groups ?? [];
  const [groupId, setGroupId] = useState<string>();
  const group = groups.find((g) => g.id === groupId) ?? groups[0];

  const compared = !!props.source && !!props.target && props.source !== props.target;
  const suggesting = useAnswer(
    async () => (compared ? ask({ type: 'prs.suggestReviewers', profileId: props.profileId, repo: props.repo, sourceBranch: props.source!, targetBranch: props.target! }) : undefined),
    [props.profileId, props.repo.id, props.source, props.target],
  );
  const { data: suggested, error: suggestError } = suggesting;
  const suggestions = suggested?.suggestions.filter((s) => !chosen.has(s.id)) ?? [];
  return (
    <fieldset class="reviewers">
      <legend>Reviewers</legend>
      {props.value.length > 0 && (
        <ul class="chips" aria-label="Chosen reviewers" style={{ listStyle: 'none', padding: 0, margin: '0 0 6px' }}>
          {props.value.map((p) => (
            <li class="chip" key={p.id} data-reviewer={p.displayName}>
              {p.displayName}
              <button type="button" aria-label={`Remove ${p.displayName}`} onClick={(e) => remove(p, e.currentTarget)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="row">
        <div class="grow">
          <PeoplePicker id={SEARCH} label="Add a reviewer" profileId={props.profileId} exclude={[...chosen]} onPick={(p) => add([p])} />
        </div>
        {/* Added by its button only: a closed list's arrow keys fire change (Windows, Linux, ChromeOS), so
            adding on change took the first group at ArrowDown and left the others out of the keys' reach. */}
        {group && (
          <>
            <select aria-label="Reviewer group" value={group.id} style={{ width: '110px' }} onChange={(e) => setGroupId(e.currentTarget.value)}>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name} ({g.members.length})
                </option>
              ))}
            </select>
            <button type="button" class="small" onClick={() => add(group.members)}>
              Add group
            </button>
          </>
        )}
      </div>
      {listed.error && <FailedLine what="Could not read your reviewer groups" error={listed.error} onRetry={focusAfter(listed.retry, SEARCH)} />}
      <div class="suggestions" aria-live="polite">
        {!compared ? null : suggestError?.code === 'notFound' ? (
          // Asking again compares the same branches again: no Try again.
          <p class="small muted" title={suggestError.message}>
            No suggestions: Azure DevOps could not compare these branches.
          </p>
        ) : suggestError ? (
          // Try again goes with its line: the focus waits in the search field rather than falling to the page.
          <FailedLine what="Could not suggest reviewers" error={suggestError} onRetry={focusAfter(suggesting.retry, SEARCH)} />
        ) : !suggested ? (
          <p class="small muted">Looking at who changed these files…</p>
        ) : suggestions.length === 0 ? (
          <p class="small muted">
            {suggested.changedFiles === 0
              ? 'The branches do not differ yet.'
              : suggested.suggestions.length > 0
                ? 'All suggested reviewers added.'
                : 'No suggestions: nobody else changed these files recently.'}
          </p>
        ) : (
          <ul class="list suggestion-list" aria-label="Suggested reviewers">
            {suggestions.map((s) => (
              <li key={s.id} data-suggestion={s.displayName}>
                <span class="main">
                  <span class="name">{s.displayName}</span>
                  <span class="sub">{s.reason}</span>
                </span>
                <button
                  type="button"
                  class="small"
                  aria-label={`Add ${s.displayName}`}
                  onClick={(e) => {
                    focusBeside(e.currentTarget);
                    add([s]);
                  }}
                >
                  Add
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </fieldset>
  );
}
