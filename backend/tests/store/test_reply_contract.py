"""Replies being written (contract 3.5, 3.9), on every back end: one at a time, stored from the
first moment, growing, ending, and found by a sweep when their writer is gone."""

import dataclasses
import uuid
from datetime import timedelta

import pytest

from cora.domain import MessageRecord, SessionChanges
from cora.errors import ReplyInProgress, ReplyNotStreaming, SessionNotFound
from cora.store.base import SessionStore
from cora.timeutil import utc_now
from tests.factories import new_message, new_session

WRITER = "test-host:1:1"


def streaming_reply(text: str = "") -> MessageRecord:
    return MessageRecord(str(uuid.uuid4()), "assistant", text, utc_now(), {}, "streaming")


async def started(store: SessionStore) -> tuple[str, MessageRecord, MessageRecord]:
    record = new_session()
    await store.create_session(session=record)
    question, reply = new_message("What does my policy cover?"), streaming_reply()
    start = await store.start_reply(
        user_id="alice", session_id=record.session_id, reply=reply, writer=WRITER, question=question
    )
    assert start.started and start.question is not None and start.question.created
    return record.session_id, question, reply


async def test_a_reply_is_stored_from_its_first_moment(store: SessionStore) -> None:
    sid, question, reply = await started(store)
    stored = await store.get_session(user_id="alice", session_id=sid)
    assert stored.messages == (question, reply)
    assert stored.messages[1].status == "streaming" and stored.messages[1].text == ""
    assert stored.messages[0].status == "complete"
    assert stored.summary.message_count == 2
    assert stored.summary.title == "What does my policy cover?"
    assert await store.streaming_reply(user_id="alice", session_id=sid) == reply
    latest = await store.list_messages(user_id="alice", session_id=sid, limit=1)
    assert latest.messages == (reply,)


async def test_a_started_question_retried_starts_nothing(store: SessionStore) -> None:
    sid, question, reply = await started(store)
    retry = await store.start_reply(
        user_id="alice",
        session_id=sid,
        reply=streaming_reply(),
        writer=WRITER,
        question=dataclasses.replace(question, timestamp=utc_now()),
    )
    assert not retry.started and retry.question is not None
    assert not retry.question.created and retry.question.message == question
    stored = await store.get_session(user_id="alice", session_id=sid)
    assert stored.messages == (question, reply)


async def test_one_reply_at_a_time(store: SessionStore) -> None:
    sid, question, reply = await started(store)
    with pytest.raises(ReplyInProgress):
        await store.append_message(user_id="alice", session_id=sid, message=new_message("Q2"))
    with pytest.raises(ReplyInProgress):
        await store.start_reply(
            user_id="alice",
            session_id=sid,
            reply=streaming_reply(),
            writer=WRITER,
            question=new_message("Q2"),
        )
    with pytest.raises(ReplyInProgress):
        await store.start_reply(
            user_id="alice", session_id=sid, reply=streaming_reply(), writer=WRITER
        )
    with pytest.raises(ReplyInProgress):
        await store.replace_session(
            user_id="alice", session_id=sid, messages=(), changes=SessionChanges()
        )
    again = await store.append_message(user_id="alice", session_id=sid, message=question)
    assert not again.created and again.message == question
    stored = await store.get_session(user_id="alice", session_id=sid)
    assert stored.messages == (question, reply)


async def test_changing_fields_keeps_the_reply_streaming(store: SessionStore) -> None:
    sid, _, reply = await started(store)
    await store.replace_session(
        user_id="alice",
        session_id=sid,
        messages=None,
        changes=SessionChanges(set_title=True, title="Renamed", tags=("home",)),
    )
    assert await store.streaming_reply(user_id="alice", session_id=sid) == reply
    grown = dataclasses.replace(reply, text="Your policy")
    await store.update_reply(user_id="alice", session_id=sid, reply=grown, writer=WRITER)
    stored = await store.get_session(user_id="alice", session_id=sid)
    assert stored.summary.title == "Renamed" and stored.messages[-1] == grown
    with pytest.raises(ReplyInProgress):
        await store.append_message(user_id="alice", session_id=sid, message=new_message())


