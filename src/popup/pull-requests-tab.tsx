import type { CompanionStatus, PullRequestSummary } from '../shared/messages';
import { nextStepFor } from '../shared/next-step';
import type { Profile } from '../shared/profile';
import { focusAfter } from '../shared/ui/focus';
import { CompanionNote, FailedNote, FixButton } from './fix-button';
import { relativeTime } from '../shared/ui/relative-time';
import { SkeletonRows } from '../shared/ui/skeleton';
import { PullRequestCheckoutAction } from './pr-checkout';
import { useAnswer } from './use-answer';
import { WaitLine } from '../shared/ui/waiting';
import { askTellingWaits } from '../shared/waiting';
import { myVote, voteLabel, voteSummary, voteTone } from './votes';

/** Active pull requests the user created, and those waiting for their review, across the organization. */
export function PullRequestsTab(props: { profile: Profile; companion?: CompanionStatus['state'] | undefined }) {
  const { profile } = props;
  const { data: mine, error, wait, retry: askAgain } = useAnswer((onWait) => askTellingWaits({ type: 'prs.mine', profileId: profile.id }, onWait), [profile.id]);
  const retry = focusAfter(askAgain, 'tab-prs');

  if (error) return <FailedNote title="Could not list your pull requests" error={error} onRetry={retry} />;
  const me = profile.identity?.id;
  // A project left out for a reason Options fixes (a refused token: this profile's).
  const fixable = mine?.failed.find((f) => nextStepFor(f.code));
  return (
    <div class="prs-tab">
      <WaitLine wait={wait} home="tab-prs" loading={!mine} />
      <CompanionNote state={props.companion} uses="Check out runs git through it on this computer." />
      <PullRequestList title="Created by me" id="prs-created" items={mine?.created} me={me} profileId={profile.id} empty="You have no active pull requests." />
      <PullRequestList
        title="Waiting for my review"
        id="prs-reviewing"
        items={mine?.reviewing}
        me={me}
        profileId={profile.id}
        empty="Nothing is waiting for your review."
        showMyVote
      />
      {mine && mine.failed.length > 0 && (
        <div class="note warning small" role="status">
          Not included: {mine.failed.map((f) => `${f.project} (${f.message})`).join('; ')}
          <div class="actions">
            <FixButton error={fixable && { ...fixable, profileId: profile.id }} class="small" />
            <button type="button" class="small" onClick={retry}>
              Try again
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function PullRequestList(props: { title: string; id: string; items?: PullRequestSummary[] | undefined; me?: string | undefined; profileId: string; empty: string; showMyVote?: boolean }) {
  const { items } = props;
  return (
    <section aria-labelledby={`${props.id}-heading`} class="pr-section">
      <h2 id={`${props.id}-heading`}>
        {props.title} {items && <span class="badge">{items.length}</span>}
      </h2>
      {!items ? (
        <SkeletonRows count={2} label={`Loading: ${props.title}`} />
      ) : items.length === 0 ? (
        <p class="muted small empty-line">{props.empty}</p>
      ) : (
        <ul class="list prs" id={props.id}>
          {items.map((pr) => (
            <PullRequestRow key={`${pr.repo.id}/${pr.id}`} pr={pr} me={props.me} profileId={props.profileId} showMyVote={props.showMyVote} />
          ))}
        </ul>
      )}
    </section>
  );
}

function PullRequestRow(props: { pr: PullRequestSummary; me?: string | undefined; profileId: string; showMyVote?: boolean | undefined }) {
  const { pr } = props;
  const vote = props.showMyVote ? myVote(pr, props.me) : undefined;
  // Both lines are cut short at the popup's width: their titles give them whole.
  const where = `${pr.repo.name} · !${pr.id} · ${pr.sourceBranch} → ${pr.targetBranch} · ${relativeTime(pr.creationDate, Date.now())}`;
  const votes = `${vote !== undefined ? `Your vote: ${voteLabel(vote)} · ` : ''}${voteSummary(pr.reviewers)}`;
  return (
    <li data-pr={pr.id}>
      <span class="main">
        <a class="name title-link" href={pr.webUrl} target="_blank" rel="noreferrer" title={pr.title}>
          {pr.title}
        </a>
        <span class="sub" title={where}>
          {where}
        </span>
        <span class="sub votes" title={[votes, ...pr.reviewers.map((r) => `${r.displayName}: ${voteLabel(r.vote)}${r.isRequired ? ' (required)' : ''}`)].join('\n')}>
          {votes}
        </span>
        <PullRequestCheckoutAction pr={pr} profileId={props.profileId} />
      </span>
      <span class="pr-badges">
        {/* Capitalised, as the vote badge under it. */}
        {pr.isDraft ? <span class="badge">Draft</span> : <span class="badge accent">{pr.status.charAt(0).toUpperCase() + pr.status.slice(1)}</span>}
        {vote !== undefined && vote !== 0 && <span class={`badge ${voteTone(vote)}`}>{voteLabel(vote)}</span>}
      </span>
    </li>
  );
}
