"""Sessions in PostgreSQL: a row per session, a row per message, one transaction per write."""

from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar

import anyio.to_thread

from cora.domain import (
    AppendResult,
    EndedStatus,
    Feedback,
    FeedbackChange,
    MessageRecord,
    ReplyLease,
    ReplyStart,
    SessionChanges,
    SessionFilter,
    SessionRecord,
    SessionSummaryRecord,
    StorageUsage,
    TagCount,
    apply_changes,
    effective_title,
    etag_for,
    is_user_id,
    is_uuid,
    title_after_append,
)
from cora.errors import (
    FeedbackNotAllowed,
    InvalidCursor,
    MessageIdConflict,
    MessageNotFound,
    ReplyInProgress,
    ReplyNotStreaming,
    SessionNotFound,
    StaleSession,
    UnknownMessage,
)
from cora.metrics import measure_store
from cora.store.base import (
    EVERY_SESSION,
    EncodedMessagePage,
    EncodedSession,
    EncodedSummaryPage,
    ListPosition,
    MessagePage,
    SearchPage,
    SessionStore,
    StreamingReply,
    SummaryPage,
)
from cora.store.postgres import queries as q
from cora.store.postgres.appends import AppendBatcher
from cora.store.postgres.database import PostgresDatabase
from cora.store.postgres.read_batches import ReadBatcher
from cora.store.postgres.rows import (
    SUMMARY_ROWS,
    Connection,
    append_params,
    feedback_param,
    jsonb,
    message_from_row,
    messages_params,
    session_params,
    stored_message,
    summary_from_row,
)
from cora.store.postgres.search import search_page
from cora.timeutil import next_update_time

T = TypeVar("T")

EXPIRY_BATCH = 500
INSERT_BATCH = 200  # sessions per batch of INSERTs in one import

END_OF_MESSAGES = 2**31 - 1  # after every position an int column can hold