async def test_a_reply_grows_then_ends_and_the_session_takes_messages_again(
    store: SessionStore,
) -> None:
    sid, question, reply = await started(store)
    before = await store.get_summary(user_id="alice", session_id=sid)
    text = ""
    for piece in ["Your ", "policy ", 'covers "hail" ', "and 🚗\n"]:
        text += piece
        grown = dataclasses.replace(reply, text=text)
        await store.update_reply(user_id="alice", session_id=sid, reply=grown, writer=WRITER)
        assert await store.streaming_reply(user_id="alice", session_id=sid) == grown
    after = await store.get_summary(user_id="alice", session_id=sid)
    assert after.updated_at > before.updated_at and after.message_count == 2
    final = dataclasses.replace(reply, text=text, status="complete", metadata={"model": "m"})
    await store.update_reply(user_id="alice", session_id=sid, reply=final, writer=WRITER)
    assert await store.streaming_reply(user_id="alice", session_id=sid) is None
    assert await store.streaming_replies() == []
    follow_up = new_message("Thanks")
    await store.append_message(user_id="alice", session_id=sid, message=follow_up)
    stored = await store.get_session(user_id="alice", session_id=sid)
    assert stored.messages == (question, final, follow_up)
    with pytest.raises(ReplyNotStreaming):
        await store.update_reply(user_id="alice", session_id=sid, reply=final, writer=WRITER)


async def test_a_reply_in_a_deleted_session_is_not_found(store: SessionStore) -> None:
    sid, _, reply = await started(store)
    await store.delete_session(user_id="alice", session_id=sid)
    with pytest.raises(SessionNotFound):
        await store.update_reply(
            user_id="alice", session_id=sid, reply=dataclasses.replace(reply, text="x"), writer=""
        )
    assert await store.streaming_replies() == []


async def test_a_reply_is_found_only_under_its_owner(store: SessionStore) -> None:
    sid, _, reply = await started(store)
    with pytest.raises(SessionNotFound):
        await store.streaming_reply(user_id="bob", session_id=sid)
    with pytest.raises(SessionNotFound):
        await store.update_reply(user_id="bob", session_id=sid, reply=reply, writer=WRITER)
    with pytest.raises(SessionNotFound):
        await store.end_reply(
            user_id="bob", session_id=sid, message_id=reply.id, status="stopped", metadata={}
        )


async def test_ending_a_reply_keeps_its_stored_text(store: SessionStore) -> None:
    sid, _, reply = await started(store)
    grown = dataclasses.replace(reply, text="So far", metadata={"model": "m"})
    await store.update_reply(user_id="alice", session_id=sid, reply=grown, writer=WRITER)
    ended = await store.end_reply(
        user_id="alice",
        session_id=sid,
        message_id=reply.id,
        status="stopped",
        metadata={"stopped": True},
    )
    metadata = {"model": "m", "stopped": True}
    expected = dataclasses.replace(grown, status="stopped", metadata=metadata)
    assert ended == expected
    assert (await store.get_session(user_id="alice", session_id=sid)).messages[-1] == expected
    again = await store.end_reply(
        user_id="alice", session_id=sid, message_id=reply.id, status="interrupted", metadata={}
    )
    assert again is None
    with pytest.raises(ReplyNotStreaming):
        await store.update_reply(user_id="alice", session_id=sid, reply=grown, writer=WRITER)


async def test_the_sweep_sees_each_lease_and_a_renewed_one_is_not_ended(
    store: SessionStore,
) -> None:
    sid, _, reply = await started(store)
    other_sid, _, other_reply = await started(store)
    leases = {s.session_id: s for s in await store.streaming_replies()}
    assert set(leases) == {sid, other_sid}
    seen = leases[sid]
    assert seen.user_id == "alice" and seen.lease.message_id == reply.id
    assert seen.lease.writer == WRITER
    assert timedelta(0) <= seen.age < timedelta(minutes=1)
    grown = dataclasses.replace(reply, text="still here")
    await store.update_reply(user_id="alice", session_id=sid, reply=grown, writer="other:2:2")
    unchanged = await store.end_reply(
        user_id="alice",
        session_id=sid,
        message_id=reply.id,
        status="interrupted",
        metadata={},
        renewed_at=seen.lease.renewed_at,
    )
    assert unchanged is None
    renewed = {s.session_id: s for s in await store.streaming_replies()}[sid]
    assert renewed.lease.writer == "other:2:2"
    assert renewed.lease.renewed_at > seen.lease.renewed_at
    interrupted = await store.end_reply(
        user_id="alice",
        session_id=sid,
        message_id=reply.id,
        status="interrupted",
        metadata={},
        renewed_at=renewed.lease.renewed_at,
    )
    assert interrupted == dataclasses.replace(grown, status="interrupted")
    remaining = await store.streaming_replies()
    assert [s.lease.message_id for s in remaining] == [other_reply.id]


async def test_a_regenerated_reply_follows_the_messages_there(store: SessionStore) -> None:
    sid, question, reply = await started(store)
    failed = dataclasses.replace(reply, status="failed", metadata={"error": "model down"})
    await store.update_reply(user_id="alice", session_id=sid, reply=failed, writer=WRITER)
    second = streaming_reply()
    start = await store.start_reply(user_id="alice", session_id=sid, reply=second, writer=WRITER)
    assert start.started and start.question is None
    stored = await store.get_session(user_id="alice", session_id=sid)
    assert stored.messages == (question, failed, second)
    assert stored.summary.message_count == 3
