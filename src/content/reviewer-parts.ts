import type { PageRequest, Person, PullRequestSummary, ReviewerGroup, ReviewerSuggestion } from '../shared/messages';
import { askTellingWaits } from '../shared/waiting';
import { problemText } from './session';
import { h, onActivate } from './ui/dom';
import { button, coin, optionsButton } from './ui/parts';
import { refill } from './ui/popover';
import { waitSaying } from './ui/waiting';

/** The pieces of the reviewer helpers: the vote summary, suggestions, groups and the people search. */

export interface Choice {
  people: Person[];
  isRequired: boolean;
}
export type Choose = (choice: Choice) => void;

type Reviewers = PullRequestSummary['reviewers'];

const voteName = (vote: number) =>
  vote >= 10 ? 'Approved' : vote > 0 ? 'Approved with suggestions' : vote <= -10 ? 'Rejected' : vote < 0 ? 'Waiting for author' : 'No response';
const voteTone = (vote: number) => (vote > 0 ? 'adoc-good' : vote <= -10 ? 'adoc-bad' : vote < 0 ? 'adoc-warn' : 'adoc-muted');

/** "2 approved · 1 waiting for author · 1 rejected · 1 no response", then every reviewer, required ones first. */
export function voteSummary(reviewers: Reviewers, added: ReadonlySet<string> = new Set()): HTMLElement {
  const count = (test: (v: number) => boolean) => reviewers.filter((r) => test(r.vote)).length;
  const parts = [
    [count((v) => v > 0), 'approved'],
    [count((v) => v < 0 && v > -10), 'waiting for author'],
    [count((v) => v <= -10), 'rejected'],
    [count((v) => v === 0), 'no response'],
  ] as const;
  const line = reviewers.length ? parts.filter(([n]) => n > 0).map(([n, w]) => `${n} ${w}`).join(' · ') : 'No reviewers yet';
  const sorted = reviewers.toSorted((a, b) => Number(b.isRequired) - Number(a.isRequired) || b.vote - a.vote || a.displayName.localeCompare(b.displayName));
  return h(
    'div',
    { class: 'adoc-col' },
    h('div', { 'data-part': 'vote-summary' }, line),
    h(
      'ul',
      { class: 'adoc-list', 'aria-label': 'Votes' },
      sorted.map((r) =>
        h(
          'li',
          { 'data-reviewer': r.id },
          coin(r.displayName),
          h(
            'div',
            { class: 'adoc-grow' },
            h('div', { class: 'adoc-ellipsis', title: r.displayName }, r.displayName, added.has(r.id) ? h('span', { class: 'adoc-pill' }, 'added') : false),
            h('div', { class: 'adoc-muted' }, r.isRequired ? 'Required · ' : '', h('span', { class: voteTone(r.vote) }, voteName(r.vote))),
          ),
        ),
      ),
    ),
  );
}

/**
 * A person with their buttons beside the name, and why they are offered under both, across the
 * card: in a narrow card (a page 512 px wide, where the card also drops the avatars) the name
 * stays whole, the buttons going under it when both do not fit, and the reason takes two lines, not four.
 */
function personRow(p: Person, detail: string | undefined, choose: Choose, signal: AbortSignal, both: boolean): HTMLElement {
  return h(
    'li',
    { 'data-person': p.id },
    coin(p.displayName),
    h(
      'div',
      { class: 'adoc-grow' },
      h(
        'div',
        { class: 'adoc-row adoc-wrap' },
        h('div', { class: 'adoc-ellipsis adoc-fit', title: p.displayName }, p.displayName),
        button(both ? 'Optional' : 'Add', () => choose({ people: [p], isRequired: false }), signal, { small: true, ariaLabel: `Add ${p.displayName} as an optional reviewer` }),
        both ? button('Required', () => choose({ people: [p], isRequired: true }), signal, { small: true, ariaLabel: `Add ${p.displayName} as a required reviewer` }) : false,
      ),
      detail ? h('div', { class: 'adoc-muted' }, detail) : false,
    ),
  );
}

