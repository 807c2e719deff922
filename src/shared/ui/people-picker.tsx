import { focusAfter } from './focus';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ask } from '../ask';
import type { Person, ReplyError } from '../messages';
import { toReplyError } from './error-note';

/**
 * Finds people (and groups) of the organization as you type, like Azure DevOps' own picker:
 * arrow keys choose, Enter adds, Escape closes.
 */
export function PeoplePicker(props: {
  profileId: string;
  onPick: (person: Person) => void;
  /** Ids already chosen: not offered again. */
  exclude?: readonly string[];
  label: string;
  id: string;
  placeholder?: string;
}) {
  const [query, setQuery] = useState('');
  // With the words it answers: drawn (and picked from with Enter) only while they are still the
  // field's, not while new words are searched for.
  const [found, setFound] = useState<{ query: string; people: Person[]; error?: ReplyError }>();
  const [active, setActive] = useState(0);
  const asked = useRef(0);
  // Try again after a failed search: the same words, asked again.
  const [tries, setTries] = useState(0);
  const words = query.trim();
  const open = words.length >= 2;
  const answer = open && found?.query === words ? found : undefined;
  const exclude = new Set(props.exclude ?? []);
  const shown = (answer?.people ?? []).filter((p) => !exclude.has(p.id));

  useEffect(() => {
    if (words.length < 2) return;
    const mine = ++asked.current;
    // A short pause so typing a name asks once, not once per letter.
    const timer = setTimeout(() => {
      ask({ type: 'people.search', profileId: props.profileId, query: words })
        .then((a) => {
          if (mine !== asked.current) return;
          setFound({ query: words, people: a.people });
          setActive(0);
        })
        .catch((e: unknown) => {
          if (mine !== asked.current) return;
          setFound({ query: words, people: [], error: toReplyError(e) });
        });
    }, 250);
    return () => clearTimeout(timer);
  }, [words, props.profileId, tries]);

  const pick = (p: Person) => {
    props.onPick(p);
    setQuery('');
    setFound(undefined);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' && shown.length > 0) {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, shown.length - 1));
    } else if (e.key === 'ArrowUp' && shown.length > 0) {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter' && open) {
      e.preventDefault();
      const p = shown[active];
      if (p) pick(p);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation();
      setQuery('');
    }
  };
  const listId = `${props.id}-results`;
  return (
    <div class="picker">
      <label class="sr-only" for={props.id}>
        {props.label}
      </label>
      <input
        id={props.id}
        type="text"
        role="combobox"
        autocomplete="off"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && shown[active] ? `${listId}-${active}` : undefined}
        placeholder={props.placeholder ?? 'Search by name or e-mail'}
        value={query}
        onInput={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      {open && (
        <ul class="list results" id={listId} role="listbox" aria-label={props.label}>
          {!answer && <li class="muted">Searching…</li>}
          {answer?.error && (
            <li class="muted">
              {answer.error.message}{' '}
              <button
                type="button"
                class="small"
                onMouseDown={(e) => e.preventDefault()}
                // Its line goes while the same words are asked again: the focus goes back to them, where the people come.
                onClick={focusAfter(() => (setFound(undefined), setTries((n) => n + 1)), props.id)}
              >
                Try again
              </button>
            </li>
          )}
          {answer && !answer.error && shown.length === 0 && <li class="muted">Nobody found for “{words}”.</li>}
          {shown.map((p, i) => (
            <li
              key={p.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(p)}
            >
              <span class="main">
                <span class="name">
                  {p.displayName} {p.isGroup && <span class="badge">group</span>}
                </span>
                {p.mail && <span class="sub">{p.mail}</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
