"""Many processes writing one session: nothing lost, nothing twice, no corrupt file."""

import asyncio
import subprocess
import sys
import uuid
from pathlib import Path

import aiohttp
import orjson

from cora.store.json_files import JsonFileStore
from tests.factories import new_session

BACKEND_DIR = Path(__file__).parents[2]


async def test_four_processes_append_250_each_to_one_session(tmp_path: Path) -> None:
    store = JsonFileStore(tmp_path)
    await store.open()
    record = new_session()
    await store.create_session(session=record)
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.system.writer",
                str(tmp_path),
                "alice",
                record.session_id,
                "250",
                f"w{n}",
            ],
            cwd=BACKEND_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in range(4)
    ]
    acknowledged: list[str] = []
    for writer in writers:
        out, err = writer.communicate(timeout=240)
        assert writer.returncode == 0, err.decode()
        acknowledged += out.decode().split()

    stored = await store.get_session(user_id="alice", session_id=record.session_id)
    ids = [m.id for m in stored.messages]
    assert len(acknowledged) == 1000
    assert len(ids) == 1000 and len(set(ids)) == 1000
    assert set(ids) == set(acknowledged)
    for n in range(4):
        mine = [
            int(m.text.split()[0].split("-")[1])
            for m in stored.messages
            if m.text.startswith(f"w{n}-")
        ]
        assert mine == list(range(250))
    path = tmp_path / "sessions" / f"alice_{record.session_id}.json"
    assert orjson.loads(path.read_bytes())["message_count"] == 1000
    listed = await store.list_sessions(user_id="alice", limit=1)
    assert listed.sessions[0].message_count == 1000
    await store.close()


async def test_a_four_worker_server_stores_1000_concurrent_appends_once(server_factory) -> None:
    server = server_factory("--workers", "4", "--auth", "none")
    async with aiohttp.ClientSession(base_url=server.url) as http:
        async with http.post("/sessions/alice") as response:
            session_id = (await response.json())["session_id"]
        url = f"/sessions/alice/{session_id}/messages"
        message_ids = [str(uuid.uuid4()) for _ in range(1000)]
        queue: asyncio.Queue[str] = asyncio.Queue()
        for message_id in message_ids:
            queue.put_nowait(message_id)
        statuses: list[int] = []

        async def client() -> None:
            while not queue.empty():
                message_id = queue.get_nowait()
                body = {"sender": "user", "text": f"text {message_id}", "id": message_id}
                async with http.post(url, json=body) as response:
                    statuses.append(response.status)
                if len(statuses) % 10 == 0:
                    async with http.post(url, json=body) as retry:
                        assert retry.status == 200

        await asyncio.gather(*(client() for _ in range(32)))
        async with http.get(f"/sessions/alice/{session_id}") as response:
            stored = await response.json()

    assert statuses == [201] * 1000
    ids = [m["id"] for m in stored["messages"]]
    assert len(ids) == 1000 and set(ids) == set(message_ids)
    assert stored["message_count"] == 1000
    path = server.data_dir / "sessions" / f"alice_{session_id}.json"
    assert len(orjson.loads(path.read_bytes())["messages"]) == 1000
