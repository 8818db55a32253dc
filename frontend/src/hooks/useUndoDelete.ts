import { useCallback, useEffect, useRef } from 'react';
import { i18n } from '../i18n';
import * as api from '../api';
import type { ToastData } from '../components/ui/Toast';
import { describeError } from '../errors';

/** A deleted chat is hidden at once and deleted on the server this much later, unless undone. */
export const UNDO_MS = 6000;

export interface UndoDeleteOptions {
  userId: string;
  undoMs: number;
  titleOf: (sessionId: string) => string;
  /** Hide the chat everywhere at once (and open another if it was open), or show it again. */
  hide: (sessionId: string) => void;
  unhide: (sessionId: string) => void;
  /** The chat is deleted on the server: forget it here. */
  forget: (sessionId: string) => void;
  showToast: (toast: ToastData) => void;
}

/**
 * Delete with Undo: the chat is hidden at once, and deleted when the Undo time has passed, or
 * sooner when the user leaves before it has (the page is closed or reloaded, the chats are left
 * for another view): a deletion nobody undid is never lost. `deletePending` deletes the chats
 * still waiting now (before logging out, while the token still works).
 */
export function useUndoDelete({ userId, undoMs, titleOf, hide, unhide, forget, showToast }: UndoDeleteOptions) {
  /** Chats hidden and not yet deleted on the server, nor brought back. */
  const pending = useRef(new Set<string>());

  const removeSession = useCallback(
    async (sessionId: string, keepalive = false) => {
      try {
        await api.deleteSession(userId, sessionId, undefined, { keepalive });
      } catch (err) {
        // Already gone: the outcome the user asked for.
        if (!(err instanceof api.ApiError && err.status === 404)) throw err;
      }
      forget(sessionId);
    },
    [userId, forget],
  );

  const deletePending = useCallback(() => {
    const sessionIds = [...pending.current];
    pending.current.clear();
    return Promise.allSettled(sessionIds.map((sessionId) => removeSession(sessionId, true)));
  }, [removeSession]);

  // On leaving, with the latest `deletePending` (not on every change of it: that is no leaving).
  const latestDeletePending = useRef(deletePending);
  useEffect(() => {
    latestDeletePending.current = deletePending;
  }, [deletePending]);
  useEffect(() => {
    const onLeave = () => void latestDeletePending.current();
    window.addEventListener('pagehide', onLeave);
    return () => {
      window.removeEventListener('pagehide', onLeave);
      onLeave();
    };
  }, []);

  const requestDelete = useCallback(
    (sessionId: string) => {
      const title = titleOf(sessionId);
      hide(sessionId);
      pending.current.add(sessionId);
      showToast({
        id: `delete-${sessionId}`,
        text: i18n.t('app.deleted', { title }),
        durationMs: undoMs,
        action: {
          label: i18n.t('app.undo'),
          onAction: () => {
            if (pending.current.delete(sessionId)) unhide(sessionId);
          },
        },
        onExpire: () => {
          if (!pending.current.delete(sessionId)) return; // undone, or deleted as the page was left
          removeSession(sessionId)
            .then(() => unhide(sessionId))
            .catch((err: unknown) => {
              unhide(sessionId);
              showToast({
                id: `delete-failed-${sessionId}`,
                text: i18n.t('app.deleteFailed', { title, reason: describeError(err) }),
                durationMs: UNDO_MS,
              });
            });
        },
      });
    },
    [titleOf, hide, unhide, removeSession, showToast, undoMs],
  );

  return { requestDelete, deletePending };
}
