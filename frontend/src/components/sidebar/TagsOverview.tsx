import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTags } from './useTags';

/**
 * Every tag on the user's chats, most used first (3.11); choosing one filters the list.
 * Read when opened, so that it reflects the tags as they are now.
 */
export function TagsOverview({
  userId,
  selected,
  onPick,
}: {
  userId: string;
  selected: string | null;
  onPick: (tag: string | null) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const { tags, loading, error, reload } = useTags(userId, open);

  return (
    <details className="tags-overview" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{t('tags.overview')}</summary>
      {loading && tags === null && (
        <p className="sidebar-status" role="status">
          {t('tags.loading')}
        </p>
      )}
      {error && (
        <div className="sidebar-error" role="alert">
          <p>{t('tags.loadFailed', { reason: error })}</p>
          <button type="button" className="button button-small" onClick={reload}>
            {t('tags.retry')}
          </button>
        </div>
      )}
      {tags !== null && tags.length === 0 && <p className="sidebar-status">{t('tags.none')}</p>}
      {tags !== null && tags.length > 0 && (
        <ul className="tag-list" aria-label={t('tags.yours')}>
          {tags.map(({ tag, count }) => (
            <li key={tag}>
              <button
                type="button"
                className={`tag-chip${selected === tag ? ' is-selected' : ''}`}
                aria-pressed={selected === tag}
                onClick={() => onPick(selected === tag ? null : tag)}
              >
                {tag} <span className="tag-count">({count})</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
