import { ask } from './ask';
import type { AdoPage } from '../shared/ado/urls';
import type { Person, RepoKey, ReviewerGroup, ReviewerSuggestion } from '../shared/messages';
import { CREATE_BRANCH_LABELS } from './anchors';
import type { Attach } from './feature';
import { repoKeyOf } from './repo-on-page';
import { REVIEWERS_SCROLL } from '../shared/storage-keys';
import { groupButtons, peopleSearch, suggestionList, voteSummary, type Choice, type Choose } from './reviewer-parts';
import { addedText, addQueued, notAddedAfter, notAddedWith, notReviewing, oneAddEach, outcome, queueChoice, queuedFor, queueLeft, queueOf, stillWait, votesAdded, votesRead, type NotAdded, type Pending, type Queued, type Reviewers, type Section, type Votes } from './reviewer-flow';
import { pageContext, problemOf, problemText } from './session';
import { h, icon, onActivate, type Child } from './ui/dom';
import { actions, alertBox, button, coin, helpLink, optionsButton } from './ui/parts';
import { openPopover, refill, type Popover } from './ui/popover';
import { waitLine } from './ui/waiting';

/**
 * Reviewer helpers on a pull request (and on the create page): the votes at a glance, people who
 * recently changed the same files, the user's reviewer groups in one click, and a search to add
 * anyone as required or optional. On the create page the choices wait until the pull request
 * exists, then are added to it.
 */

/*
 * Module state, on purpose: each of these outlives the mount that wrote it. The card is mounted
 * again whenever the view changes, and a mount's own state goes with its signal; these must reach
 * the next mount in the same tab. They last as long as this script (loaded once per document: a
 * reload clears them), are keyed by the pull request or its branches so no other one sees them,
 * and `pending` and `notAdded` (once no page of theirs shows them) and `note` expire. A change is
 * drawn in every mounted card of the page (`changes`): one mounted while an addition ran shows how
 * it went.
 */
/** Choices made on the create page, added once the pull request exists (the page navigates to it in-app). */
let pending: Pending | undefined;
/** Those that could not be added to their pull request, until added, removed, reviewing or left long enough; each mount of its card shows them. */
const notAdded = new Map<string, NotAdded>();
/** Tells every mounted card that `notAdded`/`pending` ('queue') or `note` ('note') changed. */
const changes = new EventTarget();
const changed = (what: 'queue' | 'note') => changes.dispatchEvent(new Event(what));
/**
 * What the last addition said (also while it runs, and its failure), shown again after the page
 * re-rendered its Reviewers section (and us with it); whether someone was added, so the new card
 * offers the same refresh; and what it answered, which the cards mounted then draw.
 */
let note: { pr: string; text: string; tone: string; at: number; added: boolean; answer?: { reviewers: Reviewers; added: string[] } } | undefined;
/** Suggestions and groups per pull request: they do not change while the page lives. */
type Lists = { suggestions?: Promise<ReviewerSuggestion[]>; groups?: Promise<ReviewerGroup[]> };
const cache = new Map<string, Lists>();
/**
 * Who the card added to each pull request: no longer suggestions, also in a list read before they
 * were added (still on its way then, or kept in `cache` for the next mount).
 */
const addedTo = new Map<string, Set<string>>();

