import { useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { firstResult } from '../../hooks/useResultsKeyboard';
import { shortcutLabel } from '../../platform';
import type { SessionFilter } from './filter';

export function SearchBox({
  filter,
  onFilterChange,
  inputRef,
  delayMs,
  settled = true,
}: {
  filter: SessionFilter;
  onFilterChange: (filter: SessionFilter) => void;
  inputRef?: RefObject<HTMLInputElement | null>;
  delayMs: number;
  /** What the list shows answers `filter` (its results are in, none on their way). */
  settled?: boolean;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(filter.q);
  const latest = useRef(filter);
  latest.current = filter;
  const inputId = useId();
  const [keyLabel] = useState(() => shortcutLabel('k'));
  const ownRef = useRef<HTMLInputElement | null>(null);
  const attach = (el: HTMLInputElement | null) => {
    ownRef.current = el;
    if (inputRef) inputRef.current = el;
  };
  // ↓ pressed before the results of what is typed are shown: the search is sent at once
  // (not after the pause), and focus moves into its results when they are in.
  const [intoResults, setIntoResults] = useState(false);
  const waiting = text !== filter.q || !settled;

  useEffect(() => {
    if (!intoResults || waiting) return;
    setIntoResults(false);
    const input = ownRef.current;
    if (input && document.activeElement === input) firstResult(input)?.focus();
  }, [intoResults, waiting]);

  // Debounced: ask the server once the typing pauses.
  useEffect(() => {
    if (text === latest.current.q) return undefined;
    const timer = window.setTimeout(() => onFilterChange({ ...latest.current, q: text }), delayMs);
    return () => window.clearTimeout(timer);
  }, [text, delayMs, onFilterChange]);

  function onKeyDown(event: ReactKeyboardEvent<HTMLInputElement>) {
    const plain = !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey;
    if (event.key === 'ArrowDown' && plain && waiting) {
      // Not the list shown now (the last search's, or the whole list): the one for the text.
      event.preventDefault();
      onFilterChange({ ...latest.current, q: text });
      setIntoResults(true);
    } else if (event.key === 'Escape' && text !== '') {
      event.preventDefault();
      setText('');
      onFilterChange({ ...latest.current, q: '' });
    } else if (event.key === 'Enter') {
      event.preventDefault();
      onFilterChange({ ...latest.current, q: text });
    }
  }

  return (
    <div className="search-box">
      <label htmlFor={inputId} className="visually-hidden">
        {t('tags.search')}
      </label>
      <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
        <circle cx="11" cy="11" r="6.5" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="m16 16 4.5 4.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <input
        id={inputId}
        ref={attach}
        type="search"
        value={text}
        maxLength={200}
        placeholder={t('tags.search')}
        aria-keyshortcuts="Control+K Meta+K"
        title={keyLabel ? t('tags.searchWithKey', { key: keyLabel }) : undefined}
        autoComplete="off"
        onChange={(e) => {
          setText(e.target.value);
          setIntoResults(false);
        }}
        onKeyDown={onKeyDown}
      />
      {keyLabel && (
        <kbd className="search-key" aria-hidden="true">
          {keyLabel}
        </kbd>
      )}
    </div>
  );
}
