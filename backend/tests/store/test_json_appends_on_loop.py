"""The JSON store's common append, written on the event loop and synced by a store thread:
when it is taken, what it leaves to the threads, and that the lock is held until the sync."""

import asyncio
import errno
import fcntl
import os
import threading
from dataclasses import replace
from pathlib import Path

import anyio.to_thread
import orjson
import pytest

from cora.errors import StorageUnavailable
from cora.store.json_files import JsonFileStore
from cora.store.json_files import store as store_module
from cora.store.json_files.redo import redo_path
from tests.factories import new_message, new_session
from tests.store.test_json_files import session_file


async def a_session_appended_here(store: JsonFileStore) -> str:
    """A session this process has appended to last, its message ids cached."""
    record = new_session()
    await store.create_session(session=record)
    for number in range(2):
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

    # A change the index does not acknowledge (a writer that crashed, a hand edit): the next
    # append must check the whole file first.
    os.utime(path, ns=(0, 0))
    assert json_store._write_append_here("alice", session_id, new_message("after")) is None
    await json_store.append_message(
        user_id="alice", session_id=session_id, message=new_message("after")
    )
    assert texts(path) == ["earlier 0", "earlier 1", "once", "after"]


async def test_concurrent_appends_written_on_the_loop_are_each_stored_once(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    sessions = [await a_session_appended_here(json_store) for _ in range(20)]
    busy = sessions[0]
    sent = {
        session_id: [new_message(f"{session_id[:4]} {n}") for n in range(3)]
        for session_id in sessions
    }
    sent[busy] += [new_message(f"busy {n}") for n in range(6)]  # queued behind one another

    async def append(session_id: str, message) -> bool:
        result = await json_store.append_message(
            user_id="alice", session_id=session_id, message=message
        )
        return result.created

    created = await asyncio.gather(
        *(append(sid, message) for sid, messages in sent.items() for message in messages)
    )
    assert all(created)
    for session_id, messages in sent.items():
        stored = texts(session_file(tmp_path, "alice", session_id))
        assert stored[:2] == ["earlier 0", "earlier 1"]
        assert sorted(stored[2:]) == sorted(m.text for m in messages)
    listed = await json_store.list_sessions(user_id="alice", limit=50)
    counts = {s.session_id: s.message_count for s in listed.sessions}
    assert counts == {sid: 2 + len(messages) for sid, messages in sent.items()}


async def test_a_cancelled_append_waiting_for_its_sync_is_stored_and_unlocks(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    session_id = await a_session_appended_here(json_store)
    appending = asyncio.create_task(
        json_store.append_message(
            user_id="alice", session_id=session_id, message=new_message("kept")
        )
    )
    await asyncio.sleep(0)  # written on the loop, waiting for its batch
    appending.cancel()
    with pytest.raises(asyncio.CancelledError):
        await appending
    assert texts(session_file(tmp_path, "alice", session_id))[-1] == "kept"
    after = await json_store.append_message(
        user_id="alice", session_id=session_id, message=new_message("after")
    )
    assert after.created and after.summary is not None and after.summary.message_count == 4


async def test_a_failed_sync_puts_the_old_trailer_back_and_fails_that_append_alone(
    json_store: JsonFileStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A sync that fails cannot be caused for real here: the failure comes from the sync step.
    failing, healthy = (
        await a_session_appended_here(json_store),
        await a_session_appended_here(json_store),
    )
    failing_path = session_file(tmp_path, "alice", failing)
    before = failing_path.read_bytes()
    real = store_module.sync_descriptors

    def sync_failing_first(directory: Path, fds: list[int]) -> list[OSError | None]:
        outcomes = real(directory, fds)
        for at, fd in enumerate(fds):
            if os.fstat(fd).st_ino == failing_path.stat().st_ino:
                outcomes[at] = OSError(errno.EIO, "I/O error")
        return outcomes

    monkeypatch.setattr(store_module, "sync_descriptors", sync_failing_first)
    results = await asyncio.gather(
        json_store.append_message(user_id="alice", session_id=failing, message=new_message("x")),
        json_store.append_message(user_id="alice", session_id=healthy, message=new_message("y")),
        return_exceptions=True,
    )
    assert isinstance(results[0], StorageUnavailable)
    assert not isinstance(results[1], BaseException) and results[1].created
    assert failing_path.read_bytes() == before
    assert texts(session_file(tmp_path, "alice", healthy))[-1] == "y"
    monkeypatch.setattr(store_module, "sync_descriptors", real)
    retried = await json_store.append_message(
        user_id="alice", session_id=failing, message=new_message("x again")
    )
    assert retried.created and texts(failing_path)[-1] == "x again"


async def test_an_append_after_another_process_appended_is_written_on_the_loop(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    session_id = await a_session_appended_here(json_store)
    other = JsonFileStore(tmp_path)  # another process's store on the same data directory
    await other.open()
    try:
        for number in range(2):
            message = new_message(f"elsewhere {number}")
            await other.append_message(user_id="alice", session_id=session_id, message=message)
    finally:
        await other.close()
    retry = new_message("elsewhere 1")
    retry = replace(retry, id=texts_and_ids(tmp_path, session_id)["elsewhere 1"])
    assert json_store._write_append_here("alice", session_id, retry) is None  # stored there

    written = json_store._write_append_here("alice", session_id, new_message("here"))
    assert written is not None
    (result,) = await anyio.to_thread.run_sync(json_store._finish_appends, [written])
    assert result.summary is not None and result.summary.message_count == 5
    path = session_file(tmp_path, "alice", session_id)
    assert texts(path) == ["earlier 0", "earlier 1", "elsewhere 0", "elsewhere 1", "here"]


def texts_and_ids(data_dir: Path, session_id: str) -> dict[str, str]:
    document = orjson.loads(session_file(data_dir, "alice", session_id).read_bytes())
    return {m["text"]: m["id"] for m in document["messages"]}


async def test_lines_shorter_than_the_trailer_they_replace_leave_nothing_of_it_behind(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    session_id = await a_session_appended_here(json_store)
    path = session_file(tmp_path, "alice", session_id)
    fd = os.open(path, os.O_RDWR)
    try:
        old = store_module._read_tail(fd)
        padded = old.raw[:-2] + b" " * 2000 + b"}\n"  # the same trailer, longer than a message
        store_module.write_at(fd, padded, old.offset)
        tail = store_module._read_tail(fd)
        assert tail.raw == padded
        lines, trailer, state = store_module._write_lines(
            fd, tail, [new_message("short")], reply=None
        )
    finally:
        os.close(fd)
    data = path.read_bytes()
    assert (state.size, state.mtime_ns) == (len(data), path.stat().st_mtime_ns)
    assert data.endswith(lines[0][1] + store_module.encode_trailer(trailer))
    assert len(data) == tail.offset + len(lines[0][1]) + len(store_module.encode_trailer(trailer))
    assert texts(path)[-1] == "short"


async def test_appends_in_flight_when_the_store_closes_are_in_the_index_it_leaves_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing lets the syncing thread finish first: the index, then marked clean and trusted
    at the next start without reading the files, holds every acknowledged append, and no late
    batch opens it again once it is closed."""
    store = JsonFileStore(tmp_path)
    await store.open()
    sessions = [await a_session_appended_here(store) for _ in range(8)]
    gate = threading.Event()  # holds the batch in its sync until close() is under way
    unheld = store_module.sync_descriptors

    def held(directory: Path, fds: list[int]) -> list[OSError | None]:
        assert gate.wait(30)
        return unheld(directory, fds)

    monkeypatch.setattr(store_module, "sync_descriptors", held)
    appends = [
        asyncio.create_task(
            store.append_message(user_id="alice", session_id=sid, message=new_message("last"))
        )
        for sid in sessions
    ]
    await asyncio.sleep(0)  # each written on the loop, waiting for its sync
    # Released from another thread: whether close() waits for the batch is what is tested.
    threading.Timer(0.2, gate.set).start()
    await store.close()
    assert store._index._all == []  # nothing reopened the index after it was closed
    assert all(result.created for result in await asyncio.gather(*appends))

    reopened = JsonFileStore(tmp_path)
    await reopened.open()
    try:
        assert reopened._reconciling is None  # closed cleanly: the index is trusted
        listed = await reopened.list_sessions(user_id="alice", limit=10)
        assert sorted((s.session_id, s.message_count) for s in listed.sessions) == sorted(
            (sid, 3) for sid in sessions
        )
    finally:
        await reopened.close()


async def test_an_append_after_the_store_closed_leaves_no_locked_or_unsynced_file_behind(
    json_store: JsonFileStore,
) -> None:
    session_id = await a_session_appended_here(json_store)
    json_store._appends.close()
    assert json_store._write_append_here("alice", session_id, new_message("late")) is None
