"""The sweep for replies whose writer is gone (3.9), on every store."""

import subprocess
import sys
import uuid
from datetime import timedelta

from prometheus_client import REGISTRY

from cora.domain import MessageRecord
from cora.events import InProcessEventBus
from cora.replies import THIS_PROCESS, writer_gone
from cora.replies.sweeper import sweep
from cora.replies.writer import identity
from cora.store import Stores
from cora.timeutil import utc_now
from tests.factories import new_message, new_session

LONG = timedelta(hours=1)


def dead_process_identity() -> str:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    name = identity(process.pid)
    process.wait()
    return name


async def start(stores: Stores, writer: str) -> tuple[str, MessageRecord]:
    record = new_session()
    await stores.sessions.create_session(session=record)
    reply = MessageRecord(str(uuid.uuid4()), "assistant", "", utc_now(), {}, "streaming")
    await stores.sessions.start_reply(
        user_id="alice",
        session_id=record.session_id,
        reply=reply,
        writer=writer,
        question=new_message("Q"),
    )
    return record.session_id, reply


def test_writer_identities() -> None:
    assert not writer_gone(THIS_PROCESS)
    assert writer_gone(dead_process_identity())
    assert not writer_gone("another-host/abcd/1/1")
    assert not writer_gone("")


async def test_a_dead_writer_s_reply_is_interrupted_at_once(stores: Stores) -> None:
    live_sid, _ = await start(stores, THIS_PROCESS)
    dead_sid, dead_reply = await start(stores, dead_process_identity())
    grown = MessageRecord(dead_reply.id, "assistant", "Half an", utc_now(), {}, "streaming")
    await stores.sessions.update_reply(
        user_id="alice", session_id=dead_sid, reply=grown, writer=dead_process_identity()
    )
    events = InProcessEventBus()
    counted = {"status": "interrupted", "kind": "other"}
    before = REGISTRY.get_sample_value("cora_assistant_replies_total", counted) or 0
    ended = await sweep(stores.sessions, stores.stops, events, stale_after=LONG)
    assert [(r.id, r.text, r.status) for r in ended] == [(dead_reply.id, "Half an", "interrupted")]
    assert REGISTRY.get_sample_value("cora_assistant_replies_total", counted) == before + 1
    stored = await stores.sessions.get_session(user_id="alice", session_id=dead_sid)
    assert stored.messages[-1].status == "interrupted" and stored.messages[-1].text == "Half an"
    await stores.sessions.append_message(
        user_id="alice", session_id=dead_sid, message=new_message()
    )
    live = await stores.sessions.streaming_reply(user_id="alice", session_id=live_sid)
    assert live is not None and live.status == "streaming"
    assert await sweep(stores.sessions, stores.stops, events, stale_after=LONG) == []


async def test_a_lease_not_renewed_in_time_ends_the_reply(stores: Stores) -> None:
    sid, reply = await start(stores, "another-host/abcd/1/1")
    events = InProcessEventBus()
    assert await sweep(stores.sessions, stores.stops, events, stale_after=LONG) == []
    ended = await sweep(stores.sessions, stores.stops, events, stale_after=timedelta(0))
    assert [r.id for r in ended] == [reply.id]
    assert await stores.sessions.streaming_reply(user_id="alice", session_id=sid) is None
