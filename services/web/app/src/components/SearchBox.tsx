import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { suggestProducts } from '../api/endpoints';
import type { Suggestion } from '../api/types';

/** Wait this long after the last keystroke before asking for suggestions. */
export const SUGGEST_DEBOUNCE_MS = 200;
/** Fewer letters than this suggest too much to be useful. */
export const SUGGEST_MIN_CHARS = 2;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

/** Where a search for what was typed goes: the results page (nothing typed: every product). */
export function searchPath(text: string): string {
  const q = text.trim();
  return q ? `/search?q=${encodeURIComponent(q)}` : '/products';
}

/**
 * The header's search box: a combobox (ARIA 1.2, list autocomplete) whose listbox holds the search
 * service's suggestions as you type. Arrow keys move through them, Enter opens the product chosen or,
 * with none chosen, the results page; Escape closes the list, and a second Escape clears the box.
 */
export function SearchBox({ testId, className = '', inputClassName = '', onDone, debounceMs = SUGGEST_DEBOUNCE_MS }: {
  testId: string;
  /** The pause after the last keystroke before suggestions are asked for. */
  debounceMs?: number;
  className?: string;
  inputClassName?: string;
  /** Called after the box navigated (the mobile menu closes). */
  onDone?: () => void;
}) {
  const navigate = useNavigate();
  const location = useLocation();
  const listId = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  // on the results page the box shows the search it made (back/forward, shared links)
  useEffect(() => {
    if (location.pathname === '/search') setText(new URLSearchParams(location.search).get('q') ?? '');
  }, [location.pathname, location.search]);

  const term = useDebounced(text.trim(), debounceMs);
  const enabled = term.length >= SUGGEST_MIN_CHARS;
  const suggestions = useQuery({
    queryKey: ['search', 'suggest', term],
    queryFn: ({ signal }) => suggestProducts(term, signal),
    enabled,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
  const options: Suggestion[] = enabled && text.trim().length >= SUGGEST_MIN_CHARS ? (suggestions.data ?? []) : [];
  const expanded = open && options.length > 0;
  const optionId = (i: number) => `${listId}-option-${i}`;

  // a new list of suggestions has no choice in it yet
  useEffect(() => setActive(-1), [suggestions.data]);

  const finish = (path: string) => {
    setOpen(false);
    setActive(-1);
    navigate(path);
    onDone?.();
  };
  const choose = (s: Suggestion) => {
    setText(s.name);
    finish(`/products/${encodeURIComponent(s.id)}`);
  };
  const submit = (e?: { preventDefault(): void }) => {
    e?.preventDefault();
    if (expanded && active >= 0 && active < options.length) choose(options[active]);
    else finish(searchPath(text));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!expanded) {
          setOpen(true);
          setActive(options.length > 0 ? 0 : -1);
        } else setActive((a) => (a + 1) % options.length);
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (!expanded) {
          setOpen(true);
          setActive(options.length > 0 ? options.length - 1 : -1);
        } else setActive((a) => (a <= 0 ? options.length - 1 : a - 1));
        break;
      case 'Enter':
        submit(e);
        break;
      case 'Escape':
        e.preventDefault();
        if (expanded) {
          setOpen(false);
          setActive(-1);
        } else setText('');
        break;
      case 'Tab':
        setOpen(false);
        break;
    }
  };

  return (
    <form onSubmit={submit} className={`relative ${className}`} role="search">
      <input
        type="search"
        role="combobox"
        aria-label="Search products"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        autoComplete="off"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        placeholder="Search products"
        data-testid={testId}
        className={`rounded-md border border-slate-300 px-3 text-sm ${inputClassName}`}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label="Suggestions"
        data-testid={`${testId}-suggestions`}
        // what the options shown were suggested for (the browser journey waits on it)
        data-term={suggestions.isPlaceholderData ? undefined : term}
        hidden={!expanded}
        className="absolute left-0 right-0 top-full z-30 mt-1 max-h-80 overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg"
      >
        {options.map((s, i) => (
          <li
            key={s.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            data-testid="suggestion"
            data-product-id={s.id}
            // keep the focus in the box (no blur before the click lands)
            onMouseDown={(e) => e.preventDefault()}
            onMouseEnter={() => setActive(i)}
            onClick={() => choose(s)}
            className={`cursor-pointer px-3 py-2 ${i === active ? 'bg-indigo-50 text-indigo-700' : 'text-slate-700'}`}
          >
            {s.name}
          </li>
        ))}
      </ul>
    </form>
  );
}
