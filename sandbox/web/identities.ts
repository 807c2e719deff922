import type { Store, Vote } from '../store';

/** A user's or group's name as the pages show it. */
export function identityName(store: Store, id: string): string {
  return store.users.get(id)?.displayName ?? store.groups.get(id)?.displayName ?? 'Unknown identity';
}

export function initials(name: string): string {
  const words = name.replace(/^\[[^\]]*\]\\/, '').split(/\s+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
}

/** The vote names the web UI shows. */
export const VOTE_LABELS: Record<Vote, string> = {
  10: 'Approved',
  5: 'Approved with suggestions',
  0: 'No response',
  [-5]: 'Waiting for author',
  [-10]: 'Rejected',
};

/** The class the vote icon carries (`.repos-pr-reviewer-vote.approved` ...). */
export function voteClass(vote: Vote): string {
  return vote >= 5 ? 'approved' : vote === -5 ? 'waiting' : vote === -10 ? 'rejected' : 'none';
}

/** A small avatar as an inline SVG (no extra request, works offline). */
export function avatarDataUri(name: string): string {
  const hue = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  const text = initials(name).replace(/[<>&"']/g, '');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><circle cx="16" cy="16" r="16" fill="hsl(${hue},55%,40%)"/><text x="16" y="21" font-size="13" font-family="Segoe UI,sans-serif" fill="#fff" text-anchor="middle">${text}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
