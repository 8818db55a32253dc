"""Stored messages and sessions as the API's JSON without building records: the JSON store's
encoded reads (`list_messages_encoded`, `get_session_encoded`).

A message stored in the current layout (every field in the API's order, a time in the API's
form, no feedback) is the API's object once `"feedback": null` is added. Any other (feedback,
an older layout) goes through its record as `decode_message_line` reads it, so both ways give
the same JSON, and the same `DocumentError` for a message neither can read.
"""

from datetime import datetime
from typing import Any

import orjson

from cora.domain import MESSAGE_STATUSES, effective_title, etag_for
from cora.encoding import JsonDict, dumps, message_content, summary_content
from cora.store.json_files.document import (
    DocumentError,
    Trailer,
    header_from,
    message_from,
    message_line_body,
    summarize,
)
from cora.timeutil import is_canonical, parse_timestamp

_CURRENT_LAYOUT = ("id", "sender", "text", "timestamp", "metadata", "status")
_SENDERS = frozenset(("user", "assistant", "system"))
_STATUSES = frozenset(MESSAGE_STATUSES)
_UNREADABLE = (orjson.JSONDecodeError, KeyError, TypeError, ValueError)


def message_fields(item: dict[str, Any]) -> JsonDict:
    """The API's JSON object of a stored message: `message_content` of its record."""
    if (
        tuple(item) == _CURRENT_LAYOUT
        and type(item["id"]) is str
        and item["sender"] in _SENDERS
        and type(item["text"]) is str
        and type(item["metadata"]) is dict
        and item["status"] in _STATUSES
        and _in_api_form(item["timestamp"])
    ):
        item["feedback"] = None
        return item
    return message_content(message_from(item))


def _in_api_form(time: object) -> bool:
    """Whether a stored time is written as the API writes it (`ValueError` if no time)."""
    return type(time) is str and is_canonical(time) and bool(datetime.fromisoformat(time))


def encoded_message_lines(lines: list[bytes]) -> bytes:
    """Message lines of a session file (the first of the file without its comma) as the API's
    JSON array. Raises `DocumentError` for a line that is not a message."""
    try:
        items = [
            orjson.loads(message_line_body(line, first=not line.startswith(b","))) for line in lines
        ]
        return dumps([message_fields(item) for item in items])
    except _UNREADABLE as error:
        raise DocumentError(f"unreadable message: {error}") from error


def encoded_document(data: bytes) -> tuple[bytes, str]:
    """A whole session file as the API's session JSON, and its ETag. Raises `DocumentError`
    where `decode_document` does."""
    try:
        document = orjson.loads(data)
        header = header_from(document)
        stored = document["messages"]
        messages = [message_fields(item) for item in stored]
        updated_at = parse_timestamp(document["updated_at"])
        if "title" in document:
            title = document["title"]
        else:
            title = effective_title(header.custom_title, [message_from(m) for m in stored])
    except _UNREADABLE as error:
        raise DocumentError(str(error)) from error
    summary = summarize(header, Trailer(title, updated_at, len(messages)))
    return dumps({**summary_content(summary), "messages": messages}), etag_for(updated_at)
