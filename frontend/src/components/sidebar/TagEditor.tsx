import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

export function TagEditor({
  title,
  tags,
  onChange,
  onDone,
  draft,
  onDraft,
  autoFocus = true,
  onShown,
}: {
  title: string;
  tags: string[];
  onChange: (tags: string[]) => Promise<void>;
  onDone: () => void;
  /** The tag being typed, when kept by the caller (a virtual row may leave the page and come back). */
  draft?: string;
  onDraft?: (text: string) => void;
  /** Take focus when shown (just opened; not when scrolled back into view). */
  autoFocus?: boolean;
  onShown?: () => void;
}) {
  const { t } = useTranslation();
  const [ownDraft, setOwnDraft] = useState('');
  const value = draft ?? ownDraft;
  const setValue = onDraft ?? setOwnDraft;
  // The list as the user has made it: each change builds on the last one, not on the
  // server's answer to it, and saves go out one after the other (in order).
  const [current, setCurrent] = useState(tags);
  const saving = useRef<Promise<void>>(Promise.resolve());
  const inputRef = useRef<HTMLInputElement>(null);

  function save(next: string[]) {
    setCurrent(next);
    saving.current = saving.current.then(() => onChange(next)).catch(() => undefined);
    return saving.current;
  }
  const inputId = useId();

  const focusOnce = useRef(autoFocus);
  const shownRef = useRef(onShown);
  shownRef.current = onShown;
  useEffect(() => {
    if (!focusOnce.current) return;
    focusOnce.current = false;
    inputRef.current?.focus();
    shownRef.current?.();
  }, []);

  /** Add what was typed: one tag, or several separated by commas. */
  async function add(event: FormEvent) {
    event.preventDefault();
    const next = [...current];
    for (const tag of value.split(',').map((part) => part.trim())) {
      if (tag && !next.some((old) => old.toLowerCase() === tag.toLowerCase())) next.push(tag);
    }
    if (!value.trim()) return;
    setValue('');
    inputRef.current?.focus();
    if (next.length > current.length) await save(next);
  }

  return (
    <div
      className="tag-editor"
      role="group"
      aria-label={t('tags.of', { title })}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onDone();
        }
      }}
    >
      {current.length > 0 && (
        <div className="session-tags">
          {current.map((tag) => (
            <span key={tag} className="tag-chip">
              {tag}
              <button
                type="button"
                className="tag-remove"
                aria-label={t('tags.remove', { tag })}
                onClick={() => void save(current.filter((other) => other !== tag))}
              >
                ×
              </button>
            </span>
          ))}
        </div>
      )}
      <form className="tag-form" onSubmit={(e) => void add(e)}>
        <label htmlFor={inputId} className="visually-hidden">
          {t('tags.add')}
        </label>
        <input
          id={inputId}
          ref={inputRef}
          value={value}
          maxLength={64}
          placeholder={t('tags.add')}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="button button-small">
          {t('tags.addButton')}
        </button>
        <button type="button" className="button button-small button-quiet" onClick={onDone}>
          {t('tags.done')}
        </button>
      </form>
    </div>
  );
}
