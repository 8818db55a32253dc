"""The one storage interface the service depends on; every back end implements it."""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

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
)
from cora.encoding import dumps, message_content, session_content, summary_content

EVERY_SESSION = SessionFilter()


@dataclass(frozen=True, slots=True)
class ListPosition:
    """Keyset position in a user's list: the last summary of the previous page."""

    updated_at: datetime
    session_id: str


@dataclass(frozen=True, slots=True)
class SummaryPage:
    sessions: tuple[SessionSummaryRecord, ...]
    next_position: ListPosition | None


@dataclass(frozen=True, slots=True)
class EncodedSummaryPage:
    """A page of the list with its summaries already encoded: `sessions_json` is the JSON array
    of the page's summaries, each the object `cora.encoding.summary_content` gives."""

    sessions_json: bytes
    next_position: ListPosition | None


@dataclass(frozen=True, slots=True)
class MessagePage:
    messages: tuple[MessageRecord, ...]
    has_more: bool


@dataclass(frozen=True, slots=True)
class EncodedSession:
    """A session with its messages already encoded: `session_json` is the object
    `cora.encoding.session_content` gives; `etag` the session's (`SessionSummaryRecord.etag`)."""

    session_json: bytes
    etag: str


@dataclass(frozen=True, slots=True)
class EncodedMessagePage:
    """A page of messages already encoded: `messages_json` is the JSON array of the page's
    messages, each the object `cora.encoding.message_content` gives."""

    messages_json: bytes
    has_more: bool


@dataclass(frozen=True, slots=True)
class SearchHit:
    summary: SessionSummaryRecord
    match: str | None


@dataclass(frozen=True, slots=True)
class SearchPage:
    hits: tuple[SearchHit, ...]
    next_position: ListPosition | None


@dataclass(frozen=True, slots=True)
class StreamingReply:
    """A session's reply being written: its lease, and how long ago the lease was renewed (by
    the storage's clock)."""

    user_id: str
    session_id: str
    lease: ReplyLease
    age: timedelta


