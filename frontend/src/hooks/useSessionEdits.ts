import { useCallback } from 'react';
import * as api from '../api';
import type { ImportResult, SessionSummary } from '../api';
import { saveDownload } from '../download';

/**
 * What the sidebar's menus do to chats on the server: rename, tags, pin, archive (the
 * server's summary goes back into the list through `onSaved`), export and import.
 */
export function useSessionEdits(
  userId: string,
  onSaved: (summary: SessionSummary) => void,
  onImported: () => void,
) {
  const patchSession = useCallback(
    async (sessionId: string, fields: api.SessionFields) => {
      onSaved(await api.patchSession(userId, sessionId, fields));
    },
    [userId, onSaved],
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

  const setPinned = useCallback(
    (sessionId: string, pinned: boolean) => patchSession(sessionId, { pinned }),
    [patchSession],
  );

  const setArchived = useCallback(
    (sessionId: string, archived: boolean) => patchSession(sessionId, { archived }),
    [patchSession],
  );

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
      onImported();
      return result;
    },
    [userId, onImported],
  );

  return { renameSession, setTags, setPinned, setArchived, exportOne, exportAll, importFile };
}
