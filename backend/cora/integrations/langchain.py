"""LangChain chat memory kept in Cora: `CoraChatMessageHistory`.

Needs langchain-core, which the core install of Cora does not pull in: `pip install
'cora[langchain]'`."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

try:
    from langchain_core.chat_history import BaseChatMessageHistory
    from langchain_core.messages import (
        AIMessage,
        BaseMessage,
        ChatMessage,
        HumanMessage,
        SystemMessage,
    )
except ImportError as error:  # pragma: no cover - exercised by a test in a clean interpreter
    raise ImportError(
        "cora.integrations.langchain needs langchain-core, which is not installed: "
        "pip install 'cora[langchain]'",
        name=error.name,
    ) from error

from cora.client import AsyncCoraClient, CoraClient
from cora.domain import UUID_PATTERN, Sender
from cora.schemas import MessagePublic

__all__ = ["CoraChatMessageHistory", "from_cora", "to_cora"]

LANGCHAIN_ID = "langchain_id"
"""Metadata key keeping a LangChain message id that is not a UUID (such as `lc_run--...`)."""

# Non-UUID LangChain ids become name-based UUIDs in this namespace: the same LangChain message
# always gets the same Cora id, so adding it twice stores it once.
ID_NAMESPACE = uuid.UUID("6f1f5c1e-3a53-4c55-9d2e-8d6f0b7a4c21")

OMITTED = "langchain_omitted"
"""Metadata key listing the kinds of content parts (such as `image_url`) Cora did not keep."""

# A streamed reply (`.stream()`, `.astream()`) reaches the history as an AIMessageChunk.
SENDER_BY_TYPE: dict[str, Sender] = {
    "human": "user",
    "ai": "assistant",
    "system": "system",
    "HumanMessageChunk": "user",
    "AIMessageChunk": "assistant",
    "SystemMessageChunk": "system",
}
SENDER_BY_ROLE: dict[str, Sender] = {
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "ai": "assistant",
    "system": "system",
}
CLASS_BY_SENDER: dict[Sender, type[BaseMessage]] = {
    "user": HumanMessage,
    "assistant": AIMessage,
    "system": SystemMessage,
}
_UUID = re.compile(UUID_PATTERN)


def to_cora(message: BaseMessage) -> dict[str, Any]:
    """The Cora message (a request body for an append) for a LangChain message.

    HumanMessage, AIMessage and SystemMessage (their chunks too, and a ChatMessage with one of
    their roles) map to `user`, `assistant` and `system`; other kinds, and messages without
    text or other content, are refused with a ValueError. Of content in parts, the text is
    kept and the kinds of the other parts (images...) are listed in `metadata.langchain_omitted`
    (a message of images only is stored as a note saying so). A UUID `id` is kept as Cora's id;
    any other id is kept in the metadata and the Cora id is derived from it; a message without
    an id gets a new one."""
    if isinstance(message, ChatMessage):
        sender = SENDER_BY_ROLE.get(message.role.lower())
    else:
        sender = SENDER_BY_TYPE.get(message.type)
    if sender is None:
        raise ValueError(
            f"Cora keeps user, assistant and system messages, not {type(message).__name__}"
        )
    text = str(message.text)
    metadata: dict[str, Any] = {}
    omitted = _omitted_parts(message.content)
    if omitted:
        metadata[OMITTED] = omitted
        text = text or f"[{', '.join(omitted)} left out]"
    if not text:
        raise ValueError(f"Cora keeps text; this {type(message).__name__} has none")
    if message.id is None:
        message_id = str(uuid.uuid4())
    elif _UUID.fullmatch(message.id):
        message_id = message.id.lower()
    else:
        message_id = str(uuid.uuid5(ID_NAMESPACE, message.id))
        metadata[LANGCHAIN_ID] = message.id
    return {"sender": sender, "text": text, "id": message_id, "metadata": metadata}


def _omitted_parts(content: str | list[str | dict[str, Any]]) -> list[str]:
    """The kinds of the content parts that are not text, in order, each once."""
    if isinstance(content, str):
        return []
    kinds: list[str] = []
    for part in content:
        if isinstance(part, dict) and part.get("type", "text") != "text":
            kind = str(part.get("type"))
            if kind not in kinds:
                kinds.append(kind)
    return kinds


def from_cora(message: MessagePublic) -> BaseMessage:
    """The LangChain message for a stored Cora message, with its LangChain id restored."""
    kept = message.metadata.get(LANGCHAIN_ID)
    message_id = kept if isinstance(kept, str) else message.id
    return CLASS_BY_SENDER[message.sender](content=message.text, id=message_id)


class CoraChatMessageHistory(BaseChatMessageHistory):
    """The messages of one Cora session, as LangChain chat memory.

    Give a `CoraClient` for the blocking methods and/or an `AsyncCoraClient` for the `a...`
    ones (without it they run the blocking ones in a thread). The session must exist: see
    `create` and `acreate`.

    `add_messages` appends each message on its own (in order), with an id made before the
    first request, instead of reading the session and writing back the whole list with
    `If-Match`. Appends cannot lose anyone's message: each only adds its own message, so a
    concurrent writer (another history, the web app, a chat reply being stored) can never be
    overwritten, whatever it does; the server serialises appends, and a retry after a lost
    answer carries the same id and is stored once. A whole-list PUT, by contrast, rewrites
    every other message on each turn and loses a concurrent writer's message the moment anyone
    forgets the condition; under contention it must re-read and re-send the whole session,
    possibly many times. The price: two writers' batches may interleave (each message is
    stored once, and each writer's messages keep their order), and a batch that fails half-way
    leaves its first messages stored; adding the same messages again completes it without
    duplicates, since their ids are the same."""

    def __init__(
        self,
        session_id: str,
        *,
        user_id: str,
        client: CoraClient | None = None,
        async_client: AsyncCoraClient | None = None,
    ) -> None:
        if client is None and async_client is None:
            raise TypeError("CoraChatMessageHistory needs a client, an async_client, or both")
        super().__init__()
        self.session_id = session_id
        self.user_id = user_id
        self.client = client
        self.async_client = async_client

    @classmethod
    def create(cls, client: CoraClient, user_id: str, **fields: Any) -> CoraChatMessageHistory:
        """A history on a new session (`fields`: `title`, `tags`, `metadata`)."""
        session = client.create_session(user_id, **fields)
        return cls(session.session_id, user_id=user_id, client=client)

    @classmethod
    async def acreate(
        cls, async_client: AsyncCoraClient, user_id: str, **fields: Any
    ) -> CoraChatMessageHistory:
        session = await async_client.create_session(user_id, **fields)
        return cls(session.session_id, user_id=user_id, async_client=async_client)

    def _client(self) -> CoraClient:
        if self.client is None:
            raise TypeError("This history has only an async_client: use the a... methods")
        return self.client

    @property
    def messages(self) -> list[BaseMessage]:  # type: ignore[override]
        """The session's messages, read from Cora on every access."""
        session = self._client().get_session(self.user_id, self.session_id)
        return [from_cora(message) for message in session.messages]

    def add_messages(self, messages: Sequence[BaseMessage]) -> None:
        client = self._client()
        for body in [to_cora(message) for message in messages]:
            client.append_message(
                self.user_id,
                self.session_id,
                body["sender"],
                body["text"],
                message_id=body["id"],
                metadata=body["metadata"],
            )

    def clear(self) -> None:
        """Remove every message of the session (the session itself stays)."""
        self._client().replace_session(self.user_id, self.session_id, [])

    async def aget_messages(self) -> list[BaseMessage]:
        if self.async_client is None:
            return await super().aget_messages()
        session = await self.async_client.get_session(self.user_id, self.session_id)
        return [from_cora(message) for message in session.messages]

    async def aadd_messages(self, messages: Sequence[BaseMessage]) -> None:
        if self.async_client is None:
            return await super().aadd_messages(messages)
        for body in [to_cora(message) for message in messages]:
            await self.async_client.append_message(
                self.user_id,
                self.session_id,
                body["sender"],
                body["text"],
                message_id=body["id"],
                metadata=body["metadata"],
            )
        return None

    async def aclear(self) -> None:
        if self.async_client is None:
            return await super().aclear()
        await self.async_client.replace_session(self.user_id, self.session_id, [])
        return None
