import { Fragment } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LocalClone } from '../shared/host-protocol';
import type { CompanionStatus, ReplyError, RepoSummary } from '../shared/messages';
import type { Profile } from '../shared/profile';
import { focusAfter } from '../shared/ui/focus';
import { FailedNote, FixButton } from './fix-button';
import { Highlighted } from '../shared/ui/highlighted';
import { ProjectAvatar } from '../shared/ui/project-avatar';
import { relativeTime } from '../shared/ui/relative-time';
import { SkeletonRows } from '../shared/ui/skeleton';
import type { CloneTasks } from './clone-tasks';
import { openOptions, openRepoPage } from './open';
import { lazyComponent } from './lazy';
import { RepoActionsHint } from './repo-actions-hint';
import { queryTokens } from './query';
import { loadedSearch } from './search-loader';
import { SNAPSHOT_FORMAT, SNAPSHOT_ROWS, snapshotProfile, snapshotRepo, type Snapshot } from './snapshot';
import type { OrgRepos, ReposState } from './use-repos';
import { WaitSaid } from '../shared/ui/waiting';

// The first frame (from the snapshot) has no repository to act on: the actions' code (clone,
// progress, failures) loads right after it, in place of the hint it would draw anyway.
const RepoActions = lazyComponent(() => import('./repo-actions').then((m) => m.RepoActions), RepoActionsHint);

/** Rows drawn at most: enough to scroll through, few enough to draw at once. */
const MAX_ROWS = 100;

/** An organization the list covers: its profile once the profiles are known (a snapshot has only names). */
export interface ListedOrg {
  id: string;
  organization: string;
  profile?: Profile;
}

export interface Row {
  repo: RepoSummary;
  org: ListedOrg;
  namePositions: number[];
  projectPositions: number[];
}

/**
 * A first-frame row opened before the profiles are read: `queued` until they are, then opened, or
 * `unopened` when its profile was removed meanwhile. Its row has then left the list, so the popup
 * says why nothing opened rather than nothing at all.
 */
export type PendingOpen = { state: 'queued' | 'unopened'; row: Row } | undefined;
/** The pending open and its setter: the popup keeps it, as the list may be drawn afresh for another profile. */
export type Opening = [PendingOpen, (open: PendingOpen) => void];

/**
 * The rows for a query over these organizations' lists. With none, the lists' own first rows, one
 * organization after another: each comes in the order the search index would give (project, then
 * name), so the popup draws them without building an index.
 */
export function listRows(orgs: readonly { org: ListedOrg; repos: ReposState }[], query: string, limit = MAX_ROWS): { rows: Row[]; total: number; searching?: boolean } {
  const shown = orgs.filter((o) => o.repos.listing);
  if (queryTokens(query).length === 0) {
    const rows: Row[] = [];
    let total = 0;
    for (const { org, repos } of shown) {
      const items = repos.listing!.items;
      total += items.length;
      for (let i = 0; i < items.length && rows.length < limit; i++) rows.push({ repo: items[i]!, org, namePositions: [], projectPositions: [] });
    }
    return { rows, total };
  }
  // Typed before the search code arrived (a few milliseconds after the first frame): the results follow it.
  const search = loadedSearch();
  if (!search) return { rows: [], total: 0, searching: true };
  const results = search.searchLists(
    shown.map((o) => o.repos.index()),
    query,
    limit,
  );
  return {
    rows: results.hits.map((hit) => ({ repo: hit.entry.repo, org: shown[hit.list]!.org, namePositions: hit.namePositions, projectPositions: hit.projectPositions })),
    total: results.total,
  };
}

/**
 * What the next popup draws in its first frame: the first rows of these lists with nothing typed
 * and no filter, exactly as `listRows` gives them, and the status line's figures. Undefined while
 * no list is read.
 */
