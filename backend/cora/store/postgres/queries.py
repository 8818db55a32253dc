"""The SQL of the session store, in one place."""

from cora.store.postgres.read_batches import batched_read

INSERT_SESSION = """
INSERT INTO sessions (session_id, user_id, title, custom_title, created_at, updated_at,
                      message_count, tags, metadata, pinned, archived)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
"""
INSERT_MESSAGE = """
INSERT INTO messages (session_id, position, message_id, sender, text, timestamp, metadata,
                      status, feedback)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
"""
SELECT_SESSION = """
SELECT session_id, user_id, title, created_at, updated_at, message_count, tags, metadata,
       pinned, archived, custom_title, reply_id, reply_renewed_at
FROM sessions WHERE session_id = %s AND user_id = %s
"""
SELECT_SESSION_FOR_UPDATE = SELECT_SESSION + " FOR UPDATE"
SELECT_SUMMARY = """
SELECT session_id, user_id, title, created_at, updated_at, message_count, tags, metadata,
       pinned, archived
FROM sessions WHERE session_id = %s AND user_id = %s
"""
SELECT_FIRST_PAGE = """
SELECT session_id, user_id, title, created_at, updated_at, message_count, tags, metadata,
       pinned, archived
FROM sessions WHERE user_id = %s
  AND (%s::boolean IS NULL OR archived = %s) AND (NOT %s OR pinned)
ORDER BY updated_at DESC, session_id DESC LIMIT %s
"""
SELECT_NEXT_PAGE = """
SELECT session_id, user_id, title, created_at, updated_at, message_count, tags, metadata,
       pinned, archived
FROM sessions WHERE user_id = %s AND (updated_at, session_id) < (%s, %s)
  AND (%s::boolean IS NULL OR archived = %s) AND (NOT %s OR pinned)
ORDER BY updated_at DESC, session_id DESC LIMIT %s
"""

# The API's JSON written by PostgreSQL (the store's `*_encoded` reads): objects with the fields
# `cora.encoding` writes, in its order; times as `format_timestamp` writes them (UTC, six
# fraction digits); a message's feedback rebuilt with its `comment`, null when it has none.
_API_TIME = """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
_SUMMARY_PAIRS = f"""
  'session_id', session_id, 'user_id', user_id, 'title', title,
  'created_at', {_API_TIME.format("created_at")}, 'updated_at', {_API_TIME.format("updated_at")},
  'message_count', message_count, 'tags', tags, 'metadata', metadata,
  'pinned', pinned, 'archived', archived"""
_MESSAGE_PAIRS = f"""
  'id', message_id, 'sender', sender, 'text', text, 'timestamp', {_API_TIME.format("timestamp")},
  'metadata', metadata, 'status', status,
  'feedback', CASE WHEN feedback IS NOT NULL THEN json_build_object(
    'rating', feedback -> 'rating', 'comment', feedback -> 'comment') END"""

# A page of the list (`list_sessions_encoded`), with the last summary's keyset position when more
# follow: migration 0010's function, which walks the recency index in order.
LIST_PAGE = batched_read(
    "list",
    "SELECT page, more, last_updated_at, last_session_id"
    " FROM cora_list_page($user_id, $archived, $pinned_only, $limit, $updated_at, $session_id)",
    {
        "user_id": "text",
        "archived": "boolean",
        "pinned_only": "boolean",
        "limit": "integer",
        "updated_at": "timestamptz",
        "session_id": "uuid",
    },
)
SELECT_MESSAGES = """
SELECT message_id, sender, text, timestamp, metadata, status, feedback FROM messages
WHERE session_id = %s ORDER BY position
"""
SELECT_MESSAGE = """
SELECT message_id, sender, text, timestamp, metadata, status, feedback FROM messages
WHERE session_id = %s AND message_id = %s
"""
SELECT_MESSAGE_PAGE = """
SELECT message_id, sender, text, timestamp, metadata, status, feedback FROM messages
WHERE session_id = %s AND position < %s ORDER BY position DESC LIMIT %s
"""
# A page of messages (`list_messages_encoded`) in one statement (one snapshot), with whether the
# session is the user's and whether `before` is one of its messages.
MESSAGE_PAGE = batched_read(
    "messages",
    f"""
WITH owned AS (
  SELECT session_id FROM sessions WHERE session_id = $session_id AND user_id = $user_id
), bound AS (
  SELECT position FROM messages
  WHERE session_id = (SELECT session_id FROM owned) AND message_id = $before
), page AS (
  SELECT message_id, sender, text, timestamp, metadata, status, feedback,
         row_number() OVER (ORDER BY position DESC) AS n
  FROM messages
  WHERE session_id = (SELECT session_id FROM owned)
    AND position < coalesce((SELECT position FROM bound), 2147483647)
  ORDER BY position DESC LIMIT $limit + 1
)
SELECT EXISTS (SELECT FROM owned) AS owned, EXISTS (SELECT FROM bound) AS bound_found,
       coalesce(json_agg(json_build_object({_MESSAGE_PAIRS})
                ORDER BY n DESC) FILTER (WHERE n <= $limit), '[]')::text AS messages,
       count(*) > $limit AS has_more
