"""Search (contract 3.4) as one query: `LIKE` on lower-cased text, served by trigram indexes."""

from psycopg import sql

from cora.domain import SessionFilter
from cora.snippets import SNIPPET_MAX_CHARS, match_snippet
from cora.store.base import ListPosition, SearchHit
from cora.store.postgres.rows import SUMMARY_COLUMNS, Connection, Row, summary_from_row

# The first message (in stored order) whose text contains the query.
FIRST_MATCHING_MESSAGE = sql.SQL("""
LEFT JOIN LATERAL (
    SELECT m.text FROM messages m
    WHERE m.session_id = s.session_id AND lower(m.text) LIKE lower(%(pattern)s)
    ORDER BY m.position LIMIT 1
) hit ON true
""")
TEXT_MATCHES = sql.SQL("""
AND (hit.text IS NOT NULL
     OR lower(s.title) LIKE lower(%(pattern)s)
     OR EXISTS (SELECT 1 FROM unnest(s.tags) AS t(tag) WHERE lower(t.tag) LIKE lower(%(pattern)s)))
""")
CARRIES_TAG = sql.SQL("AND s.tags @> ARRAY[%(tag)s::text]")
SHOWN = sql.SQL(
    "AND (%(archived)s::boolean IS NULL OR s.archived = %(archived)s)"
    " AND (NOT %(pinned_only)s OR s.pinned)"
)
AFTER_POSITION = sql.SQL("AND (s.updated_at, s.session_id) < (%(after_time)s, %(after_id)s)")
SEARCH = sql.SQL("""
SELECT {columns}, {match} AS match_text
FROM sessions s {lateral}
WHERE s.user_id = %(user_id)s {shown} {tag} {after} {text}
ORDER BY s.updated_at DESC, s.session_id DESC
LIMIT %(limit)s
""")


async def search_page(
    conn: Connection,
    *,
    user_id: str,
    text: str | None,
    tag: str | None,
    limit: int,
    after: ListPosition | None,
    view: SessionFilter,
) -> tuple[tuple[SearchHit, ...], bool]:
    """Up to `limit` hits after `after`, and whether more follow."""
    query = SEARCH.format(
        columns=sql.SQL(", ").join(
            sql.SQL("s.") + sql.Identifier(column) for column in SUMMARY_COLUMNS.split(", ")
        ),
        match=sql.SQL("hit.text") if text else sql.NULL,
        lateral=FIRST_MATCHING_MESSAGE if text else sql.SQL(""),
        shown=SHOWN,
        tag=CARRIES_TAG if tag is not None else sql.SQL(""),
        after=AFTER_POSITION if after is not None else sql.SQL(""),
        text=TEXT_MATCHES if text else sql.SQL(""),
    )
    params = {
        "user_id": user_id,
        "pattern": f"%{escape_like(text)}%" if text else None,
        "tag": tag,
        "after_time": after.updated_at if after else None,
        "after_id": after.session_id if after else None,
        "limit": limit + 1,
        "archived": view.archived,
        "pinned_only": view.pinned_only,
    }
    cursor = await conn.execute(query, params)
    rows = await cursor.fetchall()
    hits = tuple(_hit(row, text) for row in rows[:limit])
    return hits, len(rows) > limit


def escape_like(text: str) -> str:
    """`text` as a literal inside a LIKE pattern (backslash is LIKE's default escape)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _hit(row: Row, query: str | None) -> SearchHit:
    matched: str | None = row["match_text"]
    if matched is None or not query:
        return SearchHit(summary=summary_from_row(row), match=None)
    # PostgreSQL's lower() and Python's case folding differ on a few characters.
    snippet = match_snippet(matched, query) or matched[:SNIPPET_MAX_CHARS]
    return SearchHit(summary=summary_from_row(row), match=snippet)
