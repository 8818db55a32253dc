import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as api from '../api';
import {
  ChatError,
  isAbortError,
  type ImportResult,
  type Message,
  type SessionSummary,
} from '../api';
import { ConnectionBanner, useOnReconnect } from '../connection';
import { describeError } from '../errors';
import { useLiveEvents } from '../live';
import { currentChatId, showChat, useHistoryMoves } from '../route';
import { saveDownload } from '../download';
import { CoraAvatar } from './Avatar';
import { Composer } from './Composer';
import { preloadMarkdown } from './Markdown';
import { MessageList, type UiMessage } from './MessageList';
import { FeedbackContext } from './message/FeedbackContext';
import { ShortcutSheet } from './ShortcutSheet';
import { SessionManager, type SessionFilter } from './SessionManager';
import { isFiltering } from './sidebar/filter';
import { Toasts, type ToastData } from './ui/Toast';
import { ThemeToggle } from './ThemeToggle';

/** Sessions per page of the sidebar. */
export const PAGE_SIZE = 20;
/** Messages per page of a conversation: the latest ones first, older ones on scrolling up. */
export const MESSAGE_PAGE = 50;
/** After the stop route answered, how long to wait for the stopped reply on the stream. */
export const STOP_GRACE_MS = 3000;
/** A deleted chat is hidden at once and deleted on the server this much later, unless undone. */
export const UNDO_MS = 6000;

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