export function snapshotOf(profiles: readonly Profile[], activeId: string, orgs: readonly OrgRepos[]): Snapshot | undefined {
  const shown = orgs.filter((o) => o.repos.listing);
  if (shown.length === 0) return undefined;
  const { rows } = listRows(
    shown.map((o) => ({ org: { id: o.profile.id, organization: o.profile.organization }, repos: o.repos })),
    '',
    SNAPSHOT_ROWS,
  );
  return {
    format: SNAPSHOT_FORMAT,
    profiles: profiles.map(snapshotProfile),
    activeId,
    listed: shown.map((o) => ({ id: o.profile.id, total: o.repos.listing!.items.length })),
    rows: rows.map((r) => ({ list: shown.findIndex((o) => o.profile.id === r.org.id), repo: snapshotRepo(r.repo) })),
  };
}

/**
 * The snapshot's rows, as the live list will draw them, and what the status line counts of them. A
 * row names its organization by its place in the snapshot's lists, which is not its place among
 * the profiles once they are read (a list that failed last time was not in the snapshot): so by
 * id, and a removed profile's list goes, its rows and its count with it.
 */
export function snapshotList(snapshot: Pick<Snapshot, 'rows' | 'listed'>, orgs: readonly ListedOrg[], only: string): { rows: Row[]; total: number; organizations: number } {
  const lists = snapshot.listed.map((l) => ({ total: l.total, org: orgs.find((o) => o.id === l.id && (!only || o.id === only)) }));
  const kept = lists.filter((l) => l.org);
  return {
    rows: snapshot.rows.flatMap((r) => {
      const org = lists[r.list]?.org;
      return org ? [{ repo: r.repo, org, namePositions: [], projectPositions: [] }] : [];
    }),
    total: kept.reduce((n, l) => n + l.total, 0),
    organizations: kept.length,
  };
}

/**
 * The repositories of every listed organization, searched together, with a filter to one. Until
 * the lists are read it draws the snapshot of the last popup's first screen, which the lists then
 * replace row for row; the search field is the same element throughout, so what the user typed
 * and the focus stay.
 */
