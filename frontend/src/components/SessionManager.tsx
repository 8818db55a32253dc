import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportResult, SessionSummary } from '../api';
import { shortcutLabel } from '../platform';
import { useRowEdits } from '../hooks/useRowEdits';
import { groupByDate } from '../time';
import { NO_FILTER, isFiltering, type SessionFilter } from './sidebar/filter';
import { SearchBox } from './sidebar/SearchBox';
import { SessionRow } from './sidebar/SessionRow';
import { TagsOverview } from './sidebar/TagsOverview';
import { VirtualSessionList, type SessionGroup } from './sidebar/VirtualSessionList';
import { Transfer } from './sidebar/Transfer';

export type { SessionFilter } from './sidebar/filter';
export { describeImport } from './sidebar/Transfer';

export interface SessionManagerProps {
  sessions: SessionSummary[];
  activeId: string | null;
  /** The first page or a further page is on its way. */
  loading: boolean;
  /** What is listed answers `filter` (the keyboard waits for it before moving into results). */
  settled?: boolean;
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
  /** Delete (the caller offers Undo before anything is deleted). */
  onDelete?: (sessionId: string) => void;
  onSetPinned?: (sessionId: string, pinned: boolean) => Promise<void>;
  onSetArchived?: (sessionId: string, archived: boolean) => Promise<void>;
  /** Sessions whose reply is being written (marked in the list). */
  streamingIds?: ReadonlySet<string>;
  onExport?: (sessionId: string, format: 'json' | 'markdown') => Promise<void>;
  onExportAll?: () => Promise<void>;
  onImport?: (file: File) => Promise<ImportResult>;
  /** Milliseconds the search waits after the last keystroke. */
  searchDelayMs?: number;
  id?: string;
  className?: string;
  /** With it, a Tags overview (3.11) to filter the list by a tag. */
  userId?: string;
}

/** Load the next page when the list is scrolled to within this many pixels of its end. */
const NEAR_END_PX = 120;
const noop = async () => undefined;

