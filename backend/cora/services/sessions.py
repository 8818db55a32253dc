"""The session service: the contract's rules between the API and whichever store is configured."""

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

import orjson

from cora import metrics
from cora.domain import (
    AppendResult,
    Feedback,
    MessageRecord,
    SessionChanges,
    SessionFilter,
    SessionRecord,
    SessionSummaryRecord,
    TagCount,
    is_uuid,
)
from cora.errors import InvalidCursor, PayloadTooLarge
from cora.events import EventBus, payloads
from cora.ids import new_uuid
from cora.schemas import (
    MessageCreate,
    MessageReplacement,
    SessionCreate,
    SessionFields,
    SessionPatch,
    SessionUpdate,
)
from cora.services.quotas import Quota
from cora.services.search_limits import SEARCH_TURNS
from cora.store.base import (
    EncodedMessagePage,
    EncodedSession,
    EncodedSummaryPage,
    ListPosition,
    SearchPage,
    SessionStore,
)
from cora.timeutil import format_timestamp, parse_timestamp, utc_now


@dataclass(frozen=True, slots=True)
class Limits:
    max_message_chars: int
    max_metadata_bytes: int
    quota: Quota = field(default_factory=Quota)


class SessionService:
    def __init__(self, store: SessionStore, limits: Limits, events: EventBus) -> None:
        self._store = store
        self._limits = limits
        self._events = events

    async def create(self, *, user_id: str, request: SessionCreate) -> SessionRecord:
        self._check_metadata(request.metadata)
        now = utc_now()
        summary = SessionSummaryRecord(
            session_id=new_uuid(),
            user_id=user_id,
            title=request.title,
            created_at=now,
            updated_at=now,
            message_count=0,
            tags=tuple(request.tags),
            metadata=request.metadata,
        )
        record = SessionRecord(summary=summary, custom_title=request.title)
        await self._limits.quota.check(
            self._store, user_id, new_sessions=1, new_bytes=len(orjson.dumps(request.metadata))
        )
        created = await self._store.create_session(session=record)
        await self._events.publish(payloads.session_changed(created.summary))
        return created

    async def list(
        self, *, user_id: str, limit: int, cursor: str | None, view: SessionFilter
    ) -> EncodedSummaryPage:
        after = decode_cursor(cursor) if cursor else None
        return await self._store.list_sessions_encoded(
            user_id=user_id, limit=limit, after=after, view=view
        )

    async def search(
        self,
        *,
        user_id: str,
        text: str | None,
        tag: str | None,
        limit: int,
        cursor: str | None,
        view: SessionFilter,
    ) -> SearchPage:
        after = decode_cursor(cursor) if cursor else None
        async with SEARCH_TURNS.turn(user_id):
            return await self._store.search_sessions(
                user_id=user_id, text=text or None, tag=tag, limit=limit, after=after, view=view
            )

    async def tags(self, *, user_id: str) -> tuple[TagCount, ...]:
        return await self._store.tag_counts(user_id=user_id)

    async def set_feedback(
        self, *, user_id: str, session_id: str, message_id: str, feedback: Feedback | None
    ) -> MessageRecord:
        change = await self._store.set_feedback(
            user_id=user_id, session_id=session_id, message_id=message_id, feedback=feedback
        )
        metrics.record_rating(change)
        message = change.message
        await self._events.publish(payloads.message_changed(user_id, session_id, message))
        summary = await self._store.get_summary(user_id=user_id, session_id=session_id)
        await self._events.publish(payloads.session_changed(summary))
        return message

    async def messages(
        self, *, user_id: str, session_id: str, limit: int, before: str | None
    ) -> EncodedMessagePage:
        return await self._store.list_messages_encoded(
            user_id=user_id, session_id=session_id, limit=limit, before=before
        )

    async def get(self, *, user_id: str, session_id: str) -> SessionRecord:
        return await self._store.get_session(user_id=user_id, session_id=session_id)

    async def get_encoded(self, *, user_id: str, session_id: str) -> EncodedSession:
        return await self._store.get_session_encoded(user_id=user_id, session_id=session_id)

    async def replace(
        self, *, user_id: str, session_id: str, request: SessionUpdate, if_match: str | None
    ) -> SessionRecord:
        messages = [self.new_message(m) for m in request.messages]
        replaced = await self._store.replace_session(
            user_id=user_id,
            session_id=session_id,
            messages=messages,
            changes=self._changes(request),
            expected_etag=if_match,
        )
        await self._events.publish(payloads.session_changed(replaced.summary))
        return replaced

    async def patch(
        self, *, user_id: str, session_id: str, request: SessionPatch, if_match: str | None
    ) -> SessionRecord:
        patched = await self._store.replace_session(
            user_id=user_id,
            session_id=session_id,
            messages=None,
            changes=self._changes(request),
            expected_etag=if_match,
        )
        await self._events.publish(payloads.session_changed(patched.summary))
        return patched

    async def delete(self, *, user_id: str, session_id: str, if_match: str | None) -> None:
        await self._store.delete_session(
            user_id=user_id, session_id=session_id, expected_etag=if_match
        )
        await self._events.publish(payloads.session_deleted(user_id, session_id))

    async def append(
        self, *, user_id: str, session_id: str, request: MessageCreate
    ) -> AppendResult:
        message = self.new_message(request)
        await self.check_quota(user_id, message)
        result = await self._store.append_message(
            user_id=user_id, session_id=session_id, message=message
        )
        if result.created:
            await self._events.publish(
                payloads.message_changed(user_id, session_id, result.message)
            )
            summary = result.summary or await self._store.get_summary(
                user_id=user_id, session_id=session_id
            )
            await self._events.publish(payloads.session_changed(summary))
        return result

    async def check_quota(self, user_id: str, message: MessageRecord) -> None:
        """`QuotaExceeded` if storing `message` would take the user past a storage quota."""
        if self._limits.quota.is_set:  # else not even the message's size is needed
            await self._limits.quota.check(
                self._store, user_id, new_sessions=0, new_bytes=_message_bytes(message)
            )

    def new_message(self, request: MessageCreate) -> MessageRecord:
        if len(request.text) > self._limits.max_message_chars:
            raise PayloadTooLarge(
                f"Message text has {len(request.text)} characters; "
                f"the limit is {self._limits.max_message_chars}"
            )
        self._check_metadata(request.metadata)
        replacement = request if isinstance(request, MessageReplacement) else None
        feedback = replacement.feedback if replacement else None
        return MessageRecord(
            id=request.id or new_uuid(),
            sender=request.sender,
            text=request.text,
            timestamp=request.timestamp or utc_now(),
            metadata=request.metadata,
            status=replacement.status if replacement else "complete",
            feedback=feedback.to_record() if feedback is not None else None,
        )

    def _changes(self, request: SessionFields) -> SessionChanges:
        if request.metadata is not None:
            self._check_metadata(request.metadata)
        given = request.model_fields_set
        flags = request if isinstance(request, SessionPatch) else SessionPatch()
        return SessionChanges(
            set_title="title" in given,
            title=request.title,
            tags=tuple(request.tags) if request.tags is not None else None,
            metadata=request.metadata,
            pinned=flags.pinned,
            archived=flags.archived,
        )

    def _check_metadata(self, metadata: dict[str, Any]) -> None:
        size = len(orjson.dumps(metadata))
        if size > self._limits.max_metadata_bytes:
            raise PayloadTooLarge(
                f"metadata is {size} bytes as JSON; the limit is {self._limits.max_metadata_bytes}"
            )


def encode_cursor(position: ListPosition) -> str:
    raw = orjson.dumps([format_timestamp(position.updated_at), position.session_id])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> ListPosition:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        updated_at, session_id = orjson.loads(raw)
        if not is_uuid(str(session_id)):
            raise ValueError("the cursor's session id is not a UUID")
        return ListPosition(parse_timestamp(updated_at), str(session_id))
    except (binascii.Error, orjson.JSONDecodeError, ValueError, TypeError) as error:
        raise InvalidCursor() from error


def _message_bytes(message: MessageRecord) -> int:
    return len(message.text.encode()) + len(orjson.dumps(message.metadata))