class PostgresSessionStore(SessionStore):
    def __init__(self, database: PostgresDatabase) -> None:
        self._db = database
        self._appends = AppendBatcher(database)
        self._lists = ReadBatcher(database, q.LIST_PAGE)
        self._message_pages = ReadBatcher(database, q.MESSAGE_PAGE)
        self._sessions_json = ReadBatcher(database, q.SESSION_JSON)

    @property
    def database(self) -> PostgresDatabase:
        return self._db

    async def open(self) -> None:
        await self._db.open()

    async def close(self) -> None:
        await self._appends.close()
        for reads in (self._lists, self._message_pages, self._sessions_json):
            await reads.close()
        await self._db.close()

    async def ping(self) -> None:
        with measure_store("postgres", "ping"):
            await self._db.ping()

    # --- reads -----------------------------------------------------------------------------

    async def get_session(self, *, user_id: str, session_id: str) -> SessionRecord:
        _check_ids(user_id, session_id)
        async with self._op("get_session", snapshot=True) as conn:
            row = await _fetch_one(conn, q.SELECT_SESSION, (session_id, user_id))
            if row is None:
                raise SessionNotFound(session_id)
            messages = await _fetch_messages(conn, session_id)
        return SessionRecord(summary_from_row(row), row["custom_title"], messages)

    async def get_session_encoded(self, *, user_id: str, session_id: str) -> EncodedSession:
        _check_ids(user_id, session_id)
        with measure_store("postgres", "get_session"):
            row = await self._sessions_json.read({"session_id": session_id, "user_id": user_id})
        if row is None:
            raise SessionNotFound(session_id)
        return EncodedSession(row["session"].encode(), etag_for(row["updated_at"]))

    async def get_summary(self, *, user_id: str, session_id: str) -> SessionSummaryRecord:
        _check_ids(user_id, session_id)
        async with self._op("get_summary") as conn:
            row = await _fetch_one(conn, q.SELECT_SUMMARY, (session_id, user_id))
        if row is None:
            raise SessionNotFound(session_id)
        return summary_from_row(row)

    async def list_sessions(
        self,
        *,
        user_id: str,
        limit: int,
        after: ListPosition | None = None,
        view: SessionFilter = EVERY_SESSION,
    ) -> SummaryPage:
        _check_cursor(after)
        if not is_user_id(user_id):
            return SummaryPage((), None)
        shown = (view.archived, view.archived, view.pinned_only, limit + 1)
        async with self._op("list_page") as conn:
            cursor = conn.cursor(row_factory=SUMMARY_ROWS)
            if after is None:
                await cursor.execute(q.SELECT_FIRST_PAGE, (user_id, *shown))
            else:
                params = (user_id, after.updated_at, after.session_id, *shown)
                await cursor.execute(q.SELECT_NEXT_PAGE, params)
            rows = await cursor.fetchall()
        summaries = tuple(rows[:limit])
        more = len(rows) > limit
        return SummaryPage(summaries, next_position(summaries, more, lambda s: s))

    async def list_sessions_encoded(
        self,
        *,
        user_id: str,
        limit: int,
        after: ListPosition | None = None,
        view: SessionFilter = EVERY_SESSION,
    ) -> EncodedSummaryPage:
        # PostgreSQL writes the page's JSON: building records to encode them cost 2/3 of a
        # list's CPU in this process.
        _check_cursor(after)
        if not is_user_id(user_id):
            return EncodedSummaryPage(b"[]", None)
        params = {
            "user_id": user_id,
            "archived": view.archived,
            "pinned_only": view.pinned_only,
            "limit": limit,
            "updated_at": None if after is None else after.updated_at,
            "session_id": None if after is None else after.session_id,
        }
        with measure_store("postgres", "list_page"):
            row = await self._lists.read(params)
        assert row is not None  # the function's one row
        last = ListPosition(row["last_updated_at"], row["last_session_id"])
        return EncodedSummaryPage(row["page"].encode(), last if row["more"] else None)

    async def list_messages(
        self, *, user_id: str, session_id: str, limit: int, before: str | None = None
    ) -> MessagePage:
        _check_ids(user_id, session_id)
        async with self._op("list_messages", snapshot=True) as conn:
            await _require_session(conn, user_id, session_id)
            end = END_OF_MESSAGES
            if before is not None:
                end = await _position_of(conn, session_id, before)
            cursor = await conn.execute(q.SELECT_MESSAGE_PAGE, (session_id, end, limit + 1))
            rows = await cursor.fetchall()
        messages = tuple(message_from_row(row) for row in reversed(rows[:limit]))
        return MessagePage(messages=messages, has_more=len(rows) > limit)

    async def list_messages_encoded(
        self, *, user_id: str, session_id: str, limit: int, before: str | None = None
    ) -> EncodedMessagePage:
        # One statement instead of a transaction of three, and PostgreSQL writes the JSON.
        _check_ids(user_id, session_id)
        if before is not None and not is_uuid(before):
            raise UnknownMessage(before)
        params = {"session_id": session_id, "user_id": user_id, "before": before, "limit": limit}
        with measure_store("postgres", "list_messages"):
            row = await self._message_pages.read(params)
        assert row is not None  # an aggregate's one row
        if not row["owned"]:
            raise SessionNotFound(session_id)
        if before is not None and not row["bound_found"]:
            raise UnknownMessage(before)
        return EncodedMessagePage(row["messages"].encode(), row["has_more"])

    async def search_sessions(
        self,
        *,
        user_id: str,
        text: str | None,
        tag: str | None,
        limit: int,
        after: ListPosition | None = None,
        view: SessionFilter = EVERY_SESSION,
    ) -> SearchPage:
        _check_cursor(after)
        if not (is_user_id(user_id) and storable(text) and storable(tag)):
            return SearchPage((), None)
        async with self._op("search") as conn:
            hits, more = await search_page(
                conn,
                user_id=user_id,
                text=text or None,
                tag=tag,
                limit=limit,
                after=after,
                view=view,
            )
        return SearchPage(hits, next_position(hits, more, lambda hit: hit.summary))

    async def tag_counts(self, *, user_id: str) -> tuple[TagCount, ...]:
        if not is_user_id(user_id):
            return ()
        async with self._op("tag_counts") as conn:
            cursor = await conn.execute(q.TAG_COUNTS, (user_id,))
            rows = await cursor.fetchall()
        return tuple(TagCount(tag=row["tag"], count=row["n"]) for row in rows)

    async def storage_usage(self, *, user_id: str) -> StorageUsage:
        if not is_user_id(user_id):
            return StorageUsage(sessions=0, bytes=0)
        async with self._op("storage_usage") as conn:
            cursor = await conn.execute(q.STORAGE_USAGE, (user_id, user_id))
            row = await cursor.fetchone()
        assert row is not None
        return StorageUsage(sessions=int(row["sessions"]), bytes=int(row["bytes"]))

    # --- writes ----------------------------------------------------------------------------

    async def set_feedback(
        self, *, user_id: str, session_id: str, message_id: str, feedback: Feedback | None
    ) -> FeedbackChange:
        _check_ids(user_id, session_id)
        if not is_uuid(message_id):
            raise MessageNotFound(message_id)
        async with self._op("set_feedback", transaction=True) as conn:
            row = await _lock_session(conn, user_id, session_id)
            found = await _fetch_one(conn, q.SELECT_MESSAGE, (session_id, message_id))
            if found is None:
                raise MessageNotFound(message_id)
            message = message_from_row(found)
            if message.sender != "assistant":
                raise FeedbackNotAllowed(message_id)
            updated_at = next_update_time(row["updated_at"])
            changed = replace(
                message, feedback=feedback, feedback_at=updated_at if feedback else None
            )
            params = (feedback_param(changed), session_id, message_id)
            await conn.execute(q.SET_FEEDBACK, params)
            await conn.execute(q.TOUCH_SESSION, (updated_at, session_id))
        return FeedbackChange(changed, previous=message.feedback)

    async def create_session(self, *, session: SessionRecord) -> SessionRecord:
        await self._create([session])
        return session

    async def create_sessions(self, *, sessions: Iterable[SessionRecord]) -> None:
        await self._create(sessions)

    async def _create(self, sessions: Iterable[SessionRecord]) -> None:
        """One transaction; the records are taken in batches, each built off the event loop."""
        remaining = iter(sessions)
        async with self._op("create", transaction=True) as conn:
            while batch := await anyio.to_thread.run_sync(_take, remaining, INSERT_BATCH):
                await insert_sessions(conn, batch)

    async def append_message(
        self, *, user_id: str, session_id: str, message: MessageRecord
    ) -> AppendResult:
        _check_ids(user_id, session_id)
        params = append_params(user_id, session_id, message)
        with measure_store("postgres", "append"):
            # With the appends that come meanwhile (`appends.py`); each statement runs again on a
            # lost connection: the messages' ids make a second run find the first.
            row = await self._appends.append(session_id, params)
        match row["outcome"]:
            case "created":
                return AppendResult(message, created=True, summary=summary_from_row(row))
            case "stored":
                stored = message_from_row(stored_message(row))
                if not stored.same_content(message):
                    raise MessageIdConflict(message.id)
                return AppendResult(stored, created=False)
            case "replying":
                raise ReplyInProgress(session_id)
            case _:
                raise SessionNotFound(session_id)

    async def replace_session(
        self,
        *,
        user_id: str,
        session_id: str,
        messages: Sequence[MessageRecord] | None,
        changes: SessionChanges,
        expected_etag: str | None = None,
    ) -> SessionRecord:
        _check_ids(user_id, session_id)
        if messages is not None:
            _refuse_repeated_ids(messages)
        async with self._op("replace", transaction=True) as conn:
            row = await _lock_session(conn, user_id, session_id)
            current = summary_from_row(row)
            if expected_etag is not None and current.etag != expected_etag:
                raise StaleSession(session_id)
            if messages is not None and row["reply_id"] is not None:
                raise ReplyInProgress(session_id)
            if messages is None:
                kept = await _fetch_messages(conn, session_id)
            else:
                kept = tuple(messages)
                await _rewrite_messages(conn, session_id, kept)
            custom_title = changes.title if changes.set_title else row["custom_title"]
            summary = replace(
                apply_changes(current, changes),
                title=effective_title(custom_title, kept),
                updated_at=next_update_time(current.updated_at),
                message_count=len(kept),
            )
            record = SessionRecord(summary=summary, custom_title=custom_title, messages=kept)
            await _update_session(conn, record)
        return record

    # --- replies being written ------------------------------------------------------------

    async def start_reply(
        self,
        *,
        user_id: str,
        session_id: str,
        reply: MessageRecord,
        writer: str,
        question: MessageRecord | None = None,
    ) -> ReplyStart:
        _check_ids(user_id, session_id)
        async with self._op("start_reply", transaction=True) as conn:
            row = await _lock_session(conn, user_id, session_id)
            if question is not None:
                existing = await _existing_message(conn, session_id, question)
                if existing is not None:
                    return ReplyStart(existing, started=False)
            if row["reply_id"] is not None:
                raise ReplyInProgress(session_id)
            added = [reply] if question is None else [question, reply]
            rows = messages_params(session_id, added, start=row["message_count"])
            async with conn.cursor() as cursor:
                await cursor.executemany(q.INSERT_MESSAGE, rows)
            title = row["title"]
            for message in added:
                title = title_after_append(title, message)
            await conn.execute(
                q.UPDATE_AFTER_REPLY_START,
                (
                    title,
                    next_update_time(row["updated_at"]),
                    len(added),
                    reply.id,
                    writer,
                    session_id,
                ),
            )
        appended = None if question is None else AppendResult(question, created=True)
        return ReplyStart(appended, started=True)

    async def update_reply(
        self, *, user_id: str, session_id: str, reply: MessageRecord, writer: str
    ) -> MessageRecord:
        _check_ids(user_id, session_id)
        async with self._op("update_reply", transaction=True) as conn:
            row = await _lock_session(conn, user_id, session_id)
            if row["reply_id"] is None or str(row["reply_id"]) != reply.id:
                raise ReplyNotStreaming(reply.id)
            await _rewrite_reply(conn, row, reply, writer)
        return reply

    async def end_reply(
        self,
        *,
        user_id: str,
        session_id: str,
        message_id: str,
        status: EndedStatus,
        metadata: Mapping[str, Any],
        renewed_at: datetime | None = None,
    ) -> MessageRecord | None:
        _check_ids(user_id, session_id)
        async with self._op("end_reply", transaction=True) as conn:
            row = await _lock_session(conn, user_id, session_id)
            if row["reply_id"] is None or str(row["reply_id"]) != message_id:
                return None
            if renewed_at is not None and row["reply_renewed_at"] != renewed_at:
                return None
            stored = await _fetch_one(conn, q.SELECT_MESSAGE, (session_id, message_id))
            assert stored is not None, "a session's streaming reply is one of its messages"
            current = message_from_row(stored)
            ended = replace(current, status=status, metadata={**current.metadata, **metadata})
            await _rewrite_reply(conn, row, ended, "")
        return ended

    async def streaming_reply(self, *, user_id: str, session_id: str) -> MessageRecord | None:
        _check_ids(user_id, session_id)
        async with self._op("streaming_reply", snapshot=True) as conn:
            row = await _fetch_one(conn, q.SELECT_REPLY_LEASE, (session_id, user_id))
            if row is None:
                raise SessionNotFound(session_id)
            if row["reply_id"] is None:
                return None
            stored = await _fetch_one(conn, q.SELECT_MESSAGE, (session_id, row["reply_id"]))
        return None if stored is None else message_from_row(stored)

    async def streaming_replies(self) -> list[StreamingReply]:
        async with self._op("streaming_replies") as conn:
            cursor = await conn.execute(q.SELECT_STREAMING)
            rows = await cursor.fetchall()
        return [
            StreamingReply(
                user_id=row["user_id"],
                session_id=str(row["session_id"]),
                lease=ReplyLease(
                    str(row["reply_id"]), row["reply_writer"] or "", row["reply_renewed_at"]
                ),
                age=row["age"],
            )
            for row in rows
        ]

    async def delete_session(
        self, *, user_id: str, session_id: str, expected_etag: str | None = None
    ) -> None:
        _check_ids(user_id, session_id)
        async with self._op("delete", transaction=True) as conn:
            row = await _lock_session(conn, user_id, session_id)
            if expected_etag is not None and summary_from_row(row).etag != expected_etag:
                raise StaleSession(session_id)
            await conn.execute(q.DELETE_SESSION, (session_id,))

    async def delete_user_sessions(self, *, user_id: str) -> int:
        if not is_user_id(user_id):
            return 0
        async with self._op("delete_user_sessions", transaction=True) as conn:
            cursor = await conn.execute("DELETE FROM sessions WHERE user_id = %s", (user_id,))
            # The live events name the sessions and carry their texts: erased with them (the
            # user's streams are gone; other users' events do not read these rows).
            await conn.execute("DELETE FROM live_events WHERE user_id = %s", (user_id,))
        return cursor.rowcount

    async def delete_sessions_updated_before(
        self, *, cutoff: datetime, dry_run: bool = False
    ) -> list[tuple[str, str]]:
        if dry_run:
            async with self._op("delete_expired") as conn:
                cursor = await conn.execute(q.EXPIRED_SESSIONS, (cutoff,))
                return [(row["user_id"], str(row["session_id"])) for row in await cursor.fetchall()]
        deleted: list[tuple[str, str]] = []
        while True:
            # Batches, each its own transaction: sessions being written meanwhile are skipped
            # (their write makes them recent anyway) and no lock is held for long.
            async with self._op("delete_expired") as conn:
                cursor = await conn.execute(q.DELETE_EXPIRED_BATCH, (cutoff, EXPIRY_BATCH))
                batch = [
                    (row["user_id"], str(row["session_id"])) for row in await cursor.fetchall()
                ]
            deleted += batch
            if len(batch) < EXPIRY_BATCH:
                return deleted

    async def sessions_updated_since(self, *, since: datetime) -> list[tuple[str, str]]:
        async with self._op("updated_since") as conn:
            cursor = await conn.execute(q.UPDATED_SINCE, (since,))
            return [(row["user_id"], str(row["session_id"])) for row in await cursor.fetchall()]

    @asynccontextmanager
    async def _op(
        self, operation: str, *, transaction: bool = False, snapshot: bool = False
    ) -> AsyncIterator[Connection]:
        """A connection for one operation, timed under the JSON store's name for it."""
        with measure_store("postgres", operation):
            if transaction or snapshot:
                async with self._db.transaction(snapshot=snapshot) as conn:
                    yield conn
            else:
                async with self._db.connection() as conn:
                    yield conn


