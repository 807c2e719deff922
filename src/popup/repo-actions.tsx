import { useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import type { LocalClone } from '../shared/host-protocol';
import type { CompanionStatus, ReplyError, RepoSummary } from '../shared/messages';
import { companionNeed } from '../shared/next-step';
import type { Profile } from '../shared/profile';
import { copyText } from '../shared/ui/clipboard';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { useFocusOnChange } from '../shared/ui/focus';
import { Path } from '../shared/ui/path';
import { openOptions, openRepoPage } from './open';
import type { CloneTask, CloneTasks } from './clone-tasks';
import { GitFailed } from './git-failed';
import { RepoActionsHint } from './repo-actions-hint';

const PHASES: Record<string, string> = {
  counting: 'Counting objects',
  compressing: 'Compressing',
  receiving: 'Receiving',
  resolving: 'Resolving',
  checkout: 'Checking out files',
};

/**
 * What can be done with the selected repository. It sits below the list with a fixed height, so
 * moving through the list never shifts anything.
 */
export function RepoActions(props: {
  /** The selected repository's profile (each row has its own): clones and links go through it. */
  profile?: Profile | undefined;
  repo?: RepoSummary | undefined;
  /** Its local clone, or (`cloning`) the folder a clone another window or program runs is making. */
  clone?: LocalClone | undefined;
  /** Reads the companion's clones again. */
  onCheckClones?: () => void;
  /** Why the companion could not say which repositories are cloned here. */
  clonesProblem?: ReplyError | undefined;
  /** The companion's state when it is not ready (not installed, outdated, did not start): cloning starts with setting it up or updating it. */
  companionNeeded?: Exclude<CompanionStatus['state'], 'ready'> | undefined;
  tasks: CloneTasks;
  /** Absent: no pull request from here (the popup's other tabs work in the active profile's organization only). */
  onNewPullRequest?: ((repo: RepoSummary) => void) | undefined;
}) {
  const [copied, setCopied] = useState<string>();
  // An Open that failed, for the repository it was about (not for the next one selected).
  const [opening, setOpening] = useState<{ repoId: string; error: ReplyError }>();
  const { profile } = props;
  // Nothing to act on without the repository's profile (the first frame's snapshot has none yet).
  const repo = profile ? props.repo : undefined;
  const task = repo ? props.tasks.tasks[repo.id] : undefined;
  // Clone → progress (Cancel) → Open folder, or a failure's next step: the focus follows the main action.
  // So does Check again → Open folder, once a clone made elsewhere is found done.
  const here = props.clone ? (props.clone.cloning ? 'elsewhere' : 'here') : '';
  const box = useFocusOnChange<HTMLElement>(repo ? `${repo.id}|${task?.state}|${props.companionNeeded}|${here}` : undefined);
  const need = props.companionNeeded && companionNeed(props.companionNeeded);
  if (!repo) {
    return <RepoActionsHint />;
  }
  // While a clone runs, its folder is in the companion's list already: not a clone to open yet.
  const localPath = task?.state === 'running' ? undefined : (task?.result?.path ?? (props.clone?.cloning ? undefined : props.clone?.path));
  // A clone this extension does not run (another browser, another program): a second one would fail BUSY.
  const elsewhere = !task && props.clone?.cloning ? props.clone : undefined;

  const copy = async (label: string, url: string) => {
    setCopied((await copyText(url)) ? label : `${label} (copy refused: select and copy it yourself: ${url})`);
    setTimeout(() => setCopied(undefined), 2500);
  };
  const open = (target: 'folder' | 'editor') => {
    if (!localPath) return;
    setOpening(undefined);
    const repoId = repo.id;
    ask({ type: 'local.open', path: localPath, target }).catch((e: unknown) => setOpening({ repoId, error: toReplyError(e) }));
  };

  return (
    <section class="repo-actions" aria-label={`Actions for ${repo.name}`} data-testid="repo-actions" ref={box}>
      <p class="selected-name" title={`${repo.name} in ${repo.project.name}`}>
        <strong>{repo.name}</strong> <span class="muted">in {repo.project.name}</span>
      </p>
      {task?.state === 'running' ? (
        <CloneProgress task={task} onCancel={() => void props.tasks.cancel(repo.id)} />
      ) : (
        <div class="actions">
          {localPath ? (
            <>
              <button type="button" class="primary" data-main onClick={() => open('folder')} title={localPath}>
                Open folder
              </button>
              <button type="button" onClick={() => open('editor')}>
                Open in editor
              </button>
            </>
          ) : elsewhere ? (
            <button type="button" class="primary" data-main onClick={() => props.onCheckClones?.()}>
              Check again
            </button>
          ) : need ? (
            <button type="button" class="primary" onClick={() => openOptions(need.fix[1])}>
              {need.fix[0]}
            </button>
          ) : (
            <button type="button" class="primary" disabled={repo.isDisabled} onClick={() => props.tasks.start(profile!.id, repo)}>
              Clone
            </button>
          )}
          {repo.webUrl ? (
            <a class="button" href={repo.webUrl} target="_blank" rel="noreferrer">
              Open in Azure DevOps
            </a>
          ) : (
            <button type="button" onClick={() => openRepoPage(profile!, repo)}>
              Open in Azure DevOps
            </button>
          )}
          {repo.remoteUrl && (
            <button type="button" class="small" onClick={() => void copy('HTTPS URL copied', repo.remoteUrl!)}>
              Copy HTTPS
            </button>
          )}
          {repo.sshUrl && (
            <button type="button" class="small" onClick={() => void copy('SSH URL copied', repo.sshUrl!)}>
              Copy SSH
            </button>
          )}
          {!repo.isDisabled && repo.defaultBranch && props.onNewPullRequest && (
            <button type="button" class="small" onClick={() => props.onNewPullRequest?.(repo)}>
              New pull request
            </button>
          )}
        </div>
      )}
      <p class="small muted feedback" aria-live="polite">
        {copied ??
          (task?.state === 'done' && task.result ? (
            <>
              Cloned to <Path value={task.result.path} />
            </>
          ) : task?.state === 'cancelled' ? (
            'Clone cancelled.'
          ) : localPath ? (
            <>
              Cloned at <Path value={localPath} />
            </>
          ) : elsewhere ? (
            <>
              Being cloned elsewhere (another window or program) into <Path value={elsewhere.path} />. Check again once it is done.
            </>
          ) : need ? (
            `${need.title}: cloning runs git through it, a small program on this computer.`
          ) : props.clonesProblem ? (
            `Could not tell whether it is cloned here: ${props.clonesProblem.message}`
          ) : (
            ''
          ))}
      </p>
      {repo.isDisabled && <p class="small muted">This repository is disabled: it cannot be cloned until a project administrator enables it.</p>}
      {task?.state === 'failed' && task.error && (
        <GitFailed error={task.error} task="clone" title="The clone did not finish" onDismiss={() => props.tasks.dismiss(repo.id)} onRetry={() => props.tasks.start(profile!.id, repo)} />
      )}
      {opening?.repoId === repo.id && <ErrorNote error={opening.error} />}
    </section>
  );
}

function CloneProgress(props: { task: CloneTask; onCancel: () => void }) {
  const { task } = props;
  const label = task.phase ? `${PHASES[task.phase] ?? task.phase} ${Math.round(task.percent)}%` : 'Starting the clone…';
  return (
    <div class="clone-progress">
      <div class="row">
        <div class="grow">
          <div
            class="progress"
            role="progressbar"
            aria-label="Clone progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(task.percent)}
          >
            <div style={{ width: `${task.percent}%` }} />
          </div>
        </div>
        <button type="button" class="small" data-main aria-disabled={task.cancelling} onClick={props.onCancel}>
          {task.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      <p class="small muted" aria-live="polite">
        {task.cancelFailed ?? label}
      </p>
    </div>
  );
}

