"""Export and import (contract 3.6): sessions out as JSON or Markdown; in from a cora-sessions
document or ChatGPT's `conversations.json`, checked whole before one all-or-nothing write."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import anyio.to_thread
import orjson
from pydantic import TypeAdapter

from cora.domain import (
    MessageRecord,
    SessionRecord,
    SessionSummaryRecord,
    effective_title,
    first_user_title,
)
from cora.errors import InvalidImport, PayloadTooLarge, SessionCorrupt, SessionNotFound
from cora.events import EventBus, payloads
from cora.schemas import ImportResult, SessionPublic
from cora.services.archive import ARCHIVE_FORMAT, ARCHIVE_VERSION, archive_to_drafts, is_archive
from cora.services.chatgpt import conversations_to_drafts
from cora.services.drafts import MessageDraft, ProgressReport, SessionDraft
from cora.services.markdown import session_markdown
from cora.services.sessions import Limits
from cora.store.base import ListPosition, SessionStore
from cora.timeutil import utc_now

LIST_PAGE = 200
NEITHER_FORMAT = (
    f'The document is neither a {ARCHIVE_FORMAT} export (an object with "format":'
    f' "{ARCHIVE_FORMAT}") nor a ChatGPT conversations.json (a list of conversations)'
)

_SESSION_JSON = TypeAdapter(SessionPublic)


@dataclass(frozen=True, slots=True)
class _Prepared:
    source_id: str
    record: SessionRecord


class TransferService:
    def __init__(self, store: SessionStore, limits: Limits, events: EventBus | None = None) -> None:
        self._store = store
        self._limits = limits
        self._events = events

    # --- export ----------------------------------------------------------------------------

    async def session_json(self, *, user_id: str, session_id: str) -> bytes:
        record = await self._store.get_session(user_id=user_id, session_id=session_id)
        return _SESSION_JSON.dump_json(SessionPublic.from_session(record))

    async def session_markdown(self, *, user_id: str, session_id: str) -> str:
        record = await self._store.get_session(user_id=user_id, session_id=session_id)
        return session_markdown(record)

    async def export_all(self, *, user_id: str, progress: ProgressReport | None = None) -> bytes:
        """Every session of the user, most recently updated first, as one cora-sessions document;
        damaged sessions are left out and listed in `unreadable` (contract 6)."""
        summaries = await self._summaries(user_id)
        sessions = []
        unreadable: list[str] = []
        for done, summary in enumerate(summaries, start=1):
            try:
                record = await self._store.get_session(
                    user_id=user_id, session_id=summary.session_id
                )
            except SessionNotFound:  # deleted since it was listed
                continue
            except SessionCorrupt:
                unreadable.append(summary.session_id)
                continue
            sessions.append(
                orjson.Fragment(_SESSION_JSON.dump_json(SessionPublic.from_session(record)))
            )
            if progress is not None:
                progress("export", done, len(summaries))
        return orjson.dumps(
            {
                "format": ARCHIVE_FORMAT,
                "version": ARCHIVE_VERSION,
                "sessions": sessions,
                "unreadable": unreadable,
            }
        )

    # --- import ----------------------------------------------------------------------------

    async def import_document(
        self, *, user_id: str, data: bytes, progress: ProgressReport | None = None
    ) -> ImportResult:
        """Create a new session for each source not imported before; nothing if any is invalid."""
        prepare = partial(self._prepare, user_id, data, now=utc_now(), progress=progress)
        prepared = await anyio.to_thread.run_sync(prepare)
        known = await self._known_sources(user_id)
        fresh: list[SessionRecord] = []
        skipped: list[str] = []
        for item in prepared:
            if item.source_id in known:
                skipped.append(item.source_id)
                continue
            known.add(item.source_id)
            fresh.append(item.record)
        if progress is not None:
            progress("write", 0, len(fresh))
        if fresh:
            await self._limits.quota.check(
                self._store, user_id, new_sessions=len(fresh), new_bytes=len(data)
            )
            await self._store.create_sessions(sessions=fresh)
            if self._events is not None:
                for record in fresh:
                    await self._events.publish(payloads.session_changed(record.summary))
        if progress is not None:
            progress("write", len(fresh), len(fresh))
        return ImportResult(imported=[r.session_id for r in fresh], skipped=skipped)

    def _prepare(
        self, user_id: str, data: bytes, *, now: datetime, progress: ProgressReport | None
    ) -> list[_Prepared]:
        drafts = read_drafts(data, now=now, progress=progress)
        return [_Prepared(d.source_id, self._record(user_id, d)) for d in drafts]

    def _record(self, user_id: str, draft: SessionDraft) -> SessionRecord:
        messages = tuple(self._message(m) for m in draft.messages)
        metadata = {**draft.metadata, "imported_from": draft.source_id}
        self._check_metadata(metadata, f"{draft.where}: metadata")
        custom_title = draft.title if draft.title != first_user_title(messages) else None
        summary = SessionSummaryRecord(
            session_id=str(uuid.uuid4()),
            user_id=user_id,
            title=effective_title(custom_title, messages),
            created_at=draft.created_at,
            updated_at=max(draft.updated_at, draft.created_at),
            message_count=len(messages),
            tags=draft.tags,
            metadata=metadata,
        )
        return SessionRecord(summary=summary, custom_title=custom_title, messages=messages)

    def _message(self, draft: MessageDraft) -> MessageRecord:
        if len(draft.text) > self._limits.max_message_chars:
            raise PayloadTooLarge(
                f"{draft.where}: text has {len(draft.text)} characters;"
                f" the limit is {self._limits.max_message_chars}"
            )
        self._check_metadata(draft.metadata, f"{draft.where}: metadata")
        return MessageRecord(
            id=str(uuid.uuid4()),
            sender=draft.sender,
            text=draft.text,
            timestamp=draft.timestamp,
            metadata=draft.metadata,
        )

    def _check_metadata(self, metadata: Any, where: str) -> None:
        size = len(orjson.dumps(metadata))
        if size > self._limits.max_metadata_bytes:
            raise PayloadTooLarge(
                f"{where} is {size} bytes as JSON; the limit is {self._limits.max_metadata_bytes}"
            )

    async def _known_sources(self, user_id: str) -> set[str]:
        """The user's session ids and the sources their sessions were imported from."""
        known: set[str] = set()
        for summary in await self._summaries(user_id):
            known.add(summary.session_id)
            source = summary.metadata.get("imported_from")
            if isinstance(source, str):
                known.add(source)
        return known

    async def _summaries(self, user_id: str) -> list[SessionSummaryRecord]:
        summaries: list[SessionSummaryRecord] = []
        after: ListPosition | None = None
        while True:
            page = await self._store.list_sessions(user_id=user_id, limit=LIST_PAGE, after=after)
            summaries.extend(page.sessions)
            if page.next_position is None:
                return summaries
            after = page.next_position


def read_drafts(
    data: bytes, *, now: datetime, progress: ProgressReport | None = None
) -> list[SessionDraft]:
    """Drafts from either format; `InvalidImport` saying what is wrong and where."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise InvalidImport(f"The document is not valid JSON: {error}") from None
    if is_archive(document):
        return archive_to_drafts(document, progress=progress)
    if isinstance(document, list):
        return conversations_to_drafts(document, now=now, progress=progress)
    raise InvalidImport(NEITHER_FORMAT)
