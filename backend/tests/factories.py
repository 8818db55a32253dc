"""Records for store tests, built the way the service builds them."""

import uuid
from datetime import datetime, timedelta

from cora.domain import MessageRecord, Sender, SessionRecord, SessionSummaryRecord
from cora.timeutil import utc_now


def new_session(
    user_id: str = "alice",
    *,
    title: str | None = None,
    tags: tuple[str, ...] = (),
    messages: tuple[MessageRecord, ...] = (),
    updated_at: datetime | None = None,
) -> SessionRecord:
    now = utc_now()
    summary = SessionSummaryRecord(
        session_id=str(uuid.uuid4()),
        user_id=user_id,
        title=title,
        created_at=now,
        updated_at=updated_at or now,
        message_count=len(messages),
        tags=tags,
        metadata={"channel": "web"},
    )
    return SessionRecord(summary=summary, custom_title=title, messages=messages)


def new_message(
    text: str = "hello", sender: Sender = "user", *, offset_seconds: float = 0
) -> MessageRecord:
    return MessageRecord(
        id=str(uuid.uuid4()),
        sender=sender,
        text=text,
        timestamp=utc_now() + timedelta(seconds=offset_seconds),
        metadata={"n": 1},
    )