async def insert_sessions(conn: Connection, sessions: Sequence[SessionRecord]) -> None:
    """Insert new sessions and their messages (in the caller's transaction)."""
    for record in sessions:
        _refuse_repeated_ids(record.messages)
    async with conn.cursor() as cursor:
        await cursor.executemany(q.INSERT_SESSION, [session_params(r) for r in sessions])
        rows = [p for r in sessions for p in messages_params(r.session_id, r.messages)]
        if rows:
            await cursor.executemany(q.INSERT_MESSAGE, rows)


def next_position(
    items: Sequence[T], more: bool, summary_of: Callable[[T], SessionSummaryRecord]
) -> ListPosition | None:
    if not (more and items):
        return None
    last = summary_of(items[-1])
    return ListPosition(last.updated_at, last.session_id)


def _take(records: Iterator[SessionRecord], count: int) -> list[SessionRecord]:
    return list(islice(records, count))


def _check_ids(user_id: str, session_id: str) -> None:
    if not (is_user_id(user_id) and is_uuid(session_id)):
        raise SessionNotFound(session_id)


def storable(text: str | None) -> bool:
    """Whether PostgreSQL can hold `text`; one it cannot (with a NUL) matches nothing stored."""
    if text is None:
        return True
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def _check_cursor(after: ListPosition | None) -> None:
    if after is not None and not is_uuid(after.session_id):
        raise InvalidCursor()


