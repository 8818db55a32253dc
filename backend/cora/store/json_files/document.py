"""The session file format: one valid JSON document, laid out so an append touches only the end.

    {"session_id":…,"user_id":…,"created_at":…,"custom_title":…,"tags":[…],"metadata":{…},"messages":[
    {"id":…,"sender":…,"text":…,"timestamp":…,"metadata":{…}}
    ,{"id":…}
    ],"title":…,"updated_at":…,"message_count":N}

The header line changes only by a whole-file rewrite; each message is one line (JSON strings
hold no raw newline); the trailer line holds what every append changes. An append overwrites
the trailer with a new message line and a new trailer. A crash in the middle of that leaves a
torn last line, which `repair_tail` replaces; it can only hold a write never acknowledged.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from cora.domain import (
    MESSAGE_STATUSES,
    Feedback,
    MessageRecord,
    ReplyLease,
    SessionRecord,
    SessionSummaryRecord,
    effective_title,
)
from cora.timeutil import UTC, format_timestamp, parse_timestamp, utc_now

MESSAGES_OPEN = b',"messages":[\n'
MESSAGE_ID_PREFIX = b'{"id":"'
UUID_LENGTH = 36
TAIL_READ_BYTES = 8192


class DocumentError(ValueError):
    """The bytes are not a session document in Cora's layout."""


@dataclass(frozen=True, slots=True)
class Header:
    session_id: str
    user_id: str
    created_at: datetime
    custom_title: str | None
    tags: tuple[str, ...]
    metadata: dict[str, Any]
    pinned: bool = False
    archived: bool = False


@dataclass(frozen=True, slots=True)
class Trailer:
    title: str | None
    updated_at: datetime
    message_count: int
    reply: ReplyLease | None = None


@dataclass(frozen=True, slots=True)
class Tail:
    """Where the trailer starts in the file, and what it says; its bytes (`raw`) end the file."""

    offset: int
    trailer: Trailer
    raw: bytes
    opens_list: bool


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=_default, option=orjson.OPT_PASSTHROUGH_DATETIME)


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_timestamp(value)
    raise TypeError(f"cannot store {type(value).__name__}")


def encode_header(header: Header) -> bytes:
    fields = {
        "session_id": header.session_id,
        "user_id": header.user_id,
        "created_at": header.created_at,
        "custom_title": header.custom_title,
        "tags": list(header.tags),
        "metadata": header.metadata,
    }
    # Written only when set, so that files of sessions never pinned or archived keep their form.
    if header.pinned:
        fields["pinned"] = True
    if header.archived:
        fields["archived"] = True
    return _dumps(fields)[:-1] + MESSAGES_OPEN


def encode_message(message: MessageRecord, *, first: bool) -> bytes:
    fields = {
        "id": message.id,
        "sender": message.sender,
        "text": message.text,
        "timestamp": message.timestamp,
        "metadata": message.metadata,
        "status": message.status,
    }
    if message.feedback is not None:
        fields["feedback"] = _feedback_fields(message.feedback, message.feedback_at)
    return (b"" if first else b",") + _dumps(fields) + b"\n"


def _feedback_fields(feedback: Feedback, at: datetime | None) -> dict[str, Any]:
    fields: dict[str, Any] = {"rating": feedback.rating}
    if feedback.comment is not None:
        fields["comment"] = feedback.comment
    if at is not None:
        fields["at"] = at
    return fields


def encode_trailer(trailer: Trailer) -> bytes:
    fields: dict[str, object] = {
        "title": trailer.title,
        "updated_at": trailer.updated_at,
        "message_count": trailer.message_count,
    }
    if trailer.reply is not None:
        fields["reply"] = {
            "id": trailer.reply.message_id,
            "writer": trailer.reply.writer,
            "renewed_at": trailer.reply.renewed_at,
        }
    return b"]," + _dumps(fields)[1:] + b"\n"