interface Thread {
  messages: UiMessage[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  /** The server has messages older than the first one loaded. */
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: string | null;
  /** The server has no such chat for this user (404), or the id is not one (422). */
  notFound?: boolean;
}

const EMPTY_THREAD: Thread = {
  messages: [],
  loaded: false,
  loading: false,
  error: null,
  hasOlder: false,
  loadingOlder: false,
  olderError: null,
};

/** A reply being streamed into a session. */
interface Running {
  controller: AbortController;
  replyKey: string;
  /** The server confirmed the user's message (`event: user_message`). */
  saved: boolean;
  /** The user pressed Stop. */
  stopping: boolean;
  stopTimer: number | null;
}

interface SearchState {
  sessions: SessionSummary[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
}

const NO_FILTER: SessionFilter = { q: '', tag: null };

let keyCounter = 0;
function localKey(): string {
  keyCounter += 1;
  return `local-${Date.now().toString(36)}-${keyCounter}`;
}

export function fromServer(message: Message): UiMessage {
  const ended = message.status === 'interrupted' || message.status === 'failed' ? message.status : undefined;
  return {
    key: message.id,
    id: message.id,
    sender: message.sender,
    text: message.text,
    timestamp: message.timestamp,
    status: message.status === 'streaming' ? 'streaming' : 'sent',
    stopped: message.status === 'stopped' || message.metadata?.stopped === true,
    ended,
    feedback: message.feedback ?? null,
  };
}

/** A message event (3.8) put into the thread: the stored copy replaces the shown one. */
function upsertMessage(messages: UiMessage[], message: Message): UiMessage[] {
  const index = messages.findIndex((m) => m.id === message.id || m.key === message.id);
  if (index === -1) return [...messages, fromServer(message)];
  const next = [...messages];
  next[index] = { ...fromServer(message), key: messages[index].key };
  return next;
}

/** A reply streaming in the thread that this tab is not writing itself (reload, other tab). */
function hasLiveReply(thread: Thread | undefined): boolean {
  return thread?.messages.some((m) => m.id && m.status === 'streaming') ?? false;
}

/** The title the server derives (contract 1): first non-blank line, trimmed, at most 80. */
function derivedTitle(text: string): string | null {
  const line = text.split('\n').find((l) => l.trim() !== '');
  return line ? line.trim().slice(0, 80) : null;
}

function summaryOf(session: SessionSummary): SessionSummary {
  const { session_id, user_id, title, created_at, updated_at, message_count, tags, metadata } =
    session;
  return {
    session_id,
    user_id,
    title,
    created_at,
    updated_at,
    message_count,
    tags,
    metadata,
    pinned: session.pinned ?? false,
    archived: session.archived ?? false,
  };
}

function sortSessions(list: SessionSummary[]): SessionSummary[] {
  return [...list].sort((a, b) =>
    a.updated_at === b.updated_at
      ? b.session_id.localeCompare(a.session_id)
      : b.updated_at.localeCompare(a.updated_at),
  );
}

/**
 * The latest page merged into what is shown: older messages loaded before stay when the
 * page overlaps them; messages not stored (failed) stay at the end unless the server has
 * them after all (same client id).
 */
function mergeLatest(thread: Thread, page: api.MessagePage): Pick<Thread, 'messages' | 'hasOlder'> {
  const fresh = page.messages.map(fromServer);
  const stored = thread.messages.filter((m) => m.id && m.status !== 'failed');
  let messages = fresh;
  let hasOlder = page.has_more;
  if (fresh.length > 0 && stored.length > 0) {
    const overlap = stored.findIndex((m) => m.id === fresh[0].id);
    if (overlap > 0) {
      messages = [...stored.slice(0, overlap), ...fresh];
      hasOlder = thread.hasOlder;
    }
  }
  const ids = new Set(messages.map((m) => m.id));
  const unsaved = thread.messages.filter((m) => m.status === 'failed' && !ids.has(m.key));
  return { messages: [...messages, ...unsaved], hasOlder };
}

export function Dashboard({ userId, username, onLogout, onOpenSettings, undoMs = UNDO_MS }: DashboardProps) {
  // Session list (sidebar)
  const [sessions, setSessions] = useState<SessionSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [listLoading, setListLoading] = useState(true);
  const [listError, setListError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);

  // Search and tag filter
  const [filter, setFilter] = useState<SessionFilter>(NO_FILTER);
  const [search, setSearch] = useState<SearchState>({
    sessions: [],
    nextCursor: null,
    loading: false,
    error: null,
  });
  const searchController = useRef<AbortController | null>(null);
  const filtering = isFiltering(filter);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  // Deleted in this page, waiting for the Undo time to pass: hidden everywhere.
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [toasts, setToasts] = useState<ToastData[]>([]);
  /** A message the server refused (too long), given back to that chat's composer. */
  const [returned, setReturned] = useState<{ sessionId: string; text: string; reason: string } | null>(null);
  const sessionsRef = useRef(sessions);
  sessionsRef.current = sessions;
  const hiddenRef = useRef(hidden);
  hiddenRef.current = hidden;

  // Conversation
  const [activeId, setActiveId] = useState<string | null>(null);
  const [threads, setThreads] = useState<Record<string, Thread>>({});
  const threadsRef = useRef(threads);
  threadsRef.current = threads;
  const [streaming, setStreaming] = useState<ReadonlySet<string>>(new Set());
  const [startError, setStartError] = useState<string | null>(null);
  const [navOpen, setNavOpen] = useState(false);

  const running = useRef(new Map<string, Running>());
  const olderBusy = useRef(new Set<string>());
  const mounted = useRef(true);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const activeRef = useRef<string | null>(null);
  activeRef.current = activeId;
  const listBusy = useRef(false);
  const startedRef = useRef(false);
  /** Move focus to the composer once the chosen conversation can take input. */
  const focusComposer = useRef(false);

  useEffect(() => {
    mounted.current = true;
    const runs = running.current;
    return () => {
      mounted.current = false;
      for (const run of runs.values()) run.controller.abort();
      searchController.current?.abort();
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

  const removeMessage = useCallback(
    (sessionId: string, key: string) => {
      updateThread(sessionId, (thread) => ({
        ...thread,
        messages: thread.messages.filter((m) => m.key !== key),
      }));
    },
    [updateThread],
  );

  /** Put a summary into the list (most recent first), replacing an older copy. */
  const upsertSummary = useCallback((summary: SessionSummary) => {
    if (!mounted.current) return;
    const others = (list: SessionSummary[]) => list.filter((s) => s.session_id !== summary.session_id);
    // The main list leaves archived chats out (3.1).
    setSessions((prev) =>
      summary.archived ? others(prev) : sortSessions([summaryOf(summary), ...others(prev)]),
    );
    // A search result keeps its place and its snippet; it leaves the archive view when
    // restored, and the other views when archived.
    const archivedView = filterRef.current.archived === true;
    setSearch((prev) => ({
      ...prev,
      sessions:
        (summary.archived ?? false) !== archivedView
          ? others(prev.sessions)
          : prev.sessions.map((s) =>
              s.session_id === summary.session_id ? { ...summaryOf(summary), match: s.match } : s,
            ),
    }));
  }, []);

  /** Change a listed summary in place (optimistic), and move it to the top if it is newer. */
  const touchSummary = useCallback(
    (sessionId: string, change: (summary: SessionSummary) => SessionSummary) => {
      if (!mounted.current) return;
      setSessions((prev) => {
        const current = prev.find((s) => s.session_id === sessionId);
        if (!current) return prev;
        return sortSessions([change(current), ...prev.filter((s) => s.session_id !== sessionId)]);
      });
    },
    [],
  );

  // ---- loading a conversation ---------------------------------------------

  /** The latest page of messages; a conversation already shown stays shown meanwhile. */
  const loadThread = useCallback(
    async (sessionId: string) => {
      if (running.current.has(sessionId)) return; // a reply is streaming into it
      const wasLoaded = threadsRef.current[sessionId]?.loaded ?? false;
      updateThread(sessionId, (thread) => ({ ...thread, loading: true, error: null }));
      try {
        const page = await api.getMessages(userId, sessionId, { limit: MESSAGE_PAGE });
        if (running.current.has(sessionId)) return;
        updateThread(sessionId, (thread) => ({
          ...thread,
          ...mergeLatest(thread, page),
          loaded: true,
          loading: false,
          error: null,
        }));
      } catch (err) {
        const notFound = err instanceof api.ApiError && (err.status === 404 || err.status === 422);
        updateThread(sessionId, (thread) => ({
          ...thread,
          loading: false,
          notFound,
          // A background refresh of a shown conversation fails quietly; the banner or
          // the next action tells the user. A first load shows its error.
          error: wasLoaded ? null : describeError(err),
        }));
      }
    },
    [userId, updateThread],
  );

  /** The page of messages just before the oldest one shown (`before` = its id). */
  const loadOlder = useCallback(
    async (sessionId: string) => {
      const thread = threadsRef.current[sessionId];
      if (!thread?.loaded || !thread.hasOlder || olderBusy.current.has(sessionId)) return;
      const oldest = thread.messages.find((m) => m.id && m.status === 'sent');
      if (!oldest?.id) return;
      olderBusy.current.add(sessionId);
      updateThread(sessionId, (t) => ({ ...t, loadingOlder: true, olderError: null }));
      try {
        const page = await api.getMessages(userId, sessionId, {
          limit: MESSAGE_PAGE,
          before: oldest.id,
        });
        updateThread(sessionId, (t) => {
          const known = new Set(t.messages.map((m) => m.id));
          const older = page.messages.filter((m) => !known.has(m.id)).map(fromServer);
          return {
            ...t,
            messages: [...older, ...t.messages],
            hasOlder: page.has_more,
            loadingOlder: false,
            olderError: null,
          };
        });
      } catch (err) {
        updateThread(sessionId, (t) => ({ ...t, loadingOlder: false, olderError: describeError(err) }));
      } finally {
        olderBusy.current.delete(sessionId);
      }
    },
    [userId, updateThread],
  );

  /** Open a chat; `history`: a new history entry (a click), in place, or none (Back/Forward). */
  const selectSession = useCallback(
    (sessionId: string, history: 'push' | 'replace' | 'none' = 'push') => {
      if (history !== 'none') showChat(sessionId, history);
      activeRef.current = sessionId;
      setActiveId(sessionId);
      setNavOpen(false);
      void loadThread(sessionId);
      focusComposer.current = true;
    },
    [loadThread],
  );

  // ---- the session list -----------------------------------------------------

  const createNewSession = useCallback(async (): Promise<boolean> => {
    // An empty chat already in the list is opened again instead of storing another one.
    const empty = sessionsRef.current.find(
      (s) =>
        s.message_count === 0 &&
        !s.title &&
        s.tags.length === 0 &&
        !hiddenRef.current.has(s.session_id) &&
        (threadsRef.current[s.session_id]?.messages.length ?? 0) === 0 &&
        !running.current.has(s.session_id),
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
      setThreads((prev) => ({
        ...prev,
        [session.session_id]: { ...EMPTY_THREAD, loaded: true },
      }));
      upsertSummary(session);
      showChat(session.session_id, activeRef.current ? 'push' : 'replace');
      activeRef.current = session.session_id;
      setActiveId(session.session_id);
      setNavOpen(false);
      focusComposer.current = true;
      return true;
    } catch (err) {
      if (mounted.current) setCreateError(describeError(err));
      return false;
    } finally {
      if (mounted.current) setCreating(false);
    }
  }, [userId, upsertSummary, selectSession]);

  /** First page of sessions; then open the chat in the URL, the most recent one, or a new one. */
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
      const wanted = currentChatId();
      if (wanted) {
        selectSession(wanted, 'replace');
      } else if (page.sessions.length > 0) {
        selectSession(page.sessions[0].session_id, 'replace');
      } else {
        const ok = await createNewSession();
        if (!ok && mounted.current) setStartError('Couldn’t start a conversation.');
      }
    } catch (err) {
      if (!mounted.current) return;
      setListError(describeError(err));
      setStartError(`Couldn’t load your conversations: ${describeError(err)}.`);
      setListLoading(false);
      listBusy.current = false;
    }
  }, [userId, selectSession, createNewSession]);

  useEffect(() => {
    void start();
  }, [start]);

  // Messages need the Markdown renderer: fetch it now, after the first paint.
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((run: () => void) => window.setTimeout(run, 1));
    idle(() => preloadMarkdown());
  }, []);

