import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { i18n } from '../i18n';
import { useTranslation } from 'react-i18next';
import * as api from '../api';
import type { SessionSummary } from '../api';
import { ConnectionBanner, useOnReconnect } from '../connection';
import { describeError } from '../errors';
import { useChatTurn } from '../hooks/useChatTurn';
import { useMounted } from '../hooks/useMounted';
import { usePreloadedMarkdown } from '../hooks/usePreloadedMarkdown';
import { useResultsKeyboard } from '../hooks/useResultsKeyboard';
import { useSessionEdits } from '../hooks/useSessionEdits';
import { useSessionList } from '../hooks/useSessionList';
import { useShortcuts } from '../hooks/useShortcuts';
import { EMPTY_THREAD } from '../hooks/useThreads';
import { useToasts } from '../hooks/useToasts';
import { UNDO_MS, useUndoDelete } from '../hooks/useUndoDelete';
import { useLiveEvents } from '../live';
import { currentChatId, showChat, useHistoryMoves } from '../route';
import { ChatPane } from './ChatPane';
import { Composer } from './Composer';
import { SessionManager } from './SessionManager';
import { ShortcutSheet } from './ShortcutSheet';
import { TopBar } from './TopBar';
import { Toasts } from './ui/Toast';

export interface DashboardProps {
  userId: string;
  /** Shown in the header; null in auth mode `none`. */
  username: string | null;
  onLogout: () => void;
  /** Show the settings page (its own URL, /settings). */
  onOpenSettings?: () => void;
  /** Milliseconds between Delete and the deletion on the server (Undo meanwhile). */
  undoMs?: number;
}

/** A notice (a regenerate that could not start) stays this long. */
const NOTICE_MS = 8000;

/**
 * The signed-in app: the chat list beside the open conversation. The list (`useSessionList`)
 * and the chat's turns (`useChatTurn`) live in hooks; this decides which chat is open.
 */
const LOGOUT_WAIT_MS = 3000;

