import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionSummary } from '../../api';
import { describeError } from '../../errors';
import { Highlight } from '../../highlight';
import { i18n } from '../../i18n';
import type { RowEdit, RowEdits } from '../../hooks/useRowEdits';
import { formatFull, formatRelative } from '../../time';
import { Menu, type MenuItem } from '../ui/Menu';
import { TagEditor } from './TagEditor';
import type { RowItemProps } from './VirtualSessionList';

export function titleOf(session: SessionSummary): string {
  return session.title?.trim() || i18n.t('sidebar.newChat');
}

export interface SessionRowProps {
  session: SessionSummary;
  active: boolean;
  query: string;
  tagFilter: string | null;
  now: Date;
  onSelect: (sessionId: string) => void;
  onTagFilter?: (tag: string | null) => void;
  onRename: (sessionId: string, title: string) => Promise<void>;
  onSetTags: (sessionId: string, tags: string[]) => Promise<void>;
  onDelete: (sessionId: string) => void;
  onSetPinned: (sessionId: string, pinned: boolean) => Promise<void>;
  onSetArchived: (sessionId: string, archived: boolean) => Promise<void>;
  /** A reply is being written in this chat. */
  streaming: boolean;
  onExport: (sessionId: string, format: 'json' | 'markdown') => Promise<void>;
  /** Its place in a virtual list (position, measuring, aria-setsize and aria-posinset). */
  itemProps?: RowItemProps;
  /** Its rename or tag edit, kept by the list (the row may leave the page while it is open). */
  edit: RowEdit | undefined;
  edits: RowEdits;
}

