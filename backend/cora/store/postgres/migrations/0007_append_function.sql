-- One round trip per append (issue 13): the steps `append_message` took one statement at a
-- time, in one function called in its own transaction. Each statement inside sees the rows
-- committed before it (READ COMMITTED), as the separate statements did.
--
-- outcome: 'created' (the session's columns are the updated row), 'stored' (a message with
-- this id is there: its columns are stored_*), 'missing' (no such session of this user),
-- 'replying' (a reply is being written and no message with this id is stored).
CREATE FUNCTION cora_append_message(
    p_session_id uuid,
    p_user_id text,
    p_message_id uuid,
    p_sender text,
    p_text text,
    p_timestamp timestamptz,
    p_metadata jsonb,
    p_status text,
    p_feedback jsonb,
    p_first_title text,
    p_now timestamptz
) RETURNS TABLE (
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
    streaming_reply uuid;
    next_position integer;
BEGIN
    SELECT s.session_id, s.user_id, s.title, s.created_at, s.updated_at, s.message_count,
           s.tags, s.metadata, s.pinned, s.archived, s.reply_id
    INTO session_id, user_id, title, created_at, updated_at, message_count,
         tags, metadata, pinned, archived, streaming_reply
    FROM sessions s
    WHERE s.session_id = p_session_id AND s.user_id = p_user_id
    FOR UPDATE;
    IF NOT FOUND THEN
        outcome := 'missing';
        RETURN NEXT;
        RETURN;
    END IF;
    IF streaming_reply IS NULL THEN
        next_position := message_count;
        INSERT INTO messages (session_id, position, message_id, sender, text, timestamp,
                              metadata, status, feedback)
        VALUES (p_session_id, next_position, p_message_id, p_sender, p_text, p_timestamp,
                p_metadata, p_status, p_feedback)
        ON CONFLICT (session_id, message_id) DO NOTHING;
        IF FOUND THEN
            -- The first user message titles an untitled session (`p_first_title`: its title).
            UPDATE sessions s
            SET title = coalesce(s.title, p_first_title),
                updated_at = greatest(p_now, s.updated_at + interval '1 microsecond'),
                message_count = s.message_count + 1
            WHERE s.session_id = p_session_id
            RETURNING s.title, s.updated_at, s.message_count
            INTO title, updated_at, message_count;
            outcome := 'created';
            RETURN NEXT;
            RETURN;
        END IF;
    END IF;
    SELECT m.message_id, m.sender, m.text, m.timestamp, m.metadata, m.status, m.feedback
    INTO stored_id, stored_sender, stored_text, stored_timestamp, stored_metadata,
         stored_status, stored_feedback
    FROM messages m
    WHERE m.session_id = p_session_id AND m.message_id = p_message_id;
    outcome := CASE WHEN FOUND THEN 'stored' ELSE 'replying' END;
    RETURN NEXT;
END
$$;