def encode_document(record: SessionRecord, reply: ReplyLease | None = None) -> bytes:
    summary = record.summary
    trailer = Trailer(summary.title, summary.updated_at, len(record.messages), reply)
    return (
        encode_header(header_of(record)) + message_lines(record.messages) + encode_trailer(trailer)
    )


def header_of(record: SessionRecord) -> Header:
    summary = record.summary
    return Header(
        session_id=summary.session_id,
        user_id=summary.user_id,
        created_at=summary.created_at,
        custom_title=record.custom_title,
        tags=summary.tags,
        metadata=dict(summary.metadata),
        pinned=summary.pinned,
        archived=summary.archived,
    )


def decode_document(data: bytes) -> SessionRecord:
    try:
        document = orjson.loads(data)
        header = header_from(document)
        messages = tuple(message_from(item) for item in document["messages"])
        updated_at = parse_timestamp(document["updated_at"])
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise DocumentError(str(error)) from error
    title = document.get("title", effective_title(header.custom_title, messages))
    return SessionRecord(
        summary=summarize(header, Trailer(title, updated_at, len(messages))),
        custom_title=header.custom_title,
        messages=messages,
    )


def summarize(header: Header, trailer: Trailer) -> SessionSummaryRecord:
    return SessionSummaryRecord(
        session_id=header.session_id,
        user_id=header.user_id,
        title=trailer.title,
        created_at=header.created_at,
        updated_at=trailer.updated_at,
        message_count=trailer.message_count,
        tags=header.tags,
        metadata=header.metadata,
        pinned=header.pinned,
        archived=header.archived,
    )


def decode_header_line(line: bytes) -> Header:
    if not line.endswith(MESSAGES_OPEN[:-1]):
        raise DocumentError("the first line does not open the message list")
    try:
        return header_from(orjson.loads(line + b"]}"))
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise DocumentError(f"unreadable header: {error}") from error


def message_line_body(line: bytes, *, first: bool) -> bytes:
    """The message's JSON object in its line (a line after the first starts with a comma)."""
    body = line if first else line.removeprefix(b",")
    if body is line and not first:
        raise DocumentError("a message line after the first must start with a comma")
    return body


def decode_message_line(line: bytes, *, first: bool) -> MessageRecord:
    body = message_line_body(line, first=first)
    try:
        return message_from(orjson.loads(body))
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise DocumentError(f"unreadable message: {error}") from error


def find_tail(chunk: bytes, chunk_offset: int) -> Tail:
    """Locate and parse the trailer in a file's last bytes (`chunk`, found at `chunk_offset`)."""
    start = chunk.rfind(b"\n],") + 1
    if start == 0 and not (chunk_offset == 0 and chunk.startswith(b"],")):
        raise DocumentError("no trailer at the end of the file")
    raw = chunk[start:]
    if not raw.endswith(b"}\n") or raw.count(b"\n") != 1:
        raise DocumentError("the trailer is incomplete")
    try:
        trailer = _trailer_from(orjson.loads(b"{" + raw[2:]))
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise DocumentError(f"unreadable trailer: {error}") from error
    opens_list = chunk[max(start - 2, 0) : start] == b"[\n"
    return Tail(offset=chunk_offset + start, trailer=trailer, raw=raw, opens_list=opens_list)


def message_id_at(line: bytes) -> str:
    """The id of a message line, from its fixed place: lines start `{"id":"` or `,{"id":"`."""
    start = line.find(MESSAGE_ID_PREFIX) + len(MESSAGE_ID_PREFIX)
    return line[start : start + UUID_LENGTH].decode("ascii")


@dataclass(frozen=True, slots=True)
class Repair:
    """A torn file put back in order: where the valid messages end and the trailer to write."""

    header: Header
    messages: tuple[MessageRecord, ...]
    messages_end: int
    trailer: Trailer


