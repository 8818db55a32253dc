"""The JSON store's encoded reads on files that are not in the current layout: they must give
what encoding the records gives, repair a torn end, and refuse what the records path refuses."""

import fcntl
import os
from functools import partial
from pathlib import Path

import orjson
import pytest

from cora.encoding import dumps, message_content, session_content
from cora.errors import SessionCorrupt
from cora.store.json_files import JsonFileStore
from cora.store.json_files import store as store_module
from tests.factories import new_message, new_session
from tests.store.test_json_files import session_file


def rewrite_messages(path: Path, change) -> None:
    """Rewrite each message line of a session file as `change(index, fields)` gives it."""
    lines = path.read_bytes().split(b"\n")
    number = 0
    for at, line in enumerate(lines):
        if line.startswith((b'{"id":', b',{"id":')):
            comma = b"," if line.startswith(b",") else b""
            fields = change(number, orjson.loads(line.removeprefix(b",")))
            lines[at] = comma + orjson.dumps(fields)
            number += 1
    path.write_bytes(b"\n".join(lines))


async def both_ways(store: JsonFileStore, session_id: str) -> tuple[object, object]:
    """(the encoded reads, the records' reads encoded): a page of messages and the session."""
    page = await store.list_messages_encoded(user_id="alice", session_id=session_id, limit=10)
    session = await store.get_session_encoded(user_id="alice", session_id=session_id)
    records = await store.list_messages(user_id="alice", session_id=session_id, limit=10)
    record = await store.get_session(user_id="alice", session_id=session_id)
    encoded = (orjson.loads(page.messages_json), orjson.loads(session.session_json), session.etag)
    expected = (
        [orjson.loads(dumps(message_content(m))) for m in records.messages],
        orjson.loads(dumps(session_content(record))),
        record.summary.etag,
    )
    return encoded, expected


def older_layouts(number: int, fields: dict) -> dict:
    if number == 0:  # written before messages had a status and metadata
        del fields["status"], fields["metadata"]
    if number == 1:  # a time with an offset, not the API's form
        fields["timestamp"] = "2026-01-02T03:04:05+01:00"
    if number == 2:
        fields["feedback"] = {"rating": "down"}
    if number == 3:  # the same fields in another order, the id first as every line has it
        fields = {"id": fields.pop("id"), **dict(reversed(fields.items()))}
    return fields


async def test_older_layouts_read_encoded_as_their_records(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    record = new_session(
        messages=tuple(new_message(f"m{i}", "assistant" if i % 2 else "user") for i in range(5))
    )
    await json_store.create_session(session=record)
    rewrite_messages(session_file(tmp_path, "alice", record.session_id), older_layouts)

    encoded, expected = await both_ways(json_store, record.session_id)
    assert encoded == expected
    messages = encoded[0]
    assert messages[0]["status"] == "complete" and messages[0]["metadata"] == {}
    assert messages[1]["timestamp"] == "2026-01-02T02:04:05.000000Z"
    assert messages[2]["feedback"] == {"rating": "down", "comment": None}
    assert messages[4]["feedback"] is None


async def test_a_torn_end_is_repaired_by_the_encoded_session_read(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    record = new_session(messages=tuple(new_message(f"kept {i}") for i in range(3)))
    await json_store.create_session(session=record)
    path = session_file(tmp_path, "alice", record.session_id)
    whole = path.read_bytes()
    torn = whole[: whole.rindex(b"\n],") + 1] + b',{"id":"7d9c1a2e-1b2c-4d3e-8f90-1234567'
    path.write_bytes(torn + whole[len(torn) :])

    session = await json_store.get_session_encoded(user_id="alice", session_id=record.session_id)
    texts = [m["text"] for m in orjson.loads(session.session_json)["messages"]]
    assert texts == ["kept 0", "kept 1", "kept 2"]
    encoded, expected = await both_ways(json_store, record.session_id)
    assert encoded == expected


@pytest.mark.parametrize(
    "damage",
    [
        {"sender": "robot"},
        {"status": "lost"},
        {"text": 7},
        {"timestamp": "2026-13-45T99:00:00.000000Z"},
    ],
)
async def test_a_message_no_record_can_hold_is_refused_by_the_encoded_reads(
    json_store: JsonFileStore, tmp_path: Path, damage: dict
) -> None:
    record = new_session(messages=(new_message("a"), new_message("b")))
    await json_store.create_session(session=record)
    path = session_file(tmp_path, "alice", record.session_id)
    rewrite_messages(path, lambda number, fields: {**fields, **damage} if number else fields)
    damaged = path.read_bytes()

    with pytest.raises(SessionCorrupt):
        await json_store.get_session(user_id="alice", session_id=record.session_id)
    with pytest.raises(SessionCorrupt):
        await json_store.get_session_encoded(user_id="alice", session_id=record.session_id)
    with pytest.raises(SessionCorrupt):
        await json_store.list_messages_encoded(
            user_id="alice", session_id=record.session_id, limit=10
        )
    assert path.read_bytes() == damaged


async def test_reads_on_the_loop_leave_to_the_threads_what_would_wait_or_is_not_known_whole(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    record = new_session(messages=(new_message("a"), new_message("b")))
    await json_store.create_session(session=record)
    sid = record.session_id
    path = session_file(tmp_path, "alice", sid)
    page = partial(store_module._latest_messages, 10)

    def read_here(most_bytes: int = 1 << 20):
        return json_store._read_here("alice", sid, most_bytes, page)

    here = read_here()
    assert here is not None and [m["text"] for m in orjson.loads(here[0])] == ["a", "b"]
    reader = os.open(path, os.O_RDONLY)
    fcntl.flock(reader, fcntl.LOCK_SH)  # other readers do not hold a read up
    try:
        assert read_here() is not None
    finally:
        os.close(reader)
    writer = os.open(path, os.O_RDONLY)
    fcntl.flock(writer, fcntl.LOCK_EX)  # a write under way: wait for it on a thread
    try:
        assert read_here() is None
    finally:
        os.close(writer)
    assert read_here(most_bytes=100) is None  # too big to read on the loop
    os.utime(path, ns=(0, 0))  # changed by a write the index does not acknowledge
    assert read_here() is None
    encoded, expected = await both_ways(json_store, sid)
    assert encoded == expected
