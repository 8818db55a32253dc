"""The JSON store's common append, written on the event loop and synced by a store thread:
when it is taken, what it leaves to the threads, and that the lock is held until the sync."""

import fcntl
import os
from pathlib import Path

import anyio.to_thread
import orjson

from cora.store.json_files import JsonFileStore
from cora.store.json_files.redo import redo_path
from tests.factories import new_message, new_session
from tests.store.test_json_files import json_store, session_file

__all__ = ["json_store"]


async def a_session_appended_here(store: JsonFileStore, appends: int = 2) -> str:
    """A session this process has appended to last, its message ids cached."""
    record = new_session()
    await store.create_session(session=record)
    for number in range(appends):
        message = new_message(f"earlier {number}")
        await store.append_message(user_id="alice", session_id=record.session_id, message=message)
    return record.session_id


def texts(path: Path) -> list[str]:
    return [m["text"] for m in orjson.loads(path.read_bytes())["messages"]]


async def test_an_append_to_a_session_appended_here_is_written_on_the_loop(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    session_id = await a_session_appended_here(json_store)
    path = session_file(tmp_path, "alice", session_id)
    # A rewrite that crashed before touching the file leaves its redo file behind: an append
    # must remove it, or a later repair could apply it over newer messages.
    redo_path(path).write_bytes(b'{"inode": 0, "offset": 0, "sha256": ""}\nstale')

    written = json_store._write_append_here("alice", session_id, new_message("on the loop"))
    assert written is not None
    assert not redo_path(path).exists()
    assert texts(path)[-1] == "on the loop"

    # Until the sync has ended, the file stays locked: no other writer, no other process.
    other = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(other, fcntl.LOCK_SH | fcntl.LOCK_NB)
            raise AssertionError("the session file was not locked while its append waited")
        except BlockingIOError:
            pass
        assert json_store._write_append_here("alice", session_id, new_message("later")) is None
        (result,) = await anyio.to_thread.run_sync(json_store._finish_appends, [written])
        fcntl.flock(other, fcntl.LOCK_SH | fcntl.LOCK_NB)
    finally:
        os.close(other)
    assert result.created and result.summary is not None
    assert result.summary.message_count == 3
    listed = await json_store.list_sessions(user_id="alice", limit=5)
    assert listed.sessions[0].message_count == 3


async def test_an_append_that_would_wait_or_read_is_left_to_the_threads(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    session_id = await a_session_appended_here(json_store)
    path = session_file(tmp_path, "alice", session_id)
    before = path.read_bytes()
    holder = os.open(path, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_SH)
    try:
        assert json_store._write_append_here("alice", session_id, new_message("busy")) is None
    finally:
        os.close(holder)
    fresh = new_session()
    await json_store.create_session(session=fresh)  # never appended to: its ids are not cached
    unknown = json_store._write_append_here("alice", fresh.session_id, new_message())
    assert unknown is None
    assert path.read_bytes() == before


async def test_a_retry_and_a_change_by_another_process_go_through_the_threads(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    session_id = await a_session_appended_here(json_store)
    path = session_file(tmp_path, "alice", session_id)
    message = new_message("once")
    first = await json_store.append_message(user_id="alice", session_id=session_id, message=message)
    assert json_store._write_append_here("alice", session_id, message) is None
    again = await json_store.append_message(user_id="alice", session_id=session_id, message=message)
    assert first.created and not again.created and texts(path).count("once") == 1

    # Another process's append changes the file behind this process's back: the next append
    # here must not trust what it last wrote.
    os.utime(path, ns=(0, 0))
    assert json_store._write_append_here("alice", session_id, new_message("after")) is None
    await json_store.append_message(
        user_id="alice", session_id=session_id, message=new_message("after")
    )
    assert texts(path) == ["earlier 0", "earlier 1", "once", "after"]
