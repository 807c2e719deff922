import { useEffect, useRef, useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import type { LocalClone } from '../shared/host-protocol';
import type { BranchesAnswer, Person, PullRequestSummary, ReplyError, RepoSummary } from '../shared/messages';
import type { Profile } from '../shared/profile';
import { NEW_PR_DRAFT } from '../shared/storage-keys';
import { FailedCreateActions, failureLeads, FixButton } from './fix-button';
import { focusAfter } from '../shared/ui/focus';
import { dropDraft, latestDraft, readDraft, useKeptDraft } from './form-draft';
import { openRepoPage } from './open';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { useFocusOnChange } from '../shared/ui/focus';
import { WaitLine } from '../shared/ui/waiting';
import { askTellingWaits, type Wait } from '../shared/waiting';
import { defaultBranches, titleFromBranch } from './pr-defaults';
import { RepoPicker } from './repo-picker';
import { ReviewerPicker } from './reviewer-picker';
import type { ReposState } from './use-repos';

/** What was typed and not yet created, kept across popups (form-draft.ts). */
interface Draft {
  repo: RepoSummary;
  source?: string | undefined;
  target?: string | undefined;
  title: string;
  titleEdited: boolean;
  description: string;
  isDraft: boolean;
  reviewers: Person[];
}

export function NewPullRequestTab(props: { profile: Profile; repos: ReposState; cloned: Map<string, LocalClone>; initialRepo?: RepoSummary | undefined }) {
  const { profile } = props;
  const keyOf = (r: RepoSummary) => NEW_PR_DRAFT.key(profile.id, r.id);
  // A form opened from a repository's actions starts on it, with its draft; else on the latest draft.
  const [kept] = useState(() => (props.initialRepo ? readDraft<Draft>(keyOf(props.initialRepo)) : latestDraft<Draft>(NEW_PR_DRAFT.key(profile.id, ''))));
  const [repo, setRepo] = useState<RepoSummary | undefined>(kept?.repo ?? props.initialRepo);
  // Kept with the repository they are of: for the draws between choosing another and the effect
  // that asks for its branches, the last one's are not offered (a pick there would be overwritten).
  const [listed, setListed] = useState<{ repoId: string; answer: BranchesAnswer }>();
  const branches = listed && listed.repoId === repo?.id ? listed.answer : undefined;
  const [branchesError, setBranchesError] = useState<ReplyError>();
  const [source, setSource] = useState<string>();
  const [target, setTarget] = useState<string>();
  const [typedTitle, setTitle] = useState(kept?.titleEdited ? kept.title : '');
  const [titleEdited, setTitleEdited] = useState(kept?.titleEdited ?? false);
  const [description, setDescription] = useState(kept?.description ?? '');
  const [draft, setDraft] = useState(kept?.isDraft ?? false);
  const [reviewers, setReviewers] = useState<Person[]>(kept?.reviewers ?? []);
  // Until one is typed, the source branch's, drawn from it each time: set when the branches came, it
  // overwrote a title typed while they loaded.
  const title = titleEdited ? typedTitle : source ? titleFromBranch(source) : '';
  // The kept branches are chosen once, when the repository's branches first come (if they still exist).
  const keptBranches = useRef(kept);
  const [busy, setBusy] = useState(false);
  // Why Create is slow (a 429's Retry-After, an answer that does not come), said as the lists say theirs.
  const [wait, setWait] = useState<Wait>();
  // Create was pressed: missing fields are named from then on.
  const [tried, setTried] = useState(false);
  const [failure, setFailure] = useState<ReplyError>();
  const [created, setCreated] = useState<PullRequestSummary>();
  // Kept whenever it is not the form a new one would be: the title fills itself, so a form with its
  // repository, branches and reviewers chosen and nothing typed was lost with the popup.
  const fresh = branches && repo ? defaultBranches(branches.branches, branches.defaultBranch, props.cloned.get(repo.id)?.branch) : undefined;
  const pending = keptBranches.current;
  const changed =
    (titleEdited && !!title.trim()) ||
    !!description.trim() ||
    draft ||
    reviewers.length > 0 ||
    repo?.id !== props.initialRepo?.id ||
    (fresh ? source !== fresh.source || target !== fresh.target : !!(pending?.source || pending?.target));
  // Until the repository's branches come, the kept ones (`source` may still be another repository's).
  const chosenBranches = branches ? { source, target } : { source: pending?.source, target: pending?.target };
  useKeptDraft<Draft>(repo && keyOf(repo), !created && repo && changed ? { repo, ...chosenBranches, title, titleEdited, description, isDraft: draft, reviewers } : undefined, !!kept);
  /**
   * Another repository chosen: it comes with its own draft, if it has one, and the one left keeps
   * its own; else what is in the form goes on with it, and the draft of the one left with it.
   */
  const chooseRepo = (next: RepoSummary) => {
    if (next.id === repo?.id) return;
    const theirs = readDraft<Draft>(keyOf(next));
    if (theirs) {
      setTitle(theirs.titleEdited ? theirs.title : '');
      setTitleEdited(theirs.titleEdited);
      setDescription(theirs.description);
      setDraft(theirs.isDraft);
      setReviewers(theirs.reviewers);
    } else if (repo) {
      dropDraft(keyOf(repo));
    }
    keptBranches.current = theirs;
    setRepo(next);
  };
  // The form and the created pull request replace each other: the focus goes on to Open, or back to the source branch.
  // A failure too: Create pull request, disabled while it ran, lost the focus. It goes to the
  // note's way on (Update the token, Try again), else to the source branch (other branches).
  const box = useFocusOnChange<HTMLDivElement>(created ? `created ${created.id}` : failure ? 'failed' : 'form');

  // Asked again by Try again after a failure (the same repository, chosen again, changes nothing).
  const [branchesAsked, setBranchesAsked] = useState(0);
  useEffect(() => {
    if (!repo) return;
    let live = true;
    setListed(undefined);
    setBranchesError(undefined);
    ask({ type: 'repos.branches', profileId: profile.id, repo: { id: repo.id, name: repo.name, project: repo.project.name } })
      .then((b) => {
        if (!live) return;
        setListed({ repoId: repo.id, answer: b });
        const d = defaultBranches(b.branches, b.defaultBranch, props.cloned.get(repo.id)?.branch);
        const k = keptBranches.current;
        keptBranches.current = undefined;
        const still = (name: string | undefined) => (name && b.branches.includes(name) ? name : undefined);
        const from = still(k?.source) ?? d.source;
        setSource(from);
        setTarget(still(k?.target) ?? d.target);
      })
      .catch((e: unknown) => live && setBranchesError(toReplyError(e)));
    return () => {
      live = false;
    };
  }, [repo?.id, branchesAsked]);

  // What stops Create, the field to fix it in, and where it is said (under that field; the two
  // branches share a line). What the branches' choice makes wrong shows at once; a field still
  // empty only once Create was pressed, so an untouched form does not scold.
  const problem: { text: string; field: string; at: 'repo' | 'branches' | 'title'; early?: true } | undefined = !repo
    ? { text: 'Choose a repository: type part of its name.', field: 'pr-repo', at: 'repo' }
    : !branches
      ? undefined
      : branches.branches.length < 2
        ? { text: 'A pull request needs two branches, and this repository has fewer. Push the branch with your changes, then choose it here.', field: 'pr-source', at: 'branches', early: true }
        : !!source && source === target
          ? { text: 'Choose two different branches: the pull request merges “From” into “Into”.', field: 'pr-target', at: 'branches', early: true }
          : !title.trim()
            ? { text: 'Enter a title: it is what reviewers see first.', field: 'pr-title', at: 'title' }
            : undefined;
  const shown = problem && (tried || problem.early) ? problem : undefined;
  // A field the request was refused for (a description too long): the focus goes there, where it is shortened.
  const refused = failure?.field && ['title', 'description'].includes(failure.field) ? `pr-${failure.field}` : undefined;
  const mainIf = (field: string) => (refused === field ? { 'data-main': true } : {});
  const invalid = (field: string) => (shown?.field === field ? { 'aria-invalid': true, 'aria-describedby': `pr-${shown.at}-problem` } : {});
  const said = (at: 'branches' | 'title') => (
    <div class="problem small" id={`pr-${at}-problem`} aria-live="polite">
      {shown?.at === at ? shown.text : ''}
    </div>
  );

  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (problem) {
      document.getElementById(problem.field)?.focus();
      return;
    }
    if (!repo || !source || !target) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const pr = await askTellingWaits({
        type: 'prs.create',
        profileId: profile.id,
        repo: { id: repo.id, name: repo.name, project: repo.project.name },
        sourceBranch: source,
        targetBranch: target,
        title: title.trim(),
        ...(description.trim() ? { description } : {}),
        isDraft: draft,
        reviewerIds: reviewers.map((r) => r.id),
      }, setWait);
      setCreated(pr);
    } catch (err) {
      setFailure(toReplyError(err));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <div class="note success" role="status" data-testid="pr-created" ref={box}>
        <span class="title">
          Pull request !{created.id} {created.isDraft ? 'created as a draft' : 'created'}
        </span>
        <p>
          {created.title} · {created.sourceBranch} → {created.targetBranch}
          {created.reviewers.length > 0 && ` · reviewers: ${created.reviewers.map((r) => r.displayName).join(', ')}`}
        </p>
        <div class="actions">
          <a class="button primary" href={created.webUrl} target="_blank" rel="noreferrer">
            Open pull request !{created.id}
          </a>
          <button
            type="button"
            onClick={() => {
              setCreated(undefined);
              setTitleEdited(false);
              setDescription('');
              setReviewers([]);
              setTried(false);
            }}
          >
            Create another
          </button>
        </div>
      </div>
    );
  }

  return (
    <div ref={box}>
      <form class="new-pr" onSubmit={submit} noValidate>
        <div class="field">
          <label for="pr-repo">Repository</label>
          <RepoPicker id="pr-repo" problemId={shown?.at === 'repo' ? 'pr-repo-problem' : undefined} index={props.repos.index()} value={repo} loading={!props.repos.listing && !props.repos.error} onChange={chooseRepo} />
          {shown?.at === 'repo' ? (
            <div class="problem small" id="pr-repo-problem">
              {shown.text}
            </div>
          ) : (
            <div class="hint">{repo ? `${repo.project.name} / ${repo.name}` : '\u00a0'}</div>
          )}
        </div>
        {!props.repos.listing && props.repos.error && (
          <ErrorNote error={props.repos.error} title="Could not list the repositories">
            <FixButton error={props.repos.error} />
            {/* Its note goes once the list comes: the focus waits in the field the list fills. */}
            <button type="button" class="small" onClick={focusAfter(props.repos.refresh, 'pr-repo')}>
              Try again
            </button>
          </ErrorNote>
        )}
        {branchesError && (
          <ErrorNote error={branchesError} title="Could not list the branches">
            <FixButton error={branchesError} />
            {/* Its note goes at once, the branch lists disabled while they load: the focus waits in the repository field, a Tab before them. */}
            <button type="button" class="small" onClick={focusAfter(() => setBranchesAsked((n) => n + 1), 'pr-repo')}>
              Try again
            </button>
          </ErrorNote>
        )}
        <div class="row two">
          <div class="field grow">
            <label for="pr-source">From branch</label>
            <select id="pr-source" {...invalid('pr-source')} data-main={failureLeads(failure) || refused ? undefined : true} value={source ?? ''} disabled={!branches} onChange={(e) => setSource(e.currentTarget.value)}>
              {!branches && <option value="">{repo ? 'Loading…' : '—'}</option>}
              {branches?.branches.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </div>
          <div class="field grow">
            <label for="pr-target">Into branch</label>
            <select id="pr-target" {...invalid('pr-target')} value={target ?? ''} disabled={!branches} onChange={(e) => setTarget(e.currentTarget.value)}>
              {!branches && <option value="">{repo ? 'Loading…' : '—'}</option>}
              {branches?.branches.map((b) => (
                <option key={b} value={b}>
                  {b}
                  {b === branches.defaultBranch ? ' (default)' : ''}
                </option>
              ))}
            </select>
          </div>
        </div>
        {said('branches')}
        <div class="field">
          <label for="pr-title">Title</label>
          <input
            id="pr-title"
            {...invalid('pr-title')}
            {...mainIf('pr-title')}
            type="text"
            value={title}
            maxLength={400}
            onInput={(e) => {
              setTitle(e.currentTarget.value);
              setTitleEdited(true);
            }}
          />
          {said('title')}
        </div>
        <div class="field">
          <label for="pr-description">Description</label>
          {/* No maxlength: it would cut a pasted text short without a word; Create says what is too long, by how much. */}
          <textarea id="pr-description" {...mainIf('pr-description')} rows={3} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </div>
        <label class="check">
          <input type="checkbox" checked={draft} onChange={(e) => setDraft(e.currentTarget.checked)} /> Create as a draft
        </label>
        {repo && (
          <ReviewerPicker
            profileId={profile.id}
            project={repo.project.name}
            repo={{ id: repo.id, name: repo.name, project: repo.project.name }}
            source={source}
            target={target}
            value={reviewers}
            onChange={setReviewers}
          />
        )}
        {failure && (
          <ErrorNote error={failure} title="The pull request was not created">
            {failureLeads(failure) && <FailedCreateActions error={failure} onRetry={submit} />}
            {/* The one already open for these branches: itself when it was found, else the list it is in. */}
            {failure.pullRequest ? (
              <a class="button" href={failure.pullRequest.webUrl} target="_blank" rel="noreferrer">
                Open pull request {failure.pullRequest.id}
              </a>
            ) : (
              failure.code === 'conflict' &&
              repo && (
                <button type="button" onClick={() => openRepoPage(profile, repo, '/pullrequests')}>
                  Open its pull requests
                </button>
              )
            )}
          </ErrorNote>
        )}
        <WaitLine wait={wait} home="pr-title" loading={false} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || (!!repo && !branches)}>
            {busy ? 'Creating…' : 'Create pull request'}
          </button>
        </div>
      </form>
    </div>
  );
}
