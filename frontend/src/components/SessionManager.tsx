import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { createPortal } from 'react-dom';
import type { ImportResult, SessionSummary } from '../api';
import { Highlight } from '../highlight';
import { formatFull, formatRelative, groupByDate } from '../time';

/** What the list is narrowed to: words (`q`) and/or one tag. */
export interface SessionFilter {
  q: string;
  tag: string | null;
}

export interface SessionManagerProps {
  sessions: SessionSummary[];
  activeId: string | null;
  /** The first page or a further page is on its way. */
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  creating: boolean;
  createError: string | null;
  onSelect: (sessionId: string) => void;
  onNewChat: () => void;
  onLoadMore: () => void;
  onRetry: () => void;
  filter?: SessionFilter;
  onFilterChange?: (filter: SessionFilter) => void;
  searchRef?: RefObject<HTMLInputElement | null>;
  onRename?: (sessionId: string, title: string) => Promise<void>;
  onSetTags?: (sessionId: string, tags: string[]) => Promise<void>;
  onDelete?: (sessionId: string) => Promise<void>;
  onExport?: (sessionId: string, format: 'json' | 'markdown') => Promise<void>;
  onExportAll?: () => Promise<void>;
  onImport?: (file: File) => Promise<ImportResult>;
  /** Milliseconds the search waits after the last keystroke. */
  searchDelayMs?: number;
  id?: string;
  className?: string;
}

/** Load the next page when the list is scrolled to within this many pixels of its end. */
const NEAR_END_PX = 120;
const NO_FILTER: SessionFilter = { q: '', tag: null };
const noop = async () => undefined;

function useNow(intervalMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function problem(err: unknown): string {
  return err instanceof Error ? err.message : 'something went wrong';
}

function titleOf(session: SessionSummary): string {
  return session.title?.trim() || 'New chat';
}

export function SessionManager({
  sessions,
  activeId,
  loading,
  error,
  hasMore,
  creating,
  createError,
  onSelect,
  onNewChat,
  onLoadMore,
  onRetry,
  filter = NO_FILTER,
  onFilterChange,
  searchRef,
  onRename = noop,
  onSetTags = noop,
  onDelete = noop,
  onExport = noop,
  onExportAll,
  onImport,
  searchDelayMs = 300,
  id,
  className,
}: SessionManagerProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow();
  const [deleting, setDeleting] = useState<{ session: SessionSummary; returnTo: HTMLElement | null } | null>(
    null,
  );
  const filtering = filter.q.trim() !== '' || filter.tag !== null;

  const maybeLoadMore = useCallback(() => {
    const el = scrollRef.current;
    if (!el || !hasMore || loading || error) return;
    if (el.scrollTop + el.clientHeight >= el.scrollHeight - NEAR_END_PX) onLoadMore();
  }, [hasMore, loading, error, onLoadMore]);

  // Keep loading until the panel is full (a tall screen shows more than one page).
  // A hidden panel (clientHeight 0, e.g. collapsed on a phone) waits until it is shown.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || el.clientHeight === 0) return;
    maybeLoadMore();
  }, [sessions.length, maybeLoadMore]);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(() => {
      if (el.clientHeight > 0) maybeLoadMore();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [maybeLoadMore]);

  const firstLoad = loading && sessions.length === 0;
  const setTagFilter = (tag: string | null) => onFilterChange?.({ q: filter.q, tag });
  const groups = groupByDate(sessions, (s) => s.updated_at, now);

  let heading = 'Your chats';
  if (filter.q.trim()) heading = 'Search results';
  else if (filter.tag !== null) heading = 'Tagged chats';

  return (
    <nav id={id} className={`sidebar ${className ?? ''}`} aria-label="Chats">
      <div className="sidebar-top">
        <button
          type="button"
          className="button button-primary button-block new-chat"
          onClick={onNewChat}
          disabled={creating}
          aria-keyshortcuts="Control+Shift+O Meta+Shift+O"
          title="New chat (Ctrl+Shift+O)"
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
            <path d="M12 5v14M5 12h14" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
          </svg>
          {creating ? 'Starting…' : 'New chat'}
        </button>
        {createError && (
          <p className="sidebar-error" role="alert">
            Couldn’t start a new chat: {createError}
          </p>
        )}
        {onFilterChange && (
          <SearchBox
            filter={filter}
            onFilterChange={onFilterChange}
            inputRef={searchRef}
            delayMs={searchDelayMs}
          />
        )}
        {filter.tag !== null && (
          <p className="tag-filter">
            <span>Tagged</span>
            <span className="tag-chip is-selected">{filter.tag}</span>
            <button type="button" className="link-button" onClick={() => setTagFilter(null)}>
              Show all chats
            </button>
          </p>
        )}
      </div>
      <h2 className="sidebar-heading" id="chat-list-heading">
        {heading}
      </h2>
      <div className="session-scroll" ref={scrollRef} onScroll={maybeLoadMore}>
        {firstLoad && (
          <p className="sidebar-status" role="status">
            {filtering ? 'Searching…' : 'Loading your chats…'}
          </p>
        )}
        {!loading && sessions.length === 0 && !error && (
          <p className="sidebar-status" role={filtering ? 'status' : undefined}>
            {filter.q.trim()
              ? `No chats match “${filter.q.trim()}”.`
              : filtering
                ? 'No chats have this tag.'
                : 'No chats yet.'}
          </p>
        )}
        {groups.map((group) => (
          <DateGroup key={group.label} label={group.label}>
            {group.items.map((session) => (
              <SessionRow
                key={session.session_id}
                session={session}
                active={session.session_id === activeId}
                query={filter.q}
                tagFilter={filter.tag}
                now={now}
                onSelect={onSelect}
                onTagFilter={onFilterChange ? setTagFilter : undefined}
                onRename={onRename}
                onSetTags={onSetTags}
                onRequestDelete={(session, returnTo) => setDeleting({ session, returnTo })}
                onExport={onExport}
              />
            ))}
          </DateGroup>
        ))}
        {loading && sessions.length > 0 && (
          <p className="sidebar-status" role="status">
            {filtering ? 'Searching…' : 'Loading more chats…'}
          </p>
        )}
        {error && (
          <div className="sidebar-error" role="alert">
            <p>
              {filtering ? 'Couldn’t search your chats' : 'Couldn’t load your chats'}: {error}
            </p>
            <button type="button" className="button button-small" onClick={onRetry}>
              Retry
            </button>
          </div>
        )}
        {hasMore && !loading && !error && (
          <button type="button" className="link-button load-more" onClick={onLoadMore}>
            Show older chats
          </button>
        )}
      </div>
      {(onExportAll || onImport) && <Transfer onExportAll={onExportAll} onImport={onImport} />}
      {deleting && (
        <DeleteDialog
          session={deleting.session}
          returnTo={deleting.returnTo}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            await onDelete(deleting.session.session_id);
            setDeleting(null);
          }}
        />
      )}
    </nav>
  );
}