export function RepositoriesTab(props: {
  orgs: OrgRepos[];
  snapshot?: Snapshot | undefined;
  opening: Opening;
  /** What is typed into the search, and its setter: kept by the popup, across a switch of profile. */
  search: [string, (query: string) => void];
  /** The companion's clones matched to repositories; `problem`: it could not list them. */
  clones: { cloned: Map<string, LocalClone>; cloning: Map<string, LocalClone>; problem?: ReplyError | undefined };
  /** Reads the companion's clones again (one another program was making may be done). */
  onCheckClones: () => void;
  /** The companion's state when it is not ready. */
  companionNeeded: Exclude<CompanionStatus['state'], 'ready'> | undefined;
  tasks: CloneTasks;
  /** The active profile: the other tabs (a new pull request) work in its organization only. */
  activeId?: string | undefined;
  onNewPullRequest: (repo: RepoSummary) => void;
}) {
  const { snapshot } = props;
  const [query, setQuery] = props.search;
  const [picked, setOnly] = useState('');
  /**
   * The row picked with the arrow keys or a click, by its organization and repository: the list is
   * drawn afresh under it (the live lists replacing the snapshot, a refresh), in another order or
   * without it. None: the first row.
   */
  const [chosen, setChosen] = useState<string>();
  const list = useRef<HTMLUListElement>(null);
  // Live once every organization's list is read (or failed): until then the snapshot, if any, stands in.
  const live = props.orgs.length > 0 && props.orgs.every((o) => o.repos.listing || o.repos.error);
  const orgs: ListedOrg[] = useMemo(
    () =>
      props.orgs.length > 0 || !snapshot
        ? props.orgs.map((o) => ({ id: o.profile.id, organization: o.profile.organization, profile: o.profile }))
        : snapshot.listed.map(({ id }) => ({ id, organization: snapshot.profiles.find((p) => p.id === id)!.organization })),
    [props.orgs.map((o) => o.profile.id).join('\n'), snapshot],
  );
  // Picked in the first frame, an organization whose profile was removed since: filtered to it, the list
  // would show nothing, without even the filter to undo it (one organization left has none).
  const only = orgs.some((o) => o.id === picked) ? picked : '';
  const shownOrgs = useMemo(
    () => props.orgs.map((o, i) => ({ org: orgs[i]!, repos: o.repos })).filter((o) => !only || o.org.id === only),
    [props.orgs, orgs, only],
  );
  // The snapshot stands in for the lists it has. With none of those shown (their profiles removed,
  // or filtered to an organization it did not list) it would say "no repositories yet": the list loads.
  const fromLast = useMemo(() => {
    const last = !live && snapshot ? snapshotList(snapshot, orgs, only) : undefined;
    return last?.organizations ? last : undefined;
  }, [live, snapshot, orgs, only]);
  const fromSnapshot = fromLast !== undefined;
  const results = useMemo((): ReturnType<typeof listRows> => {
    if (!live) return fromLast && !queryTokens(query).length ? { rows: fromLast.rows, total: fromLast.total } : { rows: [], total: 0 };
    return listRows(shownOrgs, query);
  }, [live, shownOrgs, query, fromLast]);
  const at = chosen === undefined ? 0 : results.rows.findIndex((r) => rowIdentity(r) === chosen);
  // Gone from a list drawn afresh: the first row stands in, but Enter opens it only once it has been
  // drawn selected (effects run after the paint), not the row the user had in mind.
  const lost = at < 0 && results.rows.length > 0;
  useEffect(() => {
    if (lost) setChosen(undefined);
  }, [lost]);
  const selectedRow = results.rows[Math.max(at, 0)];
  const selected = selectedRow?.repo;
  // A first-frame row opened before the profiles are read: it opens once its profile is known.
  const [opening, setOpening] = props.opening;
  /** A row's repository page in Azure DevOps, through the row's own profile. */
  const open = (row: Row) => {
    setOpening(row.org.profile ? undefined : { state: 'queued', row });
    if (row.org.profile) openRepoPage(row.org.profile, row.repo);
  };
  useEffect(() => {
    if (opening?.state !== 'queued' || props.orgs.length === 0) return;
    // Its own profile, else the one its organization is listed through now (another profile of it became the active one).
    const { id, organization } = opening.row.org;
    const profile = (orgs.find((o) => o.id === id) ?? orgs.find((o) => o.organization.toLowerCase() === organization.toLowerCase()))?.profile;
    if (profile) openRepoPage(profile, opening.row.repo);
    setOpening(profile ? undefined : { state: 'unopened', row: opening.row });
  }, [orgs]);

  // New words or another organization start at the first row, in the same event: reset by an
  // effect, after the draw, it would undo an arrow key pressed right after typing.
  const search = (words: string) => (setQuery(words), setChosen(undefined));
  const filter = (id: string) => (setOnly(id), setChosen(undefined));
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selectedRow]);

  const pick = (row: Row | undefined) => row && setChosen(rowIdentity(row));
  const move = (delta: number) => pick(results.rows[Math.max(0, Math.min(results.rows.length - 1, Math.max(at, 0) + delta))]);
  const onKeyDown = (e: KeyboardEvent) => {
    const steps: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 8, PageUp: -8 };
    if (e.key in steps) {
      e.preventDefault();
      move(steps[e.key]!);
    } else if (e.key === 'Enter' && selectedRow) {
      e.preventDefault();
      if (!lost) open(selectedRow);
    } else if (e.key === 'Escape' && query) {
      e.preventDefault();
      search('');
    }
  };

  const shownLists = shownOrgs.filter((o) => o.repos.listing);
  const failed = shownOrgs.filter((o) => o.repos.error);
  // Not "0 repositories": none could be listed, as the note in the list says.
  const noneListed = live && shownLists.length === 0 && failed.length > 0;
  const count = fromLast ? fromLast.total : shownLists.reduce((n, o) => n + o.repos.listing!.items.length, 0);
  const many = orgs.length > 1;
  const status: Status = fromLast
    ? // Not when it was fetched: drawn before the app runs, "updated 2 minutes ago" would be as old as the snapshot.
      { count, fetchedAt: undefined, refreshing: false, organizations: fromLast.organizations }
    : {
        count,
        fetchedAt: shownLists.length ? Math.min(...shownLists.map((o) => o.repos.listing!.fetchedAt)) : undefined,
        refreshing: shownOrgs.some((o) => o.repos.refreshing),
        organizations: shownLists.length,
      };
  // Each organization's failure said on its own, with its own way on: one organization's refused
  // token is not another's, and the first alone would hide the rest.
  const problems = [
    ...(live && shownLists.length > 0 ? failed.map((o) => ({ verb: 'list', org: o.org, error: o.repos.error! })) : []),
    ...shownOrgs.flatMap((o) => (o.repos.refreshError ? [{ verb: 'refresh', org: o.org, error: o.repos.refreshError }] : [])),
  ];
  const waits = shownOrgs.flatMap((o) => (o.repos.wait ? [o.repos.wait] : []));
  const wait = waits[0];
  const retry = focusAfter(() => {
    for (const o of shownOrgs) if (o.repos.error || o.repos.refreshError) o.repos.refresh();
  }, 'repo-search');
  return (
    <div class="repos-tab" data-snapshot={fromSnapshot ? '' : undefined}>
      <div class={many ? 'search-row' : undefined}>
        <label class="sr-only" for="repo-search">
          Search repositories
        </label>
        <input
          id="repo-search"
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls="repo-list"
          aria-activedescendant={selected ? `repo-${selected.id}` : undefined}
          autocomplete="off"
          spellcheck={false}
          placeholder={count ? `Search ${count.toLocaleString()} repositories and projects` : 'Search repositories and projects'}
          value={query}
          // oxlint-disable-next-line jsx-a11y/no-autofocus -- the popup exists to search: typing starts at once
          autoFocus
          onInput={(e) => search(e.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        {many && (
          <select id="repo-org" class="org-filter" aria-label="Organization" value={only} onChange={(e) => filter(e.currentTarget.value)}>
            <option value="">All</option>
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.organization}
              </option>
            ))}
          </select>
        )}
      </div>
      <p class="status small muted" aria-live="polite">
        {results.searching
          ? 'Searching…'
          : noneListed
            ? ''
            : live || fromSnapshot
              ? // While a list waits, the wait is what is said of it, not when it was fetched.
                `${statusLine(wait ? { ...status, refreshing: false, fetchedAt: undefined } : status, results.total, query)}${wait ? ' · ' : ''}`
              : failed.length || wait
                ? ''
                : 'Loading repositories…'}
        {opening?.state === 'queued' && ` · opening ${opening.row.repo.name}…`}
        {opening?.state === 'unopened' && (
          <>
            {' '}
            <span class="problem">
              {opening.row.repo.name} did not open: the profile for {opening.row.org.organization} has been removed. To open its repositories here, connect the account again.
            </span>{' '}
            <button type="button" class="link small" onClick={() => openOptions('accounts')}>
              Connect an account
            </button>
          </>
        )}
        {wait && <WaitSaid wait={wait} home="repo-search" onStop={() => waits.forEach((w) => w.stop())} />}
        {problems.map((p) => (
          <Fragment key={`${p.verb}:${p.org.id}`}>
            {' '}
            <span class="problem">
              Could not {p.verb} {p.org.organization}: {p.error.message}
            </span>{' '}
            {/* A refused token is not fixed by trying again. */}
            <FixButton error={p.error} class="link small" about={problems.length > 1 ? p.org.organization : undefined} />
          </Fragment>
        ))}
        {problems.length > 0 && (
          <>
            {' '}
            <button type="button" class="link small" onClick={retry}>
              Try again
            </button>
          </>
        )}
      </p>
      <div class="list-frame">
        {noneListed ? (
          <FailedNote title="Could not list repositories" error={failed[0]!.repos.error!} onRetry={retry} />
        ) : !live && !fromSnapshot ? (
          <SkeletonRows count={7} label="Loading repositories" />
        ) : count === 0 && !query ? (
          <div class="empty">
            <p>{many && !only ? 'These organizations have no repositories yet.' : 'This organization has no repositories yet.'}</p>
            <p class="muted small">Create one in the “New repo” tab.</p>
          </div>
        ) : results.rows.length === 0 && live && !results.searching ? (
          <div class="empty">
            <p>No repository or project matches “{query}”.</p>
            <p class="muted small">Letters are matched in order, so “fabweb” finds “fabrikam-web”. Press Escape to clear.</p>
          </div>
        ) : (
          // Focusable itself (a scrolling region must be reachable by Tab), with the search field's keys.
          <ul
            class="list"
            id="repo-list"
            role="listbox"
            aria-label="Repositories"
            ref={list}
            tabIndex={0}
            aria-activedescendant={selected ? `repo-${selected.id}` : undefined}
            onKeyDown={onKeyDown}
          >
            {results.rows.map((row) => {
              const r = row.repo;
              const task = props.tasks.tasks[r.id];
              // A clone that runs is in the companion's list already (its folder has a .git): not cloned yet.
              const isCloned = task?.state !== 'running' && (props.clones.cloned.has(r.id) || task?.state === 'done');
              const elsewhere = !task && !isCloned && props.clones.cloning.has(r.id);
              return (
                <li
                  key={`${row.org.id}:${r.id}`}
                  id={`repo-${r.id}`}
                  role="option"
                  aria-selected={row === selectedRow}
                  data-repo={r.name}
                  data-org={row.org.organization}
                  onClick={() => pick(row)}
                  onDblClick={() => open(row)}
                >
                  <ProjectAvatar name={r.project.name} />
                  <span class="main">
                    <span class="name" title={r.name}>
                      <Highlighted text={r.name} positions={row.namePositions} />
                    </span>
                    <span class="sub" title={many ? `${r.project.name} · ${row.org.organization}` : r.project.name}>
                      <Highlighted text={r.project.name} positions={row.projectPositions} />
                      {many && <span class="org"> · {row.org.organization}</span>}
                    </span>
                  </span>
                  {isCloned && <span class="badge success">cloned</span>}
                  {task?.state === 'running' && <span class="badge">cloning {task.percent}%</span>}
                  {elsewhere && <span class="badge">being cloned</span>}
                  {task?.state === 'failed' && <span class="badge danger">clone failed</span>}
                  {r.isFork && <span class="badge">fork</span>}
                  {r.isDisabled && <span class="badge danger">disabled</span>}
                </li>
              );
            })}
          </ul>
        )}
      </div>
      <RepoActions
        profile={selectedRow?.org.profile}
        repo={live && selectedRow?.org.profile ? selected : undefined}
        clone={selected ? (props.clones.cloned.get(selected.id) ?? props.clones.cloning.get(selected.id)) : undefined}
        onCheckClones={props.onCheckClones}
        clonesProblem={props.clones.problem}
        companionNeeded={props.companionNeeded}
        tasks={props.tasks}
        onNewPullRequest={selectedRow?.org.id === props.activeId ? props.onNewPullRequest : undefined}
      />
    </div>
  );
}

/** A row's repository, whichever profile lists its organization. */
const rowIdentity = (row: Row) => `${row.org.organization}/${row.repo.id}`;

export interface Status {
  count: number;
  fetchedAt: number | undefined;
  refreshing: boolean;
  organizations: number;
}

export function statusLine(status: Status, total: number, query: string): string {
  const count = status.count.toLocaleString();
  const orgs = status.organizations > 1 ? ` in ${status.organizations} organizations` : '';
  const shown = query.trim()
    ? `${total.toLocaleString()} of ${count} ${total === 1 ? 'matches' : 'match'}`
    : `${count} ${status.count === 1 ? 'repository' : 'repositories'}${orgs}`;
  const cut = total > MAX_ROWS ? ` (first ${MAX_ROWS} shown)` : '';
  const when = status.refreshing ? ' · refreshing…' : status.fetchedAt === undefined ? '' : ` · updated ${relativeTime(status.fetchedAt, Date.now())}`;
  return `${shown}${cut}${when}`;
}
