import { useCallback, useEffect, useRef, useState } from 'react';
import { i18n } from '../i18n';
import * as api from '../api';
import { ChatError, isAbortError, type SessionSummary } from '../api';
import { describeError } from '../errors';
import { useMounted } from './useMounted';
import { fromServer, hasLiveReply, useThreads } from './useThreads';

/** After the stop route answered, how long to wait for the stopped reply on the stream. */
export const STOP_GRACE_MS = 3000;
/** After a reply was stopped and its stream cut, when to read the stored copy. */
const RELOAD_AFTER_STOP_MS = 500;

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

/** A message the server refused (too long), to give back to that chat's composer. */
export interface ReturnedText {
  sessionId: string;
  text: string;
  reason: string;
}

export interface ChatTurnOptions {
  /** Change a chat's summary in the list at once (its title, time, message count). */
  touchSummary?: (sessionId: string, change: (summary: SessionSummary) => SessionSummary) => void;
  /** Something to tell the user outside the conversation (a regenerate that could not start). */
  onNotice?: (text: string) => void;
}

let keyCounter = 0;
function localKey(): string {
  keyCounter += 1;
  return `local-${Date.now().toString(36)}-${keyCounter}`;
}

/** The title the server derives (contract 1): first non-blank line, trimmed, at most 80. */
function derivedTitle(text: string): string | null {
  const line = text.split('\n').find((l) => l.trim() !== '');
  return line ? line.trim().slice(0, 80) : null;
}

/**
 * The chat's turns: send a message and stream the reply, stop it, retry a message that was
 * not stored, regenerate the last reply; at most one reply written at a time per chat.
 * Holds the loaded conversations (`useThreads`) the turns write into.
 */
export function useChatTurn(userId: string, options: ChatTurnOptions = {}) {
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const running = useRef(new Map<string, Running>());
  const [streaming, setStreaming] = useState<ReadonlySet<string>>(new Set());
  const [returned, setReturned] = useState<ReturnedText | null>(null);
  const mounted = useMounted();

  const isWriting = useCallback((sessionId: string) => running.current.has(sessionId), []);
  const threadStore = useThreads(userId, isWriting);
  const { threads, threadsRef, updateThread, updateMessage, removeMessage, loadThread } = threadStore;

  useEffect(() => {
    const runs = running.current;
    return () => {
      for (const run of runs.values()) run.controller.abort();
    };
  }, []);

  const touchSummary = useCallback(
    (sessionId: string, change: (summary: SessionSummary) => SessionSummary) =>
      optionsRef.current.touchSummary?.(sessionId, change),
    [],
  );

  const beginRun = useCallback((sessionId: string, replyKey: string, saved: boolean): Running => {
    const run: Running = { controller: new AbortController(), replyKey, saved, stopping: false, stopTimer: null };
    running.current.set(sessionId, run);
    setStreaming((prev) => new Set(prev).add(sessionId));
    return run;
  }, []);

  const finishRun = useCallback(
    (sessionId: string, run: Running) => {
      if (run.stopTimer !== null) window.clearTimeout(run.stopTimer);
      if (running.current.get(sessionId) === run) running.current.delete(sessionId);
      if (mounted.current) {
        setStreaming((prev) => {
          const next = new Set(prev);
          next.delete(sessionId);
          return next;
        });
      }
    },
    [mounted],
  );

  const reloadSoon = useCallback(
    (sessionId: string) => window.setTimeout(() => void loadThread(sessionId), RELOAD_AFTER_STOP_MS),
    [loadThread],
  );

  /** Send `text` to the chat and stream the reply; `retryKey`: the id of a message not stored. */
  const send = useCallback(
    async (sessionId: string, text: string, retryKey?: string) => {
      if (running.current.has(sessionId) || !text.trim()) return;
      // The message's id, made here: a retry sends the same one, so nothing is stored twice.
      const userKey = retryKey ?? api.newId();
      const replyKey = localKey();
      const run = beginRun(sessionId, replyKey, false);

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
        updateMessage(sessionId, replyKey, { ...fromServer(result.reply), key: replyKey });
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
          if (isAbortError(err)) reloadSoon(sessionId);
        } else if (isAbortError(err)) {
          // Stopped (or the view went away) before the server confirmed the message. It may
          // have stored it all the same (the answer was on its way): read what it has, which
          // replaces the message shown as not sent when its id is there.
          removeMessage(sessionId, replyKey);
          updateMessage(sessionId, userKey, {
            status: 'failed',
            error: i18n.t('errors.stoppedBeforeConfirmed'),
          });
          reloadSoon(sessionId);
        } else if (saved && err instanceof ChatError) {
          updateMessage(sessionId, replyKey, { status: 'error', error: describeError(err, { context: 'message' }) });
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
          updateMessage(sessionId, userKey, { status: 'failed', error: describeError(err, { context: 'message' }) });
        }
      } finally {
        finishRun(sessionId, run);
      }
    },
    [userId, mounted, beginRun, finishRun, updateThread, updateMessage, removeMessage, touchSummary, reloadSoon],
  );

  /** Send again a message that was not stored, with the same id. */
  const retry = useCallback(
    (sessionId: string, key: string) => {
      const message = threadsRef.current[sessionId]?.messages.find((m) => m.key === key);
      if (message) void send(sessionId, message.text, key);
    },
    [threadsRef, send],
  );

  /**
   * Stop the reply streaming in the chat: the stop route has the server store the text so
   * far (marked stopped), which arrives as the stream's `reply`; the stream is read no
   * further than a short grace period after that, whatever happens.
   */
  const stop = useCallback(
    (sessionId: string) => {
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
    },
    [userId, threadsRef, updateMessage],
  );

  /** A new reply to the last question (3.5): the reply shown last stays above the new one. */
  const regenerate = useCallback(
    async (sessionId: string) => {
      if (running.current.has(sessionId) || hasLiveReply(threadsRef.current[sessionId])) return;
      const replyKey = localKey();
      const run = beginRun(sessionId, replyKey, true);
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
            optionsRef.current.onNotice?.(i18n.t('app.regenerateFailed', { reason: describeError(err, { context: 'message' }) }));
          }
        } else if (run.stopping) {
          updateMessage(sessionId, replyKey, { status: 'stopped', text: replyText });
          reloadSoon(sessionId);
        } else if (err instanceof ChatError) {
          updateMessage(sessionId, replyKey, { status: 'error', error: describeError(err, { context: 'message' }) });
        } else {
          updateMessage(sessionId, replyKey, { status: 'interrupted', text: replyText });
        }
      } finally {
        finishRun(sessionId, run);
      }
    },
    [userId, mounted, threadsRef, beginRun, finishRun, updateThread, updateMessage, removeMessage, reloadSoon],
  );

  /** Cut the stream of the reply this tab writes into the chat (the chat was deleted). */
  const abort = useCallback((sessionId: string) => running.current.get(sessionId)?.controller.abort(), []);

  /** The user pressed Stop on the chat's reply and it has not ended yet. */
  const isStopping = useCallback((sessionId: string) => running.current.get(sessionId)?.stopping ?? false, []);

  /** Chats with a reply being written: by this tab, or followed live. */
  const streamingIds = new Set(streaming);
  for (const [sessionId, t] of Object.entries(threads)) if (hasLiveReply(t)) streamingIds.add(sessionId);

  return {
    ...threadStore,
    streamingIds,
    returned,
    send,
    retry,
    stop,
    regenerate,
    abort,
    isWriting,
    isStopping,
  };
}