/** The suggestions but those who now review (the card added them): they changed these files too, so an empty list says which. */
export function suggestionList(all: ReviewerSuggestion[], reviewing: ReadonlySet<string>, choose: Choose, signal: AbortSignal): HTMLElement {
  const suggestions = all.filter((s) => !reviewing.has(s.id));
  if (suggestions.length === 0) return h('p', { class: 'adoc-muted' }, all.length ? 'Everyone suggested now reviews this pull request.' : 'Nobody else changed these files recently.');
  return h('ul', { class: 'adoc-list', 'aria-label': 'Suggested reviewers' }, suggestions.map((s) => personRow(s, s.reason, choose, signal, false)));
}

export function groupButtons(groups: ReviewerGroup[], project: string, choose: Choose, signal: AbortSignal): HTMLElement {
  if (groups.length === 0) return h('p', { class: 'adoc-muted' }, `No reviewer groups for ${project} yet. `, optionsButton('Make a group', 'groups', signal, {}));
  return h(
    'div',
    { class: 'adoc-row adoc-wrap' },
    groups.map((g) => {
      const b = button(`${g.name} (${g.members.length})`, () => choose({ people: g.members, isRequired: false }), signal, {
        small: true,
        ariaLabel: `Add the group ${g.name} (${g.members.length}): ${g.members.map((m) => m.displayName).join(', ')}`,
      });
      // A long name wraps in a narrow card (a page 512 px wide) rather than running past its edge.
      b.classList.add('adoc-wraps');
      return b;
    }),
  );
}

/**
 * A search box for anyone in the organization, each result addable as optional or required. Its
 * waits (a 429 holds the whole organization) are said on a line of its own under the field, where
 * the field does not move as it comes and goes: not the card's `waitLine`, whose Stop waiting ends
 * the card's other asks too. A new search ends the one before, its request too.
 */
export function peopleSearch(choose: Choose, signal: AbortSignal): HTMLElement {
  const input = h('input', { class: 'adoc-input adoc-field', type: 'search', placeholder: 'People and groups', 'aria-label': 'Search people and groups to add as reviewers' });
  const waiting = waitSaying(signal);
  // Its Try again goes with a failure: the list keeps the focus while it searches again (refill).
  const results = h('ul', { class: 'adoc-list', 'aria-label': 'People found', 'aria-live': 'polite', tabindex: -1 });
  let current: AbortController | undefined;
  const run = (query: string) => {
    if (!query || signal.aborted) return;
    current?.abort();
    waiting.say(undefined);
    const mine = (current = new AbortController());
    let stopped = false;
    refill(results, h('li', { class: 'adoc-muted' }, 'Searching…'));
    const request: PageRequest = { type: 'people.search', query };
    askTellingWaits(request, (wait) => current === mine && waiting.say(wait, () => ((stopped = true), wait?.stop())), mine.signal)
      .then(({ people }) => {
        if (current !== mine) return;
        refill(results, people.length ? people.map((p) => personRow(p, p.mail, choose, signal, true)) : h('li', { class: 'adoc-muted' }, `Nobody matches “${query}”.`));
      })
      .catch((e: unknown) => {
        if (current !== mine || signal.aborted) return;
        const again = button('Try again', () => run(query), signal, { small: true });
        refill(results, h('li', null, h('span', { class: 'adoc-bad adoc-grow' }, problemText(e)), again));
        // Stop waiting went with its line: the focus goes to this search's Try again, not to the page.
        if (stopped) again.focus();
      });
  };
  // The card gone, so is what it searched for.
  signal.addEventListener('abort', () => current?.abort(), { once: true });
  const search = () => run(input.value.trim());
  input.addEventListener('keydown', (e) => e.key === 'Enter' && e.isTrusted && search(), { signal });
  const go = h('button', { class: 'adoc-button small', type: 'button' }, 'Search');
  onActivate(go, search, signal);
  // Narrow (a page 512 px wide), Search goes under the field, which keeps a name's width.
  return h('div', { class: 'adoc-col' }, h('div', { class: 'adoc-row adoc-wrap' }, input, go), waiting.line, results);
}
