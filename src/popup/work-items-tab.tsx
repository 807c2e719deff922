import { useEffect, useState } from 'preact/hooks';
import { ask, askWithProgress } from '../shared/ask';
import { gitBranchNameProblem } from '../shared/branch-name';
import type { BranchCheckout, ReplyError, StartWorkPlan, StartWorkResult, WorkItemSummary } from '../shared/messages';
import type { Profile } from '../shared/profile';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { relativeTime } from '../shared/ui/relative-time';
import { SkeletonRows } from '../shared/ui/skeleton';
import { openTab } from './open';
import { useAnswer } from './use-answer';

/**
 * My work items: active ones assigned to the user across the organization's projects (WIQL), each
 * with "Start work" (the same steps as on the work item's page: a branch on the server, linked,
 * the item set to its in-progress state, checked out on this computer).
 */
export function WorkItemsTab(props: { profile: Profile }) {
  const { profile } = props;
  const { data: mine, error, retry } = useAnswer(() => ask({ type: 'workItems.mine', profileId: profile.id }), [profile.id]);
  const [open, setOpen] = useState<number>();

  if (error) {
    return (
      <ErrorNote error={error} title="Could not list your work items">
        <button type="button" onClick={retry}>
          Try again
        </button>
      </ErrorNote>
    );
  }
  return (
    <section aria-labelledby="work-items-heading" class="pr-section">
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
  return (
    <li data-work-item={item.id} class="work-item-row">
      <span class="main">
        <a class="name" href={item.webUrl} target="_blank" rel="noreferrer" title={item.title} onClick={(e) => (e.preventDefault(), openTab(item.webUrl))}>
          {item.title}
        </a>
        <span class="sub">
          {item.type} {item.id} · {item.project}
          {item.changedDate ? ` · ${relativeTime(item.changedDate, Date.now())}` : ''}
        </span>
        {props.open && <StartWork item={item} profile={props.profile} />}
      </span>
      <span class="pr-badges">
        <span class="badge accent">{item.state}</span>
        <button type="button" class="small" aria-expanded={props.open} onClick={props.onToggle}>
          Start work
        </button>
      </span>
    </li>
  );
}

type Step = { kind: 'form' } | { kind: 'working' } | { kind: 'created'; result: StartWorkResult; checkout?: BranchCheckout | ReplyError | 'running' };

function StartWork(props: { item: WorkItemSummary; profile: Profile }) {
  const { item, profile } = props;
  const [plan, setPlan] = useState<StartWorkPlan>();
  const [error, setError] = useState<ReplyError>();
  const [repoId, setRepoId] = useState('');
  const [branch, setBranch] = useState('');
  const [active, setActive] = useState(true);
  const [step, setStep] = useState<Step>({ kind: 'form' });

  useEffect(() => {
    ask({ type: 'workItem.plan', profileId: profile.id, project: item.project, id: item.id })
      .then((p) => {
        setPlan(p);
        setRepoId(p.suggested?.id ?? p.repos[0]?.id ?? '');
        setBranch(p.branch);
        setActive(!!p.activeState && !p.alreadyActive);
      })
      .catch((e: unknown) => setError(toReplyError(e)));
  }, [item.id]);

  if (error) return <ErrorNote error={error} title="Cannot start work" />;
  if (!plan) return <SkeletonRows count={2} label="Reading the work item" />;
  const repo = plan.repos.find((r) => r.id === repoId);
  const problem = gitBranchNameProblem(branch.trim());

  const start = async () => {
    if (!repo || problem) return;
    setStep({ kind: 'working' });
    try {
      const result = await ask({ type: 'workItem.startWork', profileId: profile.id, repo, workItemProject: item.project, id: item.id, branch: branch.trim(), setActive: active });
      setStep({ kind: 'created', result, checkout: 'running' });
      const checkout = await askWithProgress({ type: 'local.checkoutBranch', profileId: profile.id, repo: result.repo, branch: result.branch, taskId: `popup-${item.id}-${Date.now()}` }, () => undefined).catch(
        (e: unknown) => toReplyError(e),
      );
      setStep({ kind: 'created', result, checkout });
    } catch (e) {
      setError(toReplyError(e));
    }
  };

  if (step.kind === 'working') return <p class="small muted" role="status">Creating the branch…</p>;
  if (step.kind === 'created') {
    const { result, checkout } = step;
    return (
      <div class="small start-work-result" role="status" style={{ marginTop: '6px' }}>
        <div>Created {result.branch} in {result.repo.name}.</div>
        <div>{result.linked ? 'Linked to the work item.' : `Not linked: ${result.linkError?.message ?? ''}`}</div>
        {!result.linked && (
          <button type="button" class="small" onClick={() => void ask({ type: 'workItem.linkBranch', profileId: profile.id, repo: result.repo, workItemProject: item.project, id: item.id, branch: result.branch, setActive: active }).then((done) => setStep({ ...step, result: { ...result, linked: true, ...(done.state ? { state: done.state } : {}) } }), (e: unknown) => setError(toReplyError(e)))}>
            Link the branch again
          </button>
        )}
        {result.state && <div>The work item is {result.state}.</div>}
        {result.stateError && <div>The state was not changed: {result.stateError.message}</div>}
        <div>{checkout === 'running' ? 'Checking it out…' : checkout && 'path' in checkout ? `Checked out in ${checkout.path}.` : `Not checked out: ${checkout?.message ?? ''}`}</div>
      </div>
    );
  }
  return (
    <form
      class="start-work-form"
      style={{ display: 'flex', flexDirection: 'column', gap: '4px', marginTop: '6px' }}
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <label class="small">
        Repository
        <select value={repoId} onChange={(e) => setRepoId(e.currentTarget.value)}>
          {plan.repos.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
              {plan.suggested?.id === r.id ? (plan.suggested.reason === 'linked' ? ' (linked)' : ' (last used)') : ''}
            </option>
          ))}
        </select>
      </label>
      <label class="small">
        Branch
        <input type="text" spellcheck={false} value={branch} aria-invalid={!!problem} onInput={(e) => setBranch(e.currentTarget.value)} />
      </label>
      {problem && <div class="problem small">{problem}</div>}
      {plan.activeState && !plan.alreadyActive && (
        <label class="small">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} /> Set to {plan.activeState}
        </label>
      )}
      <button type="submit" class="primary small" disabled={!repo || !!problem}>
        Create branch and check out
      </button>
    </form>
  );
}
