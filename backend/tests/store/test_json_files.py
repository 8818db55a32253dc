"""What the JSON file store promises beyond the contract: the files themselves (section 6)."""

import asyncio
import fcntl
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import anyio
import orjson
import pytest

from cora.domain import Feedback, SessionChanges
from cora.encoding import dumps, summary_content
from cora.errors import SessionCorrupt, StorageFull, StorageUnavailable
from cora.store.json_files import JsonFileStore
from cora.store.json_files.index import require_sqlite
from cora.timeutil import is_canonical
from tests.factories import new_message, new_session


def session_file(data_dir: Path, user_id: str, session_id: str) -> Path:
    return data_dir / "sessions" / f"{user_id}_{session_id}.json"


async def test_the_file_is_the_whole_session_after_every_write(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    record = new_session(tags=("auto",))
    await json_store.create_session(session=record)
    path = session_file(tmp_path, "alice", record.session_id)
    for i in range(3):
        await json_store.append_message(
            user_id="alice", session_id=record.session_id, message=new_message(f"q{i}")
        )
        document = orjson.loads(path.read_bytes())
        assert document["message_count"] == i + 1
        assert [m["text"] for m in document["messages"]] == [f"q{j}" for j in range(i + 1)]
        assert document["title"] == "q0"
        assert {"session_id", "user_id", "created_at", "updated_at", "tags", "metadata"} <= set(
            document
        )
    await json_store.replace_session(
        user_id="alice",
        session_id=record.session_id,
        messages=None,
        changes=SessionChanges(set_title=True, title="Renamed"),
    )
    assert orjson.loads(path.read_bytes())["title"] == "Renamed"


async def test_an_append_writes_only_at_the_end(json_store: JsonFileStore, tmp_path: Path) -> None:
    record = new_session()
    await json_store.create_session(session=record)
    for i in range(50):
        await json_store.append_message(
            user_id="alice", session_id=record.session_id, message=new_message(f"m{i}")
        )
    path = session_file(tmp_path, "alice", record.session_id)
    before, inode = path.read_bytes(), path.stat().st_ino
    await json_store.append_message(
        user_id="alice", session_id=record.session_id, message=new_message("last")
    )
    after = path.read_bytes()
    trailer_start = before.rindex(b"\n],") + 1
    assert path.stat().st_ino == inode
    assert after[:trailer_start] == before[:trailer_start]


async def test_a_cancelled_append_ends_its_write_before_the_cancellation_is_seen(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    record = new_session()
    await json_store.create_session(session=record)
    path = session_file(tmp_path, "alice", record.session_id)
    holder = os.open(path, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # the append's thread waits for this lock
    try:
        appending = asyncio.create_task(
            json_store.append_message(
                user_id="alice", session_id=record.session_id, message=new_message("kept")
            )
        )
        await asyncio.sleep(0)  # the append is handed to its thread
        appending.cancel()
        for _ in range(10):
            await asyncio.sleep(0)
        assert not appending.done()
    finally:
        os.close(holder)  # releases the lock
    with pytest.raises(asyncio.CancelledError):
        await appending
    stored = await json_store.get_session(user_id="alice", session_id=record.session_id)
    assert [m.text for m in stored.messages] == ["kept"]


async def test_a_torn_end_is_repaired_and_keeps_every_complete_message(
    json_store: JsonFileStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    record = new_session()
    await json_store.create_session(session=record)
    kept = [new_message(f"kept {i}") for i in range(3)]
    for message in kept:
        await json_store.append_message(
            user_id="alice", session_id=record.session_id, message=message
        )
    path = session_file(tmp_path, "alice", record.session_id)
    whole = path.read_bytes()
    # An append cut short: it overwrote the trailer from its start and stopped half-way, so
    # the file keeps at least its acknowledged length (the rest of the old trailer).
    torn = whole[: whole.rindex(b"\n],") + 1] + b',{"id":"7d9c1a2e-1b2c-4d3e-8f90-1234567'
    path.write_bytes(torn + whole[len(torn) :])

    with caplog.at_level(logging.WARNING):
        stored = await json_store.get_session(user_id="alice", session_id=record.session_id)
    assert stored.messages == tuple(kept)
    assert str(path) in caplog.text
    orjson.loads(path.read_bytes())
    await json_store.append_message(
        user_id="alice", session_id=record.session_id, message=new_message("after")
    )
    assert orjson.loads(path.read_bytes())["message_count"] == 4


async def test_a_corrupt_file_fails_alone(
    json_store: JsonFileStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken, healthy = new_session(), new_session()
    await json_store.create_sessions(sessions=[broken, healthy])
    path = session_file(tmp_path, "alice", broken.session_id)
    path.write_bytes(b'{"session_id": "hand edited", oops')
    with caplog.at_level(logging.ERROR), pytest.raises(SessionCorrupt):
        await json_store.get_session(user_id="alice", session_id=broken.session_id)
    assert str(path) in caplog.text
    with pytest.raises(SessionCorrupt):
        await json_store.append_message(
            user_id="alice", session_id=broken.session_id, message=new_message()
        )
    assert path.read_bytes() == b'{"session_id": "hand edited", oops'
    await json_store.append_message(
        user_id="alice", session_id=healthy.session_id, message=new_message()
    )
    listed = await json_store.list_sessions(user_id="alice", limit=10)
    assert healthy.session_id in {s.session_id for s in listed.sessions}


async def test_the_index_is_rebuilt_when_lost_or_stale(tmp_path: Path) -> None:
    first = JsonFileStore(tmp_path)
    await first.open()
    records = [new_session() for _ in range(5)]
    await first.create_sessions(sessions=records)
    await first.close()

    (tmp_path / "index.sqlite3").unlink()
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"index.sqlite3{suffix}").unlink(missing_ok=True)
    session_file(tmp_path, "alice", records[0].session_id).unlink()

    second = JsonFileStore(tmp_path)
    await second.open()
    await second.reconciled()
    listed = await second.list_sessions(user_id="alice", limit=10)
    assert {s.session_id for s in listed.sessions} == {r.session_id for r in records[1:]}
    await second.close()


CRASH = """
import asyncio, os, sys
from pathlib import Path
from cora.store.json_files import JsonFileStore

async def main():
    await JsonFileStore(Path(sys.argv[1])).open()
    os._exit(0)  # no close: as if the process had been killed

asyncio.run(main())
"""


async def test_a_clean_index_is_trusted_and_one_left_by_a_crash_is_reconciled(
    tmp_path: Path,
) -> None:
    store = JsonFileStore(tmp_path)
    await store.open()
    await store.reconciled()
    record = new_session()
    await store.create_session(session=record)
    await store.close()
    path = session_file(tmp_path, "alice", record.session_id)
    document = orjson.loads(path.read_bytes())
    document["title"] = "Edited by hand"
    path.write_bytes(orjson.dumps(document))

    trusting = JsonFileStore(tmp_path)
    await trusting.open()
    await trusting.reconciled()
    listed = await trusting.list_sessions(user_id="alice", limit=10)
    assert listed.sessions[0].title is None  # closed cleanly: the files are not read
    await trusting.close()

    subprocess.run([sys.executable, "-c", CRASH, str(tmp_path)], check=True, timeout=60)
    reopened = JsonFileStore(tmp_path)
    await reopened.open()
    await reopened.reconciled()
    listed = await reopened.list_sessions(user_id="alice", limit=10)
    assert listed.sessions[0].title == "Edited by hand"
    await reopened.close()


async def test_writes_during_a_background_reconciliation_are_kept(tmp_path: Path) -> None:
    store = JsonFileStore(tmp_path)
    await store.open()
    records = [new_session() for _ in range(300)]
    await store.create_sessions(sessions=records)
    await store.close()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"index.sqlite3{suffix}").unlink(missing_ok=True)

    reopened = JsonFileStore(tmp_path)
    await reopened.open()
    appended = await reopened.append_message(
        user_id="alice", session_id=records[0].session_id, message=new_message("during")
    )
    await reopened.reconciled()
    summary = await reopened.get_summary(user_id="alice", session_id=records[0].session_id)
    listed = await reopened.list_sessions(user_id="alice", limit=500)
    assert len(listed.sessions) == 300
    row = next(s for s in listed.sessions if s.session_id == records[0].session_id)
    assert row.message_count == summary.message_count == 1
    assert appended.created
    await reopened.close()


def test_cora_reindex_rebuilds_from_the_files(tmp_path: Path) -> None:
    store = JsonFileStore(tmp_path)
    store.prepare()
    (tmp_path / "sessions" / "bob_not-a-session.json").write_text("{}")
    result = subprocess.run(
        [sys.executable, "-m", "cora", "reindex", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Indexed 0 of 0 session files" in result.stdout


@pytest.fixture
def tiny_disk(tmp_path: Path):
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    yield mount_point
    subprocess.run(["umount", "--lazy", str(mount_point)], check=True)


def fill_disk(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT)
    try:
        with pytest.raises(OSError, match="No space left"):
            while True:
                os.write(fd, os.urandom(4096))
    finally:
        os.close(fd)


async def test_a_full_disk_answers_storage_full_and_keeps_files(tiny_disk: Path) -> None:
    store = JsonFileStore(tiny_disk)
    await store.open()
    record = new_session()
    await store.create_session(session=record)
    await store.append_message(
        user_id="alice", session_id=record.session_id, message=new_message("before")
    )
    path = session_file(tiny_disk, "alice", record.session_id)
    filler = tiny_disk / "filler"
    fill_disk(filler)
    before = path.read_bytes()
    with pytest.raises(StorageFull):
        for _ in range(20):
            await store.append_message(
                user_id="alice", session_id=record.session_id, message=new_message("x" * 8000)
            )
    assert path.read_bytes() == before
    with pytest.raises(StorageFull):
        await store.create_session(session=new_session())
    filler.unlink()
    await store.append_message(
        user_id="alice", session_id=record.session_id, message=new_message("after")
    )
    stored = await store.get_session(user_id="alice", session_id=record.session_id)
    assert [m.text for m in stored.messages] == ["before", "after"]
    await store.close()


OLD_INDEX = """
CREATE TABLE sessions (
    session_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, title TEXT, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, message_count INTEGER NOT NULL, tags TEXT NOT NULL,
    metadata TEXT NOT NULL, file_size INTEGER NOT NULL, file_mtime_ns INTEGER NOT NULL
);
"""


async def test_an_index_from_before_pinned_and_archived_gets_the_columns(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "index.sqlite3") as db:
        db.executescript(OLD_INDEX)
    store = JsonFileStore(tmp_path)
    await store.open()
    try:
        record = new_session(tags=("auto",))
        await store.create_session(session=record)
        await store.replace_session(
            user_id="alice",
            session_id=record.session_id,
            messages=None,
            changes=SessionChanges(archived=True),
        )
        page = await store.list_sessions(user_id="alice", limit=5)
        assert [s.archived for s in page.sessions] == [True]
        assert [t.tag for t in await store.tag_counts(user_id="alice")] == ["auto"]
    finally:
        await store.close()


async def test_an_index_from_before_summary_json_keeps_its_rows_and_lists_them_as_json(
    tmp_path: Path,
) -> None:
    store = JsonFileStore(tmp_path)
    await store.open()
    sessions = [new_session(tags=("auto",)), new_session(title="Claim")]
    for record in sessions:
        await store.create_session(session=record)
    await store.close()
    columns = (
        "session_id, user_id, title, created_at, updated_at, message_count, tags, metadata,"
        " file_size, file_mtime_ns, pinned, archived"
    )
    with sqlite3.connect(tmp_path / "index.sqlite3") as db:  # the layout before the column
        db.execute(f"CREATE TABLE old AS SELECT {columns} FROM sessions")
        db.execute("DROP TABLE sessions")
        db.execute("ALTER TABLE old RENAME TO sessions")
        db.execute("UPDATE sessions SET title = 'kept from the old index' WHERE title = 'Claim'")
    store = JsonFileStore(tmp_path)
    await store.open()
    try:
        encoded = await store.list_sessions_encoded(user_id="alice", limit=5)
        records = await store.list_sessions(user_id="alice", limit=5)
        expected = [summary_content(s) for s in records.sessions]
        assert orjson.loads(encoded.sessions_json) == orjson.loads(dumps(expected))
        assert "kept from the old index" in [s.title for s in records.sessions]
    finally:
        await store.close()
    with sqlite3.connect(tmp_path / "index.sqlite3") as db:
        assert {row[1] for row in db.execute("PRAGMA index_list(sessions)")} >= {"sessions_by_user"}


def test_an_index_on_a_sqlite_too_old_for_it_is_refused_with_the_versions() -> None:
    require_sqlite((3, 35, 0))
    with pytest.raises(StorageUnavailable, match=r"needs SQLite 3\.35 .* uses 3\.31\.1"):
        require_sqlite((3, 31, 1))


async def test_flags_and_feedback_are_written_only_when_set(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    reply = new_message("answer", "assistant")
    record = new_session(messages=(new_message("q"), reply))
    await json_store.create_session(session=record)
    path = session_file(tmp_path, "alice", record.session_id)
    plain = orjson.loads(path.read_bytes())
    assert "pinned" not in plain and "feedback" not in plain["messages"][1]
    await json_store.set_feedback(
        user_id="alice",
        session_id=record.session_id,
        message_id=reply.id,
        feedback=Feedback(rating="up"),
    )
    await json_store.replace_session(
        user_id="alice",
        session_id=record.session_id,
        messages=None,
        changes=SessionChanges(pinned=True),
    )
    document = orjson.loads(path.read_bytes())
    assert document["pinned"] is True and "archived" not in document
    feedback = document["messages"][1]["feedback"]
    assert feedback == {"rating": "up", "at": feedback["at"]} and is_canonical(feedback["at"])


async def test_an_append_cancelled_by_an_anyio_scope_waits_for_its_write_without_spinning(
    json_store: JsonFileStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # anyio re-delivers a scope's cancellation on every turn of the event loop while the task
    # waits: each delivery must not wake the wait for the write (100% CPU until it ends).
    record = new_session()
    await json_store.create_session(session=record)
    holder = os.open(session_file(tmp_path, "alice", record.session_id), os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # the append's thread waits for this lock
    waits = 0
    real_wait = asyncio.wait

    async def counted_wait(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal waits
        waits += 1
        return await real_wait(*args, **kwargs)

    async def release_after_100_loop_turns() -> None:
        for _ in range(100):
            await asyncio.sleep(0)
        os.close(holder)

    monkeypatch.setattr(asyncio, "wait", counted_wait)
    releasing = asyncio.create_task(release_after_100_loop_turns())
    with anyio.CancelScope() as scope:
        scope.cancel()
        await json_store.append_message(
            user_id="alice", session_id=record.session_id, message=new_message("kept")
        )
    await releasing
    monkeypatch.undo()

    assert scope.cancelled_caught
    assert waits <= 2
    stored = await json_store.get_session(user_id="alice", session_id=record.session_id)
    assert [m.text for m in stored.messages] == ["kept"]
