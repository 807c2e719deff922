import { useMemo, useState } from 'preact/hooks';
import type { RepoSummary } from '../shared/messages';
import { Highlighted } from '../shared/ui/highlighted';
import { ProjectAvatar } from '../shared/ui/project-avatar';
import { searchRepos, type RepoEntry } from './repo-search';

/**
 * Picks one repository by fuzzy search (a combobox: type, arrow keys, Enter). The field shows the
 * chosen repository's name as its value; words typed into it search until one is chosen again.
 */
export function RepoPicker(props: { id: string; index: RepoEntry[]; value?: RepoSummary | undefined; onChange: (repo: RepoSummary) => void; loading: boolean; problemId?: string | undefined }) {
  // null: nothing typed since the last choice, so the field shows the chosen repository.
  const [typed, setTyped] = useState<string | null>(null);
  const query = typed ?? '';
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const results = useMemo(() => searchRepos(props.index, query, 8), [props.index, query]);
  const listId = `${props.id}-results`;

  const choose = (repo: RepoSummary) => {
    props.onChange(repo);
    setTyped(null);
    setOpen(false);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, results.hits.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter' && open) {
      e.preventDefault();
      const hit = results.hits[active];
      if (hit) choose(hit.entry.repo);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      if (props.value) setTyped(null);
    }
  };
  const shown = open && results.hits.length > 0;
  // Enter on words that find nothing would choose nothing without a word: say why instead.
  const none = open && query.trim() !== '' && results.hits.length === 0 && (props.loading || props.index.length > 0);
  return (
    <div class="picker">
      <input
        id={props.id}
        type="text"
        role="combobox"
        autocomplete="off"
        spellcheck={false}
        aria-expanded={shown}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={shown ? `${listId}-${active}` : undefined}
        aria-invalid={props.problemId ? true : undefined}
        aria-describedby={props.problemId}
        placeholder={props.loading ? 'Loading repositories…' : 'Type to find a repository'}
        value={typed ?? props.value?.name ?? ''}
        onInput={(e) => {
          setTyped(e.currentTarget.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(query !== '')}
        onBlur={() => {
          setOpen(false);
          // Words left unchosen would read as the repository the pull request goes to.
          if (props.value) setTyped(null);
        }}
        onKeyDown={onKeyDown}
      />
      {shown && (
        <ul class="list results" id={listId} role="listbox" aria-label="Repositories">
          {results.hits.map((hit, i) => (
            <li
              key={hit.entry.repo.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(hit.entry.repo)}
            >
              <ProjectAvatar name={hit.entry.repo.project.name} />
              <span class="main">
                <span class="name">
                  <Highlighted text={hit.entry.repo.name} positions={hit.namePositions} />
                </span>
                <span class="sub">
                  <Highlighted text={hit.entry.repo.project.name} positions={hit.projectPositions} />
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
      {none && (
        <p class="muted small" role="status">
          {props.loading ? 'The repositories are still loading: the matches appear as they arrive.' : `No repository matches “${query.trim()}”.`}
        </p>
      )}
    </div>
  );
}
