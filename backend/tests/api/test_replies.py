"""Replies being written (contract 3.5), through the app on both stores, with a real slow model
server: one reply at a time, text growing, stop, delete, regenerate, keep-alive comments."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from cora.config import Settings
from cora.store import Stores
from tests.api.test_chat import parse_events
from tests.assistant.chat_server import ChatServer
from tests.conftest import app_client


@pytest.fixture
async def model_server() -> AsyncIterator[ChatServer]:
    server = ChatServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def http(
    tmp_path: Path, stores: Stores, model_server: ChatServer
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        data_dir=tmp_path,
        auth="none",
        assistant="openai",
        openai_base_url=model_server.base_url,
        openai_model="test-model",
        reply_flush_seconds=0.1,
        sse_keepalive_seconds=0.3,
    )
    async with app_client(settings, stores) as client:
        client.timeout = httpx.Timeout(20)
        yield client


async def new_session(http: httpx.AsyncClient, user: str = "alice") -> str:
    return str((await http.post(f"/sessions/{user}")).json()["session_id"])


async def last_message(http: httpx.AsyncClient, sid: str) -> dict:
    messages = (await http.get(f"/sessions/alice/{sid}")).json()["messages"]
    return messages[-1] if messages else {"sender": None, "status": None}


async def wait_until_streaming(http: httpx.AsyncClient, sid: str) -> dict:
    for _ in range(200):
        messages = (await http.get(f"/sessions/alice/{sid}")).json()["messages"]
        if messages and messages[-1]["status"] == "streaming":
            return messages[-1]
        await asyncio.sleep(0.05)
    raise AssertionError("no reply started streaming within 10 s")


async def test_while_a_reply_streams_writes_are_409_and_fields_change(
    http: httpx.AsyncClient, model_server: ChatServer
) -> None:
    model_server.script.mode = "stall"
    sid = await new_session(http)
    chatting = asyncio.create_task(http.post(f"/sessions/alice/{sid}/chat", json={"text": "Q1"}))
    streaming = await wait_until_streaming(http, sid)
    assert streaming["sender"] == "assistant" and streaming["text"] == ""
    refused = [
        await http.post(f"/sessions/alice/{sid}/chat", json={"text": "Q2"}),
        await http.post(f"/sessions/alice/{sid}/chat/regenerate"),
        await http.post(f"/sessions/alice/{sid}/messages", json={"sender": "user", "text": "x"}),
        await http.put(f"/sessions/alice/{sid}", json={"messages": []}),
    ]
    for response in refused:
        assert response.status_code == 409
        assert "reply is being written" in response.json()["detail"]
    renamed = await http.patch(f"/sessions/alice/{sid}", json={"title": "Renamed"})
    assert renamed.status_code == 200
    assert (await http.post(f"/sessions/alice/{sid}/chat/stop")).json() == {"stopped": 1}
    answered = await chatting
    assert answered.status_code == 201
    reply = answered.json()["reply"]
    assert reply["status"] == "stopped" and reply["metadata"]["stopped"] is True
    assert reply["text"] == "" and reply["id"] == streaming["id"]
    stored = (await http.get(f"/sessions/alice/{sid}")).json()
    assert stored["title"] == "Renamed"
    assert [(m["sender"], m["text"]) for m in stored["messages"]] == [
        ("user", "Q1"),
        ("assistant", ""),
    ]
    assert stored["messages"][-1] == reply
    follow_up = await http.post(
        f"/sessions/alice/{sid}/messages", json={"sender": "user", "text": "Q2"}
    )
    assert follow_up.status_code == 201
    assert (await http.post(f"/sessions/alice/{sid}/chat/stop")).json() == {"stopped": 0}


async def test_readers_see_the_text_grow_while_it_is_written(
    http: httpx.AsyncClient, model_server: ChatServer
) -> None:
    model_server.script.pieces = [f"w{i} " for i in range(20)]
    model_server.script.delay = 0.1
    sid = await new_session(http)
    chatting = asyncio.create_task(http.post(f"/sessions/alice/{sid}/chat", json={"text": "Q"}))
    seen: list[str] = []
    while not chatting.done():
        message = await last_message(http, sid)
        if message["sender"] == "assistant" and message["status"] == "streaming":
            seen.append(message["text"])
        await asyncio.sleep(0.05)
    reply = (await chatting).json()["reply"]
    assert reply["status"] == "complete" and reply["text"] == "".join(f"w{i} " for i in range(20))
    grown = [text for text in dict.fromkeys(seen) if text]
    assert len(grown) >= 3
    assert all(reply["text"].startswith(text) for text in grown)
    assert grown == sorted(grown, key=len)


async def test_stop_is_checked_like_every_session_route(
    http: httpx.AsyncClient, model_server: ChatServer
) -> None:
    model_server.script.mode = "stall"
    sid = await new_session(http)
    chatting = asyncio.create_task(http.post(f"/sessions/alice/{sid}/chat", json={"text": "Q"}))
    await wait_until_streaming(http, sid)
    assert (await http.post(f"/sessions/bob/{sid}/chat/stop")).status_code == 404
    assert (await http.post(f"/sessions/alice/{uuid.uuid4()}/chat/stop")).status_code == 404
    assert (await last_message(http, sid))["status"] == "streaming"
    assert (await http.post(f"/sessions/alice/{sid}/chat/stop")).json() == {"stopped": 1}
    assert (await chatting).json()["reply"]["status"] == "stopped"


async def test_deleting_the_session_ends_the_reply_quietly(
    http: httpx.AsyncClient, model_server: ChatServer
) -> None:
    model_server.script.mode = "stall"
    sid = await new_session(http)
    chatting = asyncio.create_task(http.post(f"/sessions/alice/{sid}/chat", json={"text": "Q"}))
    await wait_until_streaming(http, sid)
    assert (await http.delete(f"/sessions/alice/{sid}")).status_code == 204
    answered = await asyncio.wait_for(chatting, 10)
    assert answered.status_code == 404
    assert (await http.get(f"/sessions/alice/{sid}")).status_code == 404
    other = await new_session(http)
    model_server.script.mode = "ok"
    assert (await http.post(f"/sessions/alice/{other}/chat", json={"text": "Q"})).status_code == 201


async def test_regenerate_adds_a_new_reply_to_the_last_question(
    http: httpx.AsyncClient, model_server: ChatServer
) -> None:
    sid = await new_session(http)
    empty = await http.post(f"/sessions/alice/{sid}/chat/regenerate")
    assert empty.status_code == 422 and "no user message" in empty.json()["detail"]
    first = (await http.post(f"/sessions/alice/{sid}/chat", json={"text": "Q"})).json()
    model_server.script.pieces = ["Another", " answer"]
    again = await http.post(f"/sessions/alice/{sid}/chat/regenerate")
    assert again.status_code == 201
    body = again.json()
    assert body["user_message"] == first["user_message"]
    assert body["reply"]["text"] == "Another answer" and body["reply"]["status"] == "complete"
    streamed = await http.post(
        f"/sessions/alice/{sid}/chat/regenerate", headers={"Accept": "text/event-stream"}
    )
    events = parse_events(streamed.text)
    assert [name for name, _ in events][:2] == ["user_message", "reply_started"]
    assert events[-1][0] == "reply"
    messages = (await http.get(f"/sessions/alice/{sid}")).json()["messages"]
    assert [m["id"] for m in messages] == [
        first["user_message"]["id"],
        first["reply"]["id"],
        body["reply"]["id"],
        events[-1][1]["id"],
    ]
    history = model_server.requests[-1]["messages"]
    assert [m["role"] for m in history[1:]] == ["user"]
    assert (await http.post(f"/sessions/alice/{uuid.uuid4()}/chat/regenerate")).status_code == 404


async def test_silence_from_the_model_still_sends_comments_and_can_be_stopped(
    server_factory, model_server: ChatServer
) -> None:
    """Through a real server: the in-process transport would hold the stream until its end."""
    model_server.script.mode = "stall"
    server = server_factory(
        "--auth",
        "none",
        env={
            "CORA_ASSISTANT": "openai",
            "CORA_OPENAI_BASE_URL": model_server.base_url,
            "CORA_OPENAI_MODEL": "test-model",
            "CORA_SSE_KEEPALIVE_SECONDS": "0.3",
        },
    )
    async with httpx.AsyncClient(base_url=server.url, timeout=20) as http:
        await silence_then_stop(http)


async def silence_then_stop(http: httpx.AsyncClient) -> None:
    sid = await new_session(http)
    body, stop_sent = "", False
    async with http.stream(
        "POST",
        f"/sessions/alice/{sid}/chat",
        json={"text": "Q"},
        headers={"Accept": "text/event-stream"},
    ) as response:
        async for chunk in response.aiter_text():
            body += chunk
            if body.count(": keep-alive") >= 2 and not stop_sent:
                stopped = await http.post(f"/sessions/alice/{sid}/chat/stop")
                assert stopped.json() == {"stopped": 1}
                stop_sent = True
    events = parse_events("\n\n".join(b for b in body.split("\n\n") if "event:" in b))
    assert [name for name, _ in events] == ["user_message", "reply_started", "reply"]
    assert events[-1][1]["status"] == "stopped"


async def test_a_session_with_a_failed_empty_reply_can_be_put_back(
    http: httpx.AsyncClient, model_server: ChatServer
) -> None:
    model_server.script.mode = "error_status"
    sid = await new_session(http)
    failed = await http.post(f"/sessions/alice/{sid}/chat", json={"text": "Q"})
    assert failed.status_code == 502
    stored = (await http.get(f"/sessions/alice/{sid}")).json()
    assert [(m["status"], m["text"]) for m in stored["messages"]] == [
        ("complete", "Q"),
        ("failed", ""),
    ]
    put = await http.put(f"/sessions/alice/{sid}", json={"messages": stored["messages"]})
    assert put.status_code == 200 and put.json()["messages"] == stored["messages"]
    empty = {**stored["messages"][1], "status": "complete"}
    refused = await http.put(f"/sessions/alice/{sid}", json={"messages": [empty]})
    assert refused.status_code == 422
    streaming = {**stored["messages"][1], "status": "streaming", "text": "x"}
    refused = await http.put(f"/sessions/alice/{sid}", json={"messages": [streaming]})
    assert refused.status_code == 422
