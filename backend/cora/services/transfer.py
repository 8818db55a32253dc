"""Export and import (contract 3.6): sessions out as JSON or Markdown; in from a cora-sessions
document or ChatGPT's `conversations.json`, read as a stream (`import_reader`) and checked whole
before one all-or-nothing write."""

from collections.abc import Iterator
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
from cora.errors import PayloadTooLarge, SessionCorrupt, SessionNotFound
from cora.events import EventBus, payloads
from cora.ids import new_uuid
from cora.schemas import ImportResult, SessionPublic
from cora.services import import_reader
from cora.services.archive import ARCHIVE_FORMAT, ARCHIVE_VERSION, session_to_draft
from cora.services.chatgpt import conversation_to_draft
from cora.services.drafts import MessageDraft, ProgressReport, SessionDraft
from cora.services.import_reader import DocumentShape
from cora.services.markdown import session_markdown
from cora.services.sessions import Limits
from cora.store.base import ListPosition, SessionStore
from cora.timeutil import utc_now

LIST_PAGE = 200

_SESSION_JSON = TypeAdapter(SessionPublic)


@dataclass(frozen=True, slots=True)
class _ImportPlan:
    shape: DocumentShape
    fresh: frozenset[int]  # the positions of the sessions to create
    skipped: list[str]  # the sources imported before (or twice in the document)


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
        """Create a new session for each source not imported before; nothing if any is invalid.

        The document is read twice as a stream: once to check every session (and decide which
        are new), then again to write the new ones, so no more than one is held at a time."""
        now = utc_now()
        known = await self._known_sources(user_id)
        plan = await anyio.to_thread.run_sync(
            partial(self._plan, user_id, data, known, now=now, progress=progress)
        )
        if progress is not None:
            progress("write", 0, len(plan.fresh))
        created: list[SessionSummaryRecord] = []
        if plan.fresh:
            await self._limits.quota.check(
                self._store, user_id, new_sessions=len(plan.fresh), new_bytes=len(data)
            )
            records = self._fresh_records(user_id, data, plan, now=now, created=created)
            await self._store.create_sessions(sessions=records)
            if self._events is not None:
                for summary in created:
                    await self._events.publish(payloads.session_changed(summary))
        if progress is not None:
            progress("write", len(created), len(plan.fresh))
        return ImportResult(imported=[s.session_id for s in created], skipped=plan.skipped)

    def _plan(
        self,
        user_id: str,
        data: bytes,
        known: set[str],
        *,
        now: datetime,
        progress: ProgressReport | None,
    ) -> _ImportPlan:
        """Every session checked against the limits; which are new and which were seen before."""
        shape = import_reader.scan(data)
        fresh: set[int] = set()
        skipped: list[str] = []
        for index, raw in enumerate(import_reader.items(data, shape)):
            draft = _draft(shape, index, raw, now=now)
            self._record(user_id, draft)
            if progress is not None:
                progress("check", index + 1, shape.count)
            if draft.source_id in known:
                skipped.append(draft.source_id)
            else:
                known.add(draft.source_id)
                fresh.add(index)
        return _ImportPlan(shape, frozenset(fresh), skipped)

    def _fresh_records(
        self,
        user_id: str,
        data: bytes,
        plan: _ImportPlan,
        *,
        now: datetime,
        created: list[SessionSummaryRecord],
    ) -> Iterator[SessionRecord]:
        for index, raw in enumerate(import_reader.items(data, plan.shape)):
            if index in plan.fresh:
                record = self._record(user_id, _draft(plan.shape, index, raw, now=now))
                created.append(record.summary)
                yield record

    def _record(self, user_id: str, draft: SessionDraft) -> SessionRecord:
        messages = tuple(self._message(m) for m in draft.messages)
        # The source's own metadata is held to the limit; the source id added to it is not (a
        # session at the limit is exported and imported back whole).
        self._check_metadata(draft.metadata, f"{draft.where}: metadata")
        metadata = {**draft.metadata, "imported_from": draft.source_id}
        custom_title = draft.title if draft.title != first_user_title(messages) else None
        summary = SessionSummaryRecord(
            session_id=new_uuid(),
            user_id=user_id,
            title=effective_title(custom_title, messages),
            created_at=draft.created_at,
            updated_at=max(draft.updated_at, draft.created_at),
            message_count=len(messages),
            tags=draft.tags,
            metadata=metadata,
            pinned=draft.pinned,
            archived=draft.archived,
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
            id=new_uuid(),
            sender=draft.sender,
            text=draft.text,
            timestamp=draft.timestamp,
            metadata=draft.metadata,
            status=draft.status,
            feedback=draft.feedback,
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


def _draft(shape: DocumentShape, index: int, raw: Any, *, now: datetime) -> SessionDraft:
    if shape.kind == "archive":
        return session_to_draft(index, raw)
    return conversation_to_draft(index, raw, now=now)
