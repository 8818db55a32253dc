"""`cora reindex`: the rebuilt index holds what the store wrote, damaged files are still
reported, and a server that has the store open keeps answering while it runs."""

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

import orjson

from cora.domain import SessionChanges
from cora.store.json_files import JsonFileStore
from cora.store.json_files.index import SessionIndex
from cora.store.json_files.startup import StartupGuard
from tests.factories import new_message, new_session

SELECT_ROWS = "SELECT * FROM sessions ORDER BY session_id"


def index_rows(data_dir: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_dir / "index.sqlite3") as db:
        return db.execute(SELECT_ROWS).fetchall()


def reindex(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cora", "reindex", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def session_file(data_dir: Path, user_id: str, session_id: str) -> Path:
    return data_dir / "sessions" / f"{user_id}_{session_id}.json"


async def write_varied_sessions(data_dir: Path, count: int) -> list[str]:
    """`count` sessions of every shape the store writes; their ids."""
    store = JsonFileStore(data_dir)
    await store.open()
    records = [
        new_session(
            user_id=f"user-{number % 7}",
            tags=(("a", "b"), (), ("urgent",))[number % 3],
            messages=tuple(new_message(f"m{number}-{i}") for i in range(number % 4)),
        )
        for number in range(count)
    ]
    await store.create_sessions(sessions=records)
    for number, record in enumerate(records):
        key = {"user_id": record.summary.user_id, "session_id": record.session_id}
        if number % 5 == 0:  # a file larger than one page
            for i in range(3):
                await store.append_message(**key, message=new_message(f"long {i} " + "x" * 2000))
        if number % 11 == 0:
            changes = SessionChanges(set_title=True, title="t" * 3000, pinned=True)  # long trailer
            await store.replace_session(**key, messages=None, changes=changes)
        if number % 13 == 0:
            big = SessionChanges(metadata={"notes": "n" * 9000}, archived=True)  # long header
            await store.replace_session(**key, messages=None, changes=big)
    await store.close()
    return [record.session_id for record in records]


async def test_reindex_writes_the_rows_the_store_wrote(tmp_path: Path) -> None:
    await write_varied_sessions(tmp_path, 300)
    written = index_rows(tmp_path)
    assert len(written) == 300

    result = reindex(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Indexed 300 of 300 session files (0 unreadable)" in result.stdout
    assert index_rows(tmp_path) == written

    # The careful way (a start after the index was lost) reads the same rows.
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"index.sqlite3{suffix}").unlink(missing_ok=True)
    JsonFileStore(tmp_path).prepare()
    assert index_rows(tmp_path) == written


async def test_an_index_rebuilt_with_no_server_running_is_trusted_at_the_next_start(
    tmp_path: Path,
) -> None:
    (session_id,) = await write_varied_sessions(tmp_path, 1)
    assert reindex(tmp_path).returncode == 0
    path = session_file(tmp_path, "user-0", session_id)
    document = orjson.loads(path.read_bytes())
    title = document["title"]
    document["title"] = "Edited by hand"
    path.write_bytes(orjson.dumps(document))

    store = JsonFileStore(tmp_path)
    await store.open()
    await store.reconciled()
    listed = await store.list_sessions(user_id="user-0", limit=10)
    assert listed.sessions[0].title == title  # the files were not read again
    await store.close()


async def test_reindex_still_reports_damaged_files(tmp_path: Path) -> None:
    ids = await write_varied_sessions(tmp_path, 8)
    sessions = tmp_path / "sessions"
    # Damaged in the middle after its last acknowledged write: never indexed, never rewritten.
    middle = session_file(tmp_path, "user-3", ids[3])
    lines = middle.read_bytes().split(b"\n")
    lines[1] = lines[1][:12] + b"\x00garbage" + lines[1][20:]
    middle.write_bytes(b"\n".join(lines))
    damaged_bytes = middle.read_bytes()
    # A torn append (an incomplete last line, longer than the acknowledged file): repaired.
    torn = session_file(tmp_path, "user-2", ids[2])
    data = torn.read_bytes()
    torn.write_bytes(data[: data.rindex(b"\n],") + 1] + b',{"id":"' + b"x" * 600)
    # Not a session document at all.
    (sessions / "user-1_00000000-0000-4000-8000-000000000000.json").write_bytes(b"{}")
    before = {row[0]: row for row in index_rows(tmp_path)}

    result = reindex(tmp_path)

    assert result.returncode == 1
    assert "Indexed 7 of 9 session files (2 unreadable)" in result.stdout
    rows = {row[0]: row for row in index_rows(tmp_path)}
    assert set(rows) == set(ids) - {ids[3]}
    assert middle.read_bytes() == damaged_bytes
    assert rows[ids[2]][5] == before[ids[2]][5]  # the torn line dropped, every message kept
    assert orjson.loads(torn.read_bytes())["message_count"] == before[ids[2]][5]


async def test_reindex_with_a_server_running_keeps_it_answering(tmp_path: Path) -> None:
    ids = await write_varied_sessions(tmp_path, 40)
    written = index_rows(tmp_path)
    server = JsonFileStore(tmp_path)
    await server.open()
    try:
        result = reindex(tmp_path)
        assert result.returncode == 0, result.stderr
        assert index_rows(tmp_path) == written
        session = await server.get_summary(user_id="user-0", session_id=ids[0])
        appended = await server.append_message(
            user_id="user-0", session_id=ids[0], message=new_message("after")
        )
        assert appended.created
        listed = await server.list_sessions(user_id="user-0", limit=50)
        row = next(s for s in listed.sessions if s.session_id == ids[0])
        assert row.message_count == session.message_count + 1
    finally:
        await server.close()


def someone_waits_for(path: Path) -> bool:
    """Whether a process is blocked on a `flock` of `path` (per /proc/locks)."""
    inode = f":{path.stat().st_ino} "
    return any(
        "->" in line and inode in line for line in Path("/proc/locks").read_text().splitlines()
    )


async def test_a_server_started_during_a_reindex_opens_the_new_index(tmp_path: Path) -> None:
    (session_id,) = await write_varied_sessions(tmp_path, 1)
    path = session_file(tmp_path, "user-0", session_id)
    document = orjson.loads(path.read_bytes())
    document["title"] = "Edited by hand"
    path.write_bytes(orjson.dumps(document))
    lock_path = tmp_path / "index.sqlite3.open"
    reindexer = JsonFileStore(tmp_path)
    server = JsonFileStore(tmp_path)
    with StartupGuard(SessionIndex(tmp_path / "index.sqlite3"), lock_path).alone() as alone:
        assert alone  # as `cora reindex` holds it
        opening = asyncio.create_task(server.open())
        while not someone_waits_for(lock_path):
            assert not opening.done()
            await asyncio.sleep(0.01)
        reindexer._rebuild()  # the new index replaces the one the server has already opened
    await opening
    try:
        await server.reconciled()
        listed = await server.list_sessions(user_id="user-0", limit=10)
        assert listed.sessions[0].title == "Edited by hand"
        with sqlite3.connect(tmp_path / "index.sqlite3") as db:
            assert db.execute("SELECT value FROM store_state").fetchone() == ("live",)
    finally:
        await server.close()
