-- One round trip per batch of live events (issue 13): the writer's advisory lock, insert and
-- NOTIFY, which were separate statements of one transaction, in one function called in its own
-- transaction. The lock is held until that transaction commits, so ids still commit in id order.
CREATE FUNCTION cora_publish_events(
    p_lock_key bigint,
    p_channel text,
    p_kinds text[],
    p_user_ids text[],
    p_session_ids text[],
    p_data bytea[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(p_lock_key);
    INSERT INTO live_events (kind, user_id, session_id, data)
    SELECT * FROM unnest(p_kinds, p_user_ids, p_session_ids, p_data);
    PERFORM pg_notify(p_channel, '');
END
$$;
