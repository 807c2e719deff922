import { useEffect, useRef, useState } from 'preact/hooks';
import { ask, askWithProgress, isProgress } from '../shared/ask';
import { gitBranchNameProblem, keptOwnCommits, startWorkFailedTitle } from '../shared/branch-name';
import type { BranchCheckout, CompanionStatus, LinkedBranch, ReplyError, StartWorkResult, WorkItemSummary } from '../shared/messages';
import type { Profile } from '../shared/profile';
import { START_WORK_DRAFT } from '../shared/storage-keys';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { cancelOnEscape, useFocusOnChange } from '../shared/ui/focus';
import { focusAfter } from '../shared/ui/focus';
import { CompanionNote, FailedNote, FixButton } from './fix-button';
import { boardTasks, checkoutOutcome, forgetTask } from './clone-tasks';
import { dropStaleDrafts, readDraft, useKeptDraft } from './form-draft';
import { GitFailed } from './git-failed';
import { OpenClone } from './open-clone';
import { relativeTime } from '../shared/ui/relative-time';
import { SkeletonRows } from '../shared/ui/skeleton';
import { useAnswer } from './use-answer';
import { WaitLine } from '../shared/ui/waiting';
import { askTellingWaits } from '../shared/waiting';

/**
 * My work items: active ones assigned to the user across the organization's projects (WIQL), each
 * with "Start work" (the same steps as on the work item's page: a branch on the server, linked,
 * the item set to its in-progress state, checked out on this computer).
 */
