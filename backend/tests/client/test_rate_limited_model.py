"""A rate-limited model (429 + Retry-After): Cora answers 502 with Retry-After, the client waits."""

import itertools

import httpx
import pytest

from cora.client import AssistantFailed, AsyncCoraClient, RetryPolicy


async def test_json_chat_answers_502_with_the_model_s_retry_after(model_cora, model_server) -> None:
    model_server.script.mode = "error_status"
    model_server.script.status = 429
    model_server.script.retry_after = "1"
    async with httpx.AsyncClient(base_url=model_cora.url, timeout=30) as http:
        sid = (await http.post("/sessions/alice")).json()["session_id"]
        answer = await http.post(f"/sessions/alice/{sid}/chat", json={"text": "Are you there?"})

    assert answer.status_code == 502
    assert answer.headers["Retry-After"] == "1"
    assert "busy" in answer.json()["detail"]


async def test_client_retries_wait_as_long_as_the_model_asked(model_cora, model_server) -> None:
    model_server.script.mode = "error_status"
    model_server.script.status = 429
    model_server.script.retry_after = "1"
    async with AsyncCoraClient(model_cora.url, retry=RetryPolicy(attempts=2)) as acora:
        sid = (await acora.create_session("alice")).session_id
        model_server.request_times.clear()
        with pytest.raises(AssistantFailed) as caught:
            await acora.chat("alice", sid, "Are you there?")

    assert caught.value.status == 502
    times = model_server.request_times
    # Two tries by the client, each trying the model twice (the model client retries once).
    assert len(times) == 4
    assert all(later - earlier >= 0.9 for earlier, later in itertools.pairwise(times))
