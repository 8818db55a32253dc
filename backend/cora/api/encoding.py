"""The JSON answer of the hot routes, not built through models: records encoded by
`cora.encoding`, and the pages and sessions the store encoded (its `*_encoded` reads) wrapped.

The answers' shapes are built here once, for the FastAPI routes and `hot_routes.py` alike."""

from fastapi import Response

from cora.encoding import dumps, message_content
from cora.services.sessions import encode_cursor
from cora.store.base import EncodedMessagePage, EncodedSummaryPage

__all__ = [
    "JsonBody",
    "etag_matches",
    "message_content",
    "message_page_json",
    "summary_page_json",
]


class JsonBody(Response):
    """A JSON answer whose content orjson encodes (times as `format_timestamp` writes them)."""

    media_type = "application/json"

    def render(self, content: object) -> bytes:
        return dumps(content)


def summary_page_json(page: EncodedSummaryPage) -> bytes:
    """A page of the list (2.2) as its JSON answer: its sessions and the cursor of the next
    page, if any."""
    cursor = encode_cursor(page.next_position) if page.next_position else None
    return b'{"sessions":%b,"next_cursor":%b}' % (page.sessions_json, dumps(cursor))


def message_page_json(page: EncodedMessagePage) -> bytes:
    """A page of a session's messages (3.3) as its JSON answer."""
    more = b"true" if page.has_more else b"false"
    return b'{"messages":%b,"has_more":%b}' % (page.messages_json, more)


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether `If-None-Match` (a comma-separated list, or `*`) names `etag`, compared weakly
    as RFC 9110 13.1.2 says (`W/"x"` names `"x"`): the answer is 304."""
    if if_none_match is None:
        return False
    named = [value.strip().removeprefix("W/") for value in if_none_match.split(",")]
    return "*" in named or etag.removeprefix("W/") in named
