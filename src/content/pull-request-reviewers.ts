import { ask } from './ask';
import type { AdoPage } from '../shared/ado/urls';
import type { Person, RepoKey, ReviewerGroup, ReviewerSuggestions } from '../shared/messages';
import { CREATE_BRANCH_LABELS } from './anchors';
import type { Attach } from './feature';
import { repoKeyOf } from './repo-on-page';
import { REVIEWERS_SCROLL } from '../shared/storage-keys';
import { groupButtons, peopleSearch, suggestionList, voteSummary, type Choice } from './reviewer-parts';
import { pageContext, problemOf, problemText } from './session';
import { fill, h, icon, onActivate } from './ui/dom';
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
 * and `pending` and `note` expire.
 */
/** Choices made on the create page, added once the pull request exists (the page navigates to it in-app). */
let pending: { repo: string; source: string; target: string; at: number; people: (Person & { isRequired: boolean })[] } | undefined;
/**
 * What the last addition said, shown again after the page re-rendered its Reviewers section (and
 * us with it), and whether someone was added, so the new card offers the same refresh.
 */
let note: { pr: string; text: string; at: number; added: boolean } | undefined;
/** Suggestions and groups per pull request: they do not change while the page lives. */
type Lists = { suggestions?: Promise<ReviewerSuggestions>; groups?: Promise<ReviewerGroup[]> };
const cache = new Map<string, Lists>();
/**
 * Who the card added to each pull request: no longer suggestions, also in a list read before they
 * were added (still on its way then, or kept in `cache` for the next mount).
 */
const addedTo = new Map<string, Set<string>>();

const PENDING_MS = 10 * 60_000;
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

/**
 * Takes over what features.ts drew: the card's shell in the page (filled here), or the
 * "Reviewers…" button in the header or the dock (it opens the card).
 */
