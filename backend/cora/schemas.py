"""The API's models: what clients send (create / update families) and what they get (public)."""

import re
from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StringConstraints,
    model_validator,
)
from typing_extensions import TypeAliasType

from cora.domain import (
    USERNAME_PATTERN,
    UUID_PATTERN,
    EndedStatus,
    Feedback,
    MessageRecord,
    MessageStatus,
    Rating,
    Sender,
    SessionRecord,
    SessionSummaryRecord,
    TagCount,
)
from cora.domain import Metadata as StoredMetadata
from cora.timeutil import UTC, format_timestamp

# Named enums and constants (see `cora.domain` for why aliases): generators make one type each.
HealthStatus = TypeAliasType("HealthStatus", Literal["ok", "unavailable"])
TokenType = TypeAliasType("TokenType", Literal["bearer"])
ArchiveFormat = TypeAliasType("ArchiveFormat", Literal["cora-sessions"])
ArchiveVersion = TypeAliasType("ArchiveVersion", Literal[1])
ExportFormat = TypeAliasType("ExportFormat", Literal["json", "markdown"])

MAX_TAGS = 50
MAX_TITLE_CHARS = 200
MAX_FEEDBACK_COMMENT_CHARS = 2000
MAX_METADATA_DEPTH = 32


def _no_nul_or_surrogates(text: str) -> str:
    if "\x00" in text:
        raise ValueError("must not contain NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode (no lone surrogates)") from None
    return text


def _check_json_tree(value: Any, depth: int = 0) -> None:
    if depth > MAX_METADATA_DEPTH:
        raise ValueError(f"must not nest deeper than {MAX_METADATA_DEPTH} levels")
    if isinstance(value, str):
        _no_nul_or_surrogates(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _no_nul_or_surrogates(key)
            _check_json_tree(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_json_tree(item, depth + 1)


def _valid_metadata(value: dict[str, Any]) -> dict[str, Any]:
    _check_json_tree(value)
    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError as error:
        raise ValueError(f"cannot be stored as JSON: {error}") from None
    return value


# RFC 3339's date-time: Pydantic alone would also take "123" (Unix time) or "12:00Z" (no seconds).
RFC3339_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})"
)


def _rfc3339_text(value: object) -> object:
    if not isinstance(value, str) or not RFC3339_DATE_TIME.fullmatch(value):
        raise ValueError(
            "must be an RFC 3339 timestamp with seconds and a time zone, "
            "such as 2026-01-31T09:30:00Z"
        )
    return value


def _to_utc(moment: datetime) -> datetime:
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("is outside the years 1 to 9999 in UTC") from None


