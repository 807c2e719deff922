import type { PullRequestSummary } from '../shared/messages';

/**
 * Azure DevOps' votes: 10 approved, 5 approved with suggestions, 0 none, -5 waiting for author, -10 rejected.
 * None reads "not voted yet", as it also must after a count ("2 not voted yet", not "2 no vote").
 */
export function voteLabel(vote: number): string {
  if (vote >= 10) return 'Approved';
  if (vote > 0) return 'Approved with suggestions';
  if (vote <= -10) return 'Rejected';
  if (vote < 0) return 'Waiting for author';
  return 'Not voted yet';
}

export type VoteTone = 'success' | 'danger' | 'accent' | 'none';

export function voteTone(vote: number): VoteTone {
  if (vote > 0) return 'success';
  if (vote <= -10) return 'danger';
  if (vote < 0) return 'accent';
  return 'none';
}

/** "Reviewers: 2 approved · 1 rejected · 1 not voted yet": the votes of a pull request's reviewers, strongest first. */
export function voteSummary(reviewers: PullRequestSummary['reviewers']): string {
  if (reviewers.length === 0) return 'No reviewers';
  const counts = new Map<string, number>();
  for (const r of reviewers.toSorted((a, b) => Math.abs(b.vote) - Math.abs(a.vote) || b.vote - a.vote)) {
    const label = voteLabel(r.vote).toLowerCase();
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return `Reviewers: ${[...counts].map(([label, n]) => `${n} ${label}`).join(' · ')}`;
}

/** The vote the given person cast, if they review this pull request. */
export function myVote(pr: PullRequestSummary, me: string | undefined): number | undefined {
  return me ? pr.reviewers.find((r) => r.id === me)?.vote : undefined;
}