export const attach: Attach = ({ host, anchor, trigger, card: shell }, { signal, page }) => {
  const repo = repoKeyOf(page)!;
  const creating = page.page === 'pullRequestCreate';
  const prKey = `${repoId(page, repo)}|${page.pullRequestId ?? 'new'}`;
  const reviewing = addedTo.get(prKey) ?? new Set<string>();
  addedTo.set(prKey, reviewing);
  const status = h('div', { class: 'adoc-muted', role: 'status' });
  // A section loading again (its Try again) keeps the focus its button had (refill).
  const votes = h('div', { class: 'adoc-col', tabindex: -1 });
  const suggested = h('div', { class: 'adoc-col', tabindex: -1 }, h('p', { class: 'adoc-muted' }, 'Looking at who changed these files…'));
  const groups = h('div', { class: 'adoc-col', tabindex: -1 });
  const search = h('div', { class: 'adoc-col' });
  const queued = h('div', { class: 'adoc-col', tabindex: -1 });
  const refresh = h('div', { class: 'adoc-col' });
  const waits = waitLine(signal);
  const card = h(
    'section',
    { class: 'adoc-card', 'aria-label': 'Reviewer helpers' },
    h('div', { class: 'adoc-row' }, icon('people'), h('h2', { class: 'adoc-title adoc-grow' }, 'Reviewer helpers')),
    status,
    waits.line,
    refresh,
    creating ? false : votes,
    sub('Suggested'),
    suggested,
    sub('Your reviewer groups'),
    groups,
    sub('Add anyone'),
    search,
    queued,
  );

  const entry = !!trigger;
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

  const say = (text: string, tone = 'adoc-muted') => {
    status.className = tone;
    status.textContent = text;
  };
  if (note?.pr === prKey && Date.now() - note.at < NOTE_MS) {
    say(note.text, 'adoc-good');
    if (note.added) offerRefresh();
  }
  /** A section that could not load: why, the Options button that fixes it, and a small Try again that loads that section only. */
  const failedSection = (into: HTMLElement, e: unknown, again: () => void) => {
    const { message, next, helpUrl } = problemOf(e);
    refill(into, alertBox(message, helpLink(helpUrl), actions(!!next && optionsButton(...next, signal, { small: true }), button('Try again', () => (refill(into, h('p', { class: 'adoc-muted', role: 'status' }, 'Loading…')), again()), signal, { small: true }))));
  };

  function offerRefresh(): void {
    if (entry) return fill(refresh, h('p', { class: 'adoc-muted' }, 'Azure DevOps shows them in its own Reviewers list after the page reloads.'));
    fill(
      refresh,
      h('div', { class: 'adoc-row adoc-wrap' },
        h('span', { class: 'adoc-muted adoc-grow' }, "Azure DevOps updates its own Reviewers list when the page reloads."),
        button('Refresh the page', () => reloadKeepingScroll(anchor), signal, { small: true, ariaLabel: "Reload the page to update Azure DevOps' Reviewers list" }),
      ),
    );
  }

  function showQueue(): void {
    if (!creating || !pending?.people.length) return fill(queued);
    const list = pending.people.map((p, i) =>
      h('li', null, coin(p.displayName), h('span', { class: 'adoc-grow adoc-ellipsis', title: p.displayName }, p.displayName), p.isRequired ? h('span', { class: 'adoc-pill' }, 'Required') : false,
        button('Remove', () => {
          if (pending) pending.people = pending.people.filter((x) => x.id !== p.id);
          showQueue();
          // The clicked button is gone: the focus goes to the next person's Remove, else the previous one's, else the search.
          const left = [...queued.querySelectorAll<HTMLElement>('button')];
          (left[i] ?? left[i - 1] ?? search.querySelector<HTMLElement>('input'))?.focus();
        }, signal, { small: true, ariaLabel: `Do not add ${p.displayName}` })),
    );
    fill(queued, sub('Added when you create the pull request'), h('ul', { class: 'adoc-list' }, list));
  }

  /**
   * Additions that drew the votes: a read of them asked before one answers with the list as it was
   * then (without who was added, or their "added"), and is not drawn over it.
   */
  let votesDrawn = 0;

  /** People being added now, each to whether that worked: a second click (a double click, the group after one of its members) does not ask twice. */
  const adding = new Map<string, Promise<boolean>>();

  /**
   * Adds the choice's people; answers the ids of those it could not add. People another click is
   * adding are left to that click, which says how it went, and count by its outcome.
   */
  async function add(choice: Choice, pr: number): Promise<string[]> {
    const people = choice.people.filter((p) => !adding.has(p.id));
    const theirs = choice.people.filter((p) => adding.has(p.id)).map((p) => adding.get(p.id)!.then((ok) => (ok ? undefined : p.id)));
    const mine = people.length ? addNow(people, choice, pr) : Promise.resolve([]);
    for (const p of people) adding.set(p.id, mine.then((failed) => !failed.includes(p.id)));
    try {
      const failed = [...(await mine), ...(await Promise.all(theirs))];
      return failed.filter((id): id is string => id !== undefined);
    } finally {
      for (const p of people) adding.delete(p.id);
    }
  }

  async function addNow(people: Person[], choice: Choice, pr: number): Promise<string[]> {
    say('Adding…');
    try {
      const answer = await ask({ type: 'pullRequest.addReviewers', repo, pullRequestId: pr, reviewers: people.map((p) => ({ id: p.id, isRequired: choice.isRequired })) });
      const names = (ids: string[]) => choice.people.filter((p) => ids.includes(p.id)).map((p) => p.displayName).join(', ');
      const text = [
        answer.added.length ? `Added ${names(answer.added)} as ${choice.isRequired ? 'required' : 'optional'}.` : '',
        answer.alreadyReviewing.length ? `${names(answer.alreadyReviewing)} already review${answer.alreadyReviewing.length === 1 ? 's' : ''} this pull request.` : '',
      ].join(' ').trim();
      // Someone added earlier still wants the refresh, also when this click added nobody new.
      const added = answer.added.length > 0 || (note?.pr === prKey && note.added);
      note = { pr: prKey, text, at: Date.now(), added };
      say(text, 'adoc-good');
      fill(votes, voteSummary(answer.reviewers, new Set(answer.added)));
      votesDrawn++;
      if (added) offerRefresh();
      // Reviewers now: no longer suggestions. A row going with the focus hands it to the next one's Add, else the previous one's, else the search.
      for (const id of [...answer.added, ...answer.alreadyReviewing]) {
        reviewing.add(id);
        const row = suggested.querySelector(`[data-person="${CSS.escape(id)}"]`);
        if (!row) continue;
        const focused = row.contains((row.getRootNode() as ShadowRoot).activeElement);
        const near = row.nextElementSibling ?? row.previousElementSibling;
        row.remove();
        if (focused) (near?.querySelector<HTMLElement>('button') ?? search.querySelector<HTMLElement>('input'))?.focus();
      }
      return [];
    } catch (e) {
      say(problemText(e), 'adoc-bad');
      return people.map((p) => p.id);
    }
  }

  /**
   * The choices made on the create page, added now; those that failed stay offered, not dropped,
   * also when a click that was adding them meanwhile failed.
   */
  async function addQueued(people: (Person & { isRequired: boolean })[], pr: number): Promise<void> {
    const left: typeof people = [];
    for (const isRequired of [true, false]) {
      const some = people.filter((p) => p.isRequired === isRequired);
      const failed = some.length ? await add({ people: some, isRequired }, pr) : [];
      left.push(...some.filter((p) => failed.includes(p.id)));
    }
    if (signal.aborted) return;
    if (!left.length) return refill(queued);
    refill(
      queued,
      sub('Chosen before the pull request existed, not added yet'),
      h('ul', { class: 'adoc-list' }, left.map((p) => h('li', null, coin(p.displayName), h('span', { class: 'adoc-grow adoc-ellipsis', title: p.displayName }, p.displayName), p.isRequired ? h('span', { class: 'adoc-pill' }, 'Required') : false))),
      actions(button('Add them again', () => void addQueued(left, pr), signal, { primary: true })),
    );
  }

  void (async () => {
    // Without a profile for this organization everything but the groups works through the page's own session.
    const branches = creating ? createBranches(page) : undefined;
    const choose = (choice: Choice) => {
      if (!creating) return void add(choice, page.pullRequestId!);
      if (!branches) return say('Choose the source and target branches first.', 'adoc-bad');
      if (pending?.repo !== repoId(page, repo) || pending.source !== branches.source || pending.target !== branches.target) {
        pending = { repo: repoId(page, repo), ...branches, at: Date.now(), people: [] };
      }
      const known = new Set(pending.people.map((p) => p.id));
      pending.people.push(...choice.people.filter((p) => !known.has(p.id)).map((p) => ({ ...p, isRequired: choice.isRequired })));
      pending.at = Date.now();
      showQueue();
    };
    fill(search, peopleSearch(choose, signal));
    showQueue();

    const cached = cache.get(prKey) ?? {};
    cache.set(prKey, cached);
    /** Draws a section once its list arrives (asked once per pull request); a failure is not kept, and offers Try again. */
    const section = <K extends keyof Lists>(key: K, into: HTMLElement, load: () => NonNullable<Lists[K]>, draw: (v: Awaited<NonNullable<Lists[K]>>) => HTMLElement): Promise<void> => {
      const asked = (cached[key] ??= load()) as Promise<Awaited<NonNullable<Lists[K]>>>;
      return asked.then(
        (v) => void (!signal.aborted && refill(into, draw(v))),
        (e: unknown) => {
          if (cached[key] === asked) delete cached[key];
          if (!signal.aborted) failedSection(into, e, () => void section(key, into, load, draw));
        },
      );
    };
    const votesNow = async (): Promise<void> => {
      const drawn = votesDrawn;
      try {
        const summary = await waits.ask({ type: 'pullRequest.reviewers', repo, pullRequestId: page.pullRequestId! });
        if (signal.aborted) return;
        if (votesDrawn === drawn) refill(votes, voteSummary(summary.reviewers));
        // Choices made while creating this pull request.
        const queue = pending;
        if (queue?.repo === repoId(page, repo) && queue.source === summary.sourceBranch && queue.target === summary.targetBranch && Date.now() - queue.at < PENDING_MS) {
          pending = undefined;
          await addQueued(queue.people, summary.id);
        }
      } catch (e) {
        if (!signal.aborted && votesDrawn === drawn) failedSection(votes, e, () => void votesNow());
      }
    };
    // Reviewer groups are saved with a profile: without one there are none to offer. Not knowing
    // (the extension was updated under the page, say) is said as such, not as having none.
    const groupsNow = async (): Promise<void> => {
      let context;
      try {
        context = await pageContext.get();
      } catch (e) {
        if (!signal.aborted) failedSection(groups, e, () => void groupsNow());
        return;
      }
      if (signal.aborted) return;
      if (!context.profile) return void fill(groups, h('p', { class: 'adoc-muted' }, `Reviewer groups are saved with an account, and ${page.organization} has none in the extension.`), actions(optionsButton('Add an account', 'accounts', signal)));
      await section('groups', groups, () => waits.ask({ type: 'groups.list', project: repo.project }).then((a) => a.groups), (g) => groupButtons(g, repo.project, choose, signal));
    };
    await Promise.all([
      groupsNow(),
      section(
        'suggestions',
        suggested,
        () =>
          !creating ? waits.ask({ type: 'pullRequest.suggestReviewers', repo, pullRequestId: page.pullRequestId! })
          : branches ? waits.ask({ type: 'prs.suggestReviewers', repo, sourceBranch: branches.source, targetBranch: branches.target })
          : Promise.resolve({ suggestions: [], changedFiles: 0 }),
        (s) => suggestionList(s.suggestions.filter((p) => !reviewing.has(p.id)), choose, signal),
      ),
      !creating && votesNow(),
    ]);
  })();
  return { open: openCard };
};
