"""What the stores keep: sessions and messages, independent of the API's models."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from typing_extensions import TypeAliasType

from cora.timeutil import format_timestamp

# Named aliases: each becomes one named schema (`#/components/schemas/Sender`) in the API's
# OpenAPI document, instead of an enum repeated inline in every model that uses it.
Sender = TypeAliasType("Sender", Literal["user", "assistant", "system"])
MessageStatus = TypeAliasType(
    "MessageStatus", Literal["complete", "streaming", "stopped", "failed", "interrupted"]
)
Rating = TypeAliasType("Rating", Literal["up", "down"])
EndedStatus = TypeAliasType("EndedStatus", Literal["complete", "stopped", "failed", "interrupted"])
MESSAGE_STATUSES: tuple[MessageStatus, ...] = (
    "complete",
    "streaming",
    "stopped",
    "failed",
    "interrupted",
)
JsonObject = Mapping[str, Any]
# A metadata object as stored (and answered); `cora.schemas.Metadata` is what a client may send.
Metadata = TypeAliasType("Metadata", dict[str, Any])

TITLE_MAX_CHARS = 80


@dataclass(frozen=True, slots=True)
class Feedback:
    """A user's rating of an assistant message (3.10)."""

    rating: Rating
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class MessageRecord:
    id: str
    sender: Sender
    text: str
    timestamp: datetime
    metadata: JsonObject = field(default_factory=dict)
    status: MessageStatus = "complete"
    feedback: Feedback | None = None
    # When the feedback was last set (the store's write); None without feedback, for feedback
    # stored before Cora kept the time, or sent in a PUT. Not part of the API's message.
    feedback_at: datetime | None = None

    def same_content(self, other: "MessageRecord") -> bool:
        return self.sender == other.sender and self.text == other.text


@dataclass(frozen=True, slots=True)
class SessionSummaryRecord:
    session_id: str
    user_id: str
    title: str | None
    created_at: datetime
    updated_at: datetime
    message_count: int
    tags: tuple[str, ...] = ()
    metadata: JsonObject = field(default_factory=dict)
    pinned: bool = False
    archived: bool = False

    @property
    def etag(self) -> str:
        return etag_for(self.updated_at)


@dataclass(frozen=True, slots=True)
class SessionRecord:
    summary: SessionSummaryRecord
    custom_title: str | None
    messages: tuple[MessageRecord, ...] = ()

    @property
    def session_id(self) -> str:
        return self.summary.session_id


@dataclass(frozen=True, slots=True)
class SessionChanges:
    """Fields a PATCH or PUT sets; `set_title` tells "set to null" from "not given"."""

    set_title: bool = False
    title: str | None = None
    tags: tuple[str, ...] | None = None
    metadata: JsonObject | None = None
    pinned: bool | None = None
    archived: bool | None = None


@dataclass(frozen=True, slots=True)
class SessionFilter:
    """Which of a user's sessions a list shows: with `archived` set, only those whose flag
    equals it (the API lists `archived=False` unless asked, 3.1); with `pinned_only`, only
    pinned ones. The default shows every session (an export, say)."""

    archived: bool | None = None
    pinned_only: bool = False

    def admits(self, summary: "SessionSummaryRecord") -> bool:
        if self.archived is not None and summary.archived != self.archived:
            return False
        return summary.pinned or not self.pinned_only


@dataclass(frozen=True, slots=True)
class TagCount:
    tag: str
    count: int


@dataclass(frozen=True, slots=True)
class StorageUsage:
    """What one user's sessions take: how many, and their stored size in bytes."""

    sessions: int
    bytes: int


@dataclass(frozen=True, slots=True)
class AppendResult:
    message: MessageRecord
    created: bool
    # The session after the append, when the store has it at no extra cost.
    summary: "SessionSummaryRecord | None" = None


@dataclass(frozen=True, slots=True)
class FeedbackChange:
    """An assistant message as stored after its feedback was set, and the feedback it had."""

    message: MessageRecord
    previous: Feedback | None


@dataclass(frozen=True, slots=True)
class ReplyLease:
    """Who is writing a session's streaming reply (3.5), and when they last said so."""

    message_id: str
    writer: str
    renewed_at: datetime


@dataclass(frozen=True, slots=True)
class ReplyStart:
    """What starting a reply did: the question as stored (when one was given) and whether the
    reply was started (not when the question was already there: a retry)."""

    question: AppendResult | None
    started: bool


def reply_kind(metadata: JsonObject) -> str:
    """What an assistant reply was, from the metadata keys of docs/API.md 3.7: "safety" (a crisis
    or emergency line), "declined" (not sure, or not something Cora answers), "small_talk",
    "answered" (a knowledge-base entry), "model" (an OpenAI-compatible model) or "other"."""
    if metadata.get("safety"):
        return "safety"
    if metadata.get("fallback"):
        return "declined"
    if metadata.get("small_talk"):
        return "small_talk"
    if metadata.get("faq_id"):
        return "answered"
    if metadata.get("source") == "openai":
        return "model"
    return "other"


def derive_title(text: str) -> str | None:
    """The first non-blank line, trimmed, cut to at most 80 characters."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped:
            return stripped[:TITLE_MAX_CHARS]
    return None


def first_user_title(messages: Iterable[MessageRecord]) -> str | None:
    title: str | None = None
    for message in messages:
        title = title_after_append(title, message)
        if title is not None:
            return title
    return None


def effective_title(custom_title: str | None, messages: Iterable[MessageRecord]) -> str | None:
    return custom_title if custom_title is not None else first_user_title(messages)


def title_after_append(current: str | None, message: MessageRecord) -> str | None:
    """Only the first user message gives an untitled session its title."""
    if current is None and message.sender == "user":
        return derive_title(message.text)
    return current


def find_text(text: str, query: str) -> re.Match[str] | None:
    """The first case-insensitive occurrence of `query` in `text`."""
    return re.search(re.escape(query), text, re.IGNORECASE)


def apply_changes(summary: SessionSummaryRecord, changes: SessionChanges) -> SessionSummaryRecord:
    updated = summary
    if changes.tags is not None:
        updated = replace(updated, tags=changes.tags)
    if changes.metadata is not None:
        updated = replace(updated, metadata=changes.metadata)
    if changes.pinned is not None:
        updated = replace(updated, pinned=changes.pinned)
    if changes.archived is not None:
        updated = replace(updated, archived=changes.archived)
    return updated


USER_ID_PATTERN = r"^[A-Za-z0-9-]{1,64}$"
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
USERNAME_PATTERN = r"^[A-Za-z0-9._-]{3,64}$"
_USER_ID = re.compile(USER_ID_PATTERN)
_USERNAME = re.compile(USERNAME_PATTERN)
_UUID = re.compile(UUID_PATTERN)


def is_user_id(text: str) -> bool:
    return _USER_ID.fullmatch(text) is not None


def is_username(text: str) -> bool:
    return _USERNAME.fullmatch(text) is not None


def is_uuid(text: str) -> bool:
    return _UUID.fullmatch(text) is not None


def etag_for(updated_at: datetime) -> str:
    return f'"{format_timestamp(updated_at)}"'