def _refuse_repeated_ids(messages: Sequence[MessageRecord]) -> None:
    seen: set[str] = set()
    for message in messages:
        if message.id in seen:
            raise MessageIdConflict(message.id)
        seen.add(message.id)


async def _fetch_one(
    conn: Connection, query: str, params: Sequence[Any] | Mapping[str, Any]
) -> dict[str, Any] | None:
    cursor = await conn.execute(query, params)
    return await cursor.fetchone()


async def _fetch_messages(conn: Connection, session_id: str) -> tuple[MessageRecord, ...]:
    cursor = await conn.execute(q.SELECT_MESSAGES, (session_id,))
    return tuple(message_from_row(row) for row in await cursor.fetchall())


async def _require_session(conn: Connection, user_id: str, session_id: str) -> None:
    if await _fetch_one(conn, q.SESSION_EXISTS, (session_id, user_id)) is None:
        raise SessionNotFound(session_id)


async def _lock_session(conn: Connection, user_id: str, session_id: str) -> dict[str, Any]:
    row = await _fetch_one(conn, q.SELECT_SESSION_FOR_UPDATE, (session_id, user_id))
    if row is None:
        raise SessionNotFound(session_id)
    return row


async def _position_of(conn: Connection, session_id: str, message_id: str) -> int:
    if not is_uuid(message_id):
        raise UnknownMessage(message_id)
    row = await _fetch_one(
        conn,
        q.MESSAGE_POSITION,
        (session_id, message_id),
    )
    if row is None:
        raise UnknownMessage(message_id)
    return int(row["position"])