  // Back and Forward: open the chat the address now names.
  const historyMove = useHistoryMoves();
  useEffect(() => {
    const { chatId } = historyMove;
    if (chatId && chatId !== activeRef.current && startedRef.current) selectSession(chatId, 'none');
  }, [historyMove, selectSession]);

  /** The first page again (after an import), keeping the open conversation. */
  const reloadList = useCallback(async () => {
    if (listBusy.current) return;
    listBusy.current = true;
    setListLoading(true);
    setListError(null);
    try {
      const page = await api.getUserSessions(userId, { limit: PAGE_SIZE });
      if (!mounted.current) return;
      setSessions(page.sessions);
      setNextCursor(page.next_cursor);
    } catch (err) {
      if (mounted.current) setListError(describeError(err));
    } finally {
      listBusy.current = false;
      if (mounted.current) setListLoading(false);
    }
  }, [userId]);

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
      if (mounted.current) setListError(describeError(err));
    } finally {
      listBusy.current = false;
      if (mounted.current) setListLoading(false);
    }
  }, [userId, nextCursor]);

  const retryList = useCallback(() => {
    if (!startedRef.current) void start();
    else void loadMore();
  }, [start, loadMore]);

  // ---- search and tag filter ------------------------------------------------

  const runSearch = useCallback(
    async (wanted: SessionFilter, cursor: string | null) => {
      searchController.current?.abort();
      const controller = new AbortController();
      searchController.current = controller;
      setSearch((prev) => ({ ...prev, loading: true, error: null }));
      try {
        const page = await api.getUserSessions(userId, {
          limit: PAGE_SIZE,
          cursor,
          q: wanted.q.trim() || undefined,
          tag: wanted.tag ?? undefined,
          archived: wanted.archived,
          signal: controller.signal,
        });
        if (!mounted.current || controller.signal.aborted) return;
        setSearch((prev) => {
          const base = cursor ? prev.sessions : [];
          const known = new Set(base.map((s) => s.session_id));
          return {
            sessions: [...base, ...page.sessions.filter((s) => !known.has(s.session_id))],
            nextCursor: page.next_cursor,
            loading: false,
            error: null,
          };
        });
      } catch (err) {
        if (isAbortError(err) || !mounted.current) return;
        setSearch((prev) => ({ ...prev, loading: false, error: describeError(err) }));
      }
    },
    [userId],
  );

  useEffect(() => {
    if (!filtering) {
      searchController.current?.abort();
      setSearch({ sessions: [], nextCursor: null, loading: false, error: null });
      return;
    }
    void runSearch(filter, null);
  }, [filter, filtering, runSearch]);

  const changeFilter = useCallback((next: SessionFilter) => {
    setFilter((prev) =>
      prev.q === next.q && prev.tag === next.tag && (prev.archived ?? false) === (next.archived ?? false)
        ? prev
        : next,
    );
  }, []);

  // ---- changing sessions (rename, tags, delete) -----------------------------

  const patchSession = useCallback(
    async (sessionId: string, fields: api.SessionFields) => {
      const summary = await api.patchSession(userId, sessionId, fields);
      upsertSummary(summary);
    },
    [userId, upsertSummary],
  );

  const renameSession = useCallback(
    (sessionId: string, title: string) =>
      patchSession(sessionId, { title: title.trim() ? title.trim() : null }),
    [patchSession],
  );

  const setTags = useCallback(
    (sessionId: string, tags: string[]) => patchSession(sessionId, { tags }),
    [patchSession],
  );

  const patchFlag = useCallback(
    (sessionId: string, fields: Pick<api.SessionFields, 'pinned' | 'archived'>) => patchSession(sessionId, fields),
    [patchSession],
  );
  const setPinned = useCallback(
    (sessionId: string, pinned: boolean) => patchFlag(sessionId, { pinned }),
    [patchFlag],
  );
  const setArchived = useCallback(
    (sessionId: string, archived: boolean) => patchFlag(sessionId, { archived }),
    [patchFlag],
  );

  /** Open another chat than `leaving`: the most recent one shown, or a new one. */
  const leaveSession = useCallback(
    (leaving: string) => {
      if (activeRef.current !== leaving) return;
      const next = sessionsRef.current.find(
        (s) => s.session_id !== leaving && !hiddenRef.current.has(s.session_id),
      );
      activeRef.current = null;
      setActiveId(null);
      if (next) selectSession(next.session_id);
      else void createNewSession();
    },
    [selectSession, createNewSession],
  );

  /** Forget a deleted chat here (deleted by this tab, or by another: `event: deleted`). */
  const forgetSession = useCallback(
    (sessionId: string) => {
      if (!mounted.current) return;
      running.current.get(sessionId)?.controller.abort();
      setSessions((prev) => prev.filter((s) => s.session_id !== sessionId));
      setSearch((prev) => ({
        ...prev,
        sessions: prev.sessions.filter((s) => s.session_id !== sessionId),
      }));
      setThreads((prev) => {
        const next = { ...prev };
        delete next[sessionId];
        return next;
      });
      leaveSession(sessionId);
    },
    [leaveSession],
  );

  /** Delete on the server (after the Undo time) and forget the chat here. */
  const removeSession = useCallback(
    async (sessionId: string) => {
      try {
        await api.deleteSession(userId, sessionId);
      } catch (err) {
        // Already gone: the outcome the user asked for.
        if (!(err instanceof api.ApiError && err.status === 404)) throw err;
      }
      forgetSession(sessionId);
    },
    [userId, forgetSession],
  );

  const dismissToast = useCallback((id: string) => {
    if (mounted.current) setToasts((prev) => prev.filter((t) => t.id !== id));
  }, []);

  const unhide = useCallback((sessionId: string) => {
    if (!mounted.current) return;
    setHidden((prev) => {
      const next = new Set(prev);
      next.delete(sessionId);
      return next;
    });
  }, []);

  /** Hide the chat at once; delete it when the Undo time has passed without Undo. */
  const requestDelete = useCallback(
    (sessionId: string) => {
      const summary =
        sessionsRef.current.find((s) => s.session_id === sessionId) ??
        search.sessions.find((s) => s.session_id === sessionId);
      const title = summary?.title?.trim() || 'New chat';
      setHidden((prev) => new Set(prev).add(sessionId));
      hiddenRef.current = new Set(hiddenRef.current).add(sessionId);
      leaveSession(sessionId);
      setToasts((prev) => [
        ...prev.filter((t) => t.id !== `delete-${sessionId}`),
        {
          id: `delete-${sessionId}`,
          text: `Deleted “${title}”.`,
          durationMs: undoMs,
          action: { label: 'Undo', onAction: () => unhide(sessionId) },
          onExpire: () => {
            removeSession(sessionId)
              .then(() => unhide(sessionId))
              .catch((err: unknown) => {
                unhide(sessionId);
                if (!mounted.current) return;
                setToasts((prev) => [
                  ...prev,
                  {
                    id: `delete-failed-${sessionId}`,
                    text: `Couldn’t delete “${title}”: ${describeError(err)}.`,
                    durationMs: UNDO_MS,
                  },
                ]);
              });
          },
        },
      ]);
    },
    [search.sessions, leaveSession, removeSession, unhide, undoMs],
  );

  // ---- export and import ----------------------------------------------------

  const exportOne = useCallback(
    async (sessionId: string, format: 'json' | 'markdown') => {
      saveDownload(await api.exportSession(userId, sessionId, format));
    },
    [userId],
  );

  const exportAll = useCallback(async () => {
    saveDownload(await api.exportAllSessions(userId));
  }, [userId]);

  const importFile = useCallback(
    async (file: File): Promise<ImportResult> => {
      const result = await api.importSessions(userId, file);
      void reloadList();
      if (filtering) void runSearch(filter, null);
      return result;
    },
    [userId, reloadList, filtering, filter, runSearch],
  );

  // ---- sending --------------------------------------------------------------

  const finishRun = useCallback((sessionId: string, run: Running) => {
    if (run.stopTimer !== null) window.clearTimeout(run.stopTimer);
    if (running.current.get(sessionId) === run) running.current.delete(sessionId);
    if (mounted.current) {
      setStreaming((prev) => {
        const next = new Set(prev);
        next.delete(sessionId);
        return next;
      });
    }
  }, []);

  const sendMessage = useCallback(
    async (text: string, retryKey?: string) => {
      const sessionId = activeRef.current;
      if (!sessionId || running.current.has(sessionId) || !text.trim()) return;
      // The message's id, made here: a retry sends the same one, so nothing is stored twice.
      const userKey = retryKey ?? api.newId();
      const replyKey = localKey();
      const run: Running = {
        controller: new AbortController(),
        replyKey,
        saved: false,
        stopping: false,
        stopTimer: null,
      };
      running.current.set(sessionId, run);
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
      touchSummary(sessionId, (current) => ({
        ...current,
        title: current.title ?? derivedTitle(text),
      }));

      let replyText = '';
      try {
        const result = await api.chat(userId, sessionId, text, {
          id: userKey,
          signal: run.controller.signal,
          onUserMessage: (message) => {
            run.saved = true;
            updateMessage(sessionId, userKey, {
              id: message.id,
              status: 'sent',
              timestamp: message.timestamp,
              error: undefined,
            });
          },
          onDelta: (piece) => {
            if (run.stopping) return; // the text stays where the user stopped it
            replyText += piece;
            updateMessage(sessionId, replyKey, { text: replyText });
          },
        });
        updateMessage(sessionId, userKey, {
          id: result.user_message.id,
          status: 'sent',
          timestamp: result.user_message.timestamp,
          error: undefined,
        });
        updateMessage(sessionId, replyKey, {
          id: result.reply.id,
          text: result.reply.text,
          timestamp: result.reply.timestamp,
          status: 'sent',
          stopped: result.reply.metadata?.stopped === true,
        });
        touchSummary(sessionId, (current) => ({
          ...current,
          title: current.title ?? derivedTitle(text),
          updated_at: result.reply.timestamp,
          message_count: current.message_count + 2,
        }));
      } catch (err) {
        const saved = run.saved || (err instanceof ChatError && err.userMessage !== null);
        if (saved) {
          updateMessage(sessionId, userKey, { status: 'sent', error: undefined });
          touchSummary(sessionId, (current) => ({ ...current, message_count: current.message_count + 1 }));
        }
        if (run.stopping && saved) {
          // Stopped: the text so far (the server stores the same, marked stopped), or
          // nothing if Cora had not started ("stopped before answering").
          updateMessage(sessionId, replyKey, { status: 'stopped', text: replyText });
          if (isAbortError(err)) window.setTimeout(() => void loadThread(sessionId), 500);
        } else if (isAbortError(err)) {
          // Stopped (or the view went away) before the server confirmed the message.
          removeMessage(sessionId, replyKey);
          updateMessage(sessionId, userKey, {
            status: 'failed',
            error: 'stopped before the server confirmed it',
          });
        } else if (saved && err instanceof ChatError) {
          updateMessage(sessionId, replyKey, { status: 'error', error: err.message });
        } else if (saved) {
          // The connection broke mid-reply; the server stores the reply whole anyway.
          updateMessage(sessionId, replyKey, { status: 'interrupted', text: replyText });
        } else if (err instanceof api.ApiError && err.status === 413) {
          // Too long to store: no Retry can help. The text goes back into the box, with the limit.
          removeMessage(sessionId, replyKey);
          removeMessage(sessionId, userKey);
          if (mounted.current) {
            setReturned({ sessionId, text, reason: describeError(err, { context: 'message' }) });
          }
        } else {
          removeMessage(sessionId, replyKey);
          updateMessage(sessionId, userKey, { status: 'failed', error: describeError(err) });
        }
      } finally {
        finishRun(sessionId, run);
      }
    },
    [userId, updateThread, updateMessage, removeMessage, touchSummary, loadThread, finishRun],
  );

  const retryMessage = useCallback(
    (key: string) => {
      const sessionId = activeRef.current;
      if (!sessionId) return;
      const message = threadsRef.current[sessionId]?.messages.find((m) => m.key === key);
      if (message) void sendMessage(message.text, key);
    },
    [sendMessage],
  );

  /**
   * Stop the reply streaming in the active session: the stop route has the server store the
   * text so far (marked stopped), which arrives as the stream's `reply`; the stream is read
   * no further than a short grace period after that, whatever happens.
   */
  const stopReply = useCallback(() => {
    const sessionId = activeRef.current;
    if (!sessionId) return;
    const run = running.current.get(sessionId);
    if (!run) {
      // A reply this tab follows but does not write (a reload, another tab): the server
      // stops it and the session events bring the stopped reply.
      if (hasLiveReply(threadsRef.current[sessionId])) {
        api.stopReply(userId, sessionId).catch(() => undefined);
      }
      return;
    }
    if (run.stopping) return;
    run.stopping = true;
    updateMessage(sessionId, run.replyKey, { status: 'stopping' });
    if (!run.saved) {
      // The server has not confirmed the message: nothing to wait for.
      run.controller.abort();
      api.stopReply(userId, sessionId).catch(() => undefined);
      return;
    }
    const abortLater = () => {
      if (running.current.get(sessionId) === run) {
        run.stopTimer = window.setTimeout(() => run.controller.abort(), STOP_GRACE_MS);
      }
    };
    api.stopReply(userId, sessionId).then(abortLater, () => run.controller.abort());
  }, [userId, updateMessage]);

  /** A new reply to the last question (3.5): the reply shown last stays above the new one. */
  const regenerateReply = useCallback(async () => {
    const sessionId = activeRef.current;
    if (!sessionId || running.current.has(sessionId) || hasLiveReply(threadsRef.current[sessionId])) return;
    const replyKey = localKey();
    const run: Running = {
      controller: new AbortController(),
      replyKey,
      saved: true,
      stopping: false,
      stopTimer: null,
    };
    running.current.set(sessionId, run);
    setStreaming((prev) => new Set(prev).add(sessionId));
    updateThread(sessionId, (thread) => ({
      ...thread,
      messages: [...thread.messages, { key: replyKey, sender: 'assistant', text: '', status: 'streaming' }],
    }));
    let replyText = '';
    let started = false;
    try {
      const reply = await api.regenerate(userId, sessionId, {
        signal: run.controller.signal,
        onReplyStarted: (message) => {
          started = true;
          updateMessage(sessionId, replyKey, { id: message.id, timestamp: message.timestamp });
        },
        onDelta: (piece) => {
          if (run.stopping) return;
          replyText += piece;
          updateMessage(sessionId, replyKey, { text: replyText });
        },
      });
      updateMessage(sessionId, replyKey, { ...fromServer(reply), key: replyKey });
    } catch (err) {
      if (!started) {
        removeMessage(sessionId, replyKey);
        if (!isAbortError(err) && mounted.current) {
          setToasts((prev) => [
            ...prev,
            { id: localKey(), text: `Couldn’t regenerate the reply: ${describeError(err)}.`, durationMs: 8000 },
          ]);
        }
      } else if (run.stopping) {
        updateMessage(sessionId, replyKey, { status: 'stopped', text: replyText });
        window.setTimeout(() => void loadThread(sessionId), 500);
      } else if (err instanceof ChatError) {
        updateMessage(sessionId, replyKey, { status: 'error', error: err.message });
      } else {
        updateMessage(sessionId, replyKey, { status: 'interrupted', text: replyText });
      }
    } finally {
      finishRun(sessionId, run);
    }
  }, [userId, updateThread, updateMessage, removeMessage, loadThread, finishRun]);

  // ---- live updates (3.8) ---------------------------------------------------

  const thread = activeId ? (threads[activeId] ?? EMPTY_THREAD) : null;

  useLiveEvents(api.listEventsPath(userId), {
    onEvent: (event, data) => {
      if (event === 'session') upsertSummary(data as SessionSummary);
      else if (event === 'deleted') forgetSession((data as { session_id: string }).session_id);
    },
    onReset: () => void reloadList(),
  });

  const liveId = activeId !== null && thread?.loaded ? activeId : null;
  useLiveEvents(liveId === null ? null : api.sessionEventsPath(userId, liveId), {
    onEvent: (event, data) => {
      if (liveId === null) return;
      if (event === 'session') {
        upsertSummary(data as SessionSummary);
      } else if (event === 'deleted') {
        forgetSession(liveId);
      } else if (running.current.has(liveId)) {
        // This tab is writing the reply: its own stream says the same, first.
      } else if (event === 'message') {
        const message = data as Message;
        updateThread(liveId, (t) => ({ ...t, messages: upsertMessage(t.messages, message) }));
      } else if (event === 'delta') {
        const { message_id, text } = data as { message_id: string; text: string };
        updateThread(liveId, (t) => ({
          ...t,
          messages: t.messages.map((m) =>
            m.id === message_id && m.status === 'streaming' ? { ...m, text: m.text + text } : m,
          ),
        }));
      }
    },
    onReset: () => {
      if (liveId !== null) void loadThread(liveId);
    },
  });

  // ---- recovery after an outage ---------------------------------------------

  useOnReconnect(() => {
    setCreateError(null);
    if (!startedRef.current) {
      void start();
      return;
    }
    if (listError) void loadMore();
    if (filtering && search.error) void runSearch(filter, null);
    for (const [sessionId, thread] of Object.entries(threads)) {
      const stale =
        thread.error !== null || thread.messages.some((m) => m.status === 'interrupted');
      if (stale || sessionId === activeRef.current) void loadThread(sessionId);
    }
  });

  // ---- keyboard -------------------------------------------------------------

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && event.shiftKey && !event.altKey && key === 'o') {
        event.preventDefault();
        if (!creating) void createNewSession();
      } else if (mod && !event.shiftKey && !event.altKey && key === 'k') {
        event.preventDefault();
        // On a phone the list is a drawer: open it first, and focus once it is shown.
        const focusSearch = () => {
          searchRef.current?.focus();
          searchRef.current?.select();
        };
        if ((searchRef.current?.getClientRects().length ?? 0) === 0) {
          setNavOpen(true);
          window.requestAnimationFrame(focusSearch);
        } else {
          focusSearch();
        }
      } else if (event.key === 'Escape' && navOpen && !event.defaultPrevented) {
        setNavOpen(false);
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [creating, createNewSession, navOpen]);

  // ---- render -----------------------------------------------------------------

  useEffect(() => {
    if (focusComposer.current && thread?.loaded) {
      focusComposer.current = false;
      composerRef.current?.focus();
    }
  });
  const isStreaming =
    activeId !== null && (streaming.has(activeId) || hasLiveReply(threads[activeId]));
  const streamingIds = new Set(streaming);
  for (const [sessionId, t] of Object.entries(threads)) if (hasLiveReply(t)) streamingIds.add(sessionId);
  const activeSummary =
    sessions.find((s) => s.session_id === activeId) ??
    search.sessions.find((s) => s.session_id === activeId);
  const displayName = username ?? userId;
  const onLoadOlder = useCallback(() => {
    if (activeRef.current) void loadOlder(activeRef.current);
  }, [loadOlder]);
  const onStarter = useCallback((text: string) => void sendMessage(text), [sendMessage]);
  const onRegenerate = useCallback(() => void regenerateReply(), [regenerateReply]);
  const feedbackTarget = useMemo(() => (activeId ? { userId, sessionId: activeId } : null), [userId, activeId]);

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
  } else if (!thread.loaded && thread.notFound) {
    pane = (
      <div className="pane-message" role="alert">
        <h2>Chat not found</h2>
        <p>This chat doesn’t exist: it may have been deleted, or it belongs to another account.</p>
        <button type="button" className="button button-primary" onClick={() => void createNewSession()}>
          Start a new chat
        </button>
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
      <FeedbackContext.Provider value={feedbackTarget}>
      <MessageList
        key={activeId}
        messages={thread.messages}
        userName={displayName}
        busy={isStreaming}
        onRetry={retryMessage}
        onRegenerate={onRegenerate}
        onStarter={onStarter}
        startersDisabled={isStreaming}
        hasOlder={thread.hasOlder}
        loadingOlder={thread.loadingOlder}
        olderError={thread.olderError}
        onLoadOlder={onLoadOlder}
      />
      </FeedbackContext.Provider>
    );
  }

  const shown = filtering ? search : null;
  const visible = (list: SessionSummary[]) =>
    hidden.size === 0 ? list : list.filter((s) => !hidden.has(s.session_id));

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
        Skip to the message box
      </a>
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
          {onOpenSettings && (
            <a
              className="button button-quiet"
              href="/settings"
              onClick={(event) => {
                event.preventDefault();
                onOpenSettings();
              }}
            >
              Settings
            </a>
          )}
          <button type="button" className="button button-quiet" onClick={onLogout}>
            Log out
          </button>
        </div>
      </header>
      <ShortcutSheet />
      <ConnectionBanner />
      <div className="workspace">
        <SessionManager
          id="chat-nav"
          userId={userId}
          sessions={visible(shown ? shown.sessions : sessions)}
          activeId={activeId}
          loading={shown ? shown.loading : listLoading}
          error={shown ? shown.error : listError}
          hasMore={shown ? shown.nextCursor !== null : nextCursor !== null}
          creating={creating}
          createError={createError}
          onSelect={selectSession}
          onNewChat={() => void createNewSession()}
          onLoadMore={() => (shown ? void runSearch(filter, search.nextCursor) : void loadMore())}
          onRetry={() => (shown ? void runSearch(filter, null) : retryList())}
          filter={filter}
          onFilterChange={changeFilter}
          searchRef={searchRef}
          onRename={renameSession}
          onSetTags={setTags}
          onDelete={requestDelete}
          onSetPinned={setPinned}
          onSetArchived={setArchived}
          streamingIds={streamingIds}
          onExport={exportOne}
          onExportAll={exportAll}
          onImport={importFile}
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
            key={`composer-${activeId ?? 'none'}`}
            ref={composerRef}
            userId={userId}
            sessionId={activeId}
            returned={returned && returned.sessionId === activeId ? returned : null}
            onSend={(text) => void sendMessage(text)}
            onStop={stopReply}
            streaming={isStreaming}
            stopping={
              isStreaming && activeId !== null && (running.current.get(activeId)?.stopping ?? false)
            }
            disabled={!thread?.loaded}
          />
        </main>
      </div>
      <Toasts toasts={toasts} onDismiss={dismissToast} />
    </div>
  );
}
