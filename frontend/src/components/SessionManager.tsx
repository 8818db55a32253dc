import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { SessionSummary } from '../api';
import { formatFull, formatRelative } from '../time';

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
  id?: string;
  className?: string;
}

/** Load the next page when the list is scrolled to within this many pixels of its end. */
const NEAR_END_PX = 120;

function useNow(intervalMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
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
  id,
  className,
}: SessionManagerProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow();

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
      </div>
      <h2 className="sidebar-heading" id="chat-list-heading">
        Your chats
      </h2>
      <div className="session-scroll" ref={scrollRef} onScroll={maybeLoadMore}>
        {firstLoad && (
          <p className="sidebar-status" role="status">
            Loading your chats…
          </p>
        )}
        {!firstLoad && sessions.length === 0 && !error && (
          <p className="sidebar-status">No chats yet.</p>
        )}
        {sessions.length > 0 && (
          <ul className="session-list" aria-labelledby="chat-list-heading">
            {sessions.map((session) => {
              const active = session.session_id === activeId;
              const title = session.title?.trim() || 'New chat';
              return (
                <li key={session.session_id}>
                  <button
                    type="button"
                    className={`session-item${active ? ' is-active' : ''}`}
                    aria-current={active ? 'page' : undefined}
                    onClick={() => onSelect(session.session_id)}
                  >
                    <span className="session-title">{title}</span>
                    <time
                      className="session-time"
                      dateTime={session.updated_at}
                      title={formatFull(session.updated_at)}
                    >
                      {formatRelative(session.updated_at, now)}
                    </time>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        {loading && sessions.length > 0 && (
          <p className="sidebar-status" role="status">
            Loading more chats…
          </p>
        )}
        {error && (
          <div className="sidebar-error" role="alert">
            <p>Couldn’t load your chats: {error}</p>
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
    </nav>
  );
}