function DateGroup({ label, children }: { label: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="session-group" aria-labelledby={headingId}>
      <h3 className="session-group-heading" id={headingId}>
        {label}
      </h3>
      <ul className="session-list" aria-labelledby={headingId}>
        {children}
      </ul>
    </section>
  );
}

// ---- search -------------------------------------------------------------------------

function SearchBox({
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
  const [text, setText] = useState(filter.q);
  const latest = useRef(filter);
  latest.current = filter;
  const inputId = useId();

  // Debounced: ask the server once the typing pauses.
  useEffect(() => {
    if (text === latest.current.q) return undefined;
    const timer = window.setTimeout(() => onFilterChange({ q: text, tag: latest.current.tag }), delayMs);
    return () => window.clearTimeout(timer);
  }, [text, delayMs, onFilterChange]);

  function onKeyDown(event: ReactKeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Escape' && text !== '') {
      event.preventDefault();
      setText('');
      onFilterChange({ q: '', tag: latest.current.tag });
    } else if (event.key === 'Enter') {
      event.preventDefault();
      onFilterChange({ q: text, tag: latest.current.tag });
    }
  }

  return (
    <div className="search-box">
      <label htmlFor={inputId} className="visually-hidden">
        Search chats
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
        placeholder="Search chats"
        aria-keyshortcuts="Control+K Meta+K"
        title="Search chats (Ctrl+K)"
        autoComplete="off"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <kbd className="search-key" aria-hidden="true">
        Ctrl K
      </kbd>
    </div>
  );
}

// ---- one session in the list --------------------------------------------------------------

interface SessionRowProps {
  session: SessionSummary;
  active: boolean;
  query: string;
  tagFilter: string | null;
  now: Date;
  onSelect: (sessionId: string) => void;
  onTagFilter?: (tag: string | null) => void;
  onRename: (sessionId: string, title: string) => Promise<void>;
  onSetTags: (sessionId: string, tags: string[]) => Promise<void>;
  /** Ask to delete; focus goes back to `returnTo` if the user cancels. */
  onRequestDelete: (session: SessionSummary, returnTo: HTMLElement | null) => void;
  onExport: (sessionId: string, format: 'json' | 'markdown') => Promise<void>;
}

