-- A group append (issue 13): the appends a process received while its previous batch was in
-- flight, sent as one call. Each element i of the arrays is one append, with the arguments of
-- `cora_append_message`; each gets one row, `ord` = i, answered by `cora_append_message` itself,
-- in array order (so two appends to one session are stored in the order they came).
--
-- The batch never waits for a row lock: it first locks the rows of its sessions that are free
-- (SKIP LOCKED), so it cannot deadlock with another server's batch or with any transaction, and
-- one session held elsewhere cannot stall the others. An append to a session it could not lock
-- is answered 'busy' (the caller runs it alone, where it waits for the lock as before), or
-- 'missing' when there is no such session of this user.
--
-- The whole batch is one transaction: an error in one append (none is expected: the
-- outcomes above are rows, not errors) rolls back them all, and the caller then runs each
-- alone. No per-row exception blocks: each would be a subtransaction.
CREATE FUNCTION cora_append_messages(
    p_session_ids uuid[],
    p_user_ids text[],
    p_message_ids uuid[],
    p_senders text[],
    p_texts text[],
    p_timestamps timestamptz[],
    p_metadata jsonb[],
    p_statuses text[],
    p_feedback jsonb[],
    p_first_titles text[],
    p_nows timestamptz[]
) RETURNS TABLE (
    ord integer,
    outcome text,
    session_id uuid,
    user_id text,
    title text,
    created_at timestamptz,
    updated_at timestamptz,
    message_count integer,
    tags text[],
    metadata jsonb,
    pinned boolean,
    archived boolean,
    stored_id uuid,
    stored_sender text,
    stored_text text,
    stored_timestamp timestamptz,
    stored_metadata jsonb,
    stored_status text,
    stored_feedback jsonb
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    locked uuid[];
    i integer;
BEGIN
    SELECT coalesce(array_agg(s.session_id), '{}') INTO locked FROM (
        SELECT s.session_id FROM sessions s
        WHERE (s.session_id, s.user_id) IN (SELECT * FROM unnest(p_session_ids, p_user_ids))
        ORDER BY s.session_id
        FOR UPDATE SKIP LOCKED
    ) s;
    FOR i IN 1 .. coalesce(array_length(p_session_ids, 1), 0) LOOP
        IF p_session_ids[i] = ANY (locked) THEN
            RETURN QUERY SELECT i, a.* FROM cora_append_message(
                p_session_ids[i], p_user_ids[i], p_message_ids[i], p_senders[i], p_texts[i],
                p_timestamps[i], p_metadata[i], p_statuses[i], p_feedback[i],
                p_first_titles[i], p_nows[i]
            ) a;
        ELSE
            ord := i;
            outcome := CASE WHEN EXISTS (
                SELECT 1 FROM sessions s
                WHERE s.session_id = p_session_ids[i] AND s.user_id = p_user_ids[i]
            ) THEN 'busy' ELSE 'missing' END;
            RETURN NEXT;
        END IF;
    END LOOP;
END
$$;