def plan_repair(data: bytes) -> Repair:
    """Keep every complete message line; raise `DocumentError` if the damage is not a torn end."""
    header_end = data.find(b"\n") + 1
    if header_end == 0:
        raise DocumentError("the file has no complete header line")
    header = decode_header_line(data[: header_end - 1])
    messages: list[MessageRecord] = []
    position = header_end
    while (line_end := data.find(b"\n", position)) != -1:
        line = data[position:line_end]
        try:
            messages.append(decode_message_line(line, first=not messages))
        except DocumentError:
            break
        position = line_end + 1
    rest = data[position:]
    if rest.count(b"\n") > 1 or (b"\n" in rest and not rest.endswith(b"\n")):
        raise DocumentError("damage before the last line: not a torn append")
    trailer = Trailer(
        title=effective_title(header.custom_title, messages),
        updated_at=utc_now(),
        message_count=len(messages),
        reply=orphaned_lease(messages[-1]) if messages else None,
    )
    return Repair(header, tuple(messages), position, trailer)


ORPHANED_SINCE = datetime(1970, 1, 1, tzinfo=UTC)


def orphaned_lease(last: MessageRecord) -> ReplyLease | None:
    """A streaming reply found by a repair lost its writer: a lease any sweep finds stale."""
    if last.status != "streaming":
        return None
    return ReplyLease(last.id, "", ORPHANED_SINCE)


def header_from(document: dict[str, Any]) -> Header:
    tags = document["tags"]
    metadata = document["metadata"]
    if not isinstance(tags, list) or not isinstance(metadata, dict):
        raise TypeError("tags must be a list and metadata an object")
    return Header(
        session_id=str(document["session_id"]),
        user_id=str(document["user_id"]),
        created_at=parse_timestamp(document["created_at"]),
        custom_title=document.get("custom_title"),
        tags=tuple(str(tag) for tag in tags),
        metadata=metadata,
        pinned=document.get("pinned") is True,
        archived=document.get("archived") is True,
    )


def message_from(item: dict[str, Any]) -> MessageRecord:
    sender = item["sender"]
    if sender not in ("user", "assistant", "system"):
        raise ValueError(f"unknown sender {sender!r}")
    text = item["text"]
    metadata = item.get("metadata", {})
    if not isinstance(text, str) or not isinstance(metadata, dict):
        raise TypeError("text must be a string and metadata an object")
    status = item.get("status", "complete")
    if status not in MESSAGE_STATUSES:
        raise ValueError(f"unknown status {status!r}")
    return MessageRecord(
        id=str(item["id"]),
        sender=sender,
        text=text,
        timestamp=parse_timestamp(item["timestamp"]),
        metadata=metadata,
        status=status,
        feedback=_feedback_from(item.get("feedback")),
        feedback_at=_feedback_time(item.get("feedback")),
    )


def _feedback_from(value: Any) -> Feedback | None:
    if value is None:
        return None
    rating, comment = value["rating"], value.get("comment")
    if rating not in ("up", "down") or not (comment is None or isinstance(comment, str)):
        raise ValueError(f"unreadable feedback {value!r}")
    return Feedback(rating=rating, comment=comment)


def _feedback_time(value: Any) -> datetime | None:
    """When the feedback was set; None when it has no time (written before Cora kept it)."""
    at = value.get("at") if value is not None else None
    return parse_timestamp(at) if at is not None else None


def _trailer_from(document: dict[str, Any]) -> Trailer:
    title = document["title"]
    count = document["message_count"]
    if not (title is None or isinstance(title, str)) or not isinstance(count, int):
        raise TypeError("title must be a string or null and message_count an integer")
    reply = document.get("reply")
    lease = None
    if reply is not None:
        lease = ReplyLease(
            str(reply["id"]), str(reply["writer"]), parse_timestamp(reply["renewed_at"])
        )
    return Trailer(title, parse_timestamp(document["updated_at"]), count, lease)


def message_lines(messages: Sequence[MessageRecord]) -> bytes:
    return b"".join(encode_message(m, first=i == 0) for i, m in enumerate(messages))
