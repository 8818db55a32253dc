import { useCallback, useMemo, useState } from 'react';

/** A chat row's edit in progress: its title being renamed, or a tag being typed. */
export interface RowEdit {
  mode: 'rename' | 'tags';
  /** What is typed so far: the title, or the tag not yet added. */
  text: string;
  /** Just opened: its field takes focus when shown (not when scrolled back into view). */
  fresh: boolean;
}

export interface RowEdits {
  /** The edit of a chat, if one is open. */
  of: (sessionId: string) => RowEdit | undefined;
  open: (sessionId: string, mode: RowEdit['mode'], text: string) => void;
  type: (sessionId: string, text: string) => void;
  /** The field has been focused once: from now on it is shown without taking focus. */
  shown: (sessionId: string) => void;
  close: (sessionId: string) => void;
}

/**
 * The edits open in the chat list, by chat, above its virtual rows: a row scrolled far away
 * leaves the page, and brings back its rename or tag editor, with what was typed, when it
 * is scrolled into view again.
 */
export function useRowEdits(): RowEdits {
  const [edits, setEdits] = useState<ReadonlyMap<string, RowEdit>>(() => new Map());

  const change = useCallback((sessionId: string, update: (edit: RowEdit | undefined) => RowEdit | undefined) => {
    setEdits((prev) => {
      const before = prev.get(sessionId);
      const after = update(before);
      if (after === before) return prev;
      const next = new Map(prev);
      if (after) next.set(sessionId, after);
      else next.delete(sessionId);
      return next;
    });
  }, []);

  const open = useCallback(
    (sessionId: string, mode: RowEdit['mode'], text: string) => change(sessionId, () => ({ mode, text, fresh: true })),
    [change],
  );
  const type = useCallback(
    (sessionId: string, text: string) => change(sessionId, (edit) => (edit && edit.text !== text ? { ...edit, text } : edit)),
    [change],
  );
  const shown = useCallback(
    (sessionId: string) => change(sessionId, (edit) => (edit?.fresh ? { ...edit, fresh: false } : edit)),
    [change],
  );
  const close = useCallback((sessionId: string) => change(sessionId, () => undefined), [change]);
  const of = useCallback((sessionId: string) => edits.get(sessionId), [edits]);

  return useMemo(() => ({ of, open, type, shown, close }), [of, open, type, shown, close]);
}
