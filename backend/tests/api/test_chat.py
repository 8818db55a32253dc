"""Chat with Cora (contract 3.5): stored turns, Server-Sent Events, disconnects, stops, failures."""

import asyncio
import uuid

import httpx
import orjson
import pytest

from tests.assistant.chat_server import ChatServer


def parse_events(body: str) -> list[tuple[str, dict]]:
    events = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        events.append((fields["event"], orjson.loads(fields["data"])))
    return events


async def new_session(client, user: str = "alice") -> str:
    return (await client.post(f"/sessions/{user}")).json()["session_id"]


async def test_json_chat_stores_the_question_and_cora_s_answer(client) -> None:
    sid = await new_session(client)
    response = await client.post(
        f"/sessions/alice/{sid}/chat", json={"text": "How do I file a claim for my car?"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["user_message"]["sender"] == "user"
    reply = body["reply"]
    assert reply["sender"] == "assistant" and reply["text"]
    assert reply["metadata"]["source"] == "faq" and reply["metadata"]["faq_id"]
    stored = (await client.get(f"/sessions/alice/{sid}")).json()
    assert [m["id"] for m in stored["messages"]] == [body["user_message"]["id"], reply["id"]]
    assert stored["title"] == "How do I file a claim for my car?"


async def test_a_follow_up_is_answered_with_the_session_as_context(client) -> None:
    sid = await new_session(client)
    await client.post(
        f"/sessions/alice/{sid}/chat", json={"text": "How do I file a home insurance claim?"}
    )
    follow = await client.post(
        f"/sessions/alice/{sid}/chat", json={"text": "How long does that take?"}
    )
    assert follow.status_code == 201
    assert "claim" in follow.json()["reply"]["metadata"]["faq_id"]


async def test_event_stream_sends_the_message_deltas_and_the_stored_reply(client) -> None:
    sid = await new_session(client)
    response = await client.post(
        f"/sessions/alice/{sid}/chat",
        json={"text": "What is a deductible?"},
        headers={"Accept": "text/event-stream"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_events(response.text)
    names = [name for name, _ in events]
    assert names[:2] == ["user_message", "reply_started"] and names[-1] == "reply"
    assert set(names[2:-1]) == {"delta"} and len(names) > 4
    started, reply = events[1][1], events[-1][1]
    assert started["id"] == reply["id"] and started["sender"] == "assistant"
    assert started["status"] == "streaming" and started["text"] == ""
    assert reply["status"] == "complete"
    deltas = [data for name, data in events if name == "delta"]
    assert {data["message_id"] for data in deltas} == {reply["id"]}
    assert "".join(data["text"] for data in deltas) == reply["text"]
    stored = (await client.get(f"/sessions/alice/{sid}")).json()["messages"]
    assert stored[-1] == reply
    assert stored[0] == events[0][1] and stored[0]["status"] == "complete"


async def test_a_retried_chat_stores_nothing_twice(client) -> None:
    sid = await new_session(client)
    message_id = str(uuid.uuid4())
    first = await client.post(
        f"/sessions/alice/{sid}/chat", json={"text": "Hello", "id": message_id}
    )
    again = await client.post(
        f"/sessions/alice/{sid}/chat", json={"text": "Hello", "id": message_id}
    )
    assert again.json() == first.json()
    stored = (await client.get(f"/sessions/alice/{sid}")).json()
    assert stored["message_count"] == 2


async def test_chat_input_errors(client) -> None:
    sid = await new_session(client)
    assert (
        await client.post(f"/sessions/alice/{uuid.uuid4()}/chat", json={"text": "hi"})
    ).status_code == 404
    assert (await client.post(f"/sessions/alice/{sid}/chat", json={"text": ""})).status_code == 422
    assert (await client.post(f"/sessions/alice/{sid}/chat", json={})).status_code == 422
    assert (await client.get(f"/sessions/alice/{sid}")).json()["message_count"] == 0


@pytest.fixture
async def model_server():
    server = ChatServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def openai_cora(server_factory, model_server):
    return server_factory(
        "--auth",
        "none",
        env={
            "CORA_ASSISTANT": "openai",
            "CORA_OPENAI_BASE_URL": model_server.base_url,
            "CORA_OPENAI_MODEL": "test-model",
        },
    )


async def wait_for_messages(http, sid: str, count: int) -> list[dict]:
    """The session's messages once it has `count` and none is being written (10 s at most)."""
    for _ in range(100):
        messages = (await http.get(f"/sessions/alice/{sid}")).json()["messages"]
        if len(messages) >= count and all(m["status"] != "streaming" for m in messages):
            return messages
        await asyncio.sleep(0.1)
    return messages


def stream_chat(http: httpx.AsyncClient, sid: str, text: str):
    return http.stream(
        "POST",
        f"/sessions/alice/{sid}/chat",
        json={"text": text},
        headers={"Accept": "text/event-stream"},
    )


async def test_a_client_that_disconnects_still_gets_the_whole_reply_stored(
    openai_cora, model_server
) -> None:
    model_server.script.pieces = [f"piece{i} " for i in range(12)]
    model_server.script.delay = 0.1
    async with httpx.AsyncClient(base_url=openai_cora.url, timeout=10) as http:
        sid = (await http.post("/sessions/alice")).json()["session_id"]
        async with stream_chat(http, sid, "Tell me about claims") as response:
            seen = ""
            async for chunk in response.aiter_text():
                seen += chunk
                if "event: delta" in seen:
                    break
        messages = await wait_for_messages(http, sid, 2)
    assert [m["sender"] for m in messages] == ["user", "assistant"]
    assert messages[1]["text"] == "".join(f"piece{i} " for i in range(12))
    assert "stopped" not in messages[1]["metadata"]
    request = model_server.requests[-1]
    assert request["model"] == "test-model"
    assert (
        request["messages"][0]["role"] == "system" and "Cora" in request["messages"][0]["content"]
    )
    assert request["messages"][-1] == {"role": "user", "content": "Tell me about claims"}


async def test_stop_ends_the_reply_and_stores_the_text_so_far(openai_cora, model_server) -> None:
    model_server.script.pieces = [f"word{i} " for i in range(40)]
    model_server.script.delay = 0.1
    async with httpx.AsyncClient(base_url=openai_cora.url, timeout=10) as http:
        sid = (await http.post("/sessions/alice")).json()["session_id"]
        async with stream_chat(http, sid, "Explain everything") as response:
            body, stop_sent = "", False
            async for chunk in response.aiter_text():
                body += chunk
                if body.count("event: delta") >= 3 and not stop_sent:
                    stopped = await http.post(f"/sessions/alice/{sid}/chat/stop")
                    assert stopped.json() == {"stopped": 1}
                    stop_sent = True
        events = parse_events(body)
        assert events[-1][0] == "reply"
        reply = events[-1][1]
        messages = (await http.get(f"/sessions/alice/{sid}")).json()["messages"]
    assert reply["metadata"]["stopped"] is True and reply["status"] == "stopped"
    assert 3 <= len(reply["text"].split()) < 40
    assert messages[-1] == reply


async def test_a_failing_model_keeps_the_question_and_a_failed_reply(
    openai_cora, model_server
) -> None:
    model_server.script.mode = "break"
    async with httpx.AsyncClient(base_url=openai_cora.url, timeout=10) as http:
        sid = (await http.post("/sessions/alice")).json()["session_id"]
        streamed = await http.post(
            f"/sessions/alice/{sid}/chat",
            json={"text": "first try"},
            headers={"Accept": "text/event-stream"},
        )
        events = parse_events(streamed.text)
        assert events[0][0] == "user_message" and events[-1][0] == "error"
        assert events[-1][1]["detail"]
        failed = await http.post(f"/sessions/alice/{sid}/chat", json={"text": "second try"})
        assert failed.status_code == 502
        assert failed.json()["detail"]
        messages = (await http.get(f"/sessions/alice/{sid}")).json()["messages"]
    assert [(m["sender"], m["status"]) for m in messages] == [
        ("user", "complete"),
        ("assistant", "failed"),
        ("user", "complete"),
        ("assistant", "failed"),
    ]
    assert messages[0]["text"] == "first try" and messages[2]["text"] == "second try"
    assert messages[1]["text"] == "Hello, I'm" and messages[1]["metadata"]["error"]
    assert messages[3]["metadata"]["error"] == failed.json()["detail"]


async def test_a_retry_while_the_reply_is_written_waits_for_it(openai_cora, model_server) -> None:
    model_server.script.pieces = [f"w{i} " for i in range(10)]
    model_server.script.delay = 0.1
    message_id = str(uuid.uuid4())
    async with httpx.AsyncClient(base_url=openai_cora.url, timeout=20) as http:
        sid = (await http.post("/sessions/alice")).json()["session_id"]
        url = f"/sessions/alice/{sid}/chat"
        body = {"text": "Slow question", "id": message_id}
        first_request = asyncio.create_task(http.post(url, json=body))
        while True:  # the retry goes once the first request has stored its question and reply
            messages = (await http.get(f"/sessions/alice/{sid}")).json()["messages"]
            if len(messages) == 2:
                break
            assert not first_request.done(), first_request.result().text
            await asyncio.sleep(0.02)
        retry = await http.post(url, json=body)
        first = await first_request
        stored = (await http.get(f"/sessions/alice/{sid}")).json()
    assert first.status_code == 201 and retry.json()["reply"] == first.json()["reply"]
    assert first.json()["reply"]["status"] == "complete"
    assert stored["message_count"] == 2 and len(model_server.requests) == 1
