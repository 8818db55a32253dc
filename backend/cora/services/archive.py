"""Cora's own export document, `{"format": "cora-sessions", "version": 1, "sessions": [...]}`,
read into session drafts: pure, no storage. Sessions are read as the API writes them; fields an
import does not use (`user_id`, `message_count`) are ignored."""

from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from cora.domain import Feedback, MessageStatus, Rating, Sender
from cora.errors import InvalidImport
from cora.schemas import (
    ArchiveFormat,
    ArchiveVersion,
    ClientTimestamp,
    FeedbackComment,
    Metadata,
    StoredMessageText,
    Tags,
    Title,
    Uuid,
    check_stored_message,
)
from cora.services.drafts import (
    MessageDraft,
    SessionDraft,
    describe,
    invalid,
    require_object,
)

ARCHIVE_FORMAT = "cora-sessions"
ARCHIVE_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ArchivedFeedback(_Model):
    rating: Rating
    comment: FeedbackComment | None = None


class ArchivedMessage(_Model):
    """A message as GET gave it: how a reply ended and its feedback come back with it."""

    id: Uuid
    sender: Sender
    text: StoredMessageText
    timestamp: ClientTimestamp
    metadata: Metadata = Field(default_factory=dict)
    status: MessageStatus = "complete"
    feedback: ArchivedFeedback | None = None

    @model_validator(mode="after")
    def _as_stored(self) -> "ArchivedMessage":
        check_stored_message(self.sender, self.text, self.status, self.feedback is not None)
        return self


class ArchivedSession(_Model):
    session_id: Uuid
    title: Title | None = None
    created_at: ClientTimestamp
    updated_at: ClientTimestamp
    tags: Tags = Field(default_factory=list)
    metadata: Metadata = Field(default_factory=dict)
    pinned: StrictBool = False
    archived: StrictBool = False
    messages: list[ArchivedMessage] = Field(default_factory=list)


class SessionsArchive(_Model):
    """What `GET /sessions/{user_id}/export` answers, as an import reads it."""

    format: ArchiveFormat
    version: ArchiveVersion
    sessions: list[ArchivedSession]


_SESSION = TypeAdapter(ArchivedSession)


def session_to_draft(index: int, raw: Any) -> SessionDraft:
    where = f"session at index {index}" + _id_suffix(raw)
    try:
        session = _SESSION.validate_python(require_object(raw, where))
    except ValidationError as error:
        raise invalid(where, error) from None
    _check_unique_ids(session, where)
    return SessionDraft(
        source_id=session.session_id,
        where=where,
        title=session.title,
        created_at=session.created_at,
        updated_at=session.updated_at,
        tags=tuple(session.tags),
        metadata=session.metadata,
        pinned=session.pinned,
        archived=session.archived,
        messages=tuple(
            MessageDraft(
                sender=message.sender,
                text=message.text,
                timestamp=message.timestamp,
                where=f"{where}, message at index {position}",
                metadata=message.metadata,
                # A reply being written when the backup was made will never finish here.
                status="interrupted" if message.status == "streaming" else message.status,
                feedback=_feedback(message.feedback),
            )
            for position, message in enumerate(session.messages)
        ),
    )


def _feedback(archived: ArchivedFeedback | None) -> Feedback | None:
    return None if archived is None else Feedback(archived.rating, archived.comment)


def _id_suffix(raw: Any) -> str:
    session_id = raw.get("session_id") if isinstance(raw, dict) else None
    return f" (id {describe(session_id)})" if isinstance(session_id, str) else ""


def _check_unique_ids(session: ArchivedSession, where: str) -> None:
    seen: set[str] = set()
    for message in session.messages:
        if message.id in seen:
            raise InvalidImport(f"{where}: message id {message.id} appears more than once")
        seen.add(message.id)