function SessionRow({
  session,
  active,
  query,
  tagFilter,
  now,
  onSelect,
  onTagFilter,
  onRename,
  onSetTags,
  onRequestDelete,
  onExport,
}: SessionRowProps) {
  const [mode, setMode] = useState<'view' | 'rename' | 'tags'>('view');
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
      setRowError(`Couldn’t ${what}: ${problem(err)}`);
    }
  };

  const menuItems: MenuItem[] = [
    { label: 'Rename', onSelect: () => setMode('rename') },
    { label: 'Edit tags', onSelect: () => setMode('tags') },
    {
      label: 'Export as JSON',
      onSelect: () => void act('export this chat', () => onExport(session.session_id, 'json')),
    },
    {
      label: 'Export as Markdown',
      onSelect: () => void act('export this chat', () => onExport(session.session_id, 'markdown')),
    },
    { label: 'Delete…', danger: true, onSelect: () => onRequestDelete(session, menuButtonRef.current) },
  ];

  return (
    <li className={`session-row${active ? ' is-active' : ''}`}>
      {mode === 'rename' ? (
        <RenameForm
          initial={session.title ?? ''}
          onCancel={() => {
            setMode('view');
            window.requestAnimationFrame(() => selectRef.current?.focus());
          }}
          onSave={async (value) => {
            setRowError(null);
            try {
              if (value.trim() !== (session.title ?? '').trim()) await onRename(session.session_id, value);
              setMode('view');
              window.requestAnimationFrame(() => selectRef.current?.focus());
            } catch (err) {
              setRowError(`Couldn’t rename: ${problem(err)}`);
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
              <Highlight text={title} query={query} />
            </span>
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
            aria-label="More options"
            aria-describedby={titleId}
            aria-haspopup="menu"
            aria-expanded={menuOpen}
            aria-controls={menuOpen ? menuId : undefined}
            title="Rename, tag, export or delete"
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
              label={`Options for ${title}`}
              items={menuItems}
              anchor={menuButtonRef}
              onClose={() => setMenuOpen(false)}
            />
          )}
        </div>
      )}
      {mode === 'tags' ? (
        <TagEditor
          title={title}
          tags={session.tags}
          onChange={(tags) => act('change the tags', () => onSetTags(session.session_id, tags))}
          onDone={() => {
            setMode('view');
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
                  aria-label={`Filter by tag: ${tag}`}
                  title={tagFilter === tag ? 'Show all chats' : `Show only chats tagged “${tag}”`}
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
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (title: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  const [saving, setSaving] = useState(false);
  const done = useRef(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
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
        Chat title
      </label>
      <input
        id={inputId}
        ref={inputRef}
        value={value}
        maxLength={200}
        placeholder="Title (empty: from the first message)"
        disabled={saving}
        onChange={(e) => setValue(e.target.value)}
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

function TagEditor({
  title,
  tags,
  onChange,
  onDone,
}: {
  title: string;
  tags: string[];
  onChange: (tags: string[]) => Promise<void>;
  onDone: () => void;
}) {
  const [value, setValue] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  async function add(event: FormEvent) {
    event.preventDefault();
    const tag = value.trim();
    if (!tag) return;
    setValue('');
    if (!tags.some((t) => t.toLowerCase() === tag.toLowerCase())) await onChange([...tags, tag]);
    inputRef.current?.focus();
  }

  return (
    <div
      className="tag-editor"
      role="group"
      aria-label={`Tags of ${title}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onDone();
        }
      }}
    >
      {tags.length > 0 && (
        <div className="session-tags">
          {tags.map((tag) => (
            <span key={tag} className="tag-chip">
              {tag}
              <button
                type="button"
                className="tag-remove"
                aria-label={`Remove tag ${tag}`}
                onClick={() => void onChange(tags.filter((t) => t !== tag))}
              >
                ×
              </button>
            </span>
          ))}
        </div>
      )}
      <form className="tag-form" onSubmit={(e) => void add(e)}>
        <label htmlFor={inputId} className="visually-hidden">
          Add a tag
        </label>
        <input
          id={inputId}
          ref={inputRef}
          value={value}
          maxLength={64}
          placeholder="Add a tag"
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="button button-small">
          Add
        </button>
        <button type="button" className="button button-small button-quiet" onClick={onDone}>
          Done
        </button>
      </form>
    </div>
  );
}

// ---- a small menu (WAI-ARIA menu button pattern) ---------------------------------------

interface MenuItem {
  label: string;
  onSelect: () => void;
  danger?: boolean;
}

function Menu({
  id,
  label,
  items,
  anchor,
  onClose,
}: {
  id: string;
  label: string;
  items: MenuItem[];
  anchor: RefObject<HTMLButtonElement | null>;
  onClose: () => void;
}) {
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    menuRef.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    function onPointerDown(event: MouseEvent) {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !anchor.current?.contains(target)) onClose();
    }
    document.addEventListener('mousedown', onPointerDown);
    return () => document.removeEventListener('mousedown', onPointerDown);
  }, [anchor, onClose]);

  function onKeyDown(event: ReactKeyboardEvent<HTMLDivElement>) {
    const buttons = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const focusAt = (i: number) => buttons[(i + buttons.length) % buttons.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        focusAt(index + 1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        focusAt(index - 1);
        break;
      case 'Home':
        event.preventDefault();
        focusAt(0);
        break;
      case 'End':
        event.preventDefault();
        focusAt(buttons.length - 1);
        break;
      case 'Escape':
        event.preventDefault();
        onClose();
        anchor.current?.focus();
        break;
      case 'Tab':
        onClose();
        break;
      default:
        break;
    }
  }

  return (
    <div id={id} ref={menuRef} className="row-menu" role="menu" aria-label={label} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={`row-menu-item${item.danger ? ' is-danger' : ''}`}
          onClick={() => {
            onClose();
            item.onSelect();
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}

// ---- delete confirmation ---------------------------------------------------------------

function DeleteDialog({
  session,
  returnTo,
  onCancel,
  onConfirm,
}: {
  session: SessionSummary;
  returnTo: HTMLElement | null;
  onCancel: () => void;
  onConfirm: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const textId = useId();

  useEffect(() => {
    cancelRef.current?.focus();
    return () => {
      // Back to the chat's menu button (gone if the chat was deleted).
      if (returnTo?.isConnected) returnTo.focus();
    };
  }, [returnTo]);

  function onKeyDown(event: ReactKeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      if (!busy) onCancel();
    } else if (event.key === 'Tab') {
      // Keep focus inside the dialog.
      const focusable = [...(dialogRef.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
      if (focusable.length === 0) return;
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  }

  const count = session.message_count;
  return createPortal(
    <div className="dialog-backdrop">
      <div
        ref={dialogRef}
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={headingId}
        aria-describedby={textId}
        onKeyDown={onKeyDown}
      >
        <h2 id={headingId}>Delete this chat?</h2>
        <p id={textId}>
          “{titleOf(session)}”
          {count > 0 ? ` and its ${count} message${count === 1 ? '' : 's'}` : ''} will be deleted
          for good. This can’t be undone.
        </p>
        {failure && (
          <p className="inline-error" role="alert">
            Couldn’t delete it: {failure}
          </p>
        )}
        <div className="dialog-actions">
          <button ref={cancelRef} type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              setFailure(null);
              try {
                await onConfirm();
              } catch (err) {
                setFailure(problem(err));
                setBusy(false);
              }
            }}
          >
            {busy ? 'Deleting…' : 'Delete'}
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}

// ---- export all / import ---------------------------------------------------------------

function Transfer({
  onExportAll,
  onImport,
}: {
  onExportAll?: () => Promise<void>;
  onImport?: (file: File) => Promise<ImportResult>;
}) {
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<'export' | 'import' | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  async function exportAll() {
    if (!onExportAll) return;
    setBusy('export');
    setStatus(null);
    setFailure(null);
    try {
      await onExportAll();
      setStatus('Your chats were exported.');
    } catch (err) {
      setFailure(`Couldn’t export your chats: ${problem(err)}`);
    } finally {
      setBusy(null);
    }
  }

  async function importFile(file: File) {
    if (!onImport) return;
    setBusy('import');
    setStatus(null);
    setFailure(null);
    try {
      const result = await onImport(file);
      setStatus(describeImport(result));
    } catch (err) {
      setFailure(`Couldn’t import ${file.name}: ${problem(err)}`);
    } finally {
      setBusy(null);
      if (fileRef.current) fileRef.current.value = '';
    }
  }

  return (
    <div className="sidebar-footer">
      <div className="transfer-buttons">
        {onExportAll && (
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => void exportAll()}
            disabled={busy !== null}
          >
            {busy === 'export' ? 'Exporting…' : 'Export all chats'}
          </button>
        )}
        {onImport && (
          <>
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => fileRef.current?.click()}
              disabled={busy !== null}
              title="A Cora export, or conversations.json from a ChatGPT data export"
            >
              {busy === 'import' ? 'Importing…' : 'Import chats…'}
            </button>
            <input
              ref={fileRef}
              type="file"
              accept=".json,application/json"
              className="visually-hidden"
              tabIndex={-1}
              aria-label="File to import"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void importFile(file);
              }}
            />
          </>
        )}
      </div>
      {status && (
        <p className="transfer-status" role="status">
          {status}
        </p>
      )}
      {failure && (
        <p className="sidebar-error" role="alert">
          {failure}
        </p>
      )}
    </div>
  );
}

export function describeImport({ imported, skipped }: ImportResult): string {
  const chats = (n: number) => `${n} chat${n === 1 ? '' : 's'}`;
  const parts = [`Imported ${chats(imported.length)}.`];
  if (skipped.length > 0) {
    parts.push(`Skipped ${chats(skipped.length)} already in your list.`);
  }
  return parts.join(' ');
}
