"""ChatGPT's `conversations.json` (its data export) read into session drafts: pure, no storage.

A conversation is a tree of nodes (`mapping`): each regeneration or edit starts a new branch. The
branch that ends at `current_node` (else at the newest leaf) is the one the user last saw; it is
kept, walking parents up to the root. System, tool and hidden messages, messages addressed to a
tool (`recipient` other than `all`), and parts that are not strings are left out.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError

from cora.domain import Sender
from cora.errors import InvalidImport
from cora.schemas import MAX_TITLE_CHARS, CleanText
from cora.services.drafts import (
    MessageDraft,
    SessionDraft,
    describe,
    invalid,
    require_object,
)

KEPT_ROLES: dict[str, Sender] = {"user": "user", "assistant": "assistant"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)


class ChatGptAuthor(_Model):
    role: str


class ChatGptContent(_Model):
    content_type: str
    parts: list[Any] | None = None


def _false_if_null(value: Any) -> Any:
    return False if value is None else value


class ChatGptMessageMetadata(_Model):
    # `null` is read as false; the schema says boolean, which keeps generated clients' names short.
    is_visually_hidden_from_conversation: Annotated[bool, BeforeValidator(_false_if_null)] = False
    model_slug: str | None = None


class ChatGptMessage(_Model):
    author: ChatGptAuthor
    content: ChatGptContent | None = None
    create_time: float | None = None
    recipient: str | None = None
    metadata: ChatGptMessageMetadata | None = None


class ChatGptNode(_Model):
    id: str | None = None
    message: ChatGptMessage | None = None
    parent: str | None = None
    children: list[str] = Field(default_factory=list)


class ChatGptConversation(_Model):
    """One entry of `conversations.json`; fields Cora does not use are ignored."""

    id: str | None = None
    conversation_id: str | None = None
    title: str | None = None
    create_time: float | None = None
    update_time: float | None = None
    current_node: str | None = None
    mapping: dict[str, ChatGptNode]


_CONVERSATION = TypeAdapter(ChatGptConversation)
_CLEAN_TEXT = TypeAdapter(CleanText)


def conversation_to_draft(index: int, raw: Any, *, now: datetime) -> SessionDraft:
    where = f"conversation at index {index}" + _id_suffix(raw)
    try:
        conversation = _CONVERSATION.validate_python(require_object(raw, where))
    except ValidationError as error:
        raise invalid(where, error) from None
    source_id = conversation.id or conversation.conversation_id
    if not source_id:
        raise InvalidImport(f"{where}: has neither `id` nor `conversation_id`")
    _check_links(conversation.mapping, where)
    branch = _branch(conversation.mapping, _tip(conversation, where))
    created_at = _time(conversation.create_time, f"{where}: create_time")
    messages = _messages(branch, where, fallback=created_at or now)
    created_at = created_at or (messages[0].timestamp if messages else now)
    updated_at = _time(conversation.update_time, f"{where}: update_time")
    return SessionDraft(
        source_id=source_id,
        where=where,
        title=_title(conversation.title, where),
        created_at=created_at,
        updated_at=updated_at or (messages[-1].timestamp if messages else created_at),
        messages=tuple(messages),
    )


def _id_suffix(raw: Any) -> str:
    if isinstance(raw, dict):
        source_id = raw.get("id") or raw.get("conversation_id")
        if isinstance(source_id, str):
            return f" (id {describe(source_id)})"
    return ""


def _check_links(mapping: Mapping[str, ChatGptNode], where: str) -> None:
    """Every parent and child a node names is in the mapping, and parents never loop."""
    for node_id, node in mapping.items():
        if node.parent is not None and node.parent not in mapping:
            raise InvalidImport(
                f"{where}: node {describe(node_id)} names parent {describe(node.parent)}"
                " which is not in mapping"
            )
        for child in node.children:
            if child not in mapping:
                raise InvalidImport(
                    f"{where}: node {describe(node_id)} names child {describe(child)}"
                    " which is not in mapping"
                )
    _check_no_cycle(mapping, where)


def _check_no_cycle(mapping: Mapping[str, ChatGptNode], where: str) -> None:
    reaches_root: set[str] = set()
    for start in mapping:
        path: list[str] = []
        on_path: set[str] = set()
        node_id: str | None = start
        while node_id is not None and node_id not in reaches_root:
            if node_id in on_path:
                loop = [*path[path.index(node_id) :], node_id]
                raise InvalidImport(
                    f"{where}: the parents of node {describe(node_id)} form a cycle: "
                    + " -> ".join(describe(n) for n in loop)
                )
            path.append(node_id)
            on_path.add(node_id)
            node_id = mapping[node_id].parent
        reaches_root.update(path)


def _tip(conversation: ChatGptConversation, where: str) -> str | None:
    """`current_node`, or the newest leaf (by its message's create_time) when it is absent."""
    mapping = conversation.mapping
    if conversation.current_node is not None:
        if conversation.current_node not in mapping:
            raise InvalidImport(
                f"{where}: current_node {describe(conversation.current_node)} is not in mapping"
            )
        return conversation.current_node
    parents = {node.parent for node in mapping.values()}
    leaves = [node_id for node_id in mapping if node_id not in parents]
    return max(leaves, key=lambda node_id: _create_time(mapping[node_id]), default=None)


def _create_time(node: ChatGptNode) -> float:
    if node.message is None or node.message.create_time is None:
        return float("-inf")
    return node.message.create_time


def _branch(mapping: Mapping[str, ChatGptNode], tip: str | None) -> list[tuple[str, ChatGptNode]]:
    """The nodes from the root down to `tip` (links already checked, so this ends)."""
    branch = []
    node_id = tip
    while node_id is not None:
        branch.append((node_id, mapping[node_id]))
        node_id = mapping[node_id].parent
    branch.reverse()
    return branch


def _messages(
    branch: list[tuple[str, ChatGptNode]], where: str, *, fallback: datetime
) -> list[MessageDraft]:
    messages: list[MessageDraft] = []
    for node_id, node in branch:
        message = node.message
        sender = _visible_sender(message)
        if message is None or sender is None:
            continue
        text = _text(message)
        if not text.strip():
            continue
        node_where = f"{where}, node {describe(node_id)}"
        timestamp = _time(message.create_time, f"{node_where}: create_time")
        model = message.metadata.model_slug if message.metadata else None
        messages.append(
            MessageDraft(
                sender=sender,
                text=_clean(text, f"{node_where}: text"),
                timestamp=timestamp or (messages[-1].timestamp if messages else fallback),
                where=node_where,
                metadata={"model": model} if sender == "assistant" and model else {},
            )
        )
    return messages


def _visible_sender(message: ChatGptMessage | None) -> Sender | None:
    if message is None or message.recipient not in (None, "all"):
        return None
    if message.metadata is not None and message.metadata.is_visually_hidden_from_conversation:
        return None
    return KEPT_ROLES.get(message.author.role)


def _text(message: ChatGptMessage) -> str:
    if message.content is None or message.content.parts is None:
        return ""
    return "\n".join(part for part in message.content.parts if isinstance(part, str) and part)


def _title(title: str | None, where: str) -> str | None:
    if title is None or not title.strip():
        return None
    return _clean(title, f"{where}: title")[:MAX_TITLE_CHARS]


def _clean(text: str, where: str) -> str:
    try:
        return _CLEAN_TEXT.validate_python(text)
    except ValidationError as error:
        raise invalid(where, error) from None


def _time(seconds: float | None, where: str) -> datetime | None:
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, ValueError, OSError):
        raise InvalidImport(
            f"{where} {seconds!r} is not a time between the years 1 and 9999"
        ) from None
