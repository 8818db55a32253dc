"""The OpenAI-compatible assistant against a real streaming chat-completions server on loopback."""

import socket
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from cora.assistant.base import AssistantError, ChatTurn, ReplyPiece
from cora.assistant.factory import create_assistant
from cora.assistant.openai_chat import OpenAIChatAssistant
from cora.assistant.prompts import SYSTEM_PROMPT
from cora.config import Settings

from .chat_server import ChatServer

MODEL = "cora-test-model"


@pytest.fixture
async def server() -> AsyncIterator[ChatServer]:
    chat_server = ChatServer()
    await chat_server.start()
    yield chat_server
    await chat_server.stop()


def make_assistant(
    base_url: str, *, history_char_budget: int = 24000, timeout: float = 10.0
) -> OpenAIChatAssistant:
    return OpenAIChatAssistant(
        base_url=base_url,
        model=MODEL,
        history_char_budget=history_char_budget,
        timeout=timeout,
        max_retries=0,
    )


@pytest.fixture
async def assistant(server: ChatServer) -> AsyncIterator[OpenAIChatAssistant]:
    chat = make_assistant(server.base_url)
    yield chat
    await chat.aclose()


async def collect(chat: OpenAIChatAssistant, history: Sequence[ChatTurn]) -> list[ReplyPiece]:
    return [piece async for piece in chat.reply(history=history)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


HISTORY = [
    ChatTurn("user", "How do I file a claim?"),
    ChatTurn("assistant", "You can file it online or by phone."),
    ChatTurn("system", "The customer switched to the mobile app."),
    ChatTurn("user", "How long does that take?"),
]


async def test_request_has_system_prompt_history_roles_and_model(
    server: ChatServer, assistant: OpenAIChatAssistant
) -> None:
    await collect(assistant, HISTORY)

    [request] = server.requests
    assert request["model"] == MODEL
    assert request["stream"] is True
    assert request["messages"] == [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "system", "content": "The customer switched to the mobile app."},
        {"role": "user", "content": "How do I file a claim?"},
        {"role": "assistant", "content": "You can file it online or by phone."},
        {"role": "user", "content": "How long does that take?"},
    ]


async def test_session_system_messages_follow_cora_s_prompt_and_survive_trimming(
    server: ChatServer,
) -> None:
    chat = make_assistant(server.base_url, history_char_budget=30)
    history = [
        ChatTurn("system", "The customer holds a renters policy."),
        ChatTurn("user", "a" * 40),
        ChatTurn("assistant", "b" * 40),
        ChatTurn("system", "Answer in short sentences."),
        ChatTurn("user", "c" * 20),
    ]
    try:
        await collect(chat, history)
    finally:
        await chat.aclose()

    assert server.requests[0]["messages"] == [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "system", "content": "The customer holds a renters policy."},
        {"role": "system", "content": "Answer in short sentences."},
        {"role": "user", "content": "c" * 20},
    ]


async def test_pieces_arrive_in_order_and_add_up_to_what_the_server_sent(
    server: ChatServer, assistant: OpenAIChatAssistant
) -> None:
    server.script.pieces = ["Claims ", "usually ", "take ", "a ", "few ", "days", "."]

    pieces = await collect(assistant, HISTORY)

    texts = [piece.text for piece in pieces if piece.text]
    assert texts == server.script.pieces
    assert "".join(piece.text for piece in pieces) == "Claims usually take a few days."
    assert pieces[-1] == ReplyPiece(metadata={"source": "openai", "model": MODEL})
    assert [piece for piece in pieces if piece.metadata] == [pieces[-1]]


async def test_budget_drops_the_oldest_turns(server: ChatServer) -> None:
    chat = make_assistant(server.base_url, history_char_budget=60)
    history = [
        ChatTurn("user", "a" * 40),
        ChatTurn("assistant", "b" * 40),
        ChatTurn("user", "c" * 20),
        ChatTurn("assistant", "d" * 20),
        ChatTurn("user", "e" * 20),
    ]
    try:
        await collect(chat, history)
    finally:
        await chat.aclose()

    sent = server.requests[0]["messages"]
    assert [m["content"] for m in sent[1:]] == ["c" * 20, "d" * 20, "e" * 20]
    assert sent[0]["role"] == "system"


async def test_newest_user_message_is_kept_even_over_budget(server: ChatServer) -> None:
    chat = make_assistant(server.base_url, history_char_budget=10)
    history = [ChatTurn("user", "old question"), ChatTurn("user", "x" * 500)]
    try:
        await collect(chat, history)
    finally:
        await chat.aclose()

    assert server.requests[0]["messages"][1:] == [{"role": "user", "content": "x" * 500}]


async def test_connection_closed_midway_raises_assistant_error(
    server: ChatServer, assistant: OpenAIChatAssistant
) -> None:
    server.script.mode = "break"
    received: list[str] = []

    with pytest.raises(AssistantError, match="stopped answering"):
        async for piece in assistant.reply(history=HISTORY):
            received.append(piece.text)

    assert received == server.script.pieces[: server.script.break_after]


