-- A page of a user's list (issue 13): each session's list entry kept as the API's JSON text,
-- and a page read by walking the recency index in order and stopping after it.
--
-- `summary_json`: building the 51 objects of a page (`json_build_object`, two `to_char`s each)
-- was two thirds of PostgreSQL's CPU for a list: 380-393 us per page of 50, against 133 us
-- joining stored texts (same JSON). A write pays it once per row it writes: ~15 us of an
-- append's ~200 us. The object has the fields and order of `cora.encoding`, as
-- `queries._SUMMARY_PAIRS` (the contract suite compares the list with the records' encoding).
-- The trigger keeps it current on every insert, COPY included, and on every update that sets a
-- field of the summary (today every update of a session sets `updated_at`; one of the reply
-- columns alone would not pay for it). It builds the object inline: calling
-- `cora_summary_json` from PL/pgSQL cost an append ~20 us more. Rows written before this
-- migration have no entry until their next write: the list builds theirs with
-- `cora_summary_json`, so the migration rewrites no table; a test compares the two.
--
-- `cora_list_page`: every append moves its session's `updated_at`, so each leaves a dead entry in
-- `sessions_by_user_recency` until VACUUM; on a large table autovacuum comes after 20% of its
-- rows have changed. Planned freely, the list became a bitmap scan of all the user's entries,
-- live and dead, then a sort: after 25,000 appends to one user's 64 sessions, 13,000 index
-- entries read for 51 rows (2 ms instead of 0.35 ms). An ordered index scan reads the newest
-- entries first, stops after the page, and marks the dead entries it passes so that later scans
-- skip them. With sorts off inside the function, that scan is the only plan left (else, with
-- incremental sorts, it may walk every user's sessions by `sessions_by_updated_at`). The first
-- page asks for positions before ('infinity', the largest uuid), so both pages use one
-- indexable row comparison.
ALTER TABLE sessions ADD COLUMN summary_json text;

CREATE FUNCTION cora_summary_json(s sessions) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'session_id', s.session_id, 'user_id', s.user_id, 'title', s.title,
        'created_at', to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'updated_at', to_char(s.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'message_count', s.message_count, 'tags', s.tags, 'metadata', s.metadata,
        'pinned', s.pinned, 'archived', s.archived)::text
$$;

CREATE FUNCTION cora_set_summary_json() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.summary_json := json_build_object(
        'session_id', NEW.session_id, 'user_id', NEW.user_id, 'title', NEW.title,
        'created_at', to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'updated_at', to_char(NEW.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'message_count', NEW.message_count, 'tags', NEW.tags, 'metadata', NEW.metadata,
        'pinned', NEW.pinned, 'archived', NEW.archived)::text;
    RETURN NEW;
END;
$$;

CREATE TRIGGER sessions_summary_json
BEFORE INSERT OR UPDATE OF session_id, user_id, title, created_at, updated_at, message_count,
    tags, metadata, pinned, archived
ON sessions FOR EACH ROW EXECUTE FUNCTION cora_set_summary_json();

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
        SELECT s.session_id, s.updated_at, coalesce(s.summary_json, cora_summary_json(s)) AS entry,
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
    SELECT coalesce('[' || string_agg(r.entry, ',' ORDER BY r.n) FILTER (WHERE r.n <= p_limit)
                    || ']', '[]'),
           count(*) > p_limit,
           (array_agg(r.updated_at) FILTER (WHERE r.n = p_limit))[1],
           (array_agg(r.session_id) FILTER (WHERE r.n = p_limit))[1]
    FROM page_rows r;
END;
$$;
