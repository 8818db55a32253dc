import { useCallback, useEffect, useRef, useState } from 'react';
import { getTags, isAbortError, type TagCount } from '../../api';
import { describeError } from '../../errors';

export interface TagsState {
  tags: TagCount[] | null;
  loading: boolean;
  error: string | null;
  reload: () => void;
}

/** The user's tags with their counts (3.11), read while `active` and on `reload`. */
export function useTags(userId: string, active: boolean): TagsState {
  const [tags, setTags] = useState<TagCount[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!active) return undefined;
    const abort = new AbortController();
    controller.current = abort;
    setLoading(true);
    setError(null);
    getTags(userId, abort.signal)
      .then((found) => {
        setTags(found);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (isAbortError(err)) return;
        setError(describeError(err));
        setLoading(false);
      });
    return () => abort.abort();
  }, [userId, active, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { tags, loading, error, reload };
}