export function WorkItemsTab(props: { profile: Profile; companion?: CompanionStatus['state'] | undefined }) {
  const { profile } = props;
  const { data: mine, error, wait, retry: askAgain } = useAnswer((onWait) => askTellingWaits({ type: 'workItems.mine', profileId: profile.id }, onWait), [profile.id]);
  const retry = focusAfter(askAgain, 'tab-work');
  const [open, setOpen] = useState<number>();
  // Those of items no longer listed would stay: only an item's own form reads its draft.
  useEffect(() => dropStaleDrafts(START_WORK_DRAFT.key(profile.id, '')), [profile.id]);

  if (error) return <FailedNote title="Could not list your work items" error={error} onRetry={retry} />;
  return (
    <section aria-labelledby="work-items-heading" class="pr-section">
      <WaitLine wait={wait} home="tab-work" loading={!mine} />
      <CompanionNote state={props.companion} uses="Start work still makes the branch and links it; checking it out runs git through it." />
      <h2 id="work-items-heading">
        Assigned to me {mine && <span class="badge">{mine.items.length}</span>}
      </h2>
      {!mine ? (
        <SkeletonRows count={3} label="Loading your work items" />
      ) : mine.items.length === 0 ? (
        <p class="muted small empty-line">No active work item is assigned to you.</p>
      ) : (
        <ul class="list prs" id="work-items">
          {mine.items.map((w) => (
            <WorkItemRow key={w.id} item={w} profile={profile} open={open === w.id} onToggle={() => setOpen(open === w.id ? undefined : w.id)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function WorkItemRow(props: { item: WorkItemSummary; profile: Profile; open: boolean; onToggle: () => void }) {
  const { item } = props;
  // Start work may move the item on (To Do → Doing): the badge says so, as the result below it does.
  const [state, setState] = useState(item.state);
  // Cut short at the popup's width: the title gives it whole.
  const where = `${item.type} ${item.id} · ${item.project}${item.changedDate ? ` · ${relativeTime(item.changedDate, Date.now())}` : ''}`;
  const toggle = useRef<HTMLButtonElement>(null);
  // Escape closes the panel as its button does; the focus was in what goes, so it goes back to that button.
  const close = cancelOnEscape(() => {
    props.onToggle();
    toggle.current?.focus();
  });
  return (
    <li data-work-item={item.id} class="work-item-row">
      <span class="main">
        <a class="name title-link" href={item.webUrl} target="_blank" rel="noreferrer" title={item.title}>
          {item.title}
        </a>
        <span class="sub" title={where}>
          {where}
        </span>
      </span>
      <span class="pr-badges">
        <span class="badge accent">{state}</span>
        <button type="button" class="small" id={`start-work-${item.id}`} ref={toggle} aria-expanded={props.open} onClick={props.onToggle}>
          Start work
        </button>
      </span>
      {/* After its button, so Tab goes from the button into the form (the row wraps to draw it below). */}
      {props.open && (
        <div class="start-work" onKeyDown={close}>
          <StartWork item={item} profile={props.profile} onState={setState} />
        </div>
      )}
    </li>
  );
}

/** The branch's checkout on this computer: under way (with git's percentage), done, or failed. */
type Checkout = { kind: 'running'; percent?: number } | { kind: 'done'; result: BranchCheckout } | { kind: 'failed'; error: ReplyError };
type Step =
  | { kind: 'form'; failed?: ReplyError }
  | { kind: 'working' }
  /** `taskId`: the checkout's on the background's board, taken off it when tried again. */
  | { kind: 'created'; result: StartWorkResult; checkout: Checkout; taskId: string; linking?: 'running' | ReplyError };

/** What the person chose or typed in Start work's form, kept across its row's closing and the popup's (form-draft.ts). */
interface Draft {
  repoId?: string | undefined;
  branch?: string | undefined;
  active?: boolean | undefined;
}

function StartWork(props: { item: WorkItemSummary; profile: Profile; onState: (state: string) => void }) {
  const { item, profile } = props;
  const plan = useAnswer(() => ask({ type: 'workItem.plan', profileId: profile.id, project: item.project, id: item.id }), [item.id]);
  const draftKey = START_WORK_DRAFT.key(profile.id, item.id);
  const [kept] = useState(() => readDraft<Draft>(draftKey));
  const [repoId, setRepoId] = useState(kept?.repoId);
  const [branch, setBranch] = useState(kept?.branch);
  const [active, setActive] = useState(kept?.active);
  const [step, setStep] = useState<Step>({ kind: 'form' });
  // Until the branch is made: a name typed over the template's was lost with the row (one is open at
  // a time) or the popup, and a Create that did not look again made the template's.
  const changed = repoId !== undefined || branch !== undefined || active !== undefined;
  useKeptDraft<Draft>(draftKey, step.kind !== 'created' && changed ? { repoId, branch, active } : undefined, !!kept);
  // Create replaces the form with a wait, then the result, then Open folder once checked out, as
  // after a clone: the focus follows, instead of falling to the page. So it does when Link the
  // branch again goes with its note, linked.
  const box = useFocusOnChange<HTMLDivElement>(step.kind === 'created' ? `created|${step.checkout.kind}|${step.result.linked}` : step.kind);

  if (plan.error) {
    return (
      <ErrorNote error={plan.error} title="Cannot start work">
        <FixButton error={plan.error} />
        {/* It goes with its note while the plan is read again: the focus waits on Start work, a Tab before the form. */}
        <button type="button" class="small" onClick={focusAfter(plan.retry, `start-work-${item.id}`)}>
          Try again
        </button>
      </ErrorNote>
    );
  }
  if (!plan.data) return <SkeletonRows count={2} label="Reading the work item" />;
  const p = plan.data;
  // The suggestion first, also when it is not among the project's repositories (a branch linked in
  // another project's), as the page's Start work offers it.
  const suggested = p.suggested;
  const repos = suggested ? [p.repos.find((r) => r.id === suggested.id) ?? suggested, ...p.repos.filter((r) => r.id !== suggested.id)] : p.repos;
  // What the person chose, else the plan's suggestion: a failed attempt keeps their choices. A kept
  // choice the project no longer has is not offered: the select would show another, Create none.
  const chosenId = repoId !== undefined && repos.some((r) => r.id === repoId) ? repoId : (repos[0]?.id ?? '');
  const name = branch ?? p.branch;
  const setToActive = active ?? (!!p.activeState && !p.alreadyActive);
  const repo = repos.find((r) => r.id === chosenId);
  const problem = gitBranchNameProblem(name.trim());

  const update = (checkout: Checkout) => setStep((s) => (s.kind === 'created' ? { ...s, checkout } : s));
  /** Shows a checkout's progress, then how it ended: one asked for here, or the one Start work began. */
  const watch = async (taskId: string, answer: (onProgress: (e: unknown) => void) => Promise<BranchCheckout>) => {
    update({ kind: 'running' });
    update(await checkoutOutcome(taskId, answer((e) => isProgress(e) && update({ kind: 'running', percent: e.percent }))));
  };
  const checkOut = (result: StartWorkResult, failed: string, worktree = false) => {
    // The failure tried again leaves the board: else the next popup's linked branches would show it
    // as the branch's last checkout, over the one that worked.
    forgetTask(failed);
    const request = { type: 'local.checkoutBranch', profileId: profile.id, repo: result.repo, branch: result.branch, taskId: crypto.randomUUID(), ...(worktree ? { worktree } : {}), workItem: p.workItem.id } as const;
    setStep((s) => (s.kind === 'created' ? { ...s, taskId: request.taskId } : s));
    return watch(request.taskId, (onProgress) => askWithProgress(request, onProgress));
  };

  /** `existing`: work on the branch as it is if it exists already (offered after "exists already"). */
  const start = async (existing = false) => {
    if (!repo || problem) return;
    setStep({ kind: 'working' });
    try {
      // The background begins the checkout once the branch is made: it happens even if the popup has closed by then.
      const checkoutTaskId = crypto.randomUUID();
      const result = await ask({ type: 'workItem.startWork', profileId: profile.id, repo, workItemProject: item.project, id: item.id, branch: name.trim(), setActive: setToActive, checkoutTaskId, ...(existing ? { existing } : {}) });
      // Told to the row at once, not from this panel's next render: Escape may have closed it meanwhile.
      if (result.state) props.onState(result.state);
      setStep({ kind: 'created', result, checkout: { kind: 'running' }, taskId: checkoutTaskId });
      await watch(checkoutTaskId, (onProgress) => askWithProgress({ type: 'local.followCheckout', taskId: checkoutTaskId }, onProgress));
    } catch (e) {
      setStep({ kind: 'form', failed: toReplyError(e) });
    }
  };

  const linkAgain = (result: StartWorkResult) => {
    setStep((s) => (s.kind === 'created' ? { ...s, linking: 'running' } : s));
    ask({ type: 'workItem.linkBranch', profileId: profile.id, repo: result.repo, workItemProject: item.project, id: item.id, branch: result.branch, setActive: setToActive }).then(
      (done) => {
        if (done.state) props.onState(done.state);
        setStep((s) =>
          s.kind === 'created'
            ? { ...s, linking: undefined, result: { ...s.result, linked: true, ...(done.state ? { state: done.state } : {}), ...(done.stateError ? { stateError: done.stateError } : {}) } }
            : s,
        );
      },
      (e: unknown) => setStep((s) => (s.kind === 'created' ? { ...s, linking: toReplyError(e) } : s)),
    );
  };

  if (step.kind === 'working') {
    return (
      <div class="small muted" role="status" tabIndex={-1} ref={box}>
        Creating the branch…
      </div>
    );
  }
  if (step.kind === 'created') {
    const { result, checkout, linking } = step;
    return (
      <div class="small start-work-result" style={{ marginTop: '6px' }} tabIndex={-1} ref={box}>
        <div role="status">
          <div>
            {result.existing ? 'Working on the existing branch' : 'Created'} {result.branch} in {result.repo.name}.
          </div>
          {result.linked && <div>Linked to the work item.</div>}
          {result.state && <div>The work item is {result.state}.</div>}
          <div>
            {checkout.kind === 'running'
              ? `Checking it out…${checkout.percent !== undefined ? ` ${Math.round(checkout.percent)} %` : ''}`
              : checkout.kind === 'done'
                ? `Checked out in ${checkout.result.path}.`
                : ''}
          </div>
          {checkout.kind === 'done' && keptOwnCommits(checkout.result) && <div>{keptOwnCommits(checkout.result)}</div>}
        </div>
        {checkout.kind === 'done' && <OpenClone path={checkout.result.path} />}
        {!result.linked && (
          <ErrorNote error={linking && linking !== 'running' ? linking : (result.linkError ?? { code: 'unknown', message: 'The reason is unknown.' })} title="The branch exists, but it is not linked to the work item">
            <FixButton error={linking && linking !== 'running' ? linking : result.linkError} />
            {/* Not disabled while it links: that would drop the focus, which stays here if it fails again. */}
            <button type="button" class="small" aria-disabled={linking === 'running'} onClick={() => linking !== 'running' && linkAgain(result)}>
              {linking === 'running' ? 'Linking…' : 'Link the branch again'}
            </button>
          </ErrorNote>
        )}
        {result.stateError && (
          <ErrorNote error={result.stateError} title="The state was not changed">
            <FixButton error={result.stateError} />
          </ErrorNote>
        )}
        {checkout.kind === 'failed' && (
          <CheckoutFailed error={checkout.error} onRetry={() => void checkOut(result, step.taskId)} onWorktree={() => void checkOut(result, step.taskId, true)} />
        )}
      </div>
    );
  }
  const linked = p.linked.length > 0 && <LinkedBranches profile={profile} linked={p.linked} workItem={p.workItem.id} />;
  // Nothing to make a branch in: said, instead of an empty list and a button that does nothing (branches linked elsewhere stay offered).
  if (p.repos.length === 0) {
    return (
      <>
        {linked}
        <p class="small muted">{p.workItem.project} has no repository to make a branch in.</p>
      </>
    );
  }
  return (
    <div ref={box}>
      {linked}
      <form
        class="start-work-form"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <div class="field">
          <label for={`start-work-repo-${item.id}`}>Repository</label>
          <select id={`start-work-repo-${item.id}`} value={chosenId} onChange={(e) => setRepoId(e.currentTarget.value)}>
            {repos.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
                {p.suggested?.id === r.id ? (p.suggested.reason === 'linked' ? ' (linked)' : ' (last used)') : ''}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`start-work-branch-${item.id}`}>Branch</label>
          <input
            id={`start-work-branch-${item.id}`}
            type="text"
            spellcheck={false}
            value={name}
            aria-invalid={!!problem}
            aria-describedby={`start-work-problem-${item.id}`}
            onInput={(e) => setBranch(e.currentTarget.value)}
          />
          <div class="problem small" id={`start-work-problem-${item.id}`}>
            {problem}
          </div>
        </div>
        {p.activeState && !p.alreadyActive && (
          <label class="check small">
            <input type="checkbox" checked={setToActive} onChange={(e) => setActive(e.currentTarget.checked)} /> Set to {p.activeState}
          </label>
        )}
        {step.failed && (
          <ErrorNote error={step.failed} title={startWorkFailedTitle(step.failed.code)}>
            <FixButton error={step.failed} />
            {step.failed.code === 'conflict' && (
              <button type="button" class="small" onClick={() => void start(true)}>
                Work on the existing branch
              </button>
            )}
          </ErrorNote>
        )}
        <button type="submit" class="primary small" data-main disabled={!repo || !!problem}>
          Create branch and check out
        </button>
      </form>
    </div>
  );
}

/**
 * The branches the item links to already (started before, here or elsewhere), each to check out
 * here. A checkout of one that an earlier popup started (Start work's, or this list's) is followed.
 */
function LinkedBranches(props: { profile: Profile; linked: LinkedBranch[]; workItem: number }) {
  const [shown, setShown] = useState<{ target: LinkedBranch; taskId: string; checkout: Checkout }>();
  const followed = useRef(false);
  const follow = (target: LinkedBranch, taskId: string, answer: (onProgress: (e: unknown) => void) => Promise<BranchCheckout>) => {
    followed.current = true;
    setShown({ target, taskId, checkout: { kind: 'running' } });
    const put = (checkout: Checkout) => setShown((s) => (s?.taskId === taskId ? { target, taskId, checkout } : s));
    void checkoutOutcome(taskId, answer((e) => isProgress(e) && put({ kind: 'running', percent: e.percent }))).then((outcome) =>
      outcome.kind === 'failed' && outcome.error.code === 'TASK_GONE' ? setShown((s) => (s?.taskId === taskId ? undefined : s)) : put(outcome),
    );
  };
  const checkOut = (target: LinkedBranch, replacing?: string, worktree = false) => {
    if (replacing) forgetTask(replacing);
    const taskId = crypto.randomUUID();
    // For the item: its page, opened while this runs, shows it (and no other item's page reads itself for it).
    const request = { type: 'local.checkoutBranch', profileId: props.profile.id, repo: target.repo, branch: target.branch, taskId, ...(worktree ? { worktree } : {}), workItem: props.workItem } as const;
    follow(target, taskId, (onProgress) => askWithProgress(request, onProgress));
  };
  useEffect(() => {
    void boardTasks().then((tasks) => {
      const linkedTo = (t: (typeof tasks)[number]) => props.linked.find((l) => t.checkout && 'branch' in t.checkout && t.checkout.branch === l.branch && t.repo.id === l.repo.id);
      const last = tasks.findLast((t) => t.profileId === props.profile.id && !!linkedTo(t));
      // Not when this popup has started one meanwhile.
      if (!last || followed.current) return;
      follow(linkedTo(last)!, last.taskId, (onProgress) => askWithProgress({ type: 'local.followCheckout', taskId: last.taskId }, onProgress));
    });
  }, []);
  const busy = shown?.checkout.kind === 'running';
  // Check out, disabled while it runs, and Try again or Dismiss, gone with the failure, dropped the
  // focus: it follows to what comes (this list while it runs, then Open folder or the failure's way on).
  const box = useFocusOnChange<HTMLDivElement>(shown ? `${shown.taskId}|${shown.checkout.kind}` : 'none');
  return (
    <div class="small linked-branches" style={{ marginTop: '6px' }} tabIndex={-1} ref={box}>
      <div class="muted">Linked to this item already</div>
      <ul class="plain">
        {props.linked.map((l) => (
          <li key={`${l.repo.id}:${l.branch}`} class="row">
            <code class="grow" title={`${l.repo.project}/${l.repo.name}: ${l.branch}`}>
              {l.repo.name} / {l.branch}
            </code>
            <button type="button" class="small" disabled={busy} aria-label={`Check out ${l.branch} of ${l.repo.name}`} onClick={() => checkOut(l)}>
              Check out
            </button>
          </li>
        ))}
      </ul>
      {shown && (
        <div role="status">
          {shown.checkout.kind === 'running'
            ? `Checking out ${shown.target.branch}…${shown.checkout.percent !== undefined ? ` ${Math.round(shown.checkout.percent)} %` : ''}`
            : shown.checkout.kind === 'done'
              ? `Checked out ${shown.checkout.result.branch ?? shown.target.branch} in ${shown.checkout.result.path}.`
              : ''}
          {shown.checkout.kind === 'done' && keptOwnCommits(shown.checkout.result) && <div>{keptOwnCommits(shown.checkout.result)}</div>}
        </div>
      )}
      {shown?.checkout.kind === 'done' && <OpenClone path={shown.checkout.result.path} />}
      {shown?.checkout.kind === 'failed' && (
        <CheckoutFailed
          error={shown.checkout.error}
          onRetry={() => checkOut(shown.target, shown.taskId)}
          onWorktree={() => checkOut(shown.target, shown.taskId, true)}
          onDismiss={() => (forgetTask(shown.taskId), setShown(undefined))}
        />
      )}
      <div class="muted">Or a new branch:</div>
    </div>
  );
}

/**
 * A checkout that did not happen. A clone with changes is not a failure but a choice: it was left
 * alone, and the branch can go into a new worktree next to it (trying again would fail the same way).
 */
function CheckoutFailed(props: { error: ReplyError; onRetry: () => void; onWorktree: () => void; onDismiss?: () => void }) {
  if (props.error.code !== 'companion.WORKTREE_DIRTY') {
    return <GitFailed error={props.error} task="checkout" title="Not checked out" onRetry={props.onRetry} {...(props.onDismiss ? { onDismiss: props.onDismiss } : {})} />;
  }
  return (
    <div class="note warning small" role="status" data-testid="checkout-dirty">
      {props.error.message.replace(/;.*$/, '')}: nothing was touched.{' '}
      <button type="button" class="small" onClick={props.onWorktree}>
        Check out into a new worktree
      </button>
    </div>
  );
}