const NOTE_MS = 15_000;
const shortBranch = (ref: string) => ref.replace(/^refs\/heads\//, '');
const sub = (text: string) => h('h3', { class: 'adoc-sub' }, text);
const repoId = (page: AdoPage, repo: RepoKey) => `${page.orgBaseUrl}|${repo.project}|${repo.name}`.toLowerCase();

/** The create page's branches: the URL, else its two branch pickers (source first). */
function createBranches(page: AdoPage): { source: string; target: string } | undefined {
  const labels = [...document.querySelectorAll(CREATE_BRANCH_LABELS)].map((e) => e.textContent?.trim() ?? '');
  const source = page.sourceRef ? shortBranch(page.sourceRef) : labels[0];
  const target = page.targetRef ? shortBranch(page.targetRef) : labels[1];
  return source && target ? { source, target } : undefined;
}

/** The region Azure DevOps scrolls (an inner one), whose position the refresh we offer keeps. */
function scroller(el: Element): Element {
  for (let p = el.parentElement; p; p = p.parentElement) {
    if (p.scrollHeight > p.clientHeight && /auto|scroll/.test(getComputedStyle(p).overflowY)) return p;
  }
  return document.scrollingElement ?? document.documentElement;
}

/**
 * Azure DevOps draws its Reviewers list from its own data: it shows reviewers added through the
 * REST API after a reload (its router ignores synthetic history events). A real reload, keeping
 * the scroll position.
 */
function reloadKeepingScroll(at: Element): void {
  sessionStorage.setItem(REVIEWERS_SCROLL.key, JSON.stringify({ href: location.href, top: scroller(at).scrollTop, at: Date.now() }));
  location.reload();
}

function restoreScroll(at: Element): void {
  const raw = sessionStorage.getItem(REVIEWERS_SCROLL.key);
  if (!raw) return;
  sessionStorage.removeItem(REVIEWERS_SCROLL.key);
  try {
    const saved = JSON.parse(raw) as { href?: string; top?: number; at?: number };
    if (saved.href !== location.href || typeof saved.top !== 'number' || Date.now() - (saved.at ?? 0) > 60_000) return;
    const top = saved.top;
    // Again once the page has drawn the parts that make it that tall.
    const put = () => (scroller(at).scrollTop = top);
    put();
    setTimeout(put, 400);
    setTimeout(put, 1200);
  } catch {
    // Not ours: ignore.
  }
}

/** The choices on the create page, or those that could not be added once the pull request existed. */
type Queue = { kind: 'none' } | { kind: 'chosen' | 'left'; people: Queued[] };

/** What the card shows, part by part; each part's view draws it, `attach` only moves from one state to the next. */
interface Card {
  votes: Votes;
  suggested: Section<ReviewerSuggestion[]>;
  /** Reviewer groups are saved with a profile: without one there are none to offer. */
  groups: Section<ReviewerGroup[]> | { kind: 'noProfile' };
  queue: Queue;
  /** Someone was added: Azure DevOps' own list shows them after a reload, which the card offers. */
  refresh: boolean;
}

/** What the views need besides their part's state: the page's, and what the card's buttons ask of `attach`. */
interface Ctx {
  project: string;
  organization: string;
  /** The card opens from a "Reviewers…" button (not drawn in the page's column). */
  entry: boolean;
  /** Who the card added: no longer suggestions. */
  reviewing: ReadonlySet<string>;
  signal: AbortSignal;
  choose: Choose;
  /** A section's Try again: loads that section only. */
  again: Record<'votes' | 'suggested' | 'groups', () => void>;
  /** Removes a choice: not added when the pull request is created, or no longer offered to add again. */
  unqueue(id: string): void;
  addAgain(people: Queued[]): void;
  reload(): void;
}

/** A section that loads: its loading line, why it could not load (the Options button that fixes it, and a small Try again), or `shown`. */
function sectionView<T>(s: Section<T>, shown: (value: T) => Child, again: () => void, signal: AbortSignal): Child {
  if (s.kind === 'shown') return shown(s.value);
  if (s.kind === 'loading') return !!s.text && h('p', { class: 'adoc-muted', role: 'status' }, s.text);
  const { message, next, helpUrl } = problemOf(s.error);
  return alertBox(message, helpLink(helpUrl), actions(!!next && optionsButton(...next, signal, { small: true }), button('Try again', again, signal, { small: true })));
}

/** A part of the card; one whose Try again or buttons go as it is drawn again keeps the focus meanwhile (refill). */
const part = (focusable: boolean) => h('div', { class: 'adoc-col', tabindex: focusable ? -1 : null });

/** Each part's view, from its state alone. */
const views: { [K in keyof Card]: (state: Card[K], c: Ctx) => Child | Child[] } = {
  votes: (votes, c) => sectionView(votes, (v) => voteSummary(v.reviewers, v.added), c.again.votes, c.signal),
  suggested: (s, c) => sectionView(s, (list) => suggestionList(list, c.reviewing, c.choose, c.signal), c.again.suggested, c.signal),
  groups: (g, c) =>
    g.kind === 'noProfile'
      ? [h('p', { class: 'adoc-muted' }, `Reviewer groups are saved with an account, and ${c.organization} has none in the extension.`), actions(optionsButton('Add an account', 'accounts', c.signal))]
      : sectionView(g, (list) => groupButtons(list, c.project, c.choose, c.signal), c.again.groups, c.signal),
  queue: (q, c) => {
    if (q.kind === 'none') return [];
    const chosen = q.kind === 'chosen';
    const rows = q.people.map((p) =>
      h('li', { 'data-person': p.id }, coin(p.displayName), h('span', { class: 'adoc-grow adoc-ellipsis', title: p.displayName }, p.displayName), p.isRequired && h('span', { class: 'adoc-pill' }, 'Required'),
        button('Remove', () => c.unqueue(p.id), c.signal, { small: true, ariaLabel: `Do not add ${p.displayName}` })),
    );
    return [
      sub(chosen ? 'Added when you create the pull request' : 'Chosen before the pull request existed, not added yet'),
      h('ul', { class: 'adoc-list' }, rows),
      !chosen && actions(button('Add them again', () => c.addAgain(q.people), c.signal, { primary: true })),
    ];
  },
  refresh: (offered, c) =>
    !offered ? []
    : c.entry ? h('p', { class: 'adoc-muted' }, 'Azure DevOps shows them in its own Reviewers list after the page reloads.')
    : h('div', { class: 'adoc-row adoc-wrap' },
        h('span', { class: 'adoc-muted adoc-grow' }, "Azure DevOps updates its own Reviewers list when the page reloads."),
        button('Refresh the page', c.reload, c.signal, { small: true, ariaLabel: "Reload the page to update Azure DevOps' Reviewers list" }),
      ),
};

/**
 * `refill`, for a list whose rows (`data-person`) an addition or a Remove takes out: the focus on
 * a row that went goes to the next row's button, else the previous one's, else `fallback`.
 */
function redraw(into: HTMLElement, content: Child | Child[], fallback: () => HTMLElement | null): void {
  const rows = [...into.querySelectorAll<HTMLElement>('[data-person]')];
  const at = rows.findIndex((r) => r.contains((into.getRootNode() as ShadowRoot).activeElement));
  refill(into, content);
  if (at < 0) return;
  const near = [...rows.slice(at), ...rows.slice(0, at).toReversed()].map((r) => into.querySelector<HTMLElement>(`[data-person="${CSS.escape(r.dataset.person!)}"] button`)).find(Boolean);
  (near ?? fallback())?.focus();
}

/**
 * Takes over what features.ts drew: the card's shell in the page (filled here), or the
 * "Reviewers…" button in the header or the dock (it opens the card).
 */
export const attach: Attach = ({ host, anchor, trigger, card: shell }, { signal, page }) => {
  const repo = repoKeyOf(page)!;
  const creating = page.page === 'pullRequestCreate';
  const branches = creating ? createBranches(page) : undefined;
  const repoKey = repoId(page, repo);
  // A create page's lists are those of its branches: another pair's page may follow in-app.
  const prKey = `${repoKey}|${page.pullRequestId ?? `new|${branches?.source}|${branches?.target}`}`;
  const reviewing = addedTo.get(prKey) ?? new Set<string>();
  addedTo.set(prKey, reviewing);
  const lists = cache.get(prKey) ?? {};
  cache.set(prKey, lists);
  const waits = waitLine(signal);

  const status = h('div', { class: 'adoc-muted', role: 'status' });
  const say = (text: string, tone = 'adoc-muted') => {
    status.className = tone;
    status.textContent = text;
  };
  const noteNow = () => (note?.pr === prKey && Date.now() - note.at < NOTE_MS ? note : undefined);
  const fresh = noteNow();
  if (fresh) say(fresh.text, fresh.tone);
  /** Says `text` in every card of this pull request (and again in one mounted soon after), with what an addition answered. */
  const tell = (text: string, tone: string, answer?: { reviewers: Reviewers; added: string[] }) => {
    // Someone added earlier still wants the refresh, also when this click added nobody new.
    note = { pr: prKey, text, tone, at: Date.now(), added: !!answer?.added.length || (note?.pr === prKey && note.added), answer };
    changed('note');
  };

  const left = () => notAdded.get(prKey)?.people ?? [];
  /** The choices not added yet, changed (or shown) now: their clock starts again. */
  const leave = (people: Queued[]) => (people.length ? notAdded.set(prKey, { at: Date.now(), people }) : notAdded.delete(prKey));
  for (const [key, q] of notAdded) if (!stillWait(q, Date.now())) notAdded.delete(key);
  leave(left());
  const queued = (): Queue => {
    const people = !creating ? left() : branches ? queueOf(pending, { repo: repoKey, ...branches }) : [];
    return people.length ? { kind: creating ? 'chosen' : 'left', people } : { kind: 'none' };
  };
  // The choices wait from when their page goes away (Create included), however long it was open.
  signal.addEventListener('abort', () => (branches ? (pending = queueLeft(pending, { repo: repoKey, ...branches }, Date.now())) : leave(left())), { once: true });
  let state: Card = {
    votes: { kind: 'loading', drawnBy: 0 },
    suggested: { kind: 'loading', text: 'Looking at who changed these files…' },
    groups: { kind: 'loading' },
    queue: queued(),
    refresh: !!fresh?.added,
  };
  const parts: Record<keyof Card, HTMLElement> = { votes: part(true), suggested: part(true), groups: part(true), queue: part(true), refresh: part(false) };
  const set = (next: Partial<Card>) => {
    state = { ...state, ...next };
    if (signal.aborted) return;
    for (const key of Object.keys(next) as (keyof Card)[]) redraw(parts[key], (views[key] as (s: unknown, c: Ctx) => Child | Child[])(state[key], c), () => search.querySelector('input'));
  };
  changes.addEventListener('queue', () => set({ queue: queued() }), { signal });
  // An addition run by this card or another (one the page took away while it ran).
  changes.addEventListener(
    'note',
    () => {
      const n = noteNow();
      if (!n) return;
      say(n.text, n.tone);
      // Reviewers now: no longer suggestions (a row going with the focus hands it to a neighbour, see redraw).
      set({ ...(n.answer && { votes: votesAdded(state.votes, n.answer.reviewers, n.answer.added), suggested: state.suggested }), ...(n.added && { refresh: true }) });
    },
    { signal },
  );

  const choose = (choice: Choice) => {
    if (!creating) return void add(choice, page.pullRequestId!);
    if (!branches) return say('Choose the source and target branches first.', 'adoc-bad');
    pending = queueChoice(pending, { repo: repoKey, ...branches }, choice, Date.now());
    set({ queue: queued() });
  };
  const loading = { kind: 'loading', text: 'Loading…' } as const;
  const c: Ctx = {
    project: repo.project,
    organization: page.organization,
    entry: !!trigger,
    reviewing,
    signal,
    choose,
    again: {
      votes: () => (set({ votes: { ...loading, drawnBy: state.votes.drawnBy } }), void votesNow()),
      suggested: () => (set({ suggested: loading }), void suggestedNow()),
      groups: () => (set({ groups: loading }), void groupsNow()),
    },
    unqueue: (id) => {
      const others = (people: Queued[]) => people.filter((p) => p.id !== id);
      if (!creating) leave(others(left()));
      else if (pending) pending = { ...pending, people: others(pending.people) };
      changed('queue');
    },
    addAgain: (people) => void addAgain(people),
    reload: () => reloadKeepingScroll(anchor),
  };

  const search = h('div', { class: 'adoc-col' }, peopleSearch(choose, signal));
  const card = h(
    'section',
    { class: 'adoc-card', 'aria-label': 'Reviewer helpers' },
    h('div', { class: 'adoc-row' }, icon('people'), h('h2', { class: 'adoc-title adoc-grow' }, 'Reviewer helpers')),
    status,
    waits.line,
    parts.refresh,
    !creating && parts.votes,
    sub('Suggested'),
    parts.suggested,
    sub('Your reviewer groups'),
    parts.groups,
    sub('Add anyone'),
    search,
    parts.queue,
  );
  set(state);

  let open: Popover | undefined;
  const openCard = () => {
    if (open || !trigger || signal.aborted) return;
    trigger.setAttribute('aria-expanded', 'true');
    open = openPopover({ trigger, owner: host, label: 'Reviewer helpers', signal, onClose: () => ((open = undefined), trigger.setAttribute('aria-expanded', 'false')) }, (body) => body.append(card));
  };
  if (trigger) onActivate(trigger, () => (open ? open.close() : openCard()), signal);
  else {
    shell?.replaceWith(card);
    restoreScroll(anchor);
  }

  /** Adds people now; answers the ids of those it could not add. */
  const add = oneAddEach(async (people: Person[], choice: Choice, pr: number): Promise<string[]> => {
    tell('Adding…', 'adoc-muted');
    try {
      const answer = await ask({ type: 'pullRequest.addReviewers', repo, pullRequestId: pr, reviewers: people.map((p) => ({ id: p.id, isRequired: choice.isRequired })) });
      for (const id of [...answer.added, ...answer.alreadyReviewing]) reviewing.add(id);
      reviewingNow(answer.reviewers);
      // Some may not have been added while the others were: those are said, and offered again where the card offers that.
      tell(addedText(choice, answer), answer.failed.length ? 'adoc-warn' : 'adoc-good', answer);
      return answer.failed.map((f) => f.id);
    } catch (e) {
      tell(problemText(e), 'adoc-bad');
      return people.map((p) => p.id);
    }
  });

  /**
   * The choices made on the create page, added now; those that failed stay offered (`notAdded`),
   * not dropped, also when a click that was adding them meanwhile failed or this card went away.
   */
  async function addAgain(people: Queued[]): Promise<void> {
    leave(notAddedWith(left(), people));
    const failed = await addQueued(people, (choice) => add(choice, page.pullRequestId!));
    leave(notAddedAfter(left(), people, failed));
    changed('queue');
  }

  /** Those who review the pull request now (a read, or an addition's answer) are no longer offered as not added. */
  function reviewingNow(reviewers: Reviewers): void {
    const people = notReviewing(left(), reviewers);
    if (people.length === left().length) return;
    leave(people);
    changed('queue');
  }

  /** A list asked once per pull request (`cache`); a failure is not kept, so Try again asks again. */
  const listed = <K extends keyof Lists>(key: K, load: () => NonNullable<Lists[K]>): NonNullable<Lists[K]> => {
    const asked = (lists[key] ??= load()) as NonNullable<Lists[K]>;
    (asked as Promise<unknown>).catch(() => lists[key] === asked && delete lists[key]);
    return asked;
  };

  async function votesNow(): Promise<void> {
    const asked = state.votes.drawnBy;
    const read = await outcome(waits.ask({ type: 'pullRequest.reviewers', repo, pullRequestId: page.pullRequestId! }));
    if (signal.aborted) return;
    set({ votes: votesRead(state.votes, asked, read) });
    if (read.kind === 'shown') reviewingNow(read.value.reviewers);
    // Choices made while creating this pull request.
    const queue = pending;
    if (read.kind === 'shown' && queuedFor(queue, { repo: repoKey, source: read.value.sourceBranch, target: read.value.targetBranch }, Date.now())) {
      pending = undefined;
      await addAgain(queue.people);
    }
  }

  async function suggestedNow(): Promise<void> {
    const asked = listed('suggestions', () =>
      (!creating ? waits.ask({ type: 'pullRequest.suggestReviewers', repo, pullRequestId: page.pullRequestId! })
      : branches ? waits.ask({ type: 'prs.suggestReviewers', repo, sourceBranch: branches.source, targetBranch: branches.target })
      : Promise.resolve({ suggestions: [] })).then((a) => a.suggestions),
    );
    set({ suggested: await outcome(asked) });
  }

  // Not knowing whether there is a profile (the extension was updated under the page, say) is said as such, not as having none.
  async function groupsNow(): Promise<void> {
    const context = await outcome(pageContext.get());
    if (signal.aborted) return;
    if (context.kind !== 'shown') return set({ groups: context });
    if (!context.value.profile) return set({ groups: { kind: 'noProfile' } });
    set({ groups: await outcome(listed('groups', () => waits.ask({ type: 'groups.list', project: repo.project }).then((a) => a.groups))) });
  }

  // Without a profile for this organization everything but the groups works through the page's own session.
  void groupsNow();
  void suggestedNow();
  if (!creating) void votesNow();
  return { open: openCard };
};