async def test_error_event_midway_raises_assistant_error(
    server: ChatServer, assistant: OpenAIChatAssistant
) -> None:
    server.script.mode = "error_event"

    with pytest.raises(AssistantError, match="reported an error"):
        await collect(assistant, HISTORY)


async def test_http_500_raises_assistant_error(
    server: ChatServer, assistant: OpenAIChatAssistant
) -> None:
    server.script.mode = "error_status"

    with pytest.raises(AssistantError, match="HTTP 500"):
        await collect(assistant, HISTORY)


async def test_rate_limit_says_busy(server: ChatServer, assistant: OpenAIChatAssistant) -> None:
    server.script.mode = "error_status"
    server.script.status = 429

    with pytest.raises(AssistantError, match="busy") as caught:
        await collect(assistant, HISTORY)

    assert caught.value.retry_after is None


@pytest.mark.parametrize(
    ("status", "retry_after"),
    [(429, "7"), (503, "7"), (429, "in a minute"), (503, "in a minute")],
)
async def test_a_busy_or_unavailable_model_server_s_retry_after_is_carried(
    server: ChatServer, assistant: OpenAIChatAssistant, status: int, retry_after: str
) -> None:
    """In seconds, or as an HTTP date (read as the seconds left until it)."""
    server.script.mode = "error_status"
    server.script.status = status
    in_a_minute = format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)
    server.script.retry_after = in_a_minute if retry_after == "in a minute" else retry_after

    with pytest.raises(AssistantError) as caught:
        await collect(assistant, HISTORY)

    waited = caught.value.retry_after
    if retry_after == "7":
        assert waited == 7.0
    else:
        assert waited is not None and 0 < waited <= 60


def test_timeout_comes_from_the_settings() -> None:
    settings = Settings(
        assistant="openai",
        openai_base_url="http://127.0.0.1:9/v1",
        openai_model=MODEL,
        openai_timeout_seconds=3.5,
    )
    chat = create_assistant(
        kind="openai",
        openai_base_url=settings.openai_base_url,
        openai_model=settings.openai_model,
        openai_api_key=None,
        openai_timeout=settings.openai_timeout_seconds,
    )

    assert isinstance(chat, OpenAIChatAssistant)
    assert chat.timeout == 3.5


async def test_stream_ending_without_finish_raises_assistant_error(
    server: ChatServer, assistant: OpenAIChatAssistant
) -> None:
    server.script.mode = "no_finish"

    with pytest.raises(AssistantError, match="cut off"):
        await collect(assistant, HISTORY)


async def test_unreadable_chunk_raises_assistant_error(
    server: ChatServer, assistant: OpenAIChatAssistant
) -> None:
    server.script.mode = "garbage"

    with pytest.raises(AssistantError, match="could not be read"):
        await collect(assistant, HISTORY)


async def test_empty_reply_raises_assistant_error(
    server: ChatServer, assistant: OpenAIChatAssistant
) -> None:
    server.script.pieces = []

    with pytest.raises(AssistantError, match="empty reply"):
        await collect(assistant, HISTORY)


async def test_timeout_raises_assistant_error(server: ChatServer) -> None:
    server.script.mode = "stall"
    chat = make_assistant(server.base_url, timeout=0.3)

    try:
        with pytest.raises(AssistantError, match="too long"):
            await collect(chat, HISTORY)
    finally:
        await chat.aclose()


async def test_connection_refused_raises_assistant_error() -> None:
    chat = make_assistant(f"http://127.0.0.1:{free_port()}/v1")

    try:
        with pytest.raises(AssistantError, match="cannot be reached") as caught:
            await collect(chat, HISTORY)
    finally:
        await chat.aclose()

    assert "127.0.0.1" not in str(caught.value)


async def test_history_without_a_user_message_raises_assistant_error(
    server: ChatServer, assistant: OpenAIChatAssistant
) -> None:
    with pytest.raises(AssistantError):
        await collect(assistant, [ChatTurn("assistant", "Hello!")])

    assert server.requests == []


async def test_retries_once_by_default(server: ChatServer) -> None:
    server.script.mode = "error_status"
    chat = OpenAIChatAssistant(base_url=server.base_url, model=MODEL)

    try:
        with pytest.raises(AssistantError):
            await collect(chat, HISTORY)
    finally:
        await chat.aclose()

    assert len(server.requests) == 2


async def test_consumer_stopping_early_leaves_the_assistant_usable(
    server: ChatServer, assistant: OpenAIChatAssistant
) -> None:
    replies = assistant.reply(history=HISTORY)
    first = await anext(replies)
    await replies.aclose()  # type: ignore[attr-defined]

    pieces = await collect(assistant, HISTORY)

    assert first.text == "Hello"
    assert "".join(piece.text for piece in pieces) == "Hello, I'm Cora."