CleanText = Annotated[str, AfterValidator(_no_nul_or_surrogates)]
Uuid = Annotated[
    str,
    StringConstraints(pattern=UUID_PATTERN, to_lower=True),
    Field(examples=["0f8fad5b-d9cb-469f-a165-70867728950e"]),
]
Timestamp = Annotated[
    datetime, PlainSerializer(format_timestamp, return_type=str, when_used="json")
]
ClientTimestamp = Annotated[AwareDatetime, BeforeValidator(_rfc3339_text), AfterValidator(_to_utc)]
Metadata = TypeAliasType("Metadata", Annotated[dict[str, Any], AfterValidator(_valid_metadata)])
Title = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_TITLE_CHARS),
    AfterValidator(_no_nul_or_surrogates),
]
Tag = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64, strip_whitespace=True),
    AfterValidator(_no_nul_or_surrogates),
]
Tags = Annotated[list[Tag], Field(max_length=MAX_TAGS)]
MessageText = Annotated[str, StringConstraints(min_length=1), AfterValidator(_no_nul_or_surrogates)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- messages ------------------------------------------------------------------------------


class MessageCreate(StrictModel):
    sender: Sender
    text: MessageText
    id: Uuid | None = None
    timestamp: ClientTimestamp | None = None
    metadata: Metadata = Field(default_factory=dict)


FeedbackComment = Annotated[
    str,
    StringConstraints(max_length=MAX_FEEDBACK_COMMENT_CHARS),
    AfterValidator(_no_nul_or_surrogates),
]


class MessageFeedback(StrictModel):
    """A user's rating of an assistant message (3.10)."""

    rating: Rating
    comment: FeedbackComment | None = None

    @classmethod
    def from_record(cls, record: Feedback | None) -> "MessageFeedback | None":
        return None if record is None else cls(rating=record.rating, comment=record.comment)

    def to_record(self) -> Feedback:
        return Feedback(rating=self.rating, comment=self.comment)


class MessagePatch(StrictModel):
    feedback: MessageFeedback | None = Field(
        description="The feedback to keep on this assistant message, or null to remove it"
    )


# A stored message's text as a PUT or an import gives it back: empty only for a reply that
# ended early (`check_stored_message`).
StoredMessageText = Annotated[str, AfterValidator(_no_nul_or_surrogates)]


def check_stored_message(sender: Sender, text: str, status: MessageStatus, rated: bool) -> None:
    """ValueError unless a message given back as GET gave it is one Cora could have stored."""
    if not text and status == "complete":
        raise ValueError("text must not be empty (only a reply that ended early may be)")
    if rated and sender != "assistant":
        raise ValueError("only assistant messages take feedback")
    if status != "complete" and sender != "assistant":
        raise ValueError("only assistant messages end other than complete")


class MessageReplacement(MessageCreate):
    """A message in a PUT (2.4): what a GET gave, so that the round trip keeps feedback and how
    a reply ended (a reply cannot be put back as still `streaming`)."""

    feedback: MessageFeedback | None = None
    status: EndedStatus = "complete"
    text: StoredMessageText

    @model_validator(mode="after")
    def _as_stored(self) -> "MessageReplacement":
        check_stored_message(self.sender, self.text, self.status, self.feedback is not None)
        return self


class MessagePublic(BaseModel):
    id: str
    sender: Sender
    text: str
    timestamp: Timestamp
    metadata: StoredMetadata
    status: MessageStatus = Field(
        default="complete",
        description='"complete" unless it is an assistant reply still being written'
        ' ("streaming") or ended early ("stopped", "failed", "interrupted")',
    )
    feedback: MessageFeedback | None = None

    @classmethod
    def from_record(cls, record: MessageRecord) -> "MessagePublic":
        return cls(
            id=record.id,
            sender=record.sender,
            text=record.text,
            timestamp=record.timestamp,
            metadata=dict(record.metadata),
            status=record.status,
            feedback=MessageFeedback.from_record(record.feedback),
        )


# --- sessions ------------------------------------------------------------------------------


class SessionCreate(StrictModel):
    title: Title | None = None
    tags: Tags = Field(default_factory=list)
    metadata: Metadata = Field(default_factory=dict)


class SessionFields(StrictModel):
    title: Title | None = None
    tags: Tags | None = None
    metadata: Metadata | None = None


class SessionPatch(SessionFields):
    # Strict: `0` or `"yes"` is 422, as the schema (a boolean) says, not read as false or true.
    pinned: StrictBool | None = None
    archived: StrictBool | None = None


class SessionUpdate(SessionFields):
    messages: list[MessageReplacement]

    @model_validator(mode="after")
    def _unique_message_ids(self) -> "SessionUpdate":
        ids = [m.id for m in self.messages if m.id is not None]
        if len(ids) != len(set(ids)):
            raise ValueError("messages must not share an id")
        return self


class SessionSummary(BaseModel):
    session_id: str
    user_id: str
    title: str | None
    created_at: Timestamp
    updated_at: Timestamp
    message_count: int
    tags: list[str]
    metadata: StoredMetadata
    pinned: bool = False
    archived: bool = False

    @classmethod
    def from_record(cls, record: SessionSummaryRecord) -> "SessionSummary":
        return cls(
            session_id=record.session_id,
            user_id=record.user_id,
            title=record.title,
            created_at=record.created_at,
            updated_at=record.updated_at,
            message_count=record.message_count,
            tags=list(record.tags),
            metadata=dict(record.metadata),
            pinned=record.pinned,
            archived=record.archived,
        )


class SessionPublic(SessionSummary):
    messages: list[MessagePublic]

    @classmethod
    def from_session(cls, record: SessionRecord) -> "SessionPublic":
        summary = SessionSummary.from_record(record.summary)
        messages = [MessagePublic.from_record(m) for m in record.messages]
        return cls(**dict(summary), messages=messages)


class SessionList(BaseModel):
    sessions: list["SessionSearchSummary | SessionSummary"]
    next_cursor: str | None


class TagUse(BaseModel):
    tag: str
    count: int = Field(description="How many of the user's sessions carry the tag")

    @classmethod
    def from_record(cls, record: TagCount) -> "TagUse":
        return cls(tag=record.tag, count=record.count)


class TagList(BaseModel):
    tags: list[TagUse] = Field(description="Every tag of the user's sessions, most used first")


# --- operations ----------------------------------------------------------------------------


class Health(BaseModel):
    status: HealthStatus


class ErrorBody(BaseModel):
    detail: Any


# --- accounts ------------------------------------------------------------------------------

Username = Annotated[str, StringConstraints(pattern=USERNAME_PATTERN)]
Password = Annotated[
    str, StringConstraints(min_length=8, max_length=1024), AfterValidator(_no_nul_or_surrogates)
]


class RegisterRequest(StrictModel):
    username: Username
    password: Password


class PasswordChange(StrictModel):
    current_password: Annotated[str, StringConstraints(max_length=1024)]
    new_password: Password


class AccountDeletion(StrictModel):
    password: Annotated[str, StringConstraints(max_length=1024)]


class AccountPublic(BaseModel):
    user_id: str
    username: str


class TokenResponse(BaseModel):
    access_token: str
    token_type: TokenType = "bearer"  # noqa: S105
    user_id: str


# --- chat ----------------------------------------------------------------------------------


class ChatRequest(StrictModel):
    text: MessageText
    id: Uuid | None = None


class ChatReply(BaseModel):
    user_message: MessagePublic
    reply: MessagePublic


class StopResult(BaseModel):
    stopped: int = Field(description="1 when a streaming reply was stopped, else 0")


class ChatDelta(BaseModel):
    message_id: str = Field(default="", description="The reply this piece belongs to")
    text: str


class MessageList(BaseModel):
    messages: list[MessagePublic]
    has_more: bool


class SessionSearchSummary(SessionSummary):
    match: str | None = Field(
        description="At most 200 characters of the first message text matching `q`, or null"
    )


# --- export and import ---------------------------------------------------------------------


class SessionsExport(BaseModel):
    format: ArchiveFormat = "cora-sessions"
    version: ArchiveVersion = 1
    sessions: list[SessionPublic]
    unreadable: list[str] = Field(
        default_factory=list,
        description="Sessions left out because their stored data is damaged (contract 6)",
    )


class ImportResult(BaseModel):
    imported: list[str] = Field(description="The new sessions' ids, in the order of the source")
    skipped: list[str] = Field(
        description="Source ids already imported for this user (or naming one of their sessions)"
    )