export function Dashboard({ userId, username, onLogout, onOpenSettings, undoMs = UNDO_MS }: DashboardProps) {
  const { t } = useTranslation();
  const list = useSessionList(userId);
  const { loadFirstPage, findListed, upsertSummary, dropSummary, hide, unhide, summaryFor } = list;
  const { toasts, showToast, dismissToast } = useToasts();
  const chat = useChatTurn(userId, {
    touchSummary: list.touchSummary,
    onNotice: (text) => showToast({ id: api.newId(), text, durationMs: NOTICE_MS }),
  });
  const { threads, threadsRef, loadThread, addEmptyThread, forgetThread, isWriting, abort } = chat;

  const [activeId, setActiveId] = useState<string | null>(null);
  const activeRef = useRef<string | null>(null);
  activeRef.current = activeId;
  const [navOpen, setNavOpen] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  /** The first page of the list came, and a chat was chosen to open. */
  const started = useRef(false);
  /** The first page of the list came: its live stream may open (and then catch up). */
  const [listRead, setListRead] = useState(false);
  /** Move focus to the composer once the chosen conversation can take input, unless the user
   * has moved it meanwhile (Ctrl+K, a click): `from` is where it was when the chat was chosen. */
  const focusComposer = useRef<{ from: Element | null } | null>(null);
  const mounted = useMounted();

  /** Open a chat; `history`: a new history entry (a click), in place, or none (Back/Forward). */
  const selectSession = useCallback(
    (sessionId: string, history: 'push' | 'replace' | 'none' = 'push') => {
      if (history !== 'none') showChat(sessionId, history);
      activeRef.current = sessionId;
      setActiveId(sessionId);
      setNavOpen(false);
      void loadThread(sessionId);
      focusComposer.current = { from: document.activeElement };
    },
    [loadThread],
  );

  const createNewSession = useCallback(async (): Promise<boolean> => {
    // An empty chat already in the list is opened again instead of storing another one.
    const empty = findListed(
      (s) =>
        s.message_count === 0 &&
        !s.title &&
        s.tags.length === 0 &&
        (threadsRef.current[s.session_id]?.messages.length ?? 0) === 0 &&
        !isWriting(s.session_id),
    );
    if (empty) {
      if (activeRef.current === empty.session_id) {
        setNavOpen(false);
        composerRef.current?.focus();
      } else {
        selectSession(empty.session_id);
      }
      return true;
    }
    setCreating(true);
    setCreateError(null);
    try {
      const session = await api.createSession(userId);
      if (!mounted.current) return true;
      addEmptyThread(session.session_id);
      upsertSummary(session);
      showChat(session.session_id, activeRef.current ? 'push' : 'replace');
      activeRef.current = session.session_id;
      setActiveId(session.session_id);
      setNavOpen(false);
      focusComposer.current = { from: document.activeElement };
      return true;
    } catch (err) {
      if (mounted.current) setCreateError(describeError(err));
      return false;
    } finally {
      if (mounted.current) setCreating(false);
    }
  }, [userId, mounted, findListed, threadsRef, isWriting, addEmptyThread, upsertSummary, selectSession]);

  /** First page of sessions; then open the chat in the URL, the most recent one, or a new one. */
  const start = useCallback(async () => {
    const loading = loadFirstPage();
    if (!loading) return;
    setStartError(null);
    const page = await loading;
    if (!page) return;
    if ('error' in page) {
      setStartError(i18n.t('app.loadFailed', { reason: page.error }));
      return;
    }
    started.current = true;
    setListRead(true);
    if (activeRef.current) return; // the user already picked or created one
    const wanted = currentChatId();
    if (wanted) {
      selectSession(wanted, 'replace');
    } else if (page.sessions.length > 0) {
      selectSession(page.sessions[0].session_id, 'replace');
    } else {
      const ok = await createNewSession();
      if (!ok && mounted.current) setStartError(i18n.t('app.startFailed'));
    }
  }, [mounted, loadFirstPage, selectSession, createNewSession]);

  useEffect(() => {
    void start();
  }, [start]);

  // Messages need the Markdown renderer (a session that opens without the log-in page).
  usePreloadedMarkdown();

  // Back and Forward: open the chat the address now names.
  const historyMove = useHistoryMoves();
  useEffect(() => {
    const { chatId } = historyMove;
    if (chatId && chatId !== activeRef.current && started.current) selectSession(chatId, 'none');
  }, [historyMove, selectSession]);

  // ---- leaving a chat that is deleted -----------------------------------------

  /** Open another chat than `leaving`: the most recent one shown, or a new one. */
  const leaveSession = useCallback(
    (leaving: string) => {
      if (activeRef.current !== leaving) return;
      const next = findListed((s) => s.session_id !== leaving);
      activeRef.current = null;
      setActiveId(null);
      if (next) selectSession(next.session_id);
      else void createNewSession();
    },
    [findListed, selectSession, createNewSession],
  );

  /** Forget a deleted chat here (deleted by this tab, or by another: `event: deleted`). */
  const forgetSession = useCallback(
    (sessionId: string) => {
      if (!mounted.current) return;
      abort(sessionId);
      dropSummary(sessionId);
      forgetThread(sessionId);
      leaveSession(sessionId);
    },
    [mounted, abort, dropSummary, forgetThread, leaveSession],
  );

  const titleOf = useCallback(
    (sessionId: string) => summaryFor(sessionId)?.title?.trim() || i18n.t('sidebar.newChat'),
    [summaryFor],
  );
  // The browser's tab and history name the open chat.
  const openTitle = activeId ? titleOf(activeId) : null;
  useEffect(() => {
    document.title = openTitle ? `${openTitle} · Cora` : 'Cora';
    return () => {
      document.title = 'Cora';
    };
  }, [openTitle]);

  const hideAndLeave = useCallback(
    (sessionId: string) => {
      hide(sessionId);
      leaveSession(sessionId);
    },
    [hide, leaveSession],
  );
  const { requestDelete, deletePending } = useUndoDelete({
    userId,
    undoMs,
    titleOf,
    hide: hideAndLeave,
    unhide,
    forget: forgetSession,
    showToast,
  });

  // Chats deleted with Undo still pending go before the token stops working (waited for a
  // moment at most: a slow server does not hold the user back).
  const logOut = useCallback(() => {
    const moment = new Promise((resolve) => window.setTimeout(resolve, LOGOUT_WAIT_MS));
    void Promise.race([deletePending(), moment]).finally(onLogout);
  }, [deletePending, onLogout]);

  const edits = useSessionEdits(userId, upsertSummary, list.refresh);

  // ---- live updates (3.8) and recovery after an outage ------------------------

  const thread = activeId ? (threads[activeId] ?? EMPTY_THREAD) : null;

  useLiveEvents(listRead ? api.listEventsPath(userId) : null, {
    onEvent: (event, data) => {
      if (event === 'session') upsertSummary(data as SessionSummary);
      else if (event === 'deleted') forgetSession((data as { session_id: string }).session_id);
    },
    onReset: () => void loadFirstPage(),
    // The list was read before its stream opened: a chat made or changed elsewhere in between.
    onConnected: () => void loadFirstPage(),
  });

  const liveId = activeId !== null && thread?.loaded ? activeId : null;
  useLiveEvents(liveId === null ? null : api.sessionEventsPath(userId, liveId), {
    onEvent: (event, data) => {
      if (liveId === null) return;
      if (event === 'session') upsertSummary(data as SessionSummary);
      else if (event === 'deleted') forgetSession(liveId);
      else chat.applyLiveEvent(liveId, event, data);
    },
    onReset: () => {
      if (liveId !== null) void loadThread(liveId);
    },
    // The chat was read before its stream opened: what another tab stored in between.
    onConnected: () => {
      if (liveId !== null) void chat.catchUp(liveId);
    },
  });

  useOnReconnect(() => {
    setCreateError(null);
    if (!started.current) {
      void start();
      return;
    }
    list.recover();
    chat.reloadStale(activeRef.current);
  });

  // ---- keyboard and focus -----------------------------------------------------

  useShortcuts({
    onNewChat: () => {
      if (!creating) void createNewSession();
    },
    searchRef,
    navOpen,
    setNavOpen,
  });
  useResultsKeyboard(searchRef);

  useEffect(() => {
    const pending = focusComposer.current;
    if (pending && thread?.loaded) {
      focusComposer.current = null;
      const now = document.activeElement;
      if (now === pending.from || now === document.body || now === null) composerRef.current?.focus();
    }
  });

  // ---- render -----------------------------------------------------------------

  const { send, retry, stop, regenerate, loadOlder } = chat;
  const isStreaming = activeId !== null && chat.streamingIds.has(activeId);
  const activeTitle = summaryFor(activeId)?.title?.trim() || t('sidebar.newChat');
  const displayName = username ?? userId;
  const onLoadOlder = useCallback(() => {
    if (activeRef.current) void loadOlder(activeRef.current);
  }, [loadOlder]);
  const onSend = useCallback((text: string) => {
    if (activeRef.current) void send(activeRef.current, text);
  }, [send]);
  const onRetry = useCallback((key: string) => {
    if (activeRef.current) retry(activeRef.current, key);
  }, [retry]);
  const onStop = useCallback(() => {
    if (activeRef.current) stop(activeRef.current);
  }, [stop]);
  const onRegenerate = useCallback(() => {
    if (activeRef.current) void regenerate(activeRef.current);
  }, [regenerate]);
  const feedbackTarget = useMemo(() => (activeId ? { userId, sessionId: activeId } : null), [userId, activeId]);
  const { shown } = list;

  return (
    <div className={`app${navOpen ? ' nav-open' : ''}`}>
      <a
        className="skip-link"
        href="#composer-input"
        onClick={(event) => {
          event.preventDefault();
          composerRef.current?.focus();
        }}
      >
        {t('misc.skipToComposer')}
      </a>
      <TopBar
        displayName={displayName}
        navOpen={navOpen}
        onToggleNav={() => setNavOpen((open) => !open)}
        onOpenSettings={onOpenSettings}
        onLogout={logOut}
      />
      <ShortcutSheet />
      <ConnectionBanner />
      <div className="workspace">
        <SessionManager
          id="chat-nav"
          userId={userId}
          sessions={shown.sessions}
          activeId={activeId}
          loading={shown.loading}
          settled={shown.settled}
          error={shown.error}
          hasMore={shown.hasMore}
          creating={creating}
          createError={createError}
          onSelect={selectSession}
          onNewChat={() => void createNewSession()}
          onLoadMore={list.showMore}
          onRetry={() => (list.filtering || started.current ? list.retry() : void start())}
          filter={list.filter}
          onFilterChange={list.changeFilter}
          searchRef={searchRef}
          onRename={edits.renameSession}
          onSetTags={edits.setTags}
          onDelete={requestDelete}
          onSetPinned={edits.setPinned}
          onSetArchived={edits.setArchived}
          streamingIds={chat.streamingIds}
          onExport={edits.exportOne}
          onExportAll={edits.exportAll}
          onImport={edits.importFile}
        />
        {navOpen && <div className="scrim" aria-hidden="true" onClick={() => setNavOpen(false)} />}
        <main className="chat" aria-label={activeTitle}>
          <h1 className="visually-hidden">{activeTitle}</h1>
          {thread?.loaded && thread.error && (
            <p className="inline-error" role="alert">
              {thread.error}
            </p>
          )}
          <ChatPane
            thread={thread}
            sessionId={activeId}
            feedbackTarget={feedbackTarget}
            startError={startError}
            onStartAgain={() => void start()}
            onNewChat={() => void createNewSession()}
            onReload={() => activeId && void loadThread(activeId)}
            userName={displayName}
            busy={isStreaming}
            onRetry={onRetry}
            onRegenerate={onRegenerate}
            onStarter={onSend}
            startersDisabled={isStreaming}
            onLoadOlder={onLoadOlder}
          />
          <Composer
            key={`composer-${activeId ?? 'none'}`}
            ref={composerRef}
            userId={userId}
            sessionId={activeId}
            returned={chat.returned && chat.returned.sessionId === activeId ? chat.returned : null}
            onSend={onSend}
            onStop={onStop}
            streaming={isStreaming}
            stopping={isStreaming && activeId !== null && chat.isStopping(activeId)}
            disabled={!thread?.loaded}
          />
        </main>
      </div>
      <Toasts toasts={toasts} onDismiss={dismissToast} />
    </div>
  );
}
