"""Rows to records and records to query parameters."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypeAlias, cast

import orjson
from psycopg import AsyncConnection
from psycopg.rows import AsyncRowFactory, DictRow, args_row
from psycopg.types.json import Jsonb

from cora.domain import (
    Feedback,
    JsonObject,
    MessageRecord,
    MessageStatus,
    Sender,
    SessionRecord,
    SessionSummaryRecord,
    title_after_append,
)
from cora.timeutil import UTC, format_timestamp, parse_timestamp, utc_now

Connection: TypeAlias = AsyncConnection[DictRow]
Row: TypeAlias = Mapping[str, Any]

SUMMARY_COLUMNS = (
    "session_id, user_id, title, created_at, updated_at, message_count, tags, metadata,"
    " pinned, archived"
)
_SUMMARY_NAMES = tuple(name.strip() for name in SUMMARY_COLUMNS.split(","))


def jsonb(value: JsonObject) -> Jsonb:
    return Jsonb(value, dumps=orjson.dumps)


def summary_from_row(row: Row) -> SessionSummaryRecord:
    return summary_from_columns(*(row[name] for name in _SUMMARY_NAMES))


def summary_from_columns(
    session_id: str,
    user_id: str,
    title: str | None,
    created_at: datetime,
    updated_at: datetime,
    message_count: int,
    tags: list[str],
    metadata: JsonObject,
    pinned: bool,
    archived: bool,
) -> SessionSummaryRecord:
    """The record of a row of `SUMMARY_COLUMNS`, its values in that order (uuids come as text and
    times as UTC, as `loaders.py` reads them); `SUMMARY_ROWS` builds a list's rows with it."""
    return SessionSummaryRecord(
        session_id,
        user_id,
        title,
        created_at,
        updated_at,
        message_count,
        tuple(tags),
        metadata,
        pinned,
        archived,
    )


SUMMARY_ROWS: AsyncRowFactory[SessionSummaryRecord] = args_row(summary_from_columns)


def message_from_row(row: Row) -> MessageRecord:
    return MessageRecord(
        id=str(row["message_id"]),
        sender=cast(Sender, row["sender"]),
        text=row["text"],
        timestamp=row["timestamp"].astimezone(UTC),
        metadata=row["metadata"],
        status=cast(MessageStatus, row.get("status", "complete")),
        feedback=feedback_from(row["feedback"]),
        feedback_at=feedback_time(row["feedback"]),
    )


def feedback_from(value: JsonObject | None) -> Feedback | None:
    if value is None:
        return None
    return Feedback(rating=value["rating"], comment=value.get("comment"))


def feedback_time(value: JsonObject | None) -> datetime | None:
    """When the feedback was set; None when it has no time (written before Cora kept it)."""
    at = value.get("at") if value is not None else None
    return parse_timestamp(at) if at is not None else None


def feedback_param(message: MessageRecord) -> Jsonb | None:
    """A message's feedback as stored: `rating`, `comment` if any, and `at` if known."""
    if message.feedback is None:
        return None
    fields: dict[str, str] = {"rating": message.feedback.rating}
    if message.feedback.comment is not None:
        fields["comment"] = message.feedback.comment
    if message.feedback_at is not None:
        fields["at"] = format_timestamp(message.feedback_at)
    return jsonb(fields)


def session_params(record: SessionRecord) -> tuple[object, ...]:
    summary = record.summary
    return (
        summary.session_id,
        summary.user_id,
        summary.title,
        record.custom_title,
        summary.created_at,
        summary.updated_at,
        summary.message_count,
        list(summary.tags),
        jsonb(summary.metadata),
        summary.pinned,
        summary.archived,
    )


def message_params(session_id: str, position: int, message: MessageRecord) -> tuple[object, ...]:
    return (
        session_id,
        position,
        message.id,
        message.sender,
        message.text,
        message.timestamp,
        jsonb(message.metadata),
        message.status,
        feedback_param(message),
    )


def append_params(user_id: str, session_id: str, message: MessageRecord) -> tuple[object, ...]:
    """`cora_append_message`'s arguments: the message, the title it would give an untitled
    session, and now (the function makes it `next_update_time` of the session's update)."""
    return (
        session_id,
        user_id,
        message.id,
        message.sender,
        message.text,
        message.timestamp,
        jsonb(message.metadata),
        message.status,
        feedback_param(message),
        title_after_append(None, message),
        utc_now(),
    )


def stored_message(row: Row) -> Row:
    """The `stored_*` columns of `cora_append_message`'s row, named as `messages`' columns."""
    return {
        "message_id": row["stored_id"],
        "sender": row["stored_sender"],
        "text": row["stored_text"],
        "timestamp": row["stored_timestamp"],
        "metadata": row["stored_metadata"],
        "status": row["stored_status"],
        "feedback": row["stored_feedback"],
    }


def messages_params(
    session_id: str, messages: Sequence[MessageRecord], start: int = 0
) -> list[tuple[object, ...]]:
    return [message_params(session_id, start + i, m) for i, m in enumerate(messages)]
