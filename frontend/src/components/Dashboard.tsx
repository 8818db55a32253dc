import { useCallback, useEffect, useRef, useState } from 'react';
import * as api from '../api';
import { ChatError, NetworkError, isAbortError, type Message, type SessionSummary } from '../api';
import { ConnectionBanner, useOnReconnect } from '../connection';
import { CoraAvatar } from './Avatar';
import { Composer } from './Composer';
import { MessageList, type UiMessage } from './MessageList';
import { SessionManager } from './SessionManager';
import { ThemeToggle } from './ThemeToggle';

export const PAGE_SIZE = 20;

export interface DashboardProps {
  userId: string;
  /** Shown in the header; null in auth mode `none`. */
  username: string | null;
  onLogout: () => void;
}

interface Thread {
  messages: UiMessage[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
}

const EMPTY_THREAD: Thread = { messages: [], loaded: false, loading: false, error: null };

let keyCounter = 0;
function localKey(): string {
  keyCounter += 1;
  return `local-${Date.now().toString(36)}-${keyCounter}`;
}

function fromServer(message: Message): UiMessage {
  return {
    key: message.id,
    id: message.id,
    sender: message.sender,
    text: message.text,
    timestamp: message.timestamp,
    status: 'sent',
  };
}

function errorText(err: unknown): string {
  if (err instanceof NetworkError) return 'the server cannot be reached';
  if (err instanceof Error) return err.message;
  return 'something went wrong';
}

/** The title the server derives (contract 1): first non-blank line, trimmed, at most 80. */
function derivedTitle(text: string): string | null {
  const line = text.split('\n').find((l) => l.trim() !== '');
  return line ? line.trim().slice(0, 80) : null;
}

function summaryOf(session: SessionSummary): SessionSummary {
  const { session_id, user_id, title, created_at, updated_at, message_count, tags, metadata } =
    session;
  return { session_id, user_id, title, created_at, updated_at, message_count, tags, metadata };
}

function sortSessions(list: SessionSummary[]): SessionSummary[] {
  return [...list].sort((a, b) =>
    a.updated_at === b.updated_at
      ? b.session_id.localeCompare(a.session_id)
      : b.updated_at.localeCompare(a.updated_at),
  );
}

export function Dashboard({ userId, username, onLogout }: DashboardProps) {
  // Session list (sidebar)
  const [sessions, setSessions] = useState<SessionSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [listLoading, setListLoading] = useState(true);
  const [listError, setListError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);

  // Conversation
  const [activeId, setActiveId] = useState<string | null>(null);
  const [threads, setThreads] = useState<Record<string, Thread>>({});
  const threadsRef = useRef(threads);
  threadsRef.current = threads;
  const [streaming, setStreaming] = useState<ReadonlySet<string>>(new Set());
  const [startError, setStartError] = useState<string | null>(null);
  const [navOpen, setNavOpen] = useState(false);

  const controllers = useRef(new Map<string, AbortController>());
  const mounted = useRef(true);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const activeRef = useRef<string | null>(null);
  activeRef.current = activeId;
  const listBusy = useRef(false);
  const startedRef = useRef(false);
  /** Move focus to the composer once the chosen conversation can take input. */
  const focusComposer = useRef(false);

  useEffect(() => {
    mounted.current = true;
    const running = controllers.current;
    return () => {
      mounted.current = false;
      for (const controller of running.values()) controller.abort();
    };
  }, []);

  const updateThread = useCallback((sessionId: string, change: (thread: Thread) => Thread) => {
    if (!mounted.current) return;
    setThreads((prev) => ({ ...prev, [sessionId]: change(prev[sessionId] ?? EMPTY_THREAD) }));
  }, []);

  const updateMessage = useCallback(
    (sessionId: string, key: string, change: Partial<UiMessage>) => {
      updateThread(sessionId, (thread) => ({
        ...thread,
        messages: thread.messages.map((m) => (m.key === key ? { ...m, ...change } : m)),
      }));
    },
    [updateThread],
  );

  /** Put a summary into the list (most recent first), replacing an older copy. */
  const upsertSummary = useCallback((summary: SessionSummary) => {
    if (!mounted.current) return;
    setSessions((prev) =>
      sortSessions([summaryOf(summary), ...prev.filter((s) => s.session_id !== summary.session_id)]),
    );
  }, []);

  // ---- loading a conversation ---------------------------------------------

  const loadThread = useCallback(
    async (sessionId: string) => {
      if (controllers.current.has(sessionId)) return; // a reply is streaming into it
      const wasLoaded = threadsRef.current[sessionId]?.loaded ?? false;
      updateThread(sessionId, (thread) => ({ ...thread, loading: true, error: null }));
      try {
        const session = await api.getSession(userId, sessionId);
        if (controllers.current.has(sessionId)) return;
        upsertSummary(session);
        updateThread(sessionId, (thread) => {
          // Keep what the server does not have yet: messages that failed to save.
          const unsaved = thread.messages.filter((m) => m.status === 'failed');
          return {
            messages: [...session.messages.map(fromServer), ...unsaved],
            loaded: true,
            loading: false,
            error: null,
          };
        });
      } catch (err) {
        updateThread(sessionId, (thread) => ({
          ...thread,
          loading: false,
          // A background refresh of a shown conversation fails quietly; the banner or
          // the next action tells the user. A first load shows its error.
          error: wasLoaded ? null : errorText(err),
        }));
      }
    },
    [userId, updateThread, upsertSummary],
  );

  const selectSession = useCallback(
    (sessionId: string) => {
      setActiveId(sessionId);
      setNavOpen(false);
      void loadThread(sessionId);
      focusComposer.current = true;
    },
    [loadThread],
  );

  // ---- the session list -----------------------------------------------------

  const createNewSession = useCallback(async (): Promise<boolean> => {
    setCreating(true);
    setCreateError(null);
    try {
      const session = await api.createSession(userId);
      if (!mounted.current) return true;
      setThreads((prev) => ({
        ...prev,
        [session.session_id]: { messages: [], loaded: true, loading: false, error: null },
      }));
      upsertSummary(session);
      setActiveId(session.session_id);
      setNavOpen(false);
      focusComposer.current = true;
      return true;
    } catch (err) {
      if (mounted.current) setCreateError(errorText(err));
      return false;
    } finally {
      if (mounted.current) setCreating(false);
    }
  }, [userId, upsertSummary]);

  /** First page of sessions; then open the most recent one, or start one. */
  const start = useCallback(async () => {
    if (listBusy.current) return;
    listBusy.current = true;
    setListLoading(true);
    setListError(null);
    setStartError(null);
    try {
      const page = await api.getUserSessions(userId, { limit: PAGE_SIZE });
      if (!mounted.current) return;
      setSessions(page.sessions);
      setNextCursor(page.next_cursor);
      setListLoading(false);
      listBusy.current = false;
      startedRef.current = true;
      if (activeRef.current) return; // the user already picked or created one
      if (page.sessions.length > 0) {
        selectSession(page.sessions[0].session_id);
      } else {
        const ok = await createNewSession();
        if (!ok && mounted.current) setStartError('Couldn’t start a conversation.');
      }
    } catch (err) {
      if (!mounted.current) return;
      setListError(errorText(err));
      setStartError(`Couldn’t load your conversations: ${errorText(err)}.`);
      setListLoading(false);
      listBusy.current = false;
    }
  }, [userId, selectSession, createNewSession]);

  useEffect(() => {
    void start();
  }, [start]);

  const loadMore = useCallback(async () => {
    if (listBusy.current || !nextCursor) return;
    listBusy.current = true;
    setListLoading(true);
    setListError(null);
    try {
      const page = await api.getUserSessions(userId, { limit: PAGE_SIZE, cursor: nextCursor });
      if (!mounted.current) return;
      setSessions((prev) => {
        const known = new Set(prev.map((s) => s.session_id));
        return [...prev, ...page.sessions.filter((s) => !known.has(s.session_id))];
      });
      setNextCursor(page.next_cursor);
    } catch (err) {
      if (mounted.current) setListError(errorText(err));
    } finally {
      listBusy.current = false;
      if (mounted.current) setListLoading(false);
    }
  }, [userId, nextCursor]);

  const retryList = useCallback(() => {
    if (!startedRef.current) void start();
    else void loadMore();
  }, [start, loadMore]);

  // ---- sending --------------------------------------------------------------

  const refreshSummary = useCallback(
    async (sessionId: string) => {
      try {
        const session = await api.getSession(userId, sessionId);
        upsertSummary(session);
      } catch {
        // The optimistic summary stays; the next load corrects it.
      }
    },
    [userId, upsertSummary],
  );

  const sendMessage = useCallback(
    async (text: string, retryKey?: string) => {
      const sessionId = activeRef.current;
      if (!sessionId || controllers.current.has(sessionId) || !text.trim()) return;
      const userKey = retryKey ?? localKey();
      const replyKey = localKey();
      const controller = new AbortController();
      controllers.current.set(sessionId, controller);
      setStreaming((prev) => new Set(prev).add(sessionId));

      updateThread(sessionId, (thread) => {
        const others = thread.messages.filter((m) => m.key !== userKey);
        return {
          ...thread,
          messages: [
            ...others,
            { key: userKey, sender: 'user', text, status: 'sending' },
            { key: replyKey, sender: 'assistant', text: '', status: 'streaming' },
          ],
        };
      });

      let saved = false;
      let replyText = '';
      try {
        const result = await api.chat(userId, sessionId, text, {
          signal: controller.signal,
          onUserMessage: (message) => {
            saved = true;
            updateMessage(sessionId, userKey, {
              id: message.id,
              status: 'sent',
              timestamp: message.timestamp,
              error: undefined,
            });
          },
          onDelta: (piece) => {
            replyText += piece;
            updateMessage(sessionId, replyKey, { text: replyText });
          },
        });
        updateMessage(sessionId, userKey, {
          id: result.user_message.id,
          status: 'sent',
          timestamp: result.user_message.timestamp,
        });
        updateMessage(sessionId, replyKey, {
          id: result.reply.id,
          text: result.reply.text,
          timestamp: result.reply.timestamp,
          status: 'sent',
        });
        // Show the change in the list at once, then take the server's summary.
        setSessions((prev) => {
          const current = prev.find((s) => s.session_id === sessionId);
          if (!current) return prev;
          return sortSessions([
            {
              ...current,
              title: current.title ?? derivedTitle(text),
              updated_at: result.reply.timestamp,
              message_count: current.message_count + 2,
            },
            ...prev.filter((s) => s.session_id !== sessionId),
          ]);
        });
        void refreshSummary(sessionId);
      } catch (err) {
        if (err instanceof ChatError) {
          saved = saved || err.userMessage !== null;
        }
        if (isAbortError(err)) {
          // Stopped by the user (or the view went away).
          if (saved) {
            updateMessage(sessionId, replyKey, { status: 'stopped', text: replyText });
          } else {
            updateThread(sessionId, (thread) => ({
              ...thread,
              messages: thread.messages.filter((m) => m.key !== replyKey),
            }));
            updateMessage(sessionId, userKey, {
              status: 'failed',
              error: 'stopped before the server confirmed it',
            });
          }
          void refreshSummary(sessionId);
        } else if (saved && err instanceof ChatError) {
          updateMessage(sessionId, userKey, { status: 'sent' });
          updateMessage(sessionId, replyKey, { status: 'error', error: err.message });
          void refreshSummary(sessionId);
        } else if (saved) {
          // The connection broke mid-reply; the server stores the reply whole anyway.
          updateMessage(sessionId, replyKey, { status: 'interrupted', text: replyText });
        } else {
          updateThread(sessionId, (thread) => ({
            ...thread,
            messages: thread.messages.filter((m) => m.key !== replyKey),
          }));
          updateMessage(sessionId, userKey, { status: 'failed', error: errorText(err) });
        }
      } finally {
        controllers.current.delete(sessionId);
        if (mounted.current) {
          setStreaming((prev) => {
            const next = new Set(prev);
            next.delete(sessionId);
            return next;
          });
        }
      }
    },
    [userId, updateThread, updateMessage, refreshSummary],
  );

  const retryMessage = useCallback(
    (key: string) => {
      const sessionId = activeRef.current;
      if (!sessionId) return;
      const message = threads[sessionId]?.messages.find((m) => m.key === key);
      if (message) void sendMessage(message.text, key);
    },
    [threads, sendMessage],
  );

  /** Stop the reply streaming in the active session. */
  const stopReply = useCallback(() => {
    const sessionId = activeRef.current;
    if (!sessionId) return;
    controllers.current.get(sessionId)?.abort();
    void api.stopReply(userId, sessionId);
  }, [userId]);

  // ---- recovery after an outage ---------------------------------------------

  useOnReconnect(() => {
    setCreateError(null);
    if (!startedRef.current) {
      void start();
      return;
    }
    if (listError) void loadMore();
    for (const [sessionId, thread] of Object.entries(threads)) {
      const stale =
        thread.error !== null || thread.messages.some((m) => m.status === 'interrupted');
      if (stale || sessionId === activeRef.current) void loadThread(sessionId);
    }
  });

  // ---- keyboard -------------------------------------------------------------

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (
        (event.ctrlKey || event.metaKey) &&
        event.shiftKey &&
        !event.altKey &&
        event.key.toLowerCase() === 'o'
      ) {
        event.preventDefault();
        if (!creating) void createNewSession();
      } else if (event.key === 'Escape' && navOpen) {
        setNavOpen(false);
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [creating, createNewSession, navOpen]);

  // ---- render -----------------------------------------------------------------

  const thread = activeId ? (threads[activeId] ?? EMPTY_THREAD) : null;

  useEffect(() => {
    if (focusComposer.current && thread?.loaded) {
      focusComposer.current = false;
      composerRef.current?.focus();
    }
  });
  const isStreaming = activeId !== null && streaming.has(activeId);
  const activeSummary = sessions.find((s) => s.session_id === activeId);
  const displayName = username ?? userId;

  let pane;
  if (!thread) {
    pane = startError ? (
      <div className="pane-message" role="alert">
        <p>{startError}</p>
        <button type="button" className="button button-primary" onClick={() => void start()}>
          Try again
        </button>
      </div>
    ) : (
      <div className="pane-message" role="status">
        <CoraAvatar size={40} />
        <p>Loading your conversation…</p>
      </div>
    );
  } else if (!thread.loaded && thread.error) {
    pane = (
      <div className="pane-message" role="alert">
        <p>Couldn’t load this conversation: {thread.error}.</p>
        <button
          type="button"
          className="button button-primary"
          onClick={() => activeId && void loadThread(activeId)}
        >
          Try again
        </button>
      </div>
    );
  } else if (!thread.loaded) {
    pane = (
      <div className="pane-message" role="status">
        <CoraAvatar size={40} />
        <p>Loading messages…</p>
      </div>
    );
  } else {
    pane = (
      <MessageList
        messages={thread.messages}
        userName={displayName}
        busy={isStreaming}
        onRetry={retryMessage}
        onStarter={(text) => void sendMessage(text)}
        startersDisabled={isStreaming}
      />
    );
  }

  return (
    <div className={`app${navOpen ? ' nav-open' : ''}`}>
      <header className="topbar">
        <button
          type="button"
          className="icon-button menu-button"
          aria-label={navOpen ? 'Close chat list' : 'Open chat list'}
          aria-expanded={navOpen}
          aria-controls="chat-nav"
          onClick={() => setNavOpen((open) => !open)}
        >
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
            <path d="M4 6h16M4 12h16M4 18h16" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
          </svg>
        </button>
        <div className="brand">
          <CoraAvatar size={34} />
          <div>
            <p className="brand-name">Cora</p>
            <p className="brand-tagline">Your insurance assistant</p>
          </div>
        </div>
        <div className="topbar-actions">
          <ThemeToggle />
          <span className="user-name" title={`Signed in as ${displayName}`}>
            {displayName}
          </span>
          <button type="button" className="button button-quiet" onClick={onLogout}>
            Log out
          </button>
        </div>
      </header>
      <ConnectionBanner />
      <div className="workspace">
        <SessionManager
          id="chat-nav"
          sessions={sessions}
          activeId={activeId}
          loading={listLoading}
          error={listError}
          hasMore={nextCursor !== null}
          creating={creating}
          createError={createError}
          onSelect={selectSession}
          onNewChat={() => void createNewSession()}
          onLoadMore={() => void loadMore()}
          onRetry={retryList}
        />
        {navOpen && (
          <div className="scrim" aria-hidden="true" onClick={() => setNavOpen(false)} />
        )}
        <main className="chat" aria-label={activeSummary?.title?.trim() || 'New chat'}>
          <h1 className="visually-hidden">{activeSummary?.title?.trim() || 'New chat'}</h1>
          {thread?.loaded && thread.error && (
            <p className="inline-error" role="alert">
              {thread.error}
            </p>
          )}
          {pane}
          <Composer
            ref={composerRef}
            onSend={(text) => void sendMessage(text)}
            onStop={stopReply}
            streaming={isStreaming}
            disabled={!thread?.loaded}
          />
        </main>
      </div>
    </div>
  );
}
