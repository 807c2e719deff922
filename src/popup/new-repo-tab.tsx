import { useEffect, useState } from 'preact/hooks';
import { branchNameProblem } from '../shared/ado/api-initial-push';
import { LICENSES, licenseFieldProblem } from '../shared/ado/licenses';
import { repoNameProblem } from '../shared/ado/repo-name';
import { ask } from '../shared/ask';
import { refusedOutright } from '../shared/next-step';
import type { CreatedRepo, GitignoreTemplatesAnswer, ProjectSummary, ReplyError } from '../shared/messages';
import type { Profile } from '../shared/profile';
import { NEW_REPO_DRAFT, NEW_REPO_PROJECT } from '../shared/storage-keys';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { useFocusOnChange } from '../shared/ui/focus';
import { WaitLine } from '../shared/ui/waiting';
import { askTellingWaits, type Wait } from '../shared/waiting';
import type { CloneTasks } from './clone-tasks';
import { FailedCreateActions, FailedLine, FailedNote, failureLeads } from './fix-button';
import { focusAfter } from '../shared/ui/focus';
import { readDraft, useKeptDraft } from './form-draft';
import { RepoActions } from './repo-actions';
import { useAnswer } from './use-answer';
import type { ReposState } from './use-repos';


/** The profile's projects: the cached list at once, then a refresh when it is old; a failed refresh keeps the list it had. */
function useProjects(profileId: string) {
  const [projects, setProjects] = useState<ProjectSummary[]>();
  const [error, setError] = useState<ReplyError>();
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    let live = true;
    setError(undefined);
    void (async () => {
      try {
        const cached = await ask({ type: 'projects.list', profileId });
        if (!live) return;
        setProjects(cached.items);
        if (!cached.stale) return;
        const fresh = await ask({ type: 'projects.list', profileId, refresh: true });
        if (live) setProjects(fresh.items);
      } catch (e) {
        if (live) setError(toReplyError(e));
      }
    })();
    return () => {
      live = false;
    };
  }, [profileId, asked]);
  return { projects, error, retry: () => setAsked((n) => n + 1) };
}

/** What was typed and not yet created, kept across popups (form-draft.ts). */
interface Draft {
  projectId: string;
  name: string;
  readme: boolean;
  gitignore: string;
  license: string;
  year: string;
  holder: string;
  branch: string;
}

