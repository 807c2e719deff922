import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LocalClone } from '../shared/host-protocol';
import type { RepoSummary } from '../shared/messages';
import type { Profile } from '../shared/profile';
import { ErrorNote } from '../shared/ui/error-note';
import { Highlighted } from '../shared/ui/highlighted';
import { ProjectAvatar } from '../shared/ui/project-avatar';
import { relativeTime } from '../shared/ui/relative-time';
import { SkeletonRows } from '../shared/ui/skeleton';
import type { CloneTasks } from './clone-tasks';
import { openRepoPage } from './open';
import { RepoActions } from './repo-actions';
import { queryTokens, searchRepos } from './repo-search';
import type { ReposState } from './use-repos';

/** Rows drawn at most: enough to scroll through, few enough to draw at once. */
const MAX_ROWS = 100;

interface Row {
  repo: RepoSummary;
  namePositions: number[];
  projectPositions: number[];
}

/**
 * The rows for a query. With none, the list's own first rows: it comes in the order the search
 * index would give (project, then name), so the popup draws them without building the index.
 */
function rowsFor(repos: ReposState, query: string): { rows: Row[]; total: number } {
  const items = repos.listing?.items ?? [];
  if (queryTokens(query).length === 0) {
    return { rows: items.slice(0, MAX_ROWS).map((repo) => ({ repo, namePositions: [], projectPositions: [] })), total: items.length };
  }
  const results = searchRepos(repos.index(), query, MAX_ROWS);
  return { rows: results.hits.map((hit) => ({ repo: hit.entry.repo, namePositions: hit.namePositions, projectPositions: hit.projectPositions })), total: results.total };
}

export function RepositoriesTab(props: {
  profile: Profile;
  repos: ReposState;
  cloned: Map<string, LocalClone>;
  clonesProblem: boolean;
  companionMissing: boolean;
  tasks: CloneTasks;
  onNewPullRequest: (repo: RepoSummary) => void;
}) {
  const { repos } = props;
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  const results = useMemo(() => rowsFor(repos, query), [repos.listing, repos.index, query]);
  const selected = results.rows[Math.min(active, results.rows.length - 1)]?.repo;

  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active, results]);

  const move = (delta: number) => setActive((a) => Math.max(0, Math.min(results.rows.length - 1, a + delta)));
  const onKeyDown = (e: KeyboardEvent) => {
    const steps: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 8, PageUp: -8 };
    if (e.key in steps) {
      e.preventDefault();
      move(steps[e.key]!);
    } else if (e.key === 'Enter' && selected) {
      e.preventDefault();
      openRepoPage(props.profile, selected);
    } else if (e.key === 'Escape' && query) {
      e.preventDefault();
      setQuery('');
    }
  };

  const count = repos.listing?.items.length ?? 0;
  return (
    <div class="repos-tab">
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
        onInput={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <p class="status small muted" aria-live="polite">
        {statusLine(repos, results.total, query)}
        {repos.refreshError && (
          <>
            {' '}
            <span class="problem" title={repos.refreshError.message}>
              Could not refresh.
            </span>{' '}
            <button type="button" class="link small" onClick={repos.refresh}>
              Try again
            </button>
          </>
        )}
      </p>
      <div class="list-frame">
        {repos.error ? (
          <ErrorNote error={repos.error} title="Could not list repositories">
            <button type="button" onClick={repos.refresh}>
              Try again
            </button>
          </ErrorNote>
        ) : !repos.listing ? (
          <SkeletonRows count={7} label="Loading repositories" />
        ) : count === 0 ? (
          <div class="empty">
            <p>This organization has no repositories yet.</p>
            <p class="muted small">Create one in the “New repository” tab.</p>
          </div>
        ) : results.total === 0 ? (
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
            {results.rows.map((row, i) => {
              const r = row.repo;
              const isCloned = props.cloned.has(r.id) || props.tasks.tasks[r.id]?.state === 'done';
              return (
                <li
                  key={r.id}
                  id={`repo-${r.id}`}
                  role="option"
                  aria-selected={i === active}
                  data-repo={r.name}
                  onClick={() => setActive(i)}
                  onDblClick={() => openRepoPage(props.profile, r)}
                >
                  <ProjectAvatar name={r.project.name} />
                  <span class="main">
                    <span class="name" title={r.name}>
                      <Highlighted text={r.name} positions={row.namePositions} />
                    </span>
                    <span class="sub" title={r.project.name}>
                      <Highlighted text={r.project.name} positions={row.projectPositions} />
                    </span>
                  </span>
                  {isCloned && <span class="badge success">cloned</span>}
                  {r.isFork && <span class="badge">fork</span>}
                  {r.isDisabled && <span class="badge danger">disabled</span>}
                </li>
              );
            })}
          </ul>
        )}
      </div>
      <RepoActions
        profile={props.profile}
        repo={repos.listing && !repos.error ? selected : undefined}
        clone={selected ? props.cloned.get(selected.id) : undefined}
        clonesProblem={props.clonesProblem}
        companionMissing={props.companionMissing}
        tasks={props.tasks}
        onNewPullRequest={props.onNewPullRequest}
      />
    </div>
  );
}

function statusLine(repos: ReposState, total: number, query: string): string {
  if (!repos.listing) return repos.error ? '' : 'Loading repositories…';
  const count = repos.listing.items.length;
  const shown = query.trim() ? `${total.toLocaleString()} of ${count.toLocaleString()} match` : `${count.toLocaleString()} repositories`;
  const cut = total > MAX_ROWS ? ` (first ${MAX_ROWS} shown)` : '';
  const when = repos.refreshing ? ' · refreshing…' : ` · updated ${relativeTime(repos.listing.fetchedAt, Date.now())}`;
  return `${shown}${cut}${when}`;
}
