import { useCallback } from 'react';
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

/** Delete with Undo: the chat is hidden at once, and deleted when the Undo time has passed. */
export function useUndoDelete({ userId, undoMs, titleOf, hide, unhide, forget, showToast }: UndoDeleteOptions) {
  const removeSession = useCallback(
    async (sessionId: string) => {
      try {
        await api.deleteSession(userId, sessionId);
      } catch (err) {
        // Already gone: the outcome the user asked for.
        if (!(err instanceof api.ApiError && err.status === 404)) throw err;
      }
      forget(sessionId);
    },
    [userId, forget],
  );

  return useCallback(
    (sessionId: string) => {
      const title = titleOf(sessionId);
      hide(sessionId);
      showToast({
        id: `delete-${sessionId}`,
        text: i18n.t('app.deleted', { title }),
        durationMs: undoMs,
        action: { label: i18n.t('app.undo'), onAction: () => unhide(sessionId) },
        onExpire: () => {
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
}
