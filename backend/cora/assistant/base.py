"""The interface every assistant implements, and the types it exchanges with the service."""

from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Sender = Literal["user", "assistant", "system"]


@dataclass(frozen=True, slots=True)
class ChatTurn:
    """One stored message of a session, oldest first in a history."""

    sender: Sender
    text: str


@dataclass(frozen=True, slots=True)
class ReplyPiece:
    """A piece of a streamed reply: text to append, and/or metadata to merge into the stored reply."""  # noqa: E501

    text: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)


class AssistantError(Exception):
    """The assistant could not produce a reply (model server down, bad answer...). Message is safe to show users.

    `retry_after` is the number of seconds the model server asked to wait (HTTP 429), if any.
    """  # noqa: E501

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Assistant(ABC):
    """Produces replies to a session's conversation."""

    name: str

    @abstractmethod
    def reply(self, *, history: Sequence[ChatTurn]) -> AsyncGenerator[ReplyPiece, None]:
        """Stream the reply to the conversation; history ends with the user's newest message."""

    async def aclose(self) -> None:  # release clients
        return None
