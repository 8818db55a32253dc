import { useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { shortcutLabel } from '../../platform';
import type { SessionFilter } from './filter';

export function SearchBox({
  filter,
  onFilterChange,
  inputRef,
  delayMs,
}: {
  filter: SessionFilter;
  onFilterChange: (filter: SessionFilter) => void;
  inputRef?: RefObject<HTMLInputElement | null>;
  delayMs: number;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(filter.q);
  const latest = useRef(filter);
  latest.current = filter;
  const inputId = useId();
  const [keyLabel] = useState(() => shortcutLabel('k'));

  // Debounced: ask the server once the typing pauses.
  useEffect(() => {
    if (text === latest.current.q) return undefined;
    const timer = window.setTimeout(() => onFilterChange({ ...latest.current, q: text }), delayMs);
    return () => window.clearTimeout(timer);
  }, [text, delayMs, onFilterChange]);

  function onKeyDown(event: ReactKeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Escape' && text !== '') {
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
        ref={inputRef}
        type="search"
        value={text}
        maxLength={200}
        placeholder={t('tags.search')}
        aria-keyshortcuts="Control+K Meta+K"
        title={keyLabel ? t('tags.searchWithKey', { key: keyLabel }) : undefined}
        autoComplete="off"
        onChange={(e) => setText(e.target.value)}
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
