"""What the JSON store promises about replies being written (section 6 with 3.5): the streaming
reply's line is rewritten in place, and a kill at any moment leaves a readable file that holds
every acknowledged text."""

import dataclasses
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import orjson

from cora.domain import MessageRecord
from cora.events import InProcessEventBus
from cora.replies.sweeper import sweep
from cora.store.json_files import JsonFileStore
from cora.store.json_files.document import encode_message
from cora.store.json_files.redo import redo_path, write_redo
from cora.store.json_files.stops import JsonStopSignals
from cora.timeutil import utc_now
from tests.factories import new_message, new_session
from tests.system.reply_writer import words

BACKEND_DIR = Path(__file__).parents[2]
KILLS = 15


async def streaming(store: JsonFileStore, writer: str = "w") -> tuple[str, MessageRecord]:
    record = new_session()
    await store.create_session(session=record)
    reply = MessageRecord(str(uuid.uuid4()), "assistant", "", utc_now(), {}, "streaming")
    await store.start_reply(
        user_id="alice",
        session_id=record.session_id,
        reply=reply,
        writer=writer,
        question=new_message("Q"),
    )
    return record.session_id, reply


def session_path(data_dir: Path, session_id: str) -> Path:
    return data_dir / "sessions" / f"alice_{session_id}.json"


async def test_the_file_holds_the_streaming_reply_and_its_lease(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    sid, reply = await streaming(json_store)
    grown = dataclasses.replace(reply, text="So far")
    await json_store.update_reply(user_id="alice", session_id=sid, reply=grown, writer="w")
    document = orjson.loads(session_path(tmp_path, sid).read_bytes())
    assert document["messages"][-1]["status"] == "streaming"
    assert document["messages"][-1]["text"] == "So far"
    assert document["reply"]["id"] == reply.id and document["reply"]["writer"] == "w"
    assert "reply" not in document["messages"][-1]["metadata"]
    assert not redo_path(session_path(tmp_path, sid)).exists()


async def test_a_rewrite_torn_by_a_kill_is_finished_from_the_redo_file(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    sid, reply = await streaming(json_store)
    path = session_path(tmp_path, sid)
    data = path.read_bytes()
    offset = data.index(b',{"id":"' + reply.id.encode())
    grown = dataclasses.replace(reply, text="A much longer text than before")
    new_end = encode_message(grown, first=False) + data[data.index(b"\n],") + 1 :]
    with open(path, "r+b") as file:
        write_redo(file.fileno(), path, offset, new_end)
        file.seek(offset)
        file.write(new_end[: len(new_end) // 2])
    reopened = JsonFileStore(tmp_path)
    await reopened.open()
    stored = await reopened.get_session(user_id="alice", session_id=sid)
    assert stored.messages[-1] == grown
    assert not redo_path(path).exists()
    assert await reopened.streaming_reply(user_id="alice", session_id=sid) == grown
    await reopened.close()


async def test_a_torn_redo_file_is_ignored(json_store: JsonFileStore, tmp_path: Path) -> None:
    sid, reply = await streaming(json_store)
    path = session_path(tmp_path, sid)
    redo_path(path).write_bytes(b'{"inode": 1, "offset": 3, "sha256": "00"}\nhalf')
    grown = dataclasses.replace(reply, text="next")
    await json_store.update_reply(user_id="alice", session_id=sid, reply=grown, writer="w")
    assert (await json_store.get_session(user_id="alice", session_id=sid)).messages[-1] == grown
    assert not redo_path(path).exists()


async def test_messages_stored_before_statuses_read_as_complete(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    record = new_session()
    await json_store.create_session(session=record)
    message = new_message("old")
    await json_store.append_message(user_id="alice", session_id=record.session_id, message=message)
    path = session_path(tmp_path, record.session_id)
    path.write_bytes(path.read_bytes().replace(b',"status":"complete"', b""))
    reopened = JsonFileStore(tmp_path)
    await reopened.open()
    stored = await reopened.get_session(user_id="alice", session_id=record.session_id)
    assert stored.messages == (message,) and stored.messages[0].status == "complete"
    await reopened.close()


def read_lines(stream, into: list[str]) -> None:
    for line in stream:
        into.append(line.decode().strip())


async def test_killed_reply_writers_lose_no_acknowledged_text(
    json_store: JsonFileStore, tmp_path: Path
) -> None:
    sid, reply = await streaming(json_store)
    rng = random.Random(20261202)
    acknowledged = 0
    for _ in range(KILLS):
        writer = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.system.reply_writer",
                str(tmp_path),
                "alice",
                sid,
                reply.id,
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
        time.sleep(rng.uniform(0.0, 0.1))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        reader.join()
        writer.stdout.close()
        lengths = [int(line) for line in lines if line]
        acknowledged = max([acknowledged, *lengths])
        reopened = JsonFileStore(tmp_path)
        await reopened.open()
        stored = (await reopened.get_session(user_id="alice", session_id=sid)).messages[-1]
        await reopened.close()
        assert stored.id == reply.id and stored.status == "streaming"
        assert len(stored.text) >= acknowledged
        assert words(10_000).startswith(stored.text)
        orjson.loads(session_path(tmp_path, sid).read_bytes())
    assert acknowledged > 0
    stops = JsonStopSignals(tmp_path)
    await stops.open()
    ended = await sweep(json_store, stops, InProcessEventBus(), stale_after=timedelta(0))
    assert [r.status for r in ended] == ["interrupted"]