function useNow(intervalMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** The Pinned group on top (not in the archive), then the rest by date. */
function groupSessions(sessions: SessionSummary[], archived: boolean, now: Date, pinnedLabel: string): SessionGroup[] {
  const pinned = archived ? [] : sessions.filter((s) => s.pinned);
  return [
    ...(pinned.length > 0 ? [{ label: pinnedLabel, items: pinned }] : []),
    ...groupByDate(pinned.length > 0 ? sessions.filter((s) => !s.pinned) : sessions, (s) => s.updated_at, now),
  ];
}

export function SessionManager({
  sessions,
  activeId,
  loading,
  settled = true,
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
  onDelete = () => undefined,
  onSetPinned = noop,
  onSetArchived = noop,
  streamingIds,
  onExport = noop,
  onExportAll,
  onImport,
  searchDelayMs = 300,
  id,
  className,
  userId,
}: SessionManagerProps) {
  const { t } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtual list needs the panel once it is in the page (a ref is set after the list's effects).
  const [scrollElement, setScrollElement] = useState<HTMLDivElement | null>(null);
  const attachScroll = useCallback((el: HTMLDivElement | null) => {
    scrollRef.current = el;
    setScrollElement(el);
  }, []);
  const now = useNow();
  const filtering = isFiltering(filter);
  const [newChatKey] = useState(() => shortcutLabel('o', { shift: true }));
  // Renames and tag edits open in rows, kept here: a row scrolled away leaves the page.
  const rowEdits = useRowEdits();

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
  const setTagFilter = (tag: string | null) => onFilterChange?.({ ...filter, tag });
  const pinnedLabel = t('sidebar.pinned');
  const groups = useMemo(
    () => groupSessions(sessions, filter.archived === true, now, pinnedLabel),
    [sessions, filter.archived, now, pinnedLabel],
  );

  let heading: string = t('sidebar.yourChats');
  if (filter.q.trim()) heading = t('sidebar.searchResults');
  else if (filter.tag !== null) heading = t('sidebar.taggedChats');
  else if (filter.archived) heading = t('sidebar.archivedChats');

  return (
    <nav id={id} className={`sidebar ${className ?? ''}`} aria-label={t('sidebar.nav')}>
      <div className="sidebar-top">
        <button
          type="button"
          className="button button-primary button-block new-chat"
          onClick={onNewChat}
          disabled={creating}
          aria-keyshortcuts="Control+Shift+O Meta+Shift+O"
          title={newChatKey ? t('sidebar.newChatWithKey', { key: newChatKey }) : undefined}
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
            <path d="M12 5v14M5 12h14" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
          </svg>
          {creating ? t('sidebar.starting') : t('sidebar.newChat')}
        </button>
        {createError && (
          <p className="sidebar-error" role="alert">
            {t('sidebar.createFailed', { reason: createError })}
          </p>
        )}
        {onFilterChange && (
          <SearchBox
            filter={filter}
            onFilterChange={onFilterChange}
            inputRef={searchRef}
            delayMs={searchDelayMs}
            settled={settled}
          />
        )}
        {userId && onFilterChange && (
          <TagsOverview userId={userId} selected={filter.tag} onPick={setTagFilter} />
        )}
        {filter.tag !== null && (
          <p className="tag-filter">
            <span>{t('sidebar.tagged')}</span>
            <span className="tag-chip is-selected">{filter.tag}</span>
            <button type="button" className="link-button" onClick={() => setTagFilter(null)}>
              {t('sidebar.showAll')}
            </button>
          </p>
        )}
      </div>
      <div className="sidebar-heading-row">
        <h2 className="sidebar-heading" id="chat-list-heading">
          {heading}
        </h2>
        {onFilterChange && (
          <button
            type="button"
            className="link-button archive-toggle"
            aria-pressed={filter.archived === true}
            onClick={() => onFilterChange({ ...filter, archived: !filter.archived })}
          >
            {filter.archived ? t('sidebar.backToChats') : t('sidebar.archived')}
          </button>
        )}
      </div>
      <div className="session-scroll" ref={attachScroll} onScroll={maybeLoadMore}>
        {firstLoad && (
          <p className="sidebar-status" role="status">
            {filtering ? t('sidebar.searching') : t('sidebar.loading')}
          </p>
        )}
        {!loading && sessions.length === 0 && !error && (
          <p className="sidebar-status" role={filtering ? 'status' : undefined}>
            {filter.q.trim()
              ? t('sidebar.noMatch', { query: filter.q.trim() })
              : filter.tag !== null
                ? t('sidebar.noTagged')
                : filter.archived
                  ? t('sidebar.noArchived')
                  : t('sidebar.none')}
          </p>
        )}
        <VirtualSessionList
          groups={groups}
          activeId={activeId}
          scrollElement={scrollElement}
          renderRow={(session, itemProps) => (
            <SessionRow
              key={session.session_id}
              itemProps={itemProps}
              session={session}
              active={session.session_id === activeId}
              query={filter.q}
              tagFilter={filter.tag}
              now={now}
              onSelect={onSelect}
              onTagFilter={onFilterChange ? setTagFilter : undefined}
              onRename={onRename}
              onSetTags={onSetTags}
              onDelete={onDelete}
              onSetPinned={onSetPinned}
              onSetArchived={onSetArchived}
              streaming={streamingIds?.has(session.session_id) ?? false}
              onExport={onExport}
              edit={rowEdits.of(session.session_id)}
              edits={rowEdits}
            />
          )}
        />
        {loading && sessions.length > 0 && (
          <p className="sidebar-status" role="status">
            {filtering ? t('sidebar.searching') : t('sidebar.loadingMore')}
          </p>
        )}
        {error && (
          <div className="sidebar-error" role="alert">
            <p>
              {filtering ? t('sidebar.searchFailed', { reason: error }) : t('sidebar.loadFailed', { reason: error })}
            </p>
            <button type="button" className="button button-small" onClick={onRetry}>
              {t('sidebar.retry')}
            </button>
          </div>
        )}
        {hasMore && !loading && !error && (
          <button type="button" className="link-button load-more" onClick={onLoadMore}>
            {t('sidebar.showOlder')}
          </button>
        )}
      </div>
      {(onExportAll || onImport) && <Transfer onExportAll={onExportAll} onImport={onImport} />}
    </nav>
  );
}

