import { useCallback, useEffect, useRef, useState } from 'react';
import * as api from '../api';
import { isAbortError, type SessionSummary } from '../api';
import { NO_FILTER, isFiltering, type SessionFilter } from '../components/sidebar/filter';
import { describeError } from '../errors';
import { useMounted } from './useMounted';

/** Sessions per page of the sidebar. */
export const PAGE_SIZE = 20;
/** Pages one search call reads at most while the server's budget keeps them short. */
const SEARCH_PAGES_PER_CALL = 5;

interface SearchState {
  sessions: SessionSummary[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
  /** The filter these results answer (they are another filter's until its first page arrives). */
  answers: SessionFilter | null;
}

const NO_RESULTS: SearchState = { sessions: [], nextCursor: null, loading: false, error: null, answers: null };

/** How loading the first page went: its sessions, or the error to show. */
export type FirstPage = { sessions: SessionSummary[] } | { error: string };

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

/** `page` after `base`, without the sessions `base` already has (a page may overlap the last). */
function appendPage(base: SessionSummary[], page: SessionSummary[]): SessionSummary[] {
  const known = new Set(base.map((s) => s.session_id));
  return [...base, ...page.filter((s) => !known.has(s.session_id))];
}

/**
 * The sidebar's list: the user's chats page by page (most recent first), and while a
 * filter is set (words, a tag, the archive) the server's results for it, page by page.
 * Chats being deleted (Undo still possible) are hidden from both.
 */
export function useSessionList(userId: string) {
  const [sessions, setSessions] = useState<SessionSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const sessionsRef = useRef(sessions);
  sessionsRef.current = sessions;
  const listBusy = useRef(false);

  const [filter, setFilter] = useState<SessionFilter>(NO_FILTER);
  const [search, setSearch] = useState<SearchState>(NO_RESULTS);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const searchRef = useRef(search);
  searchRef.current = search;
  const searchController = useRef<AbortController | null>(null);
  const filtering = isFiltering(filter);

  // Deleted in this page, waiting for the Undo time to pass: hidden everywhere.
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const hiddenRef = useRef(hidden);
  hiddenRef.current = hidden;

  const mounted = useMounted();
  useEffect(() => () => searchController.current?.abort(), []);

  // ---- the list ---------------------------------------------------------------

  /** The first page again; null when a page is already on its way (nothing done). */
  const loadFirstPage = useCallback((): Promise<FirstPage | null> | null => {
    if (listBusy.current) return null;
    listBusy.current = true;
    setLoading(true);
    setError(null);
    return (async () => {
      try {
        const page = await api.getUserSessions(userId, { limit: PAGE_SIZE });
        if (!mounted.current) return null;
        setSessions(page.sessions);
        setNextCursor(page.next_cursor);
        return { sessions: page.sessions };
      } catch (err) {
        if (!mounted.current) return null;
        setError(describeError(err));
        return { error: describeError(err) };
      } finally {
        listBusy.current = false;
        if (mounted.current) setLoading(false);
      }
    })();
  }, [userId, mounted]);

  const loadMore = useCallback(async () => {
    if (listBusy.current || !nextCursor) return;
    listBusy.current = true;
    setLoading(true);
    setError(null);
    try {
      const page = await api.getUserSessions(userId, { limit: PAGE_SIZE, cursor: nextCursor });
      if (!mounted.current) return;
      setSessions((prev) => appendPage(prev, page.sessions));
      setNextCursor(page.next_cursor);
    } catch (err) {
      if (mounted.current) setError(describeError(err));
    } finally {
      listBusy.current = false;
      if (mounted.current) setLoading(false);
    }
  }, [userId, mounted, nextCursor]);

  // ---- search and tag filter --------------------------------------------------

  const runSearch = useCallback(
    async (wanted: SessionFilter, cursor: string | null) => {
      searchController.current?.abort();
      const controller = new AbortController();
      searchController.current = controller;
      setSearch((prev) => ({ ...prev, loading: true, error: null }));
      try {
        // A search cut short by the server's time budget answers a short page and a cursor (3.4):
        // go on reading until the page is full, the results end, or a few pages were asked.
        let found: SessionSummary[] = [];
        let next = cursor;
        for (let asked = 0; asked < SEARCH_PAGES_PER_CALL; asked++) {
          const page = await api.getUserSessions(userId, {
            limit: PAGE_SIZE - found.length,
            cursor: next,
            q: wanted.q.trim() || undefined,
            tag: wanted.tag ?? undefined,
            archived: wanted.archived,
            signal: controller.signal,
          });
          if (!mounted.current || controller.signal.aborted) return;
          found = appendPage(found, page.sessions);
          next = page.next_cursor;
          if (found.length >= PAGE_SIZE || next === null) break;
        }
        setSearch((prev) => ({
          sessions: appendPage(cursor ? prev.sessions : [], found),
          nextCursor: next,
          loading: false,
          error: null,
          answers: wanted,
        }));
      } catch (err) {
        if (isAbortError(err) || !mounted.current) return;
        setSearch((prev) => ({ ...prev, loading: false, error: describeError(err), answers: wanted }));
      }
    },
    [userId, mounted],
  );

  useEffect(() => {
    if (!filtering) {
      searchController.current?.abort();
      setSearch(NO_RESULTS);
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

  // ---- what is shown ------------------------------------------------------------

  const visible = (list: SessionSummary[]) =>
    hidden.size === 0 ? list : list.filter((s) => !hidden.has(s.session_id));
  /**
   * What the sidebar shows: the results while filtering, else the list; hidden ones left out.
   * `settled`: what is shown answers the filter set now (the keyboard waits for it, see SearchBox).
   */
  const shown = filtering
    ? {
        sessions: visible(search.sessions),
        loading: search.loading,
        error: search.error,
        hasMore: search.nextCursor !== null,
        // The results are those of the filter set now, and no page of them is on its way.
        settled: search.answers === filter && !search.loading,
      }
    : { sessions: visible(sessions), loading, error, hasMore: nextCursor !== null, settled: !loading };

  /** The next page of what is shown. */
  const showMore = useCallback(() => {
    if (filtering) void runSearch(filter, search.nextCursor);
    else void loadMore();
  }, [filtering, filter, search.nextCursor, runSearch, loadMore]);

  /** After a failure: the results again, or the list's next page. */
  const retry = useCallback(() => {
    if (filtering) void runSearch(filter, null);
    else void loadMore();
  }, [filtering, filter, runSearch, loadMore]);

  /** After an outage: what failed, again. */
  const recover = useCallback(() => {
    if (error) void loadMore();
    if (filtering && search.error) void runSearch(filter, null);
  }, [error, filtering, search.error, filter, runSearch, loadMore]);

  /** The first page and the results again (chats were added elsewhere: an import). */
  const refresh = useCallback(() => {
    void loadFirstPage();
    if (filtering) void runSearch(filter, null);
  }, [loadFirstPage, filtering, filter, runSearch]);

  // ---- changes ----------------------------------------------------------------

  /** Put a summary into the list (most recent first), replacing an older copy. */
  const upsertSummary = useCallback(
    (summary: SessionSummary) => {
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
    },
    [mounted],
  );

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
    [mounted],
  );

  /** Take a deleted chat out of the list and the results. */
  const dropSummary = useCallback(
    (sessionId: string) => {
      if (!mounted.current) return;
      setSessions((prev) => prev.filter((s) => s.session_id !== sessionId));
      setSearch((prev) => ({
        ...prev,
        sessions: prev.sessions.filter((s) => s.session_id !== sessionId),
      }));
    },
    [mounted],
  );

  const hide = useCallback((sessionId: string) => {
    setHidden((prev) => new Set(prev).add(sessionId));
    // Seen at once by what runs next (opening another chat than the hidden one).
    hiddenRef.current = new Set(hiddenRef.current).add(sessionId);
  }, []);

  const unhide = useCallback(
    (sessionId: string) => {
      if (!mounted.current) return;
      setHidden((prev) => {
        const next = new Set(prev);
        next.delete(sessionId);
        return next;
      });
    },
    [mounted],
  );

  /** The first chat of the list (most recent first), not hidden, that `wanted` accepts. */
  const findListed = useCallback(
    (wanted: (summary: SessionSummary) => boolean) =>
      sessionsRef.current.find((s) => !hiddenRef.current.has(s.session_id) && wanted(s)),
    [],
  );

  /** A chat's summary, from the list or the results. */
  const summaryFor = useCallback(
    (sessionId: string | null): SessionSummary | undefined =>
      sessionsRef.current.find((s) => s.session_id === sessionId) ??
      searchRef.current.sessions.find((s) => s.session_id === sessionId),
    [],
  );

  return {
    sessions,
    filter,
    filtering,
    changeFilter,
    shown,
    loadFirstPage,
    loadMore,
    showMore,
    retry,
    recover,
    refresh,
    upsertSummary,
    touchSummary,
    dropSummary,
    hide,
    unhide,
    findListed,
    summaryFor,
  };
}
