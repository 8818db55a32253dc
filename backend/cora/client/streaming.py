"""Reading a chat's Server-Sent Events (contract 3.5), line by line, for both clients."""

from __future__ import annotations

from dataclasses import dataclass

from cora.client.errors import AssistantFailed, CoraConnectionError
from cora.schemas import ChatDelta, ErrorBody, MessagePublic


@dataclass(frozen=True, slots=True)
class ReplyStarted:
    """The reply as first stored (`status: "streaming"`, empty text): other clients see it too."""

    message: MessagePublic


class ReplyDelta(str):
    """The next piece of the reply's text; a `str`, which also names the reply it belongs to."""

    message_id: str

    def __new__(cls, text: str, message_id: str) -> ReplyDelta:
        piece = super().__new__(cls, text)
        piece.message_id = message_id
        return piece


ChatPiece = ReplyStarted | ReplyDelta | MessagePublic
"""What a streaming chat yields: `ReplyStarted`, each `ReplyDelta`, then the stored reply."""


class ChatEvents:
    """Feed it the stream's lines; it returns each delta's text and the reply, keeps the user's
    stored message, and raises `AssistantFailed` for `event: error`."""

    def __init__(self) -> None:
        self.user_message: MessagePublic | None = None
        self.reply: MessagePublic | None = None
        self._event = ""
        self._data: list[str] = []

    def feed(self, line: str) -> ChatPiece | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        return None

    def finish(self) -> MessagePublic:
        """The reply, once the stream has ended; an error if it ended without one."""
        if self.reply is None and self._data:
            self._dispatch()
        if self.reply is None:
            raise CoraConnectionError("The chat's event stream ended before the reply")
        return self.reply

    def _dispatch(self) -> ChatPiece | None:
        name, data = self._event or "message", "\n".join(self._data)
        self._event, self._data = "", []
        if not data:
            return None
        if name == "user_message":
            self.user_message = MessagePublic.model_validate_json(data)
        elif name == "reply_started":
            return ReplyStarted(MessagePublic.model_validate_json(data))
        elif name == "delta":
            delta = ChatDelta.model_validate_json(data)
            return ReplyDelta(delta.text, delta.message_id)
        elif name == "reply":
            self.reply = MessagePublic.model_validate_json(data)
            return self.reply
        elif name == "error":
            raise AssistantFailed(502, ErrorBody.model_validate_json(data).detail)
        return None