class SessionStore(ABC):
    """Sessions of many users. Every method is safe to call concurrently, from many processes.

    Writes are durable when they return. Errors are those of `cora.errors`; driver errors never
    leak out of an implementation.
    """

    async def open(self) -> None:
        """Prepare the storage (directories, schema, index); called once at start."""

    async def close(self) -> None:
        """Release connections and files."""

    @abstractmethod
    async def ping(self) -> None:
        """Return when storage answers; raise `StorageUnavailable` otherwise."""

    @abstractmethod
    async def create_session(self, *, session: SessionRecord) -> SessionRecord: ...

    @abstractmethod
    async def create_sessions(self, *, sessions: Iterable[SessionRecord]) -> None:
        """Store many new sessions at once (imports, bulk loads): all or nothing visible.

        `sessions` is read once, in order, and may be a generator that builds each record as
        it is read (an import does, to hold one at a time); read it off the event loop, since
        building a record can take a while. Raises `StorageFull`, `StorageUnavailable`."""

    @abstractmethod
    async def get_session(self, *, user_id: str, session_id: str) -> SessionRecord: ...

    async def get_session_encoded(self, *, user_id: str, session_id: str) -> EncodedSession:
        """The session `get_session` gives, encoded as the API's JSON. This encodes
        `get_session`'s record; a back end that can have its database write the JSON overrides
        it. Raises what `get_session` raises."""
        record = await self.get_session(user_id=user_id, session_id=session_id)
        return EncodedSession(dumps(session_content(record)), record.summary.etag)

    @abstractmethod
    async def get_summary(self, *, user_id: str, session_id: str) -> SessionSummaryRecord: ...

    @abstractmethod
    async def list_sessions(
        self,
        *,
        user_id: str,
        limit: int,
        after: ListPosition | None = None,
        view: SessionFilter = EVERY_SESSION,
    ) -> SummaryPage:
        """Up to `limit` of the user's sessions that `view` admits, after `after`: most
        recently updated first, ties by session id, descending. An unknown user has none.
        Raises `InvalidCursor` for a position no page gave, `StorageUnavailable`."""

    async def list_sessions_encoded(
        self,
        *,
        user_id: str,
        limit: int,
        after: ListPosition | None = None,
        view: SessionFilter = EVERY_SESSION,
    ) -> EncodedSummaryPage:
        """The page `list_sessions` gives, its summaries encoded as the API's JSON (the list
        route answers with it). This encodes `list_sessions`' records; a back end that can have
        its database write the JSON overrides it. Raises what `list_sessions` raises."""
        page = await self.list_sessions(user_id=user_id, limit=limit, after=after, view=view)
        encoded = dumps([summary_content(summary) for summary in page.sessions])
        return EncodedSummaryPage(encoded, page.next_position)

    @abstractmethod
    async def tag_counts(self, *, user_id: str) -> tuple[TagCount, ...]:
        """Every tag the user's sessions carry (archived ones included) with how many carry
        it: most used first, ties by tag. Raises `StorageUnavailable`."""

    @abstractmethod
    async def storage_usage(self, *, user_id: str) -> StorageUsage:
        """How many sessions the user has and their size in bytes (the JSON store: its files;
        PostgreSQL: the messages' text and metadata). Raises `StorageUnavailable`."""

    @abstractmethod
    async def set_feedback(
        self, *, user_id: str, session_id: str, message_id: str, feedback: Feedback | None
    ) -> FeedbackChange:
        """Set (or, with None, clear) an assistant message's feedback, in one durable write
        that advances the session's `updated_at`; returns the message as now stored (its
        `feedback_at` that new `updated_at`, or None when cleared) and the feedback it had
        before, read in the same write (so a rating counter counts changes). Every read
        returns `feedback_at` as stored; a message written with one keeps it.
        Raises `SessionNotFound`, `MessageNotFound` (no such message in this session),
        `FeedbackNotAllowed` (not an assistant message), `SessionCorrupt`, `StorageFull`,
        `StorageUnavailable`."""

    @abstractmethod
    async def append_message(
        self, *, user_id: str, session_id: str, message: MessageRecord
    ) -> AppendResult:
        """Append, or return the stored message when its id is already in the session.

        Returns the stored message and whether it was created. Raises `SessionNotFound`,
        `MessageIdConflict` (the id is stored with another sender or text), `ReplyInProgress`
        (a reply is streaming; checked after the id, so a retry still gets its message)."""

    @abstractmethod
    async def replace_session(
        self,
        *,
        user_id: str,
        session_id: str,
        messages: Sequence[MessageRecord] | None,
        changes: SessionChanges,
        expected_etag: str | None = None,
    ) -> SessionRecord:
        """Replace the messages (when given) and the changed fields, in one write.

        Returns the session as stored. Raises `SessionNotFound`, `StaleSession` (the ETag does
        not match), `ReplyInProgress` (messages given while a reply is streaming; changing only
        fields keeps the streaming reply and its lease)."""

    @abstractmethod
    async def delete_session(
        self, *, user_id: str, session_id: str, expected_etag: str | None = None
    ) -> None: ...

    @abstractmethod
    async def delete_user_sessions(self, *, user_id: str) -> int:
        """Delete every session of the user, readable or not, with everything kept about them
        (files, index entries, rows); returns how many were deleted. `StorageUnavailable` when
        storage does not answer (what was deleted stays deleted; calling again finishes)."""

    @abstractmethod
    async def list_messages(
        self, *, user_id: str, session_id: str, limit: int, before: str | None = None
    ) -> MessagePage:
        """In stored order: the latest `limit` messages, or the `limit` just before message
        `before` (`UnknownMessage` if that id is not in this session)."""

    async def list_messages_encoded(
        self, *, user_id: str, session_id: str, limit: int, before: str | None = None
    ) -> EncodedMessagePage:
        """The page `list_messages` gives, its messages encoded as the API's JSON. This encodes
        `list_messages`' records; a back end that can have its database write the JSON
        overrides it. Raises what `list_messages` raises."""
        page = await self.list_messages(
            user_id=user_id, session_id=session_id, limit=limit, before=before
        )
        return EncodedMessagePage(dumps([message_content(m) for m in page.messages]), page.has_more)

    @abstractmethod
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
        """Sessions that `view` admits whose title, tags or message texts contain `text` (any
        case; empty or None: no text filter) and that carry `tag`; ordered as `list_sessions`.
        Each hit's `match` is `cora.snippets.match_snippet` of its first matching message
        text, or None. Raises `InvalidCursor`, `StorageUnavailable`."""

    @abstractmethod
    async def delete_sessions_updated_before(
        self, *, cutoff: datetime, dry_run: bool = False
    ) -> list[tuple[str, str]]:
        """Delete every session (of any user) not updated since `cutoff`; the (user_id,
        session_id) of those deleted (or, with `dry_run`, that would be), so that their
        deletion can be announced. Raises `StorageUnavailable`."""

    @abstractmethod
    async def sessions_updated_since(self, *, since: datetime) -> list[tuple[str, str]]:
        """(user_id, session_id) of every session (of any user) updated at `since` or later,
        least recently updated first, for an operator's review of the assistant's replies.
        Raises `StorageUnavailable`."""

    # --- replies being written (3.5, 3.9) -------------------------------------------------

    @abstractmethod
    async def start_reply(
        self,
        *,
        user_id: str,
        session_id: str,
        reply: MessageRecord,
        writer: str,
        question: MessageRecord | None = None,
    ) -> ReplyStart:
        """Append `question` (when given) and `reply` (status "streaming") in one write, and
        give `writer` the reply's lease. When `question`'s id is already stored, nothing is
        written: the result says so (a retry), as `append_message` would.

        Raises `SessionNotFound`, `MessageIdConflict`, `ReplyInProgress` (a reply is already
        streaming in the session)."""

    @abstractmethod
    async def update_reply(
        self, *, user_id: str, session_id: str, reply: MessageRecord, writer: str
    ) -> MessageRecord:
        """Rewrite the session's streaming reply `reply.id` with `reply`'s text, metadata and
        status. Status "streaming" renews `writer`'s lease; any other ends the reply (no lease
        left; the session takes new messages again). Returns `reply`.

        Raises `SessionNotFound` (the session was deleted) and `ReplyNotStreaming` (the reply
        has ended meanwhile: stopped or interrupted by another process)."""

    @abstractmethod
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
        """End the streaming reply `message_id` as stored (its text so far), with `status` and
        `metadata` merged into its own; for a writer that cannot (it died, or does not answer).
        With `renewed_at`, only if the lease was not renewed since.

        Returns the ended reply, or None when that reply was not streaming (or was renewed).
        Raises `SessionNotFound`."""

    @abstractmethod
    async def streaming_reply(self, *, user_id: str, session_id: str) -> MessageRecord | None:
        """The session's reply being written, as stored so far, or None.

        Raises `SessionNotFound`."""

    @abstractmethod
    async def streaming_replies(self) -> list[StreamingReply]:
        """Every reply being written, of any user: what a sweep for dead writers looks at."""
