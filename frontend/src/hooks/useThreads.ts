import { useCallback, useRef, useState } from 'react';
import * as api from '../api';
import type { Message } from '../api';
import type { UiMessage } from '../components/MessageList';
import { describeError } from '../errors';
import { useMounted } from './useMounted';

/** Messages per page of a conversation: the latest ones first, older ones on scrolling up. */
export const MESSAGE_PAGE = 50;

export interface Thread {
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

export const EMPTY_THREAD: Thread = {
  messages: [],
  loaded: false,
  loading: false,
  error: null,
  hasOlder: false,
  loadingOlder: false,
  olderError: null,
};

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
    suggestions: suggestionsOf(message.metadata),
    declined: message.metadata?.fallback === true,
  };
}

/** The questions a reply offers (`metadata.suggestions`), if it holds a list of texts. */
export function suggestionsOf(metadata: Record<string, unknown> | undefined): string[] | undefined {
  const found = metadata?.suggestions;
  if (!Array.isArray(found)) return undefined;
  const texts = found.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
  return texts.length ? texts : undefined;
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
export function hasLiveReply(thread: Thread | undefined): boolean {
  return thread?.messages.some((m) => m.id && m.status === 'streaming') ?? false;
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

/**
 * The stored messages a thread read before its live stream opened has not seen (a stream
 * carries only what happens after it opens): messages not shown are added after the stored
 * ones shown, and a reply shown as streaming that has ended takes its stored copy. Nothing
 * else shown changes, so text a stream has added since is never cut.
 */
function caughtUp(shown: UiMessage[], stored: Message[]): UiMessage[] {
  const storedById = new Map(stored.map((m) => [m.id, m]));
  const known = new Set(shown.flatMap((m) => (m.id ? [m.id, m.key] : [m.key])));
  const kept = shown.map((m) => {
    const copy = m.id && m.status === 'streaming' ? storedById.get(m.id) : undefined;
    return copy && copy.status !== 'streaming' ? { ...fromServer(copy), key: m.key } : m;
  });
  const missing = stored.filter((m) => !known.has(m.id)).map(fromServer);
  if (missing.length === 0) return kept;
  const unsent = kept.filter((m) => !m.id);
  return [...kept.filter((m) => m.id), ...missing, ...unsent];
}

/**
 * The conversations loaded in this page, by session id: their latest page, older pages on
 * demand, and the live events (3.8) of a reply this tab does not write. `isWriting(id)`
 * (stable) says this tab streams a reply into that chat: its stream, not a reload, is the truth.
 */
export function useThreads(userId: string, isWriting: (sessionId: string) => boolean) {
  const [threads, setThreads] = useState<Record<string, Thread>>({});
  const threadsRef = useRef(threads);
  threadsRef.current = threads;
  const olderBusy = useRef(new Set<string>());
  const mounted = useMounted();

  const updateThread = useCallback(
    (sessionId: string, change: (thread: Thread) => Thread) => {
      if (!mounted.current) return;
      setThreads((prev) => ({ ...prev, [sessionId]: change(prev[sessionId] ?? EMPTY_THREAD) }));
    },
    [mounted],
  );

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

  /** The latest page of messages; a conversation already shown stays shown meanwhile. */
  const loadThread = useCallback(
    async (sessionId: string) => {
      if (isWriting(sessionId)) return;
      if (!api.isUuid(sessionId)) {
        // An address no chat can have (a link cut short): not found, without asking.
        updateThread(sessionId, (thread) => ({ ...thread, loading: false, notFound: true, error: null }));
        return;
      }
      const wasLoaded = threadsRef.current[sessionId]?.loaded ?? false;
      updateThread(sessionId, (thread) => ({ ...thread, loading: true, error: null }));
      try {
        const page = await api.getMessages(userId, sessionId, { limit: MESSAGE_PAGE });
        if (isWriting(sessionId)) return;
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
    [userId, isWriting, updateThread],
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

  /** A chat just created: nothing to load. */
  const addEmptyThread = useCallback(
    (sessionId: string) => {
      if (!mounted.current) return;
      setThreads((prev) => ({ ...prev, [sessionId]: { ...EMPTY_THREAD, loaded: true } }));
    },
    [mounted],
  );

  const forgetThread = useCallback(
    (sessionId: string) => {
      if (!mounted.current) return;
      setThreads((prev) => {
        const next = { ...prev };
        delete next[sessionId];
        return next;
      });
    },
    [mounted],
  );

  /** A chat's `message` or `delta` event, unless this tab writes that reply (its stream says it first). */
  const applyLiveEvent = useCallback(
    (sessionId: string, event: string, data: unknown) => {
      if (isWriting(sessionId)) return;
      if (event === 'message') {
        const message = data as Message;
        updateThread(sessionId, (t) => ({ ...t, messages: upsertMessage(t.messages, message) }));
      } else if (event === 'delta') {
        const { message_id, text } = data as { message_id: string; text: string };
        updateThread(sessionId, (t) => ({
          ...t,
          messages: t.messages.map((m) =>
            m.id === message_id && m.status === 'streaming' ? { ...m, text: m.text + text } : m,
          ),
        }));
      }
    },
    [isWriting, updateThread],
  );

  /** Once the chat's live stream is open: what was stored since its messages were read. */
  const catchUp = useCallback(
    async (sessionId: string) => {
      if (isWriting(sessionId)) return;
      let page: api.MessagePage;
      try {
        page = await api.getMessages(userId, sessionId, { limit: MESSAGE_PAGE });
      } catch {
        return; // left as shown, as a failed background refresh is; a reopening reads it again
      }
      if (isWriting(sessionId)) return;
      updateThread(sessionId, (t) => ({ ...t, messages: caughtUp(t.messages, page.messages) }));
    },
    [userId, isWriting, updateThread],
  );

  /** After an outage: the chats whose load failed or whose reply broke off, and `activeId`, again. */
  const reloadStale = useCallback(
    (activeId: string | null) => {
      for (const [sessionId, thread] of Object.entries(threadsRef.current)) {
        const stale = thread.error !== null || thread.messages.some((m) => m.status === 'interrupted');
        if (stale || sessionId === activeId) void loadThread(sessionId);
      }
    },
    [loadThread],
  );

  return {
    threads,
    threadsRef,
    updateThread,
    updateMessage,
    removeMessage,
    loadThread,
    loadOlder,
    addEmptyThread,
    forgetThread,
    applyLiveEvent,
    catchUp,
    reloadStale,
  };
}