export function NewRepoTab(props: { profile: Profile; repos: ReposState; tasks: CloneTasks; onNewPullRequest: Parameters<typeof RepoActions>[0]['onNewPullRequest'] }) {
  const { profile } = props;
  const { projects, error: projectsError, retry: retryProjects } = useProjects(profile.id);
  const draftKey = NEW_REPO_DRAFT.key(profile.id);
  const [kept] = useState(() => readDraft<Draft>(draftKey));
  const [projectId, setProjectId] = useState(() => kept?.projectId ?? localStorage.getItem(NEW_REPO_PROJECT.key(profile.id)) ?? '');
  const [name, setName] = useState(kept?.name ?? '');
  const [readme, setReadme] = useState(kept?.readme ?? true);
  const [gitignore, setGitignore] = useState(kept?.gitignore ?? '');
  const [license, setLicense] = useState(kept?.license ?? '');
  const [year, setYear] = useState(kept?.year ?? String(new Date().getFullYear()));
  const [holder, setHolder] = useState(kept?.holder ?? profile.identity?.displayName ?? '');
  const [branch, setBranch] = useState(kept?.branch ?? 'main');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  // Why Create is slow (a 429's Retry-After, an answer that does not come), said as the lists say theirs.
  const [wait, setWait] = useState<Wait>();
  const [failure, setFailure] = useState<ReplyError>();
  const [created, setCreated] = useState<CreatedRepo>();
  useKeptDraft<Draft>(draftKey, !created && name.trim() ? { projectId, name, readme, gitignore, license, year, holder, branch } : undefined, !!kept);
  // The form and the created repository replace each other: the focus goes on to the new one's main action, or back to the name.
  // A failure too: Create repository, disabled while it ran, lost the focus. It goes to the note's
  // way on (Update the token, Try again), else back to the name (a name taken).
  const box = useFocusOnChange<HTMLDivElement>(created ? `created ${created.repo.id}` : failure ? 'failed' : 'form');
  // A draft kept from a popup that closed while its Create ran: made since, it is shown as made.
  useEffect(() => {
    // Create names the project it used, also when it was the first one, which a draft leaves unsaid.
    const sentTo = kept?.projectId || localStorage.getItem(NEW_REPO_PROJECT.key(profile.id));
    if (!kept?.name.trim() || !sentTo) return;
    void ask({ type: 'repos.ourCreate', profileId: profile.id, projectId: sentTo, name: kept.name }).then(
      (earlier) => {
        if (!earlier.created) return;
        setCreated(earlier.created);
        props.repos.refresh();
      },
      () => undefined,
    );
  }, []);

  const project = projects?.find((p) => p.id === projectId) ?? projects?.[0];
  const gitignores = useAnswer(
    (): Promise<GitignoreTemplatesAnswer | undefined> => (project ? ask({ type: 'repos.gitignoreTemplates', profileId: profile.id, project: project.name }) : Promise.resolve(undefined)),
    [project?.id],
  );
  const templates = gitignores.data;

  const info = LICENSES.find((l) => l.id === license);
  // An empty repository of that name (a create cut off before its first commit) is finished, not refused.
  const taken =
    project &&
    props.repos.listing?.items.some((r) => r.project.id === project.id && r.name.toLowerCase() === name.toLowerCase() && (r.defaultBranch || (r.size ?? 0) > 0));
  const nameProblem = name || tried ? (repoNameProblem(name) ?? (taken ? `${project?.name} already has a repository named “${name}”.` : undefined)) : undefined;
  const branchProblem = branchNameProblem(branch);
  const licenseProblem = info?.hasCopyrightLine ? licenseFieldProblem(info.id, { year, holder }) : undefined;

  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    // The first field in the form's order that stops Create takes the focus, where its problem is said.
    const invalid = repoNameProblem(name) || taken ? 'new-repo-name' : licenseProblem ? `new-repo-${licenseProblem.field}` : branchProblem ? 'new-repo-branch' : undefined;
    if (invalid) {
      document.getElementById(invalid)?.focus();
      return;
    }
    if (!project) return;
    setBusy(true);
    setFailure(undefined);
    localStorage.setItem(NEW_REPO_PROJECT.key(profile.id), project.id);
    try {
      const answer = await askTellingWaits({
        type: 'repos.create',
        profileId: profile.id,
        projectId: project.id,
        name,
        readme,
        defaultBranch: branch,
        ...(gitignore && templates ? { gitignore: { name: gitignore, builtIn: templates.builtIn } } : {}),
        ...(info ? { license: { id: info.id, year, holder } } : {}),
      }, setWait);
      setCreated(answer);
      props.repos.refresh();
    } catch (err) {
      setFailure(toReplyError(err));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    const files = created.files.map((f) => f.replace(/^\//, ''));
    return (
      <div class="new-repo-done" ref={box}>
        <div class="note success" role="status">
          <span class="title">
            Created {created.repo.project.name} / {created.repo.name}
          </span>
          <p>{files.length ? `First commit on ${created.branch}: ${files.join(', ')}.` : 'The repository is empty.'}</p>
        </div>
        {created.warning && (
          <div class="note warning" role="alert">
            {created.warning}
            <div class="actions">
              {/* Create again finishes our own empty repository (background/handlers/repos.ts). */}
              <button type="button" disabled={busy} onClick={submit}>
                {busy ? 'Adding the files…' : 'Add the files again'}
              </button>
            </div>
          </div>
        )}
        {failure && <ErrorNote error={failure} title="The first files were not added" />}
        <RepoActions profile={profile} repo={created.repo} tasks={props.tasks} onNewPullRequest={props.onNewPullRequest} />
        <div class="actions">
          <button
            type="button"
            onClick={() => {
              setCreated(undefined);
              setName('');
              setTried(false);
            }}
          >
            Create another
          </button>
        </div>
      </div>
    );
  }

  // Each Try again goes with its note or line: the focus waits on the tab, or on the list asked again.
  if (projectsError && !projects) return <FailedNote title="Could not list the projects" error={projectsError} onRetry={focusAfter(retryProjects, 'tab-new-repo')} />;
  return (
    <div ref={box}>
      <form class="new-repo" onSubmit={submit} noValidate aria-busy={!projects}>
        {projectsError && <FailedLine what="Could not refresh the projects" error={projectsError} onRetry={focusAfter(retryProjects, 'new-repo-project')} />}
        <div class="field">
          <label for="new-repo-project">Project</label>
          <select id="new-repo-project" value={project?.id ?? ''} disabled={!projects} onChange={(e) => setProjectId(e.currentTarget.value)}>
            {!projects && <option value="">Loading projects…</option>}
            {projects?.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="new-repo-name">Repository name</label>
          <input
            id="new-repo-name"
            data-main={failureLeads(failure) ? undefined : true}
            type="text"
            value={name}
            maxLength={64}
            autocomplete="off"
            spellcheck={false}
            aria-invalid={!!nameProblem}
            aria-describedby="new-repo-name-problem"
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <div class="problem" id="new-repo-name-problem" aria-live="polite">
            {nameProblem}
          </div>
        </div>
        <label class="check">
          <input type="checkbox" checked={readme} onChange={(e) => setReadme(e.currentTarget.checked)} /> Add a README
        </label>
        <div class="row two">
          <div class="field grow">
            <label for="new-repo-gitignore">.gitignore</label>
            <select id="new-repo-gitignore" value={gitignore} onChange={(e) => setGitignore(e.currentTarget.value)}>
              <option value="">None</option>
              {templates?.names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
          <div class="field grow">
            <label for="new-repo-license">License</label>
            <select id="new-repo-license" value={license} onChange={(e) => setLicense(e.currentTarget.value)}>
              <option value="">None</option>
              {LICENSES.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        {gitignores.error && <FailedLine what="Could not list the .gitignore templates" error={gitignores.error} onRetry={focusAfter(gitignores.retry, 'new-repo-gitignore')} />}
        {templates?.builtIn && templates.names.length > 0 && (
          <p class="small muted">Azure DevOps' template list needs a broader token, so this extension's own templates are offered.</p>
        )}
        {info?.hasCopyrightLine && (
          <div class="row two">
            <div class="field" style={{ width: '90px' }}>
              <label for="new-repo-year">Year</label>
              <input id="new-repo-year" type="text" inputMode="numeric" value={year} onInput={(e) => setYear(e.currentTarget.value)} />
            </div>
            <div class="field grow">
              <label for="new-repo-holder">Copyright holder</label>
              <input id="new-repo-holder" type="text" value={holder} onInput={(e) => setHolder(e.currentTarget.value)} />
            </div>
          </div>
        )}
        {info && (
          <div class="problem small" aria-live="polite">
            {licenseProblem?.message}
          </div>
        )}
        <div class="field">
          <label for="new-repo-branch">Default branch</label>
          <input
            id="new-repo-branch"
            type="text"
            value={branch}
            spellcheck={false}
            aria-invalid={!!branchProblem}
            aria-describedby="new-repo-branch-problem"
            onInput={(e) => setBranch(e.currentTarget.value)}
          />
          <div class="problem" id="new-repo-branch-problem" aria-live="polite">
            {branchProblem}
          </div>
        </div>
        {failure && (
          <ErrorNote error={failure} title={refusedOutright(failure.code) ? 'The repository was not created' : 'Creating the repository did not finish'}>
            {failureLeads(failure) && <FailedCreateActions error={failure} onRetry={submit} />}
          </ErrorNote>
        )}
        {projects?.length === 0 && (
          <p class="note info small" role="status">
            This organization has no project you can create repositories in.
          </p>
        )}
        <WaitLine wait={wait} home="new-repo-name" loading={false} />
        <div class="actions">
          {/* Not while a chosen .gitignore's templates load: without them it would be left out, unsaid. */}
          <button type="submit" class="primary" disabled={busy || !project || (!!gitignore && !templates)}>
            {busy ? 'Creating…' : 'Create repository'}
          </button>
        </div>
      </form>
    </div>
  );
}
