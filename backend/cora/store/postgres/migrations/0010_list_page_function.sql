-- A page of a user's list written as the API's JSON (issue 13), read by walking the recency
-- index in order and stopping after the page.
--
-- Every append moves its session's `updated_at`, so each leaves a dead entry in
-- `sessions_by_user_recency` until VACUUM; on a large table autovacuum comes after 20% of its
-- rows have changed. Planned freely, the list became a bitmap scan of all the user's entries,
-- live and dead, then a sort: after 25,000 appends to one user's 64 sessions, 13,000 index
-- entries read for 51 rows (2 ms instead of 0.35 ms). An ordered index scan reads the newest
-- entries first, stops after the page, and marks the dead entries it passes so that later scans
-- skip them. With sorts off inside this function, that scan is the only plan left (else, with
-- incremental sorts, it may walk every user's sessions by `sessions_by_updated_at`).
--
-- The first page asks for positions before ('infinity', the largest uuid), so both pages use one
-- indexable row comparison. The objects have the fields and order of `cora.encoding` (as
-- `queries._SUMMARY_PAIRS`); the contract suite compares them with the records' encoding.
CREATE FUNCTION cora_list_page(
    p_user_id text,
    p_archived boolean,
    p_pinned_only boolean,
    p_limit integer,
    p_after_updated_at timestamptz,
    p_after_session_id uuid
) RETURNS TABLE (
    page text,
    more boolean,
    last_updated_at timestamptz,
    last_session_id uuid
) LANGUAGE plpgsql STABLE
SET enable_sort = off SET enable_incremental_sort = off AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH page_rows AS (
        SELECT s.session_id, s.user_id, s.title, s.created_at, s.updated_at, s.message_count,
               s.tags, s.metadata, s.pinned, s.archived,
               row_number() OVER (ORDER BY s.updated_at DESC, s.session_id DESC) AS n
        FROM sessions s
        WHERE s.user_id = p_user_id
          AND (s.updated_at, s.session_id) < (
              coalesce(p_after_updated_at, 'infinity'),
              coalesce(p_after_session_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))
          AND (p_archived IS NULL OR s.archived = p_archived)
          AND (NOT p_pinned_only OR s.pinned)
        ORDER BY s.updated_at DESC, s.session_id DESC
        LIMIT p_limit + 1
    )
    SELECT coalesce(json_agg(json_build_object(
               'session_id', r.session_id, 'user_id', r.user_id, 'title', r.title,
               'created_at',
               to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'updated_at',
               to_char(r.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'message_count', r.message_count, 'tags', r.tags, 'metadata', r.metadata,
               'pinned', r.pinned, 'archived', r.archived)
             ORDER BY r.n) FILTER (WHERE r.n <= p_limit), '[]')::text,
           count(*) > p_limit,
           (array_agg(r.updated_at) FILTER (WHERE r.n = p_limit))[1],
           (array_agg(r.session_id) FILTER (WHERE r.n = p_limit))[1]
    FROM page_rows r;
END;
$$;