async def _existing_message(
    conn: Connection, session_id: str, message: MessageRecord
) -> AppendResult | None:
    """The message stored under `message.id`, if any; `MessageIdConflict` if it differs."""
    row = await _fetch_one(conn, q.SELECT_MESSAGE, (session_id, message.id))
    if row is None:
        return None
    stored = message_from_row(row)
    if not stored.same_content(message):
        raise MessageIdConflict(message.id)
    return AppendResult(stored, created=False)


async def _rewrite_reply(
    conn: Connection, row: dict[str, Any], reply: MessageRecord, writer: str
) -> None:
    """The streaming reply's new text, metadata and status; its lease renewed while it streams,
    cleared when it has ended."""
    session_id = str(row["session_id"])
    await conn.execute(
        q.UPDATE_REPLY_MESSAGE,
        (reply.text, jsonb(reply.metadata), reply.status, session_id, reply.id),
    )
    updated_at = next_update_time(row["updated_at"])
    if reply.status == "streaming":
        await conn.execute(q.RENEW_REPLY, (updated_at, writer, session_id))
    else:
        await conn.execute(q.CLEAR_REPLY, (updated_at, session_id))


async def _rewrite_messages(
    conn: Connection, session_id: str, messages: Sequence[MessageRecord]
) -> None:
    await conn.execute(q.DELETE_MESSAGES, (session_id,))
    if messages:
        async with conn.cursor() as cursor:
            await cursor.executemany(q.INSERT_MESSAGE, messages_params(session_id, messages))


async def _update_session(conn: Connection, record: SessionRecord) -> None:
    summary = record.summary
    await conn.execute(
        q.UPDATE_SESSION,
        (
            summary.title,
            record.custom_title,
            summary.updated_at,
            summary.message_count,
            list(summary.tags),
            jsonb(summary.metadata),
            summary.pinned,
            summary.archived,
            summary.session_id,
        ),
    )
