"""The one storage interface the service depends on; every back end implements it."""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cora.domain import (
    AppendResult,
    MessageRecord,
    SessionChanges,
    SessionRecord,
    SessionSummaryRecord,
)


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
class MessagePage:
    messages: tuple[MessageRecord, ...]
    has_more: bool


@dataclass(frozen=True, slots=True)
class SearchHit:
    summary: SessionSummaryRecord
    match: str | None


@dataclass(frozen=True, slots=True)
class SearchPage:
    hits: tuple[SearchHit, ...]
    next_position: ListPosition | None


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
    async def create_sessions(self, *, sessions: Sequence[SessionRecord]) -> None:
        """Store many new sessions at once (imports, bulk loads): all or nothing visible."""

    @abstractmethod
    async def get_session(self, *, user_id: str, session_id: str) -> SessionRecord: ...

    @abstractmethod
    async def get_summary(self, *, user_id: str, session_id: str) -> SessionSummaryRecord: ...

    @abstractmethod
    async def list_sessions(
        self, *, user_id: str, limit: int, after: ListPosition | None = None
    ) -> SummaryPage:
        """Most recently updated first; ties by session id, descending."""

    @abstractmethod
    async def append_message(
        self, *, user_id: str, session_id: str, message: MessageRecord
    ) -> AppendResult:
        """Append, or return the stored message when its id is already in the session."""

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
        """Replace the messages (when given) and the changed fields, in one write."""

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

    @abstractmethod
    async def search_sessions(
        self,
        *,
        user_id: str,
        text: str | None,
        tag: str | None,
        limit: int,
        after: ListPosition | None = None,
    ) -> SearchPage:
        """Sessions whose title, tags or message texts contain `text` (any case; empty or None:
        no text filter) and that carry `tag`; ordered as `list_sessions`. Each hit's `match`
        is `match_snippet` of its first matching message text, or None."""

    @abstractmethod
    async def delete_sessions_updated_before(
        self, *, cutoff: datetime, dry_run: bool = False
    ) -> int:
        """Delete every session (of any user) not updated since `cutoff`; how many were (or,
        with `dry_run`, would be)."""
