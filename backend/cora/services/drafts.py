"""What an import reads from either format before the service checks limits and assigns ids."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from cora.domain import Feedback, JsonObject, MessageStatus, Sender
from cora.errors import InvalidImport

# (stage, done, total): what a long import or export has got through, for progress bars.
ProgressReport = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class MessageDraft:
    sender: Sender
    text: str
    timestamp: datetime
    where: str
    metadata: JsonObject = field(default_factory=dict)
    status: MessageStatus = "complete"
    feedback: Feedback | None = None


@dataclass(frozen=True, slots=True)
class SessionDraft:
    source_id: str
    where: str
    title: str | None
    created_at: datetime
    updated_at: datetime
    messages: tuple[MessageDraft, ...]
    tags: tuple[str, ...] = ()
    metadata: JsonObject = field(default_factory=dict)
    pinned: bool = False
    archived: bool = False


MAX_PROBLEMS_SHOWN = 3


def invalid(where: str, error: ValidationError) -> InvalidImport:
    """The first few problems Pydantic found, each with its path inside `where`."""
    problems = error.errors()
    shown = "; ".join(
        ".".join(str(part) for part in problem["loc"])
        + ": " * bool(problem["loc"])
        + problem["msg"].removeprefix("Value error, ")
        for problem in problems[:MAX_PROBLEMS_SHOWN]
    )
    more = len(problems) - MAX_PROBLEMS_SHOWN
    return InvalidImport(f"{where}: {shown}" + (f" (and {more} more)" if more > 0 else ""))


def require_object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidImport(f"{where}: must be a JSON object, not {describe(value)}")
    return value


def describe(value: Any) -> str:
    """A value for an error message, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