FROM page
""",  # noqa: S608 (constant fragments only: the values are parameters)
    {"session_id": "uuid", "user_id": "text", "before": "uuid", "limit": "integer"},
)
# A session with all its messages (`get_session_encoded`), in one statement (one snapshot).
SESSION_JSON = batched_read(
    "session",
    f"""
SELECT updated_at, json_build_object({_SUMMARY_PAIRS},
         'messages', coalesce(
           (SELECT json_agg(json_build_object({_MESSAGE_PAIRS}) ORDER BY position)
            FROM messages WHERE messages.session_id = sessions.session_id),
           '[]')
       )::text AS session
FROM sessions WHERE session_id = $session_id AND user_id = $user_id
""",  # noqa: S608 (constant fragments only: the values are parameters)
    {"session_id": "uuid", "user_id": "text"},
)
# Migration 0007's function: the whole append in one statement, so one round trip.
APPEND_MESSAGE = "SELECT * FROM cora_append_message(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
# Migration 0009's function: a batch of appends, each argument an array, each append a row.
APPEND_MESSAGES = """
SELECT * FROM cora_append_messages(%b::uuid[], %b::text[], %b::uuid[], %b::text[], %b::text[],
    %b::timestamptz[], %b::jsonb[], %b::text[], %b::jsonb[], %b::text[], %b::timestamptz[])
"""
UPDATE_SESSION = """
UPDATE sessions SET title = %s, custom_title = %s, updated_at = %s, message_count = %s,
                    tags = %s, metadata = %s, pinned = %s, archived = %s
WHERE session_id = %s
"""
DELETE_EXPIRED_BATCH = """
DELETE FROM sessions WHERE session_id IN (
    SELECT session_id FROM sessions WHERE updated_at < %s
    LIMIT %s FOR UPDATE SKIP LOCKED
)
RETURNING user_id, session_id
"""
SESSION_EXISTS = "SELECT 1 FROM sessions WHERE session_id = %s AND user_id = %s"
MESSAGE_POSITION = "SELECT position FROM messages WHERE session_id = %s AND message_id = %s"
EXPIRED_SESSIONS = "SELECT user_id, session_id FROM sessions WHERE updated_at < %s"
UPDATED_SINCE = """
SELECT user_id, session_id FROM sessions WHERE updated_at >= %s ORDER BY updated_at, session_id
"""
DELETE_SESSION = "DELETE FROM sessions WHERE session_id = %s"
DELETE_MESSAGES = "DELETE FROM messages WHERE session_id = %s"
UPDATE_AFTER_REPLY_START = """
UPDATE sessions SET title = %s, updated_at = %s, message_count = message_count + %s,
                    reply_id = %s, reply_writer = %s, reply_renewed_at = now()
WHERE session_id = %s
"""
UPDATE_REPLY_MESSAGE = """
UPDATE messages SET text = %s, metadata = %s, status = %s
WHERE session_id = %s AND message_id = %s
"""
RENEW_REPLY = """
UPDATE sessions SET updated_at = %s, reply_writer = %s, reply_renewed_at = now()
WHERE session_id = %s
"""
CLEAR_REPLY = """
UPDATE sessions SET updated_at = %s, reply_id = NULL, reply_writer = NULL,
                    reply_renewed_at = NULL
WHERE session_id = %s
"""
SELECT_REPLY_LEASE = """
SELECT reply_id, reply_writer, reply_renewed_at FROM sessions
WHERE session_id = %s AND user_id = %s
"""
SELECT_STREAMING = """
SELECT user_id, session_id, reply_id, reply_writer, reply_renewed_at,
       now() - reply_renewed_at AS age
FROM sessions WHERE reply_id IS NOT NULL
"""
SET_FEEDBACK = "UPDATE messages SET feedback = %s WHERE session_id = %s AND message_id = %s"
TOUCH_SESSION = "UPDATE sessions SET updated_at = %s WHERE session_id = %s"
STORAGE_USAGE = """
SELECT
    (SELECT count(*) FROM sessions WHERE user_id = %s) AS sessions,
    (SELECT coalesce(sum(octet_length(m.text) + octet_length(m.metadata::text)), 0)
     FROM messages m JOIN sessions s USING (session_id) WHERE s.user_id = %s) AS bytes
"""

TAG_COUNTS = """
SELECT tag, count(DISTINCT session_id) AS n
FROM sessions, unnest(tags) AS tag WHERE user_id = %s
GROUP BY tag ORDER BY n DESC, tag
"""