export function SessionRow({
  session,
  active,
  query,
  tagFilter,
  now,
  onSelect,
  onTagFilter,
  onRename,
  onSetTags,
  onDelete,
  onSetPinned,
  onSetArchived,
  streaming,
  onExport,
  itemProps,
  edit,
  edits,
}: SessionRowProps) {
  const { t } = useTranslation();
  const id = session.session_id;
  const [menuOpen, setMenuOpen] = useState(false);
  const [rowError, setRowError] = useState<string | null>(null);
  const selectRef = useRef<HTMLButtonElement>(null);
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const menuId = useId();
  const title = titleOf(session);

  const act = async (what: string, action: () => Promise<void>) => {
    setRowError(null);
    try {
      await action();
    } catch (err) {
      setRowError(t('row.failed', { action: what, reason: describeError(err) }));
    }
  };

  const menuItems: MenuItem[] = [
    { label: t('row.rename'), onSelect: () => edits.open(id, 'rename', session.title ?? '') },
    { label: t('row.editTags'), onSelect: () => edits.open(id, 'tags', '') },
    {
      label: t('row.exportJson'),
      onSelect: () => void act(t('row.doExport'), () => onExport(session.session_id, 'json')),
    },
    {
      label: t('row.exportMarkdown'),
      onSelect: () => void act(t('row.doExport'), () => onExport(session.session_id, 'markdown')),
    },
    session.pinned
      ? { label: t('row.unpin'), onSelect: () => void act(t('row.doUnpin'), () => onSetPinned(session.session_id, false)) }
      : { label: t('row.pin'), onSelect: () => void act(t('row.doPin'), () => onSetPinned(session.session_id, true)) },
    session.archived
      ? {
          label: t('row.restore'),
          onSelect: () => void act(t('row.doRestore'), () => onSetArchived(session.session_id, false)),
        }
      : { label: t('row.archive'), onSelect: () => void act(t('row.doArchive'), () => onSetArchived(session.session_id, true)) },
    { label: t('row.delete'), danger: true, onSelect: () => onDelete(session.session_id) },
  ];

  return (
    <li {...itemProps} className={`session-row${active ? ' is-active' : ''}`}>
      {edit?.mode === 'rename' ? (
        <RenameForm
          value={edit.text}
          onType={(text) => edits.type(id, text)}
          autoFocus={edit.fresh}
          onShown={() => edits.shown(id)}
          onCancel={() => {
            edits.close(id);
            window.requestAnimationFrame(() => selectRef.current?.focus());
          }}
          onSave={async (value) => {
            setRowError(null);
            try {
              if (value.trim() !== (session.title ?? '').trim()) await onRename(session.session_id, value);
              edits.close(id);
              window.requestAnimationFrame(() => selectRef.current?.focus());
            } catch (err) {
              setRowError(t('row.renameFailed', { reason: describeError(err) }));
            }
          }}
        />
      ) : (
        <div className="session-line">
          <button
            ref={selectRef}
            type="button"
            className={`session-item${active ? ' is-active' : ''}`}
            aria-current={active ? 'page' : undefined}
            onClick={() => onSelect(session.session_id)}
          >
            <span className="session-title" id={titleId}>
              {session.pinned && <span className="visually-hidden">{t('row.pinnedPrefix')}</span>}
              <Highlight text={title} query={query} />
            </span>
            {streaming && (
              <span className="session-streaming">
                <span className="streaming-dot" aria-hidden="true" />
                {t('row.replying')}
              </span>
            )}
            {session.match && (
              <span className="session-match">
                <Highlight text={session.match} query={query} />
              </span>
            )}
            <time
              className="session-time"
              dateTime={session.updated_at}
              title={formatFull(session.updated_at)}
            >
              {formatRelative(session.updated_at, now)}
            </time>
          </button>
          <button
            ref={menuButtonRef}
            type="button"
            className="icon-button row-menu-button"
            aria-label={t('row.moreOptions')}
            aria-describedby={titleId}
            aria-haspopup="menu"
            aria-expanded={menuOpen}
            aria-controls={menuOpen ? menuId : undefined}
            title={t('row.moreOptionsTitle')}
            onClick={() => setMenuOpen((open) => !open)}
          >
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
              <circle cx="5" cy="12" r="1.8" fill="currentColor" />
              <circle cx="12" cy="12" r="1.8" fill="currentColor" />
              <circle cx="19" cy="12" r="1.8" fill="currentColor" />
            </svg>
          </button>
          {menuOpen && (
            <Menu
              id={menuId}
              label={t('row.optionsFor', { title })}
              items={menuItems}
              anchor={menuButtonRef}
              onClose={() => setMenuOpen(false)}
            />
          )}
        </div>
      )}
      {edit?.mode === 'tags' ? (
        <TagEditor
          title={title}
          tags={session.tags}
          onChange={(tags) => act(t('row.doTags'), () => onSetTags(session.session_id, tags))}
          draft={edit.text}
          onDraft={(text) => edits.type(id, text)}
          autoFocus={edit.fresh}
          onShown={() => edits.shown(id)}
          onDone={() => {
            edits.close(id);
            window.requestAnimationFrame(() => menuButtonRef.current?.focus());
          }}
        />
      ) : (
        session.tags.length > 0 && (
          <div className="session-tags">
            {session.tags.map((tag) =>
              onTagFilter ? (
                <button
                  key={tag}
                  type="button"
                  className={`tag-chip${tagFilter === tag ? ' is-selected' : ''}`}
                  aria-pressed={tagFilter === tag}
                  aria-label={t('row.filterByTag', { tag })}
                  title={tagFilter === tag ? t('row.showAll') : t('row.showTagged', { tag })}
                  onClick={() => onTagFilter(tagFilter === tag ? null : tag)}
                >
                  <Highlight text={tag} query={query} />
                </button>
              ) : (
                <span key={tag} className="tag-chip">
                  {tag}
                </span>
              ),
            )}
          </div>
        )
      )}
      {rowError && (
        <p className="sidebar-error row-error" role="alert">
          {rowError}
        </p>
      )}
    </li>
  );
}

function RenameForm({
  value,
  onType,
  autoFocus,
  onShown,
  onSave,
  onCancel,
}: {
  /** The title typed so far (kept by the list, with the row's other edits). */
  value: string;
  onType: (title: string) => void;
  /** Just opened: take focus and select the title (not when scrolled back into view). */
  autoFocus: boolean;
  onShown: () => void;
  onSave: (title: string) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [saving, setSaving] = useState(false);
  const done = useRef(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const focusOnce = useRef(autoFocus);
  const shownRef = useRef(onShown);
  shownRef.current = onShown;

  useEffect(() => {
    if (!focusOnce.current) return;
    focusOnce.current = false;
    inputRef.current?.focus();
    inputRef.current?.select();
    shownRef.current();
  }, []);

  async function save(event?: FormEvent) {
    event?.preventDefault();
    if (done.current || saving) return;
    setSaving(true);
    await onSave(value);
    setSaving(false);
  }

  return (
    <form className="rename-form" onSubmit={(e) => void save(e)}>
      <label htmlFor={inputId} className="visually-hidden">
        {t('row.chatTitle')}
      </label>
      <input
        id={inputId}
        ref={inputRef}
        value={value}
        maxLength={200}
        placeholder={t('row.titlePlaceholder')}
        disabled={saving}
        onChange={(e) => onType(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            done.current = true;
            onCancel();
          }
        }}
        onBlur={() => void save()}
      />
    </form>
  );
}
