"""Streaming chat against Cora with a model server that writes slowly: stopping, and leaving
a stream early."""

import asyncio
import uuid

import pytest

from cora.client import (
    AsyncCoraClient,
    CoraClient,
    CoraConnectionError,
    ReplyStarted,
    RetryPolicy,
)
from cora.schemas import MessagePublic


async def test_stop_ends_the_stream_with_the_text_so_far(model_cora, model_server) -> None:
    model_server.script.pieces = [f"word{i} " for i in range(40)]
    model_server.script.delay = 0.1
    async with AsyncCoraClient(model_cora.url) as acora:
        sid = (await acora.create_session("alice")).session_id
        deltas: list[str] = []
        reply = None
        async for piece in acora.chat_stream("alice", sid, "Explain everything"):
            if isinstance(piece, str):
                deltas.append(piece)
                if len(deltas) == 3:
                    assert (await acora.stop_chat("alice", sid)).stopped == 1
            elif isinstance(piece, MessagePublic):
                reply = piece
        stored = await acora.get_session("alice", sid)
    assert isinstance(reply, MessagePublic)
    assert reply.metadata["stopped"] is True and reply.status == "stopped"
    assert reply.text == "".join(deltas) and 3 <= len(deltas) < 40
    assert stored.messages[-1] == reply


async def test_leaving_a_stream_early_still_stores_the_whole_reply(
    model_cora, model_server
) -> None:
    model_server.script.pieces = [f"piece{i} " for i in range(10)]
    model_server.script.delay = 0.05
    async with AsyncCoraClient(model_cora.url, retry=RetryPolicy(attempts=1)) as acora:
        sid = (await acora.create_session("alice")).session_id
        stream = acora.chat_stream("alice", sid, "Tell me about claims")
        assert isinstance(await anext(stream), ReplyStarted)
        assert await anext(stream) == "piece0 "
        await stream.aclose()
        for _ in range(50):
            messages = (await acora.get_session("alice", sid)).messages
            if len(messages) == 2 and messages[1].status == "complete":
                break
            await asyncio.sleep(0.1)
    assert messages[1].text == "".join(f"piece{i} " for i in range(10))


def test_a_sync_stream_left_early_is_closed(cora: CoraClient, account) -> None:
    sid = cora.create_session(account.user_id).session_id
    stream = cora.chat_stream(account.user_id, sid, "What is a deductible?")
    assert isinstance(next(stream), ReplyStarted)
    assert isinstance(next(stream), str)
    stream.close()
    assert cora.healthz().status == "ok"


async def test_a_chat_may_take_longer_than_the_timeout_of_other_calls(
    model_cora, model_server
) -> None:
    """A slow reply is waited for (`chat_timeout`), not given up on and asked for again."""
    async with AsyncCoraClient(model_cora.url) as acora:
        sid = (await acora.create_session("alice")).session_id
    model_server.script.pieces = ["slow ", "but ", "complete"]
    model_server.script.delay = 0.5
    async with AsyncCoraClient(model_cora.url, timeout=0.5) as acora:
        turn = await acora.chat("alice", sid, "Take your time")
    assert turn.reply.text == "slow but complete"
    assert len(model_server.requests) == 1
    impatient = AsyncCoraClient(
        model_cora.url, timeout=0.5, chat_timeout=0.5, retry=RetryPolicy(attempts=1)
    )
    async with impatient:
        with pytest.raises(CoraConnectionError):
            await impatient.chat("alice", sid, "Now hurry", message_id=str(uuid.uuid4()))
