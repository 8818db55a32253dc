"""SIGKILL at random moments: every file still parses, every acknowledged append is there."""

import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson

from cora.store.json_files import JsonFileStore
from tests.factories import new_session

BACKEND_DIR = Path(__file__).parents[2]
KILLS = 30


def read_lines(stream, into: list[str]) -> None:
    for line in stream:
        into.append(line.decode().strip())


async def test_killed_writers_never_lose_an_acknowledged_append(tmp_path: Path) -> None:
    store = JsonFileStore(tmp_path)
    await store.open()
    record = new_session()
    await store.create_session(session=record)
    await store.close()
    path = tmp_path / "sessions" / f"alice_{record.session_id}.json"
    rng = random.Random(20261126)
    acknowledged: list[str] = []

    for round_number in range(KILLS):
        writer = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.system.writer",
                str(tmp_path),
                "alice",
                record.session_id,
                "100000",
                f"r{round_number}",
            ],
            cwd=BACKEND_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        lines: list[str] = []
        reader = threading.Thread(target=read_lines, args=(writer.stdout, lines))
        reader.start()
        while not lines and writer.poll() is None:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.15))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        reader.join()
        writer.stdout.close()
        acknowledged += [line for line in lines if line]

    reopened = JsonFileStore(tmp_path)
    await reopened.open()
    stored = await reopened.get_session(user_id="alice", session_id=record.session_id)
    document = orjson.loads(path.read_bytes())
    ids = [m.id for m in stored.messages]
    assert len(acknowledged) > KILLS
    assert set(acknowledged) <= set(ids)
    assert len(ids) == len(set(ids))
    assert document["message_count"] == len(document["messages"]) == len(ids)
    await reopened.reconciled()  # after a crash the index is reconciled in the background
    listed = await reopened.list_sessions(user_id="alice", limit=1)
    assert listed.sessions[0].message_count == len(ids)
    await reopened.close()
